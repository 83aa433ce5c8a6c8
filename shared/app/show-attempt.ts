/**
 * Showing an attempt to whoever may read it: the attempt as recorded now, its number within its
 * month, how many attempts the month has, the later attempt that supersedes it (whether it is
 * decided is on the attempt itself), every attempt of the month with who decided what, and a link
 * to each of its files that serves the version the attempt recorded. The review API's
 * GET /attempts/{attemptId} answers this.
 *
 * Who may read it (shared/domain/access.ts): the enterprise its own, a reviewer or a department
 * its jurisdiction's. Anyone else is told there is no such attempt: the caller named it only by
 * an opaque id, and "forbidden" would say it exists.
 */
import { mayRead } from '#domain/access.ts';
import { type Attempt, attemptNumber, type DepositFile, type ReviewLevel } from '#domain/attempt.ts';
import type { Principal } from '#domain/identity.ts';
import type { Verdict } from '#domain/issues.ts';
import { supersedingAttempt } from '#domain/review.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { AttemptPageReader, EnterpriseNames, FileLinks } from './ports.ts';
import { placeOf } from './review-decision.ts';

/** One attempt of the month, as the attempt page lists them. */
export interface MonthAttempt {
  readonly attempt: number;
  readonly attemptId: string;
  readonly receivedAt: string;
  readonly onTime: boolean;
  readonly verdict: Verdict;
  readonly errors: number;
  readonly warnings: number;
  readonly escalation?: { readonly reviewer: string; readonly toLevel: ReviewLevel; readonly escalatedAt: string };
  readonly decision?: { readonly outcome: 'accept' | 'return'; readonly reviewer: string; readonly level: ReviewLevel; readonly decidedAt: string };
}

/** A file of the attempt with a link to the version it recorded (none for a file that could not be read). */
export type FileWithLink = Pick<DepositFile, 'role' | 'fileName' | 'key' | 'size' | 'sha256' | 'versionId' | 'contentType' | 'unreadable'> & {
  readonly url?: string;
};

export interface AttemptView {
  readonly attempt: Attempt;
  readonly attemptNumber: number;
  readonly attempts: number;
  readonly supersededBy?: string;
  readonly enterpriseName?: string;
  readonly province: string;
  readonly city: string;
  /** Every attempt of the month, oldest first. */
  readonly history: readonly MonthAttempt[];
  readonly files: readonly FileWithLink[];
}

export interface ShowAttemptDeps {
  readonly attempts: AttemptPageReader;
  readonly links: FileLinks;
  readonly names?: EnterpriseNames;
}

export async function showAttempt(deps: ShowAttemptDeps, attemptId: string, caller: Principal): Promise<Outcome<AttemptView, 'not-found'>> {
  const notFound = refused('not-found', `没有编号为 ${attemptId} 的提交记录`, `no attempt ${attemptId} is recorded`);
  const attempt = await deps.attempts.findAttempt(attemptId);
  const record = attempt && (await deps.attempts.getDeposit(attempt.enterpriseId, attempt.period));
  if (!attempt || !record) return notFound;
  if (!mayRead(caller, placeOf(record))) return notFound;
  const [decisions, names, files] = await Promise.all([
    deps.attempts.monthDecisions(attempt.enterpriseId, attempt.period),
    deps.names?.namesOf([attempt.enterpriseId]),
    Promise.all(attempt.files.map((file) => withLink(deps.links, file))),
  ]);
  const byId = new Map(decisions.map((d) => [d.attemptId, d]));
  const history = record.attempts.map((summary, index): MonthAttempt => {
    const { decision, escalation } = byId.get(summary.attemptId) ?? {};
    return {
      attempt: index + 1,
      attemptId: summary.attemptId,
      receivedAt: summary.receivedAt,
      onTime: summary.onTime,
      verdict: summary.verdict,
      errors: summary.errors,
      warnings: summary.warnings,
      ...(escalation ? { escalation: { reviewer: escalation.reviewer, toLevel: escalation.toLevel, escalatedAt: escalation.escalatedAt } } : {}),
      ...(decision ? { decision: { outcome: decision.outcome, reviewer: decision.reviewer, level: decision.level, decidedAt: decision.decidedAt } } : {}),
    };
  });
  const later = supersedingAttempt(record, attemptId);
  const enterpriseName = names?.get(attempt.enterpriseId);
  return ok({
    attempt,
    attemptNumber: attemptNumber(record, attemptId),
    attempts: record.attempts.length,
    ...(later ? { supersededBy: later.attemptId } : {}),
    ...(enterpriseName ? { enterpriseName } : {}),
    province: record.province,
    city: record.city,
    history,
    files,
  });
}

async function withLink(links: FileLinks, file: DepositFile): Promise<FileWithLink> {
  const { role, fileName, key, size, sha256, versionId, contentType, unreadable } = file;
  const shown = { role, fileName, key, size, sha256, ...(versionId ? { versionId } : {}), ...(contentType ? { contentType } : {}) };
  // What intake could not read has no recorded bytes to serve.
  if (unreadable) return { ...shown, unreadable };
  return { ...shown, url: await links.linkTo(file) };
}
