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
import { allParameterNames } from './vocabulary.ts';
import { type CellValue as ExcelCellValue, newWorkbook, type Worksheet } from './workbook.ts';

export const REPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report above this size is refused without being read: a real month is a few kilobytes. */
export const MAX_REPORT_BYTES = 2 * 1024 * 1024;

/** The columns of the long table, with the Chinese headers accepted for them. */
export const COLUMNS = {
  enterpriseId: ['统一社会信用代码', '企业代码'],
  period: ['月份', '报告月份', '期间'],
  // The facility: a generating unit, a clinker line, a potline series, a steel process.
  unitId: ['机组', '机组编号', '设施', '设施编号', '熟料生产线', '生产线', '电解系列', '工序'],
  parameter: ['参数', '参数名称'],
  value: ['数值', '值'],
  unit: ['单位', '计量单位'],
  evidenceFile: ['证据文件', '支撑材料'],
  evidenceSha256: ['证据SHA256', '证据哈希'],
  /** Optional: the material a per-material parameter is for (or `consumed[coke]` in the 参数 column). */
  material: ['物料', '物料名称'],
  /** Optional: 实测 (measured) or 缺省值 (default), for a parameter that may be either. */
  basis: ['取值方式', '数据来源'],
  /**
   * Optional, written by the template of the new industries: 必填 (required) or 选填 (optional).
   * In the long layout a 选填 row left without a value and without evidence is a value not
   * reported, as an empty cell is in the wide layouts; every other row is read as written.
   */
  requirement: ['填报要求', '是否必填'],
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
  /**
   * Where each cell sits when not in `columnLetters` on `row`: in the wide layouts a value's
   * cell is the parameter's column (or the unit's), and the month sits on a row of its own.
   */
  readonly refs?: Readonly<Partial<Record<Column, string>>>;
}

export interface ReportTable {
  readonly format: ReportFormat;
  /** How the table was laid out (JSON: absent); every layout ends as these long rows. */
  readonly layout?: ReportLayout;
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

/** How many rows from the top of a sheet are searched for the header: a title, merged cells or a note may sit above it. */
export const HEADER_SEARCH_ROWS = 10;

/**
 * The three layouts a report table comes in, told apart by its header row:
 * - `long`: one row per unit and parameter (the template; the columns of `COLUMNS`);
 * - `unit-rows`: one row per unit, a column per parameter (headed by its code or Chinese name,
 *   optionally with the unit: `燃煤消耗量(t)`, `coalConsumed [t]`), beside the enterprise, month
 *   and unit columns; an `evidenceFile` / `evidenceSha256` column binds to the parameter column
 *   on its left;
 * - `parameter-rows`: one row per parameter, a column per unit (headed by the unit id), the
 *   parameter in the first column, an optional unit column; the enterprise and the month are rows
 *   (统一社会信用代码, 月份) like the parameters, and an evidence row binds to the parameter row above it.
 * In both wide layouts an empty cell (or `/`, `-`, `—`) is a value not reported, as a missing row is in the long one.
 */
export type ReportLayout = 'long' | 'unit-rows' | 'parameter-rows';

/** Chinese names of the lab report's text rows (the parameters have theirs in their industry's catalogue). */
export const LAB_REPORT_NAMES = { labReportNo: ['化验报告编号', '化验报告号'], labReportIssuedOn: ['化验报告日期', '化验日期'] } as const;

const clean = (value: CellValue | undefined) => (value === null || value === undefined ? '' : String(value).normalize('NFKC').replace(/\s+/g, ''));

/**
 * Every name a parameter key or lab report field is written under, in every industry's catalogue
 * (code in lower case, Chinese name NFKC; `netconsumed[coke]`, `净消耗量[焦炭]`), once, with the
 * key's canonical unit (a gas material's own; empty for the lab report's text fields).
 */
const PARAMETER_NAMES: ReadonlyMap<string, { key: string; unit: string }> = new Map([
  ...allParameterNames(),
  ...Object.entries(LAB_REPORT_NAMES).flatMap(([field, zh]) => [
    [field.toLowerCase(), { key: field, unit: '' }],
    ...zh.map((name) => [name, { key: field, unit: '' }]),
  ]),
] as [string, { key: string; unit: string }][]);

/** A parameter key (or lab report field) named by its code or Chinese name, without a unit. */
const parameterNamed = (name: string) => PARAMETER_NAMES.get(name.toLowerCase());

/**
 * `燃煤消耗量(t)`, `coalConsumed [t]`, `燃煤消耗量（吨）`, `净消耗量[焦炭](t)`, `netConsumed[bfg] [万Nm3]`
 * → the parameter key, the unit the header declares (absent: none declared) and the key's canonical unit.
 */
export function parameterOfHeader(header: CellValue | undefined): { code: string; unit?: string; canonicalUnit: string } | undefined {
  const cleaned = clean(header);
  if (cleaned === '') return undefined;
  const whole = parameterNamed(cleaned);
  if (whole) return { code: whole.key, canonicalUnit: whole.unit };
  const match = /^(.+?)[([]([^)\]]*)[)\]]$/.exec(cleaned);
  const named = match?.[1] ? parameterNamed(match[1]) : undefined;
  return named ? { code: named.key, unit: match?.[2] ?? '', canonicalUnit: named.unit } : undefined;
}

