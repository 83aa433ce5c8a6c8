/**
 * The rates per industry on a small hand-built registry: three power plants, two cement
 * enterprises (one line each), a steel works, an aluminium smelter and one enterprise with a
 * power plant and a clinker line. Every expected figure below was counted by hand from the table
 * in the comment, not by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import type { Verdict } from '#domain/issues.ts';
import { inScope, lateList, type RatedRecord, SummaryScopeSchema, scopesOf, summarisePeriod } from '#domain/rates.ts';
import { creditCodeCheckChar, type Enterprise, EnterpriseSchema } from '#domain/registry.ts';

const PERIOD = '2026-01';
// January 2026 is due by the end of 12 March 2026 (Asia/Shanghai).
const ON_TIME = '2026-03-01T10:00:00+08:00';
const LATE = '2026-03-15T10:00:00+08:00';
const NOW = new Date('2026-03-20T09:00:00+08:00');

function code(city: string, n: number): string {
  const first17 = `91${city}${String(n).padStart(9, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

const power = (unitId: string) => ({ unitId, industry: 'power', fuel: 'coal', capacityMW: 600 });
const cement = (unitId: string) => ({ unitId, industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000, materials: ['kilnCoal'] });

function entry(n: number, city: string, industries: { industry: string; obligedFrom: string }[], units: unknown[]): Enterprise {
  return EnterpriseSchema.parse({
    enterpriseId: code(city, n),
    name: `企业${n}`,
    province: `${city.slice(0, 2)}0000`,
    city,
    industries,
    units,
  }) as Enterprise;
}

const NANCHANG = '360100';
const JIUJIANG = '360400';
const NANNING = '450100';
const POWER = { industry: 'power', obligedFrom: '2023-01' };
const CEMENT = { industry: 'cement', obligedFrom: '2025-07' };

const P1 = entry(1, NANCHANG, [POWER], [power('1')]);
const P2 = entry(2, NANCHANG, [POWER], [power('1')]);
const P3 = entry(3, JIUJIANG, [POWER], [power('1')]);
const C1 = entry(4, NANCHANG, [CEMENT], [cement('L1')]);
const C2 = entry(5, JIUJIANG, [CEMENT], [cement('L1')]);
const S1 = entry(6, NANCHANG, [{ industry: 'steel', obligedFrom: '2025-07' }], [{ unitId: 'BF1', industry: 'steel', process: 'ironmaking' }]);
const A1 = entry(7, NANNING, [{ industry: 'aluminium', obligedFrom: '2025-07' }], [{ unitId: 'S1', industry: 'aluminium', currentKA: 500, cells: 300 }]);
const PC = entry(8, NANCHANG, [POWER, CEMENT], [power('1'), cement('L1')]);
const REGISTRY = [P1, P2, P3, C1, C2, S1, A1, PC];

function record(e: Enterprise, at: string, verdict: Verdict): RatedRecord {
  return {
    enterpriseId: e.enterpriseId,
    period: PERIOD,
    province: e.province,
    city: e.city,
    industry: e.industry,
    version: 1,
    attempts: [
      {
        attemptId: `${e.enterpriseId}-0`,
        reportKey: `reports/${e.enterpriseId}/${PERIOD}/0/report.json`,
        receivedAt: new Date(at).toISOString(),
        onTime: true,
        verdict,
        errors: 0,
        warnings: 0,
      },
    ],
  };
}

/*
 * enterprise  industries      city      first deposit   first attempt
 * P1          power           南昌      on time         accepted
 * P2          power           南昌      late            accepted
 * P3          power           九江      none (missing)  —
 * C1          cement          南昌      on time         returned
 * C2          cement          九江      on time         accepted
 * S1          steel           南昌      on time         awaiting review
 * A1          aluminium       南宁      late            returned
 * PC          power + cement  南昌      on time         accepted
 */
const RECORDS = [
  record(P1, ON_TIME, 'accepted'),
  record(P2, LATE, 'accepted'),
  record(C1, ON_TIME, 'returned'),
  record(C2, ON_TIME, 'accepted'),
  record(S1, ON_TIME, 'needs-review'),
  record(A1, LATE, 'returned'),
  record(PC, ON_TIME, 'accepted'),
];

const result = summarisePeriod({ period: PERIOD, registry: REGISTRY, records: RECORDS, problems: new Map(), rules: DEFAULT_DEADLINE_RULES, now: NOW });
const scope = (s: string) => result.summaries.find((x) => x.scope === s) ?? result.narrowed?.find((x) => x.scope === s);

