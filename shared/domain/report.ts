/**
 * The monthly report model every format is parsed into, and the conversion from the long table.
 * The JSON format is this model's input shape (see `JsonReportSchema`); CSV and XLSX carry the
 * same content as one row per unit and parameter.
 */
import { z } from 'zod';
import { DEFAULT_CHECK_SETTINGS } from './check-settings.ts';
import { issueOf } from './catalogue.ts';
import { type TableLimits, tooManyRowsIssue } from './file-safety.ts';
import { boundedText, type Issue, MAX_ISSUE_TEXT, MAX_ISSUE_UNIT_ID } from './issues.ts';
import { readNumber } from './numbers.ts';
import { isParameterCode, PARAMETER_CODES, PARAMETERS, type ParameterCode } from './parameters.ts';
import { COLUMNS, type CellValue, type Column, LAB_REPORT_NAMES, type ReportTable, type TableResult, type TableRow } from './report-table.ts';
import { type Vocabulary, vocabularyOf } from './vocabulary.ts';

const Sha256Schema = z.string().regex(/^[a-f0-9]{64}$/, 'a SHA-256 is 64 lower-case hex digits');
const EvidenceFileNameSchema = z.string().min(1).max(200);

/** Text parameters describing the unit's monthly lab report (CMA/CNAS) on the coal sample. */
export const LAB_REPORT_FIELDS = { labReportNo: 'reportNo', labReportIssuedOn: 'issuedOn' } as const;
type LabReportField = keyof typeof LAB_REPORT_FIELDS;

export const MeasuredValueSchema = z.object({
  /** Converted to the parameter's canonical unit. */
  value: z.number().finite(),
  /** As written in the report. */
  declaredValue: z.number().finite(),
  declaredUnit: z.string(),
  evidenceFile: EvidenceFileNameSchema.optional(),
  evidenceSha256: Sha256Schema.optional(),
  row: z.number().int().optional(),
  /** As the report declared it (取值方式), for a parameter that may be measured or the default; absent when not declared. */
  basis: z.enum(['measured', 'default']).optional(),
});
export type MeasuredValue = z.infer<typeof MeasuredValueSchema>;

export const LabReportSchema = z.object({
  reportNo: z.string().min(1),
  issuedOn: z.string().optional(),
  evidenceFile: EvidenceFileNameSchema.optional(),
  evidenceSha256: Sha256Schema.optional(),
  row: z.number().int().optional(),
});

export const UnitReportSchema = z.object({
  unitId: z.string().min(1),
  /**
   * By key in the facility's catalogue: `coalConsumed`, `clinkerOutput`, or `code[material]` for
   * a per-material parameter (`netConsumed[coke]`).
   */
  parameters: z.record(z.string(), MeasuredValueSchema),
  labReport: LabReportSchema.optional(),
  /** Parameter keys that were present but unreadable (already reported; not "missing"). */
  unreadable: z.array(z.string()).default([]),
});
export type UnitReport = z.infer<typeof UnitReportSchema>;

export const MonthlyReportSchema = z.object({
  enterpriseId: z.string(),
  period: z.string(),
  units: z.array(UnitReportSchema),
});
export type MonthlyReport = z.infer<typeof MonthlyReportSchema>;

/** The JSON report format: what an enterprise's system sends. */
export const JsonReportSchema = z.object({
  enterpriseId: z.string(),
  period: z.string(),
  units: z
    .array(
      z.object({
        unitId: z.union([z.string(), z.number()]).transform(String),
        parameters: z.record(
          z.string(),
          z.object({
            value: z.union([z.number(), z.string(), z.null()]),
            unit: z.string(),
            evidenceFile: z.string().optional(),
            evidenceSha256: z.string().optional(),
            basis: z.string().optional(),
          }),
        ),
        labReport: z
          .object({
            reportNo: z.string(),
            issuedOn: z.string().optional(),
            evidenceFile: z.string().optional(),
            evidenceSha256: z.string().optional(),
          })
          .optional(),
      }),
    )
    .max(1000),
});

/**
 * Keys that name an object's prototype machinery. JSON.parse keeps them as plain keys, but
 * copying one into an object (as a record parser does) sets that object's prototype instead of
 * a property: the parameter would vanish without a word. They are taken out first and reported.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes prototype keys from each unit's parameters, with an unknown-parameter issue for each. */
