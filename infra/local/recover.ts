/**
 * What a restarted twin does before it serves: look at what its data dir kept, reconcile the
 * ledger with the bucket, and refill the review queue. The S3 objects and DynamoDB tables persist
 * on disk; local-aws-sqs keeps its messages in memory only (it has no persistence option), so
 * every message in flight when the last twin stopped — or was killed — is gone.
 */
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAttemptIndex } from '#adapters/dynamo-attempt-index.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { mapLimit } from '#app/map-limit.ts';
import { S3ReportObjects } from '#adapters/s3-report-lister.ts';
import { SqsIntakeAnnouncer } from '#adapters/sqs-intake-announcer.ts';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import { type ReconcileDeps, type ReconcileRequest, type ReconcileSummary, reconcileDeposits } from '#app/reconcile-deposits.ts';
import { AttemptSchema, attemptNumber, EnterprisePeriodSchema } from '#domain/attempt.ts';
import { inboxEntryOf } from '#domain/inbox.ts';
import { type ReviewMessage, reviewMessageOf } from '#domain/review-message.ts';
import { TWIN_REGION } from './emulators.ts';
import type { TwinResources } from './provision.ts';
import { SIMULATED_RECEIPT_METADATA, type TwinClients } from './twin.ts';

/** The reconciliation's ports on the twin: s3rver keeps no versions; receipt times may be simulated. */
export function twinReconcileDeps(clients: Pick<TwinClients, 's3' | 'db' | 'sqs'>, resources: TwinResources): ReconcileDeps {
  return {
    reports: new S3ReportObjects(clients.s3, resources.bucket, { versioned: false, receiptTimeMetadata: SIMULATED_RECEIPT_METADATA }),
    attempts: new DynamoAttemptIndex(clients.db, resources.tables.attempts),
    intake: new SqsIntakeAnnouncer(clients.sqs, { queueUrl: resources.queues.intake.url, bucket: resources.bucket, region: TWIN_REGION }),
  };
}

export function reconcileTwin(
  clients: Pick<TwinClients, 's3' | 'db' | 'sqs'>,
  resources: TwinResources,
  request: ReconcileRequest = {},
): Promise<ReconcileSummary> {
  return reconcileDeposits(twinReconcileDeps(clients, resources), request);
}

async function countItems(clients: Pick<TwinClients, 'db'>, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await clients.db.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

export interface KeptData {
  readonly enterprises: number;
  readonly attempts: number;
}

/** What the data dir held at start (a twin-only Scan; the cloud never counts this way). */
export async function keptData(clients: Pick<TwinClients, 'db'>, resources: TwinResources): Promise<KeptData> {
  const [enterprises, attempts] = await Promise.all([countItems(clients, resources.tables.registry), countItems(clients, resources.tables.attempts)]);
  return { enterprises, attempts };
}

/**
 * Sends the review message of every undecided attempt whose message had been queued
 * (`reviewQueuedAt`) again, at the level it was waiting at. Twin only: in the cloud SQS keeps the
 * messages for 14 days and nothing needs re-seeding; here the queue came back empty. A message
 * received twice is harmless: reviewers decide per attempt, and a decided attempt refuses a second
 * decision.
 */
export async function reseedReviewQueue(clients: Pick<TwinClients, 'db' | 'sqs'>, resources: TwinResources): Promise<number> {
  const waiting = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await clients.db.send(
      new ScanCommand({
        TableName: resources.tables.attempts,
        FilterExpression: 'attribute_exists(reviewQueuedAt) AND attribute_not_exists(decision)',
        ExclusiveStartKey: start,
      }),
    );
    waiting.push(...(page.Items ?? []).map((item) => AttemptSchema.parse(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  const ledger = new DynamoLedger(clients.db, resources.tables);
  const registry = new DynamoRegistry(clients.db, resources.tables.registry);
  const queue = new SqsReviewQueue(clients.sqs, resources.queues.review.url);
  // A restart after the demo re-queues hundreds: each enterprise and record is read once.
  const once = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, read());
    return cache.get(key) as Promise<T>;
  };
  const enterprises = new Map<string, ReturnType<DynamoRegistry['get']>>();
  const records = new Map<string, ReturnType<DynamoLedger['getDeposit']>>();
  await mapLimit(waiting, 16, async (attempt) => {
    const [record, enterprise] = await Promise.all([
      once(records, `${attempt.enterpriseId}#${attempt.period}`, () => ledger.getDeposit(attempt.enterpriseId, attempt.period)),
      once(enterprises, attempt.enterpriseId, () => registry.get(attempt.enterpriseId)),
    ]);
    const where = enterprise ? { enterpriseName: enterprise.name, province: enterprise.province, city: enterprise.city } : {};
    const base = reviewMessageOf(attempt, record ? attemptNumber(record, attempt.attemptId) : 1, where);
    const { escalation } = attempt;
    const message: ReviewMessage = escalation
      ? { ...base, level: escalation.toLevel, escalation: { reviewer: escalation.reviewer, comment: escalation.comment, escalatedAt: escalation.escalatedAt } }
      : base;
    await queue.send(message);
  });
  return waiting.length;
}

/**
 * Puts records written before the reviewers' inbox existed into it: each enterprise-period record
 * without inbox attributes whose latest attempt waits for a reviewer gets them, under the record's
 * own version, so a write that raced this one (and wrote them itself) wins. Twin only, at start;
 * a cloud ledger from before the inbox is migrated the same way once (README, "Known limits").
 */
export async function backfillInbox(clients: Pick<TwinClients, 'db'>, resources: TwinResources): Promise<number> {
  let filled = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await clients.db.send(
      new ScanCommand({ TableName: resources.tables.deposits, FilterExpression: 'attribute_not_exists(inbox)', ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const record = EnterprisePeriodSchema.safeParse(item);
      const entry = record.success ? inboxEntryOf(record.data) : undefined;
      if (!record.success || !entry) continue;
      try {
        await clients.db.send(
          new UpdateCommand({
            TableName: resources.tables.deposits,
            Key: { enterpriseId: record.data.enterpriseId, period: record.data.period },
            UpdateExpression: 'SET inbox = :inbox, inboxSince = :since, inboxAttempt = :attempt',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':inbox': entry.inbox, ':since': entry.inboxSince, ':attempt': entry.inboxAttempt, ':version': record.data.version },
          }),
        );
        filled++;
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return filled;
}
