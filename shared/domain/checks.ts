/**
 * The check catalogue: every problem the validator can report, each one entry with a stable
 * code, a severity, a category, the rule's rationale and its message in Chinese and English.
 * Entries with `run` are rules over a parsed report; entries without it are raised by the
 * stages that read the file (key, size, encoding, table), which name them by code.
 * Messages use {unitId} {field} {expected} {found} {row}; {field} reads as the parameter's name.
 */
import type { Enterprise } from './registry.ts';
import { type Category, type Finding, type Issue, type Severity } from './issues.ts';
import { PARAMETER_CODES, PARAMETERS, type ParameterCode, isParameterCode, requiredParameters } from './parameters.ts';
import { hoursInMonth } from './period.ts';
import type { MonthlyReport, UnitReport } from './report.ts';

/** A file in the deposit's evidence folder, with its SHA-256 as computed by the pipeline. */
export interface EvidenceFile {
  readonly fileName: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
}

export interface CheckContext {
  readonly report: MonthlyReport;
  readonly enterprise: Enterprise;
  readonly evidence: readonly EvidenceFile[];
}

export interface CheckDefinition {
  readonly code: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly rationale: string;
  readonly message: { readonly zh: string; readonly en: string };
  readonly run?: (context: CheckContext) => Finding[];
}

function forEachUnit(context: CheckContext, fn: (unit: UnitReport, capacityMW: number | undefined) => Finding[]): Finding[] {
  return context.report.units.flatMap((unit) =>
    fn(unit, context.enterprise.units.find((u) => u.unitId === unit.unitId)?.capacityMW),
  );
}

function value(unit: UnitReport, code: ParameterCode): number | undefined {
  return unit.parameters[code]?.value;
}

function rangeCheck(code: ParameterCode, short: string): CheckDefinition {
  const p = PARAMETERS[code];
  const range = p.range ?? { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
  return {
    code: `EVD-RANGE-${short}`,
    severity: 'error',
    category: 'plausibility',
    rationale: `${p.en} (${p.zh}) outside ${range.min}–${range.max} ${p.unit} is physically implausible for a power unit.`,
    message: {
      zh: `机组 {unitId} 的{field}为 {found}，超出合理范围 {expected}`,
      en: `Unit {unitId}: {field} is {found}, outside the plausible range {expected}`,
    },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const v = value(unit, code);
        return v !== undefined && (v < range.min || v > range.max)
          ? [{ unitId: unit.unitId, field: code, row: unit.parameters[code]?.row, expected: `${range.min}–${range.max} ${p.unit}`, found: `${v} ${p.unit}` }]
          : [];
      }),
  };
}

function typicalCheck(code: ParameterCode, short: string): CheckDefinition {
  const p = PARAMETERS[code];
  const typical = p.typical ?? { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
  const range = p.range ?? typical;
  return {
    code: `EVD-ATYPICAL-${short}`,
    severity: 'warning',
    category: 'plausibility',
    rationale: `${p.en} is usually ${typical.min}–${typical.max} ${p.unit}; a value outside that band but still plausible needs a reviewer's look.`,
    message: {
      zh: `机组 {unitId} 的{field}为 {found}，不在常见范围 {expected}，请核实`,
      en: `Unit {unitId}: {field} is {found}, outside the typical range {expected}; please confirm`,
    },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const v = value(unit, code);
        return v !== undefined && v >= range.min && v <= range.max && (v < typical.min || v > typical.max)
          ? [{ unitId: unit.unitId, field: code, row: unit.parameters[code]?.row, expected: `${typical.min}–${typical.max} ${p.unit}`, found: `${v} ${p.unit}` }]
          : [];
      }),
  };
}

const intake = (code: string, zh: string, en: string, rationale: string, severity: Severity = 'error', category: Category = 'intake'): CheckDefinition => ({
  code, severity, category, rationale, message: { zh, en },
});

