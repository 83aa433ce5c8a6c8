/**
 * The month template (shared/domain/report-template.ts): what it asks for is what the validator
 * requires of the enterprise's units, in the layout the readers take, so a template filled in
 * with good values and evidence passes, and one mistake typed into it is found at its own cell.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { EvidenceFile } from '#domain/checks.ts';
import { EVIDENCE_HEAD_BYTES } from '#domain/file-types.ts';
import { requiredParameters } from '#domain/parameters.ts';
import { templateFileName, templateRows, writeTemplate } from '#domain/report-template.ts';
import { validateDeposit } from '#domain/validate.ts';
import { DEMO_ENTERPRISE, DEMO_PERIOD, declareHashes, demoEvidence, demoReport } from '#examples/demo.ts';
import { fillTemplate } from '../support/fill-template.ts';

const evidenceFiles = demoEvidence(DEMO_PERIOD);
const evidence: EvidenceFile[] = evidenceFiles.map((file) => ({
  fileName: file.fileName,
  key: `evidence/${file.fileName}`,
  size: file.bytes.length,
  sha256: createHash('sha256').update(file.bytes).digest('hex'),
  head: file.bytes.subarray(0, EVIDENCE_HEAD_BYTES),
}));

async function validate(bytes: Uint8Array, withEvidence = evidence) {
  const { validation } = await validateDeposit({
    key: {
      kind: 'report',
      enterpriseId: DEMO_ENTERPRISE.enterpriseId,
      period: DEMO_PERIOD,
      depositId: 'template',
      fileName: templateFileName(DEMO_ENTERPRISE.enterpriseId, DEMO_PERIOD),
    },
    reportSize: bytes.length,
    reportBytes: bytes,
    enterprise: DEMO_ENTERPRISE,
    evidence: withEvidence,
    receivedAt: new Date('2026-04-10T02:00:00Z'),
  });
  return validation;
}

describe('the month template', () => {
  it('asks each unit for the parameters its fuel requires, and a coal unit for its lab report', () => {
    const rows = templateRows(DEMO_ENTERPRISE);
    for (const unit of DEMO_ENTERPRISE.units) {
      const asked = rows.filter((r) => r.unitId === unit.unitId).map((r) => r.parameter);
      const lab = unit.fuel === 'coal' ? ['labReportNo', 'labReportIssuedOn'] : [];
      expect(asked).toEqual([...requiredParameters(unit.fuel ?? 'coal'), ...lab]);
    }
  });

  it('is pre-filled with the credit code, the month, the units, Chinese names and canonical units', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await writeTemplate(DEMO_ENTERPRISE, DEMO_PERIOD)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getRow(1).values).toEqual([undefined, '统一社会信用代码', '月份', '机组', '参数', '数值', '单位', '证据文件', '证据SHA256']);
    expect(sheet.getRow(2).values).toEqual([undefined, '91360100MA35XXXXXN', '2026-03', '1', '燃煤消耗量', undefined, 't']);
    expect(sheet.rowCount).toBe(1 + templateRows(DEMO_ENTERPRISE).length);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['月度存证', '填写说明']);
  });

  it('left empty, says only that values are missing: nothing about its own layout', async () => {
    const validation = await validate(await writeTemplate(DEMO_ENTERPRISE, DEMO_PERIOD));
    expect(validation.verdict).toBe('returned');
    // Every value empty (one issue per row, at its 数值 cell) and so no lab report: nothing else.
    expect([...new Set(validation.issues.map((i) => i.code))].sort()).toEqual(['EVD-LAB-REPORT-MISSING', 'EVD-PARAM-EMPTY']);
    // An empty lab report number is reported without its cell (report.ts); the parameters carry theirs.
    const empty = validation.issues.filter((i) => i.code === 'EVD-PARAM-EMPTY' && i.field !== 'labReportNo');
    expect(empty).toHaveLength(templateRows(DEMO_ENTERPRISE).filter((r) => !r.parameter.startsWith('labReport')).length);
    expect(empty.filter((i) => i.cell !== `E${i.row}`)).toEqual([]);
  });

  it('filled with the demo values and evidence, is accepted', async () => {
    const report = declareHashes(demoReport(DEMO_PERIOD, evidenceFiles), evidenceFiles);
    const { bytes } = await fillTemplate(await writeTemplate(DEMO_ENTERPRISE, DEMO_PERIOD), report);
    const validation = await validate(bytes);
    expect(validation.issues).toEqual([]);
    expect(validation.verdict).toBe('accepted');
  });

  it('filled with one value out of range, names that cell', async () => {
    const report = declareHashes(demoReport(DEMO_PERIOD, evidenceFiles), evidenceFiles);
    const { bytes, rows } = await fillTemplate(await writeTemplate(DEMO_ENTERPRISE, DEMO_PERIOD), report, [
      { unitId: '1', parameter: 'operatingHours', value: 900 },
    ]);
    const validation = await validate(bytes);
    const range = validation.issues.find((i) => i.code === 'EVD-RANGE-HOURS');
    expect(range).toMatchObject({ unitId: '1', row: rows.get('1/operatingHours') });
    expect(validation.verdict).toBe('returned');
  });
});