function withoutPrototypeKeys(data: unknown): Issue[] {
  if (!isObject(data) || !Array.isArray(data.units)) return [];
  const issues: Issue[] = [];
  for (const unit of data.units) {
    if (!isObject(unit) || !isObject(unit.parameters)) continue;
    const parameters = unit.parameters;
    for (const key of Object.keys(parameters).filter((k) => PROTOTYPE_KEYS.has(k))) {
      issues.push(issueOf('EVD-PARAM-UNKNOWN', { unitId: String(unit.unitId ?? ''), field: key, expected: PARAMETER_CODES.join(', '), found: key }));
      delete parameters[key];
    }
  }
  return issues;
}

/** JSON bytes → the long table, so every format meets the same conversion and checks. */
export function parseJsonTable(text: string, limits: TableLimits = DEFAULT_CHECK_SETTINGS.report): TableResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { issues: [issueOf('EVD-FILE-UNPARSABLE', { expected: 'JSON', found: (error as Error).message.slice(0, 200) })] };
  }
  const prototypeKeys = withoutPrototypeKeys(data);
  const parsed = JsonReportSchema.safeParse(data);
  if (!parsed.success) {
    return {
      issues: parsed.error.issues
        .slice(0, 20)
        .map((i) => issueOf('EVD-REPORT-SCHEMA', { field: i.path.join('.') || '(root)', expected: i.message, found: 'see field' })),
    };
  }
  const report = parsed.data;
  const rows: TableRow[] = [];
  report.units.forEach((unit, u) => {
    for (const [parameter, v] of Object.entries(unit.parameters)) {
      rows.push({
        path: `units[${u}].parameters.${parameter}`,
        cells: {
          enterpriseId: report.enterpriseId,
          period: report.period,
          unitId: unit.unitId,
          parameter,
          value: v.value,
          unit: v.unit,
          evidenceFile: v.evidenceFile ?? null,
          evidenceSha256: v.evidenceSha256 ?? null,
          ...(v.basis !== undefined ? { basis: v.basis } : {}),
        },
      });
    }
    if (unit.labReport) {
      const lab = unit.labReport;
      const base = { enterpriseId: report.enterpriseId, period: report.period, unitId: unit.unitId, unit: '' };
      rows.push({
        path: `units[${u}].labReport.reportNo`,
        cells: { ...base, parameter: 'labReportNo', value: lab.reportNo, evidenceFile: lab.evidenceFile ?? null, evidenceSha256: lab.evidenceSha256 ?? null },
      });
      if (lab.issuedOn !== undefined)
        rows.push({ path: `units[${u}].labReport.issuedOn`, cells: { ...base, parameter: 'labReportIssuedOn', value: lab.issuedOn } });
    }
  });
  // One row per value, as in CSV and XLSX; a JSON report has its eight "columns" by construction.
  if (rows.length > limits.maxRows) return { issues: [tooManyRowsIssue({ rows: rows.length, columns: 8 }, limits)] };
  return { table: { format: 'json', rows, columnLetters: {} }, issues: prototypeKeys };
}

function text(value: CellValue | undefined): string {
  return value === null || value === undefined ? '' : String(value).normalize('NFKC').trim();
}

function rawText(value: CellValue | undefined): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

function where(table: ReportTable, row: TableRow, column: Column): { row?: number; cell?: string; field?: string } {
  const ref = row.refs?.[column];
  if (ref) return { row: Number(/\d+$/.exec(ref)?.[0]), cell: ref };
  const letter = table.columnLetters[column];
  return {
    ...(row.row !== undefined ? { row: row.row } : {}),
    ...(row.row !== undefined && letter ? { cell: `${letter}${row.row}` } : {}),
  };
}

/** 实测 / measured, 缺省值 / default; empty: not declared; anything else: unreadable. */
function basisOf(cell: string): 'measured' | 'default' | '' | undefined {
  const cleaned = cell.replace(/\s+/g, '').toLowerCase();
  if (cleaned === '') return '';
  if (['measured', '实测', '实测值', '检测', '检测值'].includes(cleaned)) return 'measured';
  if (['default', '缺省', '缺省值', '默认', '默认值'].includes(cleaned)) return 'default';
  return undefined;
}

/**
 * The long table → the model. Cell-level problems become issues; the rest of the table still
 * counts. Parameter names are read with `vocabulary` (the enterprise's facilities' catalogues);
 * without one, with every industry's, power first.
 */
