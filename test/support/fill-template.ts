/**
 * Fills a downloaded month template (shared/domain/report-template.ts) as a clerk does in Excel:
 * the value and the evidence file (and its SHA-256) typed into each row, nothing else touched.
 * The values come from a `MonthlyReport` (the demo's), so the filled file is the demo deposit.
 */
import ExcelJS from 'exceljs';
import { resolveParameter } from '#domain/report.ts';
import type { MonthlyReport } from '#domain/report.ts';

/** A change to one cell: `value` replaces what the report gives for that unit's parameter (null: left empty). */
export interface Mistake {
  readonly unitId: string;
  readonly parameter: string;
  readonly value: string | number | null;
}

/** Which sheet row holds each unit's parameter, as the clerk sees it (1-based, header = row 1). */
export async function fillTemplate(
  bytes: Uint8Array,
  report: MonthlyReport,
  mistakes: readonly Mistake[] = [],
): Promise<{ bytes: Uint8Array; rows: Map<string, number> }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the template has no sheet');
  const rows = new Map<string, number>();
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const unitId = String(row.getCell(3).value);
    const name = String(row.getCell(4).value);
    const unit = report.units.find((u) => u.unitId === unitId);
    const code = name === '化验报告编号' ? 'labReportNo' : name === '化验报告日期' ? 'labReportIssuedOn' : resolveParameter(name);
    if (!unit || !code) throw new Error(`the template asks for ${unitId}/${name}, which the report does not have`);
    rows.set(`${unitId}/${code}`, number);
    const mistake = mistakes.find((m) => m.unitId === unitId && m.parameter === code);
    let value: string | number | null = null;
    let file: string | undefined;
    let sha: string | undefined;
    if (code === 'labReportNo' || code === 'labReportIssuedOn') {
      value = (code === 'labReportNo' ? unit.labReport?.reportNo : unit.labReport?.issuedOn) ?? null;
      if (code === 'labReportNo') {
        file = unit.labReport?.evidenceFile;
        sha = unit.labReport?.evidenceSha256;
      }
    } else {
      const measured = unit.parameters[code];
      if (!measured) throw new Error(`the report has no ${code} for unit ${unitId}`);
      if (measured.declaredUnit !== String(row.getCell(6).value)) throw new Error(`unit ${unitId} ${code}: the report is in ${measured.declaredUnit}`);
      value = measured.declaredValue;
      file = measured.evidenceFile;
      sha = measured.evidenceSha256;
    }
    row.getCell(5).value = mistake ? mistake.value : value;
    if (file) row.getCell(7).value = file;
    if (sha) row.getCell(8).value = sha;
  });
  return { bytes: new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer), rows };
}
