/**
 * The two headline rates and the counts behind them, per period and scope. Pure: the registry,
 * the period's enterprise-period records, the problems of their attempts, the deadline rules and
 * the time of computation are all passed in. docs/rates.md states the definitions in prose;
 * this file is their one implementation (nightly job, query API and exports all call it).
 */
import { z } from 'zod';
import { AttemptSummarySchema, EnterprisePeriodSchema } from './attempt.ts';
import { type DeadlineRules, deadlineFor } from './deadline.ts';
import { type Severity, SeveritySchema, type Verdict } from './issues.ts';
import { addMonths, formatPeriod, type Period, periodRange } from './period.ts';
import { divisionLabel, narrowedScope, placeCodes, resolveScope } from './provinces.ts';
import { type Enterprise, industriesOwed, isObliged, type Obligation } from './registry.ts';

/**
 * A reviewer's decision rewrites the summary's verdict and may mark it escalated; the schema
 * keeps `escalated` (the ledger's own schema would strip it).
 */
export const RatedAttemptSchema = AttemptSummarySchema.extend({
  escalated: z.boolean().optional(),
});
export type RatedAttempt = z.infer<typeof RatedAttemptSchema>;
export const RatedRecordSchema = EnterprisePeriodSchema.extend({
  attempts: z.array(RatedAttemptSchema),
});
export type RatedRecord = z.infer<typeof RatedRecordSchema>;

/**
 * `all`, `province:<code>`, `city:<code>` (GB/T 2260: `city:360100`), `industry:<code>`, or a
 * province or city narrowed to one industry (`province:360000|industry:cement`, what a
 * department's `?industry=` asks for). A province, city or industry may be asked for by name
 * (`city:南昌`, `city:南昌市生态环境局`, `industry:水泥熟料`): it parses to its code, so one city is
 * one scope; a name that is no division is refused with 未知的城市 / unknown city, one that is no
 * industry with 未知的行业 / unknown industry.
 */
export const SummaryScopeSchema = z
  .string()
  .regex(
    /^(all|(province|city|industry):[^|]+|(province|city):[^|]+\|industry:[^|]+)$/,
    'a scope is all, province:<code or name>, city:<code or name>, industry:<code or name>, or province:<…>|industry:<…> / city:<…>|industry:<…>',
  )
  .transform((scope, ctx) => {
    const resolved = resolveScope(scope);
    if ('scope' in resolved) return resolved.scope;
    ctx.addIssue({ code: 'custom', message: resolved.message });
    return z.NEVER;
  });
export type SummaryScope = z.infer<typeof SummaryScopeSchema>;

/**
 * What scopes are read from: a registry entry (its obligations), a standing (its industries owed
 * that period, as codes) or a stored record (its one `industry`).
 */
export interface Scoped {
  readonly province: string;
  readonly city: string;
  readonly industry: string;
  readonly industries?: readonly (string | Obligation)[];
}

/**
 * The industries a registry entry, standing or record counts in: a standing's owed industries; an
 * entry's industries owed in `period` (every industry it is registered for, without one); a
 * record's `industry`.
 */
export function industriesIn(entity: Scoped, period?: Period): string[] {
  const listed = entity.industries;
  if (!listed || listed.length === 0) return [entity.industry];
  if (listed.every((i) => typeof i === 'string')) return [...(listed as readonly string[])];
  const obligations = listed.filter((i): i is Obligation => typeof i !== 'string');
  if (period === undefined) return obligations.map((o) => o.industry);
  return industriesOwed(
    { industries: obligations, industry: entity.industry, obligedFrom: obligations[0]?.obligedFrom ?? '', obligedUntil: undefined },
    period,
  );
}

/**
 * The scopes an enterprise (or a standing, or a stored record) counts in: all, its province and
 * city, and each industry it owes (so an enterprise owing two industries counts once in each
 * industry's summary and once in `all`). Names in old records resolve to codes.
 */
