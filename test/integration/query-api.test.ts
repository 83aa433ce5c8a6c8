/**
 * The query API through the twin's HTTP server (API Gateway HTTP API events → query function), as
 * 江西's department signed in at the twin's OpenID provider.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demoCreditCode } from '#twin/demo.ts';
import { bearer, signIn } from '../support/sign-in.ts';
import { useTwin } from '../support/twin.ts';
import { invokeNightly, NIGHT, PERIOD, seedCity } from './rates-fixture.ts';

const twin = useTwin();
let fixture: Awaited<ReturnType<typeof seedCity>>;
let token: string;

async function get(path: string): Promise<{
  status: number;
  body: Record<string, unknown> & { error?: string; message?: string };
}> {
  const response = await fetch(`${twin.apiUrl}${path}`, { headers: bearer(token) });
  expect(response.headers.get('content-type')).toContain('application/json');
  return { status: response.status, body: (await response.json()) as never };
}

beforeAll(async () => {
  // 萍乡 is this file's own city on the shared twin; 江西's department may read each of its cities.
  ({ accessToken: token } = await signIn(twin, 'dept-jiangxi'));
  fixture = await seedCity(twin, '萍乡市');
  await invokeNightly(twin, NIGHT);
});

describe('GET /summaries', () => {
  it('returns a scope’s summaries for a range of periods, oldest first', async () => {
    const { status, body } = await get(`/summaries?scope=${encodeURIComponent(fixture.scope)}&from=2025-12&to=2026-02`);

    expect(status).toBe(200);
    const summaries = body.summaries as {
      period: string;
      onTimeRate: number | null;
      firstPassRate: number | null;
    }[];
    expect(summaries.map((s) => s.period)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(summaries[1]).toMatchObject({
      onTimeRate: 0.6,
      firstPassRate: 2 / 3,
    });
  });

  it.each([
    ['a scope that is not one', '/summaries?scope=town:x', /scope/],
    ['a city that does not exist', `/summaries?scope=${encodeURIComponent('city:南仓')}`, /未知的城市 \/ unknown city: 南仓/],
    ['a malformed period', '/summaries?from=2026-13', /YYYY-MM/],
    ['a range that runs backwards', '/summaries?from=2026-03&to=2026-01', /after/],
  ])('answers 400 with the reason for %s', async (_, path, reason) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: 'bad-request',
      message: expect.stringMatching(reason),
    });
  });
});

describe('GET /late', () => {
  it('lists who is late or missing for the period, the longest overdue first, computed from the ledger now', async () => {
    const { status, body } = await get(`/late?period=${PERIOD}&scope=${encodeURIComponent(fixture.scope)}`);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      period: PERIOD,
      scope: fixture.scope,
      obliged: 5,
      pending: 0,
    });
    const late = body.late as {
      enterpriseId: string;
      submission: string;
      lateBySeconds: number;
      name: string;
    }[];
    expect(late.map((s) => [s.enterpriseId, s.submission])).toEqual([
      [fixture.enterprises.missing.enterpriseId, 'missing'],
      [fixture.enterprises.late.enterpriseId, 'late'],
    ]);
    // Received 10:00 on 20 March, Beijing time; the deadline was the end of 12 March.
    expect(late[1]?.lateBySeconds).toBe(7 * 86_400 + 10 * 3600);
  });
});

describe('GET /enterprises/{enterpriseId}/history', () => {
  it('returns each period with its attempts in receipt order and where the enterprise stands', async () => {
    const { status, body } = await get(`/enterprises/${fixture.enterprises.corrected.enterpriseId}/history`);

    expect(status).toBe(200);
    // The registry keys the place by code; the answer names it too.
    expect(body.enterprise).toMatchObject({ province: '360000', city: fixture.code, cityName: '萍乡市', provinceName: '江西省' });
    // Every month owed since obligedFrom is listed; the one deposited carries its attempts.
    const periods = body.periods as { period: string; attempts: unknown[] }[];
    const deposited = periods.filter((p) => p.attempts.length > 0);
    expect(deposited).toEqual([
      expect.objectContaining({
        period: PERIOD,
        submission: 'on-time',
        firstPass: 'returned',
        attempts: [expect.objectContaining({ attempt: 1, verdict: 'returned' }), expect.objectContaining({ attempt: 2, verdict: 'accepted' })],
      }),
    ]);
    expect(periods.find((p) => p.period === '2024-01')).toMatchObject({ submission: 'missing', attempts: [] });
  });

  it('answers 400 for a malformed credit code and 404 for one nobody knows', async () => {
    expect((await get('/enterprises/not-a-code/history')).status).toBe(400);
    expect(await get(`/enterprises/${demoCreditCode(99_999_999, '369800')}/history`)).toMatchObject({ status: 404, body: { error: 'not-found' } });
  });
});

it('answers 404 for a route the API does not have', async () => {
  const response = await fetch(`${twin.apiUrl}/nowhere`, { headers: bearer(token) });
  expect(response.status).toBe(404);
});
