/**
 * Writes the sources LibreOffice turns into the office corpus files (see README.md here): the
 * demo deposit's report (examples/demo.ts, so the demo evidence files match it) in the long
 * template, in both wide layouts, and in a government-style template with a merged title row.
 * Run: node --import tsx test/corpus/office/make-sources.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PARAMETER_CODES, PARAMETERS, type ParameterCode } from '#domain/parameters.ts';
import type { MonthlyReport } from '#domain/report.ts';
import { type Cell, csvOfRows, reportRows } from '#domain/report-writers.ts';
import { demoReport } from '#examples/demo.ts';

const dir = fileURLToPath(new URL('./sources/', import.meta.url));
mkdirSync(dir, { recursive: true });
const report: MonthlyReport = demoReport();
const write = (name: string, text: string) => writeFileSync(`${dir}${name}`, text);

/** The parameters any unit reports, with the unit they are written in (the declared one when all units agree). */
function columnsOf(r: MonthlyReport): { code: ParameterCode; unit: string }[] {
  return PARAMETER_CODES.filter((code) => r.units.some((u) => u.parameters[code])).map((code) => {
    const declared = new Set(r.units.flatMap((u) => (u.parameters[code] ? [u.parameters[code].declaredUnit] : [])));
    return { code, unit: declared.size === 1 ? ([...declared][0] ?? PARAMETERS[code].unit) : PARAMETERS[code].unit };
  });
}

function valueIn(r: MonthlyReport, unitId: string, code: ParameterCode, unit: string): Cell {
  const v = r.units.find((u) => u.unitId === unitId)?.parameters[code];
  if (!v) return null;
  return v.declaredUnit === unit ? v.declaredValue : v.value;
}

// The long template, Chinese headers and parameter names (as a Chinese user's sheet has them).
write('long.csv', csvOfRows(reportRows(report, { headers: 'zh', parameterNames: 'zh' })));

// One row per unit: Chinese parameter names with the unit in the header, an evidence column after each.
const columns = columnsOf(report);
const unitRows: Cell[][] = [
  [
    '统一社会信用代码',
    '月份',
    '机组编号',
    ...columns.flatMap((c) => [`${PARAMETERS[c.code].zh}(${c.unit})`, '证据文件']),
    '化验报告编号',
    '证据文件',
    '化验报告日期',
    '备注',
  ],
  ...report.units.map((u) => [
    report.enterpriseId,
    report.period,
    u.unitId,
    ...columns.flatMap((c) => [valueIn(report, u.unitId, c.code, c.unit), u.parameters[c.code]?.evidenceFile ?? null]),
    u.labReport?.reportNo ?? null,
    u.labReport?.evidenceFile ?? null,
    u.labReport?.issuedOn ?? null,
    null,
  ]),
];
write('unit-rows.csv', csvOfRows(unitRows));

// One row per parameter: English codes with the unit in brackets, a column per unit, an evidence row under each.
const ids = report.units.map((u) => u.unitId);
const unit = (id: string) => report.units.find((u) => u.unitId === id);
const parameterRows: Cell[][] = [
  ['parameter', ...ids],
  ['enterpriseId', ...ids.map(() => report.enterpriseId)],
  ['period', ...ids.map(() => report.period)],
  ...columns.flatMap((c) => [
    [`${c.code} [${c.unit}]`, ...ids.map((id) => valueIn(report, id, c.code, c.unit))],
    ['evidenceFile', ...ids.map((id) => unit(id)?.parameters[c.code]?.evidenceFile ?? null)],
  ]),
  ['labReportNo', ...ids.map((id) => unit(id)?.labReport?.reportNo ?? null)],
  ['evidenceFile', ...ids.map((id) => unit(id)?.labReport?.evidenceFile ?? null)],
  ['labReportIssuedOn', ...ids.map((id) => unit(id)?.labReport?.issuedOn ?? null)],
];
write('parameter-rows.csv', csvOfRows(parameterRows));

// A government-style template: a title merged over the table's width, a merged line naming the
// enterprise, a note, then the long table with Chinese headers. Flat ODF XML, so the merges are real.
const long = reportRows(report, { headers: 'zh', parameterNames: 'zh' });
const width = long[0]?.length ?? 8;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cell = (c: Cell) =>
  c === null
    ? '<table:table-cell/>'
    : typeof c === 'number'
      ? `<table:table-cell office:value-type="float" office:value="${c}"><text:p>${c}</text:p></table:table-cell>`
      : `<table:table-cell office:value-type="string"><text:p>${esc(c)}</text:p></table:table-cell>`;
const merged = (text: string) =>
  `<table:table-row><table:table-cell table:number-columns-spanned="${width}" office:value-type="string"><text:p>${esc(text)}</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="${width - 1}"/></table:table-row>`;
const [y, m] = report.period.split('-').map(Number);
write(
  'title-template.fods',
  `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="存证表">
${merged(`${y}年${m}月 重点参数月度存证表`)}
${merged(`填报单位（盖章）：示例发电有限公司    统一社会信用代码：${report.enterpriseId}`)}
<table:table-row><table:table-cell office:value-type="string"><text:p>注：数值按台账填写，单位见“单位”列。</text:p></table:table-cell></table:table-row>
${long.map((row) => `<table:table-row>${row.map(cell).join('')}</table:table-row>`).join('\n')}
</table:table></office:spreadsheet></office:body></office:document>
`,
);
console.log(`wrote sources to ${dir}`);
