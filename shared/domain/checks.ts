/**
 * The check catalogue: every problem the validator can report, each one entry with a stable
 * code, a severity, a category, the rule's rationale and its message in Chinese and English.
 * Entries with `run` are rules over a parsed report; entries without it are raised by the
 * stages that read the file (key, size, encoding, table), which name them by code.
 * Messages use {unitId} {field} {expected} {found} {row}; {field} reads as the parameter's name.
 * Thresholds come from `CheckSettings` (check-settings.ts), never from literals in a rule.
 * Adding a check: one entry here (history signals: history-checks.ts), a case in
 * test/corpus/cases.ts expecting its code (the corpus test fails until one does), and
 * `node --import tsx scripts/checks-doc.ts` to refresh docs/checks.md.
 */
import { type CheckSettings, DEFAULT_CHECK_SETTINGS } from './check-settings.ts';
import { judgeContent, typeOfExtension } from './file-types.ts';
import { HISTORY_CHECKS, type PriorMonth } from './history-checks.ts';
import { boundedText, type Category, type Finding, type Issue, MAX_ISSUE_UNIT_ID, type Severity } from './issues.ts';
import { PARAMETER_CODES, PARAMETERS, type ParameterCode, isParameterCode, requiredParameters } from './parameters.ts';
import { hoursInMonth, parsePeriod } from './period.ts';
import type { Enterprise } from './registry.ts';
import type { MonthlyReport, UnitReport } from './report.ts';

/**
 * An evidence file the report names, as the pipeline found it in the deposit's folder. `sha256` is computed over a
 * stream; `head` is the file's first bytes (at least `EVIDENCE_HEAD_BYTES` where the file is that
 * long), read from the same stream, so the type is judged by content. Without `head` the type
 * checks are skipped. `unreadable` says why a file that is in the folder could not be read
 * (archived, encrypted with a customer key, access denied…): EVD-EVIDENCE-UNREADABLE reports it
 * and every other evidence check passes over it, since its size, hash and bytes are not known.
 */
export interface EvidenceFile {
  readonly fileName: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly head?: Uint8Array;
  readonly unreadable?: string;
}

/** The files whose bytes were read: the only ones size, type and hash checks can judge. */
function readable(evidence: readonly EvidenceFile[]): EvidenceFile[] {
  return evidence.filter((e) => e.unreadable === undefined);
}

export interface CheckContext {
  readonly report: MonthlyReport;
  readonly enterprise: Enterprise;
  readonly evidence: readonly EvidenceFile[];
  /** Thresholds; defaults when absent. */
  readonly settings?: CheckSettings;
  /** Earlier accepted months of the same enterprise, for the history signals; none when absent. */
  readonly history?: readonly PriorMonth[];
}

/** What a rule sees: the context with settings and history filled in. */
export interface ResolvedCheckContext extends CheckContext {
  readonly settings: CheckSettings;
  readonly history: readonly PriorMonth[];
}

export interface CheckDefinition {
  readonly code: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly rationale: string;
  readonly message: { readonly zh: string; readonly en: string };
  readonly run?: (context: ResolvedCheckContext) => Finding[];
}

function forEachUnit(context: ResolvedCheckContext, fn: (unit: UnitReport, capacityMW: number | undefined) => Finding[]): Finding[] {
  return context.report.units.flatMap((unit) =>
    fn(unit, context.enterprise.units.find((u) => u.unitId === unit.unitId)?.capacityMW),
  );
}

function value(unit: UnitReport, code: ParameterCode): number | undefined {
  return unit.parameters[code]?.value;
}

