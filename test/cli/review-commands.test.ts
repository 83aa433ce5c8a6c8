/** The review commands' small parsers, and the API client's reading of the review API's answers. */
import { describe, expect, it, vi } from 'vitest';
import type { DecisionRequest } from '#domain/review.ts';
import { apiBackend } from '#cli/review/api-client.ts';
import { levelOption, parseIssueComment } from '#cli/review/commands.ts';
import type { signedFetch } from '#cli/signed-fetch.ts';

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

describe('--level', () => {
  it('takes city or province only', () => {
    expect(levelOption('province')).toBe('province');
    expect(() => levelOption('county')).toThrow('--level county: expected city or province');
  });
});

describe('the review API client', () => {
  const request: DecisionRequest = { outcome: 'accept', reviewer: 'li.wei', level: 'city', comment: 'ok', issueComments: [] };
  const replying = (status: number, body: unknown) => vi.fn<typeof signedFetch>(async () => new Response(JSON.stringify(body), { status }));

  it('posts the decision to /attempts/{id}/decision under the API’s base path and reads what was stored', async () => {
    const fetchApi = replying(200, { status: 'replayed', verdict: 'accepted', attemptNumber: 2 });

    const answer = await apiBackend({ target: 'aws' }, 'https://api.test/prod', fetchApi).decide('a/1', request);

    expect(answer).toEqual({ ok: true, status: 'replayed', verdict: 'accepted', attemptNumber: 2 });
    expect(fetchApi).toHaveBeenCalledWith({ target: 'aws' }, new URL('https://api.test/prod/attempts/a%2F1/decision'), {
      method: 'POST',
      body: JSON.stringify(request),
    });
  });

  it('turns a refusal into its code and message, in both languages where the API gives both', async () => {
    const plain = await apiBackend({ target: 'twin' }, 'http://127.0.0.1:1/', replying(409, { error: 'already-decided', message: 'already accepted' })).decide(
      'a1',
      request,
    );
    const bilingual = await apiBackend(
      { target: 'twin' },
      'http://127.0.0.1:1/',
      replying(409, { error: 'superseded', message: { zh: '已被取代', en: 'superseded' } }),
    ).decide('a1', request);
    const bare = await apiBackend(
      { target: 'twin' },
      'http://127.0.0.1:1/',
      vi.fn<typeof signedFetch>(async () => new Response('oops', { status: 502 })),
    ).decide('a1', request);

    expect(plain).toEqual({ ok: false, code: 'already-decided', message: 'already accepted' });
    expect(bilingual).toEqual({ ok: false, code: 'superseded', message: '已被取代 / superseded' });
    expect(bare).toEqual({ ok: false, code: 'http-502', message: 'HTTP 502' });
  });

  it('shows an attempt, undefined when the API does not know it, and throws on any other failure', async () => {
    const view = { attempt: { attemptId: 'a1' }, attemptNumber: 1, attempts: 1 };

    expect(await apiBackend({ target: 'twin' }, 'http://127.0.0.1:1', replying(200, view)).show('a1')).toEqual(view);
    expect(await apiBackend({ target: 'twin' }, 'http://127.0.0.1:1', replying(404, {})).show('a1')).toBeUndefined();
    await expect(apiBackend({ target: 'twin' }, 'http://127.0.0.1:1', replying(500, { error: 'internal' })).show('a1')).rejects.toThrow(
      'GET /attempts/a1: HTTP 500',
    );
  });
});
