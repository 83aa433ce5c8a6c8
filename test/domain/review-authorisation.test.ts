/**
 * Who may decide an attempt, from the principal alone (shared/domain/access.ts decideRuling) and then
 * the review rules (shared/domain/review.ts), walked through the journeys where a body's word used
 * to be enough: a city reviewer escalating and then deciding as the province, a neighbour province,
 * a province jumping the city's turn, an enterprise deciding its own deposit.
 */
import { describe, expect, it } from 'vitest';
import { decideRuling, type Pending, type Place } from '#domain/access.ts';
import { type Attempt, summaryOf, withAttempt } from '#domain/attempt.ts';
import type { Principal } from '#domain/identity.ts';
import { summarise } from '#domain/issues.ts';
import { DecisionRequestSchema, type ReviewerIdentity, ruleOnDecision } from '#domain/review.ts';

const NOW = new Date('2026-03-20T02:00:00Z');
const NANCHANG: Place = { enterpriseId: '91360100MA35XXXXXN', province: '360000', city: '360100' };

const nanchangReviewer: Principal = {
  role: 'reviewer',
  subject: 'reviewer-nanchang',
  name: '南昌市审核员',
  level: 'city',
  jurisdiction: { kind: 'city', code: '360100', province: '360000' },
};
const jiangxiReviewer: Principal = {
  role: 'reviewer',
  subject: 'reviewer-jiangxi',
  name: '江西省审核员',
  level: 'province',
  jurisdiction: { kind: 'province', code: '360000' },
};
const hunanReviewer: Principal = {
  role: 'reviewer',
  subject: 'reviewer-hunan',
  name: '湖南省审核员',
  level: 'province',
  jurisdiction: { kind: 'province', code: '430000' },
};
const clerk: Principal = { role: 'enterprise', subject: 'clerk', name: '填报员', enterpriseId: NANCHANG.enterpriseId };

const identity = (p: Extract<Principal, { role: 'reviewer' }>): ReviewerIdentity => ({ subject: p.subject, name: p.name, level: p.level });

const validation = summarise([
  { code: 'EVD-ATYPICAL-NCV', severity: 'warning', category: 'plausibility', unitId: '1', field: 'ncvAsReceived', message: { zh: '偏低', en: 'atypical' } },
]);
const attempt: Attempt = {
  attemptId: 'a1',
  enterpriseId: NANCHANG.enterpriseId,
  period: '2026-01',
  depositId: 'd1',
  reportKey: 'reports/x/2026-01/d1/report.json',
  reportVersion: 'e1',
  receivedAt: '2026-03-01T02:00:00.000Z',
  timeliness: { lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'needs-review',
  validation,
  files: [],
  recordedAt: '2026-03-01T02:00:01.000Z',
};
const record = withAttempt(undefined, { ...NANCHANG, period: '2026-01', industry: 'power' }, summaryOf(attempt));
const atCity: Pending = { level: 'city' };

describe('deciding from the token', () => {
  it('lets a city reviewer escalate its own city’s attempt, and then not decide it: only the province decides now', () => {
    const body = { ...DecisionRequestSchema.parse({ outcome: 'escalate', comment: '请省级专家判断' }), decisionId: 'esc' };
    expect(decideRuling(nanchangReviewer, NANCHANG, atCity)).toEqual({ ok: true });
    const escalation = ruleOnDecision(record, attempt, body, identity(nanchangReviewer), NOW);
    if (escalation.kind !== 'escalate') throw new Error('expected an escalation');
    const pending: Pending = { level: escalation.escalation.toLevel, escalatedBy: escalation.escalation.reviewerId };

    const again = decideRuling(nanchangReviewer, NANCHANG, pending);

    expect(escalation.escalation).toMatchObject({ reviewerId: 'reviewer-nanchang', toLevel: 'province' });
    expect(again).toMatchObject({ ok: false, code: 'forbidden', message: { en: 'this attempt was escalated: only a provincial reviewer decides it now' } });
    expect(decideRuling(jiangxiReviewer, NANCHANG, pending)).toEqual({ ok: true });
  });

  it('refuses a provincial reviewer of another province, even once the attempt waits at provincial level', () => {
    expect(decideRuling(hunanReviewer, NANCHANG, { level: 'province', escalatedBy: 'reviewer-nanchang' })).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: { en: `enterprise ${NANCHANG.enterpriseId} is outside your jurisdiction` },
    });
  });

  it('refuses a provincial reviewer an attempt still waiting for its city', () => {
    expect(decideRuling(jiangxiReviewer, NANCHANG, atCity)).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: { en: 'this attempt awaits city review: a provincial reviewer decides only escalated attempts' },
    });
  });

  it('refuses an enterprise deciding on its own deposit', () => {
    expect(decideRuling(clerk, NANCHANG, atCity)).toMatchObject({ ok: false, code: 'forbidden', message: { en: 'only a reviewer decides on an attempt' } });
  });

  it('reads a record that spells its place by name the same as one by code', () => {
    expect(decideRuling(nanchangReviewer, { ...NANCHANG, province: '江西', city: '南昌' }, atCity)).toEqual({ ok: true });
  });
});
