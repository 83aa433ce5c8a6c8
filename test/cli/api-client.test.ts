/**
 * The people's API client: the bearer token on every request, one refresh and retry after a 401,
 * each refusal's exit code, and no token in anything it says.
 */
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiRefusal, exitCodeOfStatus, redact, refusalOf } from '#cli/api-client.ts';
import type { TokenSource } from '#cli/auth/session.ts';
import { CliError, EXIT } from '#cli/exit-codes.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGVyayJ9.c2lnbmF0dXJl';

function tokensOf(current: string, refreshed?: string): TokenSource & { refreshes: number } {
  const source = {
    refreshes: 0,
    token: async () => current,
    refresh: async () => {
      source.refreshes++;
      return refreshed;
    },
  };
  return source;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('refusals and their exit codes', () => {
  it.each([
    [401, EXIT.signIn],
    [403, EXIT.forbidden],
    [404, EXIT.notFound],
    [409, EXIT.conflict],
    [412, EXIT.conflict],
    [422, EXIT.conflict],
    [400, EXIT.usage],
    [413, EXIT.usage],
    [429, EXIT.error],
    [500, EXIT.error],
    [503, EXIT.error],
  ])('HTTP %i exits %i', (status, code) => {
    expect(exitCodeOfStatus(status)).toBe(code);
    expect(refusalOf('GET', '/x', status, '{}').exitCode).toBe(code);
  });

  it('reads the API’s { error, message } (plain or in both languages) and names the route', () => {
    const plain = refusalOf(
      'GET',
      '/summaries',
      403,
      JSON.stringify({ error: 'forbidden', message: '只有主管部门和审核人可以查看汇总 / only departments and reviewers read summaries' }),
    );
    const bilingual = refusalOf('POST', '/attempts/a1/decision', 409, JSON.stringify({ error: 'superseded', message: { zh: '已被取代', en: 'superseded' } }));
    const gateway = refusalOf('GET', '/late', 502, '<html>Bad Gateway</html>');

    expect(plain).toBeInstanceOf(ApiRefusal);
    expect(plain).toMatchObject({ status: 403, code: 'forbidden', detail: '只有主管部门和审核人可以查看汇总 / only departments and reviewers read summaries' });
    expect(plain.message).toBe(
      'GET /summaries: 无权操作 / forbidden (forbidden) — 只有主管部门和审核人可以查看汇总 / only departments and reviewers read summaries',
    );
    expect(bilingual).toMatchObject({ code: 'superseded', detail: '已被取代 / superseded', exitCode: EXIT.conflict });
    expect(gateway).toMatchObject({ code: 'http-502', exitCode: EXIT.error });
    expect(gateway.message).toContain('<html>Bad Gateway</html>');
  });

  it('a 401 says to sign in, in both languages', () => {
    expect(refusalOf('GET', '/me', 401, JSON.stringify({ error: 'unauthenticated', message: 'sign in first' })).message).toContain(
      '请先登录 / sign in first: evidence login',
    );
  });

  it('never repeats a token, whatever the API or the network said', () => {
    expect(redact(`Authorization: Bearer ${JWT}`)).toBe('Authorization: Bearer [redacted]');
    expect(redact(`the token ${JWT} is bad`)).toBe('the token [token] is bad');
    expect(refusalOf('GET', '/me', 400, JSON.stringify({ error: 'bad-request', message: `bad ${JWT}` })).message).not.toContain(JWT);
  });
});

describe('ApiClient', () => {
  it('sends the bearer token, the query (without empty values) under the base path, and parses the answer', async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => json(200, { ok: 1 }));
    const api = new ApiClient('https://api.test/prod', tokensOf('tok-1'), fetchImpl);

    const answer = await api.get<{ ok: number }>('/late', { scope: 'city:360100', period: '2026-03', city: undefined, limit: '' });

    expect(answer).toEqual({ ok: 1 });
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect(String(url)).toBe('https://api.test/prod/late?scope=city%3A360100&period=2026-03');
    expect(init?.headers).toEqual({ authorization: 'Bearer tok-1', accept: 'application/json' });
  });

  it('after a 401 refreshes once and repeats the request with the new token', async () => {
    const fetchImpl = vi.fn<typeof fetch>(async (_url, init) =>
      (init?.headers as Record<string, string> | undefined)?.authorization === 'Bearer fresh'
        ? json(201, { depositId: 'd1' })
        : json(401, { error: 'unauthenticated' }),
    );
    const tokens = tokensOf('stale', 'fresh');
    const api = new ApiClient('http://127.0.0.1:1/', tokens, fetchImpl);

    const answer = await api.post<{ depositId: string }>('/enterprises/E/deposits', { period: '2026-03' });

    expect(answer).toEqual({ depositId: 'd1' });
    expect(tokens.refreshes).toBe(1);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(fetchImpl.mock.calls[1]?.[1]).toMatchObject({ method: 'POST', body: JSON.stringify({ period: '2026-03' }) });
  });

  it('a 401 that a refresh does not cure: "sign in first", exit 7, one refresh only', async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => json(401, { error: 'unauthenticated', message: 'no valid access token' }));
    const noRefresh = tokensOf('stale');
    const stillRefused = tokensOf('stale', 'also-refused');

    await expect(new ApiClient('http://127.0.0.1:1/', noRefresh, fetchImpl).get('/me')).rejects.toMatchObject({ exitCode: EXIT.signIn });
    await expect(new ApiClient('http://127.0.0.1:1/', stillRefused, fetchImpl).get('/me')).rejects.toMatchObject({ exitCode: EXIT.signIn });
    expect(stillRefused.refreshes).toBe(1);
    expect(fetchImpl).toHaveBeenCalledTimes(3);
  });

  it('an unreachable API is a fault (exit 1) naming where, not the token', async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    });

    const failure = await new ApiClient('http://127.0.0.1:9/', tokensOf(JWT), fetchImpl).get('/me').catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(CliError);
    expect(failure).toMatchObject({ exitCode: EXIT.error });
    expect((failure as Error).message).toBe('无法连接 API / cannot reach the API at http://127.0.0.1:9: ECONNREFUSED');
  });

  it('asks for no token before it needs one: a missing sign-in is the token source’s "sign in first"', async () => {
    const fetchImpl = vi.fn<typeof fetch>();
    const tokens: TokenSource = {
      token: async () => {
        throw new CliError('尚未登录 / not signed in; 请先登录 / sign in first: evidence login', EXIT.signIn);
      },
      refresh: async () => undefined,
    };

    await expect(new ApiClient('http://127.0.0.1:1/', tokens, fetchImpl).get('/me')).rejects.toMatchObject({ exitCode: EXIT.signIn });
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});
