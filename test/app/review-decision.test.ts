/**
 * The review decision on in-memory ports: a decision recorded on the attempt and its record
 * together, a replay answered from what is stored, refusals in Chinese and English, a lost race,
 * an escalation re-queued for the province (and finished by a replay after a crash), and a
 * store that finds the attempt too large.
 */
import { describe, expect, it } from 'vitest';
import type { AttemptLocation, DecisionStore, Ruling, RulingWriteOutcome } from '#app/ports.ts';
import { decideOnAttempt, type ReviewDeps } from '#app/review-decision.ts';
import { type Attempt, type EnterprisePeriod, summaryOf } from '#domain/attempt.ts';
import { summarise } from '#domain/issues.ts';
import type { DecisionRequest } from '#domain/review.ts';
import type { ReviewMessage } from '#domain/review-message.ts';

const attempt: Attempt = {
  attemptId: 'a1b2c3d4e5f60718',
  enterpriseId: '91360100MA35XXXX1X',
  period: '2026-01',
  depositId: 'd1',
  reportKey: 'reports/91360100MA35XXXX1X/2026-01/d1/report.json',
  reportVersion: 'e1',
  receivedAt: '2026-03-01T02:00:00.000Z',
  timeliness: { lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'needs-review',
  validation: summarise([
    { code: 'EVD-ATYPICAL-NCV', severity: 'warning', category: 'plausibility', unitId: '1', field: 'ncvAsReceived', message: { zh: '偏低', en: 'atypical' } },
  ]),
  files: [],
  recordedAt: '2026-03-01T02:00:01.000Z',
};
const record: EnterprisePeriod = {
  enterpriseId: attempt.enterpriseId,
  period: '2026-01',
  province: '江西',
  city: '南昌',
  industry: 'power',
  attempts: [summaryOf(attempt)],
  version: 1,
};
const NOW = new Date('2026-03-15T01:00:00.000Z');

/** One attempt and its record, written as the ledger's conditional transaction writes them. */
class FakeDecisionStore implements DecisionStore {
  writes = 0;
  escalationQueued?: string;
  /** Runs before a write, as another reviewer's decision landing first would. */
  beforeWrite?: () => void;
  tooLarge = false;

  constructor(
    public attempt: Attempt,
    public record: EnterprisePeriod,
  ) {}

  async findAttempt(attemptId: string) {
    return attemptId === this.attempt.attemptId ? this.attempt : undefined;
  }
  async getDeposit(enterpriseId: string, period: string) {
    return enterpriseId === this.record.enterpriseId && period === this.record.period ? this.record : undefined;
  }
  async recordRuling(_: Attempt, ruling: Ruling, next: EnterprisePeriod, expectedVersion: number): Promise<RulingWriteOutcome> {
    this.beforeWrite?.();
    this.beforeWrite = undefined;
    if (this.tooLarge) return 'too-large';
    if (this.attempt.decision || (ruling.kind === 'escalate' && this.attempt.escalation)) return 'attempt-changed';
    if (this.record.version !== expectedVersion) return 'conflict';
    this.writes++;
    this.attempt =
      ruling.kind === 'decide' ? { ...this.attempt, verdict: ruling.verdict, decision: ruling.decision } : { ...this.attempt, escalation: ruling.escalation };
    this.record = next;
    return 'recorded';
  }
  async markEscalationQueued(_: AttemptLocation, at: string) {
    if (this.escalationQueued) return false;
    this.escalationQueued = at;
    return true;
  }
  async escalationQueuedAt() {
    return this.escalationQueued;
  }
}

function fakes(store = new FakeDecisionStore(attempt, record)) {
  const sent: ReviewMessage[] = [];
  const deps: ReviewDeps = { store, reviewQueue: { send: async (m) => void sent.push(m) }, now: () => NOW };
  return { deps, store, sent };
}

const request = (overrides: Partial<DecisionRequest> = {}): DecisionRequest => ({
  outcome: 'accept',
  reviewer: 'li.wei',
  level: 'city',
  comment: 'lab report confirms the coal',
  issueComments: [],
  ...overrides,
});

describe('deciding on an attempt', () => {
  it('records the decision on the attempt and the next version of its record', async () => {
    const { deps, store } = fakes();

    const outcome = await decideOnAttempt(deps, attempt.attemptId, request());

    expect(outcome).toMatchObject({
      ok: true,
      value: { status: 'recorded', attemptNumber: 1, attempt: { verdict: 'accepted', decision: { reviewer: 'li.wei', decidedAt: NOW.toISOString() } } },
    });
    expect(store.record).toMatchObject({ version: 2, attempts: [{ verdict: 'accepted', machineVerdict: 'needs-review' }] });
    expect(store.writes).toBe(1);
  });

  it('answers the same request delivered twice from what is stored, writing once', async () => {
    const { deps, store } = fakes();

    await decideOnAttempt(deps, attempt.attemptId, request({ decisionId: 'client-key-1' }));
    const again = await decideOnAttempt(deps, attempt.attemptId, request({ decisionId: 'client-key-1' }));

    expect(again).toMatchObject({ ok: true, value: { status: 'replayed', attempt: { decision: { decisionId: 'client-key-1' } } } });
    expect(store.writes).toBe(1);
  });

  it('refuses an attempt nobody recorded, in Chinese and English', async () => {
    const { deps } = fakes();

    await expect(decideOnAttempt(deps, 'ffff000011112222', request())).resolves.toEqual({
      ok: false,
      refusal: { code: 'not-found', message: { zh: '没有编号为 ffff000011112222 的提交记录', en: 'no attempt ffff000011112222 is recorded' } },
    });
  });

  it('loses a race to a decision that lands first: re-reads and refuses, naming the winner', async () => {
    const { deps, store } = fakes();
    store.beforeWrite = () => {
      store.attempt = {
        ...store.attempt,
        verdict: 'returned',
        decision: {
          decisionId: 'w',
          outcome: 'return',
          reviewer: 'wang.fang',
          level: 'city',
          decidedAt: '2026-03-15T00:59:00.000Z',
          comment: 'no',
          issueComments: [],
        },
      };
    };

    const outcome = await decideOnAttempt(deps, attempt.attemptId, request());

    expect(outcome).toMatchObject({
      ok: false,
      refusal: {
        code: 'already-decided',
        message: { zh: expect.stringContaining('wang.fang'), en: expect.stringContaining('already returned by wang.fang (city)') },
      },
    });
    expect(store.writes).toBe(0);
  });

  it('refuses as too long what the store could not hold, rather than failing', async () => {
    const { deps, store } = fakes();
    store.tooLarge = true;

    await expect(decideOnAttempt(deps, attempt.attemptId, request())).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'too-long', message: { zh: expect.stringContaining('意见过长') } },
    });
  });
});