const ABSENT = new Set(['', '/', '-', '—', '–', '－', '／']);
const absent = (value: CellValue | undefined) => ABSENT.has(clean(value));

const OPTIONAL = new Set(['选填', '可选', '非必填', 'optional']);

/** A long row the template marks 选填 (optional), left without a value and without evidence: not reported. */
const notReported = (cells: Partial<Record<Column, CellValue>>) =>
  OPTIONAL.has(clean(cells.requirement).toLowerCase()) && absent(cells.value) && clean(cells.evidenceFile) === '' && clean(cells.evidenceSha256) === '';

const isBlank = (line: readonly CellValue[] | undefined) => !line || line.every((c) => c === null || String(c).trim() === '');

function layoutOf(line: readonly CellValue[]): ReportLayout | undefined {
  const columns = line.map((h) => columnOf(String(h ?? '')));
  if (REQUIRED_COLUMNS.every((c) => columns.includes(c))) return 'long';
  const parameters = line.filter((h) => parameterOfHeader(h) !== undefined).length;
  if (parameters > 0 && (['enterpriseId', 'period', 'unitId'] as const).every((c) => columns.includes(c)) && !columns.includes('parameter')) return 'unit-rows';
  const first = line.findIndex((h) => clean(h) !== '');
  if (
    first >= 0 &&
    columns[first] === 'parameter' &&
    !columns.includes('value') &&
    !columns.includes('unitId') &&
    line.some((h, i) => i > first && clean(h) !== '' && columns[i] === undefined && !parameterOfHeader(h))
  )
    return 'parameter-rows';
  return undefined;
}

function quoted(line: readonly CellValue[]): string {
  return (
    line
      .map((h) => String(h ?? '').trim())
      .filter((h, i, all) => h !== '' && all.indexOf(h) === i)
      .join(', ')
      .slice(0, 200) || '(empty)'
  );
}

const zhList = (columns: readonly Column[]) => columns.map((c) => COLUMNS[c][0]).join('、');

/** No header in the rows searched: the row that came closest, what it held and what it lacks. */
function headerNotFound(grid: CellValue[][], lineOf: (i: number) => number): Issue {
  const searched = grid.slice(0, HEADER_SEARCH_ROWS);
  let best = searched.findIndex((line) => !isBlank(line));
  let bestCount = 0;
  searched.forEach((line, i) => {
    const count = new Set(line.map((h) => columnOf(String(h ?? ''))).filter((c) => c && REQUIRED_COLUMNS.includes(c))).size;
    if (count > bestCount) [best, bestCount] = [i, count];
  });
  const line = grid[best] ?? [];
  const held = new Set(line.map((h) => columnOf(String(h ?? ''))));
  const missing = REQUIRED_COLUMNS.filter((c) => !held.has(c));
  const row = lineOf(Math.max(best, 0));
  const searchedRows = Math.min(grid.length, HEADER_SEARCH_ROWS);
  return issueOf('EVD-REPORT-HEADER', {
    row,
    field: missing.join(', '),
    expected: REQUIRED_COLUMNS.join(', '),
    found:
      best < 0
        ? `no header row (the first ${searchedRows} rows are empty)`
        : `row ${row} taken for the header (of the first ${searchedRows} searched) holds "${quoted(line)}"`,
    zh: {
      field: zhList(missing),
      expected: `${zhList(REQUIRED_COLUMNS)}（或宽表：每行一台机组或每行一个参数）`,
      found: best < 0 ? `前 ${searchedRows} 行均为空，没有表头行` : `在前 ${searchedRows} 行中取第 ${row} 行作为表头，其内容为“${quoted(line)}”`,
    },
  });
}

