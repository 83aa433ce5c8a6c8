/**
 * The ledger: the deposits table (one record per enterprise-period) and the attempts table. One
 * adapter over both tables for every use case that writes them — intake's attempts, reviewers'
 * decisions — and for finding an attempt by id; each use case sees only its port.
 *
 * Every record it writes carries its place in the reviewers' inbox (shared/domain/inbox.ts),
 * computed from that very version: a record is always put whole, so a record that waits for no one
 * is written without the attributes and leaves the sparse byInbox index in the same write.
 *
 * Likewise every attempt it records, decides or escalates is marked as having news for the
 * enterprise (`noticePending`, the sparse byNoticePending index) in that same write: the notices
 * run learns of it from there, so nothing recorded goes untold and nothing is told for a write
 * that did not happen.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AttemptLocation,
  AttemptLookup,
  AttemptPageReader,
  DecisionStore,
  Ledger,
  MonthDecision,
  RecordOutcome,
  Ruling,
  RulingWriteOutcome,
} from '#app/ports.ts';
import { type Attempt, AttemptSchema, DecisionSchema, type EnterprisePeriod, EnterprisePeriodSchema, EscalationSchema } from '#domain/attempt.ts';
import { inboxEntryOf } from '#domain/inbox.ts';

export interface LedgerTables {
  readonly deposits: string;
  readonly attempts: string;
}

/** The attempts table's index from an attempt id to its key (attempt ids are unique across enterprises). */
export const ATTEMPT_ID_INDEX = 'byAttemptId';

/** Bookkeeping attributes on an attempt: which review message is on the queue since when. */
type QueuedAttribute = 'reviewQueuedAt' | 'escalationQueuedAt';

/** The sparse index's one partition value, and the attributes that put an attempt in it. */
export const NOTICE_PENDING = 'pending';
export const NOTICE_PENDING_INDEX = 'byNoticePending';
const noticePending = (since: string) => ({ noticePending: NOTICE_PENDING, noticeSince: since });

