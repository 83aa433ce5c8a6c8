/**
 * The department queries on in-memory ports: which range of summaries is asked for, the refusals
 * (in Chinese and English), the late list computed from the ledger now, an enterprise's history
 * with its latest attempt's issues, who the caller is, the city league, the export links, and
 * what each caller reaches (its jurisdiction; an enterprise its own).
 */
import { describe, expect, it } from 'vitest';
import {
  type CallerQueryDeps,
  exportsFor,
  historyFor,
  lateFor,
  LateRequestSchema,
  LeagueRequestSchema,
  lateForCaller,
  leagueFor,
  meFor,
  SummariesRequestSchema,
  summariesFor,
  summariesForCaller,
} from '#app/department-queries.ts';
import type { AttemptReader, DepartmentReader, ExportLinks, StoredSummary, SummaryRange } from '#app/ports.ts';
import type { Attempt } from '#domain/attempt.ts';
import type { Principal } from '#domain/identity.ts';
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
  const attemptsAsked: string[] = [];
  const attempts: AttemptReader = {
    getAttempt: async (enterpriseId, period, attemptId) => {
      attemptsAsked.push(attemptId);
      return latestAttempt(enterpriseId, period, attemptId);
    },
  };
  const prefixesAsked: string[] = [];
  const exports: ExportLinks = {
    linksUnder: async (prefix, seconds) => {
      prefixesAsked.push(prefix);
      return ['summary.json', 'enterprises.csv'].map((f) => ({
        key: `${prefix}${f}`,
        size: 10,
        lastModified: NOW.toISOString(),
        url: `https://s3/${prefix}${f}?X-Amz-Expires=${seconds}`,
      }));
    },
  };
  const deps: CallerQueryDeps = { reader: () => reader, summaries, rules: DEFAULT_DEADLINE_RULES, now: () => NOW, attempts, exports };
  return { deps, registryAsked, rangesAsked, attemptsAsked, prefixesAsked };
}

