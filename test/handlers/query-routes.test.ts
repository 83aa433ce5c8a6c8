/**
 * Every route of the query function, called as the twin's seeded accounts (their claims as API
 * Gateway's JWT authorizer passes them on): each allowed role gets 200 for its own enterprise or
 * jurisdiction and 403 (a place it named) or 404 (an opaque id) for another's; roles the route
 * does not name get 403 from the boundary.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DepartmentReader, StoredSummary } from '#app/ports.ts';
import type { Attempt, EnterprisePeriod } from '#domain/attempt.ts';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import { DEFAULT_CLAIM_MAPPING } from '#domain/identity.ts';
import type { Enterprise } from '#domain/registry.ts';
import { makeHandler, type QueryApiDeps } from '#functions/query/make-handler.ts';
import { observability } from '#lambda/middy.ts';
import { apiGatewayEvent, asAccount, type Caller } from '#test/support/api-events.ts';
import { EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID } from '#twin/accounts.ts';

const NANCHANG: Enterprise = {
  enterpriseId: EXAMPLE_ENTERPRISE_ID,
  name: '江西示范发电',
  province: '360000',
  city: '360100',
  industry: 'power',
  units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
  obligedFrom: '2025-01',
};
const JIUJIANG: Enterprise = { ...NANCHANG, enterpriseId: JIUJIANG_ENTERPRISE_ID, name: '九江第4发电', city: '360400' };

const attemptOf = (e: Enterprise): Attempt => ({
  attemptId: `att-${e.city}`,
  enterpriseId: e.enterpriseId,
  period: '2026-01',
  depositId: 'd1',
  reportKey: `reports/${e.enterpriseId}/2026-01/d1/report.csv`,
  reportVersion: 'e1',
  receivedAt: '2026-02-05T02:00:00.000Z',
  timeliness: { lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'accepted',
  validation: { valid: true, verdict: 'accepted', stats: { errors: 0, warnings: 0, infos: 0 }, issues: [] },
  files: [],
  recordedAt: '2026-02-05T02:00:01.000Z',
});
const recordOf = (e: Enterprise): EnterprisePeriod => {
  const a = attemptOf(e);
  return {
    enterpriseId: e.enterpriseId,
    period: '2026-01',
    province: e.province,
    city: e.city,
    industry: 'power',
    version: 1,
    attempts: [{ attemptId: a.attemptId, reportKey: a.reportKey, receivedAt: a.receivedAt, onTime: true, verdict: 'accepted', errors: 0, warnings: 0 }],
  };
};
const enterprises = [NANCHANG, JIUJIANG];
const attempts = enterprises.map(attemptOf);
const records = enterprises.map(recordOf);

const reader: DepartmentReader = {
  registry: async (provinces) => enterprises.filter((e) => !provinces || provinces.includes(e.province)),
  recordsOf: async (period) => records.filter((r) => r.period === period),
  historyOf: async (id) => records.filter((r) => r.enterpriseId === id),
  enterprise: async (id) => enterprises.find((e) => e.enterpriseId === id),
};
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const deps: QueryApiDeps = {
  claims: DEFAULT_CLAIM_MAPPING,
  reader: () => reader,
  summaries: {
    range: async (scope, from, to) =>
      scope === 'city:360100' && from <= '2026-02' && to >= '2026-02'
        ? [{ scope, period: '2026-02', obliged: 1, onTimeRate: 1, firstPassRate: 1, computedAt: '2026-03-19T18:00:00.000Z' } as unknown as StoredSummary]
        : [],
  },
  rules: DEFAULT_DEADLINE_RULES,
  attempts: {
    findAttempt: async (id) => attempts.find((a) => a.attemptId === id),
    getDeposit: async (e, p) => records.find((r) => r.enterpriseId === e && r.period === p),
    getAttempt: async (_e, _p, id) => attempts.find((a) => a.attemptId === id),
  },
  registry: { get: async (id) => enterprises.find((e) => e.enterpriseId === id) },
  exports: {
    linksUnder: async (prefix) => [{ key: `${prefix}summary.json`, size: 1, lastModified: '2026-03-20T00:00:00.000Z', url: `https://x/${prefix}summary.json` }],
  },
  signer: {
    sign: async (bytes) => ({ keyId: 'k', alg: 'ECDSA_SHA_256', value: sign('sha256', bytes, { key: privateKey, dsaEncoding: 'der' }).toString('base64') }),
    publicKeyPem: async () => publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  },
  now: () => new Date('2026-03-20T00:00:00+08:00'),
};
const handler = makeHandler(deps, observability('query')) as (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const context = { functionName: 'query', awsRequestId: 'r1' } as Context;

async function call(routeKey: string, caller: Caller, params?: Record<string, string>, query?: Record<string, string>) {
  const reply = await handler(apiGatewayEvent({ routeKey, caller, ...(params ? { params } : {}), ...(query ? { query } : {}) }), context);
  return { status: reply.statusCode, body: JSON.parse(reply.body ?? '{}') as Record<string, unknown> };
}

describe('GET /me', () => {
  it.each([
    ['clerk', { role: 'enterprise', enterpriseId: EXAMPLE_ENTERPRISE_ID }],
    ['reviewer-jiujiang', { role: 'reviewer', level: 'city', jurisdiction: { kind: 'city', code: '360400', name: '九江市', provinceName: '江西省' } }],
    ['dept-jiangxi', { role: 'department', jurisdiction: { kind: 'province', code: '360000', name: '江西省' } }],
    ['admin', { role: 'administrator', routes: expect.arrayContaining(['GET /registry', 'POST /registry']) }],
  ])('tells %s who the token says it is', async (account, expected) => {
    const { status, body } = await call('GET /me', asAccount(account));

    expect(status).toBe(200);
    expect(body).toMatchObject({ name: expect.any(String), routes: expect.any(Array), ...expected });
  });

  it('answers 401 to a request without a token', async () => {
    expect((await call('GET /me', 'anonymous')).status).toBe(401);
  });
});

describe('GET /summaries and GET /late', () => {
  it.each(['GET /summaries', 'GET /late'])('%s: a department reads its own jurisdiction by default and a city within it', async (routeKey) => {
    const own = await call(routeKey, asAccount('dept-jiangxi'));
    const city = await call(routeKey, asAccount('dept-jiangxi'), undefined, { scope: 'city:九江' });

    expect([own.status, own.body.scope]).toEqual([200, 'province:360000']);
    expect([city.status, city.body.scope]).toEqual([200, 'city:360400']);
  });

  it.each([
    ['GET /summaries', 'dept-nanchang', 'province:360000'],
    ['GET /late', 'dept-hunan', 'city:360100'],
    ['GET /late', 'reviewer-jiujiang', 'city:360100'],
  ])('%s: %s is refused %s (403)', async (routeKey, account, scope) => {
    const { status, body } = await call(routeKey, asAccount(account), undefined, { scope });

    expect(status).toBe(403);
    expect(body).toMatchObject({ error: 'forbidden', message: expect.stringContaining('outside your jurisdiction') });
  });

  it('refuses an enterprise and the administrator (403, by role)', async () => {
    expect((await call('GET /summaries', asAccount('clerk'))).status).toBe(403);
    expect((await call('GET /late', asAccount('admin'))).status).toBe(403);
  });
});

describe('GET /league', () => {
  it('ranks the province’s eleven cities for its department, 南昌 first with its figures', async () => {
    const { status, body } = await call('GET /league', asAccount('dept-jiangxi'), undefined, { period: '2026-02', months: '3' });

    expect(status).toBe(200);
    const rows = body.rows as { city: string; rank: number | null; trend: unknown[] }[];
    expect(rows).toHaveLength(11);
    expect(rows[0]).toMatchObject({ city: '360100', rank: 1, computedAt: '2026-03-19T18:00:00.000Z' });
    expect(rows[0]?.trend).toHaveLength(3);
    expect(rows[1]).toMatchObject({ rank: null, onTimeRate: null });
  });

  it('gives a city reviewer its city only, refuses another province (403) and a look-back over 24 months (400)', async () => {
    const own = await call('GET /league', asAccount('reviewer-jiujiang'));
    const other = await call('GET /league', asAccount('dept-hunan'), undefined, { scope: 'province:360000' });
    const tooLong = await call('GET /league', asAccount('dept-jiangxi'), undefined, { months: '25' });

    expect((own.body.rows as { city: string }[]).map((r) => r.city)).toEqual(['360400']);
    expect(other.status).toBe(403);
    expect(tooLong.status).toBe(400);
  });
});

describe('GET /exports', () => {
  it('links a department to its own scope’s export files, and refuses another’s (403)', async () => {
    const own = await call('GET /exports', asAccount('dept-nanchang'), undefined, { period: '2026-01' });
    const other = await call('GET /exports', asAccount('dept-nanchang'), undefined, { period: '2026-01', scope: 'city:360400' });

    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ scope: 'city:360100', files: [{ fileName: 'summary.json', key: 'exports/2026-01/scopes/city-360100/summary.json' }] });
    expect(other.status).toBe(403);
  });
});

describe('GET /enterprises/{enterpriseId}/history', () => {
  const history = (account: string, enterpriseId: string) => call('GET /enterprises/{enterpriseId}/history', asAccount(account), { enterpriseId });

  it.each([
    ['clerk', EXAMPLE_ENTERPRISE_ID],
    ['clerk-jiujiang', JIUJIANG_ENTERPRISE_ID],
    ['reviewer-nanchang', EXAMPLE_ENTERPRISE_ID],
    ['reviewer-jiangxi', JIUJIANG_ENTERPRISE_ID],
    ['dept-nanchang', EXAMPLE_ENTERPRISE_ID],
  ])('answers %s the history of %s, with its latest attempt', async (account, enterpriseId) => {
    const { status, body } = await history(account, enterpriseId);

    expect(status).toBe(200);
    expect(body).toMatchObject({ enterpriseId });
    // Every owed month is listed (2025-01 to February, the last ended); January holds the attempt.
    const periods = body.periods as { period: string }[];
    expect(periods.map((p) => p.period)).toHaveLength(14);
    expect(periods.find((p) => p.period === '2026-01')).toMatchObject({ attempts: [{ attempt: 1, verdict: 'accepted' }], latest: { issues: [] } });
  });

  it.each([
    ['clerk', JIUJIANG_ENTERPRISE_ID],
    ['clerk-jiujiang', EXAMPLE_ENTERPRISE_ID],
    ['reviewer-jiujiang', EXAMPLE_ENTERPRISE_ID],
    ['dept-nanchang', JIUJIANG_ENTERPRISE_ID],
    ['dept-hunan', EXAMPLE_ENTERPRISE_ID],
    ['admin', EXAMPLE_ENTERPRISE_ID],
  ])('refuses %s the history of %s (403)', async (account, enterpriseId) => {
    expect((await history(account, enterpriseId)).status).toBe(403);
  });
});

describe('GET /attempts/{attemptId}/receipt', () => {
  const receipt = (account: string, attemptId: string) => call('GET /attempts/{attemptId}/receipt', asAccount(account), { attemptId });

  it.each([
    ['clerk', 'att-360100'],
    ['reviewer-jiujiang', 'att-360400'],
    ['dept-jiangxi', 'att-360100'],
  ])('signs %s a receipt for %s, an attempt of an enterprise it reads', async (account, attemptId) => {
    const { status, body } = await receipt(account, attemptId);

    expect(status).toBe(200);
    expect(body).toMatchObject({ attempt: { attemptId } });
  });

  it.each([
    ['clerk', 'att-360400'],
    ['reviewer-nanchang', 'att-360400'],
    ['dept-hunan', 'att-360100'],
  ])('answers %s as if %s did not exist (404)', async (account, attemptId) => {
    const { status, body } = await receipt(account, attemptId);

    expect(status).toBe(404);
    expect(body).toMatchObject({ error: 'not-found' });
  });
});

describe('GET /receipt-key', () => {
  it.each(['clerk', 'reviewer-hunan', 'dept-hunan', 'admin'])('publishes the key to %s', async (account) => {
    const { status, body } = await call('GET /receipt-key', asAccount(account));

    expect(status).toBe(200);
    expect(body).toMatchObject({ publicKeyPem: expect.stringContaining('PUBLIC KEY') });
  });
});
