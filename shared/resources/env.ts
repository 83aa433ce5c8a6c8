/**
 * Environment variables the functions read, named once. The CDK stack sets them (in the same
 * call that grants access), the twin sets them for its in-process functions, and each function
 * validates its own set at cold start.
 */
export const ENV = {
  depositBucket: 'DEPOSIT_BUCKET',
  depositsTable: 'DEPOSITS_TABLE',
  attemptsTable: 'ATTEMPTS_TABLE',
  registryTable: 'REGISTRY_TABLE',
  summariesTable: 'SUMMARIES_TABLE',
  reviewQueueUrl: 'REVIEW_QUEUE_URL',
  deadlineRules: 'DEADLINE_RULES',
  /** The check catalogue's thresholds as JSON (any subset of CheckSettings); defaults when unset. */
  checkSettings: 'CHECK_SETTINGS',
  /** Where nightly-summary writes its per-period JSON/CSV exports (the dashboard bucket in the cloud). */
  exportBucket: 'EXPORT_BUCKET',
  /** How many periods, ending with the last ended month, nightly-summary recomputes (default 13). */
  nightlyPeriods: 'NIGHTLY_PERIODS',
  /** The KMS key (id or ARN) that signs receipts, in the cloud. */
  receiptKeyId: 'RECEIPT_KEY_ID',
  /** The PEM file whose P-256 key signs receipts, on the twin (created once if absent). */
  receiptKeyFile: 'RECEIPT_KEY_FILE',
  /**
   * The intake queue: for the reconciliation that announces uploads whose S3 event was lost, and
   * for validate-deposit, which hands back a report whose evidence is still uploading.
   */
  intakeQueueUrl: 'INTAKE_QUEUE_URL',
  /**
   * Which claims of the OIDC issuer's tokens carry the role, credit code, review level,
   * jurisdiction and name, as JSON (any subset of ClaimMapping, shared/domain/identity.ts).
   */
  identityClaims: 'IDENTITY_CLAIMS',
  /** How many days back the scheduled reconciliation looks (default 45). */
  reconcileLookbackDays: 'RECONCILE_LOOKBACK_DAYS',
  noticesTable: 'NOTICES_TABLE',
  contactsTable: 'CONTACTS_TABLE',
  /** Reminder days, digest, inbox age, tries, links as JSON (any subset of NoticeSettings, shared/domain/reminders.ts). */
  noticeSettings: 'NOTICE_SETTINGS',
  /** How notices leave, as JSON (NoticeChannelsConfig, functions/reminders/make-handler.ts): SMTP or SES, sender. */
  noticeChannels: 'NOTICE_CHANNELS',
  /** The Secrets Manager secret (ARN) with the SMTP password and robots' addresses and signing secrets. */
  noticeSecretArn: 'NOTICE_SECRET_ARN',
} as const;
export type EnvName = (typeof ENV)[keyof typeof ENV];