/** The attempt item the ledger holds for a record's attempt: one warning. */
function latestAttempt(enterpriseId: string, period: string, attemptId: string): Attempt {
  return {
    attemptId,
    enterpriseId,
    period,
    depositId: 'd',
    reportKey: `reports/${enterpriseId}/${period}/d/report.csv`,
    reportVersion: 'v',
    receivedAt: '2026-02-03T02:00:00.000Z',
    timeliness: { lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
    verdict: 'needs-review',
    validation: {
      valid: true,
      verdict: 'needs-review',
      stats: { errors: 0, warnings: 1, infos: 0 },
      issues: [{ code: 'EVD-X', severity: 'warning', category: 'conformity', message: { zh: '警告', en: 'a warning' } }],
    },
    files: [],
    recordedAt: '2026-02-03T02:00:01.000Z',
  } as Attempt;
}

const clerk = (enterpriseId: string): Principal => ({ role: 'enterprise', subject: 'clerk', name: '填报员', enterpriseId });
const jiangxi: Principal = { role: 'department', subject: 'dept', name: '江西省生态环境厅', jurisdiction: { kind: 'province', code: '360000' } };
const nanchang: Principal = {
  role: 'department',
  subject: 'dept-nc',
  name: '南昌市生态环境局',
  jurisdiction: { kind: 'city', code: '360100', province: '360000' },
};
const guangdong: Principal = { role: 'department', subject: 'dept-gd', name: '广东省生态环境厅', jurisdiction: { kind: 'province', code: '440000' } };
const reviewerJiujiang: Principal = {
  role: 'reviewer',
  subject: 'r',
  name: '九江市审核员',
  level: 'city',
  jurisdiction: { kind: 'city', code: '360400', province: '360000' },
};

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

    const outcome = await historyFor(deps, clerk(onTime.enterpriseId), { enterpriseId: onTime.enterpriseId });

    expect(outcome).toMatchObject({ ok: true, value: { enterpriseId: onTime.enterpriseId, enterprise: { name: '企业1' } } });
    const periods = outcome.ok ? outcome.value.periods : [];
    expect(periods.find((p) => p.period === '2026-01')).toMatchObject({
      submission: 'on-time',
      lastDay: '2026-03-12',
      dueAt: '2026-03-12T16:00:00.000Z',
      attempts: [{ attempt: 1, verdict: 'accepted', errors: 0, warnings: 0 }],
    });
  });

  it('lists every month owed since obligedFrom up to the last ended one, the undeposited ones missing or pending', async () => {
    const { deps, attemptsAsked } = fakes([onTime], [record(onTime, '2026-01', '2026-02-03T02:00:00.000Z')]);

    const outcome = await historyFor(deps, clerk(onTime.enterpriseId), { enterpriseId: onTime.enterpriseId });

    const periods = outcome.ok ? outcome.value.periods : [];
    // 2025-01 … 2026-02 (March has not ended on 20 March), oldest first, each once.
    expect(periods.map((p) => p.period)).toEqual(Array.from({ length: 14 }, (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`));
    // December's deadline (9 February) has passed: missing, and late by the days since; February's (9 April) has not.
    expect(periods.find((p) => p.period === '2025-12')).toMatchObject({ submission: 'missing', lastDay: '2026-02-09', attempts: [], latest: null });
    expect(periods.find((p) => p.period === '2025-12')?.lateBySeconds).toBe(
      (Date.parse('2026-03-20T00:00:00+08:00') - Date.parse('2026-02-09T16:00:00Z')) / 1000,
    );
    expect(periods.find((p) => p.period === '2026-02')).toMatchObject({ submission: 'pending', lastDay: '2026-04-09', lateBySeconds: 0, attempts: [] });
    // Only the recorded month's attempt is read.
    expect(attemptsAsked).toEqual([`${onTime.enterpriseId}-2026-01`]);
  });

  it('lists no owed month outside the obligation, nor for an enterprise the registry no longer holds', async () => {
    const ended = { ...onTime, obligedFrom: '2025-11', obligedUntil: '2025-12' };
    const { deps } = fakes([ended], []);
    const outcome = await historyFor(deps, clerk(ended.enterpriseId), { enterpriseId: ended.enterpriseId });
    expect(outcome.ok ? outcome.value.periods.map((p) => p.period) : []).toEqual(['2025-11', '2025-12']);

    const gone = fakes([], [record(elsewhere, '2026-01', '2026-02-03T02:00:00.000Z')]);
    const alone = await historyFor(gone.deps, guangdong, { enterpriseId: elsewhere.enterpriseId });
    expect(alone.ok ? alone.value.periods.map((p) => p.period) : []).toEqual(['2026-01']);
  });

  it('gives each period its latest attempt’s issues, read from the ledger', async () => {
    const { deps, attemptsAsked } = fakes([onTime], [record(onTime, '2026-01', '2026-02-03T02:00:00.000Z')]);

    const outcome = await historyFor(deps, nanchang, { enterpriseId: onTime.enterpriseId });

    expect(attemptsAsked).toEqual([`${onTime.enterpriseId}-2026-01`]);
    expect(outcome.ok && outcome.value.periods.find((p) => p.period === '2026-01')).toMatchObject({
      latest: {
        attemptId: `${onTime.enterpriseId}-2026-01`,
        stats: { warnings: 1 },
        issues: [{ code: 'EVD-X', message: { en: 'a warning' } }],
        issuesComplete: true,
      },
    });
  });

  it('refuses an enterprise another’s history (403) before reading anything', async () => {
    const { deps, attemptsAsked } = fakes([onTime, missing], [record(onTime, '2026-01', '2026-02-03T02:00:00.000Z')]);

    const outcome = await historyFor(deps, clerk(missing.enterpriseId), { enterpriseId: onTime.enterpriseId });

    expect(outcome).toMatchObject({ ok: false, refusal: { code: 'forbidden', message: { en: expect.stringContaining('only its own') } } });
    expect(attemptsAsked).toEqual([]);
  });

  it('admits a department or reviewer within the jurisdiction the registry places the enterprise in, and refuses one outside (403)', async () => {
    const { deps } = fakes([onTime], [record(onTime, '2026-01', '2026-02-03T02:00:00.000Z')]);

    await expect(historyFor(deps, jiangxi, { enterpriseId: onTime.enterpriseId })).resolves.toMatchObject({ ok: true });
    await expect(historyFor(deps, guangdong, { enterpriseId: onTime.enterpriseId })).resolves.toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
    await expect(historyFor(deps, reviewerJiujiang, { enterpriseId: onTime.enterpriseId })).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'forbidden', message: { en: expect.stringContaining('outside your jurisdiction') } },
    });
  });

  it('places an enterprise the registry no longer holds by its ledger records', async () => {
    const { deps } = fakes([], [record(elsewhere, '2026-01', '2026-02-03T02:00:00.000Z')]);

    await expect(historyFor(deps, jiangxi, { enterpriseId: elsewhere.enterpriseId })).resolves.toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
    await expect(historyFor(deps, guangdong, { enterpriseId: elsewhere.enterpriseId })).resolves.toMatchObject({ ok: true, value: { enterprise: null } });
  });

  it('refuses an enterprise neither the registry nor the ledger knows', async () => {
    const { deps } = fakes([onTime], []);

    await expect(historyFor(deps, jiangxi, { enterpriseId: missing.enterpriseId })).resolves.toMatchObject({
      ok: false,
      refusal: {
        code: 'not-found',
        message: { zh: expect.stringContaining(missing.enterpriseId), en: `no enterprise ${missing.enterpriseId} in the registry or the ledger` },
      },
    });
  });
});

describe('who the caller is', () => {
  it('names a city department’s jurisdiction and province, and lists the routes its role may call', () => {
    const me = meFor(nanchang);

    expect(me).toMatchObject({
      role: 'department',
      name: '南昌市生态环境局',
      jurisdiction: { kind: 'city', code: '360100', name: '南昌市', province: '360000', provinceName: '江西省' },
    });
    expect(me.routes).toContain('GET /league');
    expect(me.routes).not.toContain('POST /enterprises/{enterpriseId}/deposits');
  });

  it('gives an enterprise its credit code and its deposit route, and no department routes', () => {
    const me = meFor(clerk(onTime.enterpriseId));

    expect(me).toMatchObject({ role: 'enterprise', enterpriseId: onTime.enterpriseId });
    expect(me.routes).toContain('POST /enterprises/{enterpriseId}/deposits');
    expect(me.routes).not.toContain('GET /summaries');
  });
});

describe('what a caller’s scope reaches', () => {
  it('reads the jurisdiction’s summaries when no scope is named, and a city within a province', async () => {
    const { deps, rangesAsked } = fakes([], []);

    await summariesForCaller(deps, jiangxi, {});
    await summariesForCaller(deps, jiangxi, { scope: 'city:360400' });

    // Beside each code, the names it was stored under before codes (江西省, 九江市…) are read too.
    expect(rangesAsked.map(([scope]) => scope).filter((scope) => /\d{6}$/.test(scope))).toEqual(['province:360000', 'city:360400']);
  });

  it('refuses a scope outside the jurisdiction (403) and reads nothing', async () => {
    const { deps, rangesAsked, registryAsked } = fakes([], []);

    await expect(summariesForCaller(deps, nanchang, { scope: 'province:360000' })).resolves.toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
    await expect(lateForCaller(deps, guangdong, { scope: 'city:360100' })).resolves.toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
    expect(rangesAsked).toEqual([]);
    expect(registryAsked).toEqual([]);
  });

  it('answers the late list of the jurisdiction by default', async () => {
    const { deps } = fakes([onTime, missing, elsewhere], []);

    const outcome = await lateForCaller(deps, guangdong, { period: '2026-01' });

    expect(outcome).toMatchObject({ ok: true, value: { scope: 'province:440000', obliged: 1 } });
  });
});

describe('the city league', () => {
  it('ranks every city of the province from its city summaries over the trend, with when they were computed', async () => {
    const summary = (scope: string, period: Period, onTimeRate: number) =>
      ({ scope, period, obliged: 4, onTimeRate, firstPassRate: 0.5, computedAt: '2026-03-19T18:00:00.000Z' }) as unknown as StoredSummary;
    const kept: Record<string, StoredSummary[]> = {
      'city:360100': [summary('city:360100', '2026-01', 0.5), summary('city:360100', '2026-02', 0.75)],
      'city:360400': [summary('city:360400', '2026-02', 1)],
    };
    const asked: [string, Period, Period][] = [];
    const { deps } = fakes([], []);

    const outcome = await leagueFor(
      {
        ...deps,
        summaries: {
          range: async (scope, from, to) => {
            asked.push([scope, from, to]);
            return kept[scope] ?? [];
          },
        },
      },
      jiangxi,
      { months: 2 },
    );

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value).toMatchObject({ scope: 'province:360000', period: '2026-02', months: 2, computedAt: '2026-03-19T18:00:00.000Z' });
    expect(outcome.value.rows).toHaveLength(11);
    expect(outcome.value.rows.slice(0, 2)).toMatchObject([
      { city: '360400', cityName: '九江市', rank: 1, onTimeRate: 1 },
      {
        city: '360100',
        rank: 2,
        onTimeRate: 0.75,
        trend: [
          { period: '2026-01', onTimeRate: 0.5 },
          { period: '2026-02', onTimeRate: 0.75 },
        ],
      },
    ]);
    expect(outcome.value.rows[2]).toMatchObject({ rank: null, onTimeRate: null });
    expect(asked).toContainEqual(['city:360100', '2026-01', '2026-02']);
  });

  it('lists a city department’s own city only, and refuses a province outside its reach', async () => {
    const { deps } = fakes([], []);

    const own = await leagueFor(deps, nanchang, { months: 6 });
    const outside = await leagueFor(deps, nanchang, { months: 6, scope: 'province:360000' });

    expect(own.ok && own.value.rows.map((r) => r.city)).toEqual(['360100']);
    expect(outside).toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
  });
});

describe('the export links', () => {
  it('lists presigned links to the scope’s own export folder for the period, valid 15 minutes', async () => {
    const { deps, prefixesAsked } = fakes([], []);

    const outcome = await exportsFor(deps, nanchang, { period: '2026-01' });

    expect(prefixesAsked).toEqual(['exports/2026-01/scopes/city-360100/']);
    expect(outcome).toMatchObject({
      ok: true,
      value: {
        scope: 'city:360100',
        period: '2026-01',
        expiresAt: new Date(NOW.getTime() + 900_000).toISOString(),
        files: [{ fileName: 'summary.json', url: expect.stringContaining('X-Amz-Expires=900') }, { fileName: 'enterprises.csv' }],
      },
    });
  });

  it('refuses another province’s exports (403) without listing anything', async () => {
    const { deps, prefixesAsked } = fakes([], []);

    await expect(exportsFor(deps, jiangxi, { scope: 'province:440000' })).resolves.toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
    expect(prefixesAsked).toEqual([]);
  });
});

describe('one industry’s figures (?industry=)', () => {
  const cementWorks: Enterprise = {
    ...enterprise(11),
    industry: 'cement',
    industries: [{ industry: 'cement', obligedFrom: '2025-07' }],
    units: [{ unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000 }],
    obligedFrom: '2025-07',
  };
  const both: Enterprise = {
    ...enterprise(12),
    industries: [
      { industry: 'power', obligedFrom: '2025-01' },
      { industry: 'cement', obligedFrom: '2025-07' },
    ],
    units: [
      { unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 },
      { unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000 },
    ],
  };

  it('parses the industry by code or Chinese name and refuses one no catalogue has', () => {
    expect(LateRequestSchema.parse({ industry: '水泥熟料' }).industry).toBe('cement');
    expect(SummariesRequestSchema.parse({ industry: 'steel' }).industry).toBe('steel');
    expect(LeagueRequestSchema.safeParse({ industry: '化工' }).success).toBe(false);
  });

  it('lists only the late enterprises owing the industry that period, within the jurisdiction', async () => {
    const { deps } = fakes([onTime, missing, cementWorks, both, elsewhere], [record(onTime, '2026-01', '2026-02-03T02:00:00.000Z')]);

    const cement = await lateForCaller(deps, jiangxi, { period: '2026-01', industry: 'cement' });
    const power = await lateForCaller(deps, jiangxi, { period: '2026-01', industry: 'power' });

    expect(cement).toMatchObject({ ok: true, value: { scope: 'province:360000|industry:cement', industry: 'cement', obliged: 2 } });
    expect(cement.ok && cement.value.late.map((s) => s.enterpriseId).sort()).toEqual([cementWorks.enterpriseId, both.enterpriseId].sort());
    expect(power.ok && power.value.obliged).toBe(3);
    expect(power.ok && power.value.late.map((s) => s.enterpriseId).sort()).toEqual([missing.enterpriseId, both.enterpriseId].sort());
  });

  it('reads the jurisdiction’s summaries narrowed to the industry, and each city’s for the league', async () => {
    const { deps, rangesAsked } = fakes([], []);

    const summaries = await summariesForCaller(deps, jiangxi, { from: '2026-01', to: '2026-02', industry: 'cement' });
    const national = await summariesFor(deps, { scope: 'all', from: '2026-01', to: '2026-02', industry: 'steel' });
    const league = await leagueFor(deps, jiangxi, { months: 1, period: '2026-02', industry: 'aluminium' });
    const mismatch = await summariesFor(deps, { scope: 'industry:power', industry: 'steel' });

    expect(summaries).toMatchObject({ ok: true, value: { scope: 'province:360000|industry:cement', industry: 'cement' } });
    expect(national).toMatchObject({ ok: true, value: { scope: 'industry:steel' } });
    expect(league).toMatchObject({ ok: true, value: { scope: 'province:360000', industry: 'aluminium' } });
    expect(rangesAsked).toContainEqual(['province:360000|industry:cement', '2026-01', '2026-02']);
    expect(rangesAsked).toContainEqual(['city:360100|industry:aluminium', '2026-02', '2026-02']);
    expect(mismatch).toMatchObject({ ok: false, refusal: { code: 'bad-request' } });
  });
});
