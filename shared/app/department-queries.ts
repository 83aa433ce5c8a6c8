/**
 * What departments (and reviewers, enterprises) ask the API: who the caller is, summaries over a
 * range of periods, who is late for a period, the city league, the nightly export files, and one
 * enterprise's history. The request schemas live here so every entry point (HTTP, CLI) reads the
 * same fields the same way; the HTTP boundary parses with them, the use cases take what they
 * parsed and answer an outcome.
 *
 * Each route's use case takes the caller and asks shared/domain/access.ts what it may reach (its
 * jurisdiction's scopes, an enterprise's place); nothing here decides access on its own. The
 * caller-free cores (summariesFor, lateFor) stay for the CLI, whose reach IAM decides.
 */
import { z } from 'zod';
import { type Place, readRuling, scopeRuling } from '#domain/access.ts';
import type { DeadlineRules } from '#domain/deadline.ts';
import type { Jurisdiction, Principal } from '#domain/identity.ts';
import type { Issue } from '#domain/issues.ts';
import { DEFAULT_TREND_MONTHS, type League, leagueCities, leagueOf, MAX_TREND_MONTHS, trendPeriods } from '#domain/league.ts';
import { addMonths, type Period, PeriodSchema, periodRange } from '#domain/period.ts';
import { divisionLabel, industryCodeOf, legacyScopesOf, narrowedScope, placeCodes, provinceOfCity, SCOPE_JOIN, scopeKey } from '#domain/provinces.ts';
import { INDUSTRIES } from '#domain/industries/index.ts';
import { inScope, lastEndedPeriod, lateList, type RatedRecord, type Standing, SummaryScopeSchema, standingsFor } from '#domain/rates.ts';
import { type Enterprise, EnterpriseIdSchema } from '#domain/registry.ts';
import { scopeExportFolder } from '#domain/scope-exports.ts';
import { API_ROUTES, routeKeyOf } from '#resources/api-routes.ts';
import { EXPORTS_PREFIX } from '#resources/exports.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { AttemptReader, DepartmentReader, ExportLink, ExportLinks, StoredSummary, SummaryRange } from './ports.ts';

export interface QueryDeps {
  /** A reader per request: a reader counts what it reads, and requests overlap on the twin. */
  readonly reader: () => DepartmentReader;
  readonly summaries: SummaryRange;
  readonly rules: DeadlineRules;
  readonly now: () => Date;
}

/** What the caller-aware routes need beyond the department queries' reads. */
export interface CallerQueryDeps extends QueryDeps {
  /** The latest attempt of each period, for its issues. */
  readonly attempts: AttemptReader;
  readonly exports: ExportLinks;
}

/**
 * Refused: a request that parses but asks for what the API does not answer (400, never retried),
 * what is not there (404), or what lies outside the caller's reach (403).
 */
export type QueryRefusalCode = 'bad-request' | 'not-found' | 'forbidden';

/** How long a presigned link the API hands out stays valid: long enough to click, short enough not to be passed around. */
export const LINK_SECONDS = 15 * 60;

/** What a caller is answered with when its scope lies outside its reach. */
type ScopeReach =
  | { readonly ok: true; readonly scope: string }
  | { readonly ok: false; readonly refusal: { code: 'forbidden'; message: { zh: string; en: string } } };

function reachOf(caller: Principal, requested: string | undefined): ScopeReach {
  const ruling = scopeRuling(caller, requested);
  return ruling.ok ? ruling : { ok: false, refusal: { code: ruling.code, message: ruling.message } };
}

// ── GET /me ────────────────────────────────────────────────────────────────────────────────

export interface JurisdictionAnswer {
  readonly kind: Jurisdiction['kind'];
  readonly code: string;
  readonly name: string;
  /** A city's province, and its name. */
  readonly province?: string;
  readonly provinceName?: string;
}

export interface MeAnswer {
  readonly role: Principal['role'];
  readonly subject: string;
  readonly name: string;
  readonly enterpriseId?: string;
  readonly level?: string;
  readonly jurisdiction?: JurisdictionAnswer;
  /** The route keys (API_ROUTES) this role may call: what a client shows and hides. */
  readonly routes: readonly string[];
}

