import { describe, expect, it } from 'vitest';
import { type Attempt, type EnterprisePeriod, summaryOf, withAttempt } from '#domain/attempt.ts';
import type { Issue } from '#domain/issues.ts';
import { summarise } from '#domain/issues.ts';
import { demoReport } from '#examples/demo.ts';
import {
  ATTEMPT_ITEM_BUDGET_BYTES,
  DECISION_LIMITS,
  type DecisionRequest,
  DecisionRequestSchema,
  isRecordedRequest,
  type ReviewerIdentity,
  recordWithRuling,
  ruleOnDecision,
} from '#domain/review.ts';

const NOW = new Date('2026-03-20T02:00:00Z');
const WARNING: Issue = {
  code: 'EVD-ATYPICAL-NCV',
  severity: 'warning',
  category: 'plausibility',
  unitId: '1',
  field: 'ncvAsReceived',
  expected: '14–25',
  found: '12.5',
  message: { zh: '低位发热量偏低', en: 'NCV atypical' },
};
const ERROR: Issue = {
  code: 'EVD-CROSS-SUPPLIED-GT-GENERATED',
  severity: 'error',
  category: 'conformity',
  unitId: '1',
  field: 'powerSupplied',
  message: { zh: '供电量大于发电量', en: 'supplied exceeds generated' },
};

function attemptOf(id: string, issues: Issue[], receivedAt = '2026-03-01T02:00:00.000Z'): Attempt {
  const validation = summarise(issues);
  return {
    attemptId: id,
    enterpriseId: '91360100MA35XXXX1X',
    period: '2026-01',
    depositId: `d-${id}`,
    reportKey: `reports/x/2026-01/d-${id}/report.json`,
    reportVersion: 'etag',
    receivedAt,
    timeliness: {
      lastDay: '2026-03-12',
      dueAt: '2026-03-12T16:00:00.000Z',
      onTime: true,
      lateBySeconds: 0,
    },
    verdict: validation.verdict,
    validation,
    files: [],
    recordedAt: receivedAt,
  };
}

function recordOf(...attempts: Attempt[]): EnterprisePeriod {
  let record: EnterprisePeriod | undefined;
  for (const a of attempts)
    record = withAttempt(
      record,
      {
        enterpriseId: a.enterpriseId,
        period: a.period,
        province: '江西',
        city: '南昌',
        industry: 'power',
      },
      summaryOf(a),
    );
  return record as EnterprisePeriod;
}

function request(overrides: Partial<DecisionRequest> & Pick<DecisionRequest, 'outcome'>): DecisionRequest & { decisionId: string } {
  return {
    decisionId: 'd1',
    ...DecisionRequestSchema.parse(overrides),
  };
}

/** Reviewers as their tokens name them: the subject is the stable id, the name is for people. */
const CITY: ReviewerIdentity = { subject: 'reviewer-nanchang', name: 'li.wei', level: 'city' };
const PROVINCE: ReviewerIdentity = { subject: 'reviewer-jiangxi', name: 'chen.jie', level: 'province' };

