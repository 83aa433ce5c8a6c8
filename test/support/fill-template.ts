/**
 * Fills a downloaded month template (shared/domain/report-template.ts) as a clerk does in Excel:
 * the value and the evidence file (and its SHA-256) typed into each row, the 取值方式 where the
 * template asks for it, nothing else touched. The values come from a `MonthlyReport` (the demo's,
 * or one built for a cement works or a steel plant), so the filled file is that deposit. The
 * columns are found by their headers: the power template has eight, the other industries' eleven.
 * A 选填 (optional) row the report has no value for is left empty, as the clerk leaves it; a
 * required one is an error of the test.
 */
import ExcelJS from 'exceljs';
import type { Enterprise } from '#domain/registry.ts';
import type { MonthlyReport } from '#domain/report.ts';
import { COLUMNS, type Column, LAB_REPORT_NAMES } from '#domain/report-table.ts';
import { vocabularyOf } from '#domain/vocabulary.ts';

/** A change to one cell: `value` replaces what the report gives for that unit's parameter (null: left empty). */
export interface Mistake {
  readonly unitId: string;
  /** The key (`operatingHours`, `fuelConsumed[kilnCoal]`) or a lab report field. */
  readonly parameter: string;
  readonly value: string | number | null;
}

const BASIS_ZH = { measured: '实测', default: '缺省值' } as const;

function columnsOf(header: ExcelJS.Row): Partial<Record<Column, number>> {
  const columns: Partial<Record<Column, number>> = {};
  header.eachCell((cell, index) => {
    const text = String(cell.value ?? '').trim();
    for (const [column, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][])
      if (column === text || aliases.includes(text)) columns[column] ??= index;
  });
  return columns;
}

/** Which sheet row holds each unit's parameter, as the clerk sees it (1-based, header = row 1), keyed `unitId/key`. */
export async function fillTemplate(
  bytes: Uint8Array,
  report: MonthlyReport,
  mistakes: readonly Mistake[] = [],
  enterprise?: Enterprise,
): Promise<{ bytes: Uint8Array; rows: Map<string, number> }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the template has no sheet');
  const vocabulary = vocabularyOf(enterprise);
  const columns = columnsOf(sheet.getRow(1));
  const at = (column: Column) => {
    const index = columns[column];
    if (index === undefined) throw new Error(`the template has no ${column} column`);
    return index;
  };
  const rows = new Map<string, number>();
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const text = (column: Column) => (columns[column] === undefined ? '' : String(row.getCell(at(column)).value ?? '').trim());
    const unitId = text('unitId');
    const name = text('parameter');
    const optional = text('requirement') === '选填';
    const unit = report.units.find((u) => u.unitId === unitId);
    const lab = (Object.keys(LAB_REPORT_NAMES) as (keyof typeof LAB_REPORT_NAMES)[]).find((f) => (LAB_REPORT_NAMES[f] as readonly string[]).includes(name));
    const code = lab ?? vocabulary.resolve(unitId, name, text('material'))?.key;
    if (!unit || !code) throw new Error(`the template asks for ${unitId}/${name}, which the report does not have`);
    rows.set(`${unitId}/${code}`, number);
    const mistake = mistakes.find((m) => m.unitId === unitId && m.parameter === code);
    let value: string | number | null = null;
    let file: string | undefined;
    let sha: string | undefined;
    let basis: string | undefined;
    if (code === 'labReportNo' || code === 'labReportIssuedOn') {
      if (!unit.labReport && optional && !mistake) return;
      value = (code === 'labReportNo' ? unit.labReport?.reportNo : unit.labReport?.issuedOn) ?? null;
      if (code === 'labReportNo') {
        file = unit.labReport?.evidenceFile;
        sha = unit.labReport?.evidenceSha256;
      }
    } else {
      const measured = unit.parameters[code];
      const prefilled = row.getCell(at('value')).value;
      if (!measured && (optional || prefilled !== null) && !mistake) return;
      if (!measured) throw new Error(`the report has no ${code} for unit ${unitId}`);
      if (measured.declaredUnit !== text('unit')) throw new Error(`unit ${unitId} ${code}: the report is in ${measured.declaredUnit}`);
      value = measured.declaredValue;
      file = measured.evidenceFile;
      sha = measured.evidenceSha256;
      basis = measured.basis && BASIS_ZH[measured.basis];
    }
    row.getCell(at('value')).value = mistake ? mistake.value : value;
    if (file) row.getCell(at('evidenceFile')).value = file;
    if (sha) row.getCell(at('evidenceSha256')).value = sha;
    if (basis) row.getCell(at('basis')).value = basis;
  });
  return { bytes: new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer), rows };
}
