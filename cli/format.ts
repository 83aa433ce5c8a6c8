/** Plain-text rendering of attempts for the terminal: readable in Chinese and English. */
import type { Attempt, EnterprisePeriod } from '#domain/attempt.ts';
import type { Issue, Verdict } from '#domain/issues.ts';
import { type Colour, paint } from '#cli/terminal.ts';

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
const VERDICT_COLOUR: Record<Verdict, Colour> = { accepted: 'green', 'needs-review': 'yellow', returned: 'red' };

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
    `    verdict: ${paint(attempt.verdict.toUpperCase(), VERDICT_COLOUR[attempt.verdict])} — ${errors} error(s), ${warnings} warning(s); deposit ${attempt.depositId}; ${attempt.files.length} file(s)`,
    ...attempt.validation.issues.map(issueLine),
    ...reviewLines(attempt),
  ];
  return lines.join('\n');
}

/** What reviewers said about an attempt: the enterprise reads this in `evidence status`. */
export function reviewLines(attempt: Attempt): string[] {
  const lines: string[] = [];
  const e = attempt.escalation;
  if (e) lines.push(`    escalated to ${e.toLevel} review by ${e.reviewer} at ${shanghaiTime(e.escalatedAt)}: ${e.comment}`);
  const d = attempt.decision;
  if (d) {
    const outcome = d.outcome === 'accept' ? 'ACCEPTED' : 'RETURNED';
    lines.push(`    reviewer decision: ${outcome} by ${d.reviewer} (${d.level}) at ${shanghaiTime(d.decidedAt)}${d.comment ? ` — ${d.comment}` : ''}`);
    for (const c of d.issueComments)
      lines.push(`      on ${[c.code, c.unitId ? `unit ${c.unitId}` : '', c.field ?? ''].filter(Boolean).join(' ')}: ${c.comment}`);
  }
  return lines;
}

const SEVERITY_ORDER: Issue['severity'][] = ['error', 'warning', 'info'];

/** Issues grouped by unit, then severity, with what was found against what was expected. */
export function issuesByUnit(issues: readonly Issue[]): string {
  const units = [...new Set(issues.map((i) => i.unitId ?? ''))].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en', { numeric: true })));
  const lines: string[] = [];
  for (const unit of units) {
    lines.push(unit ? `  Unit ${unit} (机组 ${unit})` : '  Whole deposit (整体)');
    for (const severity of SEVERITY_ORDER) {
      const group = issues.filter((i) => (i.unitId ?? '') === unit && i.severity === severity);
      if (group.length === 0) continue;
      lines.push(`    ${severity === 'error' ? 'errors' : severity === 'warning' ? 'warnings' : 'notes'}:`);
      for (const i of group) {
        const where = [i.field ?? '', i.cell ? `cell ${i.cell}` : i.row ? `row ${i.row}` : ''].filter(Boolean).join(', ');
        lines.push(`      ${MARK[i.severity]} ${i.code}${where ? ` (${where})` : ''}`);
        if (i.found !== undefined || i.expected !== undefined) lines.push(`          found ${i.found ?? '—'}   expected ${i.expected ?? '—'}`);
        lines.push(`          ${i.message.zh}`, `          ${i.message.en}`);
      }
    }
  }
  return lines.join('\n');
}

/** An enterprise's recent months, one line each: attempts, timeliness and final verdicts. */
export function historyLines(records: readonly EnterprisePeriod[], months = 6): string[] {
  return records.slice(-months).map((r) => {
    const attempts = r.attempts.map((a, i) => `#${i + 1} ${a.verdict}${a.escalated ? ' (escalated)' : ''}${a.onTime ? '' : ' late'}`).join(', ');
    return `  ${r.period}  ${r.attempts.length} attempt(s): ${attempts}`;
  });
}
