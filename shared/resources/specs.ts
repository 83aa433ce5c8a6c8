/**
 * The stateful resources, defined once. The CDK stack and the local twin both build from these
 * definitions, and test/infra/twin-parity.test.ts proves the synthesized template matches them.
 * Physical names exist only on the twin; in the cloud CloudFormation names resources.
 */
import { REPORTS_PREFIX } from '#domain/deposit-key.ts';

export type AttributeType = 'S' | 'N';
export interface KeySpec {
  readonly name: string;
  readonly type: AttributeType;
}
/** What an index copies of each item; every copied byte is written (and billed) again. */
export type ProjectionSpec = { readonly type: 'ALL' } | { readonly type: 'KEYS_ONLY' } | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };
export interface IndexSpec {
  readonly indexName: string;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
  readonly projection: ProjectionSpec;
}
export interface TableSpec {
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
  readonly indexes: readonly IndexSpec[];
}

const S = (name: string): KeySpec => ({ name, type: 'S' });

export const TABLES = {
  /** One record per enterprise and period: its attempts in receipt order. */
  deposits: {
    partitionKey: S('enterpriseId'),
    sortKey: S('period'),
    indexes: [
      {
        indexName: 'byPeriod',
        partitionKey: S('period'),
        sortKey: S('enterpriseId'),
        // The nightly job reads every record of a period: all of it but the accepted month's report snapshot.
        projection: { type: 'INCLUDE', attributes: ['province', 'city', 'industry', 'attempts', 'version'] },
      },
      {
        // The reviewers' inbox (shared/domain/inbox.ts): sparse, only records waiting for a
        // reviewer carry `inbox`. One partition per city's and per province's inbox, oldest first.
        // It copies what the inbox lists and filters on, not the attempts list or the accepted month.
        indexName: 'byInbox',
        partitionKey: S('inbox'),
        sortKey: S('inboxSince'),
        projection: { type: 'INCLUDE', attributes: ['province', 'city', 'industry', 'inboxAttempt'] },
      },
    ],
  },
  /** Every attempt in full: validation report, files and their hashes. */
  attempts: {
    partitionKey: S('enterpriseId'),
    sortKey: S('attemptRef'),
    // Only locates an attempt by id (the review API then reads the item itself, consistently).
    indexes: [
      { indexName: 'byAttemptId', partitionKey: S('attemptId'), projection: { type: 'KEYS_ONLY' } },
      {
        // Sparse: only attempts with something not yet told (recorded, decided, escalated) carry
        // `noticePending`, set in the very write that records it; the notices run clears it once
        // told (shared/adapters/dynamo-notices.ts). One partition: a few thousand a month.
        indexName: 'byNoticePending',
        partitionKey: S('noticePending'),
        sortKey: S('noticeSince'),
        projection: { type: 'KEYS_ONLY' },
      },
    ],
  },
  /** The obliged enterprises, maintained by departments. */
  registry: {
    partitionKey: S('enterpriseId'),
    indexes: [{ indexName: 'byProvince', partitionKey: S('province'), sortKey: S('enterpriseId'), projection: { type: 'ALL' } }],
  },
  /**
   * Reminders and notices, one item per notice and channel: written once with a conditional put,
   * which is what makes each sent once across re-runs and retries.
   */
  notices: {
    partitionKey: S('noticeId'),
    indexes: [],
  },
  /** Jurisdictions' contacts (a city's or province's department and reviewers), by audience. */
  contacts: {
    partitionKey: S('audience'),
    sortKey: S('scope'),
    indexes: [],
  },
  /** Nightly summaries per scope and period. */
  summaries: {
    partitionKey: S('scope'),
    sortKey: S('period'),
    indexes: [],
  },
} as const satisfies Record<string, TableSpec>;
export type TableName = keyof typeof TABLES;

export interface QueueSpec {
  readonly visibilityTimeoutSeconds: number;
  readonly retentionDays: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly deadLetterRetentionDays: number;
}

/** validate-deposit's timeout; the intake queue's visibility timeout is 6× it (AWS guidance). */
export const VALIDATE_DEPOSIT_TIMEOUT_SECONDS = 30;

export const QUEUES = {
  intake: {
    visibilityTimeoutSeconds: VALIDATE_DEPOSIT_TIMEOUT_SECONDS * 6,
    retentionDays: 14,
    maxReceiveCount: 3,
    deadLetterRetentionDays: 14,
  },
  review: {
    // Long enough to read a deposit and decide; a skipped message comes back after it.
    visibilityTimeoutSeconds: 300,
    retentionDays: 14,
    maxReceiveCount: 50,
    deadLetterRetentionDays: 14,
  },
} as const satisfies Record<string, QueueSpec>;
export type QueueName = keyof typeof QUEUES;

/** Report uploads, and only they, are announced to the intake queue. */
export const DEPOSIT_BUCKET_NOTIFICATION = {
  events: ['s3:ObjectCreated:*'],
  prefix: REPORTS_PREFIX,
  queue: 'intake' as QueueName,
} as const;

/** How the intake queue feeds validate-deposit. */
export const INTAKE_EVENT_SOURCE = {
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  reportBatchItemFailures: true,
} as const;