export function scopesOf(entity: Scoped, period?: Period): SummaryScope[] {
  const place = placeCodes(entity);
  return ['all', `province:${place.province}`, `city:${place.city}`, ...industriesIn(entity, period).map((i) => `industry:${i}`)];
}

/** Its province and city each narrowed to each industry it owes: `province:360000|industry:cement`, `city:360100|industry:cement`. */
export function narrowedScopesOf(entity: Scoped, period?: Period): SummaryScope[] {
  const place = placeCodes(entity);
  return industriesIn(entity, period).flatMap((i) => [narrowedScope(`province:${place.province}`, i), narrowedScope(`city:${place.city}`, i)]);
}

/** `scope` as SummaryScopeSchema gives it (a code scope); a name scope is resolved first. */
export function inScope(entity: Scoped, scope: SummaryScope, period?: Period): boolean {
  const resolved = resolveScope(scope);
  const key = 'scope' in resolved ? resolved.scope : scope;
  return scopesOf(entity, period).includes(key) || narrowedScopesOf(entity, period).includes(key);
}

/** One problem an attempt was found to have (the parts the counts need). */
export interface ProblemRef {
  readonly code: string;
  readonly severity: Severity;
}

/** Where one obliged enterprise stands for a period. */
export type Submission =
  /** First deposit received before the deadline. */
  | 'on-time'
  /** First deposit received at or after the deadline. */
  | 'late'
  /** Nothing received and the deadline has passed. */
  | 'missing'
  /** Nothing received and the deadline has not passed yet. */
  | 'pending';

/**
 * The outcome of the first attempt, as far as it is known. `withdrawn`: it awaited a reviewer and
 * the enterprise superseded it with a new deposit before any reviewer decided it — a final outcome,
 * not passed (otherwise a re-deposit before the reviewer looks would escape a return).
 */
export type FirstPass = 'accepted' | 'returned' | 'withdrawn' | 'awaiting-review' | 'none';

export interface Standing {
  readonly enterpriseId: string;
  readonly name: string;
  /** GB/T 2260 codes (as written, for an old record whose names name no division). */
  readonly province: string;
  readonly city: string;
  /** Standard names, for people. */
  readonly provinceName: string;
  readonly cityName: string;
  /** The registry entry's first industry (its envelope, see registry.ts). */
  readonly industry: string;
  /** The industries it owes for the period (codes, registry order): the industry scopes it counts in. */
  readonly industries: readonly string[];
  readonly period: Period;
  readonly lastDay: string;
  readonly dueAt: string;
  readonly submission: Submission;
  /** Receipt time of the first deposit, if any. */
  readonly firstReceivedAt?: string;
  /** Late: first receipt − deadline. Missing: time of computation − deadline. Else 0. */
  readonly lateBySeconds: number;
  readonly firstPass: FirstPass;
  readonly attempts: number;
  readonly latestVerdict?: Verdict;
}

export interface ProblemCount {
  readonly code: string;
  readonly severity: Severity;
  readonly count: number;
}

export interface PeriodSummary {
  readonly scope: SummaryScope;
  readonly period: Period;
  /** Enterprises the registry obliges to deposit for this period (both rates' population). */
  readonly obliged: number;
  readonly onTime: number;
  readonly late: number;
  readonly missing: number;
  readonly pending: number;
  /** onTime ÷ (onTime + late + missing); null while that is 0. */
  readonly onTimeRate: number | null;
  readonly firstPassAccepted: number;
  readonly returned: number;
  /** First attempts superseded by a new deposit before a reviewer decided them: not passed. */
  readonly withdrawn: number;
  readonly awaitingReview: number;
  /** firstPassAccepted ÷ (firstPassAccepted + returned + withdrawn); null while that is 0. */
  readonly firstPassRate: number | null;
  /** Obliged enterprises with more than one attempt this period. */
  readonly resubmitted: number;
  /** Attempts received from obliged enterprises this period. */
  readonly attempts: number;
  /** Attempts a reviewer escalated (by the instant of computation). */
  readonly escalated: number;
  readonly problems: {
    readonly total: number;
    readonly bySeverity: Record<Severity, number>;
    readonly byCode: readonly ProblemCount[];
  };
  /** Deposits from enterprises the registry does not oblige for this period: in neither rate. */
  readonly unobligedDeposits: number;
}

