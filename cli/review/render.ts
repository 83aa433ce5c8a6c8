/** What the reviewer reads: an attempt's block, why an attempt needs no review, what was stored. */
import type { MonthAttempt } from '#app/show-attempt.ts';
import { divisionLabel } from '#domain/provinces.ts';
import type { DecisionOutcome } from '#domain/review.ts';
import { duration, issuesByUnit, reviewLines, shanghaiTime } from '#cli/format.ts';
import type { AttemptView, DecideAnswer, InboxItem } from '#cli/review/backend.ts';

/** The month's attempts, one line each: the reviewer sees what came before. */
export function monthLines(history: readonly MonthAttempt[]): string[] {
  return history.map((a) => {
    const who = a.decision
      ? `  ${a.decision.outcome === 'accept' ? 'accepted' : 'returned'} by ${a.decision.reviewer} (${a.decision.level})`
      : a.escalation
        ? `  escalated by ${a.escalation.reviewer}`
        : '';
    return `  #${a.attempt} ${a.attemptId}  ${shanghaiTime(a.receivedAt)}  ${a.verdict}${a.onTime ? '' : ' late'}  ${a.errors} error(s), ${a.warnings} warning(s)${who}`;
  });
}

/** The attempt under review, as printed before the decision prompt (one entry a line, or a few). */
export function attemptScreen(item: Pick<InboxItem, 'level'>, view: AttemptView): string[] {
  const { attempt } = view;
  const t = attempt.timeliness;
  return [
    '',
    '═'.repeat(78),
    // The registry keys places by GB/T 2260 code (360100); a reviewer reads the name (南昌市).
    `${view.enterpriseName ?? ''} ${attempt.enterpriseId}  ${[view.province, view.city]
      .filter((place): place is string => Boolean(place))
      .map(divisionLabel)
      .join(' ')}`.trim(),
    `period ${attempt.period}   attempt ${view.attemptNumber} (${attempt.attemptId})   received ${shanghaiTime(attempt.receivedAt)}   ${t.onTime ? 'on time' : `LATE by ${duration(t.lateBySeconds)}`}`,
    `machine verdict: ${attempt.validation.verdict.toUpperCase()} — ${attempt.validation.stats.errors} error(s), ${attempt.validation.stats.warnings} warning(s)${item.level === 'province' ? '   [escalated to province]' : ''}`,
    ...(attempt.escalation ? [`escalated by ${attempt.escalation.reviewer}: ${attempt.escalation.comment}`] : []),
    '\nIssues:',
    issuesByUnit(attempt.validation.issues),
    `\nThis month's attempts (${view.attempts}):`,
    ...monthLines(view.history ?? []),
    '\nFiles (links valid for 1 hour):',
    ...(view.files ?? []).map(
      (file) =>
        `  ${file.role.padEnd(8)} ${file.fileName}  sha256 ${file.sha256.slice(0, 12)}…\n           ${file.url ?? `不可读 / unreadable${file.unreadable ? ` (${String(file.unreadable)})` : ''}`}`,
    ),
    '',
  ];
}

/** Why the attempt needs no review (decided already, or a later attempt replaced it); undefined when it does. */
export function settledBecause(view: AttemptView): string | undefined {
  if (view.attempt.decision) return reviewLines(view.attempt)[view.attempt.escalation ? 1 : 0]?.trim() ?? 'decided';
  if (view.supersededBy) return `superseded by attempt ${view.attempts} (${view.supersededBy})`;
  return undefined;
}

export function describeAnswer(answer: Extract<DecideAnswer, { ok: true }>, outcome: DecisionOutcome): string {
  const what = outcome === 'escalate' ? 'escalated to provincial review' : answer.verdict;
  return `${answer.status === 'replayed' ? 'already stored' : 'stored'}: attempt ${answer.attemptNumber} ${what}`;
}
