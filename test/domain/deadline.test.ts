import { describe, expect, it } from 'vitest';
import { BACKFILL_2025, DeadlineRulesSchema, deadlineFor, periodHasEnded, timelinessOf } from '#domain/deadline.ts';

const NANCHANG = { province: '江西', city: '南昌' };
const rules = DeadlineRulesSchema.parse({});

describe('the 40-day deadline in Asia/Shanghai time', () => {
  it('makes January due by the end of 12 March in a non-leap year', () => {
    expect(deadlineFor('2026-01', NANCHANG, rules)).toEqual({ lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z' });
  });

  it('makes January due by the end of 11 March in a leap year', () => {
    expect(deadlineFor('2028-01', NANCHANG, rules).lastDay).toBe('2028-03-11');
  });

  it('carries December into the next year', () => {
    expect(deadlineFor('2025-12', NANCHANG, rules).lastDay).toBe('2026-02-09');
  });

  it('counts the last second of the last day as on time and the next second as late', () => {
    const deadline = deadlineFor('2026-01', NANCHANG, rules);
    expect(timelinessOf(new Date('2026-03-12T23:59:59.999+08:00'), deadline).onTime).toBe(true);
    expect(timelinessOf(new Date('2026-03-13T00:00:01+08:00'), deadline)).toMatchObject({ onTime: false, lateBySeconds: 1 });
  });

  it('judges 00:30 on 13 March Beijing time late although it is 12 March in UTC', () => {
    const received = new Date('2026-03-12T16:30:00Z');
    expect(timelinessOf(received, deadlineFor('2026-01', NANCHANG, rules))).toMatchObject({ onTime: false, lateBySeconds: 1800 });
  });
});

describe('configurable deadlines', () => {
  const configured = DeadlineRulesSchema.parse({
    scopes: [
      { scope: 'province:江西', days: 30 },
      { scope: 'city:南昌', days: 20 },
    ],
    extensions: [{ period: '2026-01', scope: 'province:江西', lastDay: '2026-03-02' }],
  });

  it('applies the most specific cut-off: the city over the province', () => {
    expect(deadlineFor('2026-02', NANCHANG, configured).lastDay).toBe('2026-03-20');
    expect(deadlineFor('2026-02', { province: '江西', city: '九江' }, configured).lastDay).toBe('2026-03-30');
    expect(deadlineFor('2026-02', { province: '广西', city: '南宁' }, configured).lastDay).toBe('2026-04-09');
  });

  it('lets a per-period extension replace the cut-off for that period only', () => {
    expect(deadlineFor('2026-01', NANCHANG, configured).lastDay).toBe('2026-03-02');
  });

  it('refuses malformed rules with a message naming the problem', () => {
    const parsed = DeadlineRulesSchema.safeParse({ scopes: [{ scope: 'county:x', days: 10 }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('province:<code or name>, city:<code or name> or industry:<code or name>');
  });
});

describe('periods that have not ended', () => {
  it('ends a month at midnight Asia/Shanghai on the first of the next month', () => {
    expect(periodHasEnded('2026-01', new Date('2026-01-31T15:59:59Z'))).toBe(false);
    expect(periodHasEnded('2026-01', new Date('2026-01-31T16:00:00Z'))).toBe(true);
  });
});

describe('deadline rules keyed by division code', () => {
  it('reads rules written with names as the codes they name', () => {
    const byName = DeadlineRulesSchema.parse({
      scopes: [
        { scope: 'province:江西省', days: 30 },
        { scope: 'city:南昌', days: 20 },
      ],
      extensions: [{ period: '2026-01', scope: 'city:南昌市生态环境局', lastDay: '2026-03-02' }],
    });
    expect(byName.scopes.map((s) => s.scope)).toEqual(['province:360000', 'city:360100']);
    expect(byName.extensions[0]?.scope).toBe('city:360100');
  });

  it('applies a rule by code to an enterprise written by code or by name, and a rule by name to one by code', () => {
    const byCode = DeadlineRulesSchema.parse({ scopes: [{ scope: 'city:360100', days: 20 }] });
    for (const place of [NANCHANG, { province: '江西省', city: '南昌市' }, { province: '360000', city: '360100' }])
      expect(deadlineFor('2026-02', place, byCode).lastDay).toBe('2026-03-20');
    expect(deadlineFor('2026-02', { province: '360000', city: '360400' }, byCode).lastDay).toBe('2026-04-09');
    // Rules built in code (not parsed) may still name the place.
    const unparsed = { days: 40, scopes: [{ scope: 'city:南昌', days: 20 }], extensions: [] };
    expect(deadlineFor('2026-02', { province: '360000', city: '360100' }, unparsed).lastDay).toBe('2026-03-20');
  });

  it('refuses a rule for a city that does not exist, naming it', () => {
    const parsed = DeadlineRulesSchema.safeParse({ scopes: [{ scope: 'city:南仓', days: 20 }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('未知的城市 / unknown city: 南仓');
  });
});

describe('deadlines per industry', () => {
  const obliged = (industries: { industry: string; obligedFrom: string }[]) => ({
    province: '360000',
    city: '360100',
    industry: industries[0]?.industry ?? 'power',
    obligedFrom: [...industries.map((i) => i.obligedFrom)].sort()[0] ?? '2025-01',
    industries,
  });
  const cementWorks = obliged([{ industry: 'cement', obligedFrom: '2025-01' }]);
  const powerPlant = obliged([{ industry: 'power', obligedFrom: '2023-01' }]);
  const backfilled = DeadlineRulesSchema.parse({ extensions: BACKFILL_2025 });

  it('provides the 2025 back-fill as 18 extensions: January–June of cement, aluminium and steel, due 31 October 2025', () => {
    expect(BACKFILL_2025).toHaveLength(18);
    expect(new Set(BACKFILL_2025.map((e) => e.scope))).toEqual(new Set(['industry:cement', 'industry:aluminium', 'industry:steel']));
    expect(new Set(BACKFILL_2025.map((e) => e.period))).toEqual(new Set(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']));
    expect(new Set(BACKFILL_2025.map((e) => e.lastDay))).toEqual(new Set(['2025-10-31']));
  });

  it('keeps a cement month 2025-03 on time until 2025-10-31 23:59 Beijing and late from 2025-11-01 00:00', () => {
    const deadline = deadlineFor('2025-03', cementWorks, backfilled);
    expect(deadline).toEqual({ lastDay: '2025-10-31', dueAt: '2025-10-31T16:00:00.000Z' });
    expect(timelinessOf(new Date('2025-10-31T23:59:00+08:00'), deadline).onTime).toBe(true);
    expect(timelinessOf(new Date('2025-11-01T00:00:00+08:00'), deadline).onTime).toBe(false);
  });

  it('keeps a power month 2025-03 at its 40 days, and cement from July at its 40 days', () => {
    expect(deadlineFor('2025-03', powerPlant, backfilled).lastDay).toBe('2025-05-10');
    expect(deadlineFor('2025-07', cementWorks, backfilled).lastDay).toBe('2025-09-09');
  });

  it('matches an industry rule only when the enterprise owes that industry that period', () => {
    const lateStarter = obliged([{ industry: 'cement', obligedFrom: '2025-07' }]);
    // Not owed in March (not obliged yet): no industry rule applies.
    expect(deadlineFor('2025-03', lateStarter, backfilled).lastDay).toBe('2025-05-10');
    // Without obligation fields (an enterprise the registry does not know) none applies either.
    expect(deadlineFor('2025-03', { province: '360000', city: '360100' }, backfilled).lastDay).toBe('2025-05-10');
  });

  it('ranks city over province over industry over none', () => {
    const rules = DeadlineRulesSchema.parse({
      days: 40,
      scopes: [
        { scope: 'industry:水泥熟料', days: 35 },
        { scope: 'province:江西', days: 30 },
      ],
    });
    expect(rules.scopes[0]?.scope).toBe('industry:cement');
    expect(deadlineFor('2026-02', cementWorks, rules).lastDay).toBe('2026-03-30');
    expect(deadlineFor('2026-02', { ...cementWorks, province: '440000', city: '440100' }, rules).lastDay).toBe('2026-04-04');
    const withCity = DeadlineRulesSchema.parse({ scopes: [...rules.scopes, { scope: 'city:南昌', days: 20 }] });
    expect(deadlineFor('2026-02', cementWorks, withCity).lastDay).toBe('2026-03-20');
    expect(deadlineFor('2026-02', { ...powerPlant, province: '440000', city: '440100' }, rules).lastDay).toBe('2026-04-09');
  });

  it('gives an enterprise owing several industries the earliest of their deadlines', () => {
    const both = obliged([
      { industry: 'power', obligedFrom: '2023-01' },
      { industry: 'cement', obligedFrom: '2025-01' },
    ]);
    // March 2025: power's 40 days come before cement's back-fill.
    expect(deadlineFor('2025-03', both, backfilled).lastDay).toBe('2025-05-10');
    const cementEarlier = DeadlineRulesSchema.parse({ scopes: [{ scope: 'industry:cement', days: 20 }] });
    expect(deadlineFor('2026-02', both, cementEarlier).lastDay).toBe('2026-03-20');
  });

  it('refuses an industry no catalogue has, naming it', () => {
    const parsed = DeadlineRulesSchema.safeParse({ scopes: [{ scope: 'industry:chemicals', days: 20 }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('未知的行业 / unknown industry: chemicals');
  });
});
