/** Plain-text rendering of attempts for the terminal: readable in Chinese and English. */
import type { Attempt } from '#domain/attempt.ts';
import type { Issue } from '#domain/issues.ts';

const SHANGHAI = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' });

export function shanghaiTime(iso: string): string {
  return `${SHANGHAI.format(new Date(iso))} CST`;
}

export function duration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m ${seconds % 60}s`;
}

const MARK: Record<Issue['severity'], string> = { error: '✗', warning: '!', info: 'i' };

export function issueLine(issue: Issue): string {
  const where = [issue.unitId ? `unit ${issue.unitId}` : '', issue.field ?? '', issue.cell ? `cell ${issue.cell}` : issue.row ? `row ${issue.row}` : '']
    .filter(Boolean)
    .join(', ');
  return `    ${MARK[issue.severity]} ${issue.code} [${issue.severity}]${where ? ` (${where})` : ''}\n      ${issue.message.zh}\n      ${issue.message.en}`;
}

export function attemptBlock(attempt: Attempt, number: number): string {
  const t = attempt.timeliness;
  const timeliness = t.onTime ? `on time (due by end of ${t.lastDay})` : `LATE by ${duration(t.lateBySeconds)} (due by end of ${t.lastDay})`;
  const { errors, warnings } = attempt.validation.stats;
  const lines = [
    `  attempt ${number}  ${attempt.attemptId}  received ${shanghaiTime(attempt.receivedAt)}  ${timeliness}`,
    `    verdict: ${attempt.verdict.toUpperCase()} — ${errors} error(s), ${warnings} warning(s); deposit ${attempt.depositId}; ${attempt.files.length} file(s)`,
    ...attempt.validation.issues.map(issueLine),
  ];
  return lines.join('\n');
}
