/**
 * The nightly job as a use case: for each period still moving, read the registry, the period's
 * records and their attempts' problems, compute every scope's summary, and store the summaries
 * and the period's exports, each only if it changed. Faults throw (the schedule retries);
 * re-running is harmless.
 */

import { mapLimit } from '#app/map-limit.ts';
import type { ExportStore, ItemsRead, PeriodReader, SummaryStore } from '#app/ports.ts';
import type { DeadlineRules } from '#domain/deadline.ts';
import type { Period } from '#domain/period.ts';
import { periodsToSummarise, type RatedRecord, summarisePeriod } from '#domain/rates.ts';
import { scopeExports } from '#domain/scope-exports.ts';
import { periodExports } from '#domain/summary-export.ts';
import { EXPORTS_PREFIX } from '#resources/exports.ts';

/** Summary Puts in flight at once: enough to hide DynamoDB latency, few enough not to throttle. */
const PUT_CONCURRENCY = 16;

export interface NightlyDeps {
  /** A fresh reader per run: its item count is then that run's alone, however runs overlap. */
  readonly reader: () => PeriodReader;
  readonly summaries: SummaryStore;
  readonly exports: ExportStore;
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
  const reader = deps.reader();
  const periods = periodsToSummarise(at, periodCount);
  const first = periods[0] as Period;
  const last = periods.at(-1) as Period;
  const registry = await reader.registry();
  const records = new Map<Period, RatedRecord[]>();
  for (const period of periods) records.set(period, await reader.recordsOf(period));
  // One Query per depositing enterprise covers all its attempts in the window.
  const depositors = [...new Set([...records.values()].flat().map((r) => r.enterpriseId))].sort();
  const problems = await reader.problemsOf(depositors, first, last);

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
    // The provinces and cities narrowed to an industry too: the dashboard's industry selector reads them.
    const outcomes = await mapLimit([...result.summaries, ...(result.narrowed ?? [])], PUT_CONCURRENCY, (s) => deps.summaries.put(s, computedAt));
    for (const o of outcomes) counts.summaries[o]++;
    // Each province's and city's own files too: a department's download holds only its jurisdiction.
    const files = [...periodExports(EXPORTS_PREFIX, period, result), ...scopeExports(EXPORTS_PREFIX, period, result)];
    for (const o of await mapLimit(files, PUT_CONCURRENCY, (file) => deps.exports.put(file))) counts.exports[o]++;
  }
  return {
    at: computedAt,
    periods,
    enterprises: registry.length,
    ...counts,
    itemsRead: reader.itemsRead,
    durationMs: Date.now() - started,
  };
}