export function reportFromTable(table: ReportTable, vocabulary: Vocabulary = vocabularyOf()): { report?: MonthlyReport; issues: Issue[] } {
  const issues: Issue[] = [];
  const first = table.rows[0];
  if (!first) return { issues: [issueOf('EVD-REPORT-EMPTY', { expected: 'at least one row of parameters', found: 'no rows' })] };
  // Texts kept in the model are bounded like issue texts: the parsed report is stored with the attempt.
  const enterpriseId = boundedText(text(first.cells.enterpriseId), MAX_ISSUE_TEXT);
  const period = boundedText(text(first.cells.period), MAX_ISSUE_TEXT);
  const units = new Map<string, UnitReport>();
  for (const row of table.rows) {
    for (const column of ['enterpriseId', 'period'] as const) {
      const found = boundedText(text(row.cells[column]), MAX_ISSUE_TEXT);
      const expected = column === 'enterpriseId' ? enterpriseId : period;
      if (found !== expected)
        issues.push(issueOf('EVD-REPORT-INCONSISTENT', { ...where(table, row, column), field: column, expected, found, zh: { field: COLUMNS[column][0] } }));
    }
    // A registered unit id is a few characters; a longer one is an unknown unit either way.
    const unitId = boundedText(text(row.cells.unitId), MAX_ISSUE_UNIT_ID);
    const parameter = text(row.cells.parameter);
    if (unitId === '') {
      issues.push(issueOf('EVD-PARAM-EMPTY', { ...where(table, row, 'unitId'), field: 'unitId', expected: 'a generating unit id', found: '(empty)' }));
      continue;
    }
    const level = vocabulary.level(unitId);
    const lv = level ? { level } : {};
    const unit = units.get(unitId) ?? { unitId, parameters: {}, unreadable: [] };
    units.set(unitId, unit);
    // Not NFKC-normalised: the name must match the evidence object's key byte for byte.
    let evidenceFile = rawText(row.cells.evidenceFile) || undefined;
    if (evidenceFile !== undefined && !isPlainEvidenceName(evidenceFile)) {
      issues.push(
        issueOf('EVD-EVIDENCE-NAME', {
          ...where(table, row, 'evidenceFile'),
          unitId,
          ...lv,
          field: parameter,
          expected: 'a file name of at most 200 characters, without folders',
          found: evidenceFile.slice(0, 80),
        }),
      );
      evidenceFile = undefined;
    }
    const evidenceSha256 = text(row.cells.evidenceSha256).toLowerCase() || undefined;
    if (evidenceSha256 !== undefined && !/^[a-f0-9]{64}$/.test(evidenceSha256)) {
      issues.push(
        issueOf('EVD-EVIDENCE-HASH-FORMAT', {
          ...where(table, row, 'evidenceSha256'),
          unitId,
          ...lv,
          field: parameter,
          expected: '64 hex digits',
          found: evidenceSha256.slice(0, 80),
        }),
      );
    }
    const evidence = { ...(evidenceFile ? { evidenceFile } : {}), ...(evidenceSha256 && /^[a-f0-9]{64}$/.test(evidenceSha256) ? { evidenceSha256 } : {}) };
    const rowRef = row.row !== undefined ? { row: row.row } : {};
    const labField = (Object.keys(LAB_REPORT_FIELDS) as LabReportField[]).find(
      (f) => f.toLowerCase() === parameter.toLowerCase() || (LAB_REPORT_NAMES[f] as readonly string[]).includes(parameter.replace(/\s+/g, '')),
    );
    if (labField) {
      const value = boundedText(text(row.cells.value), MAX_ISSUE_TEXT);
      if (labField === 'labReportNo') unit.labReport = { ...unit.labReport, reportNo: value, ...evidence, ...rowRef };
      else unit.labReport = { reportNo: unit.labReport?.reportNo ?? '', ...unit.labReport, issuedOn: value };
      continue;
    }
    const resolved = vocabulary.resolve(unitId, parameter, text(row.cells.material));
    if (!resolved) {
      const material = text(row.cells.material);
      const named = material ? `${parameter}[${material}]` : parameter;
      issues.push(
        issueOf('EVD-PARAM-UNKNOWN', {
          ...where(table, row, 'parameter'),
          unitId,
          ...lv,
          field: named || '(empty)',
          expected: vocabulary.known(unitId).join(', '),
          found: named || '(empty)',
        }),
      );
      continue;
    }
    const code = resolved.key;
    const names = isParameterCode(code) ? {} : { fieldName: { zh: labelOf(resolved, 'zh'), en: labelOf(resolved, 'en') } };
    if (unit.parameters[code] || unit.unreadable.includes(code)) {
      issues.push(
        issueOf('EVD-PARAM-DUPLICATE', {
          ...where(table, row, 'parameter'),
          unitId,
          ...lv,
          field: code,
          expected: 'one row per unit and parameter',
          found: 'a second row',
          ...names,
        }),
      );
      continue;
    }
    const declaredUnit = text(row.cells.unit);
    const factor = vocabulary.factor(resolved, declaredUnit);
    const reading = readNumber(row.cells.value ?? null, resolved.unit === '%');
    if (reading.kind !== 'number') {
      unit.unreadable.push(code);
      issues.push(
        reading.kind === 'empty'
          ? issueOf('EVD-PARAM-EMPTY', {
              ...where(table, row, 'value'),
              unitId,
              ...lv,
              field: code,
              expected: `a number in ${resolved.unit}`,
              found: '(empty)',
              ...names,
            })
          : issueOf('EVD-PARAM-NOT-NUMBER', {
              ...where(table, row, 'value'),
              unitId,
              ...lv,
              field: code,
              expected: `a number in ${resolved.unit}`,
              found: reading.raw.slice(0, 80),
              ...names,
            }),
      );
      continue;
    }
    if (factor === undefined) {
      unit.unreadable.push(code);
      issues.push(
        issueOf('EVD-PARAM-UNIT', {
          ...where(table, row, 'unit'),
          unitId,
          ...lv,
          field: code,
          expected: Object.keys(resolved.units).join(' | '),
          found: declaredUnit || '(empty)',
          ...names,
        }),
      );
      continue;
    }
    if (!Number.isFinite(reading.value * factor)) {
      unit.unreadable.push(code);
      issues.push(
        issueOf('EVD-PARAM-NOT-NUMBER', {
          ...where(table, row, 'value'),
          unitId,
          ...lv,
          field: code,
          expected: `a number in ${resolved.unit}`,
          found: String(reading.value).slice(0, 80),
          ...names,
        }),
      );
      continue;
    }
    const basisCell = text(row.cells.basis);
    const read = basisOf(basisCell);
    // A basis the guideline does not allow (缺省值 on a tonnage, 实测 on the clinker factor) is no
    // basis at all. Power's rows keep what they always had: no basis is judged there.
    const allowed =
      resolved.parameter.basis === 'measured-or-default' || read === '' || read === resolved.parameter.basis || resolved.catalogue.code === 'power';
    const basis = allowed ? read : undefined;
    if (basis === undefined) {
      issues.push(
        issueOf('EVD-PARAM-BASIS', {
          ...where(table, row, 'basis'),
          unitId,
          ...lv,
          field: code,
          expected:
            resolved.parameter.basis === 'measured'
              ? '实测 (measured)'
              : resolved.parameter.basis === 'default'
                ? '缺省值 (default)'
                : '实测 (measured) | 缺省值 (default)',
          found: basisCell.slice(0, 80),
          ...names,
        }),
      );
    }
    unit.parameters[code] = {
      value: reading.value * factor,
      declaredValue: reading.value,
      declaredUnit,
      ...evidence,
      ...rowRef,
      ...(basis ? { basis } : {}),
    };
  }
  for (const unit of units.values()) {
    if (unit.labReport && unit.labReport.reportNo === '') {
      issues.push(issueOf('EVD-PARAM-EMPTY', { unitId: unit.unitId, field: 'labReportNo', expected: 'the lab report number', found: '(empty)' }));
      delete unit.labReport;
    }
  }
  const report = MonthlyReportSchema.parse({ enterpriseId, period, units: [...units.values()] });
  return { report, issues };
}

/** As it sits in the deposit's evidence folder: no folders, no control characters, ≤ 200 characters. */
export function isPlainEvidenceName(name: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the class names the control characters to refuse.
  return /^(?!\.)[^/\\\u0000-\u001f\u007f]{1,200}$/.test(name);
}

/** A power parameter is named by its code or its Chinese name. */
export function resolveParameter(name: string): ParameterCode | undefined {
  const cleaned = name.normalize('NFKC').replace(/\s+/g, '');
  if (isParameterCode(cleaned)) return cleaned;
  const lower = cleaned.toLowerCase();
  return PARAMETER_CODES.find((code) => code.toLowerCase() === lower || PARAMETERS[code].zh.normalize('NFKC') === cleaned);
}

/** A resolved key's name for people: 熟料产量, 净消耗量（焦炭）. */
function labelOf(resolved: { parameter: { zh: string; en: string }; material?: { zh: string; en: string } }, language: 'zh' | 'en'): string {
  const { parameter, material } = resolved;
  if (!material) return parameter[language];
  return language === 'zh' ? `${parameter.zh}（${material.zh}）` : `${parameter.en} (${material.en})`;
}
