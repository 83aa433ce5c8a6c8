/**
 * The interactive review loop over a fake ReviewInbox, a fake backend and scripted answers: what
 * it asks, what request it sends, and when the message is deleted, handed back or left alone.
 */
import { describe, expect, it, vi } from 'vitest';
import type { DecisionRequest } from '#domain/review.ts';
import type { AttemptView, DecideAnswer, ReviewBackend } from '#cli/review/backend.ts';
import { ReviewSession, type SessionOptions } from '#cli/review/session.ts';
import { attemptWith, error, FakeInbox, messageFor, warning } from './review-fixtures.ts';

const needsReview = attemptWith([warning]);
const returned = attemptWith([error], { attemptId: 'ffee000011112222', period: '2026-02' });

function backendOf(views: readonly AttemptView[], answers: DecideAnswer[] = []) {
  const decided: [string, DecisionRequest][] = [];
  const backend: ReviewBackend = {
    via: 'direct',
    show: async (attemptId) => views.find((v) => v.attempt.attemptId === attemptId),
    decide: async (attemptId, request) => {
      decided.push([attemptId, request]);
      const answer = answers.shift();
      if (!answer) throw new Error('the backend is unreachable');
      return answer;
    },
  };
  return { backend, decided };
}

const viewOf = (attempt = needsReview, extra: Partial<AttemptView> = {}): AttemptView => ({ attempt, attemptNumber: 1, attempts: 1, ...extra });
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
      history: async () => [],
      evidenceLink: async (file) => `https://links.test/${file.fileName}`,
      newDecisionId: () => 'decision-1',
      now: () => clock.now,
      // Each idle receive stands for the 10 s long poll.
      sleep: async () => undefined,
    },
    { reviewer: 'li.wei', level: 'city', once: false, idleExit: 0, decisionsVia: 'the twin tables (no API URL)', ...options },
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
  it('shows the attempt, asks why the warnings are acceptable, stores the acceptance and only then deletes the message', async () => {
    // Prepare
    const inbox = new FakeInbox([messageFor(needsReview)]);
    const { backend, decided } = backendOf([viewOf()], [stored('accepted')]);
    const { run, asked } = sessionOf(inbox, backend, ['A ', ' 低热值煤，化验报告已核实 ']);

    // Act
    const output = await run();

    // Assess
    expect(asked).toEqual(['Decision — [a]ccept  [r]eturn  [e]scalate  [s]kip  [q]uit: ', 'Why are the warnings acceptable? ']);
    expect(decided).toEqual([
      [
        needsReview.attemptId,
        { outcome: 'accept', reviewer: 'li.wei', level: 'city', comment: '低热值煤，化验报告已核实', issueComments: [], decisionId: 'decision-1' },
      ],
    ]);
    expect(inbox.deleted).toEqual(['m0']);
    expect(output).toContain('Reviewing as li.wei (city level); decisions via the twin tables (no API URL).');
    expect(output).toContain('machine verdict: NEEDS-REVIEW — 0 error(s), 1 warning(s)');
    expect(output).toContain('https://links.test/lab.pdf');
    expect(output).toContain('✓ stored: attempt 1 accepted; message removed.');
    expect(output.trimEnd().endsWith('Nothing left to review.')).toBe(true);
  });

  it('asks for a comment on each error and warning when returning, and sends them with the overall comment', async () => {
    const inbox = new FakeInbox([messageFor(returned)]);
    const { backend, decided } = backendOf([viewOf(returned)], [stored('returned')]);
    const { run, asked } = sessionOf(inbox, backend, ['r', '供电量不应大于发电量', 'please correct unit 1'], { once: true });

    const output = await run();

    expect(asked).toEqual([
      'Decision — [r]eturn with comments  [s]kip  [q]uit: ',
      'Comment on EVD-CROSS-SUPPLIED-GT-GENERATED (unit 1 powerSupplied) — Enter to skip: ',
      'Overall comment to the enterprise: ',
    ]);
    expect(decided[0]?.[1]).toMatchObject({
      outcome: 'return',
      comment: 'please correct unit 1',
      issueComments: [{ code: 'EVD-CROSS-SUPPLIED-GT-GENERATED', unitId: '1', field: 'powerSupplied', comment: '供电量不应大于发电量' }],
    });
    expect(inbox.deleted).toEqual(['m0']);
    expect(output).toContain('✓ stored: attempt 1 returned; message removed.');
    // --once: no second wait.
    expect(output).not.toContain('Nothing left to review.');
  });

  it('names an escalation as such in what it prints', async () => {
    const inbox = new FakeInbox([messageFor(needsReview)]);
    const { backend, decided } = backendOf([viewOf()], [stored('needs-review')]);
    const { run } = sessionOf(inbox, backend, ['e', '需要省级化验专家判断'], { once: true });

    const output = await run();

    expect(decided[0]?.[1]).toMatchObject({ outcome: 'escalate', comment: '需要省级化验专家判断' });
    expect(output).toContain('✓ stored: attempt 1 escalated to provincial review; message removed.');
  });

  it('keeps the message when the decision is not stored, asks again with the same decision id, and a skip leaves it for its timeout', async () => {
    const inbox = new FakeInbox([messageFor(needsReview)]);
    const { backend, decided } = backendOf([viewOf()], [{ ok: false, code: 'bad-request', message: 'comment: required' }]);
    const { run } = sessionOf(inbox, backend, ['x', 'a', '', 's'], { once: true });

    const output = await run();

    expect(decided).toHaveLength(1);
    expect(output).toContain('✗ not stored (bad-request): comment: required');
    expect(output).toContain('Skipped; the deposit returns to the queue in 5 minutes.');
    expect(inbox.deleted).toEqual([]);
    expect(inbox.handedBack).toEqual([]);
  });

  it('deletes the message when the refusal says the attempt is settled (someone else decided it)', async () => {
    const inbox = new FakeInbox([messageFor(needsReview)]);
    const { backend } = backendOf([viewOf()], [{ ok: false, code: 'already-decided', message: 'already accepted by wang.fang' }]);
    const { run } = sessionOf(inbox, backend, ['a', 'ok'], { once: true });

    const output = await run();

    expect(inbox.deleted).toEqual(['m0']);
    expect(output).toContain('✗ already accepted by wang.fang. Message removed.');
  });

  it('reports an unreachable backend as not stored (internal) and keeps the message', async () => {
    const inbox = new FakeInbox([messageFor(needsReview)]);
    const { backend } = backendOf([viewOf()]);
    const { run } = sessionOf(inbox, backend, ['a', 'ok', 'q']);

    const output = await run();

    expect(output).toContain('✗ not stored (internal): the backend is unreachable');
    expect(inbox.deleted).toEqual([]);
    // Quitting hands the message straight back rather than waiting out its visibility timeout.
    expect(inbox.handedBack).toEqual(['m0']);
  });

  it('removes without asking the message of an attempt already decided or superseded', async () => {
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
    const superseded = attemptWith([error], { attemptId: 'ffee000011112222', period: '2026-02' });
    const inbox = new FakeInbox([messageFor(decidedAttempt), messageFor(superseded)]);
    const { backend, decided } = backendOf([viewOf(decidedAttempt), viewOf(superseded, { attempts: 2, supersededBy: 'later00000000001' })]);
    const { run, asked } = sessionOf(inbox, backend, []);

    const output = await run();

    expect(asked).toEqual([]);
    expect(decided).toEqual([]);
    expect(inbox.deleted).toEqual(['m0', 'm1']);
    expect(output).toMatch(/attempt a1b2c3d4e5f60718 of 91360100MA35XXXX1X 2026-01 needs no review: .*wang\.fang.*\. Removing its message\./);
    expect(output).toContain('needs no review: superseded by attempt 2 (later00000000001). Removing its message.');
  });

  it('hands back other enterprises’ and other levels’ messages, skips malformed ones and leaves unknown attempts for the DLQ', async () => {
    const other = attemptWith([warning], { enterpriseId: '91360100MA35YYYY2Y' });
    const province = messageFor(needsReview, { level: 'province' });
    const unknown = attemptWith([warning], { attemptId: '0000000000000000' });
    const inbox = new FakeInbox([messageFor(other), province, { malformed: 'Invalid input: expected string' }, messageFor(unknown)]);
    const { backend, decided } = backendOf([viewOf()]);
    const { run } = sessionOf(inbox, backend, [], { enterprise: needsReview.enterpriseId });

    const output = await run();

    expect(inbox.handedBack).toEqual(['m0', 'm1']);
    expect(inbox.deleted).toEqual([]);
    expect(decided).toEqual([]);
    expect(output).toContain('skipping a malformed review message m2: Invalid input: expected string');
    expect(output).toContain('attempt 0000000000000000 is not in the ledger; leaving its message for the DLQ');
  });

  it('keeps extending the held message’s visibility while the reviewer reads, and stops once decided', async () => {
    vi.useFakeTimers();
    try {
      const inbox = new FakeInbox([messageFor(needsReview)]);
      const { backend } = backendOf([viewOf()], [stored('accepted')]);
      let answer!: (text: string) => void;
      const session = new ReviewSession(
        {
          inbox,
          backend,
          ask: (question) => (question.startsWith('Decision') ? new Promise<string>((resolve) => (answer = resolve)) : Promise.resolve('ok')),
          say: () => undefined,
          history: async () => [],
          evidenceLink: async () => 'https://links.test/',
          newDecisionId: () => 'decision-1',
        },
        { reviewer: 'li.wei', level: 'city', once: true, decisionsVia: 'x' },
      );
      const running = session.run();
      await vi.advanceTimersByTimeAsync(150_000);
      expect(inbox.extended).toEqual([
        ['m0', 300],
        ['m0', 300],
      ]);
      answer('a');
      await running;
      await vi.advanceTimersByTimeAsync(120_000);
      expect(inbox.extended).toHaveLength(2);
      expect(inbox.deleted).toEqual(['m0']);
    } finally {
      vi.useRealTimers();
    }
  });
});