describe('deciding an attempt that needs review', () => {
  const attempt = attemptOf('a1', [WARNING]);
  const record = recordOf(attempt);

  it('accepts it with the reviewer, level, time and explanation, making the verdict accepted', () => {
    const ruling = ruleOnDecision(
      record,
      attempt,
      request({
        outcome: 'accept',
        comment: 'lab report confirms low-grade coal',
      }),
      CITY,
      NOW,
    );

    expect(ruling).toEqual({
      kind: 'decide',
      verdict: 'accepted',
      decision: {
        decisionId: 'd1',
        outcome: 'accept',
        reviewer: 'li.wei',
        reviewerId: 'reviewer-nanchang',
        level: 'city',
        decidedAt: NOW.toISOString(),
        comment: 'lab report confirms low-grade coal',
        issueComments: [],
      },
    });
  });

  it('refuses an accept that does not explain why the warnings are acceptable', () => {
    const ruling = ruleOnDecision(record, attempt, request({ outcome: 'accept' }), CITY, NOW);

    expect(ruling).toMatchObject({
      kind: 'refuse',
      refusal: {
        code: 'comment-required',
        message: { zh: expect.stringContaining('1 个警告'), en: expect.stringContaining('1 warning(s)') },
      },
    });
  });

  it('returns it with a comment per issue', () => {
    const issueComments = [{ code: WARNING.code, unitId: '1', comment: '请附上化验报告' }];

    const ruling = ruleOnDecision(record, attempt, request({ outcome: 'return', issueComments }), CITY, NOW);

    expect(ruling).toMatchObject({
      kind: 'decide',
      verdict: 'returned',
      decision: { outcome: 'return', issueComments },
    });
  });

  it('refuses a return that tells the enterprise nothing', () => {
    expect(ruleOnDecision(record, attempt, request({ outcome: 'return' }), CITY, NOW)).toMatchObject({ kind: 'refuse', refusal: { code: 'comment-required' } });
  });

  it('refuses a comment on an issue the attempt does not have, naming the issues it has', () => {
    const ruling = ruleOnDecision(
      record,
      attempt,
      request({
        outcome: 'return',
        issueComments: [{ code: 'EVD-NOPE', comment: 'x' }],
      }),
      CITY,
      NOW,
    );

    expect(ruling).toMatchObject({
      kind: 'refuse',
      refusal: {
        code: 'unknown-issue',
        message: {
          zh: expect.stringContaining('其问题：EVD-ATYPICAL-NCV unit 1 ncvAsReceived'),
          en: expect.stringContaining('EVD-ATYPICAL-NCV unit 1 ncvAsReceived'),
        },
      },
    });
  });

  it('refuses a province-level decision before a city reviewer escalates', () => {
    expect(ruleOnDecision(record, attempt, request({ outcome: 'accept', comment: 'ok' }), PROVINCE, NOW)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'wrong-level' },
    });
  });

  it('updates only the decided summary in the record, with the final verdict and a new version', () => {
    const ruling = ruleOnDecision(record, attempt, request({ outcome: 'accept', comment: 'ok' }), CITY, NOW);
    if (ruling.kind !== 'decide') throw new Error('expected a decision');

    const next = recordWithRuling(record, 'a1', ruling);

    expect(next.attempts[0]).toMatchObject({
      attemptId: 'a1',
      verdict: 'accepted',
      decidedAt: NOW.toISOString(),
    });
    expect(next.version).toBe(record.version + 1);
  });

  it("keeps the machine's verdict beside the reviewer's, so a rate as of an earlier instant sees it awaiting review", () => {
    const ruling = ruleOnDecision(record, attempt, request({ outcome: 'return', comment: '补充化验报告' }), CITY, NOW);
    if (ruling.kind !== 'decide') throw new Error('expected a decision');

    expect(recordWithRuling(record, 'a1', ruling).attempts[0]).toMatchObject({
      verdict: 'returned',
      machineVerdict: 'needs-review',
    });
  });

  it("makes an accepted attempt the month's history for later months, if it is the latest accepted", () => {
    const ruling = ruleOnDecision(record, attempt, request({ outcome: 'accept', comment: 'ok' }), CITY, NOW);
    if (ruling.kind !== 'decide') throw new Error('expected a decision');
    const accepted = {
      attemptId: 'a1',
      receivedAt: '2026-02-10T00:00:00.000Z',
      report: demoReport(),
      evidence: [],
    };

    expect(recordWithRuling(record, 'a1', ruling, accepted).accepted).toEqual(accepted);
    const newer = { ...accepted, attemptId: 'a9', receivedAt: '2026-02-11T00:00:00.000Z' };
    expect(recordWithRuling({ ...record, accepted: newer }, 'a1', ruling, accepted).accepted).toEqual(newer);
  });
});

describe('decisions are final', () => {
  const attempt = attemptOf('a1', [WARNING]);
  const record = recordOf(attempt);
  const first = ruleOnDecision(record, attempt, request({ outcome: 'accept', comment: 'ok', decisionId: 'first' }), CITY, NOW);
  if (first.kind !== 'decide') throw new Error('expected a decision');
  const decided: Attempt = {
    ...attempt,
    verdict: first.verdict,
    decision: first.decision,
  };

  it('refuses a second decision, saying who decided what and when', () => {
    const ruling = ruleOnDecision(record, decided, request({ outcome: 'return', comment: 'no', decisionId: 'second' }), CITY, NOW);

    expect(ruling).toMatchObject({
      kind: 'refuse',
      refusal: {
        code: 'already-decided',
        message: {
          zh: expect.stringContaining('已由 li.wei（市级）于 2026-03-20T02:00:00.000Z 通过，审核决定不可更改'),
          en: expect.stringMatching(/already accepted by li\.wei \(city\) at 2026-03-20T02:00:00\.000Z; decisions are final/),
        },
      },
    });
  });

  it('recognises the same decision delivered again as a replay, not a second decision', () => {
    expect(ruleOnDecision(record, decided, request({ outcome: 'accept', comment: 'ok', decisionId: 'first' }), CITY, NOW)).toEqual({ kind: 'replay' });
  });

  it("does not take another reviewer's request with the same decisionId for a replay: it is a second decision, refused", () => {
    const other: ReviewerIdentity = { subject: 'reviewer-other', name: 'li.wei', level: 'city' };

    expect(isRecordedRequest(decided, 'first', other)).toBe(false);
    expect(ruleOnDecision(record, decided, request({ outcome: 'accept', comment: 'ok', decisionId: 'first' }), other, NOW)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'already-decided' },
    });
  });

  it('matches a decision recorded before sign-in (no reviewerId) by its decisionId alone', () => {
    const { reviewerId: _, ...legacy } = first.decision;

    expect(isRecordedRequest({ decision: legacy }, 'first', { subject: 'anyone' })).toBe(true);
  });
});