export function attemptRef(a: Pick<Attempt, 'period' | 'attemptId'>): string {
  return `${a.period}#${a.attemptId}`;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** A cancelled transaction, whichever copy of the SDK class threw it. */
function isCancellation(error: unknown): error is TransactionCanceledException {
  return error instanceof TransactionCanceledException || (error instanceof Error && error.name === 'TransactionCanceledException');
}

const keyOf = (attempt: AttemptLocation) => ({ enterpriseId: attempt.enterpriseId, attemptRef: attemptRef(attempt) });

/** The record as the deposits table holds it: the record and, when it waits for a reviewer, its inbox attributes. */
export function depositItemOf(record: EnterprisePeriod): Record<string, unknown> {
  return { ...record, ...inboxEntryOf(record) };
}

export class DynamoLedger implements Ledger, DecisionStore, AttemptLookup, AttemptPageReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: LedgerTables,
  ) {}

  async getDeposit(enterpriseId: string, period: string): Promise<EnterprisePeriod | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.deposits, Key: { enterpriseId, period }, ConsistentRead: true }));
    return Item ? EnterprisePeriodSchema.parse(Item) : undefined;
  }

  async getAttempt(enterpriseId: string, period: string, attemptId: string): Promise<Attempt | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.attempts, Key: { enterpriseId, attemptRef: attemptRef({ period, attemptId }) }, ConsistentRead: true }),
    );
    return Item ? AttemptSchema.parse(Item) : undefined;
  }

  async recordAttempt(attempt: Attempt, record: EnterprisePeriod, expectedVersion: number | undefined): Promise<RecordOutcome> {
    const recordCondition =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(enterpriseId)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.attempts,
                Item: { ...attempt, attemptRef: attemptRef(attempt), ...noticePending(attempt.receivedAt) },
                ConditionExpression: 'attribute_not_exists(enterpriseId)',
              },
            },
            { Put: { TableName: this.tables.deposits, Item: depositItemOf(record), ...recordCondition } },
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!isCancellation(error)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      // The record moved on (a version check failed), or another transaction held it at that moment.
      if (reasons[1]?.Code === 'ConditionalCheckFailed' || reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
  }

  async recordAttemptOnly(attempt: Attempt): Promise<'recorded' | 'duplicate'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tables.attempts,
          Item: { ...attempt, attemptRef: attemptRef(attempt) },
          ConditionExpression: 'attribute_not_exists(enterpriseId)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionFailure(error)) return 'duplicate';
      throw error;
    }
  }

  markReviewQueued(attempt: AttemptLocation, at: string): Promise<boolean> {
    return this.markQueued(attempt, 'reviewQueuedAt', at);
  }

  reviewQueuedAt(attempt: AttemptLocation): Promise<string | undefined> {
    return this.queuedAt(attempt, 'reviewQueuedAt');
  }

  markEscalationQueued(attempt: AttemptLocation, at: string): Promise<boolean> {
    return this.markQueued(attempt, 'escalationQueuedAt', at);
  }

  escalationQueuedAt(attempt: AttemptLocation): Promise<string | undefined> {
    return this.queuedAt(attempt, 'escalationQueuedAt');
  }

  async findAttempt(attemptId: string): Promise<Attempt | undefined> {
    // The index is eventually consistent, but an attempt's key never changes: it only locates
    // the item, which is then read consistently.
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tables.attempts,
        IndexName: ATTEMPT_ID_INDEX,
        KeyConditionExpression: 'attemptId = :a',
        ExpressionAttributeValues: { ':a': attemptId },
        ProjectionExpression: 'enterpriseId, attemptRef',
      }),
    );
    const [located] = Items;
    if (!located) return undefined;
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.attempts, Key: { enterpriseId: located.enterpriseId, attemptRef: located.attemptRef }, ConsistentRead: true }),
    );
    return Item ? AttemptSchema.parse(Item) : undefined;
  }

  async recordRuling(attempt: Attempt, ruling: Ruling, record: EnterprisePeriod, expectedVersion: number): Promise<RulingWriteOutcome> {
    const attemptUpdate: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    } =
      ruling.kind === 'decide'
        ? {
            UpdateExpression: 'SET #decision = :decision, verdict = :verdict, noticePending = :np, noticeSince = :ns',
            ConditionExpression: 'attribute_exists(enterpriseId) AND attribute_not_exists(#decision)',
            ExpressionAttributeNames: { '#decision': 'decision' },
            ExpressionAttributeValues: { ':decision': ruling.decision, ':verdict': ruling.verdict, ':np': NOTICE_PENDING, ':ns': ruling.decision.decidedAt },
          }
        : {
            UpdateExpression: 'SET #escalation = :escalation, noticePending = :np, noticeSince = :ns',
            ConditionExpression: 'attribute_exists(enterpriseId) AND attribute_not_exists(#decision) AND attribute_not_exists(#escalation)',
            ExpressionAttributeNames: { '#decision': 'decision', '#escalation': 'escalation' },
            ExpressionAttributeValues: { ':escalation': ruling.escalation, ':np': NOTICE_PENDING, ':ns': ruling.escalation.escalatedAt },
          };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: this.tables.attempts, Key: keyOf(attempt), ...attemptUpdate } },
            {
              Put: {
                TableName: this.tables.deposits,
                Item: depositItemOf(record),
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!isCancellation(error)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'attempt-changed';
      // DynamoDB cancels with ValidationError when the update would take the item past 400 KB.
      if (reasons[0]?.Code === 'ValidationError') return 'too-large';
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'conflict';
      throw error;
    }
  }

  async monthDecisions(enterpriseId: string, period: string): Promise<MonthDecision[]> {
    const items = await this.queryAll({
      TableName: this.tables.attempts,
      KeyConditionExpression: 'enterpriseId = :e AND begins_with(attemptRef, :p)',
      // Only who decided: an attempt item may weigh hundreds of KB.
      ProjectionExpression: 'attemptId, #decision, #escalation',
      ExpressionAttributeNames: { '#decision': 'decision', '#escalation': 'escalation' },
      ExpressionAttributeValues: { ':e': enterpriseId, ':p': `${period}#` },
    });
    return items.map((item) => ({
      attemptId: String(item.attemptId),
      ...(item.decision ? { decision: DecisionSchema.parse(item.decision) } : {}),
      ...(item.escalation ? { escalation: EscalationSchema.parse(item.escalation) } : {}),
    }));
  }

  /** An enterprise's enterprise-period records, oldest period first (one Query). */
  async depositsOf(enterpriseId: string, period?: string): Promise<EnterprisePeriod[]> {
    const items = await this.queryAll({
      TableName: this.tables.deposits,
      KeyConditionExpression: period ? 'enterpriseId = :e AND period = :p' : 'enterpriseId = :e',
      ExpressionAttributeValues: { ':e': enterpriseId, ...(period ? { ':p': period } : {}) },
    });
    return items.map((i) => EnterprisePeriodSchema.parse(i));
  }

  /** An enterprise's attempts, for one period or all (one Query). */
  async attemptsOf(enterpriseId: string, period?: string): Promise<Attempt[]> {
    const items = await this.queryAll({
      TableName: this.tables.attempts,
      KeyConditionExpression: period ? 'enterpriseId = :e AND begins_with(attemptRef, :p)' : 'enterpriseId = :e',
      ExpressionAttributeValues: { ':e': enterpriseId, ...(period ? { ':p': `${period}#` } : {}) },
    });
    return items.map((i) => AttemptSchema.parse(i));
  }

  /** Sets the attribute once; true if this call set it (false: it was set already). */
  private async markQueued(attempt: AttemptLocation, attribute: QueuedAttribute, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.attempts,
          Key: keyOf(attempt),
          UpdateExpression: `SET ${attribute} = :at`,
          ConditionExpression: `attribute_exists(enterpriseId) AND attribute_not_exists(${attribute})`,
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async queuedAt(attempt: AttemptLocation, attribute: QueuedAttribute): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.attempts, Key: keyOf(attempt), ProjectionExpression: attribute, ConsistentRead: true }),
    );
    const value: unknown = Item?.[attribute];
    return typeof value === 'string' ? value : undefined;
  }

  private async queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