export const CHECKS: readonly CheckDefinition[] = [
  intake('EVD-KEY-LAYOUT', '上传路径不符合约定：{found}（应为 {expected}）', 'The object key does not follow the layout: {found} (expected {expected})',
    'The key carries the enterprise, the period and the deposit id; without them the upload cannot be attributed.'),
  intake('EVD-KEY-REUSED', '该路径下已有内容不同的报告，不能覆盖已存证的文件', 'A different report was already recorded under this key; deposited files cannot be overwritten',
    'Every attempt\'s files stay retrievable and unchanged; a new attempt needs a new deposit id.'),
  intake('EVD-FILE-EMPTY', '报告文件为空', 'The report file is empty', 'An empty upload is usually an interrupted transfer.'),
  intake('EVD-FILE-TOO-LARGE', '报告文件过大：{found}（上限 {expected}）', 'The report file is too large: {found} (limit {expected})',
    'A monthly report is a few kilobytes; large files are mistakes or abuse and are not read.'),
  intake('EVD-FILE-TYPE', '报告文件类型不支持或与内容不符：{found}（应为 {expected}）', 'Unsupported report file type, or content that does not match it: {found} (expected {expected})',
    'Only CSV, XLSX and JSON reports are read; the content must be what the extension says.'),
  intake('EVD-FILE-BINARY', '报告文件不是文本：{found}', 'The report file is not text: {found}', 'A CSV or JSON report must be text.'),
  intake('EVD-FILE-ENCODING', '报告文件编码无法识别：{found}（应为 {expected}）', 'The report file\'s encoding is not readable: {found} (expected {expected})',
    'CSV is accepted as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 as Excel saves it on Chinese Windows.'),
  intake('EVD-FILE-UNPARSABLE', '报告文件无法解析：{found}', 'The report file cannot be parsed: {found}', 'The file is damaged or not in the declared format.'),
  intake('EVD-REPORT-HEADER', '报告表头缺少列：{field}（应有 {expected}）', 'The report header lacks columns: {field} (expected {expected})',
    'The template\'s columns say what each value is; without them no value can be read.', 'error', 'conformity'),
  intake('EVD-REPORT-SCHEMA', 'JSON 报告结构不符：{field} — {expected}', 'The JSON report does not match the template: {field} — {expected}',
    'The JSON template fixes where each value sits.', 'error', 'conformity'),
  intake('EVD-REPORT-EMPTY', '报告中没有任何参数行', 'The report has no parameter rows', 'A report must carry the month\'s parameters.', 'error', 'completeness'),
  intake('EVD-REPORT-INCONSISTENT', '第 {row} 行的{field}为 {found}，与首行的 {expected} 不一致', 'Row {row}: {field} is {found}, unlike {expected} in the first row',
    'One report covers one enterprise and one month.', 'error', 'conformity'),
  intake('EVD-ENTERPRISE-MISMATCH', '报告中的企业代码 {found} 与上传路径中的 {expected} 不一致', 'The report is for enterprise {found}, but was deposited under {expected}',
    'A report deposited under another enterprise\'s key would be credited to the wrong enterprise.', 'error', 'conformity'),
  intake('EVD-PERIOD-MISMATCH', '报告中的月份 {found} 与上传路径中的 {expected} 不一致', 'The report is for period {found}, but was deposited under {expected}',
    'A report deposited under another month would be counted for the wrong month.', 'error', 'conformity'),
  intake('EVD-PERIOD-NOT-ENDED', '月份 {found} 尚未结束，不能存证', 'Period {found} has not ended yet; it cannot be deposited',
    'A month\'s parameters are known only after the month ends (Asia/Shanghai).', 'error', 'conformity'),
  intake('EVD-ENTERPRISE-UNKNOWN', '企业 {found} 不在重点排放单位名录中', 'Enterprise {found} is not in the registry of key emitting enterprises',
    'Only registered enterprises deposit; the registry is maintained by departments.', 'error', 'conformity'),
  intake('EVD-ENTERPRISE-NOT-OBLIGED', '企业 {found} 在 {expected} 期间无存证义务', 'Enterprise {found} is not obliged to deposit for {expected}',
    'The obligation runs from the registry\'s start to end period.', 'error', 'conformity'),
  intake('EVD-PARAM-UNKNOWN', '机组 {unitId} 第 {row} 行：未知参数 {found}', 'Unit {unitId}, row {row}: unknown parameter {found}',
    'Parameters are named by their template code or Chinese name.', 'error', 'conformity'),
  intake('EVD-PARAM-DUPLICATE', '机组 {unitId} 的{field}重复填报（第 {row} 行）', 'Unit {unitId}: {field} is reported twice (row {row})',
    'Two values for one parameter leave the month ambiguous.', 'error', 'conformity'),
  intake('EVD-PARAM-EMPTY', '机组 {unitId} 的{field}为空（应为 {expected}）', 'Unit {unitId}: {field} is empty (expected {expected})',
    'An empty cell is not a zero; write 0 where the quantity was zero.', 'error', 'completeness'),
  intake('EVD-PARAM-NOT-NUMBER', '机组 {unitId} 的{field}不是数字：{found}', 'Unit {unitId}: {field} is not a number: {found}',
    'Values must be numbers; thousand separators, full-width digits and a % sign on percentages are accepted.', 'error', 'conformity'),
  intake('EVD-PARAM-UNIT', '机组 {unitId} 的{field}单位不正确：{found}（可用 {expected}）', 'Unit {unitId}: {field} has the wrong unit {found} (accepted: {expected})',
    'A value in an unexpected unit cannot be compared with the ranges or other months.', 'error', 'conformity'),
  intake('EVD-ISSUES-TRUNCATED', '问题过多：共 {found} 项，仅列出前 {expected} 项', 'Too many issues: {found} in all, only the first {expected} are listed',
    'A file with thousands of problems is almost always the wrong file; the first ones say enough.', 'info'),
  intake('EVD-EVIDENCE-HASH-FORMAT', '机组 {unitId} 的{field}证据哈希格式不正确：{found}', 'Unit {unitId}: the evidence hash for {field} is malformed: {found}',
    'A declared SHA-256 must be 64 hex digits to bind the file.', 'error', 'evidence'),
  {
    code: 'EVD-UNIT-MISSING', severity: 'error', category: 'completeness',
    rationale: 'Every generating unit in the registry reports every month, running or not.',
    message: { zh: '缺少机组 {unitId} 的数据', en: 'Unit {unitId} is missing from the report' },
    run: ({ report, enterprise }) =>
      enterprise.units.filter((u) => !report.units.some((r) => r.unitId === u.unitId)).map((u) => ({ unitId: u.unitId, expected: 'a block of rows for this unit', found: '(none)' })),
  },
  {
    code: 'EVD-UNIT-UNKNOWN', severity: 'error', category: 'completeness',
    rationale: 'A unit not in the registry cannot be attributed; the registry must be updated first.',
    message: { zh: '机组 {unitId} 不在该企业的登记机组中', en: 'Unit {unitId} is not a registered unit of this enterprise' },
    run: ({ report, enterprise }) =>
      report.units.filter((r) => !enterprise.units.some((u) => u.unitId === r.unitId)).map((r) => ({ unitId: r.unitId, expected: enterprise.units.map((u) => u.unitId).join(', '), found: r.unitId })),
  },
  {
    code: 'EVD-PARAM-MISSING', severity: 'error', category: 'completeness',
    rationale: 'Each unit reports every key parameter for its fuel type.',
    message: { zh: '机组 {unitId} 缺少参数：{field}', en: 'Unit {unitId} is missing the parameter {field}' },
    run: ({ report, enterprise }) =>
      report.units.flatMap((unit) => {
        const registered = enterprise.units.find((u) => u.unitId === unit.unitId);
        if (!registered) return [];
        return requiredParameters(registered.fuel)
          .filter((code) => !unit.parameters[code] && !unit.unreadable.includes(code))
          .map((code) => ({ unitId: unit.unitId, field: code, expected: `a value in ${PARAMETERS[code].unit}`, found: '(absent)' }));
      }),
  },
  {
    code: 'EVD-LAB-REPORT-MISSING', severity: 'error', category: 'completeness',
    rationale: 'Coal carbon, NCV, hydrogen, sulfur and moisture come from a CMA/CNAS lab report on the month\'s sample.',
    message: { zh: '燃煤机组 {unitId} 未填报化验报告编号', en: 'Coal unit {unitId} does not give its lab report number' },
    run: ({ report, enterprise }) =>
      report.units
        .filter((unit) => enterprise.units.find((u) => u.unitId === unit.unitId)?.fuel === 'coal' && !unit.labReport)
        .map((unit) => ({ unitId: unit.unitId, field: 'labReportNo', expected: 'a lab report number', found: '(absent)' })),
  },
  rangeCheck('coalConsumed', 'COAL'),
  rangeCheck('gasConsumed', 'GAS'),
  rangeCheck('ncvAsReceived', 'NCV'),
  typicalCheck('ncvAsReceived', 'NCV'),
  rangeCheck('carbonAsReceived', 'CARBON'),
  rangeCheck('carbonPerHeat', 'CPH'),
  typicalCheck('carbonPerHeat', 'CPH'),
  rangeCheck('hydrogen', 'H'),
  rangeCheck('sulfur', 'S'),
  rangeCheck('moisture', 'MT'),
  rangeCheck('purchasedElectricity', 'PURCHASED'),
  rangeCheck('powerGenerated', 'GENERATED'),
  rangeCheck('powerSupplied', 'SUPPLIED'),
  rangeCheck('heatSupplied', 'HEAT'),
  rangeCheck('operatingHours', 'HOURS'),
  rangeCheck('loadFactor', 'LOAD'),
  {
    code: 'EVD-CROSS-SUPPLIED-GT-GENERATED', severity: 'error', category: 'plausibility',
    rationale: 'Power supplied to the grid is generation less auxiliary use; it cannot exceed generation.',
    message: { zh: '机组 {unitId} 供电量 {found} 大于发电量 {expected}', en: 'Unit {unitId}: power supplied {found} exceeds power generated {expected}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const generated = value(unit, 'powerGenerated');
        const supplied = value(unit, 'powerSupplied');
        return generated !== undefined && supplied !== undefined && supplied > generated
          ? [{ unitId: unit.unitId, field: 'powerSupplied', expected: `${generated} MWh`, found: `${supplied} MWh` }]
          : [];
      }),
  },
  {
    code: 'EVD-CROSS-AUX-RATE', severity: 'warning', category: 'plausibility',
    rationale: 'The auxiliary power rate (1 − supplied/generated) of a thermal unit sits at 3–10%.',
    message: { zh: '机组 {unitId} 厂用电率为 {found}，不在 {expected} 范围内', en: 'Unit {unitId}: auxiliary power rate is {found}, outside {expected}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const generated = value(unit, 'powerGenerated');
        const supplied = value(unit, 'powerSupplied');
        if (generated === undefined || supplied === undefined || generated <= 0 || supplied > generated) return [];
        const rate = (1 - supplied / generated) * 100;
        return rate < 3 || rate > 10 ? [{ unitId: unit.unitId, field: 'powerSupplied', expected: '3–10%', found: `${rate.toFixed(2)}%` }] : [];
      }),
  },
  {
    code: 'EVD-CROSS-HOURS-GT-MONTH', severity: 'error', category: 'plausibility',
    rationale: 'A unit cannot run more hours than the month has.',
    message: { zh: '机组 {unitId} 运行小时数 {found} 超过当月小时数 {expected}', en: 'Unit {unitId}: operating hours {found} exceed the hours in the month {expected}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const hours = value(unit, 'operatingHours');
        const limit = hoursInMonth(context.report.period);
        return hours !== undefined && hours > limit ? [{ unitId: unit.unitId, field: 'operatingHours', expected: `${limit} h`, found: `${hours} h` }] : [];
      }),
  },
  {
    code: 'EVD-CROSS-ZERO-HOURS-OUTPUT', severity: 'error', category: 'plausibility',
    rationale: 'A unit that did not run (0 hours) generates nothing and has a load factor of 0.',
    message: { zh: '机组 {unitId} 运行小时数为 0，但{field}为 {found}', en: 'Unit {unitId}: 0 operating hours but {field} is {found}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        if (value(unit, 'operatingHours') !== 0) return [];
        return (['powerGenerated', 'loadFactor'] as const)
          .filter((code) => (value(unit, code) ?? 0) > 0)
          .map((code) => ({ unitId: unit.unitId, field: code, expected: '0', found: String(value(unit, code)) }));
      }),
  },
  {
    code: 'EVD-CROSS-GEN-GT-CAPACITY', severity: 'error', category: 'plausibility',
    rationale: 'Generation cannot exceed installed capacity × operating hours.',
    message: { zh: '机组 {unitId} 发电量 {found} 超过装机容量×运行小时 {expected}', en: 'Unit {unitId}: generation {found} exceeds capacity × hours {expected}' },
    run: (context) =>
      forEachUnit(context, (unit, capacityMW) => {
        const generated = value(unit, 'powerGenerated');
        const hours = value(unit, 'operatingHours');
        if (generated === undefined || hours === undefined || capacityMW === undefined) return [];
        const limit = capacityMW * hours;
        return generated > limit * 1.0001 ? [{ unitId: unit.unitId, field: 'powerGenerated', expected: `≤ ${limit} MWh`, found: `${generated} MWh` }] : [];
      }),
  },
  {
    code: 'EVD-CROSS-NET-COAL-RATE', severity: 'warning', category: 'plausibility',
    rationale: 'Net coal consumption (coal × NCV ÷ 29.271 ÷ supplied) of coal units sits at 260–360 gce/kWh (national average ≈ 300).',
    message: { zh: '机组 {unitId} 供电煤耗为 {found}，不在 {expected} 范围内', en: 'Unit {unitId}: net coal consumption is {found}, outside {expected}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const coal = value(unit, 'coalConsumed');
        const ncv = value(unit, 'ncvAsReceived');
        const supplied = value(unit, 'powerSupplied');
        if (coal === undefined || ncv === undefined || supplied === undefined || supplied <= 0 || coal <= 0) return [];
        // t × GJ/t ÷ 29.271 GJ/tce = tce; tce ÷ MWh = kgce/kWh; × 1000 = gce/kWh.
        const rate = ((coal * ncv) / 29.271 / supplied) * 1000;
        return rate < 260 || rate > 360 ? [{ unitId: unit.unitId, field: 'coalConsumed', expected: '260–360 gce/kWh', found: `${rate.toFixed(1)} gce/kWh` }] : [];
      }),
  },
  {
    code: 'EVD-EVIDENCE-MISSING', severity: 'error', category: 'evidence',
    rationale: 'Every evidence file a report names must be in the same deposit, so the value can be traced to its source.',
    message: { zh: '机组 {unitId} 的{field}引用的证据文件 {found} 未上传', en: 'Unit {unitId}: evidence file {found} for {field} is not in the deposit' },
    run: ({ report, evidence }) =>
      report.units.flatMap((unit) =>
        referencedEvidence(unit)
          .filter((ref) => !evidence.some((e) => e.fileName === ref.fileName))
          .map((ref) => ({ unitId: unit.unitId, field: ref.field, row: ref.row, expected: 'a file in the evidence folder', found: ref.fileName })),
      ),
  },
  {
    code: 'EVD-EVIDENCE-HASH-MISMATCH', severity: 'error', category: 'evidence',
    rationale: 'A declared SHA-256 binds the value to one exact file; a different file may have been swapped in.',
    message: { zh: '机组 {unitId} 的证据文件 {field} 哈希不符：实际 {found}，声明 {expected}', en: 'Unit {unitId}: evidence file {field} has SHA-256 {found}, but the report declares {expected}' },
    run: ({ report, evidence }) =>
      report.units.flatMap((unit) =>
        referencedEvidence(unit).flatMap((ref) => {
          const file = evidence.find((e) => e.fileName === ref.fileName);
          return file && ref.sha256 && file.sha256 !== ref.sha256
            ? [{ unitId: unit.unitId, field: ref.fileName, row: ref.row, expected: ref.sha256, found: file.sha256 }]
            : [];
        }),
      ),
  },
];