function band(b: { min: number; max: number } | undefined): { min: number; max: number } {
  return b ?? { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
}

function rangeCheck(code: ParameterCode, short: string): CheckDefinition {
  const p = PARAMETERS[code];
  const defaults = band(p.range);
  return {
    code: `EVD-RANGE-${short}`,
    severity: 'error',
    category: 'plausibility',
    rationale: `${p.en} (${p.zh}) outside ${defaults.min}–${defaults.max} ${p.unit} (default; configurable) is physically implausible for a power unit.`,
    message: {
      zh: `机组 {unitId} 的{field}为 {found}，超出合理范围 {expected}`,
      en: `Unit {unitId}: {field} is {found}, outside the plausible range {expected}`,
    },
    run: (context) => {
      const range = band(context.settings.ranges[code]);
      return forEachUnit(context, (unit) => {
        const v = value(unit, code);
        return v !== undefined && (v < range.min || v > range.max)
          ? [{ unitId: unit.unitId, field: code, row: unit.parameters[code]?.row, expected: `${range.min}–${range.max} ${p.unit}`, found: `${v} ${p.unit}` }]
          : [];
      });
    },
  };
}

function typicalCheck(code: ParameterCode, short: string): CheckDefinition {
  const p = PARAMETERS[code];
  const defaults = band(p.typical);
  return {
    code: `EVD-ATYPICAL-${short}`,
    severity: 'warning',
    category: 'plausibility',
    rationale: `${p.en} is usually ${defaults.min}–${defaults.max} ${p.unit} (default; configurable); a value outside that band but still plausible needs a reviewer's look.`,
    message: {
      zh: `机组 {unitId} 的{field}为 {found}，不在常见范围 {expected}，请核实`,
      en: `Unit {unitId}: {field} is {found}, outside the typical range {expected}; please confirm`,
    },
    run: (context) => {
      const typical = band(context.settings.typical[code]);
      const range = context.settings.ranges[code] ?? typical;
      const { default: fallback, formerDefaults, equalWithin } = context.settings.carbonPerHeat;
      // A default is not a measurement, so it is not "atypical"; the default checks judge it.
      const isDefault = (v: number) => code === 'carbonPerHeat' && [fallback, ...formerDefaults].some((d) => near(v, d, equalWithin));
      return forEachUnit(context, (unit) => {
        const v = value(unit, code);
        return v !== undefined && !isDefault(v) && v >= range.min && v <= range.max && (v < typical.min || v > typical.max)
          ? [{ unitId: unit.unitId, field: code, row: unit.parameters[code]?.row, expected: `${typical.min}–${typical.max} ${p.unit}`, found: `${v} ${p.unit}` }]
          : [];
      });
    },
  };
}

function fuelOf(context: ResolvedCheckContext, unitId: string): 'coal' | 'gas' | undefined {
  return context.enterprise.units.find((u) => u.unitId === unitId)?.fuel;
}

function near(a: number, b: number, within: number): boolean {
  return Math.abs(a - b) <= within;
}

/** `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.M.D` or `YYYY年M月D日` → days since epoch (UTC), or undefined. */
export function readIssueDate(text: string): number | undefined {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.normalize('NFKC').replace(/\s+/g, ''));
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime() / 86_400_000;
}

