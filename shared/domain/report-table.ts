/**
 * Reading a report file into the long table every format shares: one row per unit and parameter.
 * CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030 as Excel on a Chinese Windows saves it),
 * XLSX (the first visible sheet: what a reviewer sees on opening the workbook) and JSON all end
 * here. Parsing never throws for bad input: it returns the rows it could read and the problems
 * it found.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { DEFAULT_CHECK_SETTINGS } from './check-settings.ts';
import { issueOf } from './catalogue.ts';
import { type TableLimits, tooManyRowsIssue } from './file-safety.ts';
import type { Issue } from './issues.ts';
import { type CellValue as ExcelCellValue, newWorkbook, type Worksheet } from './workbook.ts';

export const REPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report above this size is refused without being read: a real month is a few kilobytes. */
export const MAX_REPORT_BYTES = 2 * 1024 * 1024;

/** The columns of the long table, with the Chinese headers accepted for them. */
export const COLUMNS = {
  enterpriseId: ['统一社会信用代码', '企业代码'],
  period: ['月份', '报告月份', '期间'],
  unitId: ['机组', '机组编号'],
  parameter: ['参数', '参数名称'],
  value: ['数值', '值'],
  unit: ['单位', '计量单位'],
  evidenceFile: ['证据文件', '支撑材料'],
  evidenceSha256: ['证据SHA256', '证据哈希'],
} as const;
export type Column = keyof typeof COLUMNS;
export const REQUIRED_COLUMNS: readonly Column[] = ['enterpriseId', 'period', 'unitId', 'parameter', 'value', 'unit'];

export type CellValue = string | number | null;

export interface TableRow {
  /** 1-based line (CSV) or sheet row (XLSX); absent for JSON, where `path` says where. */
  readonly row?: number;
  /** For JSON: where the value sits, e.g. units[0].parameters.coalConsumed. */
  readonly path?: string;
  readonly cells: Readonly<Partial<Record<Column, CellValue>>>;
}

export interface ReportTable {
  readonly format: ReportFormat;
  readonly rows: readonly TableRow[];
  /** Spreadsheet column letter of each column, for cell references. */
  readonly columnLetters: Readonly<Partial<Record<Column, string>>>;
}

export interface TableResult {
  readonly table?: ReportTable;
  readonly issues: Issue[];
}

export function formatOfFileName(fileName: string): ReportFormat | undefined {
  const ext = fileName.toLowerCase().split('.').pop();
  return (REPORT_FORMATS as readonly string[]).includes(ext ?? '') ? (ext as ReportFormat) : undefined;
}

