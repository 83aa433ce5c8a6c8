/**
 * The inverse of the readers: a `MonthlyReport` written as CSV, XLSX or JSON in the template the
 * readers accept. Used to produce the example files and templates, and by the property tests
 * that prove every format carries a report without loss (read(write(r)) = r, row numbers aside).
 * Values are written as declared (value and unit as the enterprise wrote them), so a report in
 * 万kWh stays in 万kWh.
 */
import iconv from 'iconv-lite';
import { entryOfKey } from './industry.ts';
import { INDUSTRIES, industryCatalogue } from './industries/index.ts';
import { PARAMETER_CODES } from './parameters.ts';
import { type Facility, industryOf } from './registry.ts';
import type { MonthlyReport } from './report.ts';
import { COLUMNS, type Column } from './report-table.ts';
import { chineseNameOf } from './key-labels.ts';
import { newWorkbook } from './workbook.ts';

export interface WriteOptions {
  /** Column headers in English (the column codes) or Chinese (the template's first alias). */
  readonly headers?: 'en' | 'zh';
  /** Parameters named by code (`coalConsumed`) or by Chinese name (`燃煤消耗量`, `净消耗量[焦炭]`). */
  readonly parameterNames?: 'code' | 'zh';
  /**
   * The registered facilities, whose catalogue names a key in Chinese (steel's purchasedElectricity
   * is 外购电力, power's 购入使用电量). Without them, a unit's keys are named by the first industry
   * (power first) whose catalogue has every one of them.
   */
  readonly facilities?: readonly Pick<Facility, 'unitId' | 'industry'>[];
}

/** The catalogue has the key (`clinkerOutput`, `netConsumed[coke]`). */
/** The Chinese name a unit's key is written under: by its facility's catalogue, else the first that has all the unit's keys. */
function chineseName(unit: MonthlyReport['units'][number], key: string, facilities: WriteOptions['facilities']): string {
  const facility = facilities?.find((f) => f.unitId === unit.unitId);
  const keys = Object.keys(unit.parameters);
  const catalogue = facility ? industryCatalogue(industryOf(facility)) : INDUSTRIES.find((c) => keys.every((k) => entryOfKey(c, k)));
  const entry = catalogue && entryOfKey(catalogue, key);
  if (entry) return entry.material ? `${entry.parameter.zh}[${entry.material.zh}]` : entry.parameter.zh;
  return chineseNameOf(key) ?? key;
}

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

const WRITTEN_COLUMNS: readonly Column[] = ['enterpriseId', 'period', 'unitId', 'parameter', 'value', 'unit', 'evidenceFile', 'evidenceSha256'];

/** A unit's keys in writing order: power's in catalogue order (as reports always were), then the rest as the model holds them. */
export function keysInOrder(unit: MonthlyReport['units'][number]): string[] {
  const power = PARAMETER_CODES.filter((code) => unit.parameters[code]);
  return [...power, ...Object.keys(unit.parameters).filter((key) => !(PARAMETER_CODES as readonly string[]).includes(key))];
}

const BASIS_NAMES = { measured: { en: 'measured', zh: '实测' }, default: { en: 'default', zh: '缺省值' } } as const;

export type Cell = string | number | null;

function headerOf(column: Column, headers: 'en' | 'zh'): string {
  return headers === 'zh' ? COLUMNS[column][0] : column;
}

/** The long table: one row per unit and parameter, then the unit's lab report rows. */
export function reportRows(report: MonthlyReport, options: WriteOptions = {}): Cell[][] {
  const headers = options.headers ?? 'en';
  // The 取值方式 column only where a value declares its basis: power reports never had one.
  const withBasis = report.units.some((unit) => Object.values(unit.parameters).some((v) => v?.basis !== undefined));
  const columns: readonly Column[] = withBasis ? [...WRITTEN_COLUMNS, 'basis'] : WRITTEN_COLUMNS;
  const rows: Cell[][] = [columns.map((c) => headerOf(c, headers))];
  for (const unit of report.units) {
    const base = { enterpriseId: report.enterpriseId, period: report.period, unitId: unit.unitId };
    const push = (cells: Partial<Record<Column, Cell>>) => rows.push(columns.map((c) => cells[c] ?? null));
    for (const key of keysInOrder(unit)) {
      const v = unit.parameters[key];
      if (!v) continue;
      push({
        ...base,
        parameter: options.parameterNames === 'zh' ? chineseName(unit, key, options.facilities) : key,
        value: v.declaredValue,
        unit: v.declaredUnit,
        evidenceFile: v.evidenceFile ?? null,
        evidenceSha256: v.evidenceSha256 ?? null,
        ...(v.basis ? { basis: BASIS_NAMES[v.basis][headers] } : {}),
      });
    }
    const lab = unit.labReport;
    if (lab) {
      push({ ...base, parameter: 'labReportNo', value: lab.reportNo, evidenceFile: lab.evidenceFile ?? null, evidenceSha256: lab.evidenceSha256 ?? null });
      if (lab.issuedOn !== undefined) push({ ...base, parameter: 'labReportIssuedOn', value: lab.issuedOn });
    }
  }
  return rows;
}

