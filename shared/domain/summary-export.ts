/**
 * The nightly export files for one period: JSON (every scope's summary and every obliged
 * enterprise's standing) and CSV for spreadsheets. Cells that a spreadsheet would run as a
 * formula (starting = + - @, tab or carriage return) are neutralised with a leading apostrophe
 * (OWASP's CSV-injection advice): enterprise names come from files departments did not write.
 */

import type { Period } from './period.ts';
import { scopeLabel } from './provinces.ts';
import type { PeriodResult, PeriodSummary, Standing } from './rates.ts';

export function neutraliseCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  // Numbers are ours (counts, rates) and may be negative only by bug; only text is neutralised.
  const text = typeof value === 'number' ? String(value) : neutraliseCell(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  // A BOM so Excel opens the Chinese names as UTF-8.
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const rate = (r: number | null) => (r === null ? '' : (r * 100).toFixed(2));

export function summariesCsv(summaries: readonly PeriodSummary[]): string {
  return toCsv(
    [
      'scope',
      'scopeName',
      'period',
      'obliged',
      'onTime',
      'late',
      'missing',
      'pending',
      'onTimeRatePercent',
      'firstPassAccepted',
      'returned',
      'withdrawn',
      'awaitingReview',
      'firstPassRatePercent',
      'resubmitted',
      'attempts',
      'escalated',
      'problems',
      'problemErrors',
      'problemWarnings',
    ],
    summaries.map((s) => [
      s.scope,
      scopeLabel(s.scope),
      s.period,
      s.obliged,
      s.onTime,
      s.late,
      s.missing,
      s.pending,
      rate(s.onTimeRate),
      s.firstPassAccepted,
      s.returned,
      s.withdrawn,
      s.awaitingReview,
      rate(s.firstPassRate),
      s.resubmitted,
      s.attempts,
      s.escalated,
      s.problems.total,
      s.problems.bySeverity.error,
      s.problems.bySeverity.warning,
    ]),
  );
}

/** A standing without anything that depends on the hour of computation (missing ⇒ overdue since dueAt). */
export function exportedStanding(s: Standing): Standing {
  return s.submission === 'missing' ? { ...s, lateBySeconds: 0 } : s;
}

export function standingsCsv(standings: readonly Standing[]): string {
  return toCsv(
    [
      'enterpriseId',
      'name',
      'province',
      'provinceName',
      'city',
      'cityName',
      'industry',
      'industries',
      'period',
      'lastDay',
      'submission',
      'firstReceivedAt',
      'lateByDays',
      'firstPass',
      'attempts',
      'latestVerdict',
    ],
    standings.map((s) => [
      s.enterpriseId,
      s.name,
      s.province,
      s.provinceName,
      s.city,
      s.cityName,
      s.industry,
      // The industries owed that period, `;`-separated (a standing built before they were carried: its one industry).
      (s.industries ?? [s.industry]).join(';'),
      s.period,
      s.lastDay,
      s.submission,
      s.firstReceivedAt,
      s.submission === 'late' ? (s.lateBySeconds / 86_400).toFixed(2) : '',
      s.firstPass,
      s.attempts,
      s.latestVerdict,
    ]),
  );
}

export interface ExportDocument {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
}

export function periodExports(prefix: string, period: Period, result: PeriodResult): ExportDocument[] {
  const standings = result.standings.map(exportedStanding);
  return [
    {
      key: `${prefix}${period}/summary.json`,
      contentType: 'application/json',
      body: `${JSON.stringify({ period, summaries: result.summaries.map((s) => ({ ...s, scopeName: scopeLabel(s.scope) })), standings }, null, 2)}\n`,
    },
    {
      key: `${prefix}${period}/summaries.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: summariesCsv(result.summaries),
    },
    {
      key: `${prefix}${period}/enterprises.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: standingsCsv(standings),
    },
  ];
}