describe('the rates per industry scope', () => {
  it('counts power: P1, P2, P3 and PC; 2 of 4 on time, 3 of 3 first attempts passed', () => {
    expect(scope('industry:power')).toMatchObject({
      obliged: 4,
      onTime: 2,
      late: 1,
      missing: 1,
      onTimeRate: 0.5,
      firstPassAccepted: 3,
      returned: 0,
      firstPassRate: 1,
    });
  });

  it('counts cement: C1, C2 and PC; 3 of 3 on time, 2 of 3 passed', () => {
    expect(scope('industry:cement')).toMatchObject({ obliged: 3, onTime: 3, late: 0, missing: 0, onTimeRate: 1, firstPassAccepted: 2, returned: 1 });
    expect(scope('industry:cement')?.firstPassRate).toBeCloseTo(0.6667, 4);
  });

  it('counts steel: S1 on time, its first attempt still awaiting review (no first-pass rate yet)', () => {
    expect(scope('industry:steel')).toMatchObject({ obliged: 1, onTime: 1, onTimeRate: 1, awaitingReview: 1, firstPassRate: null });
  });

  it('counts aluminium: A1 late and returned, 0 and 0', () => {
    expect(scope('industry:aluminium')).toMatchObject({ obliged: 1, onTime: 0, late: 1, onTimeRate: 0, returned: 1, firstPassRate: 0 });
  });

  it('counts the power + cement enterprise once in all: 8 obliged, 5 on time, 4 of 6 passed', () => {
    expect(scope('all')).toMatchObject({ obliged: 8, onTime: 5, late: 2, missing: 1, onTimeRate: 0.625, firstPassAccepted: 4, returned: 2, awaitingReview: 1 });
    expect(scope('all')?.firstPassRate).toBeCloseTo(0.6667, 4);
  });

  it('narrows a province and a city to an industry: Jiangxi cement is C1, C2, PC; 九江 cement is C2', () => {
    expect(scope('province:360000|industry:cement')).toMatchObject({ obliged: 3, onTime: 3, onTimeRate: 1, firstPassAccepted: 2, returned: 1 });
    expect(scope('city:360400|industry:cement')).toMatchObject({ obliged: 1, onTime: 1, onTimeRate: 1, firstPassRate: 1 });
    expect(scope('city:360100|industry:power')).toMatchObject({ obliged: 3, onTime: 2, late: 1, onTimeRate: 2 / 3 });
    expect(scope('province:450000|industry:aluminium')).toMatchObject({ obliged: 1, onTimeRate: 0 });
    // Narrowed summaries are kept apart from the exported list.
    expect(result.summaries.some((s) => s.scope.includes('|'))).toBe(false);
  });

  it('gives each standing the industries owed that period, keeping the first as `industry`', () => {
    const pc = result.standings.find((s) => s.enterpriseId === PC.enterpriseId);
    expect(pc).toMatchObject({ industry: 'power', industries: ['power', 'cement'] });
    expect(scopesOf(pc as NonNullable<typeof pc>)).toEqual(['all', 'province:360000', 'city:360100', 'industry:power', 'industry:cement']);
  });

  it('owes only power in a month before cement deposits monthly: PC counts in power alone then', () => {
    const march = summarisePeriod({ period: '2025-03', registry: REGISTRY, records: [], problems: new Map(), rules: DEFAULT_DEADLINE_RULES, now: NOW });
    expect(march.standings.find((s) => s.enterpriseId === PC.enterpriseId)?.industries).toEqual(['power']);
    expect(march.summaries.map((s) => [s.scope, s.obliged])).toContainEqual(['industry:power', 4]);
    expect(march.summaries.some((s) => s.scope === 'industry:cement')).toBe(false);
    expect(inScope(PC, 'industry:cement', '2025-03')).toBe(false);
    expect(inScope(PC, 'industry:cement', PERIOD)).toBe(true);
  });

  it('lists late and missing enterprises per industry', () => {
    const late = lateList(result.standings.filter((s) => inScope(s, 'industry:power')));
    expect(late.map((s) => s.enterpriseId)).toEqual([P3.enterpriseId, P2.enterpriseId]);
  });

  it('parses industry scopes written by name, and a place narrowed to one', () => {
    expect(SummaryScopeSchema.parse('industry:水泥熟料')).toBe('industry:cement');
    expect(SummaryScopeSchema.parse('industry:钢铁')).toBe('industry:steel');
    expect(SummaryScopeSchema.parse('city:南昌|industry:铝冶炼')).toBe('city:360100|industry:aluminium');
    expect(SummaryScopeSchema.safeParse('industry:化工').error?.issues[0]?.message).toContain('未知的行业 / unknown industry: 化工');
    expect(SummaryScopeSchema.safeParse('industry:cement|industry:steel').success).toBe(false);
  });
});
