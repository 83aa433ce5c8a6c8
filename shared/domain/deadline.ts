/**
 * The deposit deadline: a month's deposit is due within N natural days after the end of that
 * month (N = 40 by MEE rule), judged in Asia/Shanghai time. Provinces and cities may set an
 * earlier internal cut-off, an industry may have its own days or per-period deadlines (the 2025
 * back-fill of steel, cement and aluminium, BACKFILL_2025), and a period may be extended
 * (holidays). Time is always passed in.
 *
 * Which rule applies: among the rules whose scope matches, the most specific wins —
 * `city:` > `province:` > `industry:` > a rule without scope (then `days`). A per-period
 * extension that matches beats every `scopes` entry (it is the more specific in time). A rule
 * scoped `industry:x` matches an enterprise that owes industry x for the period (industriesOwed).
 *
 * An enterprise owing several industries in a month (a works with its own power plant) makes one
 * deposit for the month, covering every facility owed, and counts once in the rates: the month's
 * deadline is the earliest of its industries' deadlines. A later one would let the industry with
 * the earlier deadline be deposited after its own deadline unnoticed; the earliest never does.
 */
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import { type Period, PeriodSchema, parsePeriod } from './period.ts';
import { placeCodes, resolveScope, scopeKey } from './provinces.ts';
import { type Enterprise, industriesOwed } from './registry.ts';

export const DEADLINE_TIME_ZONE = 'Asia/Shanghai';