/**
 * A grid of cells: a header somewhere in the first HEADER_SEARCH_ROWS rows, the values below it.
 * `lines[i]` is where grid row i starts in the file (a CSV record may span lines); without it,
 * row i is line `i + 1`. Rows above the header are ignored; issue rows stay the file's own.
 */
function tableFromGrid(format: ReportFormat, grid: CellValue[][], lines?: readonly number[]): TableResult {
  const lineOf = (i: number) => lines?.[i] ?? i + 1;
  const at = grid.slice(0, HEADER_SEARCH_ROWS).findIndex((line) => layoutOf(line) !== undefined);
  if (at < 0) return { issues: [headerNotFound(grid, lineOf)] };
  const header = grid[at] as CellValue[];
  const layout = layoutOf(header) as ReportLayout;
  const body = grid.slice(at + 1).map((line, i) => ({ line, row: lineOf(at + 1 + i) }));
  const headerRow = lineOf(at);
  if (layout === 'unit-rows') return unitRowsTable(format, header, headerRow, body);
  if (layout === 'parameter-rows') return parameterRowsTable(format, header, headerRow, body);
  const indexOf: Partial<Record<Column, number>> = {};
  const columnLetters: Partial<Record<Column, string>> = {};
  const issues: Issue[] = [];
  header.forEach((h, i) => {
    const column = columnOf(String(h ?? ''));
    if (!column) return;
    const first = indexOf[column];
    if (first !== undefined) {
      // Two headers for one column (数值 and value): which one holds the month cannot be known.
      issues.push(duplicateColumn(column, headerRow, first, i, header));
      return;
    }
    indexOf[column] = i;
    columnLetters[column] = columnLetter(i);
  });
  if (issues.length > 0) return { issues };
  const rows: TableRow[] = [];
  for (const { line, row } of body) {
    if (isBlank(line)) continue;
    const cells: Partial<Record<Column, CellValue>> = {};
    for (const [column, index] of Object.entries(indexOf) as [Column, number][]) cells[column] = line[index] ?? null;
    if (notReported(cells)) continue;
    rows.push({ row, cells });
  }
  return { table: { format, layout, rows, columnLetters }, issues };
}

function duplicateColumn(field: string, headerRow: number, first: number, second: number, header: readonly CellValue[]): Issue {
  return issueOf('EVD-REPORT-COLUMN-DUPLICATE', {
    row: headerRow,
    cell: `${columnLetter(second)}${headerRow}`,
    field,
    expected: 'each column once, under its English or its Chinese name',
    found: `"${String(header[first] ?? '').trim()}" (${columnLetter(first)}) and "${String(header[second] ?? '').trim()}" (${columnLetter(second)})`,
  });
}

interface Body {
  readonly line: CellValue[];
  readonly row: number;
}

