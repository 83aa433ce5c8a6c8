/**
 * The nightly job as a use case: for each period still moving, read the registry, the period's
 * records and their attempts' problems, compute every scope's summary, and store the summaries
 * and the period's exports, each only if it changed. Faults throw (the schedule retries);
 * re-running is harmless.
 */

import type { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { type DynamoPeriodReader, type ItemsRead, mapLimit } from '#adapters/period-reader.ts';
import type { S3Exports } from '#adapters/s3-exports.ts';
import type { DeadlineRules } from '#domain/deadline.ts';
import type { Period } from '#domain/period.ts';
import { periodsToSummarise, summarisePeriod } from '#domain/rates.ts';
import { periodExports } from '#domain/summary-export.ts';
import { EXPORTS_PREFIX } from '#resources/exports.ts';

export interface NightlyDeps {
  readonly reader: DynamoPeriodReader;
  readonly summaries: DynamoSummaries;
  readonly exports: S3Exports;
  readonly rules: DeadlineRules;
  readonly periods: number;
}

export interface NightlyRun {
  readonly at: string;
  readonly periods: Period[];
  readonly enterprises: number;
  readonly summaries: { readonly written: number; readonly unchanged: number };
  readonly exports: { readonly written: number; readonly unchanged: number };
  readonly itemsRead: ItemsRead;
  readonly durationMs: number;
}

export async function runNightly(deps: NightlyDeps, at: Date, periodCount = deps.periods): Promise<NightlyRun> {
  const started = Date.now();
  const before = { ...deps.reader.itemsRead };
  const periods = periodsToSummarise(at, periodCount);
  const first = periods[0] as Period;
  const last = periods.at(-1) as Period;
  const registry = await deps.reader.registry();
  const records = new Map<Period, Awaited<ReturnType<DynamoPeriodReader['recordsOf']>>>();
  for (const period of periods) records.set(period, await deps.reader.recordsOf(period));
  // One Query per depositing enterprise covers all its attempts in the window.
  const depositors = [...new Set([...records.values()].flat().map((r) => r.enterpriseId))].sort();
  const problems = await deps.reader.problemsOf(depositors, first, last);

  const counts = {
    summaries: { written: 0, unchanged: 0 },
    exports: { written: 0, unchanged: 0 },
  };
  // computedAt marks when a summary's figures last moved; an unchanged one keeps its old value.
  const computedAt = at.toISOString();
  for (const period of periods) {
    const result = summarisePeriod({
      period,
      registry,
      records: records.get(period) ?? [],
      problems,
      rules: deps.rules,
      now: at,
    });
    const outcomes = await mapLimit(result.summaries, 16, (s) => deps.summaries.put(s, computedAt));
    for (const o of outcomes) counts.summaries[o]++;
    for (const file of periodExports(EXPORTS_PREFIX, period, result)) counts.exports[await deps.exports.put(file)]++;
  }
  const read = deps.reader.itemsRead;
  const itemsRead = {
    registry: read.registry - before.registry,
    deposits: read.deposits - before.deposits,
    attempts: read.attempts - before.attempts,
  };
  return {
    at: computedAt,
    periods,
    enterprises: registry.length,
    ...counts,
    itemsRead,
    durationMs: Date.now() - started,
  };
}
