/**
 * Showing an attempt to a reviewer: the attempt as recorded now, its number within its month, how
 * many attempts the month has, and the later attempt that supersedes it, if any (whether it is
 * decided is on the attempt itself). The review API's GET /attempts/{attemptId} and the CLI
 * answer the same.
 */
import { type Attempt, attemptNumber } from '#domain/attempt.ts';
import { supersedingAttempt } from '#domain/review.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { AttemptLookup } from './ports.ts';

export interface AttemptView {
  readonly attempt: Attempt;
  readonly attemptNumber: number;
  readonly attempts: number;
  readonly supersededBy?: string;
}

export async function showAttempt(deps: { readonly attempts: AttemptLookup }, attemptId: string): Promise<Outcome<AttemptView, 'not-found'>> {
  const attempt = await deps.attempts.findAttempt(attemptId);
  const record = attempt && (await deps.attempts.getDeposit(attempt.enterpriseId, attempt.period));
  if (!attempt || !record) return refused('not-found', `没有编号为 ${attemptId} 的提交记录`, `no attempt ${attemptId} is recorded`);
  const later = supersedingAttempt(record, attemptId);
  return ok({
    attempt,
    attemptNumber: attemptNumber(record, attemptId),
    attempts: record.attempts.length,
    ...(later ? { supersededBy: later.attemptId } : {}),
  });
}
