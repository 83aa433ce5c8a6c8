/**
 * The authorisation matrix, on the twin, through the real OpenID provider: every seeded account
 * signs in on the provider's sign-in page, and every people's route is called as each of them for
 * its own and for another's enterprise, city and province. The expected statuses are written out
 * here by hand, not derived from the rules under test, so a rule that drifts fails a cell.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import type { Attempt } from '#domain/attempt.ts';
import type { Enterprise } from '#domain/registry.ts';
import { PEOPLE_ROUTES, routeKeyOf } from '#resources/api-routes.ts';
import { EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID, TWIN_ACCOUNTS } from '#twin/accounts.ts';
import { demoPdf, demoReport } from '#twin/demo.ts';
import { SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { bearer, signIn } from '../support/sign-in.ts';
import { testEnterprise, useTwin, waitForAttempts } from '../support/twin.ts';

const twin = useTwin();
// A month no other test file deposits for these two enterprises.
const PERIOD = '2023-05';
const NANCHANG: Enterprise = testEnterprise({ enterpriseId: EXAMPLE_ENTERPRISE_ID, name: '江西示范发电有限公司', city: '南昌', obligedFrom: '2023-01' });
const JIUJIANG: Enterprise = testEnterprise({ enterpriseId: JIUJIANG_ENTERPRISE_ID, name: '九江第4发电有限公司', city: '九江', obligedFrom: '2023-01' });

type Username = (typeof TWIN_ACCOUNTS)[number]['username'];
const USERS = TWIN_ACCOUNTS.map((a) => a.username);
const tokens = new Map<string, string>();
let nanchangAttempt: Attempt;

async function depositNeedingReview(enterprise: Enterprise, seed: number): Promise<Attempt> {
  await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
    enterpriseId: enterprise.enterpriseId,
    period: PERIOD,
    // An atypical NCV: a warning, so the attempt waits for a city reviewer.
    report: { fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, PERIOD, seed, 'atypical-ncv')) },
    evidence: [
      { fileName: 'ledger-scan.pdf', body: demoPdf('ledger') },
      { fileName: 'lab-report.pdf', body: demoPdf(`lab ${seed}`) },
    ],
    reportMetadata: { [SIMULATED_RECEIPT_METADATA]: '2023-06-20T02:00:00.000Z' },
  });
  const [attempt] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
  if (!attempt) throw new Error('no attempt');
  expect(attempt.verdict).toBe('needs-review');
  return attempt;
}

async function call(username: Username | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const token = username ? tokens.get(username) : undefined;
  const response = await fetch(`${twin.apiUrl}${path}`, {
    method,
    headers: { ...(token ? bearer(token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** Each account's status for one request, beside the expected ones: one readable diff per route. */
async function statuses(method: string, path: string, body?: unknown, users: readonly Username[] = USERS as Username[]): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (const user of users) seen[user] = (await call(user, method, path, body)).status;
  return seen;
}

/** Every account → `otherwise`, but those named. */
function expected(named: Partial<Record<Username, number>>, otherwise: number, users: readonly Username[] = USERS as Username[]): Record<string, number> {
  return Object.fromEntries(users.map((u) => [u, named[u] ?? otherwise]));
}

// Who may read each enterprise's deposits: itself, its city's and its province's reviewers and departments.
const READ_NANCHANG = { clerk: 200, 'reviewer-nanchang': 200, 'reviewer-jiangxi': 200, 'dept-jiangxi': 200, 'dept-nanchang': 200 } as const;
const READ_JIUJIANG = { 'clerk-jiujiang': 200, 'reviewer-jiujiang': 200, 'reviewer-jiangxi': 200, 'dept-jiangxi': 200 } as const;
// Who may read 南昌's figures: its and 江西's reviewers and departments.
const OVERSEE_NANCHANG = { 'reviewer-nanchang': 200, 'reviewer-jiangxi': 200, 'dept-jiangxi': 200, 'dept-nanchang': 200 } as const;
const OVERSIGHT = {
  'reviewer-nanchang': 200,
  'reviewer-jiujiang': 200,
  'reviewer-jiangxi': 200,
  'reviewer-hunan': 200,
  'dept-jiangxi': 200,
  'dept-nanchang': 200,
  'dept-hunan': 200,
} as const;

beforeAll(async () => {
  await twin.registry.putAll([NANCHANG, JIUJIANG]);
  nanchangAttempt = await depositNeedingReview(NANCHANG, 501);
  await depositNeedingReview(JIUJIANG, 502);
  for (const user of USERS) tokens.set(user, (await signIn(twin, user)).accessToken);
}, 120_000);

describe('without a token', () => {
  it('every people’s route answers 401, before it reads anything', async () => {
    const seen: Record<string, number> = {};
    for (const route of PEOPLE_ROUTES) {
      const path = route.path.replace('{enterpriseId}', EXAMPLE_ENTERPRISE_ID).replace('{attemptId}', nanchangAttempt.attemptId);
      seen[routeKeyOf(route)] = (await call(undefined, route.method, path, route.method === 'POST' ? {} : undefined)).status;
    }
    expect(seen).toEqual(Object.fromEntries(PEOPLE_ROUTES.map((r) => [routeKeyOf(r), 401])));
  });
});