/** One row per unit, a column per parameter: each filled parameter cell becomes a long row located at that cell. */
function unitRowsTable(format: ReportFormat, header: CellValue[], headerRow: number, body: readonly Body[]): TableResult {
  const fixed: Partial<Record<Column, number>> = {};
  const parameters: { code: string; unit?: string; canonicalUnit: string; index: number; evidenceFile?: number; evidenceSha256?: number; basis?: number }[] =
    [];
  const issues: Issue[] = [];
  header.forEach((h, i) => {
    const column = columnOf(String(h ?? ''));
    const last = parameters.at(-1);
    if ((column === 'evidenceFile' || column === 'evidenceSha256' || column === 'basis') && last && last[column] === undefined) {
      last[column] = i;
      return;
    }
    if (column === 'enterpriseId' || column === 'period' || column === 'unitId') {
      const first = fixed[column];
      if (first !== undefined) issues.push(duplicateColumn(column, headerRow, first, i, header));
      else fixed[column] = i;
      return;
    }
    const parameter = column ? undefined : parameterOfHeader(h);
    if (!parameter) return;
    const first = parameters.find((p) => p.code === parameter.code);
    if (first) issues.push(duplicateColumn(parameter.code, headerRow, first.index, i, header));
    else parameters.push({ ...parameter, index: i });
  });
  if (issues.length > 0) return { issues };
  const letterOf = (column: 'enterpriseId' | 'period' | 'unitId') => columnLetter(fixed[column] as number);
  const columnLetters = { enterpriseId: letterOf('enterpriseId'), period: letterOf('period'), unitId: letterOf('unitId') };
  const rows: TableRow[] = [];
  for (const { line, row } of body) {
    if (isBlank(line)) continue;
    const cell = (index: number | undefined) => (index === undefined ? null : (line[index] ?? null));
    for (const p of parameters) {
      if (absent(line[p.index])) continue;
      const valueCell = `${columnLetter(p.index)}${row}`;
      rows.push({
        row,
        cells: {
          enterpriseId: cell(fixed.enterpriseId),
          period: cell(fixed.period),
          unitId: cell(fixed.unitId),
          parameter: p.code,
          value: cell(p.index),
          unit: p.unit ?? p.canonicalUnit,
          evidenceFile: cell(p.evidenceFile),
          evidenceSha256: cell(p.evidenceSha256),
          ...(p.basis !== undefined ? { basis: cell(p.basis) } : {}),
        },
        refs: {
          parameter: `${columnLetter(p.index)}${headerRow}`,
          value: valueCell,
          unit: p.unit === undefined ? valueCell : `${columnLetter(p.index)}${headerRow}`,
          ...(p.evidenceFile !== undefined ? { evidenceFile: `${columnLetter(p.evidenceFile)}${row}` } : {}),
          ...(p.evidenceSha256 !== undefined ? { evidenceSha256: `${columnLetter(p.evidenceSha256)}${row}` } : {}),
          ...(p.basis !== undefined ? { basis: `${columnLetter(p.basis)}${row}` } : {}),
        },
      });
    }
  }
  return { table: { format, layout: 'unit-rows', rows, columnLetters }, issues };
}

