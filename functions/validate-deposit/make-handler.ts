/**
 * validate-deposit, built from its dependencies: intake queue (S3 report uploads) → validated
 * attempt in the ledger → review message when it has problems. Each SQS record succeeds or fails
 * on its own (partial batch response); a fault retries, and after the queue's maxReceiveCount goes
 * to the DLQ. A report whose named evidence is still uploading is handed back to the intake queue,
 * delayed, and its message succeeds (the use case decides; the wait count rides in a message
 * attribute). `handler.ts` builds it from the environment; tests build it from fakes.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { S3DepositStore } from '#adapters/s3-deposit-store.ts';
import { DynamoIntakeReader } from '#adapters/dynamo-intake-reader.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import { evidenceWaitsOf, SqsIntakeRequeue } from '#adapters/sqs-intake-requeue.ts';
import { ENV } from '#resources/env.ts';
import { enterprisePeriodOf, type IntakeDeps, type ReportUpload, recordDeposit } from '#app/record-deposit.ts';
import type { AwsClients } from '#lambda/clients.ts';
import type { IntakeConfig } from '#lambda/config.ts';
import { lambda, type Observability } from '#lambda/middy.ts';
import { reportUploadsIn } from '#lambda/s3-events.ts';
import { serialisedBy } from '#lambda/serialised.ts';

export function intakeDeps(config: IntakeConfig, clients: AwsClients): IntakeDeps {
  const intakeQueueUrl = config[ENV.intakeQueueUrl];
  return {
    store: new S3DepositStore(clients.s3, config[ENV.depositBucket]),
    registry: new DynamoRegistry(clients.db, config[ENV.registryTable]),
    ledger: new DynamoLedger(clients.db, { deposits: config[ENV.depositsTable], attempts: config[ENV.attemptsTable] }),
    reviewQueue: new SqsReviewQueue(clients.sqs, config[ENV.reviewQueueUrl]),
    intake: new DynamoIntakeReader(clients.db, { registry: config[ENV.registryTable], deposits: config[ENV.depositsTable] }),
    deadlineRules: config[ENV.deadlineRules],
    settings: config[ENV.checkSettings],
    ...(intakeQueueUrl
      ? { requeue: new SqsIntakeRequeue(clients.sqs, { queueUrl: intakeQueueUrl, bucket: config[ENV.depositBucket], region: config.AWS_REGION ?? '' }) }
      : {}),
    now: () => new Date(),
  };
}

export function makeHandler(deps: IntakeDeps, { logger, metrics }: Observability) {
  const recordUpload = async (upload: ReportUpload) => {
    const result = await recordDeposit(deps, upload);
    if (result.outcome === 'deferred') {
      logger.info('waiting for evidence', { key: upload.key, eventTime: upload.eventTime, ...result });
      metrics.addMetric('EvidenceWaits', MetricUnit.Count, 1);
      return;
    }
    const { attempt } = result;
    logger.info('deposit processed', {
      outcome: result.outcome,
      enterpriseId: attempt.enterpriseId,
      period: attempt.period,
      attemptId: attempt.attemptId,
      attempt: result.attemptNumber,
      verdict: attempt.verdict,
      onTime: attempt.timeliness.onTime,
      issues: attempt.validation.stats,
    });
    metrics.addMetric(result.outcome === 'duplicate' ? 'DuplicateEvents' : `Verdict_${attempt.verdict}`, MetricUnit.Count, 1);
  };
  return lambda(
    (event: SQSEvent, context) => {
      metrics.addMetric('IntakeRecords', MetricUnit.Count, event.Records.length);
      // Per invocation: a BatchProcessor keeps the call's failures, and the twin overlaps invocations.
      const processor = new BatchProcessor(EventType.SQS);
      // Uploads to one enterprise-period in this batch are recorded one after another (they would
      // only contend for its record); other enterprises' go on in parallel.
      const inTurn = serialisedBy<ReportUpload>(enterprisePeriodOf);
      const processRecord = async (record: SQSRecord) => {
        const evidenceWaits = evidenceWaitsOf(record);
        for (const upload of reportUploadsIn(record.body)) await inTurn(evidenceWaits ? { ...upload, evidenceWaits } : upload, recordUpload);
      };
      return processPartialResponse(event, processRecord, processor, { context });
    },
    { logger, metrics },
  );
}
