/**
 * The department queries on in-memory ports: which range of summaries is asked for, the refusals
 * (in Chinese and English), the late list computed from the ledger now, and an enterprise's history.
 */
import { describe, expect, it } from 'vitest';
import { historyFor, lateFor, type QueryDeps, summariesFor } from '#app/department-queries.ts';
import type { DepartmentReader, StoredSummary, SummaryRange } from '#app/ports.ts';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import type { Period } from '#domain/period.ts';
import type { RatedRecord } from '#domain/rates.ts';
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';

/** As the registry port gives them: places as GB/T 2260 codes (360000 江西省, 360100 南昌市). */
function enterprise(n: number, province = '360000', city = '360100'): Enterprise {
  const first17 = `91360100${String(n).padStart(9, '0')}`;
  return {
    enterpriseId: first17 + creditCodeCheckChar(first17),
    name: `企业${n}`,
    province,
    city,
    industry: 'power',
    units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
    obligedFrom: '2025-01',
  };
}

function record(e: Enterprise, period: Period, receivedAt: string): RatedRecord {
  return {
    enterpriseId: e.enterpriseId,
    period,
    province: e.province,
    city: e.city,
    industry: e.industry,
    version: 1,
    attempts: [
      {
        attemptId: `${e.enterpriseId}-${period}`,
        reportKey: `reports/${e.enterpriseId}/${period}/0/report.json`,
        receivedAt,
        onTime: true,
        verdict: 'accepted',
        errors: 0,
        warnings: 0,
      },
    ],
  };
}

const onTime = enterprise(1);
const missing = enterprise(2);
const elsewhere = enterprise(3, '440000', '440100');
// 2026-03-20 in Beijing: February has ended; January's deadline (12 March) has passed.
const NOW = new Date('2026-03-20T00:00:00+08:00');

/** The registry and ledger as lists; records which provinces the registry was asked for. */
function fakes(registry: Enterprise[], records: RatedRecord[]) {
  const registryAsked: (readonly string[] | undefined)[] = [];
  const rangesAsked: [string, Period, Period][] = [];
  const reader: DepartmentReader = {
    registry: async (provinces) => {
      registryAsked.push(provinces);
      return registry.filter((e) => !provinces || provinces.includes(e.province));
    },
    recordsOf: async (period) => records.filter((r) => r.period === period),
    historyOf: async (enterpriseId) => records.filter((r) => r.enterpriseId === enterpriseId),
    enterprise: async (enterpriseId) => registry.find((e) => e.enterpriseId === enterpriseId),
  };
  const summaries: SummaryRange = {
    range: async (scope, from, to) => {
      rangesAsked.push([scope, from, to]);
      return [] as StoredSummary[];
    },
  };
  const deps: QueryDeps = { reader: () => reader, summaries, rules: DEFAULT_DEADLINE_RULES, now: () => NOW };
  return { deps, registryAsked, rangesAsked };
}

describe('summaries for a range of periods', () => {
  it('asks for the twelve months before the last ended period when no range is given', async () => {
    const { deps, rangesAsked } = fakes([], []);

    const outcome = await summariesFor(deps, { scope: 'all' });

    expect(outcome).toEqual({ ok: true, value: { scope: 'all', from: '2025-02', to: '2026-02', summaries: [] } });
    expect(rangesAsked).toEqual([['all', '2025-02', '2026-02']]);
  });

  it('answers a city by its code, filling periods stored before codes from the summaries kept under its names', async () => {
    const stored = (scope: string, period: Period, obliged: number) => ({ scope, period, obliged }) as unknown as StoredSummary;
    const kept: Record<string, StoredSummary[]> = {
      'city:360100': [stored('city:360100', '2026-01', 7)],
      'city:南昌': [stored('city:南昌', '2025-12', 4), stored('city:南昌', '2026-01', 3)],
    };
    const { deps } = fakes([], []);
    const answer = await summariesFor(
      { ...deps, summaries: { range: async (scope) => kept[scope] ?? [] } },
      { scope: 'city:南昌市', from: '2025-12', to: '2026-01' },
    );

    // The code's own summary wins for 2026-01; 2025-12 exists only under the old name.
    expect(answer).toEqual({
      ok: true,
      value: { scope: 'city:360100', from: '2025-12', to: '2026-01', summaries: [stored('city:360100', '2025-12', 4), stored('city:360100', '2026-01', 7)] },
    });
  });

  it('refuses a range that runs backwards, or longer than 60 periods, and reads nothing', async () => {
    const { deps, rangesAsked } = fakes([], []);

    await expect(summariesFor(deps, { scope: 'all', from: '2026-03', to: '2026-01' })).resolves.toEqual({
      ok: false,
      refusal: { code: 'bad-request', message: { zh: '起始月份 from (2026-03) 晚于截止月份 to (2026-01)', en: 'from (2026-03) is after to (2026-01)' } },
    });
    await expect(summariesFor(deps, { scope: 'all', from: '2020-01', to: '2026-01' })).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'bad-request', message: { en: 'at most 60 periods per request' } },
    });
    expect(rangesAsked).toEqual([]);
  });
});

describe('the late list', () => {
  it('lists who has not deposited a period whose deadline passed, reading only the province asked for', async () => {
    const { deps, registryAsked } = fakes([onTime, missing, elsewhere], [record(onTime, '2026-01', '2026-02-03T02:00:00.000Z')]);

    const answer = await lateFor(deps, { scope: 'province:江西', period: '2026-01' });

    // A scope written with a name resolves to its GB/T 2260 code, and the registry is read by that code.
    expect(registryAsked).toEqual([['360000']]);
    expect(answer).toMatchObject({ scope: 'province:360000', period: '2026-01', asOf: NOW.toISOString(), obliged: 2, pending: 0 });
    expect(answer.late.map((s) => s.enterpriseId)).toEqual([missing.enterpriseId]);
  });
});

describe('an enterprise’s history', () => {
  it('numbers each period’s attempts and says how each period stands', async () => {
    const { deps } = fakes([onTime], [record(onTime, '2026-01', '2026-02-03T02:00:00.000Z')]);

    const outcome = await historyFor(deps, { enterpriseId: onTime.enterpriseId });

    expect(outcome).toMatchObject({
      ok: true,
      value: {
        enterpriseId: onTime.enterpriseId,
        enterprise: { name: '企业1' },
        periods: [{ period: '2026-01', submission: 'on-time', attempts: [{ attempt: 1 }] }],
      },
    });
  });

  it('refuses an enterprise neither the registry nor the ledger knows', async () => {
    const { deps } = fakes([onTime], []);

    await expect(historyFor(deps, { enterpriseId: missing.enterpriseId })).resolves.toMatchObject({
      ok: false,
      refusal: {
        code: 'not-found',
        message: { zh: expect.stringContaining(missing.enterpriseId), en: `no enterprise ${missing.enterpriseId} in the registry or the ledger` },
      },
    });
  });
});
