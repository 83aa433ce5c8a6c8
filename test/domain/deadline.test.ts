import { describe, expect, it } from 'vitest';
import { DeadlineRulesSchema, deadlineFor, periodHasEnded, timelinessOf } from '#domain/deadline.ts';

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
    expect(parsed.error?.issues[0]?.message).toContain('province:<code or name> or city:<code or name>');
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
