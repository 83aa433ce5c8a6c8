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
} as const;
export type EnvName = (typeof ENV)[keyof typeof ENV];
