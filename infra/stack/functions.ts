/**
 * The pipeline's functions: validate-deposit, nightly-summary, reconcile, and the API functions
 * query, review, deposit and registry, each granted exactly the tables, queues and prefixes it
 * uses. The API functions also learn which token claims carry the caller's role and attributes
 * (IDENTITY_CLAIMS).
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVIDENCE_PREFIX, VALIDATION_PREFIX, REPORTS_PREFIX } from '#domain/deposit-key.ts';
import { EXPORTS_PREFIX } from '#resources/exports.ts';
import { ENV } from '#resources/env.ts';
import { INTAKE_EVENT_SOURCE, QUEUES, VALIDATE_DEPOSIT_TIMEOUT_SECONDS } from '#resources/specs.ts';
import type { InfraConfig } from '../config.ts';
import { EvidenceFunction } from './evidence-function.ts';
import type { Ledger } from './ledger.ts';
import type { Queues } from './queues.ts';

export interface PipelineFunctionsProps {
  readonly config: InfraConfig;
  readonly depositBucket: IBucket;
  /** Nightly exports (`exports/`), written by nightly-summary, presigned by query. */
  readonly exportBucket: IBucket;
  readonly ledger: Ledger;
  readonly queues: Queues;
  /** The asymmetric key that signs receipts (query issues them). */
  readonly receiptKey: IKey;
  readonly logRetention: RetentionDays;
  /**
   * Which claims of the issuer's tokens carry role, credit code, level, jurisdiction and name
   * (any subset of ClaimMapping; empty: the defaults), handed to the API functions.
   */
  readonly identityClaims: Readonly<Record<string, unknown>>;
}

export class PipelineFunctions extends Construct {
  readonly validateDeposit: EvidenceFunction;
  readonly nightlySummary: EvidenceFunction;
  readonly query: EvidenceFunction;
  readonly review: EvidenceFunction;
  readonly reconcile: EvidenceFunction;
  readonly deposit: EvidenceFunction;
  readonly registry: EvidenceFunction;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const { config, ledger, queues, depositBucket, exportBucket, receiptKey, logRetention } = props;
    const identity = { [ENV.identityClaims]: JSON.stringify(props.identityClaims) };
    const { tables } = ledger;
    const intake = queues.pairs.intake.queue;
    const review = queues.pairs.review.queue;

    // AWS guidance for SQS event sources: visibility timeout at least 6x the function timeout, so
    // a batch still being retried by the poller is not handed to a second invocation.
    if (QUEUES.intake.visibilityTimeoutSeconds < 6 * VALIDATE_DEPOSIT_TIMEOUT_SECONDS) {
      throw new Error('QUEUES.intake.visibilityTimeoutSeconds must be at least 6x VALIDATE_DEPOSIT_TIMEOUT_SECONDS');
    }