describe('escalating to provincial review', () => {
  it('stores the escalation, queues the attempt for the province and notes it is queued', async () => {
    const { deps, store, sent } = fakes();

    const outcome = await decideOnAttempt(deps, attempt.attemptId, request({ outcome: 'escalate', comment: 'province lab expert please' }));

    expect(outcome).toMatchObject({ ok: true, value: { status: 'recorded', attempt: { escalation: { fromLevel: 'city', toLevel: 'province' } } } });
    expect(sent).toMatchObject([
      { attemptId: attempt.attemptId, level: 'province', escalation: { reviewer: 'li.wei', comment: 'province lab expert please' } },
    ]);
    expect(store.escalationQueued).toBe(NOW.toISOString());
  });

  it('finishes the queueing on a replay when a crash left it undone', async () => {
    const { deps, store, sent } = fakes();
    const escalate = request({ outcome: 'escalate', comment: 'province lab expert please', decisionId: 'e1' });
    await decideOnAttempt(deps, attempt.attemptId, escalate);
    store.escalationQueued = undefined;
    sent.length = 0;

    const replay = await decideOnAttempt(deps, attempt.attemptId, escalate);

    expect(replay).toMatchObject({ ok: true, value: { status: 'replayed' } });
    expect(sent).toHaveLength(1);
    expect(store.escalationQueued).toBe(NOW.toISOString());
  });
});
