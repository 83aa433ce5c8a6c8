/**
 * The review use case: a reviewer's decision on one attempt, recorded on the attempt and on its
 * enterprise-period record in one conditional transaction. The record's version serialises every
 * write to an enterprise-period, so a decision cannot slip past a re-deposit that superseded it,
 * and a second (or concurrent) decision finds the first and is refused.
 *
 * Who decides is the caller's verified principal, never the body: an attempt outside the
 * reviewer's jurisdiction is answered as if it did not exist (the caller named it only by its
 * opaque id), and one waiting at another level is refused as forbidden (shared/domain/access.ts),
 * before the review rules (shared/domain/review.ts) look at the request.
 *
 * At-least-once safe: each decision carries a decisionId (the client's, or a hash of its content
 * and of who sends it), so the same request delivered twice is answered from what is stored
 * instead of being refused or recorded again. An escalation re-queues the attempt for provincial
 * review after it is stored; a replay finishes that step if a crash left it undone.
 */
import { createHash } from 'node:crypto';
import { type AccessRefusalCode, decideRuling, mayRead, type Place } from '#domain/access.ts';
import { acceptedMonthOf, type Attempt, attemptNumber, type EnterprisePeriod } from '#domain/attempt.ts';
import type { Principal } from '#domain/identity.ts';
import { type DecisionRequest, isRecordedRequest, type RefusalCode, type ReviewerIdentity, recordWithRuling, ruleOnDecision } from '#domain/review.ts';
import { type ReviewMessage, reviewMessageOf } from '#domain/review-message.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { DecisionStore, ReviewQueue, Ruling } from './ports.ts';

export interface ReviewDeps {
  readonly store: DecisionStore;
  readonly reviewQueue: ReviewQueue;
  readonly now: () => Date;
}

/** The decision as stored: just now ('recorded'), or before, by this very request ('replayed'). */
export interface Decided {
  readonly status: 'recorded' | 'replayed';
  readonly attempt: Attempt;
  readonly attemptNumber: number;
  readonly record: EnterprisePeriod;
}

export type DecisionOutcome = Outcome<Decided, RefusalCode | AccessRefusalCode>;

const MAX_WRITE_RETRIES = 8;

/**
 * The decision's identity when the client gave none: the same content from the same reviewer at
 * the same level is the same decision; another reviewer's identical words are another decision.
 */
export function contentDecisionId(attemptId: string, request: DecisionRequest, reviewer: Pick<ReviewerIdentity, 'subject' | 'level'>): string {
  const content = JSON.stringify([attemptId, request.outcome, reviewer.subject, reviewer.level, request.comment, request.issueComments]);
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

export function applyRuling(attempt: Attempt, ruling: Ruling): Attempt {
  return ruling.kind === 'decide' ? { ...attempt, verdict: ruling.verdict, decision: ruling.decision } : { ...attempt, escalation: ruling.escalation };
}

const notFound = (attemptId: string) => refused('not-found', `没有编号为 ${attemptId} 的提交记录`, `no attempt ${attemptId} is recorded`);

/** Where the record belongs, as the access rules read a place. */
export const placeOf = (record: Pick<EnterprisePeriod, 'enterpriseId' | 'province' | 'city'>): Place => ({
  enterpriseId: record.enterpriseId,
  province: record.province,
  city: record.city,
});

export async function decideOnAttempt(deps: ReviewDeps, attemptId: string, request: DecisionRequest, caller: Principal): Promise<DecisionOutcome> {
  // A non-reviewer has no identity to decide with; the access rules refuse it below.
  const reviewer: ReviewerIdentity = { subject: caller.subject, name: caller.name, level: caller.role === 'reviewer' ? caller.level : 'city' };
  const identified = {
    ...request,
    decisionId: request.decisionId ?? contentDecisionId(attemptId, request, reviewer),
  };
  for (let tries = 0; tries < MAX_WRITE_RETRIES; tries++) {
    const attempt = await deps.store.findAttempt(attemptId);
    const record = attempt && (await deps.store.getDeposit(attempt.enterpriseId, attempt.period));
    if (!attempt || !record) return notFound(attemptId);
    const place = placeOf(record);
    if (!mayRead(caller, place)) return notFound(attemptId);
    // A replay of what this reviewer recorded is answered as recorded, although the attempt may
    // since wait at another level (the city reviewer's own escalation, redelivered).
    const replaying = caller.role === 'reviewer' && isRecordedRequest(attempt, identified.decisionId, reviewer);
    // A decided attempt waits at no level: the review rules say who decided it, and that it is final.
    if (!replaying && !(attempt.decision && caller.role === 'reviewer')) {
      const pending = {
        level: attempt.escalation?.toLevel ?? 'city',
        ...(attempt.escalation?.reviewerId ? { escalatedBy: attempt.escalation.reviewerId } : {}),
      };
      const access = decideRuling(caller, place, pending);
      if (!access.ok) return { ok: false, refusal: { code: access.code, message: access.message } };
    }
    const ruling = ruleOnDecision(record, attempt, identified, reviewer, deps.now());
    if (ruling.kind === 'refuse') return { ok: false, refusal: ruling.refusal };
    if (ruling.kind === 'replay') {
      if (attempt.escalation?.decisionId === identified.decisionId && !(await deps.store.escalationQueuedAt(attempt))) {
        await queueForProvince(deps, attempt, record);
      }
      return ok({
        status: 'replayed',
        attempt,
        attemptNumber: attemptNumber(record, attemptId),
        record,
      });
    }
    const accepted = ruling.kind === 'decide' ? acceptedMonthOf(applyRuling(attempt, ruling)) : undefined;
    const next = recordWithRuling(record, attemptId, ruling, accepted);
    const outcome = await deps.store.recordRuling(attempt, ruling, next, record.version);
    if (outcome === 'too-large')
      return refused('too-long', '意见过长，存证记录无法保存，请缩短意见', 'the comments are too long for the ledger to store with this attempt: shorten them');
    if (outcome === 'recorded') {
      const decided = applyRuling(attempt, ruling);
      if (ruling.kind === 'escalate') await queueForProvince(deps, decided, next);
      return ok({
        status: 'recorded',
        attempt: decided,
        attemptNumber: attemptNumber(next, attemptId),
        record: next,
      });
    }
    // Someone else wrote first (another decision, or a re-deposit): re-read and rule again, which
    // turns into a replay, a refusal naming the other decision, or a supersession.
  }
  throw new Error(`could not record the decision on attempt ${attemptId}: still contended after ${MAX_WRITE_RETRIES} tries`);
}

async function queueForProvince(deps: ReviewDeps, attempt: Attempt, record: EnterprisePeriod): Promise<void> {
  const escalation = attempt.escalation;
  if (!escalation) return;
  const message: ReviewMessage = {
    ...reviewMessageOf(attempt, attemptNumber(record, attempt.attemptId), record),
    level: escalation.toLevel,
    escalation: {
      reviewer: escalation.reviewer,
      comment: escalation.comment,
      escalatedAt: escalation.escalatedAt,
    },
  };
  await deps.reviewQueue.send(message);
  await deps.store.markEscalationQueued(attempt, deps.now().toISOString());
}
