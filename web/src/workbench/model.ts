/**
 * What the workbench reads from the API, and the pure work on it: issues grouped by unit and
 * severity, the parameters the issues flag, which evidence file backs an issue, and the API's
 * bilingual refusal text in one language. No fetching here, so it is the same on every screen.
 */
import { describeKey } from '#domain/key-labels.ts';
import type { Lang } from '../messages.ts';

export type Severity = 'error' | 'warning' | 'info';
export type Level = 'city' | 'province';

// The inbox's answer as the API's use case declares it (types only: nothing of shared/app is bundled).
export type { InboxAnswer, InboxItem } from '#app/review-inbox.ts';

export interface Issue {
  readonly code: string;
  readonly severity: Severity;
  readonly category: string;
  readonly unitId?: string;
  readonly field?: string;
  readonly row?: number;
  readonly cell?: string;
  readonly expected?: string;
  readonly found?: string;
  readonly message: { readonly zh: string; readonly en: string };
}

export interface MeasuredValue {
  readonly value: number;
  readonly declaredValue: number;
  readonly declaredUnit: string;
  readonly evidenceFile?: string;
}

export interface UnitReport {
  readonly unitId: string;
  readonly parameters: Readonly<Record<string, MeasuredValue>>;
  readonly labReport?: { readonly reportNo: string; readonly evidenceFile?: string };
}

export interface Decision {
  readonly outcome: 'accept' | 'return';
  readonly reviewer: string;
  readonly level: Level;
  readonly decidedAt: string;
  readonly comment: string;
  readonly issueComments: readonly { code: string; unitId?: string; field?: string; comment: string }[];
}

export interface Attempt {
  readonly attemptId: string;
  readonly enterpriseId: string;
  readonly period: string;
  readonly receivedAt: string;
  readonly timeliness: { readonly lastDay: string; readonly onTime: boolean; readonly lateBySeconds: number };
  readonly verdict: 'accepted' | 'needs-review' | 'returned';
  readonly validation: {
    readonly verdict: 'accepted' | 'needs-review' | 'returned';
    readonly stats: { readonly errors: number; readonly warnings: number; readonly infos: number };
    readonly issues: readonly Issue[];
  };
  readonly report?: { readonly units: readonly UnitReport[] };
  readonly decision?: Decision;
  readonly escalation?: { readonly reviewer: string; readonly toLevel: Level; readonly escalatedAt: string; readonly comment: string };
}

export interface FileWithLink {
  readonly role: 'report' | 'evidence';
  readonly fileName: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType?: string;
  readonly unreadable?: string;
  readonly url?: string;
}

export interface AttemptView {
  readonly attempt: Attempt;
  readonly attemptNumber: number;
  readonly attempts: number;
  readonly supersededBy?: string;
  readonly enterpriseName?: string;
  readonly province: string;
  readonly city: string;
  readonly files: readonly FileWithLink[];
}

export interface HistoryAnswer {
  /** The registry entry with its division codes named; null for an enterprise only the ledger knows. */
  readonly enterprise: { readonly provinceName: string; readonly cityName: string } | null;
  readonly periods: readonly { readonly period: string; readonly latest: { readonly attemptId: string; readonly verdict: string } | null }[];
}

/** The enterprise's history, read beside the attempt: the recent months and the place's names. */
export type HistoryLoad = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; history: HistoryAnswer };

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];

export interface IssueGroup {
  /** Undefined: issues of the whole report (no unit). */
  readonly unitId: string | undefined;
  readonly bySeverity: readonly { readonly severity: Severity; readonly issues: readonly Issue[] }[];
}

