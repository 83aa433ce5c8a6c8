/**
 * What departments ask the API: summaries over a range of periods, who is late for a period, and
 * one enterprise's history. The request schemas live here so every entry point (HTTP, CLI) reads
 * the same fields the same way; the HTTP boundary parses with them, the use cases take what they
 * parsed and answer an outcome.
 */
import { z } from 'zod';
import type { DeadlineRules } from '#domain/deadline.ts';
import { addMonths, type Period, PeriodSchema, periodRange } from '#domain/period.ts';
import { divisionLabel, legacyScopesOf, scopeKey } from '#domain/provinces.ts';
import { inScope, lastEndedPeriod, lateList, type Standing, SummaryScopeSchema, standingsFor } from '#domain/rates.ts';
import { type Enterprise, EnterpriseIdSchema } from '#domain/registry.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { DepartmentReader, StoredSummary, SummaryRange } from './ports.ts';

export interface QueryDeps {
  /** A reader per request: a reader counts what it reads, and requests overlap on the twin. */
  readonly reader: () => DepartmentReader;
  readonly summaries: SummaryRange;
  readonly rules: DeadlineRules;
  readonly now: () => Date;
}

/** Refused: a request that parses but asks for what the API does not answer (400, never retried). */
export type QueryRefusalCode = 'bad-request' | 'not-found';

const MAX_PERIODS = 60;

export const SummariesRequestSchema = z.object({
  scope: SummaryScopeSchema.default('all'),
  from: PeriodSchema.optional(),
  to: PeriodSchema.optional(),
});
export type SummariesRequest = z.infer<typeof SummariesRequestSchema>;

export interface SummariesAnswer {
  readonly scope: string;
  readonly from: Period;
  readonly to: Period;
  readonly summaries: StoredSummary[];
}

export async function summariesFor(deps: QueryDeps, request: SummariesRequest): Promise<Outcome<SummariesAnswer, QueryRefusalCode>> {
  const to = request.to ?? lastEndedPeriod(deps.now());
  const from = request.from ?? addMonths(to, -12);
  if (from > to) return refused('bad-request', `起始月份 from (${from}) 晚于截止月份 to (${to})`, `from (${from}) is after to (${to})`);
  if (periodRange(from, to).length > MAX_PERIODS)
    return refused('bad-request', `每次请求最多 ${MAX_PERIODS} 个月份`, `at most ${MAX_PERIODS} periods per request`);
  const scope = scopeKey(request.scope);
  // Summaries stored before scopes were codes sit under the place's names: a period without a
  // summary under the code is answered from them, relabelled, until the nightly rewrites it.
  const [current, ...legacy] = await Promise.all([scope, ...legacyScopesOf(scope)].map((s) => deps.summaries.range(s, from, to)));
  const byPeriod = new Map((current ?? []).map((s) => [s.period, s]));
  for (const old of legacy.flat()) if (!byPeriod.has(old.period)) byPeriod.set(old.period, { ...old, scope });
  const summaries = [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period));
  return ok({ scope, from, to, summaries });
}

export const LateRequestSchema = z.object({
  scope: SummaryScopeSchema.default('all'),
  period: PeriodSchema.optional(),
});
/** As parsed by LateRequestSchema, or as the CLI, which checked its scope, asks. */
export interface LateRequest {
  readonly scope?: string;
  readonly period?: Period;
}

export interface LateAnswer {
  readonly scope: string;
  readonly period: Period;
  readonly asOf: string;
  readonly obliged: number;
  readonly pending: number;
  readonly late: Standing[];
}

/**
 * Computed from the ledger as it is now, not from last night's summary: the chase list must be
 * current. Any parsed request has an answer, so this one answers without an outcome.
 */
export async function lateFor(deps: QueryDeps, request: LateRequest): Promise<LateAnswer> {
  const scope = scopeKey(request.scope ?? 'all');
  const now = deps.now();
  const period = request.period ?? lastEndedPeriod(now);
  const reader = deps.reader();
  const province = scope.startsWith('province:') ? scope.slice('province:'.length) : undefined;
  const [registry, records] = await Promise.all([reader.registry(province ? [province] : undefined), reader.recordsOf(period)]);
  const standings = standingsFor({
    period,
    registry: registry.filter((e) => inScope(e, scope)),
    records,
    rules: deps.rules,
    now,
  });
  return {
    scope,
    period,
    asOf: now.toISOString(),
    obliged: standings.length,
    pending: standings.filter((s) => s.submission === 'pending').length,
    late: lateList(standings),
  };
}

export const HistoryRequestSchema = z.object({ enterpriseId: EnterpriseIdSchema });
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;

export interface HistoryAnswer {
  readonly enterpriseId: string;
  /** The registry entry, its division codes named for people. */
  readonly enterprise: (Enterprise & { readonly provinceName: string; readonly cityName: string }) | null;
  readonly periods: readonly Record<string, unknown>[];
}

export async function historyFor(deps: QueryDeps, { enterpriseId }: HistoryRequest): Promise<Outcome<HistoryAnswer, QueryRefusalCode>> {
  const reader = deps.reader();
  const [enterprise, records] = await Promise.all([reader.enterprise(enterpriseId), reader.historyOf(enterpriseId)]);
  if (!enterprise && records.length === 0)
    return refused('not-found', `登记册和存证记录中都没有企业 ${enterpriseId}`, `no enterprise ${enterpriseId} in the registry or the ledger`);
  const now = deps.now();
  const periods = records.map((record) => {
    const [standing] = enterprise
      ? standingsFor({
          period: record.period,
          registry: [enterprise],
          records: [record],
          rules: deps.rules,
          now,
        })
      : [];
    return {
      period: record.period,
      ...(standing
        ? {
            submission: standing.submission,
            lastDay: standing.lastDay,
            lateBySeconds: standing.lateBySeconds,
            firstPass: standing.firstPass,
          }
        : { obliged: false }),
      attempts: record.attempts.map((a, i) => ({ attempt: i + 1, ...a })),
    };
  });
  const named = enterprise ? { ...enterprise, provinceName: divisionLabel(enterprise.province), cityName: divisionLabel(enterprise.city) } : null;
  return ok({ enterpriseId, enterprise: named, periods });
}
