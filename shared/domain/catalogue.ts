/**
 * The check catalogue: every problem the validator can report, each one entry with a stable
 * code, a severity, a category, the rule's rationale and its message in Chinese and English, in
 * the order docs/checks.md lists them and reports show them. It is data and `issueOf`, and sits
 * below every module that raises an issue: the readers (report.ts, report-table.ts,
 * file-safety.ts) name entries by code, and the rules over a parsed report (checks.ts,
 * history-checks.ts) are keyed by the same codes — none of them is imported here.
 * Messages use {level} {unitId} {field} {expected} {found} {row}; {level} names the facility's
 * level in its industry (机组 / Unit when a finding names none), {field} reads as the parameter's
 * name. `industries` names the industries whose deposits a check judges (absent: every one); the
 * generic checks over another industry's catalogue name the industries that have what they judge,
 * and each catalogue cross-check (industries/*.ts) is an entry of its own, generated here, so a new
 * industry file brings its entries with it.
 * Adding a check: one entry here, its rule (if it judges a parsed report) in checks.ts or
 * history-checks.ts, a case in test/corpus/cases.ts expecting its code (the corpus test fails
 * until one does), and `node --import tsx scripts/checks-doc.ts` to refresh docs/checks.md.
 */
import type { Certainty, CrossCheck, IndustryCatalogue, IndustryParameter } from './industry.ts';
import { INDUSTRIES } from './industries/index.ts';
import { boundedText, type Category, type Finding, type Issue, MAX_ISSUE_UNIT_ID, type Severity } from './issues.ts';
import { isParameterCode, type ParameterCode, PARAMETERS } from './parameters.ts';

export interface CheckEntry {
  readonly code: string;
  /** The industries whose deposits the check judges; absent: every industry. */
  readonly industries?: readonly string[];
  readonly severity: Severity;
  readonly category: Category;
  readonly rationale: string;
  readonly message: { readonly zh: string; readonly en: string };
}