interface EvidenceReference {
  readonly field: string;
  readonly fileName: string;
  readonly sha256?: string;
  readonly row?: number;
}

export function referencedEvidence(unit: UnitReport): EvidenceReference[] {
  const refs: EvidenceReference[] = [];
  for (const code of PARAMETER_CODES) {
    const v = unit.parameters[code];
    if (v?.evidenceFile) refs.push({ field: code, fileName: v.evidenceFile, sha256: v.evidenceSha256, row: v.row });
  }
  if (unit.labReport?.evidenceFile) {
    refs.push({ field: 'labReportNo', fileName: unit.labReport.evidenceFile, sha256: unit.labReport.evidenceSha256, row: unit.labReport.row });
  }
  return refs;
}

const BY_CODE = new Map(CHECKS.map((c) => [c.code, c]));

export function checkDefinition(code: string): CheckDefinition {
  const definition = BY_CODE.get(code);
  if (!definition) throw new Error(`no check ${code} in the catalogue`);
  return definition;
}

function fieldName(field: string | undefined, language: 'zh' | 'en'): string {
  if (field === undefined) return '';
  return isParameterCode(field) ? `${PARAMETERS[field][language]} (${field})` : field;
}

function interpolate(template: string, finding: Finding, language: 'zh' | 'en'): string {
  return template.replace(/\{(unitId|field|expected|found|row)\}/g, (_, name: string) => {
    if (name === 'field') return fieldName(finding.field, language);
    const v = finding[name as keyof Finding];
    return v === undefined ? '' : String(v);
  });
}

/** The catalogue entry `code` applied to a finding: the Issue stored and shown everywhere. */
export function issueOf(code: string, finding: Finding = {}): Issue {
  const check = checkDefinition(code);
  const defined = <T>(v: T | undefined) => v !== undefined;
  return {
    code,
    severity: check.severity,
    category: check.category,
    ...(defined(finding.unitId) ? { unitId: finding.unitId } : {}),
    ...(defined(finding.field) ? { field: finding.field } : {}),
    ...(defined(finding.row) ? { row: finding.row } : {}),
    ...(defined(finding.cell) ? { cell: finding.cell } : {}),
    ...(defined(finding.expected) ? { expected: String(finding.expected) } : {}),
    ...(defined(finding.found) ? { found: String(finding.found) } : {}),
    message: { zh: interpolate(check.message.zh, finding, 'zh'), en: interpolate(check.message.en, finding, 'en') },
  };
}

/** Runs every rule of the catalogue over a parsed report. */
export function runChecks(context: CheckContext): Issue[] {
  return CHECKS.flatMap((check) => (check.run ? check.run(context).map((finding) => issueOf(check.code, finding)) : []));
}