function jurisdictionAnswer(jurisdiction: Jurisdiction): JurisdictionAnswer {
  const named = { kind: jurisdiction.kind, code: jurisdiction.code, name: divisionLabel(jurisdiction.code) };
  return jurisdiction.kind === 'city' ? { ...named, province: jurisdiction.province, provinceName: divisionLabel(jurisdiction.province) } : named;
}

/** Who the token says the caller is, and what its role may call. */
export function meFor(caller: Principal): MeAnswer {
  const routes = API_ROUTES.filter((r) => (caller.role === 'machine' ? r.iam !== undefined : r.people.includes(caller.role))).map(routeKeyOf);
  const base = { role: caller.role, subject: caller.subject, name: caller.name, routes };
  switch (caller.role) {
    case 'enterprise':
      return { ...base, enterpriseId: caller.enterpriseId };
    case 'reviewer':
      return { ...base, level: caller.level, jurisdiction: jurisdictionAnswer(caller.jurisdiction) };
    case 'department':
      return { ...base, jurisdiction: jurisdictionAnswer(caller.jurisdiction) };
    default:
      return base;
  }
}

const MAX_PERIODS = 60;

/**
 * `?industry=cement` (or 水泥熟料, 水泥): narrows the scope asked for (or the caller's
 * jurisdiction) to one industry; an industry no catalogue has is refused (400).
 */
export const IndustryParamSchema = z
  .string()
  .trim()
  .min(1)
  .transform((written, ctx) => {
    const code = industryCodeOf(written);
    if (code) return code;
    ctx.addIssue({ code: 'custom', message: `未知的行业 / unknown industry: ${written} (${INDUSTRIES.map((i) => `${i.code} ${i.zh}`).join(', ')})` });
    return z.NEVER;
  });

/** The answer's `industry` field: the one asked for, none when none was (answers stay as they were). */
const industryField = (industry: string | undefined): { readonly industry?: string } => (industry === undefined ? {} : { industry });

/**
 * The scope narrowed to `industry`: `all` → `industry:cement`, a province or city →
 * `province:360000|industry:cement`; a scope of another industry cannot be narrowed to this one.
 */
function withIndustry(scope: string, industry: string | undefined): { readonly scope: string } | { readonly zh: string; readonly en: string } {
  if (industry === undefined) return { scope };
  if (scope === 'all') return { scope: `industry:${industry}` };
  const own = scope.split(SCOPE_JOIN).find((part) => part.startsWith('industry:'));
  if (own !== undefined)
    return own === `industry:${industry}` ? { scope } : { zh: `范围 ${scope} 与行业 ${industry} 不符`, en: `scope ${scope} is not of industry ${industry}` };
  return { scope: narrowedScope(scope, industry) };
}

/** `scope` absent: the caller's jurisdiction's (over HTTP), everything (the CLI's core). */
export const SummariesRequestSchema = z.object({
  scope: SummaryScopeSchema.optional(),
  from: PeriodSchema.optional(),
  to: PeriodSchema.optional(),
  /** One industry's summaries of the scope (`?industry=cement`); absent: every industry's. */
  industry: IndustryParamSchema.optional(),
});
export type SummariesRequest = z.infer<typeof SummariesRequestSchema>;

export interface SummariesAnswer {
  /** The scope answered, narrowed to the industry asked for (`province:360000|industry:cement`). */
  readonly scope: string;
  /** The industry asked for; absent when none was. */
  readonly industry?: string;
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
  const narrowed = withIndustry(scopeKey(request.scope ?? 'all'), request.industry);
  if (!('scope' in narrowed)) return refused('bad-request', narrowed.zh, narrowed.en);
  const { scope } = narrowed;
  return ok({ scope, ...industryField(request.industry), from, to, summaries: await storedRange(deps.summaries, scope, from, to) });
}

/**
 * A scope's stored summaries, oldest first. Summaries stored before scopes were codes sit under
 * the place's names: a period without a summary under the code is answered from them,
 * relabelled, until the nightly rewrites it.
 */