/** One row per parameter, a column per unit: each filled unit cell becomes a long row located at that cell. */
function parameterRowsTable(format: ReportFormat, header: CellValue[], headerRow: number, body: readonly Body[]): TableResult {
  const first = header.findIndex((h) => clean(h) !== '');
  const unitColumn = header.findIndex((h, i) => i > first && columnOf(String(h ?? '')) === 'unit');
  // The material of a per-material parameter may sit in a 物料 column, as in the long layout.
  const materialColumn = header.findIndex((h, i) => i > first && columnOf(String(h ?? '')) === 'material');
  const units: { unitId: string; index: number }[] = [];
  const issues: Issue[] = [];
  header.forEach((h, i) => {
    const unitId = String(h ?? '').trim();
    if (i <= first || unitId === '' || columnOf(unitId) !== undefined) return;
    const twice = units.find((u) => u.unitId === unitId);
    if (twice) issues.push(duplicateColumn(unitId, headerRow, twice.index, i, header));
    else units.push({ unitId, index: i });
  });
  if (issues.length > 0) return { issues };
  const shared: Partial<Record<'enterpriseId' | 'period', Body>> = {};
  const parameters: { name: CellValue; body: Body; evidenceFile?: Body; evidenceSha256?: Body; basis?: Body }[] = [];
  for (const b of body) {
    if (isBlank(b.line)) continue;
    const name = b.line[first] ?? null;
    const column = columnOf(String(name ?? ''));
    const last = parameters.at(-1);
    if ((column === 'enterpriseId' || column === 'period') && shared[column] === undefined) shared[column] = b;
    else if ((column === 'evidenceFile' || column === 'evidenceSha256' || column === 'basis') && last && last[column] === undefined) last[column] = b;
    else parameters.push({ name, body: b });
  }
  const lacking = (['enterpriseId', 'period'] as const).filter((c) => shared[c] === undefined);
  if (lacking.length > 0) {
    return {
      issues: [
        issueOf('EVD-REPORT-HEADER', {
          row: headerRow,
          field: lacking.join(', '),
          expected: 'enterpriseId and period rows (one row per parameter, a column per unit)',
          found: `row ${headerRow} heads a table of one row per parameter ("${quoted(header)}") without rows for ${lacking.join(' and ')}`,
          zh: {
            field: zhList(lacking),
            expected: '统一社会信用代码行和月份行（每行一个参数、每列一台机组）',
            found: `第 ${headerRow} 行为每行一个参数的表头（“${quoted(header)}”），但表中没有${zhList(lacking)}行`,
          },
        }),
      ],
    };
  }
  const rows: TableRow[] = [];
  for (const u of units) {
    const letter = columnLetter(u.index);
    const sharedCell = (column: 'enterpriseId' | 'period') => (shared[column] as Body).line[u.index] ?? null;
    const sharedRef = (column: 'enterpriseId' | 'period') => `${letter}${(shared[column] as Body).row}`;
    for (const p of parameters) {
      if (absent(p.body.line[u.index])) continue;
      const material = materialColumn >= 0 && !absent(p.body.line[materialColumn]) ? (p.body.line[materialColumn] ?? null) : null;
      // With a material, the key (and its canonical unit, a gas's own) is the name and the material together.
      const parsed = material === null ? parameterOfHeader(p.name) : parameterOfHeader(`${clean(p.name)}[${clean(material)}]`);
      const declared = unitColumn >= 0 ? p.body.line[unitColumn] : undefined;
      const unit = !absent(declared) ? (declared ?? null) : parsed?.unit !== undefined ? parsed.unit : parsed ? parsed.canonicalUnit : null;
      const valueCell = `${letter}${p.body.row}`;
      rows.push({
        row: p.body.row,
        cells: {
          enterpriseId: sharedCell('enterpriseId'),
          period: sharedCell('period'),
          unitId: u.unitId,
          parameter: material === null ? (parsed?.code ?? p.name) : p.name,
          ...(material !== null ? { material } : {}),
          value: p.body.line[u.index] ?? null,
          unit,
          evidenceFile: p.evidenceFile?.line[u.index] ?? null,
          evidenceSha256: p.evidenceSha256?.line[u.index] ?? null,
          ...(p.basis ? { basis: p.basis.line[u.index] ?? null } : {}),
        },
        refs: {
          enterpriseId: sharedRef('enterpriseId'),
          period: sharedRef('period'),
          unitId: `${letter}${headerRow}`,
          parameter: `${columnLetter(first)}${p.body.row}`,
          value: valueCell,
          unit: unitColumn >= 0 && !absent(declared) ? `${columnLetter(unitColumn)}${p.body.row}` : valueCell,
          ...(p.evidenceFile ? { evidenceFile: `${letter}${p.evidenceFile.row}` } : {}),
          ...(p.evidenceSha256 ? { evidenceSha256: `${letter}${p.evidenceSha256.row}` } : {}),
          ...(p.basis ? { basis: `${letter}${p.basis.row}` } : {}),
        },
      });
    }
  }
  return { table: { format, layout: 'parameter-rows', rows, columnLetters: {} }, issues };
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
    for (let c = 1; c <= Math.max(row.cellCount, 1); c++) {
      const cell = row.getCell(c);
      // A merged range's value sits in its top-left cell; the others repeat it in exceljs, and a
      // header merged over two columns would otherwise read as one column given twice.
      line.push(cell.isMerged && cell.master.address !== cell.address ? null : excelCellValue(cell.value));
    }
    grid.push(line);
  }
  const table = tableFromGrid('xlsx', grid);
  return { ...table, issues: [...issues, ...table.issues] };
}