function csvField(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? String(cell) : cell;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text (RFC 4180, CRLF line ends, as Excel writes them). */
export function csvOfRows(rows: readonly (readonly Cell[])[]): string {
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The report as CSV text. */
export function writeCsv(report: MonthlyReport, options: WriteOptions = {}): string {
  return csvOfRows(reportRows(report, options));
}

/** CSV bytes in the encodings enterprises actually upload. */
export function writeCsvBytes(report: MonthlyReport, encoding: CsvEncoding = 'utf-8', options: WriteOptions = {}): Uint8Array {
  const text = writeCsv(report, options);
  if (encoding === 'gb18030') return new Uint8Array(iconv.encode(text, 'gb18030'));
  const utf8 = new TextEncoder().encode(text);
  if (encoding === 'utf-8') return utf8;
  const withBom = new Uint8Array(utf8.length + 3);
  withBom.set([0xef, 0xbb, 0xbf]);
  withBom.set(utf8, 3);
  return withBom;
}

/** An XLSX workbook with the long table on its first sheet. `date` pins the workbook's timestamps. */
export async function writeXlsx(report: MonthlyReport, options: WriteOptions & { date?: Date } = {}): Promise<Uint8Array> {
  const workbook = await newWorkbook();
  const date = options.date ?? new Date(0);
  workbook.created = date;
  workbook.modified = date;
  workbook.creator = 'evidence-deposit';
  const sheet = workbook.addWorksheet('月度存证');
  for (const row of reportRows(report, options)) sheet.addRow(row);
  sheet.columns.forEach((column, i) => {
    column.width = [20, 10, 10, 22, 14, 10, 28, 66][i] ?? 12;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/** The JSON format (`JsonReportSchema`), pretty-printed. */
export function writeJson(report: MonthlyReport): string {
  const units = report.units.map((unit) => {
    const parameters: Record<string, { value: number; unit: string; evidenceFile?: string; evidenceSha256?: string; basis?: string }> = {};
    for (const key of keysInOrder(unit)) {
      const v = unit.parameters[key];
      if (!v) continue;
      parameters[key] = {
        value: v.declaredValue,
        unit: v.declaredUnit,
        ...(v.evidenceFile !== undefined ? { evidenceFile: v.evidenceFile } : {}),
        ...(v.evidenceSha256 !== undefined ? { evidenceSha256: v.evidenceSha256 } : {}),
        ...(v.basis !== undefined ? { basis: v.basis } : {}),
      };
    }
    const lab = unit.labReport;
    return {
      unitId: unit.unitId,
      parameters,
      ...(lab
        ? {
            labReport: {
              reportNo: lab.reportNo,
              ...(lab.issuedOn !== undefined ? { issuedOn: lab.issuedOn } : {}),
              ...(lab.evidenceFile !== undefined ? { evidenceFile: lab.evidenceFile } : {}),
              ...(lab.evidenceSha256 !== undefined ? { evidenceSha256: lab.evidenceSha256 } : {}),
            },
          }
        : {}),
    };
  });
  return `${JSON.stringify({ enterpriseId: report.enterpriseId, period: report.period, units }, null, 2)}\n`;
}

/** The report without source positions: what two formats of the same report share. */
export function withoutRows(report: MonthlyReport): MonthlyReport {
  return {
    ...report,
    units: report.units.map((unit) => {
      const parameters: MonthlyReport['units'][number]['parameters'] = {};
      for (const [code, v] of Object.entries(unit.parameters) as [keyof typeof parameters, NonNullable<(typeof parameters)[keyof typeof parameters]>][]) {
        const { row: _row, ...rest } = v;
        parameters[code] = rest;
      }
      const lab = unit.labReport ? (({ row: _row, ...rest }) => rest)(unit.labReport) : undefined;
      return { ...unit, parameters, ...(lab ? { labReport: lab } : {}) };
    }),
  };
}