    this.validateDeposit = new EvidenceFunction(this, 'ValidateDeposit', {
      handler: 'validate-deposit',
      description: 'Validates an uploaded monthly report, records the attempt, queues problems for review',
      // XLSX and GB18030 CSV parsing of reports up to ~10 MB; on ARM CPU scales with memory.
      memorySize: 1024,
      timeout: Duration.seconds(VALIDATE_DEPOSIT_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: config.intakeConcurrency,
      logRetention,
      environment: {
        [ENV.deadlineRules]: JSON.stringify(config.deadlineRules),
        ...(config.checkSettings ? { [ENV.checkSettings]: JSON.stringify(config.checkSettings) } : {}),
      },
    })
      .bindBucket(depositBucket, ENV.depositBucket, {
        read: [REPORTS_PREFIX, EVIDENCE_PREFIX],
        // An attempt too large for its ledger item is kept whole beside the deposit, written once.
        write: [VALIDATION_PREFIX],
        // Intake never lists, but a named evidence file that is not there must read as
        // EVD-EVIDENCE-MISSING (404), not as a fault (403) that retries into the DLQ.
        missingAsNotFound: true,
      })
      .bindTable(tables.registry, 'registry', 'read')
      .bindTable(tables.deposits, 'deposits', 'read', 'write')
      .bindTable(tables.attempts, 'attempts', 'read', 'write')
      .bindQueue(review, ENV.reviewQueueUrl, 'send')
      // A report whose evidence is still uploading goes back onto intake, delayed, for a later look.
      .bindQueue(intake, ENV.intakeQueueUrl, 'send');
    this.validateDeposit.addEventSource(
      new SqsEventSource(intake, {
        batchSize: INTAKE_EVENT_SOURCE.batchSize,
        maxBatchingWindow: Duration.seconds(INTAKE_EVENT_SOURCE.maxBatchingWindowSeconds),
        reportBatchItemFailures: INTAKE_EVENT_SOURCE.reportBatchItemFailures,
        maxConcurrency: config.intakeConcurrency,
      }),
    );

    this.nightlySummary = new EvidenceFunction(this, 'NightlySummary', {
      handler: 'nightly-summary',
      description: 'Computes on-time and first-pass rates per scope and period; writes summaries and exports',
      memorySize: 1024,
      timeout: Duration.minutes(5),
      logRetention,
      environment: { [ENV.deadlineRules]: JSON.stringify(config.deadlineRules) },
    })
      .bindTable(tables.registry, 'registry', 'read')
      .bindTable(tables.deposits, 'deposits', 'read')
      .bindTable(tables.attempts, 'attempts', 'read')
      .bindTable(tables.summaries, 'summaries', 'read', 'write')
      // Read as well as write: an export is rewritten only when its content hash changed (HeadObject).
      .bindBucket(exportBucket, ENV.exportBucket, { read: [EXPORTS_PREFIX], write: [EXPORTS_PREFIX] });

    this.query = new EvidenceFunction(this, 'Query', {
      handler: 'query',
      description: 'Answers queries: who am I, summaries, late list, league, enterprise history, export links; issues signed receipts',
      memorySize: 512,
      // Below the HTTP API's 30 s integration limit, so API Gateway never answers for it.
      timeout: Duration.seconds(10),
      logRetention,
      environment: { [ENV.deadlineRules]: JSON.stringify(config.deadlineRules), ...identity },
    })
      .bindTable(tables.summaries, 'summaries', 'read')
      .bindTable(tables.deposits, 'deposits', 'read')
      .bindTable(tables.attempts, 'attempts', 'read')
      .bindTable(tables.registry, 'registry', 'read')
      // The exports of the caller's scope, listed, each answered as a presigned link (which
      // carries this role's read, nothing more).
      .bindBucket(exportBucket, ENV.exportBucket, { read: [EXPORTS_PREFIX], list: [EXPORTS_PREFIX] });
    // Receipts: sign and publish the public key, nothing else on the key (no Verify, no admin);
    // granted and named in one place, like the bind* calls.
    this.query.addToRolePolicy(new PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [receiptKey.keyArn] }));
    this.query.addEnvironment(ENV.receiptKeyId, receiptKey.keyArn);

    this.reconcile = reconcileFunction(this, { depositBucket, ledger, intake, logRetention });

    this.review = new EvidenceFunction(this, 'Review', {
      handler: 'review',
      description: "A reviewer's inbox, an attempt with links to its files, and the reviewer's decision",
      memorySize: 512,
      timeout: Duration.seconds(10),
      logRetention,
      environment: identity,
    })
      .bindTable(tables.attempts, 'attempts', 'read', 'write')
      .bindTable(tables.deposits, 'deposits', 'read', 'write')
      .bindTable(tables.registry, 'registry', 'read')
      .bindQueue(review, ENV.reviewQueueUrl, 'send')
      // Presigned links to an attempt's report, evidence and validation detail (read only).
      .bindBucket(depositBucket, ENV.depositBucket, { read: [REPORTS_PREFIX, EVIDENCE_PREFIX, VALIDATION_PREFIX] });

    this.deposit = new EvidenceFunction(this, 'Deposit', {
      handler: 'deposit',
      description: "Opens an enterprise's deposit: presigned, write-once upload URLs for its report and evidence",
      memorySize: 512,
      timeout: Duration.seconds(10),
      logRetention,
      // The evidence limits (size, types, maxFiles) it checks before presigning are validate-deposit's.
      environment: { ...identity, ...(config.checkSettings ? { [ENV.checkSettings]: JSON.stringify(config.checkSettings) } : {}) },
    })
      .bindTable(tables.registry, 'registry', 'read')
      // The URLs it presigns carry this role's permission: PutObject under reports/ and evidence/
      // only; the bucket policy still demands If-None-Match (write-once) on every such PUT.
      .bindBucket(depositBucket, ENV.depositBucket, { write: [REPORTS_PREFIX, EVIDENCE_PREFIX] });

    this.registry = new EvidenceFunction(this, 'Registry', {
      handler: 'registry',
      description: 'The registry of obliged enterprises, kept by administrators',
      memorySize: 512,
      timeout: Duration.seconds(10),
      logRetention,
      environment: identity,
    }).bindTable(tables.registry, 'registry', 'read', 'write');
  }

  all(): EvidenceFunction[] {
    return [this.validateDeposit, this.nightlySummary, this.query, this.review, this.reconcile, this.deposit, this.registry];
  }
}

/**
 * reconcile: lists the report uploads (every version), reads attempt keys, announces the missing
 * ones to intake. Granted exactly that: listing under reports/ (no GetObject: LastModified comes
 * from the listing), BatchGetItem on the attempts table, SendMessage on the intake queue.
 */
function reconcileFunction(
  scope: Construct,
  { depositBucket, ledger, intake, logRetention }: { depositBucket: IBucket; ledger: Ledger; intake: IQueue; logRetention: RetentionDays },
): EvidenceFunction {
  const fn = new EvidenceFunction(scope, 'Reconcile', {
    handler: 'reconcile',
    description: 'Finds report uploads without an attempt (a lost S3 event) and announces them to intake again',
    memorySize: 512,
    // Listing a few hundred thousand versions at 1,000 a page takes minutes, not hours.
    timeout: Duration.minutes(15),
    logRetention,
  });
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket', 's3:ListBucketVersions'],
      resources: [depositBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${REPORTS_PREFIX}*`] } },
    }),
  );
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:BatchGetItem'], resources: [ledger.tables.attempts.tableArn] }));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [intake.queueArn] }));
  fn.addEnvironment(ENV.depositBucket, depositBucket.bucketName);
  fn.addEnvironment(ENV.attemptsTable, ledger.tables.attempts.tableName);
  fn.addEnvironment(ENV.intakeQueueUrl, intake.queueUrl);
  return fn;
}