function isoDay(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
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
  intake('EVD-REPORT-UNREADABLE', '报告文件无法读取：{found}', 'The report file cannot be read: {found}',
    'The event announced a report the validator cannot read (gone before it was read, in an archive storage class, encrypted with a customer-provided key (SSE-C), access denied, version not found). Nothing in it can be judged, so the attempt is returned with the reason; the enterprise uploads it again as a plain object.'),
  intake('EVD-REPORT-CHANGED', '读取到的报告不是事件通知的版本：读到 {found}，通知为 {expected}', 'The report read is not the version the event announced: read {found}, announced {expected}',
    'An attempt is one uploaded version. If the object was overwritten between upload and read, the bytes judged would not be the ones announced (and recorded as received at the event\'s time); the attempt is returned rather than credited with another upload\'s content.'),
  intake('EVD-ATTEMPTS-TOO-MANY', '本企业本月已有 {expected} 次存证，第 {found} 次不再计入月度记录，请联系审核人员', 'This enterprise already has {expected} attempts for the month; attempt {found} is recorded but no longer added to the month\'s record — contact the reviewers',
    'A month has a handful of attempts. The enterprise-period record that lists them is one ledger item (at most 400 KB), so it lists at most 200; every further upload is still recorded as an attempt of its own, returned, and visible to reviewers, but it cannot change the month\'s standing.'),
  intake('EVD-REPORT-TOO-MANY-ROWS', '报告表格过大：{found}（上限 {expected}）', 'The report table is too large: {found} (limit {expected})',
    'A month is one row per unit and parameter (a few hundred rows, eight columns). A sheet with a cell at row 1,048,576 is a few kilobytes zipped but makes a spreadsheet reader build a million rows (seconds of CPU, a gigabyte of memory), so the extent of every XLSX sheet is read from its XML before the workbook is opened, and CSV and JSON tables are held to the same bound (configurable: report.maxRows, report.maxColumns).'),
  intake('EVD-REPORT-HEADER', '报告表头缺少列：{field}（应有 {expected}）', 'The report header lacks columns: {field} (expected {expected})',
    'The template\'s columns say what each value is; without them no value can be read.', 'error', 'conformity'),
  intake('EVD-REPORT-COLUMN-DUPLICATE', '报告表头中 {field} 列出现了两次：{found}', 'The report header gives the column {field} twice: {found}',
    'A column may be headed by its English or its Chinese name; with both (e.g. 数值 and value), one reader takes the first and a reviewer may read the second. Which one is meant cannot be known, so the report is not read.', 'error', 'conformity'),
  intake('EVD-XLSX-HIDDEN-SHEET', 'XLSX 文件中有隐藏的工作表含有数据：{found}；仅读取第一个可见工作表 {expected}', 'The workbook has hidden sheets holding data: {found}; only the first visible sheet {expected} is read',
    'The validator reads the first visible sheet, the one a reviewer sees when opening the workbook, so what is judged is what is shown. A hidden (or very hidden, only reachable from the VBA editor) sheet with data may be a template\'s lookup list, or a second set of figures kept out of sight; it is not read, and a warning (not an error: the values judged are the visible ones) asks a reviewer to look at it.', 'warning', 'conformity'),
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
  intake('EVD-XLSX-UNPACKS-TOO-LARGE', 'XLSX 文件解压后过大：{found}（上限 {expected}），疑似压缩炸弹', 'The XLSX file unpacks to too much: {found} (limit {expected}); it looks like a ZIP bomb',
    'A monthly workbook unpacks to well under a megabyte; a file that unpacks to gigabytes would exhaust the validator.'),
  intake('EVD-XLSX-MACROS', 'XLSX 文件含有宏：{found}', 'The workbook contains macros: {found}',
    'Reports carry values, not code; a macro-enabled workbook is refused rather than opened.', 'error', 'conformity'),
  intake('EVD-XLSX-EXTERNAL-LINKS', 'XLSX 文件引用了外部工作簿：{found}', 'The workbook links to other workbooks: {found}',
    'A linked value is not in the deposited file, so the file alone does not prove it.', 'error', 'conformity'),
  intake('EVD-JSON-TOO-DEEP', 'JSON 报告嵌套过深：{found}（上限 {expected}）', 'The JSON report is nested too deeply: {found} (limit {expected})',
    'The template is three levels deep; extreme nesting is an attack on the parser, not a report.'),
  intake('EVD-JSON-DUPLICATE-KEY', 'JSON 报告中 {field} 重复出现', 'The JSON report repeats a key: {field}',
    'With a key twice, one reader sees the first value and another the last; the report must say one thing.', 'error', 'conformity'),
  intake('EVD-ISSUES-TRUNCATED', '问题过多：共 {found} 项，仅列出前 {expected} 项', 'Too many issues: {found} in all, only the first {expected} are listed',
    'A file with thousands of problems is almost always the wrong file; the first ones say enough.', 'info'),
  intake('EVD-EVIDENCE-HASH-FORMAT', '机组 {unitId} 的{field}证据哈希格式不正确：{found}', 'Unit {unitId}: the evidence hash for {field} is malformed: {found}',
    'A declared SHA-256 must be 64 hex digits to bind the file.', 'error', 'evidence'),
  intake('EVD-EVIDENCE-NAME', '机组 {unitId} 的{field}证据文件名不正确：{found}', 'Unit {unitId}: the evidence file name for {field} is not a plain file name: {found}',
    'An evidence file is named as it sits in the deposit\'s evidence folder: no folders, at most 200 characters.', 'error', 'evidence'),
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
  {
    code: 'EVD-PARAM-EXTRA', severity: 'warning', category: 'completeness',
    rationale: 'A parameter the unit\'s fuel does not call for (e.g. gas consumed on a coal unit) is either co-firing the registry does not know about or a row pasted from another unit.',
    message: { zh: '机组 {unitId} 填报了其燃料类型不需要的参数：{field}', en: 'Unit {unitId} reports {field}, which its fuel type does not call for' },
    run: ({ report, enterprise }) =>
      report.units.flatMap((unit) => {
        const registered = enterprise.units.find((u) => u.unitId === unit.unitId);
        if (!registered) return [];
        const required = requiredParameters(registered.fuel);
        return PARAMETER_CODES.filter((code) => unit.parameters[code] && !required.includes(code)).map((code) => ({
          unitId: unit.unitId, field: code, row: unit.parameters[code]?.row, expected: `parameters of a ${registered.fuel} unit`, found: code,
        }));
      }),
  },
  {
    code: 'EVD-EVIDENCE-LEDGER-MISSING', severity: 'warning', category: 'completeness',
    rationale: 'Each parameter is supported by a stamped scan of its ledger (rule). A warning, not an error: one scan often covers several parameters, and a reviewer can accept a ledger named elsewhere.',
    message: { zh: '机组 {unitId} 的{field}未注明证据文件（盖章台账扫描件）', en: 'Unit {unitId}: {field} names no evidence file (stamped ledger scan)' },
    run: ({ report }) =>
      report.units.flatMap((unit) =>
        PARAMETER_CODES.filter((code) => unit.parameters[code] && !unit.parameters[code]?.evidenceFile).map((code) => ({
          unitId: unit.unitId, field: code, row: unit.parameters[code]?.row, expected: 'a stamped ledger scan in the evidence folder', found: '(none)',
        })),
      ),
  },
  {
    code: 'EVD-EVIDENCE-LAB-MISSING', severity: 'error', category: 'completeness',
    rationale: 'Carbon, NCV, hydrogen, sulfur and moisture of a coal unit are only credible with the CMA/CNAS lab report itself attached (rule).',
    message: { zh: '燃煤机组 {unitId} 的化验报告 {found} 未附扫描件', en: 'Coal unit {unitId}: lab report {found} has no scan attached' },
    run: (context) =>
      context.report.units
        .filter((unit) => fuelOf(context, unit.unitId) === 'coal' && unit.labReport && !unit.labReport.evidenceFile)
        .map((unit) => ({ unitId: unit.unitId, field: 'labReportNo', row: unit.labReport?.row, expected: 'the lab report scan in the evidence folder', found: unit.labReport?.reportNo ?? '' })),
  },
  {
    code: 'EVD-EVIDENCE-TOO-MANY', severity: 'error', category: 'conformity',
    rationale: 'A month names a few ledger scans and lab reports per unit; hundreds of distinct files is a generated or corrupted report, and each named file costs a read. Only the first files up to the limit are checked.',
    message: { zh: '报告引用了 {found} 个不同的证据文件（上限 {expected}）', en: 'The report names {found} distinct evidence files (limit {expected})' },
    run: ({ report, settings }) => {
      const named = evidenceFileNamesOf(report).length;
      return named > settings.evidence.maxFiles ? [{ field: 'evidenceFile', expected: String(settings.evidence.maxFiles), found: String(named) }] : [];
    },
  },
  {
    code: 'EVD-EVIDENCE-UNREADABLE', severity: 'error', category: 'evidence',
    rationale: 'A named evidence file is in the deposit but cannot be read (archive storage class, encrypted with a customer-provided key, access denied…): its hash and type cannot be checked and a reviewer could not open it. It is present, so it is not reported missing; the other evidence checks pass over it.',
    message: { zh: '证据文件 {field} 无法读取：{found}', en: 'Evidence file {field} cannot be read: {found}' },
    run: ({ evidence }) =>
      evidence.filter((e) => e.unreadable !== undefined).map((e) => ({ field: e.fileName, expected: 'a file the validator and reviewers can read', found: e.unreadable })),
  },
  {
    code: 'EVD-EVIDENCE-EMPTY', severity: 'error', category: 'conformity',
    rationale: 'An empty evidence file documents nothing; usually an interrupted upload.',
    message: { zh: '证据文件 {field} 为空', en: 'Evidence file {field} is empty' },
    run: ({ evidence }) => readable(evidence).filter((e) => e.size === 0).map((e) => ({ field: e.fileName, expected: 'a non-empty file', found: '0 bytes' })),
  },
  {
    code: 'EVD-EVIDENCE-TOO-LARGE', severity: 'error', category: 'conformity',
    rationale: 'Scanned ledgers run to 20–100 MB; beyond the configured limit (default 200 MB) a file is a mistake or abuse and is too costly to keep for 5 years.',
    message: { zh: '证据文件 {field} 过大：{found}（上限 {expected}）', en: 'Evidence file {field} is too large: {found} (limit {expected})' },
    run: ({ evidence, settings }) =>
      readable(evidence).filter((e) => e.size > settings.evidence.maxBytes).map((e) => ({ field: e.fileName, expected: `${settings.evidence.maxBytes} bytes`, found: `${e.size} bytes` })),
  },
  {
    code: 'EVD-EVIDENCE-TYPE', severity: 'error', category: 'conformity',
    rationale: 'Evidence must be a PDF, JPEG, PNG or OFD scan, judged by the file\'s content, not its name: a renamed document cannot be opened by reviewers. The judgement is strict, because the file is later served to reviewers\' browsers: the full signature at byte 0 (a PDF: %PDF- and a version; a PNG: its signature and IHDR; a JPEG: SOI and a marker), a PDF of a plausible size, the end marker (%%EOF, EOI, IEND) where the whole file is in the first 4 KiB read, and no HTML, SVG, XML or script markup anywhere in those bytes (an HTML page with %PDF- in a comment would otherwise pass as a PDF).',
    message: { zh: '证据文件 {field} 的内容为 {found}，不是允许的类型（{expected}）', en: 'Evidence file {field} contains {found}, not an allowed type ({expected})' },
    run: ({ evidence, settings }) =>
      readable(evidence).flatMap((e) => {
        if (!e.head || e.size === 0) return [];
        const judged = judgeContent(e.head, e.size);
        if (judged.refusal === undefined && (settings.evidence.allowedTypes as readonly string[]).includes(judged.type)) return [];
        return [{ field: e.fileName, expected: settings.evidence.allowedTypes.join(', '), found: judged.refusal ?? judged.type }];
      }),
  },
  {
    code: 'EVD-EVIDENCE-EXTENSION', severity: 'warning', category: 'conformity',
    rationale: 'A file whose name says one type and whose content is another (a PNG named .pdf) opens wrongly for reviewers and may have been renamed to pass a check.',
    message: { zh: '证据文件 {field} 的扩展名与内容不符：内容为 {found}', en: 'Evidence file {field}: the extension does not match the content, which is {found}' },
    run: ({ evidence, settings }) =>
      readable(evidence).flatMap((e) => {
        if (!e.head || e.size === 0) return [];
        const { type, refusal } = judgeContent(e.head, e.size);
        if (refusal !== undefined || !(settings.evidence.allowedTypes as readonly string[]).includes(type)) return [];
        const claimed = typeOfExtension(e.fileName);
        return claimed === type ? [] : [{ field: e.fileName, expected: `.${type === 'jpeg' ? 'jpg' : type}`, found: type }];
      }),
  },
  {
    code: 'EVD-LAB-REPORT-DATE-FORMAT', severity: 'error', category: 'conformity',
    rationale: 'The lab report\'s issue date decides whether it belongs to this month; it must be a calendar date (YYYY-MM-DD).',
    message: { zh: '机组 {unitId} 的化验报告日期无法识别：{found}（应为 {expected}）', en: 'Unit {unitId}: the lab report date {found} is not a date ({expected})' },
    run: ({ report }) =>
      report.units.flatMap((unit) => {
        const issuedOn = unit.labReport?.issuedOn;
        return issuedOn !== undefined && readIssueDate(issuedOn) === undefined
          ? [{ unitId: unit.unitId, field: 'labReportIssuedOn', expected: 'YYYY-MM-DD', found: issuedOn.slice(0, 40) || '(empty)' }]
          : [];
      }),
  },
  {
    code: 'EVD-LAB-REPORT-DATE', severity: 'warning', category: 'plausibility',
    rationale: 'The lab report on the month\'s sample is issued during the month or within the 40-day deposit window after it (rule); a date outside it suggests another month\'s report or an edited date.',
    message: { zh: '机组 {unitId} 的化验报告日期 {found} 不在 {expected} 之间', en: 'Unit {unitId}: the lab report is dated {found}, outside {expected}' },
    run: ({ report, settings }) => {
      const { year, month } = parsePeriod(report.period);
      const first = Date.UTC(year, month - 1, 1) / 86_400_000;
      const last = Date.UTC(year, month, 0) / 86_400_000 + settings.labReportWindowDays;
      return report.units.flatMap((unit) => {
        const issuedOn = unit.labReport?.issuedOn;
        const day = issuedOn === undefined ? undefined : readIssueDate(issuedOn);
        return day !== undefined && (day < first || day > last)
          ? [{ unitId: unit.unitId, field: 'labReportIssuedOn', expected: `${isoDay(first)} – ${isoDay(last)}`, found: isoDay(day) }]
          : [];
      });
    },
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
    code: 'EVD-CPH-DEFAULT-WITH-LAB', severity: 'warning', category: 'plausibility',
    rationale: 'The default carbon per unit heat (0.03085 tC/GJ) is for units that did not measure; using it while a lab report is attached is a pattern MEE has named (the default is higher than most measured values, but it hides the measurement).',
    message: { zh: '机组 {unitId} 附有化验报告，但单位热值含碳量使用了缺省值 {found}', en: 'Unit {unitId} attaches a lab report but uses the default carbon per unit heat {found}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const cph = value(unit, 'carbonPerHeat');
        const { default: fallback, equalWithin } = context.settings.carbonPerHeat;
        return cph !== undefined && unit.labReport && near(cph, fallback, equalWithin)
          ? [{ unitId: unit.unitId, field: 'carbonPerHeat', row: unit.parameters.carbonPerHeat?.row, expected: 'the measured value from the lab report', found: `${cph} tC/GJ` }]
          : [];
      }),
  },
  {
    code: 'EVD-CPH-FORMER-DEFAULT', severity: 'error', category: 'conformity',
    rationale: 'The default carbon per unit heat was lowered from 0.03356 to 0.03085 tC/GJ; the former default is no longer allowed.',
    message: { zh: '机组 {unitId} 的单位热值含碳量 {found} 是已废止的缺省值（现行 {expected}）', en: 'Unit {unitId}: carbon per unit heat {found} is a former default (now {expected})' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const cph = value(unit, 'carbonPerHeat');
        const { default: fallback, formerDefaults, equalWithin } = context.settings.carbonPerHeat;
        return cph !== undefined && formerDefaults.some((f) => near(cph, f, equalWithin))
          ? [{ unitId: unit.unitId, field: 'carbonPerHeat', row: unit.parameters.carbonPerHeat?.row, expected: `${fallback} tC/GJ`, found: `${cph} tC/GJ` }]
          : [];
      }),
  },
  {
    code: 'EVD-CROSS-CPH-CARBON-NCV', severity: 'warning', category: 'plausibility',
    rationale: 'Measured carbon per unit heat is elemental carbon ÷ NCV of the same sample (C% ÷ 100 ÷ GJ/t); a value that disagrees was not derived from this lab report.',
    message: { zh: '机组 {unitId} 的单位热值含碳量 {found} 与元素碳÷低位发热量 {expected} 不符', en: 'Unit {unitId}: carbon per unit heat {found} disagrees with carbon ÷ NCV {expected}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const cph = value(unit, 'carbonPerHeat');
        const carbon = value(unit, 'carbonAsReceived');
        const ncv = value(unit, 'ncvAsReceived');
        const { default: fallback, formerDefaults, equalWithin, consistencyTolerance } = context.settings.carbonPerHeat;
        if (cph === undefined || carbon === undefined || ncv === undefined || ncv <= 0 || carbon <= 0) return [];
        // A default is not a measurement; the default checks speak for it.
        if ([fallback, ...formerDefaults].some((d) => near(cph, d, equalWithin))) return [];
        const derived = carbon / 100 / ncv;
        return Math.abs(cph - derived) / derived > consistencyTolerance
          ? [{ unitId: unit.unitId, field: 'carbonPerHeat', row: unit.parameters.carbonPerHeat?.row, expected: `${derived.toFixed(5)} tC/GJ ± ${consistencyTolerance * 100}%`, found: `${cph} tC/GJ` }]
          : [];
      }),
  },
  {
    code: 'EVD-CROSS-NCV-COMPOSITION', severity: 'warning', category: 'plausibility',
    rationale: 'NCV, carbon, hydrogen, sulfur and moisture come from the same sample, so the Mendeleev estimate (339C + 1030H − 108.9(O − S) − 25.1(9H + Mt) kJ/kg, oxygen assumed) must roughly agree with the declared NCV.',
    message: { zh: '机组 {unitId} 的低位发热量 {found} 与元素分析估算值 {expected} 差异过大', en: 'Unit {unitId}: NCV {found} is far from the estimate from the elemental analysis {expected}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const ncv = value(unit, 'ncvAsReceived');
        const c = value(unit, 'carbonAsReceived');
        const h = value(unit, 'hydrogen');
        const mt = value(unit, 'moisture');
        const s = value(unit, 'sulfur') ?? 0;
        if (ncv === undefined || c === undefined || h === undefined || mt === undefined) return [];
        const { assumedOxygenPercent: o, tolerance } = context.settings.ncvComposition;
        const estimate = (339 * c + 1030 * h - 108.9 * (o - s) - 25.1 * (9 * h + mt)) / 1000;
        if (estimate <= 0) return [];
        return Math.abs(ncv - estimate) / estimate > tolerance
          ? [{ unitId: unit.unitId, field: 'ncvAsReceived', row: unit.parameters.ncvAsReceived?.row, expected: `${estimate.toFixed(2)} GJ/t ± ${tolerance * 100}%`, found: `${ncv} GJ/t` }]
          : [];
      }),
  },
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
    rationale: 'The auxiliary power rate (1 − supplied/generated) of a thermal unit sits at 3–10% (default; configurable).',
    message: { zh: '机组 {unitId} 厂用电率为 {found}，不在 {expected} 范围内', en: 'Unit {unitId}: auxiliary power rate is {found}, outside {expected}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const generated = value(unit, 'powerGenerated');
        const supplied = value(unit, 'powerSupplied');
        if (generated === undefined || supplied === undefined || generated <= 0 || supplied > generated) return [];
        const { min, max } = context.settings.auxiliaryRatePercent;
        const rate = (1 - supplied / generated) * 100;
        return rate < min || rate > max ? [{ unitId: unit.unitId, field: 'powerSupplied', expected: `${min}–${max}%`, found: `${rate.toFixed(2)}%` }] : [];
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
        return (['powerGenerated', 'powerSupplied', 'loadFactor'] as const)
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
        return generated > limit * (1 + context.settings.capacityTolerance) ? [{ unitId: unit.unitId, field: 'powerGenerated', expected: `≤ ${limit} MWh`, found: `${generated} MWh` }] : [];
      }),
  },
  {
    code: 'EVD-CROSS-LOAD-FACTOR', severity: 'warning', category: 'plausibility',
    rationale: 'The load (output) factor is average load ÷ rated capacity, i.e. generation ÷ (capacity × operating hours); a declared factor far from that was not computed from these figures.',
    message: { zh: '机组 {unitId} 的负荷系数 {found} 与发电量÷(装机容量×运行小时) {expected} 不符', en: 'Unit {unitId}: load factor {found} disagrees with generation ÷ (capacity × hours) {expected}' },
    run: (context) =>
      forEachUnit(context, (unit, capacityMW) => {
        const factor = value(unit, 'loadFactor');
        const generated = value(unit, 'powerGenerated');
        const hours = value(unit, 'operatingHours');
        if (factor === undefined || generated === undefined || hours === undefined || capacityMW === undefined || hours <= 0) return [];
        const derived = (generated / (capacityMW * hours)) * 100;
        const tolerance = context.settings.loadFactorTolerancePoints;
        return Math.abs(factor - derived) > tolerance
          ? [{ unitId: unit.unitId, field: 'loadFactor', row: unit.parameters.loadFactor?.row, expected: `${derived.toFixed(2)}% ± ${tolerance} points`, found: `${factor}%` }]
          : [];
      }),
  },
  {
    code: 'EVD-CROSS-NET-COAL-RATE', severity: 'warning', category: 'plausibility',
    rationale: 'Net coal consumption (coal × NCV ÷ 29.271 ÷ supplied) of coal units sits at 260–360 gce/kWh (default; national average ≈ 300).',
    message: { zh: '机组 {unitId} 供电煤耗为 {found}，不在 {expected} 范围内', en: 'Unit {unitId}: net coal consumption is {found}, outside {expected}' },
    run: (context) =>
      forEachUnit(context, (unit) => {
        const coal = value(unit, 'coalConsumed');
        const ncv = value(unit, 'ncvAsReceived');
        const supplied = value(unit, 'powerSupplied');
        if (coal === undefined || ncv === undefined || supplied === undefined || supplied <= 0 || coal <= 0) return [];
        const { min, max } = context.settings.netCoalRate;
        // t × GJ/t ÷ 29.271 GJ/tce = tce; tce ÷ MWh = kgce/kWh; × 1000 = gce/kWh.
        const rate = ((coal * ncv) / 29.271 / supplied) * 1000;
        return rate < min || rate > max ? [{ unitId: unit.unitId, field: 'coalConsumed', expected: `${min}–${max} gce/kWh`, found: `${rate.toFixed(1)} gce/kWh` }] : [];
      }),
  },
  {
    code: 'EVD-EVIDENCE-MISSING', severity: 'error', category: 'evidence',
    rationale: 'Every evidence file a report names must be in the same deposit, so the value can be traced to its source.',
    message: { zh: '机组 {unitId} 的{field}引用的证据文件 {found} 未上传', en: 'Unit {unitId}: evidence file {found} for {field} is not in the deposit' },
    run: ({ report, evidence, settings }) => {
      const checked = new Set(evidenceFilesToRead(report, settings));
      return report.units.flatMap((unit) =>
        referencedEvidence(unit)
          .filter((ref) => checked.has(ref.fileName) && !evidence.some((e) => e.fileName === ref.fileName))
          .map((ref) => ({ unitId: unit.unitId, field: ref.field, row: ref.row, expected: 'a file in the evidence folder', found: ref.fileName })),
      );
    },
  },
  {
    code: 'EVD-EVIDENCE-HASH-MISMATCH', severity: 'error', category: 'evidence',
    rationale: 'A declared SHA-256 binds the value to one exact file; a different file may have been swapped in.',
    message: { zh: '机组 {unitId} 的证据文件 {field} 哈希不符：实际 {found}，声明 {expected}', en: 'Unit {unitId}: evidence file {field} has SHA-256 {found}, but the report declares {expected}' },
    run: ({ report, evidence }) =>
      report.units.flatMap((unit) =>
        referencedEvidence(unit).flatMap((ref) => {
          const file = readable(evidence).find((e) => e.fileName === ref.fileName);
          return file && ref.sha256 && file.sha256 !== ref.sha256
            ? [{ unitId: unit.unitId, field: ref.fileName, row: ref.row, expected: ref.sha256, found: file.sha256 }]
            : [];
        }),
      ),
  },
  ...HISTORY_CHECKS,
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