/** A parameter's band, unbounded where none is set. */
export function band(b: { min: number; max: number } | undefined): { min: number; max: number } {
  return b ?? { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
}

/** Power's own checks (its rules since 2022): they judge power units only. */
const POWER = ['power'] as const;

/** The industries (other than power, whose checks are its own) with a parameter `has` picks. */
function industriesWith(has: (parameter: IndustryParameter, catalogue: IndustryCatalogue) => boolean): string[] {
  return INDUSTRIES.filter((c) => c.code !== 'power' && c.parameters.some((p) => has(p, c))).map((c) => c.code);
}

const certaintyText: Readonly<Record<Certainty, string>> = {
  rule: 'read in a published MEE text [rule]',
  impl: "taken from software implementing the guideline [impl]; the guideline's own table is not yet verified",
  est: "an engineering estimate [est] awaiting the guideline's tables, so it only ever warns",
};

/** A cross-check's severity: its own, else a warning for an estimate and an error otherwise. */
export function crossCheckSeverity(check: Pick<CrossCheck, 'severity' | 'certainty'>): Severity {
  return check.severity ?? (check.certainty === 'est' ? 'warning' : 'error');
}

/** One catalogue entry per cross-check of every industry: a band is plausibility, an exact relation (a balance) conformity. */
function crossCheckEntries(): CheckEntry[] {
  return INDUSTRIES.flatMap((catalogue) =>
    catalogue.crossChecks.map(
      (check): CheckEntry => ({
        code: check.code,
        industries: [catalogue.code],
        severity: crossCheckSeverity(check),
        category: check.band === undefined ? 'conformity' : 'plausibility',
        rationale: `${check.rationale} Source: ${certaintyText[check.certainty]}. ${
          check.band ? `Band ${check.band.min}–${check.band.max}` : `Tolerance ${check.tolerance ?? 0}`
        } by default; settings.industries.${catalogue.code}.crossChecks["${check.code}"] changes it (or enabled: false).`,
        message: {
          zh: `{level} {unitId}：{field}——${check.zh}为 {found}，应为 {expected}`,
          en: `{level} {unitId}: {field} — ${check.en} is {found}, expected {expected}`,
        },
      }),
    ),
  );
}

function rangeEntry(code: ParameterCode, short: string): CheckEntry {
  const p = PARAMETERS[code];
  const defaults = band(p.range);
  return {
    code: `EVD-RANGE-${short}`,
    industries: POWER,
    severity: 'error',
    category: 'plausibility',
    rationale: `${p.en} (${p.zh}) outside ${defaults.min}–${defaults.max} ${p.unit} (default; configurable) is physically implausible for a power unit.`,
    message: {
      zh: `{level} {unitId} 的{field}为 {found}，超出合理范围 {expected}`,
      en: `{level} {unitId}: {field} is {found}, outside the plausible range {expected}`,
    },
  };
}

function typicalEntry(code: ParameterCode, short: string): CheckEntry {
  const p = PARAMETERS[code];
  const defaults = band(p.typical);
  return {
    code: `EVD-ATYPICAL-${short}`,
    industries: POWER,
    severity: 'warning',
    category: 'plausibility',
    rationale: `${p.en} is usually ${defaults.min}–${defaults.max} ${p.unit} (default; configurable); a value outside that band but still plausible needs a reviewer's look.`,
    message: {
      zh: `{level} {unitId} 的{field}为 {found}，不在常见范围 {expected}，请核实`,
      en: `{level} {unitId}: {field} is {found}, outside the typical range {expected}; please confirm`,
    },
  };
}

/** History signals are all warnings: a human decides whether a repeat is a copy or a coincidence. */
const history = (entry: Omit<CheckEntry, 'severity' | 'category'>): CheckEntry => ({ ...entry, severity: 'warning', category: 'history' });

const intake = (code: string, zh: string, en: string, rationale: string, severity: Severity = 'error', category: Category = 'intake'): CheckEntry => ({
  code,
  severity,
  category,
  rationale,
  message: { zh, en },
});

export const CATALOGUE: readonly CheckEntry[] = [
  intake(
    'EVD-KEY-LAYOUT',
    '上传路径不符合约定：{found}（应为 {expected}）',
    'The object key does not follow the layout: {found} (expected {expected})',
    'The key carries the enterprise, the period and the deposit id; without them the upload cannot be attributed.',
  ),
  intake(
    'EVD-KEY-REUSED',
    '该路径下已有内容不同的报告，不能覆盖已存证的文件',
    'A different report was already recorded under this key; deposited files cannot be overwritten',
    "Every attempt's files stay retrievable and unchanged; a new attempt needs a new deposit id.",
  ),
  intake('EVD-FILE-EMPTY', '报告文件为空', 'The report file is empty', 'An empty upload is usually an interrupted transfer.'),
  intake(
    'EVD-FILE-TOO-LARGE',
    '报告文件过大：{found}（上限 {expected}）',
    'The report file is too large: {found} (limit {expected})',
    'A monthly report is a few kilobytes; large files are mistakes or abuse and are not read.',
  ),
  intake(
    'EVD-FILE-TYPE',
    '报告文件类型不支持或与内容不符：{found}（应为 {expected}）',
    'Unsupported report file type, or content that does not match it: {found} (expected {expected})',
    'Only CSV, XLSX and JSON reports are read; the content must be what the extension says.',
  ),
  intake(
    'EVD-FILE-FORMAT-UNSUPPORTED',
    '报告文件格式不受支持：{found}。请在 Excel、WPS 或 LibreOffice 中“另存为” XLSX（Excel 工作簿）或 CSV（UTF-8）后重新上传',
    'Unsupported report format: {found}. Save it as XLSX (Excel workbook) or CSV (UTF-8) and upload it again',
    'The format is recognised by content, whatever the name says: an Excel 97–2003 or WPS workbook (.xls, .et, or a password-protected workbook: OLE2 compound files), an OpenDocument spreadsheet (.ods), an Apple Numbers file or a PDF cannot be read as a table. The message names what was found and how to save it in a readable format.',
  ),
  intake('EVD-FILE-BINARY', '报告文件不是文本：{found}', 'The report file is not text: {found}', 'A CSV or JSON report must be text.'),
  intake(
    'EVD-FILE-ENCODING',
    '报告文件编码无法识别：{found}（应为 {expected}）',
    "The report file's encoding is not readable: {found} (expected {expected})",
    'CSV is accepted as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 as Excel saves it on Chinese Windows.',
  ),
  intake('EVD-FILE-UNPARSABLE', '报告文件无法解析：{found}', 'The report file cannot be parsed: {found}', 'The file is damaged or not in the declared format.'),
  intake(
    'EVD-REPORT-UNREADABLE',
    '报告文件无法读取：{found}',
    'The report file cannot be read: {found}',
    'The event announced a report the validator cannot read (gone before it was read, in an archive storage class, encrypted with a customer-provided key (SSE-C), access denied, version not found). Nothing in it can be judged, so the attempt is returned with the reason; the enterprise uploads it again as a plain object.',
  ),
  intake(
    'EVD-REPORT-CHANGED',
    '读取到的报告不是事件通知的版本：读到 {found}，通知为 {expected}',
    'The report read is not the version the event announced: read {found}, announced {expected}',
    "An attempt is one uploaded version. If the object was overwritten between upload and read, the bytes judged would not be the ones announced (and recorded as received at the event's time); the attempt is returned rather than credited with another upload's content.",
  ),
  intake(
    'EVD-ATTEMPTS-TOO-MANY',
    '本企业本月已有 {expected} 次存证，第 {found} 次不再计入月度记录，请联系审核人员',
    "This enterprise already has {expected} attempts for the month; attempt {found} is recorded but no longer added to the month's record — contact the reviewers",
    "A month has a handful of attempts. The enterprise-period record that lists them is one ledger item (at most 400 KB), so it lists at most 200; every further upload is still recorded as an attempt of its own, returned, and visible to reviewers, but it cannot change the month's standing.",
  ),
  intake(
    'EVD-REPORT-TOO-MANY-ROWS',
    '报告表格过大：{found}（上限 {expected}）',
    'The report table is too large: {found} (limit {expected})',
    'A month is one row per unit and parameter (a few hundred rows, eight columns). A sheet with a cell at row 1,048,576 is a few kilobytes zipped but makes a spreadsheet reader build a million rows (seconds of CPU, a gigabyte of memory), so the extent of every XLSX sheet is read from its XML before the workbook is opened, and CSV and JSON tables are held to the same bound (configurable: report.maxRows, report.maxColumns).',
  ),
  intake(
    'EVD-REPORT-HEADER',
    '未找到报告表头：{found}；缺少列：{field}（应有：{expected}）',
    'No report header found: {found}; missing columns: {field} (expected {expected})',
    "The template's columns say what each value is; without them no value can be read. The header is looked for in the first rows of the sheet (title rows, merged cells and notes above it are skipped); when no row holds the columns, the row that came closest is named with what it held and what it lacks.",
    'error',
    'conformity',
  ),
  intake(
    'EVD-REPORT-COLUMN-DUPLICATE',
    '报告表头中 {field} 列出现了两次：{found}',
    'The report header gives the column {field} twice: {found}',
    'A column may be headed by its English or its Chinese name; with both (e.g. 数值 and value), one reader takes the first and a reviewer may read the second. Which one is meant cannot be known, so the report is not read.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-XLSX-HIDDEN-SHEET',
    'XLSX 文件中有隐藏的工作表含有数据：{found}；仅读取第一个可见工作表 {expected}',
    'The workbook has hidden sheets holding data: {found}; only the first visible sheet {expected} is read',
    "The validator reads the first visible sheet, the one a reviewer sees when opening the workbook, so what is judged is what is shown. A hidden (or very hidden, only reachable from the VBA editor) sheet with data may be a template's lookup list, or a second set of figures kept out of sight; it is not read, and a warning (not an error: the values judged are the visible ones) asks a reviewer to look at it.",
    'warning',
    'conformity',
  ),
  intake(
    'EVD-REPORT-SCHEMA',
    'JSON 报告结构不符：{field} — {expected}',
    'The JSON report does not match the template: {field} — {expected}',
    'The JSON template fixes where each value sits.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-REPORT-EMPTY',
    '报告中没有任何参数行',
    'The report has no parameter rows',
    "A report must carry the month's parameters.",
    'error',
    'completeness',
  ),
  intake(
    'EVD-REPORT-INCONSISTENT',
    '第 {row} 行的{field}为 {found}，与首行的 {expected} 不一致',
    'Row {row}: {field} is {found}, unlike {expected} in the first row',
    'One report covers one enterprise and one month.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-ENTERPRISE-MISMATCH',
    '报告中的企业代码 {found} 与上传路径中的 {expected} 不一致',
    'The report is for enterprise {found}, but was deposited under {expected}',
    "A report deposited under another enterprise's key would be credited to the wrong enterprise.",
    'error',
    'conformity',
  ),
  intake(
    'EVD-PERIOD-MISMATCH',
    '报告中的月份 {found} 与上传路径中的 {expected} 不一致',
    'The report is for period {found}, but was deposited under {expected}',
    'A report deposited under another month would be counted for the wrong month.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-PERIOD-NOT-ENDED',
    '月份 {found} 尚未结束，不能存证',
    'Period {found} has not ended yet; it cannot be deposited',
    "A month's parameters are known only after the month ends (Asia/Shanghai).",
    'error',
    'conformity',
  ),
  intake(
    'EVD-ENTERPRISE-UNKNOWN',
    '企业 {found} 不在重点排放单位名录中',
    'Enterprise {found} is not in the registry of key emitting enterprises',
    'Only registered enterprises deposit; the registry is maintained by departments.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-ENTERPRISE-NOT-OBLIGED',
    '企业 {found} 在 {expected} 期间无存证义务',
    'Enterprise {found} is not obliged to deposit for {expected}',
    "The obligation runs from the registry's start to end period.",
    'error',
    'conformity',
  ),
  intake(
    'EVD-PARAM-UNKNOWN',
    '{level} {unitId} 第 {row} 行：未知参数 {found}',
    '{level} {unitId}, row {row}: unknown parameter {found}',
    'Parameters are named by their template code or Chinese name.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-PARAM-DUPLICATE',
    '{level} {unitId} 的{field}重复填报（第 {row} 行）',
    '{level} {unitId}: {field} is reported twice (row {row})',
    'Two values for one parameter leave the month ambiguous.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-PARAM-EMPTY',
    '{level} {unitId} 的{field}为空（应为 {expected}）',
    '{level} {unitId}: {field} is empty (expected {expected})',
    'An empty cell is not a zero; write 0 where the quantity was zero.',
    'error',
    'completeness',
  ),
  intake(
    'EVD-PARAM-NOT-NUMBER',
    '{level} {unitId} 的{field}不是数字：{found}',
    '{level} {unitId}: {field} is not a number: {found}',
    'Values must be numbers; thousand separators, full-width digits and a % sign on percentages are accepted.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-PARAM-UNIT',
    '{level} {unitId} 的{field}单位不正确：{found}（可用 {expected}）',
    '{level} {unitId}: {field} has the wrong unit {found} (accepted: {expected})',
    'A value in an unexpected unit cannot be compared with the ranges or other months.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-PARAM-BASIS',
    '{level} {unitId} 的{field}取值方式无法识别或不符合指南：{found}（应为 {expected}）',
    '{level} {unitId}: {field} has a basis that is unreadable or that the guideline does not allow: {found} (expected {expected})',
    'A parameter the guideline lets a facility measure or take at its default says which it is (取值方式: 实测 measured / 缺省值 default); the checks judge a measured value by its lab report and a default by the guideline’s value, so a basis that is neither cannot be judged. A parameter the guideline fixes one way (a tonnage is always measured, the clinker factor always the default) may only declare that basis.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-XLSX-UNPACKS-TOO-LARGE',
    'XLSX 文件解压后过大：{found}（上限 {expected}），疑似压缩炸弹',
    'The XLSX file unpacks to too much: {found} (limit {expected}); it looks like a ZIP bomb',
    'A monthly workbook unpacks to well under a megabyte; a file that unpacks to gigabytes would exhaust the validator.',
  ),
  intake(
    'EVD-XLSX-MACROS',
    'XLSX 文件含有宏：{found}',
    'The workbook contains macros: {found}',
    'Reports carry values, not code; a macro-enabled workbook is refused rather than opened.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-XLSX-EXTERNAL-LINKS',
    'XLSX 文件引用了外部工作簿：{found}',
    'The workbook links to other workbooks: {found}',
    'A linked value is not in the deposited file, so the file alone does not prove it.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-JSON-TOO-DEEP',
    'JSON 报告嵌套过深：{found}（上限 {expected}）',
    'The JSON report is nested too deeply: {found} (limit {expected})',
    'The template is three levels deep; extreme nesting is an attack on the parser, not a report.',
  ),
  intake(
    'EVD-JSON-DUPLICATE-KEY',
    'JSON 报告中 {field} 重复出现',
    'The JSON report repeats a key: {field}',
    'With a key twice, one reader sees the first value and another the last; the report must say one thing.',
    'error',
    'conformity',
  ),
  intake(
    'EVD-ISSUES-TRUNCATED',
    '问题过多：共 {found} 项，仅列出前 {expected} 项',
    'Too many issues: {found} in all, only the first {expected} are listed',
    'A file with thousands of problems is almost always the wrong file; the first ones say enough.',
    'info',
  ),
  intake(
    'EVD-EVIDENCE-HASH-FORMAT',
    '{level} {unitId} 的{field}证据哈希格式不正确：{found}',
    '{level} {unitId}: the evidence hash for {field} is malformed: {found}',
    'A declared SHA-256 must be 64 hex digits to bind the file.',
    'error',
    'evidence',
  ),
  intake(
    'EVD-EVIDENCE-NAME',
    '{level} {unitId} 的{field}证据文件名不正确：{found}',
    '{level} {unitId}: the evidence file name for {field} is not a plain file name: {found}',
    "An evidence file is named as it sits in the deposit's evidence folder: no folders, at most 200 characters.",
    'error',
    'evidence',
  ),
  {
    code: 'EVD-UNIT-MISSING',
    severity: 'error',
    category: 'completeness',
    rationale:
      'Every facility the registry lists for the industries owed that month (generating units, clinker lines, potlines, steel processes) reports every month, running or not.',
    message: { zh: '缺少{level} {unitId} 的数据', en: '{level} {unitId} is missing from the report' },
  },
  {
    code: 'EVD-UNIT-UNKNOWN',
    severity: 'error',
    category: 'completeness',
    rationale: 'A unit not in the registry cannot be attributed; the registry must be updated first.',
    message: { zh: '{level} {unitId} 不在该企业的登记机组中', en: '{level} {unitId} is not a registered unit of this enterprise' },
  },
  {
    code: 'EVD-PARAM-MISSING',
    severity: 'error',
    category: 'completeness',
    rationale:
      "Each facility reports every key parameter its catalogue requires of it: a power unit those of its fuel type, another industry's facility each required parameter, per registered material where the parameter is per material.",
    message: { zh: '{level} {unitId} 缺少参数：{field}', en: '{level} {unitId} is missing the parameter {field}' },
  },
  {
    code: 'EVD-LAB-REPORT-MISSING',
    industries: POWER,
    severity: 'error',
    category: 'completeness',
    rationale: "Coal carbon, NCV, hydrogen, sulfur and moisture come from a CMA/CNAS lab report on the month's sample.",
    message: { zh: '燃煤{level} {unitId} 未填报化验报告编号', en: 'Coal unit {unitId} does not give its lab report number' },
  },
  {
    code: 'EVD-LAB-REPORT-MEASURED',
    industries: INDUSTRIES.filter((c) => c.labReport === 'when-measured' && c.parameters.some((p) => p.composition)).map((c) => c.code),
    severity: 'error',
    category: 'evidence',
    rationale:
      'A chemical composition (carbon per heat, anode sulfur and ash, a carbon factor) the facility measured rather than took at the default is only credible with the CMA/CNAS lab report on the sample (rule): the lab report rows (number, date, scan) are owed by every facility that declares one measured. Read as measured: declared 实测, a parameter that is always measured, or a value unlike the default without a declared basis.',
    message: {
      zh: '{level} {unitId} 实测了{found}，但未填报化验报告编号（应附 CMA/CNAS 化验报告）',
      en: '{level} {unitId} measured {found} but gives no lab report number (a CMA/CNAS lab report is owed)',
    },
  },
  {
    code: 'EVD-PARAM-EXTRA',
    severity: 'warning',
    category: 'completeness',
    rationale:
      "A parameter the facility's registration does not call for (gas consumed on a coal unit, a material the registry does not list for a clinker line or a steel process) is either something the registry does not know about or a row pasted from another facility.",
    message: {
      zh: '{level} {unitId} 填报了其登记信息（燃料类型、物料）不需要的参数：{field}',
      en: '{level} {unitId} reports {field}, which its registration (fuel type, materials) does not call for',
    },
  },
  {
    code: 'EVD-EVIDENCE-LEDGER-MISSING',
    severity: 'warning',
    category: 'completeness',
    rationale:
      "Each parameter is supported by a stamped scan of its ledger (rule); another industry's parameter by the supporting material its catalogue names (a default needs none). A warning, not an error: one scan often covers several parameters, and a reviewer can accept a ledger named elsewhere.",
    message: { zh: '{level} {unitId} 的{field}未注明证据文件（{expected}）', en: '{level} {unitId}: {field} names no evidence file ({expected})' },
  },
  {
    code: 'EVD-EVIDENCE-LAB-MISSING',
    industries: ['power', ...INDUSTRIES.filter((c) => c.labReport === 'when-measured').map((c) => c.code)],
    severity: 'error',
    category: 'completeness',
    rationale:
      'Carbon, NCV, hydrogen, sulfur and moisture of a coal unit — and a measured composition of a clinker line, potline or steel process — are only credible with the CMA/CNAS lab report itself attached (rule): a report number without its scan proves nothing.',
    message: { zh: '{level} {unitId} 的化验报告 {found} 未附扫描件', en: '{level} {unitId}: lab report {found} has no scan attached' },
  },
  {
    code: 'EVD-EVIDENCE-TOO-MANY',
    severity: 'error',
    category: 'conformity',
    rationale:
      'A month names a few ledger scans and lab reports per unit; hundreds of distinct files is a generated or corrupted report, and each named file costs a read. Only the first files up to the limit are checked.',
    message: { zh: '报告引用了 {found} 个不同的证据文件（上限 {expected}）', en: 'The report names {found} distinct evidence files (limit {expected})' },
  },
  {
    code: 'EVD-EVIDENCE-UNREADABLE',
    severity: 'error',
    category: 'evidence',
    rationale:
      'A named evidence file is in the deposit but cannot be read (archive storage class, encrypted with a customer-provided key, access denied…): its hash and type cannot be checked and a reviewer could not open it. It is present, so it is not reported missing; the other evidence checks pass over it.',
    message: { zh: '证据文件 {field} 无法读取：{found}', en: 'Evidence file {field} cannot be read: {found}' },
  },
  {
    code: 'EVD-EVIDENCE-EMPTY',
    severity: 'error',
    category: 'conformity',
    rationale: 'An empty evidence file documents nothing; usually an interrupted upload.',
    message: { zh: '证据文件 {field} 为空', en: 'Evidence file {field} is empty' },
  },
  {
    code: 'EVD-EVIDENCE-TOO-LARGE',
    severity: 'error',
    category: 'conformity',
    rationale:
      'Scanned ledgers run to 20–100 MB; beyond the configured limit (default 200 MB) a file is a mistake or abuse and is too costly to keep for 5 years.',
    message: { zh: '证据文件 {field} 过大：{found}（上限 {expected}）', en: 'Evidence file {field} is too large: {found} (limit {expected})' },
  },
  {
    code: 'EVD-EVIDENCE-TYPE',
    severity: 'error',
    category: 'conformity',
    rationale:
      "Evidence must be a PDF, JPEG, PNG or OFD scan, judged by the file's content, not its name: a renamed document cannot be opened by reviewers. The judgement is strict, because the file is later served to reviewers' browsers: the full signature at byte 0 (a PDF: %PDF- and a version; a PNG: its signature and IHDR; a JPEG: SOI and a marker), a PDF of a plausible size, the end marker (%%EOF, EOI, IEND) where the whole file is in the first 4 KiB read, and no HTML, SVG, XML or script markup anywhere in those bytes (an HTML page with %PDF- in a comment would otherwise pass as a PDF).",
    message: {
      zh: '证据文件 {field} 的内容为 {found}，不是允许的类型（{expected}）',
      en: 'Evidence file {field} contains {found}, not an allowed type ({expected})',
    },
  },
  {
    code: 'EVD-EVIDENCE-EXTENSION',
    severity: 'warning',
    category: 'conformity',
    rationale:
      'A file whose name says one type and whose content is another (a PNG named .pdf) opens wrongly for reviewers and may have been renamed to pass a check.',
    message: {
      zh: '证据文件 {field} 的扩展名与内容不符：内容为 {found}',
      en: 'Evidence file {field}: the extension does not match the content, which is {found}',
    },
  },
  {
    code: 'EVD-LAB-REPORT-DATE-FORMAT',
    severity: 'error',
    category: 'conformity',
    rationale: "The lab report's issue date decides whether it belongs to this month; it must be a calendar date (YYYY-MM-DD).",
    message: {
      zh: '{level} {unitId} 的化验报告日期无法识别：{found}（应为 {expected}）',
      en: '{level} {unitId}: the lab report date {found} is not a date ({expected})',
    },
  },
  {
    code: 'EVD-LAB-REPORT-DATE',
    severity: 'warning',
    category: 'plausibility',
    rationale:
      "The lab report on the month's sample is issued during the month or within the 40-day deposit window after it (rule); a date outside it suggests another month's report or an edited date.",
    message: {
      zh: '{level} {unitId} 的化验报告日期 {found} 不在 {expected} 之间',
      en: '{level} {unitId}: the lab report is dated {found}, outside {expected}',
    },
  },
  rangeEntry('coalConsumed', 'COAL'),
  rangeEntry('gasConsumed', 'GAS'),
  rangeEntry('ncvAsReceived', 'NCV'),
  typicalEntry('ncvAsReceived', 'NCV'),
  rangeEntry('carbonAsReceived', 'CARBON'),
  rangeEntry('carbonPerHeat', 'CPH'),
  typicalEntry('carbonPerHeat', 'CPH'),
  rangeEntry('hydrogen', 'H'),
  rangeEntry('sulfur', 'S'),
  rangeEntry('moisture', 'MT'),
  rangeEntry('purchasedElectricity', 'PURCHASED'),
  rangeEntry('powerGenerated', 'GENERATED'),
  rangeEntry('powerSupplied', 'SUPPLIED'),
  rangeEntry('heatSupplied', 'HEAT'),
  rangeEntry('operatingHours', 'HOURS'),
  rangeEntry('loadFactor', 'LOAD'),
  {
    code: 'EVD-PARAM-RANGE',
    industries: industriesWith((p) => p.range !== undefined && p.codes?.range === undefined),
    severity: 'error',
    category: 'plausibility',
    rationale:
      "A value outside its parameter's range in the industry's catalogue is physically impossible (a negative tonnage, a percentage above 100). Ranges are settings (settings.industries.<industry>.ranges, by key or parameter code). Power's parameters keep their own EVD-RANGE-* codes.",
    message: {
      zh: '{level} {unitId} 的{field}为 {found}，超出合理范围 {expected}',
      en: '{level} {unitId}: {field} is {found}, outside the plausible range {expected}',
    },
  },
  {
    code: 'EVD-PARAM-ATYPICAL',
    industries: industriesWith((p) => (p.typical !== undefined || p.typicalByMaterial !== undefined) && p.codes?.typical === undefined),
    severity: 'warning',
    category: 'plausibility',
    rationale:
      "A value inside its range but outside the typical band of its parameter (for its material, where the catalogue has one: coke's NCV is not BFG's) needs a reviewer's look. The typical bands are engineering estimates [est] awaiting the guideline's tables, so they only ever warn; they are settings (settings.industries.<industry>.typical). A value taken at the default is not atypical: the default checks judge it.",
    message: {
      zh: '{level} {unitId} 的{field}为 {found}，不在常见范围 {expected}，请核实',
      en: '{level} {unitId}: {field} is {found}, outside the typical range {expected}; please confirm',
    },
  },
  {
    code: 'EVD-CPH-DEFAULT-WITH-LAB',
    industries: POWER,
    severity: 'warning',
    category: 'plausibility',
    rationale:
      'The default carbon per unit heat (0.03085 tC/GJ) is for units that did not measure; using it while a lab report is attached is a pattern MEE has named (the default is higher than most measured values, but it hides the measurement).',
    message: {
      zh: '{level} {unitId} 附有化验报告，但单位热值含碳量使用了缺省值 {found}',
      en: '{level} {unitId} attaches a lab report but uses the default carbon per unit heat {found}',
    },
  },
  {
    code: 'EVD-CPH-FORMER-DEFAULT',
    industries: POWER,
    severity: 'error',
    category: 'conformity',
    rationale: 'The default carbon per unit heat was lowered from 0.03356 to 0.03085 tC/GJ; the former default is no longer allowed.',
    message: {
      zh: '{level} {unitId} 的单位热值含碳量 {found} 是已废止的缺省值（现行 {expected}）',
      en: '{level} {unitId}: carbon per unit heat {found} is a former default (now {expected})',
    },
  },
  {
    code: 'EVD-DEFAULT-MISMATCH',
    industries: industriesWith((p) => p.default !== undefined && p.default.certainty !== 'est' && p.basis !== 'measured' && p.defaultJudgedBy === undefined),
    severity: 'error',
    category: 'conformity',
    rationale:
      "A parameter taken at the guideline's default (a parameter that is always the default, or one declared 缺省值) must equal the default for the facility and material (the clinker type's process factor, the substitute's deduction coefficient, the anode's sulfur): a different figure is a conformity error (rule). Checked only where the default is read in a published text [rule] or in software implementing the guideline [impl]; relative tolerance 1e-6.",
    message: {
      zh: '{level} {unitId} 的{field}取缺省值，但填报为 {found}，与指南缺省值 {expected} 不符',
      en: "{level} {unitId}: {field} is taken at the default but reported as {found}, unlike the guideline's default {expected}",
    },
  },
  {
    code: 'EVD-DEFAULT-UNCONFIRMED',
    industries: industriesWith((p) => p.default !== undefined && p.default.certainty === 'est' && p.basis !== 'measured' && p.defaultJudgedBy === undefined),
    severity: 'warning',
    category: 'conformity',
    rationale:
      "The same as EVD-DEFAULT-MISMATCH for a default that is an estimate [est] (the guideline's table is not yet verified, e.g. whether cement's carbon per heat defaults to 0.03085): a declared default unlike the value assumed only warns, since the assumption may be what is wrong.",
    message: {
      zh: '{level} {unitId} 的{field}取缺省值，填报为 {found}，与假定缺省值 {expected}（指南表格尚未核实）不符，请核实',
      en: '{level} {unitId}: {field} is taken at the default and reported as {found}, unlike the assumed default {expected} (guideline table not yet verified); please confirm',
    },
  },
  {
    code: 'EVD-DEFAULT-WITH-LAB',
    industries: industriesWith(
      (p) => p.composition === true && p.default !== undefined && p.basis === 'measured-or-default' && p.defaultJudgedBy === undefined,
    ),
    severity: 'warning',
    category: 'conformity',
    rationale:
      "A composition taken at the guideline's default while the facility attaches a lab report is a pattern MEE has named for all four industries: the default hides the measurement. Read as the default: declared 缺省值, or, without a declared basis, a value equal to the default. Power's carbon per heat keeps its own EVD-CPH-DEFAULT-WITH-LAB.",
    message: {
      zh: '{level} {unitId} 附有化验报告，但{field}使用了缺省值 {found}',
      en: '{level} {unitId} attaches a lab report but takes {field} at the default {found}',
    },
  },
  {
    code: 'EVD-CROSS-CPH-CARBON-NCV',
    industries: POWER,
    severity: 'warning',
    category: 'plausibility',
    rationale:
      'Measured carbon per unit heat is elemental carbon ÷ NCV of the same sample (C% ÷ 100 ÷ GJ/t); a value that disagrees was not derived from this lab report.',
    message: {
      zh: '{level} {unitId} 的单位热值含碳量 {found} 与元素碳÷低位发热量 {expected} 不符',
      en: '{level} {unitId}: carbon per unit heat {found} disagrees with carbon ÷ NCV {expected}',
    },
  },
  {
    code: 'EVD-CROSS-NCV-COMPOSITION',
    industries: POWER,
    severity: 'warning',
    category: 'plausibility',
    rationale:
      'NCV, carbon, hydrogen, sulfur and moisture come from the same sample, so the Mendeleev estimate (339C + 1030H − 108.9(O − S) − 25.1(9H + Mt) kJ/kg, oxygen assumed) must roughly agree with the declared NCV.',
    message: {
      zh: '{level} {unitId} 的低位发热量 {found} 与元素分析估算值 {expected} 差异过大',
      en: '{level} {unitId}: NCV {found} is far from the estimate from the elemental analysis {expected}',
    },
  },
  {
    code: 'EVD-CROSS-SUPPLIED-GT-GENERATED',
    industries: POWER,
    severity: 'error',
    category: 'plausibility',
    rationale: 'Power supplied to the grid is generation less auxiliary use; it cannot exceed generation.',
    message: { zh: '{level} {unitId} 供电量 {found} 大于发电量 {expected}', en: '{level} {unitId}: power supplied {found} exceeds power generated {expected}' },
  },
  {
    code: 'EVD-CROSS-AUX-RATE',
    industries: POWER,
    severity: 'warning',
    category: 'plausibility',
    rationale: 'The auxiliary power rate (1 − supplied/generated) of a thermal unit sits at 3–10% (default; configurable).',
    message: { zh: '{level} {unitId} 厂用电率为 {found}，不在 {expected} 范围内', en: '{level} {unitId}: auxiliary power rate is {found}, outside {expected}' },
  },
  {
    code: 'EVD-CROSS-HOURS-GT-MONTH',
    industries: POWER,
    severity: 'error',
    category: 'plausibility',
    rationale: 'A unit cannot run more hours than the month has.',
    message: {
      zh: '{level} {unitId} 运行小时数 {found} 超过当月小时数 {expected}',
      en: '{level} {unitId}: operating hours {found} exceed the hours in the month {expected}',
    },
  },
  {
    code: 'EVD-CROSS-ZERO-HOURS-OUTPUT',
    industries: POWER,
    severity: 'error',
    category: 'plausibility',
    rationale: 'A unit that did not run (0 hours) generates nothing and has a load factor of 0.',
    message: { zh: '{level} {unitId} 运行小时数为 0，但{field}为 {found}', en: '{level} {unitId}: 0 operating hours but {field} is {found}' },
  },
  {
    code: 'EVD-CROSS-GEN-GT-CAPACITY',
    industries: POWER,
    severity: 'error',
    category: 'plausibility',
    rationale: 'Generation cannot exceed installed capacity × operating hours.',
    message: {
      zh: '{level} {unitId} 发电量 {found} 超过装机容量×运行小时 {expected}',
      en: '{level} {unitId}: generation {found} exceeds capacity × hours {expected}',
    },
  },
  {
    code: 'EVD-CROSS-LOAD-FACTOR',
    industries: POWER,
    severity: 'warning',
    category: 'plausibility',
    rationale:
      'The load (output) factor is average load ÷ rated capacity, i.e. generation ÷ (capacity × operating hours); a declared factor far from that was not computed from these figures.',
    message: {
      zh: '{level} {unitId} 的负荷系数 {found} 与发电量÷(装机容量×运行小时) {expected} 不符',
      en: '{level} {unitId}: load factor {found} disagrees with generation ÷ (capacity × hours) {expected}',
    },
  },
  {
    code: 'EVD-CROSS-NET-COAL-RATE',
    industries: POWER,
    severity: 'warning',
    category: 'plausibility',
    rationale: 'Net coal consumption (coal × NCV ÷ 29.271 ÷ supplied) of coal units sits at 260–360 gce/kWh (default; national average ≈ 300).',
    message: { zh: '{level} {unitId} 供电煤耗为 {found}，不在 {expected} 范围内', en: '{level} {unitId}: net coal consumption is {found}, outside {expected}' },
  },
  // Each industry catalogue's cross-checks (industries/*.ts), generated: a new industry file brings its own.
  ...crossCheckEntries(),
  {
    code: 'EVD-EVIDENCE-MISSING',
    severity: 'error',
    category: 'evidence',
    rationale: 'Every evidence file a report names must be in the same deposit, so the value can be traced to its source.',
    message: {
      zh: '{level} {unitId} 的{field}引用的证据文件 {found} 未在本次存证文件夹中。更正：将报告和全部证据文件上传到一个新的存证文件夹（新的存证编号）；已上传的文件不可覆盖',
      en: '{level} {unitId}: evidence file {found} for {field} is not in the deposit folder. To correct: upload the report and all its evidence to a new deposit folder (a new depositId); uploaded files cannot be replaced',
    },
  },
  {
    code: 'EVD-EVIDENCE-HASH-MISMATCH',
    severity: 'error',
    category: 'evidence',
    rationale: 'A declared SHA-256 binds the value to one exact file; a different file may have been swapped in.',
    message: {
      zh: '{level} {unitId} 的证据文件 {field} 哈希不符：实际 {found}，声明 {expected}',
      en: '{level} {unitId}: evidence file {field} has SHA-256 {found}, but the report declares {expected}',
    },
  },
  // Month-over-month signals; their rules are in history-checks.ts.
  history({
    code: 'EVD-HIST-IDENTICAL-MONTH',
    rationale:
      "Values identical to the previous month are a data-fraud pattern MEE has named. Flagged when at least half of a unit's non-zero values (and at least 3) repeat exactly: a steady coal supply repeats a lab value or two, a copied month repeats nearly everything.",
    message: {
      zh: '{level} {unitId} 有 {found} 与上月完全相同（{expected}），请核实是否照抄',
      en: '{level} {unitId}: {found} identical to the previous month ({expected}); check they were not copied',
    },
  }),
  history({
    code: 'EVD-HIST-LAB-REPORT-REUSED',
    rationale:
      "A lab report covers one month's coal sample; the same report number in an earlier month means one test is being passed off as another (MEE-named pattern).",
    message: {
      zh: '{level} {unitId} 的化验报告编号 {found} 已在 {expected} 使用过',
      en: '{level} {unitId}: lab report number {found} was already used for {expected}',
    },
  }),
  history({
    code: 'EVD-HIST-EVIDENCE-REUSED',
    rationale: "An evidence file byte-for-byte identical to one deposited for an earlier month cannot document this month's values.",
    message: {
      zh: '证据文件 {field} 与 {expected} 已存证的文件完全相同（SHA-256 {found}）',
      en: 'Evidence file {field} is identical to a file deposited for {expected} (SHA-256 {found})',
    },
  }),
  history({
    code: 'EVD-HIST-ABRUPT-CHANGE',
    rationale:
      "Coal quality drifts slowly when the supply does not change; a jump beyond the configured band from the previous month needs an explanation (new supplier, wrong sample, typing error). Power's bands are history.changeBands; another industry's are settings.industries.<industry>.changeBands (cement: clinker output ±40 %, an estimate [est]: the kiln stopped or a figure is wrong).",
    message: {
      zh: '{level} {unitId} 的{field}为 {found}，较上月变化超出 {expected}',
      en: '{level} {unitId}: {field} is {found}, a change from the previous month beyond {expected}',
    },
  }),
  history({
    code: 'EVD-HIST-CARBON-CONSTANT',
    industries: POWER,
    rationale:
      'Elemental carbon measured on a new sample each month varies; the same value for several consecutive months suggests one batch test passed off as monthly tests (MEE-named pattern).',
    message: {
      zh: '{level} {unitId} 的{field}连续 {expected} 个月均为 {found}',
      en: '{level} {unitId}: {field} has been {found} for {expected} consecutive months',
    },
  }),
];

const BY_CODE = new Map(CATALOGUE.map((c) => [c.code, c]));

/** The catalogue entry for `code`; a code not in the catalogue is a programming error. */
export function checkDefinition(code: string): CheckEntry {
  const definition = BY_CODE.get(code);
  if (!definition) throw new Error(`no check ${code} in the catalogue`);
  return definition;
}

function fieldName(finding: Finding, language: 'zh' | 'en'): string {
  const field = finding.field;
  if (field === undefined) return '';
  if (finding.fieldName) return `${finding.fieldName[language]} (${field})`;
  return isParameterCode(field) ? `${PARAMETERS[field][language]} (${field})` : field;
}

function interpolate(template: string, finding: Finding, language: 'zh' | 'en'): string {
  return template.replace(/\{(unitId|field|expected|found|row|level)\}/g, (_, name: string) => {
    // The facility's level in its industry (机组, 熟料生产线, 电解系列, 工序); a power unit's without one.
    if (name === 'level') return finding.level?.[language] ?? (language === 'zh' ? '机组' : 'Unit');
    const localised = language === 'zh' ? finding.zh?.[name as 'field' | 'expected' | 'found'] : undefined;
    if (localised !== undefined) return localised;
    if (name === 'field') return fieldName(finding, language);
    const v = finding[name as Exclude<keyof Finding, 'zh'>];
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
  if (finding.zh) bounded.zh = Object.fromEntries(Object.entries(finding.zh).map(([k, v]) => [k, cut(v)]));
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
