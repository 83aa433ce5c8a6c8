/**
 * nightly-summary, built from its dependencies: invoked by EventBridge Scheduler at 02:00
 * Asia/Shanghai (and on the twin by its scheduler or `evidence nightly`). The event may name the
 * instant to compute as of and how many periods; a scheduled event names neither. `handler.ts`
 * builds it from the environment; tests build it from fakes.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { S3Exports } from '#adapters/s3-exports.ts';
import { type NightlyDeps, runNightly } from '#app/nightly-summary.ts';
import type { AwsClients } from '#lambda/clients.ts';
import { DeadlineRulesVariable } from '#lambda/config.ts';
import { lambda, type Observability } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';

const name = z.string().min(1);

export const NightlyConfigSchema = z.object({
  [ENV.depositsTable]: name,
  [ENV.attemptsTable]: name,
  [ENV.registryTable]: name,
  [ENV.summariesTable]: name,
  [ENV.exportBucket]: name,
  [ENV.deadlineRules]: DeadlineRulesVariable,
  [ENV.nightlyPeriods]: z.coerce.number().int().min(1).max(120).default(13),
});
export type NightlyConfig = z.infer<typeof NightlyConfigSchema>;

/** Scheduler's payload names neither field (now, default periods); a malformed `at` fails loudly. */
export const NightlyEventSchema = z.looseObject({
  at: z.iso.datetime({ offset: true }).optional(),
  periods: z.number().int().min(1).max(120).optional(),
});

export function nightlyDeps(config: NightlyConfig, clients: AwsClients): NightlyDeps {
  const tables = { deposits: config[ENV.depositsTable], attempts: config[ENV.attemptsTable], registry: config[ENV.registryTable] };
  return {
    reader: () => new DynamoPeriodReader(clients.db, tables),
    summaries: new DynamoSummaries(clients.db, config[ENV.summariesTable]),
    exports: new S3Exports(clients.s3, config[ENV.exportBucket]),
    rules: config[ENV.deadlineRules],
    periods: config[ENV.nightlyPeriods],
  };
}

export function makeHandler(deps: NightlyDeps, { logger, metrics }: Observability) {
  return lambda(
    async (event: unknown) => {
      const request = NightlyEventSchema.parse(event !== null && typeof event === 'object' ? event : {});
      const run = await runNightly(deps, request.at ? new Date(request.at) : new Date(), request.periods);
      logger.info('nightly summary done', { ...run });
      metrics.addMetric('SummariesWritten', MetricUnit.Count, run.summaries.written);
      metrics.addMetric('NightlyItemsRead', MetricUnit.Count, run.itemsRead.registry + run.itemsRead.deposits + run.itemsRead.attempts);
      return run;
    },
    { logger, metrics },
  );
}
