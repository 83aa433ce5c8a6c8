/**
 * Validating one deposit, from the report's bytes to a validation report. Pure: the caller reads
 * the files, the registry and the clock and passes them in.
 */
import { type CheckSettings, DEFAULT_CHECK_SETTINGS } from './check-settings.ts';
import { type EvidenceFile, issueOf, runChecks } from './checks.ts';
import type { DepositKey } from './deposit-key.ts';
import { periodHasEnded } from './deadline.ts';
import { inspectJsonText, inspectXlsx } from './file-safety.ts';
import { REFUSED_REPORT_EXTENSIONS, REPORT_HEAD_BYTES, reportFormatRefusal } from './file-types.ts';
import { type Issue, summarise, type ValidationReport } from './issues.ts';
import { type Enterprise, isObliged } from './registry.ts';
import { type MonthlyReport, parseJsonTable, reportFromTable } from './report.ts';
import type { PriorMonth } from './history-checks.ts';
import { vocabularyOf } from './vocabulary.ts';
import { decodeText, formatOfFileName, MAX_REPORT_BYTES, parseCsvTable, parseXlsxTable, type TableResult } from './report-table.ts';

export interface DepositToValidate {
  readonly key: DepositKey;
  readonly reportSize: number;
  /** Absent when `admitReport` refused the file, so it was never read. */
  readonly reportBytes?: Uint8Array;
  /** The report as `readReport` already read it (intake reads it first to learn which evidence to fetch). */
  readonly reading?: ReportReading;
  readonly enterprise?: Enterprise;
  readonly evidence: readonly EvidenceFile[];
  readonly receivedAt: Date;
  /** Another upload was already recorded under the same key (an overwrite attempt). */
  readonly keyReused?: boolean;
  /** Earlier accepted months of the enterprise (any order), for the history signals. */
  readonly history?: readonly PriorMonth[];
  /** Thresholds of the catalogue; `DEFAULT_CHECK_SETTINGS` when absent. */
  readonly settings?: CheckSettings;
}

/** More issues than this are not stored one by one: the stats still count them all. */
export const MAX_STORED_ISSUES = 200;
/**
 * Nor more than this many bytes of them (UTF-8 JSON): each issue's texts are bounded
 * (MAX_ISSUE_TEXT), but 200 issues of 300 Chinese characters in three texts and two messages
 * would still pass DynamoDB's 400 KB item, which also holds the parsed report.
 */
export const MAX_STORED_ISSUE_BYTES = 200_000;

const utf8 = new TextEncoder();

function finish(issues: Issue[]): ValidationReport {
  const report = summarise(issues);
  let kept = 0;
  let bytes = 0;
  for (const issue of issues) {
    bytes += utf8.encode(JSON.stringify(issue)).length;
    if (kept >= MAX_STORED_ISSUES || bytes > MAX_STORED_ISSUE_BYTES) break;
    kept++;
  }
  if (kept === issues.length) return report;
  return {
    ...report,
    issues: [...report.issues.slice(0, kept), issueOf('EVD-ISSUES-TRUNCATED', { found: String(issues.length), expected: String(kept) })],
  };
}

/** Problems knowable from the key and size alone; a report with any is not downloaded. */
export function admitReport(key: DepositKey, size: number): Issue[] {
  if (size === 0) return [issueOf('EVD-FILE-EMPTY', { found: '0 bytes' })];
  if (size > MAX_REPORT_BYTES) return [issueOf('EVD-FILE-TOO-LARGE', { found: `${size} bytes`, expected: `${MAX_REPORT_BYTES} bytes` })];
  // An office format people save reports in is read anyway (within the size limit): its refusal
  // names what the file holds and how to save it readably (see reportFormatRefusal).
  const ext = key.fileName.toLowerCase().split('.').pop() ?? '';
  if (!formatOfFileName(key.fileName) && !(REFUSED_REPORT_EXTENSIONS as readonly string[]).includes(ext))
    return [issueOf('EVD-FILE-TYPE', { found: key.fileName, expected: '.csv, .xlsx or .json' })];
  return [];
}

export interface ReportReading {
  readonly report?: MonthlyReport;
  readonly issues: readonly Issue[];
}