describe('every role against every route', () => {
  it('GET /me and GET /receipt-key: anyone signed in', async () => {
    expect(await statuses('GET', '/me')).toEqual(expected({}, 200));
    expect(await statuses('GET', '/receipt-key')).toEqual(expected({}, 200));
  });

  it('GET /me says who the token says', async () => {
    const me = (await call('reviewer-jiangxi', 'GET', '/me')).json as Record<string, unknown>;
    expect(me).toMatchObject({ role: 'reviewer', level: 'province' });
    expect(JSON.stringify(me)).toContain('360000');
  });

  it("an enterprise's history: the enterprise, and its city's and province's reviewers and departments", async () => {
    expect(await statuses('GET', `/enterprises/${EXAMPLE_ENTERPRISE_ID}/history`)).toEqual(expected(READ_NANCHANG, 403));
    expect(await statuses('GET', `/enterprises/${JIUJIANG_ENTERPRISE_ID}/history`)).toEqual(expected(READ_JIUJIANG, 403));
  });

  it('an attempt and its receipt: the same readers; to anyone else of a reading role it does not exist', async () => {
    const outsiders = { 'clerk-jiujiang': 404, 'clerk-cement': 404, 'reviewer-jiujiang': 404, 'reviewer-hunan': 404, 'dept-hunan': 404, admin: 403 } as const;
    expect(await statuses('GET', `/attempts/${nanchangAttempt.attemptId}`)).toEqual(expected({ ...READ_NANCHANG, ...outsiders }, 0));
    expect(await statuses('GET', `/attempts/${nanchangAttempt.attemptId}/receipt`)).toEqual(expected({ ...READ_NANCHANG, ...outsiders }, 0));
  });

  it('opening a deposit: the enterprise itself, nobody else', async () => {
    const body = { period: '2023-06', report: { fileName: 'report.csv', size: 10, sha256: 'a'.repeat(64) }, evidence: [] };
    expect(await statuses('POST', `/enterprises/${EXAMPLE_ENTERPRISE_ID}/deposits`, body)).toEqual(expected({ clerk: 201 }, 403));
  });

  it("the month's template: the enterprise itself, nobody else", async () => {
    expect(await statuses('GET', `/enterprises/${EXAMPLE_ENTERPRISE_ID}/template?period=${PERIOD}`)).toEqual(expected({ clerk: 200 }, 403));
  });

  it('summaries, late list and exports of 南昌: its and 江西’s reviewers and departments', async () => {
    expect(await statuses('GET', '/summaries?scope=city:360100')).toEqual(expected(OVERSEE_NANCHANG, 403));
    expect(await statuses('GET', `/late?scope=city:360100&period=${PERIOD}`)).toEqual(expected(OVERSEE_NANCHANG, 403));
    expect(await statuses('GET', `/exports?scope=city:360100&period=${PERIOD}`)).toEqual(expected(OVERSEE_NANCHANG, 403));
  });

  it("the league table and one's own summaries: every reviewer and department, of its own jurisdiction", async () => {
    expect(await statuses('GET', `/league?period=${PERIOD}`)).toEqual(expected(OVERSIGHT, 403));
    expect(await statuses('GET', '/summaries')).toEqual(expected(OVERSIGHT, 403));
  });

  it('the registry: the administrator only', async () => {
    expect(await statuses('GET', '/registry')).toEqual(expected({ admin: 200 }, 403));
    expect(await statuses('POST', '/registry', { enterprises: [NANCHANG, JIUJIANG] })).toEqual(expected({ admin: 200 }, 403));
  });

  it('the inbox: reviewers only, each its own jurisdiction and level', async () => {
    expect(await statuses('GET', '/inbox')).toEqual(
      expected({ 'reviewer-nanchang': 200, 'reviewer-jiujiang': 200, 'reviewer-jiangxi': 200, 'reviewer-hunan': 200 }, 403),
    );
    const inboxOf = async (user: Username) => JSON.stringify((await call(user, 'GET', `/inbox?period=${PERIOD}`)).json);
    expect(await inboxOf('reviewer-nanchang')).toContain(nanchangAttempt.attemptId);
    expect(await inboxOf('reviewer-jiujiang')).not.toContain(nanchangAttempt.attemptId);
    // Not escalated: not yet the province's.
    expect(await inboxOf('reviewer-jiangxi')).not.toContain(nanchangAttempt.attemptId);
    expect(await inboxOf('reviewer-hunan')).not.toContain(nanchangAttempt.attemptId);
  });

  it("a decision: only 南昌's city reviewer, until it escalates; then only 江西's provincial reviewer", async () => {
    const path = `/attempts/${nanchangAttempt.attemptId}/decision`;
    // A body claiming the province's level changes nothing: the level is the token's.
    const escalate = { outcome: 'escalate', comment: '请省级复核低位发热量', level: 'province', reviewer: 'someone-else' };
    const others = USERS.filter((u) => u !== 'reviewer-nanchang') as Username[];
    const refusals = { 'clerk-jiujiang': 403, 'reviewer-jiujiang': 404, 'reviewer-hunan': 404 } as const;
    expect(await statuses('POST', path, escalate, others)).toEqual(expected(refusals, 403, others));
    expect((await call('reviewer-nanchang', 'POST', path, escalate)).status).toBe(201);
    const inboxOf = async (user: Username) => JSON.stringify((await call(user, 'GET', `/inbox?period=${PERIOD}`)).json);
    expect(await inboxOf('reviewer-nanchang')).not.toContain(nanchangAttempt.attemptId);
    expect(await inboxOf('reviewer-jiangxi')).toContain(nanchangAttempt.attemptId);

    const accept = { outcome: 'accept', comment: '化验报告已核对，发热量属实' };
    expect((await call('reviewer-nanchang', 'POST', path, accept)).status).toBe(403);
    expect((await call('reviewer-hunan', 'POST', path, accept)).status).toBe(404);
    const decided = await call('reviewer-jiangxi', 'POST', path, accept);
    expect(decided.status).toBe(201);
    expect(JSON.stringify(decided.json)).toContain('江西省审核员');
    expect(JSON.stringify(decided.json)).not.toContain('someone-else');
  });
});
