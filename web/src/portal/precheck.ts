/**
 * The report checked in the browser before a byte is uploaded, with the pipeline's own domain
 * code (validateDeposit, as the CLI's pre-check runs it: parse, template, units, ranges, cross
 * checks, evidence named and typed): what would return the deposit because of its own content is
 * said now. Only the history signals (earlier months) are left to intake, which has the ledger.
 * The registry entry is the one the history answer carries. Thresholds are the catalogue's
 * defaults; a deployment that overrides them (CHECK_SETTINGS) judges with its own.
 */
import { Buffer } from 'buffer';
import type { Issue, ValidationReport } from '#domain/issues.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { MonthlyReport } from '#domain/report.ts';
import type { ReportTable, TableRow } from '#domain/report-table.ts';

// The domain reads workbooks through Buffer (as Node gives it); the browser gets the same API.
(globalThis as { Buffer?: unknown }).Buffer ??= Buffer;

/** A chosen file, looked at once: its size, SHA-256 (hex) and first bytes. */
export interface ChosenFile {
  readonly file: File;
  readonly fileName: string;
  readonly size: number;
  readonly sha256: string;
  readonly head: Uint8Array;
}

export async function inspectFile(file: File, headBytes: number): Promise<ChosenFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return { file, fileName: file.name, size: file.size, sha256, head: bytes.slice(0, headBytes) };
}

export interface BrowserPrecheck {
  readonly validation: ValidationReport;
  /** Evidence file names the report refers to that were not chosen, in the report's order. */
  readonly missingEvidence: readonly string[];
  /** Chosen files the report does not name (they would not be read). */
  readonly unreferenced: readonly string[];
}

/** Every evidence file name the report refers to, each once, in the report's order. */
export function referencedEvidence(report: MonthlyReport): string[] {
  const names = new Set<string>();
  for (const unit of report.units) {
    for (const value of Object.values(unit.parameters)) if (value?.evidenceFile) names.add(value.evidenceFile);
    if (unit.labReport?.evidenceFile) names.add(unit.labReport.evidenceFile);
  }
  return [...names];
}

export async function precheck(input: {
  readonly enterprise: Enterprise;
  readonly period: string;
  readonly report: ChosenFile;
  readonly evidence: readonly ChosenFile[];
  readonly now: Date;
}): Promise<BrowserPrecheck> {
  // The domain code (and exceljs, for a workbook) loads when the first report is checked.
  const [{ validateDeposit }, { evidenceKey }, { MAX_REPORT_BYTES }] = await Promise.all([
    import('#domain/validate.ts'),
    import('#domain/deposit-key.ts'),
    import('#domain/report-table.ts'),
  ]);
  const base = { enterpriseId: input.enterprise.enterpriseId, period: input.period, depositId: 'precheck' };
  const { validation, report } = await validateDeposit({
    key: { kind: 'report', ...base, fileName: input.report.fileName },
    reportSize: input.report.size,
    // Too large a report is refused by its size alone, as intake refuses it unread.
    ...(input.report.size <= MAX_REPORT_BYTES ? { reportBytes: new Uint8Array(await input.report.file.arrayBuffer()) } : {}),
    enterprise: input.enterprise,
    evidence: input.evidence.map((file) => ({
      fileName: file.fileName,
      key: evidenceKey({ ...base, fileName: file.fileName }),
      size: file.size,
      sha256: file.sha256,
      head: file.head,
    })),
    receivedAt: input.now,
  });
  const referenced = report ? referencedEvidence(report) : [];
  const issues = await withValueCells(input.report, validation.issues, input.enterprise);
  const chosen = new Set(input.evidence.map((f) => f.fileName));
  return {
    validation: { ...validation, issues },
    missingEvidence: referenced.filter((name) => !chosen.has(name)),
    unreferenced: report ? input.evidence.map((f) => f.fileName).filter((name) => !referenced.includes(name)) : [],
  };
}

/**
 * The checks on values (ranges, cross checks) name the value's row but not its cell: the parsed
 * report keeps rows only. The clerk needs the column too, so the table is read once more here and
 * each such issue gets the cell of its value (the 数值 column in the long layout, the parameter's
 * own cell in the wide ones). Issues that already have a cell, or none to find, are kept as they are.
 */
async function withValueCells(report: ChosenFile, issues: readonly Issue[], enterprise: Enterprise): Promise<Issue[]> {
  if (!issues.some((i) => !i.cell && i.row !== undefined && i.field)) return [...issues];
  const { formatOfFileName, parseCsvTable, parseXlsxTable, LAB_REPORT_NAMES } = await import('#domain/report-table.ts');
  const format = formatOfFileName(report.fileName);
  if (format !== 'xlsx' && format !== 'csv') return [...issues];
  const bytes = new Uint8Array(await report.file.arrayBuffer());
  const { table } = format === 'xlsx' ? await parseXlsxTable(bytes) : await parseCsvTable(bytes);
  if (!table) return [...issues];
  // Rows are named as intake reads them: by the catalogue of the row's facility, the material
  // joined from its column (化石燃料消耗量 + 入窑煤 → fuelConsumed[kilnCoal]), as the issue's field names the key.
  const { vocabularyOf } = await import('#domain/vocabulary.ts');
  const vocabulary = vocabularyOf(enterprise);
  const nameOf = (row: TableRow): string | undefined => {
    const text = String(row.cells.parameter ?? '').trim();
    const lab = (Object.entries(LAB_REPORT_NAMES) as [string, readonly string[]][]).find(
      ([code, names]) => code.toLowerCase() === text.toLowerCase() || names.includes(text.replace(/\s+/g, '')),
    );
    if (lab) return lab[0];
    const material = String(row.cells.material ?? '').trim();
    return vocabulary.resolve(String(row.cells.unitId ?? '').trim(), text, material === '' ? undefined : material)?.key;
  };
  return issues.map((issue) => (issue.cell || issue.row === undefined || !issue.field ? issue : { ...issue, ...cellOf(table, issue, nameOf) }));
}

function cellOf(table: ReportTable, issue: Issue, nameOf: (row: TableRow) => string | undefined): { cell?: string } {
  const rowOf = (ref: string) => Number(/\d+$/.exec(ref)?.[0]);
  const row = table.rows.find(
    (r) =>
      (r.refs?.value ? rowOf(r.refs.value) : r.row) === issue.row &&
      (issue.unitId === undefined || String(r.cells.unitId ?? '').trim() === issue.unitId) &&
      nameOf(r) === issue.field,
  );
  if (!row) return {};
  const cell = row.refs?.value ?? (table.columnLetters.value && row.row !== undefined ? `${table.columnLetters.value}${row.row}` : undefined);
  return cell ? { cell } : {};
}

/** The column letters of an issue's cell (E7 → E). */
export const columnOf = (issue: Pick<Issue, 'cell'>): string | undefined => /^([A-Z]+)\d*$/.exec(issue.cell ?? '')?.[1];
