/**
 * The deposit deadline: a month's deposit is due within N natural days after the end of that
 * month (N = 40 by MEE rule), judged in Asia/Shanghai time. Provinces and cities may set an
 * earlier internal cut-off, and a period may be extended (holidays). Time is always passed in.
 */
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import { type Period, PeriodSchema, parsePeriod } from './period.ts';
import { placeCodes, resolveScope, scopeKey } from './provinces.ts';

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
 * `province:<code>` or `city:<code>` (GB/T 2260): `city:360100`. A name is accepted and resolved
 * (`city:南昌` and `city:南昌市` are both `city:360100`), so rules written with names before the
 * registry carried codes read as they meant; a name that is no division is refused.
 */
export const ScopeSchema = z
  .string()
  .regex(/^(province|city):.+$/, 'a scope is written province:<code or name> or city:<code or name>')
  .transform((scope, ctx) => {
    const resolved = resolveScope(scope);
    if ('scope' in resolved) return resolved.scope;
    ctx.addIssue({ code: 'custom', message: resolved.message });
    return z.NEVER;
  });

export const DeadlineRulesSchema = z.object({
  /** Natural days after month end (rule: 40). */
  days: z.number().int().min(1).max(366).default(40),
  /** Earlier (or later) cut-offs for a province or city; the most specific scope wins. */
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

export interface EnterpriseScope {
  readonly province: string;
  readonly city: string;
}

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
 * their places: both sides are compared as codes.
 */
function specificity(scope: string | undefined, enterprise: EnterpriseScope): number {
  if (scope === undefined) return 1;
  const key = scopeKey(scope);
  const place = placeCodes(enterprise);
  if (key === `city:${place.city}`) return 3;
  if (key === `province:${place.province}`) return 2;
  return 0;
}

function mostSpecific<T extends { scope?: string }>(entries: readonly T[], enterprise: EnterpriseScope): T | undefined {
  let best: T | undefined;
  let bestRank = 0;
  for (const entry of entries) {
    const rank = specificity(entry.scope, enterprise);
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

/** The deadline that applies to `enterprise` for `period` under `rules`. */
export function deadlineFor(period: Period, enterprise: EnterpriseScope, rules: DeadlineRules): Deadline {
  const extension = mostSpecific(
    rules.extensions.filter((e) => e.period === period),
    enterprise,
  );
  let firstLateDay: TZDate;
  if (extension) {
    const [y, m, d] = extension.lastDay.split('-').map(Number) as [number, number, number];
    firstLateDay = shanghaiDate(y, m - 1, d + 1);
  } else {
    const days = mostSpecific(rules.scopes, enterprise)?.days ?? rules.days;
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