export interface PeriodInputs {
  readonly period: Period;
  readonly registry: readonly Enterprise[];
  /** The period's enterprise-period records (any enterprise; unobliged ones are counted apart). */
  readonly records: readonly RatedRecord[];
  /** Problems per attemptId; an attempt absent here had none recorded. */
  readonly problems: ReadonlyMap<string, readonly ProblemRef[]>;
  readonly rules: DeadlineRules;
  /** The instant of computation: what was received or decided after it does not exist yet. */
  readonly now: Date;
}

/** The machine's verdict: kept apart once a reviewer's decision rewrote `verdict`, else `verdict` itself. */
export function machineVerdictOf(attempt: Pick<RatedAttempt, 'verdict' | 'machineVerdict'>): Verdict {
  return attempt.machineVerdict ?? attempt.verdict;
}

const after = (iso: string | undefined, instant: number) => iso !== undefined && Date.parse(iso) > instant;

/** The attempt as it stood at `instant`: a decision or an escalation taken later is not made yet. */
function attemptAsOf(attempt: RatedAttempt, instant: number): RatedAttempt {
  const decidedLater = after(attempt.decidedAt, instant);
  const escalatedLater = after(attempt.escalatedAt, instant);
  if (!decidedLater && !escalatedLater) return attempt;
  const { decidedAt, machineVerdict, escalated, escalatedAt, ...rest } = attempt;
  return {
    ...rest,
    verdict: decidedLater ? machineVerdictOf(attempt) : attempt.verdict,
    ...(decidedLater ? {} : { decidedAt, machineVerdict }),
    ...(escalatedLater ? {} : { escalated, escalatedAt }),
  };
}

/**
 * The record as it stood at `now`: only attempts received by then, each as decided by then. So a
 * replayed or back-dated computation gives what a computation at that instant gave.
 */
export function recordAsOf<R extends RatedRecord>(record: R, now: Date): R {
  const instant = now.getTime();
  return {
    ...record,
    attempts: record.attempts.filter((a) => !after(a.receivedAt, instant)).map((a) => attemptAsOf(a, instant)),
  };
}

/** `attempts` as they stood at the instant of computation (see recordAsOf). */
function firstPassOf(attempts: readonly RatedAttempt[]): FirstPass {
  const [first, superseding] = attempts;
  if (!first) return 'none';
  // Reviewers may not decide a superseded attempt; one decided at or after the re-deposit anyway
  // (a race, or an old record) does not undo the withdrawal.
  const decidedBeforeSuperseded =
    first.decidedAt !== undefined && superseding !== undefined && Date.parse(first.decidedAt) < Date.parse(superseding.receivedAt);
  if (superseding && machineVerdictOf(first) === 'needs-review' && !decidedBeforeSuperseded) return 'withdrawn';
  return first.verdict === 'needs-review' ? 'awaiting-review' : first.verdict;
}

/** Each obliged enterprise's standing for the period as of `now`, registry order. */
export function standingsFor(inputs: Omit<PeriodInputs, 'problems'>): Standing[] {
  return standingsOfRecordsAsOf({ ...inputs, records: inputs.records.map((r) => recordAsOf(r, inputs.now)) });
}

