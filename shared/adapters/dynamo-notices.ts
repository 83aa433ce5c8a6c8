/**
 * The notices table (each notice claimed once, by a conditional put), the attempts table's sparse
 * byNoticePending index (attempts with news not yet told) and the contacts table.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactBook, NoticeEvents, NoticeLog, NoticeRecord, NoticeSettlement, PendingNotice } from '#app/ports.ts';
import { type Audience, type JurisdictionContact, JurisdictionContactSchema } from '#domain/contacts.ts';
import { NOTICE_PENDING, NOTICE_PENDING_INDEX } from './dynamo-ledger.ts';

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export class DynamoNoticeLog implements NoticeLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(notice: NoticeRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.table, Item: { ...notice, status: 'sending' }, ConditionExpression: 'attribute_not_exists(noticeId)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async settle(noticeId: string, settlement: NoticeSettlement): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { noticeId },
        UpdateExpression: `SET #status = :status, settledAt = :at, tries = :tries${settlement.status === 'dead-lettered' ? ', #error = :error' : ''}`,
        ExpressionAttributeNames: { '#status': 'status', ...(settlement.status === 'dead-lettered' ? { '#error': 'error' } : {}) },
        ExpressionAttributeValues: {
          ':status': settlement.status,
          ':at': settlement.at,
          ':tries': settlement.tries,
          ...(settlement.status === 'dead-lettered' ? { ':error': settlement.error } : {}),
        },
      }),
    );
  }
}

export class DynamoNoticeEvents implements NoticeEvents {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly attemptsTable: string,
  ) {}

  async pending(until: Date): Promise<PendingNotice[]> {
    const found: PendingNotice[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.attemptsTable,
          IndexName: NOTICE_PENDING_INDEX,
          KeyConditionExpression: 'noticePending = :p AND noticeSince <= :until',
          ExpressionAttributeValues: { ':p': NOTICE_PENDING, ':until': until.toISOString() },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const ref = String(item.attemptRef);
        const cut = ref.indexOf('#');
        found.push({
          location: { enterpriseId: String(item.enterpriseId), period: ref.slice(0, cut), attemptId: ref.slice(cut + 1) },
          since: String(item.noticeSince),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }

  async told(pending: PendingNotice): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.attemptsTable,
          Key: { enterpriseId: pending.location.enterpriseId, attemptRef: `${pending.location.period}#${pending.location.attemptId}` },
          UpdateExpression: 'REMOVE noticePending, noticeSince',
          // Newer news (a decision recorded meanwhile) keeps it pending for the next run.
          ConditionExpression: 'noticeSince = :since',
          ExpressionAttributeValues: { ':since': pending.since },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}

export class DynamoContactBook implements ContactBook {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async jurisdictions(audience: Audience): Promise<JurisdictionContact[]> {
    const items: JurisdictionContact[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'audience = :a',
          ExpressionAttributeValues: { ':a': audience },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const parsed = JurisdictionContactSchema.safeParse(item);
        if (parsed.success) items.push(parsed.data);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async putAll(contacts: readonly JurisdictionContact[]): Promise<void> {
    for (const contact of contacts) await this.db.send(new PutCommand({ TableName: this.table, Item: JurisdictionContactSchema.parse(contact) }));
  }
}