async function storedRange(store: SummaryRange, scope: string, from: Period, to: Period): Promise<StoredSummary[]> {
  const [current, ...legacy] = await Promise.all([scope, ...legacyScopesOf(scope)].map((s) => store.range(s, from, to)));
  const byPeriod = new Map((current ?? []).map((s) => [s.period, s]));
  for (const old of legacy.flat()) if (!byPeriod.has(old.period)) byPeriod.set(old.period, { ...old, scope });
  return [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period));
}

/** GET /summaries: the caller's jurisdiction's scope, or one within it (403 outside). */
export async function summariesForCaller(deps: QueryDeps, caller: Principal, request: SummariesRequest): Promise<Outcome<SummariesAnswer, QueryRefusalCode>> {
  const reach = reachOf(caller, request.scope);
  return reach.ok ? summariesFor(deps, { ...request, scope: reach.scope }) : reach;
}

export const LateRequestSchema = z.object({
  scope: SummaryScopeSchema.optional(),
  period: PeriodSchema.optional(),
  /** Only the enterprises owing this industry for the period (`?industry=cement`). */
  industry: IndustryParamSchema.optional(),
});
/** As parsed by LateRequestSchema, or as the CLI, which checked its scope, asks. */
export interface LateRequest {
  readonly scope?: string;
  readonly period?: Period;
  readonly industry?: string;
}

export interface LateAnswer {
  /** The scope answered, narrowed to the industry asked for. */
  readonly scope: string;
  /** The industry asked for; absent when none was. */
  readonly industry?: string;
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
  const given = scopeKey(request.scope ?? 'all');
  const narrowed = withIndustry(given, request.industry);
  // A scope of another industry than the one asked for holds nobody.
  const scope = 'scope' in narrowed ? narrowed.scope : given;
  const now = deps.now();
  const period = request.period ?? lastEndedPeriod(now);
  const reader = deps.reader();
  const province = /^province:([^|]+)/.exec(scope)?.[1];
  const [registry, records] = await Promise.all([reader.registry(province ? [province] : undefined), reader.recordsOf(period)]);
  // The place first (any industry), then the standings by the industries they owe this period.
  const standings = standingsFor({
    period,
    registry: registry.filter((e) => inScope(e, scope.split(SCOPE_JOIN)[0] as string)),
    records,
    rules: deps.rules,
    now,
  }).filter((s) => 'scope' in narrowed && inScope(s, scope));
  return {
    scope,
    ...industryField(request.industry),
    period,
    asOf: now.toISOString(),
    obliged: standings.length,
    pending: standings.filter((s) => s.submission === 'pending').length,
    late: lateList(standings),
  };
}

/** GET /late: as lateFor, for the caller's jurisdiction's scope or one within it (403 outside). */
export async function lateForCaller(deps: QueryDeps, caller: Principal, request: LateRequest): Promise<Outcome<LateAnswer, QueryRefusalCode>> {
  const reach = reachOf(caller, request.scope);
  return reach.ok ? ok(await lateFor(deps, { ...request, scope: reach.scope })) : reach;
}

// ── GET /league ────────────────────────────────────────────────────────────────────────────

export const LeagueRequestSchema = z.object({
  period: PeriodSchema.optional(),
  months: z.coerce.number().int().min(1).max(MAX_TREND_MONTHS).default(DEFAULT_TREND_MONTHS),
  /** A province or city within the caller's jurisdiction; absent: the jurisdiction. */
  scope: SummaryScopeSchema.optional(),
  /** The cities ranked on one industry's figures (`?industry=cement`); absent: every industry's. */
  industry: IndustryParamSchema.optional(),
});
export type LeagueRequest = z.infer<typeof LeagueRequestSchema>;

/** `industry`: the one whose figures rank the cities; absent when none was asked for. */
export type LeagueAnswer = League & { readonly scope: string; readonly industry?: string };

/**
 * The cities of the caller's jurisdiction (or of a province or city within it) ranked for the
 * period, from the nightly summaries: one Query per city, over the trend's periods.
 */