/** standingsFor, with `inputs.records` already as of `inputs.now`. */
function standingsOfRecordsAsOf(inputs: Omit<PeriodInputs, 'problems'>): Standing[] {
  const records = new Map(inputs.records.map((r) => [r.enterpriseId, r]));
  const now = inputs.now.getTime();
  return inputs.registry
    .filter((e) => isObliged(e, inputs.period))
    .map((enterprise): Standing => {
      // The deadline under today's rules, so a holiday extension granted later applies.
      const deadline = deadlineFor(inputs.period, enterprise, inputs.rules);
      const due = Date.parse(deadline.dueAt);
      const attempts = records.get(enterprise.enterpriseId)?.attempts ?? [];
      const first = attempts[0];
      const latest = attempts.at(-1);
      let submission: Submission;
      let lateBy = 0;
      if (first) {
        const received = Date.parse(first.receivedAt);
        submission = received < due ? 'on-time' : 'late';
        lateBy = received < due ? 0 : Math.floor((received - due) / 1000);
      } else {
        submission = now >= due ? 'missing' : 'pending';
        lateBy = now >= due ? Math.floor((now - due) / 1000) : 0;
      }
      const place = placeCodes(enterprise);
      return {
        enterpriseId: enterprise.enterpriseId,
        name: enterprise.name,
        province: place.province,
        city: place.city,
        provinceName: divisionLabel(place.province),
        cityName: divisionLabel(place.city),
        industry: enterprise.industry,
        industries: industriesOwed(enterprise, inputs.period),
        period: inputs.period,
        lastDay: deadline.lastDay,
        dueAt: deadline.dueAt,
        submission,
        ...(first ? { firstReceivedAt: first.receivedAt } : {}),
        lateBySeconds: lateBy,
        firstPass: firstPassOf(attempts),
        attempts: attempts.length,
        ...(latest ? { latestVerdict: latest.verdict } : {}),
      };
    });
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

const SEVERITY_ORDER: Record<Severity, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

/** `inputs.records` already as of `inputs.now`. */
function summarise(scope: SummaryScope, inputs: PeriodInputs, standings: readonly Standing[], unobligedDeposits: number): PeriodSummary {
  const count = (predicate: (s: Standing) => boolean) => standings.filter(predicate).length;
  const onTime = count((s) => s.submission === 'on-time');
  const late = count((s) => s.submission === 'late');
  const missing = count((s) => s.submission === 'missing');
  const firstPassAccepted = count((s) => s.firstPass === 'accepted');
  const returned = count((s) => s.firstPass === 'returned');
  const withdrawn = count((s) => s.firstPass === 'withdrawn');
  const ids = new Set(standings.map((s) => s.enterpriseId));
  const attempts = inputs.records.filter((r) => ids.has(r.enterpriseId)).flatMap((r) => r.attempts);
  const byCode = new Map<string, { code: string; severity: Severity; count: number }>();
  const bySeverity: Record<Severity, number> = {
    error: 0,
    warning: 0,
    info: 0,
  };
  for (const attempt of attempts) {
    for (const problem of inputs.problems.get(attempt.attemptId) ?? []) {
      bySeverity[problem.severity]++;
      const key = `${problem.severity}\u0000${problem.code}`;
      const entry = byCode.get(key) ?? {
        code: problem.code,
        severity: problem.severity,
        count: 0,
      };
      entry.count++;
      byCode.set(key, entry);
    }
  }
  return {
    scope,
    period: inputs.period,
    obliged: standings.length,
    onTime,
    late,
    missing,
    pending: count((s) => s.submission === 'pending'),
    onTimeRate: ratio(onTime, onTime + late + missing),
    firstPassAccepted,
    returned,
    withdrawn,
    awaitingReview: count((s) => s.firstPass === 'awaiting-review'),
    firstPassRate: ratio(firstPassAccepted, firstPassAccepted + returned + withdrawn),
    resubmitted: count((s) => s.attempts > 1),
    attempts: attempts.length,
    escalated: attempts.filter((a) => a.escalated === true).length,
    problems: {
      total: bySeverity.error + bySeverity.warning + bySeverity.info,
      bySeverity,
      byCode: [...byCode.values()].sort((a, b) => b.count - a.count || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code)),
    },
    unobligedDeposits,
  };
}

