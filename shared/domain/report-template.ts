/**
 * The month's report template (月报模板) for one enterprise: an XLSX in the long layout the
 * readers take (report-table.ts), with Chinese headers, one row per registered unit and the
 * parameters its fuel requires, the canonical unit already written, and the lab report rows of a
 * coal unit. Only the values and the evidence file names are left to fill, so a template filled
 * in passes the template checks by construction (test/domain/report-template.test.ts fills one
 * and runs the validator on it). A second sheet explains each parameter; it is visible, and the
 * readers read only the first visible sheet, so it is never judged.
 */
import { type ParameterCode, PARAMETERS, requiredParameters } from './parameters.ts';
import type { Period } from './period.ts';
import type { Enterprise } from './registry.ts';
import { COLUMNS, type Column, LAB_REPORT_NAMES } from './report-table.ts';
import { newWorkbook } from './workbook.ts';

export const TEMPLATE_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The template's columns, in the order the first sheet has them. */
export const TEMPLATE_COLUMNS: readonly Column[] = ['enterpriseId', 'period', 'unitId', 'parameter', 'value', 'unit', 'evidenceFile', 'evidenceSha256'];

/** What a row of the template asks for: a parameter of a unit, or a lab report field. */
export interface TemplateRow {
  readonly unitId: string;
  readonly parameter: ParameterCode | keyof typeof LAB_REPORT_NAMES;
  /** As written in the 参数 column: the Chinese name. */
  readonly name: string;
  /** The canonical unit, empty for the lab report's text fields. */
  readonly unit: string;
}

/** Every row the enterprise fills for the month, unit by unit, in parameter order. */
export function templateRows(enterprise: Pick<Enterprise, 'units'>): TemplateRow[] {
  return enterprise.units.flatMap((unit) => {
    const parameters = requiredParameters(unit.fuel ?? 'coal').map(
      (code): TemplateRow => ({ unitId: unit.unitId, parameter: code, name: PARAMETERS[code].zh, unit: PARAMETERS[code].unit }),
    );
    // A coal unit's carbon content comes from a lab analysis: its report number and date are required with it.
    const lab: TemplateRow[] =
      unit.fuel === 'coal'
        ? (['labReportNo', 'labReportIssuedOn'] as const).map((field) => ({
            unitId: unit.unitId,
            parameter: field,
            name: LAB_REPORT_NAMES[field][0],
            unit: '',
          }))
        : [];
    return [...parameters, ...lab];
  });
}

/** The file name a template is offered under. */
export const templateFileName = (enterpriseId: string, period: Period) => `月报模板_${enterpriseId}_${period}.xlsx`;

/**
 * The template as XLSX bytes. `date` pins the workbook's timestamps (a test compares bytes).
 * Sheet rows are 1-based: the header is row 1, so a template row i (0-based) is sheet row i + 2.
 */
export async function writeTemplate(enterprise: Pick<Enterprise, 'enterpriseId' | 'name' | 'units'>, period: Period, date = new Date(0)): Promise<Uint8Array> {
  const workbook = await newWorkbook();
  workbook.created = date;
  workbook.modified = date;
  workbook.creator = 'evidence-deposit';
  const sheet = workbook.addWorksheet('月度存证');
  sheet.addRow(TEMPLATE_COLUMNS.map((column) => COLUMNS[column][0]));
  for (const row of templateRows(enterprise)) {
    sheet.addRow([enterprise.enterpriseId, period, row.unitId, row.name, null, row.unit, null, null]);
  }
  sheet.getRow(1).font = { bold: true };
  // The credit code, month and unit are text: typed over, Excel would otherwise read 2026-03 as a date.
  for (const column of [1, 2, 3]) sheet.getColumn(column).numFmt = '@';
  sheet.columns.forEach((column, i) => {
    column.width = [22, 10, 10, 20, 14, 10, 28, 66][i] ?? 12;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const notes = workbook.addWorksheet('填写说明');
  notes.addRow([`${enterprise.name}（${enterprise.enterpriseId}）${period} 月报：在第一张表的“数值”列填写数值，“证据文件”列填写同次提交的证据文件名。`]);
  notes.addRow(['参数', '参数代码', '单位', '也接受的单位', '合理范围']);
  for (const code of new Set(templateRows(enterprise).map((r) => r.parameter))) {
    if (!(code in PARAMETERS)) continue;
    const p = PARAMETERS[code as ParameterCode];
    const others = Object.keys(p.units).filter((u) => u !== p.unit);
    notes.addRow([p.zh, p.code, p.unit, others.join('、'), p.range ? `${p.range.min} – ${p.range.max}` : '']);
  }
  notes.addRow([LAB_REPORT_NAMES.labReportNo[0], 'labReportNo', '', '', '化验报告上的编号（燃煤机组）']);
  notes.addRow([LAB_REPORT_NAMES.labReportIssuedOn[0], 'labReportIssuedOn', '', '', 'YYYY-MM-DD（燃煤机组）']);
  notes.columns.forEach((column, i) => {
    column.width = [20, 22, 10, 30, 30][i] ?? 12;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