/** Issues by unit (the report's own first, then units in the order they first appear), each by severity, errors first. */
export function groupIssues(issues: readonly Issue[]): IssueGroup[] {
  const units = new Map<string | undefined, Issue[]>();
  const sorted = [...issues].sort((a, b) => (a.unitId === undefined ? -1 : 0) - (b.unitId === undefined ? -1 : 0));
  for (const issue of sorted) units.set(issue.unitId, [...(units.get(issue.unitId) ?? []), issue]);
  return [...units].map(([unitId, ofUnit]) => ({
    unitId,
    bySeverity: SEVERITY_ORDER.map((severity) => ({ severity, issues: ofUnit.filter((i) => i.severity === severity) })).filter((g) => g.issues.length > 0),
  }));
}

/** An issue's identity for comments and React keys: what the API matches an issue comment by. */
export function issueKey(issue: Pick<Issue, 'code' | 'unitId' | 'field'>): string {
  return [issue.code, issue.unitId ?? '', issue.field ?? ''].join('|');
}

/** The (unit, parameter) pairs the issues point at, in the order they are flagged, once each. */
export function flaggedParameters(issues: readonly Issue[]): { unitId: string; code: string }[] {
  const seen = new Map<string, { unitId: string; code: string }>();
  for (const issue of issues) {
    if (issue.unitId === undefined || issue.field === undefined || !describeKey(issue.field)) continue;
    seen.set(`${issue.unitId}|${issue.field}`, { unitId: issue.unitId, code: issue.field });
  }
  return [...seen.values()];
}

/** The evidence file the report names for the issue's parameter (or its unit's lab report), if any. */
export function evidenceFileOf(issue: Pick<Issue, 'unitId' | 'field'>, report: Attempt['report']): string | undefined {
  const unit = report?.units.find((u) => u.unitId === issue.unitId);
  if (!unit || issue.field === undefined) return undefined;
  if (describeKey(issue.field)) return unit.parameters[issue.field]?.evidenceFile;
  if (/^(labReport|lab)/i.test(issue.field) || issue.field === 'reportNo' || issue.field === 'issuedOn') return unit.labReport?.evidenceFile;
  return undefined;
}

/** A parameter's value in a report, in its canonical unit. */
export function reportedValue(report: Attempt['report'], unitId: string, code: string): number | undefined {
  return report?.units.find((u) => u.unitId === unitId)?.parameters[code]?.value;
}

export function parameterName(code: string, lang: Lang): string {
  const described = describeKey(code);
  return described ? `${described[lang]}（${described.unit}）` : code;
}

/** The periods before `period` (newest last), at most `count`, with a latest attempt to read. */
export function earlierMonths(history: HistoryAnswer, period: string, count: number): { period: string; attemptId: string }[] {
  return history.periods
    .filter((p) => p.period < period && p.latest)
    .map((p) => ({ period: p.period, attemptId: (p.latest as { attemptId: string }).attemptId }))
    .sort((a, b) => a.period.localeCompare(b.period))
    .slice(-count);
}

/**
 * The API's refusal texts are `中文 / English`: the part in the person's language. A text without
 * the separator is shown as it is.
 */
export function inLanguage(message: string, lang: Lang): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return lang === 'zh' ? message.slice(0, at) : message.slice(at + 3);
}

/** A time as a person in China reads it: Asia/Shanghai, to the minute. */
export function shanghaiTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

/** A number as a table shows it: up to 4 decimals, grouped. */
export function formatValue(value: number | undefined, lang: Lang): string | undefined {
  return value === undefined ? undefined : new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: 4 }).format(value);
}

export type PreviewKind = 'pdf' | 'image' | 'none';

/** How a file can be shown in the page: by the type intake detected, else by its name. */
export function previewKind(file: Pick<FileWithLink, 'contentType' | 'fileName'>): PreviewKind {
  const type = file.contentType ?? '';
  if (type === 'application/pdf' || (!type && /\.pdf$/i.test(file.fileName))) return 'pdf';
  if (/^image\/(png|jpeg)$/.test(type) || (!type && /\.(png|jpe?g)$/i.test(file.fileName))) return 'image';
  return 'none';
}
