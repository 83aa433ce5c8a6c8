/**
 * The review decision on in-memory ports: a decision recorded on the attempt and its record
 * together, a replay answered from what is stored, refusals in Chinese and English, a lost race,
 * an escalation re-queued for the province (and finished by a replay after a crash), a
 * store that finds the attempt too large — and who may decide, from the caller's principal only.
 */
import { describe, expect, it } from 'vitest';
import type { AttemptLocation, DecisionStore, Ruling, RulingWriteOutcome } from '#app/ports.ts';
import { contentDecisionId, decideOnAttempt, type ReviewDeps } from '#app/review-decision.ts';
import { type Attempt, type EnterprisePeriod, summaryOf } from '#domain/attempt.ts';
import { summarise } from '#domain/issues.ts';
import type { DecisionRequest } from '#domain/review.ts';
import type { ReviewMessage } from '#domain/review-message.ts';
import { principalOf } from '../support/fake-ports.ts';

const nanchang = principalOf('reviewer-nanchang');
const jiujiang = principalOf('reviewer-jiujiang');
const jiangxi = principalOf('reviewer-jiangxi');
const hunan = principalOf('reviewer-hunan');

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
  comment: 'lab report confirms the coal',
  issueComments: [],
  ...overrides,
});

describe('deciding on an attempt', () => {
  it('records the decision on the attempt and the next version of its record', async () => {
    const { deps, store } = fakes();

    const outcome = await decideOnAttempt(deps, attempt.attemptId, request(), nanchang);

    expect(outcome).toMatchObject({
      ok: true,
      value: {
        status: 'recorded',
        attemptNumber: 1,
        attempt: { verdict: 'accepted', decision: { reviewer: '南昌市审核员', reviewerId: 'reviewer-nanchang', level: 'city', decidedAt: NOW.toISOString() } },
      },
    });
    expect(store.record).toMatchObject({ version: 2, attempts: [{ verdict: 'accepted', machineVerdict: 'needs-review' }] });
    expect(store.writes).toBe(1);
  });

  it('answers the same request delivered twice from what is stored, writing once', async () => {
    const { deps, store } = fakes();

    await decideOnAttempt(deps, attempt.attemptId, request({ decisionId: 'client-key-1' }), nanchang);
    const again = await decideOnAttempt(deps, attempt.attemptId, request({ decisionId: 'client-key-1' }), nanchang);

    expect(again).toMatchObject({ ok: true, value: { status: 'replayed', attempt: { decision: { decisionId: 'client-key-1' } } } });
    expect(store.writes).toBe(1);
  });

  it('refuses an attempt nobody recorded, in Chinese and English', async () => {
    const { deps } = fakes();

    await expect(decideOnAttempt(deps, 'ffff000011112222', request(), nanchang)).resolves.toEqual({
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

    const outcome = await decideOnAttempt(deps, attempt.attemptId, request(), nanchang);

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

    await expect(decideOnAttempt(deps, attempt.attemptId, request(), nanchang)).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'too-long', message: { zh: expect.stringContaining('意见过长') } },
    });
  });
});

describe('escalating to provincial review', () => {
  it('stores the escalation, queues the attempt for the province and notes it is queued', async () => {
    const { deps, store, sent } = fakes();

    const outcome = await decideOnAttempt(deps, attempt.attemptId, request({ outcome: 'escalate', comment: 'province lab expert please' }), nanchang);

    expect(outcome).toMatchObject({ ok: true, value: { status: 'recorded', attempt: { escalation: { fromLevel: 'city', toLevel: 'province' } } } });
    expect(sent).toMatchObject([
      { attemptId: attempt.attemptId, level: 'province', escalation: { reviewer: '南昌市审核员', comment: 'province lab expert please' } },
    ]);
    expect(store.escalationQueued).toBe(NOW.toISOString());
  });

  it('finishes the queueing on a replay when a crash left it undone', async () => {
    const { deps, store, sent } = fakes();
    const escalate = request({ outcome: 'escalate', comment: 'province lab expert please', decisionId: 'e1' });
    await decideOnAttempt(deps, attempt.attemptId, escalate, nanchang);
    store.escalationQueued = undefined;
    sent.length = 0;

    const replay = await decideOnAttempt(deps, attempt.attemptId, escalate, nanchang);

    expect(replay).toMatchObject({ ok: true, value: { status: 'replayed' } });
    expect(sent).toHaveLength(1);
    expect(store.escalationQueued).toBe(NOW.toISOString());
  });
});

