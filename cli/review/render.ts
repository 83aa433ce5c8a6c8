/** What the reviewer reads: an attempt's block, why a message needs no review, what was stored. */
import type { DepositFile, EnterprisePeriod } from '#domain/attempt.ts';
import type { DecisionOutcome } from '#domain/review.ts';
import { divisionLabel } from '#domain/provinces.ts';
import type { ReviewMessage } from '#domain/review-message.ts';
import { duration, historyLines, issuesByUnit, reviewLines, shanghaiTime } from '#cli/format.ts';
import type { AttemptView, DecideAnswer } from '#cli/review/backend.ts';

/** An evidence file with the link that downloads the version the attempt recorded. */
export interface LinkedFile {
  readonly file: Pick<DepositFile, 'role' | 'fileName' | 'sha256'>;
  readonly url: string;
}

/** The attempt under review, as printed before the decision prompt (one entry a line, or a few). */
export function attemptScreen(review: ReviewMessage, view: AttemptView, history: readonly EnterprisePeriod[], evidence: readonly LinkedFile[]): string[] {
  const { attempt } = view;
  const t = attempt.timeliness;
  return [
    '',
    '═'.repeat(78),
    // The registry keys places by GB/T 2260 code (360100); a reviewer reads the name (南昌市).
    `${review.enterpriseName ?? ''} ${review.enterpriseId}  ${[review.province, review.city]
      .filter((place): place is string => Boolean(place))
      .map(divisionLabel)
      .join(' ')}`.trim(),
    `period ${review.period}   attempt ${view.attemptNumber} (${attempt.attemptId})   received ${shanghaiTime(attempt.receivedAt)}   ${t.onTime ? 'on time' : `LATE by ${duration(t.lateBySeconds)}`}`,
    `machine verdict: ${attempt.validation.verdict.toUpperCase()} — ${attempt.validation.stats.errors} error(s), ${attempt.validation.stats.warnings} warning(s)${review.level === 'province' ? '   [escalated to province]' : ''}`,
    ...(review.escalation ? [`escalated by ${review.escalation.reviewer}: ${review.escalation.comment}`] : []),
    '\nIssues:',
    issuesByUnit(attempt.validation.issues),
    '\nRecent history:',
    ...historyLines(history),
    '\nEvidence (links valid for 1 hour):',
    ...evidence.map(({ file, url }) => `  ${file.role.padEnd(8)} ${file.fileName}  sha256 ${file.sha256.slice(0, 12)}…\n           ${url}`),
    '',
  ];
}

/** Why the message needs no review (decided already, or a later attempt replaced it); undefined when it does. */
export function settledBecause(view: AttemptView): string | undefined {
  if (view.attempt.decision) return reviewLines(view.attempt)[view.attempt.escalation ? 1 : 0]?.trim() ?? 'decided';
  if (view.supersededBy) return `superseded by attempt ${view.attempts} (${view.supersededBy})`;
  return undefined;
}

export function describeAnswer(answer: Extract<DecideAnswer, { ok: true }>, outcome: DecisionOutcome): string {
  const what = outcome === 'escalate' ? 'escalated to provincial review' : answer.verdict;
  return `${answer.status === 'replayed' ? 'already stored' : 'stored'}: attempt ${answer.attemptNumber} ${what}`;
}