function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function columnOf(header: string): Column | undefined {
  const cleaned = header.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  for (const [column, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    if (column.toLowerCase() === cleaned || aliases.some((a) => a.toLowerCase() === cleaned)) return column;
  }
  return undefined;
}

/** Text of a CSV or JSON report: BOMs honoured, strict UTF-8 first, GB18030 as the fallback. */
export async function decodeText(bytes: Uint8Array): Promise<{ text?: string; encoding?: string; issue?: Issue }> {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeStrict(bytes.subarray(3), 'utf-8', 'UTF-8 with BOM');
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeStrict(bytes.subarray(2), 'utf-16le', 'UTF-16LE');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeStrict(bytes.subarray(2), 'utf-16be', 'UTF-16BE');
  if (bytes.includes(0)) {
    return { issue: issueOf('EVD-FILE-BINARY', { found: 'NUL bytes', expected: 'text (UTF-8 or GB18030)' }) };
  }
  const utf8 = decodeStrict(bytes, 'utf-8', 'UTF-8');
  if (utf8.text !== undefined) return utf8;
  // Loaded on first use: most reports are UTF-8, and iconv-lite's code tables are a third of what
  // a function would otherwise load at cold start (see workbook.ts).
  const { default: iconv } = await import('iconv-lite');
  const text = iconv.decode(Buffer.from(bytes), 'gb18030');
  // GB18030 maps almost any byte sequence; a replacement character means it was not GB18030 either.
  if (text.includes('\uFFFD')) {
    return { issue: issueOf('EVD-FILE-ENCODING', { expected: 'UTF-8, UTF-8 with BOM or GB18030', found: 'bytes that are neither' }) };
  }
  return { text, encoding: 'GB18030' };
}

function decodeStrict(bytes: Uint8Array, label: string, name: string): { text?: string; encoding?: string; issue?: Issue } {
  try {
    return { text: new TextDecoder(label, { fatal: true }).decode(bytes), encoding: name };
  } catch {
    return { issue: issueOf('EVD-FILE-ENCODING', { expected: name, found: 'invalid byte sequences' }) };
  }
}

/**
 * A grid of cells, header first. `lines[i]` is where grid row i starts in the file (a CSV record
 * may span lines); without it, row i is line `i + 1`.
 */
function tableFromGrid(format: ReportFormat, grid: CellValue[][], lines?: readonly number[]): TableResult {
  const [header, ...body] = grid;
  const lineOf = (i: number) => lines?.[i] ?? i + 1;
  const firstRow = lineOf(0);
  if (!header || header.every((h) => h === null || String(h).trim() === '')) {
    return { issues: [issueOf('EVD-REPORT-HEADER', { row: firstRow, expected: REQUIRED_COLUMNS.join(', '), found: 'no header row' })] };
  }
  const indexOf: Partial<Record<Column, number>> = {};
  const columnLetters: Partial<Record<Column, string>> = {};
  const issues: Issue[] = [];
  header.forEach((h, i) => {
    const column = columnOf(String(h ?? ''));
    if (!column) return;
    const first = indexOf[column];
    if (first !== undefined) {
      // Two headers for one column (数值 and value): which one holds the month cannot be known.
      issues.push(
        issueOf('EVD-REPORT-COLUMN-DUPLICATE', {
          row: firstRow,
          cell: `${columnLetter(i)}${firstRow}`,
          field: column,
          expected: 'each column once, under its English or its Chinese name',
          found: `"${String(header[first] ?? '').trim()}" (${columnLetter(first)}) and "${String(h ?? '').trim()}" (${columnLetter(i)})`,
        }),
      );
      return;
    }
    indexOf[column] = i;
    columnLetters[column] = columnLetter(i);
  });
  if (issues.length > 0) return { issues };
  const missing = REQUIRED_COLUMNS.filter((c) => indexOf[c] === undefined);
  if (missing.length > 0) {
    issues.push(
      issueOf('EVD-REPORT-HEADER', {
        row: firstRow,
        expected: REQUIRED_COLUMNS.join(', '),
        found:
          header
            .map((h) => String(h ?? ''))
            .join(', ')
            .slice(0, 200) || '(empty)',
        field: missing.join(', '),
      }),
    );
    return { issues };
  }
  const rows: TableRow[] = [];
  body.forEach((line, i) => {
    if (line.every((c) => c === null || String(c).trim() === '')) return;
    const cells: Partial<Record<Column, CellValue>> = {};
    for (const [column, index] of Object.entries(indexOf) as [Column, number][]) cells[column] = line[index] ?? null;
    rows.push({ row: lineOf(i + 1), cells });
  });
  return { table: { format, rows, columnLetters }, issues };
}

/** A grid beyond the limits, judged before a row is converted. */
function gridTooLarge(grid: readonly (readonly unknown[])[], limits: TableLimits, sheet?: string): Issue | undefined {
  const rows = grid.length;
  const columns = grid.reduce((most, r) => Math.max(most, r.length), 0);
  return rows > limits.maxRows || columns > limits.maxColumns ? tooManyRowsIssue({ rows, columns, ...(sheet ? { sheet } : {}) }, limits) : undefined;
}

export async function parseCsvTable(bytes: Uint8Array, limits: TableLimits = DEFAULT_CHECK_SETTINGS.report): Promise<TableResult> {
  const decoded = await decodeText(bytes);
  if (decoded.text === undefined) return { issues: decoded.issue ? [decoded.issue] : [] };
  // Every line ending ends a line, whichever the file mixes (Excel writes CRLF, a script appends
  // LF); csv-parse would otherwise take the first one it meets as the only record delimiter and
  // fold the other lines into cells. Inside a quoted cell the line break stays a line break.
  const text = decoded.text.replace(/\r\n?/g, '\n');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, trim: true, bom: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message)?.[1];
    return { issues: [issueOf('EVD-FILE-UNPARSABLE', { expected: 'CSV (RFC 4180)', found: message.slice(0, 200), ...(line ? { row: Number(line) } : {}) })] };
  }
  const grid = records.map(({ record }) => record.map((c) => (c === '' ? null : c)));
  const tooLarge = gridTooLarge(grid, limits);
  if (tooLarge) return { issues: [tooLarge] };
  // `info.lines` is the line a record ends on; with empty lines kept as records, the next record
  // starts on the line after it. Issue rows are file lines, where an editor puts the cursor.
  const lines = records.map((_, i) => (i === 0 ? 1 : (records[i - 1]?.info.lines ?? i) + 1));
  return tableFromGrid('csv', grid, lines);
}

