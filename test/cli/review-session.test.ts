/**
 * The interactive review loop over a fake inbox, a fake review API and scripted answers: what it
 * asks, what request it sends (no reviewer, no level: the API takes those from the token), and
 * what it passes over.
 */
import { describe, expect, it } from 'vitest';
import type { DecisionRequest } from '#domain/review.ts';
import { CliError, EXIT } from '#cli/exit-codes.ts';
import type { AttemptView, DecideAnswer, ReviewBackend } from '#cli/review/backend.ts';
import { ReviewSession, type SessionOptions } from '#cli/review/session.ts';
import { attemptWith, error, FakeInbox, itemFor, warning } from './review-fixtures.ts';

const needsReview = attemptWith([warning]);
const returned = attemptWith([error], { attemptId: 'ffee000011112222', period: '2026-02' });

function backendOf(views: readonly AttemptView[], answers: (DecideAnswer | Error)[] = []) {
  const decided: [string, DecisionRequest][] = [];
  const backend: ReviewBackend = {
    show: async (attemptId) => views.find((v) => v.attempt.attemptId === attemptId),
    decide: async (attemptId, request) => {
      decided.push([attemptId, request]);
      const answer = answers.shift();
      if (!answer) throw new Error('the API is unreachable');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { backend, decided };
}

const viewOf = (attempt = needsReview, extra: Partial<AttemptView> = {}): AttemptView => ({
  attempt,
  attemptNumber: 1,
  attempts: 1,
  enterpriseName: '江西示范电厂',
  province: '360000',
  city: '360100',
  history: [{ attempt: 1, attemptId: attempt.attemptId, receivedAt: attempt.receivedAt, onTime: true, verdict: attempt.verdict, errors: 0, warnings: 1 }],
  files: attempt.files.map((file) => ({ ...file, url: `https://links.test/${file.fileName}` })),
  ...extra,
});
const stored = (verdict: string): DecideAnswer => ({ ok: true, status: 'recorded', verdict, attemptNumber: 1 });

function sessionOf(inbox: FakeInbox, backend: ReviewBackend, answers: string[], options: Partial<SessionOptions> = {}) {
  const lines: string[] = [];
  const asked: string[] = [];
  const clock = { now: 0 };
  const session = new ReviewSession(
    {
      inbox,
      backend,
      ask: async (question) => {
        asked.push(question);
        const answer = answers.shift();
        if (answer === undefined) throw new Error(`no scripted answer for: ${question}`);
        return answer;
      },
      say: (text) => lines.push(text),
      newDecisionId: () => 'decision-1',
      now: () => clock.now,
    },
    { reviewer: '南昌市审核员', level: 'city', jurisdiction: '南昌市 360100', once: false, idleExit: 0, decisionsVia: 'http://api.test/', ...options },
  );
  const run = async () => {
    inbox.onIdle = (waitSeconds) => {
      clock.now += waitSeconds * 1000;
    };
    await session.run();
    return lines.join('\n');
  };
  return { run, asked, lines };
}

describe('the review session', () => {
  it('shows the attempt with its month and file links, asks why the warnings are acceptable, and sends the decision without reviewer or level', async () => {
    // Prepare
    const inbox = new FakeInbox([itemFor(needsReview)]);
    const { backend, decided } = backendOf([viewOf()], [stored('accepted')]);
    const { run, asked } = sessionOf(inbox, backend, ['A ', ' 低热值煤，化验报告已核实 ']);

    // Act
    const output = await run();

    // Assess
    expect(asked).toEqual(['Decision — [a]ccept  [r]eturn  [e]scalate  [s]kip  [q]uit: ', 'Why are the warnings acceptable? ']);
    expect(decided).toEqual([[needsReview.attemptId, { outcome: 'accept', comment: '低热值煤，化验报告已核实', issueComments: [], decisionId: 'decision-1' }]]);
    expect(inbox.passed).toEqual([needsReview.attemptId]);
    expect(output).toContain('Reviewing as 南昌市审核员 (city level, 南昌市 360100); decisions via http://api.test/.');
    expect(output).toContain('江西示范电厂 91360100MA35XXXX1X');
    expect(output).toContain('machine verdict: NEEDS-REVIEW — 0 error(s), 1 warning(s)');
    expect(output).toContain("This month's attempts (1):");
    expect(output).toContain('https://links.test/lab.pdf');
    expect(output).toContain('✓ stored: attempt 1 accepted.');
    expect(output.trimEnd().endsWith('Nothing left to review.')).toBe(true);
  });

  it('asks for a comment on each error and warning when returning, and sends them with the overall comment', async () => {
    const inbox = new FakeInbox([itemFor(returned)]);
    const { backend, decided } = backendOf([viewOf(returned)], [stored('returned')]);
    const { run, asked } = sessionOf(inbox, backend, ['r', '供电量不应大于发电量', 'please correct unit 1'], { once: true });

    const output = await run();

    expect(asked).toEqual([
      'Decision — [r]eturn with comments  [s]kip  [q]uit: ',
      'Comment on EVD-CROSS-SUPPLIED-GT-GENERATED (unit 1 powerSupplied) — Enter to skip: ',
      'Overall comment to the enterprise: ',
    ]);
    expect(decided[0]?.[1]).toEqual({
      outcome: 'return',
      comment: 'please correct unit 1',
      issueComments: [{ code: 'EVD-CROSS-SUPPLIED-GT-GENERATED', unitId: '1', field: 'powerSupplied', comment: '供电量不应大于发电量' }],
      decisionId: 'decision-1',
    });
    expect(output).toContain('✓ stored: attempt 1 returned.');
    // --once: no second look.
    expect(output).not.toContain('Nothing left to review.');
  });

  it('names an escalation as such, and offers no escalation to a provincial reviewer', async () => {
    const city = sessionOf(new FakeInbox([itemFor(needsReview)]), backendOf([viewOf()], [stored('needs-review')]).backend, ['e', '需要省级化验专家判断'], {
      once: true,
    });
    const province = sessionOf(new FakeInbox([itemFor(needsReview, { level: 'province' })]), backendOf([viewOf()]).backend, ['q'], { level: 'province' });

    const output = await city.run();
    await province.run();

    expect(output).toContain('✓ stored: attempt 1 escalated to provincial review.');
    expect(province.asked).toEqual(['Decision — [a]ccept  [r]eturn  [s]kip  [q]uit: ']);
  });

  it('asks again with the same decision id when the decision is not stored, and a skip goes on to the next', async () => {
    const inbox = new FakeInbox([itemFor(needsReview)]);
    const { backend, decided } = backendOf([viewOf()], [{ ok: false, code: 'bad-request', message: 'comment: required' }]);
    const { run } = sessionOf(inbox, backend, ['x', 'a', '', 's'], { once: true });

    const output = await run();

    expect(decided).toHaveLength(1);
    expect(output).toContain('✗ not stored (bad-request): comment: required');
    expect(output).toContain('Skipped; it stays in the inbox for the next session.');
    expect(inbox.passed).toEqual([needsReview.attemptId]);
  });

  it('goes on to the next when the refusal says the attempt is settled (someone else decided it)', async () => {
    const inbox = new FakeInbox([itemFor(needsReview)]);
    const { backend } = backendOf([viewOf()], [{ ok: false, code: 'already-decided', message: 'already accepted by 王芳' }]);
    const { run } = sessionOf(inbox, backend, ['a', 'ok'], { once: true });

    const output = await run();

    expect(output).toContain('✗ already accepted by 王芳.');
  });

  it('reports an unreachable API as not stored (internal) and lets the reviewer quit', async () => {
    const inbox = new FakeInbox([itemFor(needsReview)]);
    const { backend } = backendOf([viewOf()]);
    const { run } = sessionOf(inbox, backend, ['a', 'ok', 'q']);

    const output = await run();

    expect(output).toContain('✗ not stored (internal): the API is unreachable');
    expect(output).not.toContain('Nothing left to review.');
  });

  it('ends the session when the sign-in has lapsed: nothing more could be stored', async () => {
    const inbox = new FakeInbox([itemFor(needsReview)]);
    const { backend } = backendOf([viewOf()], [new CliError('请先登录 / sign in first: evidence login', EXIT.signIn)]);
    const { run } = sessionOf(inbox, backend, ['a', 'ok']);

    await expect(run()).rejects.toMatchObject({ exitCode: EXIT.signIn });
  });

  it('passes over, without asking, attempts already decided, superseded or not readable', async () => {
    const decidedAttempt = attemptWith([warning], {
      verdict: 'accepted',
      decision: {
        decisionId: 'd',
        outcome: 'accept',
        reviewer: 'wang.fang',
        level: 'city',
        decidedAt: '2026-03-02T02:00:00.000Z',
        comment: 'ok',
        issueComments: [],
      },
    });
    const superseded = attemptWith([warning], { attemptId: 'ffee000011112222', period: '2026-02' });
    const unknown = attemptWith([warning], { attemptId: '0000000000000000' });
    const inbox = new FakeInbox([itemFor(decidedAttempt), itemFor(superseded), itemFor(unknown)]);
    const { backend, decided } = backendOf([viewOf(decidedAttempt), viewOf(superseded, { attempts: 2, supersededBy: 'later00000000001' })]);
    const { run, asked } = sessionOf(inbox, backend, []);

    const output = await run();

    expect(asked).toEqual([]);
    expect(decided).toEqual([]);
    expect(inbox.passed).toEqual([decidedAttempt.attemptId, superseded.attemptId, unknown.attemptId]);
    expect(output).toMatch(/attempt a1b2c3d4e5f60718 of 91360100MA35XXXX1X 2026-01 needs no review: .*wang\.fang.*\./);
    expect(output).toContain('needs no review: superseded by attempt 2 (later00000000001).');
    expect(output).toContain('attempt 0000000000000000 is not recorded (or not yours to read); skipping it');
  });

  it('keeps looking while the inbox is empty and stops once it has been idle for --idle-exit', async () => {
    const inbox = new FakeInbox([]);
    const { backend } = backendOf([]);
    const { run } = sessionOf(inbox, backend, [], { idleExit: 25 });

    const output = await run();

    // Each look waits 10 s, the last only what is left: 10 + 10 + 5 = 25.
    expect(inbox.looks).toBe(3);
    expect(output.trimEnd().endsWith('Nothing left to review.')).toBe(true);
  });
});