describe('superseded attempts', () => {
  it('refuses a decision on an attempt a later re-deposit replaced, naming the latest attempt', () => {
    const first = attemptOf('a1', [WARNING], '2026-03-01T02:00:00.000Z');
    const second = attemptOf('a2', [], '2026-03-02T02:00:00.000Z');

    const ruling = ruleOnDecision(recordOf(first, second), first, request({ outcome: 'accept', comment: 'ok' }), CITY, NOW);

    expect(ruling).toMatchObject({
      kind: 'refuse',
      refusal: {
        code: 'superseded',
        message: {
          zh: expect.stringContaining('第 2 次提交（a2）取代'),
          en: expect.stringContaining('superseded by attempt 2 (a2)'),
        },
      },
    });
  });
});

describe('attempts the machine already judged', () => {
  it('refuses to accept an attempt returned for errors: errors block acceptance', () => {
    const attempt = attemptOf('a1', [ERROR, WARNING]);

    expect(ruleOnDecision(recordOf(attempt), attempt, request({ outcome: 'accept', comment: 'fine' }), CITY, NOW)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'machine-returned' },
    });
  });

  it('lets a reviewer confirm a machine return with comments for the enterprise, verdict unchanged', () => {
    const attempt = attemptOf('a1', [ERROR]);

    const ruling = ruleOnDecision(
      recordOf(attempt),
      attempt,
      request({
        outcome: 'return',
        issueComments: [{ code: ERROR.code, comment: '核对供电量' }],
      }),
      CITY,
      NOW,
    );

    expect(ruling).toMatchObject({ kind: 'decide', verdict: 'returned' });
  });

  it('refuses any decision on an attempt accepted automatically', () => {
    const attempt = attemptOf('a1', []);

    expect(ruleOnDecision(recordOf(attempt), attempt, request({ outcome: 'return', comment: 'x' }), CITY, NOW)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'nothing-to-decide' },
    });
  });
});

describe('escalation to provincial review', () => {
  const attempt = attemptOf('a1', [WARNING]);
  const record = recordOf(attempt);
  const ruling = ruleOnDecision(
    record,
    attempt,
    request({
      outcome: 'escalate',
      comment: 'needs the province lab expert',
      decisionId: 'esc',
    }),
    CITY,
    NOW,
  );
  if (ruling.kind !== 'escalate') throw new Error('expected an escalation');
  const escalated: Attempt = { ...attempt, escalation: ruling.escalation };

  it('hands a city attempt to the province and marks the summary escalated, verdict still pending', () => {
    expect(ruling.escalation).toEqual({
      decisionId: 'esc',
      reviewer: 'li.wei',
      reviewerId: 'reviewer-nanchang',
      fromLevel: 'city',
      toLevel: 'province',
      escalatedAt: NOW.toISOString(),
      comment: 'needs the province lab expert',
    });
    expect(recordWithRuling(record, 'a1', ruling).attempts[0]).toMatchObject({
      escalated: true,
      escalatedAt: NOW.toISOString(),
      verdict: 'needs-review',
    });
  });

  it('then refuses a city-level decision and takes a province-level one', () => {
    expect(ruleOnDecision(record, escalated, request({ outcome: 'accept', comment: 'ok' }), CITY, NOW)).toMatchObject({
      kind: 'refuse',
      refusal: {
        code: 'wrong-level',
        message: {
          zh: expect.stringMatching(/[\u4e00-\u9fff]/),
          en: expect.stringContaining('a province-level reviewer must decide'),
        },
      },
    });
    expect(ruleOnDecision(record, escalated, request({ outcome: 'accept', comment: 'ok' }), PROVINCE, NOW)).toMatchObject({
      kind: 'decide',
      decision: { level: 'province' },
    });
  });

  it('refuses a second escalation and one without a reason', () => {
    expect(ruleOnDecision(record, escalated, request({ outcome: 'escalate', comment: 'again' }), CITY, NOW)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'already-escalated' },
    });
    expect(ruleOnDecision(record, attempt, request({ outcome: 'escalate' }), CITY, NOW)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'comment-required' },
    });
  });
});