export interface PeriodResult {
  readonly summaries: PeriodSummary[];
  readonly standings: Standing[];
  /**
   * Each province and city narrowed to each industry owed in it (`city:360100|industry:cement`):
   * stored for the department's industry selector, but not exported (the standings carry each
   * enterprise's industries). Absent in a result built by hand.
   */
  readonly narrowed?: PeriodSummary[];
}

/**
 * Every scope's summary for one period: `all`, then each province, city and industry that has
 * an enterprise obliged for the period, in name order; and apart (`narrowed`), each province and
 * city narrowed to each industry owed in it.
 */
export function summarisePeriod(given: PeriodInputs): PeriodResult {
  const inputs = { ...given, records: given.records.map((r) => recordAsOf(r, given.now)) };
  const standings = standingsOfRecordsAsOf(inputs);
  const obliged = new Set(standings.map((s) => s.enterpriseId));
  const byId = new Map(inputs.registry.map((e) => [e.enterpriseId, e]));
  const unobliged = inputs.records.filter((r) => r.attempts.length > 0 && !obliged.has(r.enterpriseId));
  // Each standing's scopes are worked out once: resolving names per scope per standing would
  // cost scopes × enterprises look-ups.
  const members = new Map<SummaryScope, Standing[]>();
  const narrowedMembers = new Map<SummaryScope, Standing[]>();
  const add = (map: Map<SummaryScope, Standing[]>, scope: SummaryScope, standing: Standing) => {
    const list = map.get(scope) ?? [];
    list.push(standing);
    map.set(scope, list);
  };
  for (const standing of standings) {
    for (const scope of scopesOf(standing)) add(members, scope, standing);
    for (const scope of narrowedScopesOf(standing)) add(narrowedMembers, scope, standing);
  }
  const unobligedIn = new Map<SummaryScope, number>();
  // An unobliged deposit counts in the scopes its registry entry (if any) or its record names:
  // an entry's every industry (it owes none this period), a record's one.
  for (const record of unobliged) {
    const entity = byId.get(record.enterpriseId) ?? record;
    for (const scope of [...scopesOf(entity), ...narrowedScopesOf(entity)]) unobligedIn.set(scope, (unobligedIn.get(scope) ?? 0) + 1);
  }
  const ordered = (map: Map<SummaryScope, Standing[]>) => [...map.keys()].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b)));
  const summaries = ordered(members).map((scope) => summarise(scope, inputs, members.get(scope) ?? [], unobligedIn.get(scope) ?? 0));
  const narrowed = ordered(narrowedMembers).map((scope) => summarise(scope, inputs, narrowedMembers.get(scope) ?? [], unobligedIn.get(scope) ?? 0));
  return { summaries, standings, narrowed };
}

/** The late and missing enterprises, the longest overdue first. */
export function lateList(standings: readonly Standing[]): Standing[] {
  return standings
    .filter((s) => s.submission === 'late' || s.submission === 'missing')
    .sort((a, b) => b.lateBySeconds - a.lateBySeconds || a.enterpriseId.localeCompare(b.enterpriseId));
}

export const ProblemRefSchema = z.object({
  code: z.string(),
  severity: SeveritySchema,
});

/** The month that ended most recently at `now`, in Asia/Shanghai (the first that can be deposited). */
export function lastEndedPeriod(now: Date): Period {
  // Asia/Shanghai has no daylight saving: UTC+8 all year.
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  return formatPeriod(shanghai.getUTCFullYear(), shanghai.getUTCMonth());
}

/** The `count` periods whose deposits may still move at `now`, oldest first. */
export function periodsToSummarise(now: Date, count: number): Period[] {
  const last = lastEndedPeriod(now);
  return periodRange(addMonths(last, -(count - 1)), last);
}