export async function leagueFor(deps: QueryDeps, caller: Principal, request: LeagueRequest): Promise<Outcome<LeagueAnswer, QueryRefusalCode>> {
  const reach = reachOf(caller, request.scope);
  if (!reach.ok) return reach;
  const match = /^(province|city):(\d{6})$/.exec(reach.scope);
  if (!match)
    return refused('bad-request', `城市排名只按省或市给出（不是 ${reach.scope}）`, `a league is of a province's or a city's cities, not of ${reach.scope}`);
  const code = match[2] as string;
  const cities = leagueCities(match[1] === 'province' ? { kind: 'province', code } : { kind: 'city', code, province: provinceOfCity(code) });
  const period = request.period ?? lastEndedPeriod(deps.now());
  const periods = trendPeriods(period, request.months);
  const first = periods[0] ?? period;
  // One industry's league reads each city's summaries narrowed to it (stored by the nightly job).
  const stored = await Promise.all(
    cities.map(async (city) => [city, await storedRange(deps.summaries, narrowedScope(`city:${city}`, request.industry), first, period)] as const),
  );
  return ok({ scope: reach.scope, ...industryField(request.industry), ...leagueOf(period, request.months, cities, new Map(stored)) });
}

// ── GET /exports ───────────────────────────────────────────────────────────────────────────

export const ExportsRequestSchema = z.object({
  period: PeriodSchema.optional(),
  scope: SummaryScopeSchema.optional(),
});
export type ExportsRequest = z.infer<typeof ExportsRequestSchema>;

export interface ExportsAnswer {
  readonly scope: string;
  readonly period: Period;
  /** When the links stop working. */
  readonly expiresAt: string;
  /** Empty until the nightly job has exported the period for the scope. */
  readonly files: readonly (ExportLink & { readonly fileName: string })[];
}

/**
 * Presigned GET links to the nightly export files of a province or city within the caller's
 * jurisdiction (its own folder, so the files hold nothing outside it; see scope-exports.ts).
 */
export async function exportsFor(deps: CallerQueryDeps, caller: Principal, request: ExportsRequest): Promise<Outcome<ExportsAnswer, QueryRefusalCode>> {
  const reach = reachOf(caller, request.scope);
  if (!reach.ok) return reach;
  if (!/^(province|city):\d{6}$/.test(reach.scope))
    return refused('bad-request', `导出文件只按省或市提供（不是 ${reach.scope}）`, `export files are kept per province and per city, not for ${reach.scope}`);
  const now = deps.now();
  const period = request.period ?? lastEndedPeriod(now);
  const folder = scopeExportFolder(EXPORTS_PREFIX, period, reach.scope);
  const links = await deps.exports.linksUnder(folder, LINK_SECONDS);
  return ok({
    scope: reach.scope,
    period,
    expiresAt: new Date(now.getTime() + LINK_SECONDS * 1000).toISOString(),
    files: links.map((link) => ({ fileName: link.key.slice(folder.length), ...link })),
  });
}

// ── GET /enterprises/{enterpriseId}/history ────────────────────────────────────────────────

export const HistoryRequestSchema = z.object({ enterpriseId: EnterpriseIdSchema });
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;

/** The latest attempt of a period, with its issues: what the enterprise has to correct. */
export interface LatestAttempt {
  readonly attemptId: string;
  readonly verdict: string;
  readonly stats: { readonly errors: number; readonly warnings: number; readonly infos: number };
  readonly issues: readonly Issue[];
  /** False when the ledger item was cut to fit (its full list is in the attempt's detail object). */
  readonly issuesComplete: boolean;
}

export interface HistoryPeriod {
  readonly period: string;
  readonly submission?: string;
  readonly lastDay?: string;
  /** The instant the deadline passes (the end of lastDay in Asia/Shanghai), for counting days left or late. */
  readonly dueAt?: string;
  readonly lateBySeconds?: number;
  readonly firstPass?: string;
  /** The industries owed that month (the industry scopes its standing counts in). */
  readonly industries?: readonly string[];
  readonly obliged?: false;
  /** Oldest first, numbered from 1, each with its verdict and its error and warning counts. */
  readonly attempts: readonly Record<string, unknown>[];
  readonly latest: LatestAttempt | null;
}

export interface HistoryAnswer {
  readonly enterpriseId: string;
  /** The registry entry, its division codes named for people. */
  readonly enterprise: (Enterprise & { readonly provinceName: string; readonly cityName: string }) | null;
  readonly periods: readonly HistoryPeriod[];
}