/**
 * `settings` bounds the table (`report.maxRows`, `report.maxColumns`); defaults when absent.
 * `enterprise` names the catalogue each facility's rows are read with (vocabulary.ts); without
 * it every industry's names are tried, power first.
 */
export async function readReport(
  fileName: string,
  bytes: Uint8Array,
  settings: CheckSettings = DEFAULT_CHECK_SETTINGS,
  enterprise?: Enterprise,
): Promise<ReportReading> {
  const refusal = reportFormatRefusal(fileName, bytes.subarray(0, REPORT_HEAD_BYTES));
  if (refusal) return { issues: [refusal] };
  const format = formatOfFileName(fileName);
  const limits = settings.report;
  let table: TableResult;
  if (format === 'xlsx') {
    const unsafe = await inspectXlsx(bytes, limits);
    table = unsafe.length > 0 ? { issues: unsafe } : await parseXlsxTable(bytes, limits);
  } else if (format === 'csv') table = await parseCsvTable(bytes, limits);
  else if (format === 'json') {
    const decoded = await decodeText(bytes);
    const unsafe = decoded.text === undefined ? [] : inspectJsonText(decoded.text);
    table =
      decoded.text === undefined
        ? { issues: decoded.issue ? [decoded.issue] : [] }
        : unsafe.length > 0
          ? { issues: unsafe }
          : parseJsonTable(decoded.text, limits);
  } else return { issues: [issueOf('EVD-FILE-TYPE', { found: fileName, expected: '.csv, .xlsx or .json' })] };
  if (!table.table) return { issues: table.issues };
  const converted = reportFromTable(table.table, vocabularyOf(enterprise));
  return { ...(converted.report ? { report: converted.report } : {}), issues: [...table.issues, ...converted.issues] };
}

export interface DepositValidation {
  readonly validation: ValidationReport;
  /** The parsed report, when the file could be read at all. */
  readonly report?: MonthlyReport;
}

export async function validateDeposit(deposit: DepositToValidate): Promise<DepositValidation> {
  const reused = deposit.keyReused ? [issueOf('EVD-KEY-REUSED', { field: 'key', found: deposit.key.fileName })] : [];
  const admitted = [...reused, ...admitReport(deposit.key, deposit.reportSize)];
  if (admitted.length > reused.length || !(deposit.reading || deposit.reportBytes)) return { validation: finish(admitted) };
  const reading = deposit.reading ?? (await readReport(deposit.key.fileName, deposit.reportBytes as Uint8Array, deposit.settings, deposit.enterprise));
  const { report } = reading;
  const issues = [...reused, ...reading.issues];
  if (!report) return { validation: finish(issues) };
  const { key, enterprise } = deposit;
  if (report.enterpriseId !== key.enterpriseId)
    issues.push(issueOf('EVD-ENTERPRISE-MISMATCH', { field: 'enterpriseId', expected: key.enterpriseId, found: report.enterpriseId }));
  if (report.period !== key.period) issues.push(issueOf('EVD-PERIOD-MISMATCH', { field: 'period', expected: key.period, found: report.period }));
  if (!periodHasEnded(key.period, deposit.receivedAt)) issues.push(issueOf('EVD-PERIOD-NOT-ENDED', { field: 'period', found: key.period }));
  if (!enterprise) {
    issues.push(issueOf('EVD-ENTERPRISE-UNKNOWN', { field: 'enterpriseId', found: key.enterpriseId }));
    return { validation: finish(issues), report };
  }
  if (!isObliged(enterprise, key.period)) {
    issues.push(issueOf('EVD-ENTERPRISE-NOT-OBLIGED', { field: 'enterpriseId', found: key.enterpriseId, expected: key.period }));
  }
  // Rules judge the report against the key's month, whatever month the file claims.
  issues.push(
    ...runChecks({
      report: { ...report, period: key.period },
      enterprise,
      evidence: deposit.evidence,
      ...(deposit.settings ? { settings: deposit.settings } : {}),
      ...(deposit.history ? { history: deposit.history } : {}),
    }),
  );
  return { validation: finish(issues), report };
}