/**
 * The evidence files a report names, each once, in report order: the files intake reads. Files in
 * the folder that no row names are not read (finding them would take a listing per deposit).
 */
export function evidenceFileNamesOf(report: Pick<MonthlyReport, 'units'>): string[] {
  return [...new Set(report.units.flatMap((unit) => referencedEvidence(unit).map((ref) => ref.fileName)))];
}

/** The named files intake reads: the first `evidence.maxFiles` (EVD-EVIDENCE-TOO-MANY reports the rest). */
export function evidenceFilesToRead(report: Pick<MonthlyReport, 'units'>, settings: CheckSettings): string[] {
  return evidenceFileNamesOf(report).slice(0, settings.evidence.maxFiles);
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

/** A finding's texts cut to what an issue keeps (see MAX_ISSUE_TEXT): the stored fields and the messages agree. */
function boundedFinding(finding: Finding): Finding {
  const cut = (v: string | number | undefined, max?: number) => (v === undefined ? undefined : boundedText(String(v), max));
  const bounded: Finding = { ...finding };
  if (finding.unitId !== undefined) bounded.unitId = cut(finding.unitId, MAX_ISSUE_UNIT_ID);
  if (finding.field !== undefined) bounded.field = cut(finding.field);
  if (finding.expected !== undefined) bounded.expected = cut(finding.expected);
  if (finding.found !== undefined) bounded.found = cut(finding.found);
  return bounded;
}

/** The catalogue entry `code` applied to a finding: the Issue stored and shown everywhere. */
export function issueOf(code: string, raw: Finding = {}): Issue {
  const check = checkDefinition(code);
  const finding = boundedFinding(raw);
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
  const resolved: ResolvedCheckContext = { ...context, settings: context.settings ?? DEFAULT_CHECK_SETTINGS, history: context.history ?? [] };
  return CHECKS.flatMap((check) => (check.run ? check.run(resolved).map((finding) => issueOf(check.code, finding)) : []));
}
