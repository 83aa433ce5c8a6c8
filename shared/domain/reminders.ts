/**
 * Which reminders are due: a pure function of the registry, the ledger's records, the deadline
 * rules, the notice settings and `now`. An obliged enterprise that has deposited nothing for a
 * month hears when the window opens (00:00 Beijing time on the 1st of the next month), N and M
 * days before the deadline, and the day after it passed; each city's department gets a daily
 * digest of its late and missing enterprises.
 *
 * At any instant at most one reminder per enterprise and month is due — the latest milestone
 * passed — so a run that was missed for a few days sends the reminder that is current, not a
 * burst of stale ones. Each has a stable id: the notices table sends it once.
 */
import { z } from 'zod';
import { DEADLINE_TIME_ZONE, type DeadlineRules, ScopeSchema } from './deadline.ts';
import { type Period, parsePeriod } from './period.ts';
import { placeCodes, scopeKey } from './provinces.ts';
import { periodsToSummarise, type RatedRecord, type Standing, standingsFor } from './rates.ts';
import type { Enterprise } from './registry.ts';

const DAY_MS = 24 * 3600_000;
const DaysBeforeSchema = z.array(z.number().int().min(1).max(366)).max(5);

export const NoticeSettingsSchema = z.object({
  /** Reminders this many days before the deadline (rule of thumb: 10 and 3). */
  daysBefore: DaysBeforeSchema.default([10, 3]),
  /** Per province or city, like the deadline rules; the most specific scope wins. */
  scopes: z.array(z.object({ scope: ScopeSchema, daysBefore: DaysBeforeSchema })).default([]),
  /** How long after the deadline the overdue reminder may still go (a run missed on the day after catches up). */
  overdueReminderDays: z.number().int().min(1).max(30).default(3),
  /** How many of the latest months whose deadline passed the department's digest lists. */
  digestPeriods: z.number().int().min(1).max(13).default(3),
  /** A reviewers' inbox holding an attempt older than this is worth telling them about. */
  inboxMaxAgeHours: z.number().positive().default(72),
  /** Tries per notice (with a pause between) before it is recorded as dead-lettered. */
  maxTries: z.number().int().min(1).max(10).default(3),
  retryDelayMs: z.number().int().min(0).max(60_000).default(1000),
  /** `{attemptId}` is replaced: the receipt (GET /attempts/{id}/receipt) or the web app's page of the attempt. */
  receiptLink: z.string().default(''),
  /** Where an enterprise deposits (the web app); named in reminders. */
  depositLink: z.string().default(''),
});
export type NoticeSettings = z.infer<typeof NoticeSettingsSchema>;
export const DEFAULT_NOTICE_SETTINGS: NoticeSettings = NoticeSettingsSchema.parse({});

export type ReminderKind = { readonly kind: 'opened' } | { readonly kind: 'before'; readonly days: number } | { readonly kind: 'overdue' };

export interface DueReminder {
  readonly id: string;
  readonly reminder: ReminderKind;
  readonly enterprise: Enterprise;
  readonly period: Period;
  readonly lastDay: string;
  readonly dueAt: string;
}

export interface DigestEntry {
  readonly period: Period;
  readonly lastDay: string;
  readonly late: readonly Standing[];
  readonly missing: readonly Standing[];
}

export interface DueDigest {
  readonly id: string;
  /** `city:<code>` */
  readonly scope: string;
  readonly cityName: string;
  /** The Beijing day it is for. */
  readonly day: string;
  readonly periods: readonly DigestEntry[];
}

/** `YYYY-MM-DD` of `instant` in Beijing time (UTC+8 all year, no daylight saving). */
export function beijingDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** 00:00 Beijing time on the 1st of the month after `period`: when its deposits open. */
export function windowOpensAt(period: Period): Date {
  const { year, month } = parsePeriod(period);
  return new Date(Date.UTC(year, month, 1) - 8 * 3600_000);
}

function daysBeforeFor(enterprise: Pick<Enterprise, 'province' | 'city'>, settings: NoticeSettings): readonly number[] {
  const place = placeCodes(enterprise);
  const rank = (scope: string) => (scopeKey(scope) === `city:${place.city}` ? 2 : scopeKey(scope) === `province:${place.province}` ? 1 : 0);
  let best: { daysBefore: readonly number[]; rank: number } = { daysBefore: settings.daysBefore, rank: 0 };
  for (const entry of settings.scopes) {
    const r = rank(entry.scope);
    if (r > best.rank) best = { daysBefore: entry.daysBefore, rank: r };
  }
  return best.daysBefore;
}

