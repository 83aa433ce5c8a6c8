/** The ledger: the deposits table (one record per enterprise-period) and the attempts table. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Attempt, AttemptSchema, type EnterprisePeriod, EnterprisePeriodSchema } from '#domain/attempt.ts';
import type { Ledger, RecordOutcome } from '#app/ports.ts';

export interface LedgerTables {
  readonly deposits: string;
  readonly attempts: string;
}

type AttemptRefParts = Pick<Attempt, 'enterpriseId' | 'period' | 'attemptId'>;

export function attemptRef(a: Pick<Attempt, 'period' | 'attemptId'>): string {
  return `${a.period}#${a.attemptId}`;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export class DynamoLedger implements Ledger {
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
            { Put: { TableName: this.tables.attempts, Item: { ...attempt, attemptRef: attemptRef(attempt) }, ConditionExpression: 'attribute_not_exists(enterpriseId)' } },
            { Put: { TableName: this.tables.deposits, Item: record, ...recordCondition } },
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) && !(error instanceof Error && error.name === 'TransactionCanceledException')) throw error;
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      // The record moved on (a version check failed), or another transaction held it at that moment.
      if (reasons[1]?.Code === 'ConditionalCheckFailed' || reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
  }

  async recordAttemptOnly(attempt: Attempt): Promise<'recorded' | 'duplicate'> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tables.attempts, Item: { ...attempt, attemptRef: attemptRef(attempt) }, ConditionExpression: 'attribute_not_exists(enterpriseId)' }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionFailure(error)) return 'duplicate';
      throw error;
    }
  }

  async markReviewQueued(attempt: AttemptRefParts, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.attempts,
          Key: { enterpriseId: attempt.enterpriseId, attemptRef: attemptRef(attempt) },
          UpdateExpression: 'SET reviewQueuedAt = :at',
          ConditionExpression: 'attribute_exists(enterpriseId) AND attribute_not_exists(reviewQueuedAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async reviewQueuedAt(attempt: AttemptRefParts): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tables.attempts,
        Key: { enterpriseId: attempt.enterpriseId, attemptRef: attemptRef(attempt) },
        ProjectionExpression: 'reviewQueuedAt',
        ConsistentRead: true,
      }),
    );
    return Item?.reviewQueuedAt as string | undefined;
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
