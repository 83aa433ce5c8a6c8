/** The review commands' small parsers, and the review API as the CLI reads it: decisions, attempts, the inbox page by page. */
import { describe, expect, it, vi } from 'vitest';
import type { DecisionRequest } from '#domain/review.ts';
import { ApiClient } from '#cli/api-client.ts';
import { EXIT } from '#cli/exit-codes.ts';
import { ApiReviewInbox, apiBackend } from '#cli/review/api-client.ts';
import { parseIssueComment } from '#cli/review/commands.ts';
import { attemptWith, itemFor, warning } from './review-fixtures.ts';

describe('--issue-comment', () => {
  it('reads CODE=comment, CODE@unit=comment and CODE@unit/field=comment (the comment may hold = and @)', () => {
    expect(parseIssueComment('EVD-X=看附件')).toEqual({ code: 'EVD-X', comment: '看附件' });
    expect(parseIssueComment('EVD-X@1=a=b')).toEqual({ code: 'EVD-X', unitId: '1', comment: 'a=b' });
    expect(parseIssueComment('EVD-X@2/powerSupplied=see a@b')).toEqual({ code: 'EVD-X', unitId: '2', field: 'powerSupplied', comment: 'see a@b' });
  });

  it('refuses text without a code before =', () => {
    expect(() => parseIssueComment('=comment')).toThrow('expected CODE[@unit[/field]]=comment');
    expect(() => parseIssueComment('no comment')).toThrow('expected CODE[@unit[/field]]=comment');
  });
});

const tokens = { token: async () => 'tok-1', refresh: async () => undefined };
const replying = (status: number, body: unknown) =>
  vi.fn<typeof fetch>(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }));
const apiWith = (fetchImpl: typeof fetch, base = 'https://api.test/prod') => new ApiClient(base, tokens, fetchImpl);

describe('the review API client', () => {
  const request: DecisionRequest = { outcome: 'accept', comment: 'ok', issueComments: [], decisionId: 'd-1' };

  it('posts the decision to /attempts/{id}/decision under the API’s base path, with the bearer token, and reads what was stored', async () => {
    const fetchImpl = replying(201, { status: 'replayed', verdict: 'accepted', attemptNumber: 2 });

    const answer = await apiBackend(apiWith(fetchImpl)).decide('a/1', request);

    expect(answer).toEqual({ ok: true, status: 'replayed', verdict: 'accepted', attemptNumber: 2 });
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect(String(url)).toBe('https://api.test/prod/attempts/a%2F1/decision');
    expect(init).toMatchObject({ method: 'POST', body: JSON.stringify(request), headers: { authorization: 'Bearer tok-1' } });
  });

  it('turns a refusal into its code, the API’s message and its exit code; a fault is thrown', async () => {
    const settled = await apiBackend(apiWith(replying(409, { error: 'already-decided', message: '已由王芳通过 / already accepted by 王芳' }))).decide(
      'a1',
      request,
    );
    const forbidden = await apiBackend(apiWith(replying(403, { error: 'forbidden', message: '不在管辖范围 / outside your jurisdiction' }))).decide(
      'a1',
      request,
    );

    expect(settled).toEqual({ ok: false, code: 'already-decided', message: '已由王芳通过 / already accepted by 王芳', exitCode: EXIT.conflict });
    expect(forbidden).toMatchObject({ ok: false, code: 'forbidden', exitCode: EXIT.forbidden });
    await expect(apiBackend(apiWith(replying(502, 'oops'))).decide('a1', request)).rejects.toMatchObject({ exitCode: EXIT.error });
    await expect(apiBackend(apiWith(replying(401, { error: 'unauthenticated' }))).decide('a1', request)).rejects.toMatchObject({ exitCode: EXIT.signIn });
  });

  it('shows an attempt, undefined when the API does not know it (or it is not the caller’s), and throws on any other failure', async () => {
    const view = { attempt: { attemptId: 'a1' }, attemptNumber: 1, attempts: 1 };

    expect(await apiBackend(apiWith(replying(200, view))).show('a1')).toEqual(view);
    expect(await apiBackend(apiWith(replying(404, { error: 'not-found', message: 'no attempt' }))).show('a1')).toBeUndefined();
    await expect(apiBackend(apiWith(replying(500, { error: 'internal' }))).show('a1')).rejects.toThrow('GET /attempts/a1: HTTP 500');
  });
});

describe('the inbox over GET /inbox', () => {
  const first = itemFor(attemptWith([warning], { attemptId: 'a000000000000001' }));
  const second = itemFor(attemptWith([warning], { attemptId: 'a000000000000002' }));
  const page = (items: unknown[], cursor?: string) => ({
    inbox: { level: 'city', jurisdiction: '360100' },
    items,
    counts: { total: 2, byCity: {} },
    ...(cursor ? { cursor } : {}),
  });

  it('asks with the filters, offers the oldest not yet passed over, follows the cursor, and waits when nothing is new', async () => {
    const fetchImpl = vi.fn<typeof fetch>(async (url) => {
      const cursor = new URL(String(url)).searchParams.get('cursor');
      return new Response(JSON.stringify(cursor ? page([second]) : page([first], 'next-1')), { status: 200 });
    });
    const slept: number[] = [];
    const inbox = new ApiReviewInbox(apiWith(fetchImpl, 'http://127.0.0.1:1/'), { enterpriseId: first.enterpriseId, period: '2026-01' }, async (ms) => {
      slept.push(ms);
    });

    const one = await inbox.next(10);
    inbox.pass(first);
    const two = await inbox.next(10);
    inbox.pass(second);
    const none = await inbox.next(10);

    expect([one?.attemptId, two?.attemptId, none]).toEqual([first.attemptId, second.attemptId, undefined]);
    const asked = new URL(String(fetchImpl.mock.calls[0]?.[0]));
    expect(asked.pathname).toBe('/inbox');
    expect(Object.fromEntries(asked.searchParams)).toEqual({ enterprise: first.enterpriseId, period: '2026-01', limit: '50' });
    expect(slept).toEqual([10_000]);
  });
});