/** The reminder due at `now` for one month and deadline, if any: the latest milestone passed, until the next. */
export function reminderAt(period: Period, dueAt: string, daysBefore: readonly number[], overdueReminderDays: number, now: Date): ReminderKind | undefined {
  const opens = windowOpensAt(period).getTime();
  const due = Date.parse(dueAt);
  const t = now.getTime();
  if (t < opens || t >= due + overdueReminderDays * DAY_MS) return undefined;
  if (t >= due) return { kind: 'overdue' };
  // A milestone at or before the opening is the opening's reminder already.
  const milestones: { at: number; reminder: ReminderKind }[] = [
    { at: opens, reminder: { kind: 'opened' } },
    ...[...new Set(daysBefore)].map((days) => ({ at: due - days * DAY_MS, reminder: { kind: 'before', days } as ReminderKind })).filter((m) => m.at > opens),
  ];
  let current: ReminderKind | undefined;
  for (const m of milestones.sort((a, b) => a.at - b.at)) if (m.at <= t) current = m.reminder;
  return current;
}

export function reminderId(period: Period, enterpriseId: string, reminder: ReminderKind): string {
  const kind = reminder.kind === 'before' ? `before-${reminder.days}` : reminder.kind;
  return `reminder:${period}:${enterpriseId}:${kind}`;
}

export interface ReminderInputs {
  readonly registry: readonly Enterprise[];
  /** Records of each period considered (any order); a period absent has none. */
  readonly records: ReadonlyMap<Period, readonly RatedRecord[]>;
  readonly rules: DeadlineRules;
  readonly settings: NoticeSettings;
  readonly now: Date;
}

/** The months whose reminders or digests may be due at `now`: the 13 that ended most recently. */
export function reminderPeriods(now: Date): Period[] {
  return periodsToSummarise(now, 13);
}

/** Every reminder due at `now` to an enterprise that has deposited nothing for the month (as of `now`). */
export function dueReminders(inputs: ReminderInputs): DueReminder[] {
  const byId = new Map(inputs.registry.map((e) => [e.enterpriseId, e]));
  const due: DueReminder[] = [];
  for (const period of reminderPeriods(inputs.now)) {
    const standings = standingsFor({ period, registry: inputs.registry, records: inputs.records.get(period) ?? [], rules: inputs.rules, now: inputs.now });
    for (const s of standings) {
      if (s.submission !== 'pending' && s.submission !== 'missing') continue;
      const enterprise = byId.get(s.enterpriseId);
      if (!enterprise) continue;
      const reminder = reminderAt(period, s.dueAt, daysBeforeFor(enterprise, inputs.settings), inputs.settings.overdueReminderDays, inputs.now);
      if (reminder) due.push({ id: reminderId(period, s.enterpriseId, reminder), reminder, enterprise, period, lastDay: s.lastDay, dueAt: s.dueAt });
    }
  }
  return due;
}

/** Each city's digest for today (Beijing): its late and missing enterprises in the latest months past their deadline. */
export function dueDigests(inputs: ReminderInputs): DueDigest[] {
  const day = beijingDay(inputs.now);
  const byCity = new Map<string, { cityName: string; periods: DigestEntry[] }>();
  // Newest month first, so each city keeps its `digestPeriods` latest months.
  for (const period of reminderPeriods(inputs.now).reverse()) {
    const standings = standingsFor({ period, registry: inputs.registry, records: inputs.records.get(period) ?? [], rules: inputs.rules, now: inputs.now });
    const cities = new Map<string, Standing[]>();
    for (const s of standings) {
      if (Date.parse(s.dueAt) > inputs.now.getTime()) continue;
      cities.set(s.city, [...(cities.get(s.city) ?? []), s]);
    }
    for (const [city, list] of cities) {
      const entry = byCity.get(city) ?? { cityName: list[0]?.cityName ?? city, periods: [] };
      byCity.set(city, entry);
      if (entry.periods.length >= inputs.settings.digestPeriods) continue;
      entry.periods.push({
        period,
        lastDay: list[0]?.lastDay ?? '',
        late: list.filter((s) => s.submission === 'late'),
        missing: list.filter((s) => s.submission === 'missing'),
      });
    }
  }
  return [...byCity.entries()]
    .map(([city, { cityName, periods }]) => ({
      id: `digest:city:${city}:${day}`,
      scope: `city:${city}`,
      cityName,
      day,
      periods: periods.filter((p) => p.late.length + p.missing.length > 0),
    }))
    .filter((d) => d.periods.length > 0);
}

export { DEADLINE_TIME_ZONE };