function excelCellValue(value: ExcelCellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      // The cached result is what Excel shows and what the enterprise saw; without one (a file
      // written by a script, never opened in Excel) there is no value to read, only the formula.
      const formula = 'formula' in value ? value.formula : value.sharedFormula;
      return value.result !== undefined && value.result !== null
        ? excelCellValue(value.result as ExcelCellValue)
        : `=${String(formula)} (无计算结果 / no cached value)`;
    }
    if ('result' in value) return excelCellValue(value.result as ExcelCellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function cellsWithValues(sheet: Worksheet): number {
  let cells = 0;
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      if (excelCellValue(cell.value) !== null && String(cell.value).trim() !== '') cells++;
    }),
  );
  return cells;
}

export async function parseXlsxTable(bytes: Uint8Array, limits: TableLimits = DEFAULT_CHECK_SETTINGS.report): Promise<TableResult> {
  if (!ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    return { issues: [issueOf('EVD-FILE-TYPE', { expected: 'an XLSX workbook (a ZIP container)', found: 'content that is not a ZIP container' })] };
  }
  const workbook = await newWorkbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { issues: [issueOf('EVD-FILE-UNPARSABLE', { expected: 'a readable XLSX workbook', found: message.slice(0, 200) })] };
  }
  // The first visible sheet is the one a reviewer sees; Excel keeps at least one sheet visible.
  const sheet = workbook.worksheets.find((s) => s.state === undefined || s.state === 'visible');
  if (!sheet)
    return {
      issues: [
        issueOf('EVD-REPORT-HEADER', {
          expected: 'a visible worksheet with the report table',
          found: workbook.worksheets.length > 0 ? 'only hidden worksheets' : 'no worksheet',
        }),
      ],
    };
  // inspectXlsx bounded every sheet before the load; this holds for callers that did not run it.
  if (sheet.rowCount > limits.maxRows || sheet.columnCount > limits.maxColumns) {
    return { issues: [tooManyRowsIssue({ sheet: sheet.name, rows: sheet.rowCount, columns: sheet.columnCount }, limits)] };
  }
  const issues: Issue[] = [];
  const hidden = workbook.worksheets
    .filter((s) => s !== sheet && s.state !== undefined && s.state !== 'visible')
    .map((s) => ({ s, cells: cellsWithValues(s) }))
    .filter(({ cells }) => cells > 0);
  if (hidden.length > 0) {
    issues.push(
      issueOf('EVD-XLSX-HIDDEN-SHEET', {
        field: 'sheet',
        expected: `"${sheet.name}"`,
        found: hidden.map(({ s, cells }) => `"${s.name}" (${s.state === 'veryHidden' ? 'very hidden' : 'hidden'}, ${cells} cells)`).join(', '),
      }),
    );
  }
  const grid: CellValue[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const line: CellValue[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 1); c++) line.push(excelCellValue(row.getCell(c).value));
    grid.push(line);
  }
  const table = tableFromGrid('xlsx', grid);
  return { ...table, issues: [...issues, ...table.issues] };
}