describe('who may decide', () => {
  it('answers a reviewer of another city as if the attempt did not exist, and writes nothing', async () => {
    const { deps, store } = fakes();

    const outcome = await decideOnAttempt(deps, attempt.attemptId, request(), jiujiang);

    expect(outcome).toMatchObject({ ok: false, refusal: { code: 'not-found', message: { en: `no attempt ${attempt.attemptId} is recorded` } } });
    expect(store.writes).toBe(0);
  });

  it('answers a provincial reviewer of another province as not found too', async () => {
    const { deps } = fakes();

    await expect(decideOnAttempt(deps, attempt.attemptId, request(), hunan)).resolves.toMatchObject({ ok: false, refusal: { code: 'not-found' } });
  });

  it('refuses a provincial reviewer an attempt still at city level as forbidden, in plain words', async () => {
    const { deps, store } = fakes();

    const outcome = await decideOnAttempt(deps, attempt.attemptId, request(), jiangxi);

    expect(outcome).toMatchObject({
      ok: false,
      refusal: { code: 'forbidden', message: { en: 'this attempt awaits city review: a provincial reviewer decides only escalated attempts' } },
    });
    expect(store.writes).toBe(0);
  });

  it('lets the city escalate, then refuses the city’s decision as forbidden and records the province’s', async () => {
    const { deps, store } = fakes();
    await decideOnAttempt(deps, attempt.attemptId, request({ outcome: 'escalate', comment: '请省级专家判断' }), nanchang);

    const byCity = await decideOnAttempt(deps, attempt.attemptId, request({ comment: 'ok' }), nanchang);
    const byProvince = await decideOnAttempt(deps, attempt.attemptId, request({ comment: '省级复核通过' }), jiangxi);

    expect(byCity).toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
    expect(byProvince).toMatchObject({
      ok: true,
      value: { status: 'recorded', attempt: { decision: { reviewerId: 'reviewer-jiangxi', level: 'province' } } },
    });
    expect(store.writes).toBe(2);
  });

  it('answers the city reviewer’s own escalation, redelivered after it moved to the province, as a replay', async () => {
    const { deps, store } = fakes();
    const escalate = request({ outcome: 'escalate', comment: '请省级专家判断' });
    await decideOnAttempt(deps, attempt.attemptId, escalate, nanchang);

    const again = await decideOnAttempt(deps, attempt.attemptId, escalate, nanchang);

    expect(again).toMatchObject({ ok: true, value: { status: 'replayed' } });
    expect(store.writes).toBe(1);
  });

  it('takes the same words from another reviewer for another decision: refused, not replayed as the first', async () => {
    const store = new FakeDecisionStore(attempt, { ...record, province: '360000', city: '360100' });
    const { deps } = fakes(store);
    const twin = { ...nanchang, subject: 'reviewer-nanchang-2', name: '南昌市审核员二' };
    await decideOnAttempt(deps, attempt.attemptId, request(), nanchang);

    const second = await decideOnAttempt(deps, attempt.attemptId, request(), twin);

    expect(second).toMatchObject({ ok: false, refusal: { code: 'already-decided' } });
  });

  it('refuses an enterprise deciding on its own deposit', async () => {
    const store = new FakeDecisionStore({ ...attempt, enterpriseId: '91360100MA35XXXXXN' }, { ...record, enterpriseId: '91360100MA35XXXXXN' });
    const { deps } = fakes(store);

    await expect(decideOnAttempt(deps, attempt.attemptId, request(), principalOf('clerk'))).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'forbidden', message: { en: 'only a reviewer decides on an attempt' } },
    });
  });
});

describe('a decision without a client key', () => {
  it('is identified by its content, who sends it and at which level', () => {
    const id = (who: { subject: string; level: 'city' | 'province' }) => contentDecisionId(attempt.attemptId, request(), who);

    expect(id({ subject: 'reviewer-nanchang', level: 'city' })).toBe(id({ subject: 'reviewer-nanchang', level: 'city' }));
    expect(id({ subject: 'reviewer-nanchang', level: 'city' })).not.toBe(id({ subject: 'reviewer-nanchang-2', level: 'city' }));
    expect(id({ subject: 'reviewer-nanchang', level: 'city' })).not.toBe(id({ subject: 'reviewer-nanchang', level: 'province' }));
  });
});