describe('who decides', () => {
  it('takes the reviewer and level from the identity handed in, never from the body', () => {
    const body = DecisionRequestSchema.parse({ outcome: 'accept', comment: 'ok', reviewer: 'someone.else', level: 'province' });
    const attempt = attemptOf('a1', [WARNING]);

    const ruling = ruleOnDecision(recordOf(attempt), attempt, { ...body, decisionId: 'd1' }, CITY, NOW);

    expect(body).not.toHaveProperty('reviewer');
    expect(body).not.toHaveProperty('level');
    expect(ruling).toMatchObject({ kind: 'decide', decision: { reviewer: 'li.wei', reviewerId: 'reviewer-nanchang', level: 'city' } });
  });
});

describe('what a reviewer may write', () => {
  const parse = (body: Record<string, unknown>) =>
    DecisionRequestSchema.safeParse({
      outcome: 'return',
      reviewer: 'li.wei',
      ...body,
    });
  const messageOf = (result: ReturnType<typeof parse>) => (result.success ? '' : result.error.issues.map((i) => i.message).join('; '));

  it('takes a comment of 2,000 characters and refuses one of 2,001, saying the limit in Chinese and English', () => {
    expect(parse({ comment: '查'.repeat(DECISION_LIMITS.comment) }).success).toBe(true);

    const refused = parse({ comment: '查'.repeat(DECISION_LIMITS.comment + 1) });

    expect(refused.success).toBe(false);
    expect(messageOf(refused)).toContain('意见最多 2000 个字符（收到 2001 个）');
    expect(messageOf(refused)).toContain('a comment is at most 2,000 characters (got 2,001)');
  });

  it('bounds each issue comment, their number and their total', () => {
    const one = (comment: string) => ({ code: 'EVD-ATYPICAL-NCV', comment });
    const tooLong = parse({ issueComments: [one('x'.repeat(2_001))] });
    const tooMany = parse({ issueComments: Array.from({ length: 201 }, () => one('x')) });
    const tooMuch = parse({ issueComments: Array.from({ length: 11 }, () => one('x'.repeat(2_000))) });

    expect(messageOf(tooLong)).toContain('an issue comment is at most 2,000 characters');
    expect(messageOf(tooMany)).toContain('at most 200 issue comments (got 201)');
    expect(messageOf(tooMuch)).toContain('issue comments total at most 20,000 characters');
    expect(parse({ issueComments: Array.from({ length: 200 }, () => one('x'.repeat(100))) }).success).toBe(true);
  });

  it('refuses text that is not Unicode (an unpaired surrogate) and an over-long code', () => {
    expect(messageOf(parse({ comment: 'ok \ud800' }))).toContain('unpaired surrogate');
    expect(messageOf(parse({ issueComments: [{ code: 'C'.repeat(129), comment: 'x' }] }))).toContain('an issue code is at most 128 characters');
  });

  it('refuses, as too long, comments that would not fit the ledger item beside a large attempt, and takes them beside a small one', () => {
    const comment = '查'.repeat(DECISION_LIMITS.comment);
    const small = attemptOf('a1', [WARNING]);
    // Enough warnings to bring the attempt item just under the budget without the comment.
    const bytes = (a: Attempt) => new TextEncoder().encode(JSON.stringify(a)).length;
    const issue = (i: number): Issue => ({ ...WARNING, unitId: String(i), message: { zh: '偏'.repeat(500), en: 'NCV atypical' } });
    let count = 1;
    while (
      bytes(
        attemptOf(
          'a1',
          Array.from({ length: count + 1 }, (_, i) => issue(i)),
        ),
      ) < ATTEMPT_ITEM_BUDGET_BYTES
    )
      count++;
    const large = attemptOf(
      'a1',
      Array.from({ length: count }, (_, i) => issue(i)),
    );
    const largeBytes = bytes(large);
    expect(largeBytes).toBeLessThan(ATTEMPT_ITEM_BUDGET_BYTES);
    expect(largeBytes + 3 * comment.length).toBeGreaterThan(ATTEMPT_ITEM_BUDGET_BYTES);

    expect(ruleOnDecision(recordOf(small), small, request({ outcome: 'accept', comment }), CITY, NOW)).toMatchObject({ kind: 'decide' });
    expect(ruleOnDecision(recordOf(large), large, request({ outcome: 'accept', comment }), CITY, NOW)).toMatchObject({
      kind: 'refuse',
      refusal: {
        code: 'too-long',
        message: { zh: expect.stringMatching(/超过存证记录上限 380000 字节/), en: expect.stringMatching(/over the ledger's 380,000/) },
      },
    });
  });
});