/** At most this many owed months without a record are listed (five years): the answer stays small. */
export const MAX_OWED_MONTHS = 60;

/**
 * The ledger's records, plus a record without attempts for every month the registry says the
 * enterprise owes (from obligedFrom to the last ended month, Asia/Shanghai) that has none yet:
 * a month never deposited is what an enterprise most needs to see, and the ledger holds nothing
 * for it. Oldest first.
 */
function withOwedMonths(records: readonly RatedRecord[], enterprise: Enterprise | undefined, now: Date): RatedRecord[] {
  if (!enterprise) return [...records];
  const last = lastEndedPeriod(now);
  const to = enterprise.obligedUntil && enterprise.obligedUntil < last ? enterprise.obligedUntil : last;
  const owed = enterprise.obligedFrom <= to ? periodRange(enterprise.obligedFrom, to).slice(-MAX_OWED_MONTHS) : [];
  const held = new Set(records.map((r) => r.period));
  const place = placeCodes(enterprise);
  const empty = owed
    .filter((period) => !held.has(period))
    .map((period): RatedRecord => ({ enterpriseId: enterprise.enterpriseId, period, ...place, industry: enterprise.industry, version: 0, attempts: [] }));
  return [...records, ...empty].sort((a, b) => a.period.localeCompare(b.period));
}

/**
 * One enterprise's periods and attempts — every month it owes, deposited or not — for the
 * enterprise itself or a reader whose jurisdiction holds it (the place the registry gives, else the ledger's records). An enterprise asking for
 * another's is refused before anything is read.
 */
export async function historyFor(
  deps: CallerQueryDeps,
  caller: Principal,
  { enterpriseId }: HistoryRequest,
): Promise<Outcome<HistoryAnswer, QueryRefusalCode>> {
  if (caller.role === 'enterprise') {
    const own = readRuling(caller, { enterpriseId, province: '', city: '' });
    if (!own.ok) return { ok: false, refusal: { code: own.code, message: own.message } };
  }
  const reader = deps.reader();
  const [enterprise, recorded] = await Promise.all([reader.enterprise(enterpriseId), reader.historyOf(enterpriseId)]);
  if (!enterprise && recorded.length === 0)
    return refused('not-found', `登记册和存证记录中都没有企业 ${enterpriseId}`, `no enterprise ${enterpriseId} in the registry or the ledger`);
  const where = enterprise ?? (recorded.at(-1) as (typeof recorded)[number]);
  const place: Place = { enterpriseId, ...placeCodes(where) };
  const ruling = readRuling(caller, place);
  if (!ruling.ok) return { ok: false, refusal: { code: ruling.code, message: ruling.message } };
  const now = deps.now();
  const records = withOwedMonths(recorded, enterprise, now);
  const latest = await Promise.all(
    records.map(async (record) => {
      const last = record.attempts.at(-1);
      return last ? deps.attempts.getAttempt(enterpriseId, record.period, last.attemptId) : undefined;
    }),
  );
  const periods = records.map((record, i): HistoryPeriod => {
    const [standing] = enterprise
      ? standingsFor({
          period: record.period,
          registry: [enterprise],
          records: [record],
          rules: deps.rules,
          now,
        })
      : [];
    const attempt = latest[i];
    return {
      period: record.period,
      ...(standing
        ? {
            submission: standing.submission,
            lastDay: standing.lastDay,
            dueAt: standing.dueAt,
            lateBySeconds: standing.lateBySeconds,
            firstPass: standing.firstPass,
            industries: standing.industries,
          }
        : { obliged: false as const }),
      attempts: record.attempts.map((a, n) => ({ attempt: n + 1, ...a })),
      latest: attempt
        ? {
            attemptId: attempt.attemptId,
            verdict: attempt.verdict,
            stats: attempt.validation.stats,
            issues: attempt.validation.issues,
            issuesComplete: attempt.detailKey === undefined,
          }
        : null,
    };
  });
  const named = enterprise ? { ...enterprise, provinceName: divisionLabel(enterprise.province), cityName: divisionLabel(enterprise.city) } : null;
  return ok({ enterpriseId, enterprise: named, periods });
}