/** `YYYY-MM-DD` naming a real day (no 2026-13-00, no 2026-02-30), in the years a period may have. */
function isCalendarDay(text: string): boolean {
  const match = /^(19\d{2}|[2-9]\d{3})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * `province:<code>` or `city:<code>` (GB/T 2260): `city:360100`, or `industry:<code>`
 * (`industry:cement`). A name is accepted and resolved (`city:南昌` and `city:南昌市` are both
 * `city:360100`, `industry:水泥熟料` is `industry:cement`), so rules written with names before the
 * registry carried codes read as they meant; a name that is no division or industry is refused.
 */
export const ScopeSchema = z
  .string()
  .regex(/^(province|city|industry):[^|]+$/, 'a scope is written province:<code or name>, city:<code or name> or industry:<code or name>')
  .transform((scope, ctx) => {
    const resolved = resolveScope(scope);
    if ('scope' in resolved) return resolved.scope;
    ctx.addIssue({ code: 'custom', message: resolved.message });
    return z.NEVER;
  });

export const DeadlineRulesSchema = z.object({
  /** Natural days after month end (rule: 40). */
  days: z.number().int().min(1).max(366).default(40),
  /** Earlier (or later) cut-offs for a province, city or industry; the most specific scope wins (city > province > industry). */
  scopes: z.array(z.object({ scope: ScopeSchema, days: z.number().int().min(1).max(366) })).default([]),
  /** Per-period overrides: deposits received on or before `lastDay` (Asia/Shanghai) are on time. */
  extensions: z
    .array(
      z.object({
        period: PeriodSchema,
        scope: ScopeSchema.optional(),
        lastDay: z.string().refine(isCalendarDay, 'lastDay is a calendar date written YYYY-MM-DD (years 1900–9999)'),
      }),
    )
    .default([]),
});

export type DeadlineRules = z.infer<typeof DeadlineRulesSchema>;

export const DEFAULT_DEADLINE_RULES: DeadlineRules = DeadlineRulesSchema.parse({});

/** The industries whose January–June 2025 were back-filled (补报), all due 31 October 2025. */
export const BACKFILL_2025_INDUSTRIES = ['cement', 'aluminium', 'steel'] as const;

/**
 * The 2025 back-fill as deadline configuration: 18 extensions, January–June 2025 of cement,
 * aluminium and steel, due 31 October 2025 (Asia/Shanghai). A deployment merges them into its
 * rules (`extensions: [...BACKFILL_2025, ...own]`); they apply to an enterprise registered as
 * owing those months (obligedFrom 2025-01 or earlier for the industry).
 */
export const BACKFILL_2025: DeadlineRules['extensions'] = BACKFILL_2025_INDUSTRIES.flatMap((industry) =>
  ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'].map((period) => ({ period, scope: `industry:${industry}`, lastDay: '2025-10-31' })),
);

/**
 * Where an enterprise is, and (optionally) what it owes: without the registry's obligation fields
 * (an upload from an enterprise the registry does not know) no `industry:` rule applies.
 */
export type EnterpriseScope = {
  readonly province: string;
  readonly city: string;
} & Partial<Pick<Enterprise, 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>>;

export interface Deadline {
  /** The last calendar day (Asia/Shanghai) on which a deposit counts as on time. */
  readonly lastDay: string;
  /** The first instant that is late (00:00 Asia/Shanghai the day after `lastDay`), ISO in UTC. */
  readonly dueAt: string;
}

export interface Timeliness extends Deadline {
  readonly onTime: boolean;
  /** Whole seconds after `dueAt`; 0 when on time. */
  readonly lateBySeconds: number;
}

/**
 * Rules built in code rather than parsed, and enterprises read from old records, may still name
 * their places: both sides are compared as codes. `industry` is the one owed industry judged.
 */
function specificity(scope: string | undefined, place: { province: string; city: string }, industry: string | undefined): number {
  if (scope === undefined) return 1;
  const key = scopeKey(scope);
  if (key === `city:${place.city}`) return 4;
  if (key === `province:${place.province}`) return 3;
  if (industry !== undefined && key === `industry:${industry}`) return 2;
  return 0;
}

function mostSpecific<T extends { scope?: string }>(
  entries: readonly T[],
  place: { province: string; city: string },
  industry: string | undefined,
): T | undefined {
  let best: T | undefined;
  let bestRank = 0;
  for (const entry of entries) {
    const rank = specificity(entry.scope, place, industry);
    if (rank > bestRank) {
      best = entry;
      bestRank = rank;
    }
  }
  return best;
}

function shanghaiDate(year: number, monthIndex: number, day: number): TZDate {
  return new TZDate(year, monthIndex, day, DEADLINE_TIME_ZONE);
}

function isoDay(date: TZDate): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The industries an enterprise owes for the period, as far as the scope given says (none without obligation fields). */
function owedIndustries(period: Period, enterprise: EnterpriseScope): string[] {
  if (enterprise.industries === undefined && (enterprise.industry === undefined || enterprise.obligedFrom === undefined)) return [];
  return industriesOwed(enterprise as Pick<Enterprise, 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>, period);
}

/**
 * The deadline that applies to `enterprise` for `period` under `rules`: for an enterprise owing
 * several industries that period, the earliest of theirs (see the file's comment).
 */
export function deadlineFor(period: Period, enterprise: EnterpriseScope, rules: DeadlineRules): Deadline {
  const place = placeCodes(enterprise);
  const owed = owedIndustries(period, enterprise);
  const candidates = (owed.length === 0 ? [undefined] : owed).map((industry) => deadlineOfIndustry(period, place, industry, rules));
  return candidates.reduce((earliest, d) => (Date.parse(d.dueAt) < Date.parse(earliest.dueAt) ? d : earliest));
}

function deadlineOfIndustry(period: Period, place: { province: string; city: string }, industry: string | undefined, rules: DeadlineRules): Deadline {
  const extension = mostSpecific(
    rules.extensions.filter((e) => e.period === period),
    place,
    industry,
  );
  let firstLateDay: TZDate;
  if (extension) {
    const [y, m, d] = extension.lastDay.split('-').map(Number) as [number, number, number];
    firstLateDay = shanghaiDate(y, m - 1, d + 1);
  } else {
    const days = mostSpecific(rules.scopes, place, industry)?.days ?? rules.days;
    const { year, month } = parsePeriod(period);
    // Day 1 of the next month is natural day 1 after month end, so the first late day is day days+1.
    firstLateDay = shanghaiDate(year, month, 1 + days);
  }
  const lastDay = shanghaiDate(firstLateDay.getFullYear(), firstLateDay.getMonth(), firstLateDay.getDate() - 1);
  return { lastDay: isoDay(lastDay), dueAt: new Date(firstLateDay.getTime()).toISOString() };
}

/** Whether a deposit received at `receivedAt` (the server's time) met its deadline. */
export function timelinessOf(receivedAt: Date, deadline: Deadline): Timeliness {
  const late = receivedAt.getTime() - Date.parse(deadline.dueAt);
  return {
    ...deadline,
    onTime: late < 0,
    lateBySeconds: late < 0 ? 0 : Math.floor(late / 1000),
  };
}

/** The month a report is for cannot be deposited before it has ended (Asia/Shanghai). */
export function periodHasEnded(period: Period, now: Date): boolean {
  const { year, month } = parsePeriod(period);
  return now.getTime() >= shanghaiDate(year, month, 1).getTime();
}
