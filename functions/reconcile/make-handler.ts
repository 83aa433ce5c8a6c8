/**
 * reconcile: invoked daily by EventBridge Scheduler (and by `evidence reconcile`). Finds report
 * uploads in the deposit bucket that have no attempt — their S3 event or intake message was lost —
 * and announces them to intake again with their own time. The scheduled run looks back
 * RECONCILE_LOOKBACK_DAYS (45); an event may name `since` (ISO) or `all: true` (the whole bucket).
 * Built from its dependencies: `handler.ts` builds it from the environment; tests from fakes.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { DynamoAttemptIndex } from '#adapters/dynamo-attempt-index.ts';
import { S3ReportObjects } from '#adapters/s3-report-lister.ts';
import { SqsIntakeAnnouncer } from '#adapters/sqs-intake-announcer.ts';
import { type ReconcileDeps, reconcileDeposits, sinceDaysAgo } from '#app/reconcile-deposits.ts';
import type { AwsClients } from '#lambda/clients.ts';
import type { ReconcileConfig } from '#lambda/config.ts';
import { lambda, type Observability } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';

/** Scheduler's payload names neither field; a malformed `since` fails loudly. */
export const ReconcileEventSchema = z.looseObject({
  since: z.iso.datetime({ offset: true }).optional(),
  all: z.boolean().optional(),
});

export interface ReconcileHandlerDeps extends ReconcileDeps {
  readonly lookbackDays: number;
  readonly now: () => Date;
}

export function reconcileDeps(config: ReconcileConfig, clients: AwsClients): ReconcileHandlerDeps {
  const bucket = config[ENV.depositBucket];
  return {
    // The cloud's deposit bucket is versioned (Object Lock): every version is an upload.
    reports: new S3ReportObjects(clients.s3, bucket, { versioned: true }),
    attempts: new DynamoAttemptIndex(clients.db, config[ENV.attemptsTable]),
    intake: new SqsIntakeAnnouncer(clients.sqs, { queueUrl: config[ENV.intakeQueueUrl], bucket, region: config.AWS_REGION }),
    lookbackDays: config[ENV.reconcileLookbackDays],
    now: () => new Date(),
  };
}

export function makeHandler(deps: ReconcileHandlerDeps, { logger, metrics }: Observability) {
  return lambda(
    async (event: unknown) => {
      const request = ReconcileEventSchema.parse(event !== null && typeof event === 'object' ? event : {});
      const since = request.all ? undefined : request.since ? new Date(request.since) : sinceDaysAgo(deps.now(), deps.lookbackDays);
      const summary = await reconcileDeposits(deps, { ...(since ? { since } : {}) });
      logger.info('reconciliation done', { since: since?.toISOString() ?? 'all', ...summary });
      metrics.addMetric('ReportsListed', MetricUnit.Count, summary.listed);
      metrics.addMetric('ReportsAnnouncedAgain', MetricUnit.Count, summary.announced);
      return { since: since?.toISOString() ?? null, ...summary };
    },
    { logger, metrics },
  );
}
