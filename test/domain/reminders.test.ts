/** The pure reminder schedule: milestones in Beijing time, per-scope days, only those who have not deposited. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_RULES, DeadlineRulesSchema, deadlineFor } from '#domain/deadline.ts';
import type { RatedRecord } from '#domain/rates.ts';
import type { Enterprise } from '#domain/registry.ts';
import { dueDigests, dueReminders, NoticeSettingsSchema, reminderAt, windowOpensAt } from '#domain/reminders.ts';
import { demoCreditCode } from '#twin/demo.ts';

const PERIOD = '2026-03';
// 2026-03 opens 00:00 Beijing 1 April (31 March 16:00 UTC); due by the end of 10 May (dueAt 10 May 16:00 UTC).
const DUE = '2026-05-10T16:00:00.000Z';

const enterprise = (n: number, city = '360100', overrides: Partial<Enterprise> = {}): Enterprise => ({
  enterpriseId: demoCreditCode(n, city),
  name: `电厂${n}`,
  province: '360000',
  city,
  industry: 'power',
  units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
  obligedFrom: '2025-01',
  contacts: { emails: [`p${n}@example.cn`], language: 'zh' },
  ...overrides,
});

const recordOf = (e: Enterprise, receivedAt: string): RatedRecord =>
  ({
    enterpriseId: e.enterpriseId,
    period: PERIOD,
    province: e.province,
    city: e.city,
    industry: e.industry,
    attempts: [
      { attemptId: `a${e.enterpriseId.slice(-4)}`, reportKey: 'k', receivedAt, onTime: receivedAt < DUE, verdict: 'accepted', errors: 0, warnings: 0 },
    ],
    version: 1,
  }) as RatedRecord;

const settings = NoticeSettingsSchema.parse({});

describe('reminderAt: the milestone passed last, in Beijing time', () => {
  const at = (iso: string, days = [10, 3]) => reminderAt(PERIOD, DUE, days, 3, new Date(iso));

  it('opens at 00:00 Beijing on the 1st, which is still the 31st in UTC', () => {
    expect(windowOpensAt(PERIOD).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(at('2026-03-31T15:59:59Z')).toBeUndefined();
    expect(at('2026-03-31T16:00:00Z')).toEqual({ kind: 'opened' });
  });

  it('is N then M days before the deadline, to the Beijing midnight', () => {
    expect(at('2026-04-30T15:59:59Z')).toEqual({ kind: 'opened' });
    expect(at('2026-04-30T16:00:00Z')).toEqual({ kind: 'before', days: 10 });
    expect(at('2026-05-07T15:59:59Z')).toEqual({ kind: 'before', days: 10 });
    expect(at('2026-05-07T16:00:00Z')).toEqual({ kind: 'before', days: 3 });
  });

  it('is overdue from 00:00 Beijing the day after the last day, for the grace days only', () => {
    expect(at('2026-05-10T15:59:59Z')).toEqual({ kind: 'before', days: 3 });
    expect(at('2026-05-10T16:00:00Z')).toEqual({ kind: 'overdue' });
    expect(at('2026-05-13T15:59:59Z')).toEqual({ kind: 'overdue' });
    expect(at('2026-05-13T16:00:00Z')).toBeUndefined();
  });

  it('drops a milestone that would fall before the window opens (a 20-day cut-off with 30 days before)', () => {
    const due20 = deadlineFor(PERIOD, { province: '360000', city: '360100' }, DeadlineRulesSchema.parse({ days: 20 })).dueAt;
    expect(reminderAt(PERIOD, due20, [30, 3], 1, new Date('2026-04-01T00:00:00Z'))).toEqual({ kind: 'opened' });
    expect(reminderAt(PERIOD, due20, [30, 3], 1, new Date('2026-04-18T00:00:00Z'))).toEqual({ kind: 'before', days: 3 });
  });
});

describe('dueReminders', () => {
  const a = enterprise(1);
  const b = enterprise(2);
  const inputs = (now: string, records: RatedRecord[] = [], s = settings, registry = [a, b]) => ({
    registry,
    records: new Map([[PERIOD, records]]),
    rules: DEFAULT_DEADLINE_RULES,
    settings: s,
    now: new Date(now),
  });

  it('reminds only those who have deposited nothing by then, with stable ids', () => {
    const due = dueReminders(inputs('2026-05-01T01:00:00Z', [recordOf(a, '2026-04-20T02:00:00Z')]));
    expect(due.filter((r) => r.period === PERIOD).map((r) => r.id)).toEqual([`reminder:${PERIOD}:${b.enterpriseId}:before-10`]);
    expect(due[0]?.lastDay).toBe('2026-05-10');
  });

  it('does not see a deposit received after now (as of the run instant)', () => {
    const due = dueReminders(inputs('2026-04-10T01:00:00Z', [recordOf(a, '2026-04-20T02:00:00Z')]));
    expect(due.filter((r) => r.period === PERIOD).map((r) => r.enterprise.enterpriseId)).toEqual([a.enterpriseId, b.enterpriseId]);
  });

  it('takes the days before from the most specific scope', () => {
    const s = NoticeSettingsSchema.parse({
      daysBefore: [10, 3],
      scopes: [
        { scope: 'city:南昌', daysBefore: [5] },
        { scope: 'province:江西', daysBefore: [7] },
      ],
    });
    const ganzhou = enterprise(3, '360700');
    const due = dueReminders(inputs('2026-05-05T16:00:00Z', [], s, [a, ganzhou]));
    expect(due.filter((r) => r.period === PERIOD).map((r) => [r.enterprise.city, r.reminder])).toEqual([
      ['360100', { kind: 'before', days: 5 }],
      ['360700', { kind: 'before', days: 7 }],
    ]);
  });

  it('skips enterprises not obliged for the month', () => {
    const gone = enterprise(4, '360100', { obligedUntil: '2026-02' });
    expect(dueReminders(inputs('2026-05-01T01:00:00Z', [], settings, [gone])).filter((r) => r.period === PERIOD)).toEqual([]);
  });
});

describe('dueDigests', () => {
  it("lists each city's late and missing enterprises once the deadline has passed, once per Beijing day", () => {
    const a = enterprise(1);
    const b = enterprise(2);
    const c = enterprise(3);
    const run = (now: string) =>
      dueDigests({
        registry: [a, b, c],
        records: new Map([[PERIOD, [recordOf(a, '2026-04-02T00:00:00Z'), recordOf(b, '2026-05-12T00:00:00Z')]]]),
        rules: DEFAULT_DEADLINE_RULES,
        settings,
        now: new Date(now),
      }).filter((d) => d.periods.some((p) => p.period === PERIOD));
    expect(run('2026-05-10T15:00:00Z')).toEqual([]);
    const [digest] = run('2026-05-12T01:00:00Z');
    // 09:00 Beijing on 12 May is 01:00 UTC the same day; 23:30 UTC on 12 May is already 13 May in Beijing.
    expect(digest?.id).toBe('digest:city:360100:2026-05-12');
    expect(run('2026-05-12T23:30:00Z')[0]?.id).toBe('digest:city:360100:2026-05-13');
    const march = digest?.periods.find((p) => p.period === PERIOD);
    expect(march?.late.map((s) => s.enterpriseId)).toEqual([b.enterpriseId]);
    expect(march?.missing.map((s) => s.enterpriseId)).toEqual([c.enterpriseId]);
  });
});
