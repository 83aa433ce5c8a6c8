/**
 * What departments ask the API: summaries over a range of periods, who is late for a period, and
 * one enterprise's history. Requests are validated here (zod) so every entry point (HTTP, CLI)
 * refuses the same bad input with the same words.
 */
import { z } from 'zod';
import type { DynamoSummaries, StoredSummary } from '#adapters/dynamo-summaries.ts';
import type { DynamoPeriodReader } from '#adapters/period-reader.ts';
import type { DeadlineRules } from '#domain/deadline.ts';
import { addMonths, type Period, PeriodSchema, periodRange } from '#domain/period.ts';
import { inScope, lastEndedPeriod, lateList, type Standing, SummaryScopeSchema, standingsFor } from '#domain/rates.ts';
import { EnterpriseIdSchema } from '#domain/registry.ts';

export interface QueryDeps {
  readonly reader: () => DynamoPeriodReader;
  readonly summaries: DynamoSummaries;
  readonly rules: DeadlineRules;
  readonly now: () => Date;
}

/** A request the caller got wrong: answered 400 with the reason, never retried. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new BadRequestError(result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  return result.data;
}

const MAX_PERIODS = 60;

export const SummariesRequestSchema = z.object({
  scope: SummaryScopeSchema.default('all'),
  from: PeriodSchema.optional(),
  to: PeriodSchema.optional(),
});

export async function summariesFor(deps: QueryDeps, query: Record<string, string | undefined>) {
  const request = parse(SummariesRequestSchema, query);
  const to = request.to ?? lastEndedPeriod(deps.now());
  const from = request.from ?? addMonths(to, -12);
  if (from > to) throw new BadRequestError(`from (${from}) is after to (${to})`);
  if (periodRange(from, to).length > MAX_PERIODS) throw new BadRequestError(`at most ${MAX_PERIODS} periods per request`);
  const summaries: StoredSummary[] = await deps.summaries.range(request.scope, from, to);
  return { scope: request.scope, from, to, summaries };
}

export const LateRequestSchema = z.object({
  scope: SummaryScopeSchema.default('all'),
  period: PeriodSchema.optional(),
});

export interface LateAnswer {
  readonly scope: string;
  readonly period: Period;
  readonly asOf: string;
  readonly obliged: number;
  readonly pending: number;
  readonly late: Standing[];
}

/** Computed from the ledger as it is now, not from last night's summary: the chase list must be current. */
export async function lateFor(deps: QueryDeps, query: Record<string, string | undefined>): Promise<LateAnswer> {
  const request = parse(LateRequestSchema, query);
  const now = deps.now();
  const period = request.period ?? lastEndedPeriod(now);
  const reader = deps.reader();
  const province = request.scope.startsWith('province:') ? request.scope.slice('province:'.length) : undefined;
  const [registry, records] = await Promise.all([reader.registry(province ? [province] : undefined), reader.recordsOf(period)]);
  const standings = standingsFor({
    period,
    registry: registry.filter((e) => inScope(e, request.scope)),
    records,
    rules: deps.rules,
    now,
  });
  return {
    scope: request.scope,
    period,
    asOf: now.toISOString(),
    obliged: standings.length,
    pending: standings.filter((s) => s.submission === 'pending').length,
    late: lateList(standings),
  };
}

export async function historyFor(deps: QueryDeps, params: Record<string, string | undefined>) {
  const enterpriseId = parse(EnterpriseIdSchema, params.enterpriseId);
  const reader = deps.reader();
  const [enterprise, records] = await Promise.all([reader.enterprise(enterpriseId), reader.historyOf(enterpriseId)]);
  if (!enterprise && records.length === 0) throw new NotFoundError(`no enterprise ${enterpriseId} in the registry or the ledger`);
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
  return { enterpriseId, enterprise: enterprise ?? null, periods };
}
