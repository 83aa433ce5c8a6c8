/**
 * Reports as people lay them out: a title, merged cells or a note above the header; the two wide
 * layouts (a row per unit, a row per parameter); and office formats that are refused by content.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPORT_HEAD_BYTES, reportFormatRefusal } from '#domain/file-types.ts';
import type { MonthlyReport } from '#domain/report.ts';
import { parseCsvTable } from '#domain/report-table.ts';
import { writeCsv, writeXlsx } from '#domain/report-writers.ts';
import { newWorkbook } from '#domain/workbook.ts';
import { admitReport, readReport } from '#domain/validate.ts';
import { demoReport, pdfBytes, zipBytes } from '#examples/demo.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const office = (name: string) => new Uint8Array(readFileSync(new URL(`../corpus/office/${name}`, import.meta.url)));
const source = (name: string) => readFileSync(new URL(`../corpus/office/sources/${name}`, import.meta.url));
const ID = '91360100MA35XXXXXN';
/** Column codes that must not appear inside a Chinese message. */
const CODES = /enterpriseId|period|unitId|parameter|value|unit\b|evidence/;

/** What a report says, without where it said it (rows) or the declared hashes the wide sources leave out. */
function content(report: MonthlyReport | undefined) {
  return report?.units.map((u) => ({
    unitId: u.unitId,
    parameters: Object.fromEntries(Object.entries(u.parameters).map(([code, v]) => [code, { value: Number(v.value.toPrecision(12)), file: v.evidenceFile }])),
    lab: u.labReport && { reportNo: u.labReport.reportNo, issuedOn: u.labReport.issuedOn, file: u.labReport.evidenceFile },
  }));
}

describe('the header is found below title rows, merged cells and notes', () => {
  const report = demoReport();
  const above = '"2026年3月 重点参数月度存证表",,,,,,,\r\n注：数值按台账填写,,,,,,,\r\n,,,,,,,\r\n';

  it('reads a CSV with a title, a note and a blank line above the header, issue rows naming the file lines', async () => {
    // Arrange
    const plain = writeCsv(report, { headers: 'zh', parameterNames: 'zh' });
    const broken = plain.replace('115779.2', 'abc');
    // Act
    const titled = await readReport('r.csv', encode(above + plain));
    const failing = await readReport('r.csv', encode(above + broken));
    const reference = await readReport('r.csv', encode(broken));
    // Assess
    expect(titled.issues).toEqual([]);
    expect(content(titled.report)).toEqual(content((await readReport('r.csv', encode(plain))).report));
    const [issue] = failing.issues;
    const [expected] = reference.issues;
    expect(issue).toMatchObject({ code: 'EVD-PARAM-NOT-NUMBER', row: (expected?.row ?? 0) + 3, cell: `E${(expected?.row ?? 0) + 3}` });
  });

  it('reads an XLSX whose title and enterprise line are merged over the width and whose header cell spans two columns', async () => {
    // Arrange: the template's header at row 4; 证据文件 merged over G and H (no hash column).
    const rows = writeCsv(report, { headers: 'zh' })
      .trim()
      .split('\r\n')
      .map((line) => line.split(',').slice(0, 7));
    const workbook = await newWorkbook();
    const sheet = workbook.addWorksheet('存证表');
    sheet.addRow(['2026年3月 重点参数月度存证表']);
    sheet.addRow([`填报单位：示例发电有限公司  统一社会信用代码：${ID}`]);
    sheet.addRow(['注：数值按台账填写']);
    for (const row of rows) sheet.addRow(row.map((c, i) => (i === 4 && c !== '' && !Number.isNaN(Number(c)) ? Number(c) : c)));
    sheet.mergeCells('A1:H1');
    sheet.mergeCells('A2:H2');
    sheet.mergeCells('G4:H4');
    sheet.getCell('E6').value = 'n/a';
    // Act
    const reading = await readReport('r.xlsx', new Uint8Array(await workbook.xlsx.writeBuffer()));
    // Assess
    expect(reading.issues).toEqual([expect.objectContaining({ code: 'EVD-PARAM-NOT-NUMBER', row: 6, cell: 'E6' })]);
    expect(reading.report?.units.map((u) => u.unitId)).toEqual(['1', '2', '3']);
  });

  it('reads the committed LibreOffice template with merged title rows', async () => {
    const reading = await readReport('t.xlsx', office('title-template.xlsx'));
    expect(reading.issues).toEqual([]);
    expect(content(reading.report)).toEqual(content((await readReport('r.csv', source('long.csv'))).report));
  });

  it('without a header, names in Chinese the row taken, what it held and only the columns it lacks', async () => {
    // Arrange: the header lacks 单位 (and so is no header); the title above it holds no column at all.
    const csv = '2026年3月 重点参数月度存证表,,,,\r\n统一社会信用代码,月份,机组,参数,数值\r\n91360100MA35XXXXXN,2026-03,1,燃煤消耗量,1\r\n';
    // Act
    const { issues } = await readReport('r.csv', encode(csv));
    // Assess
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue).toMatchObject({ code: 'EVD-REPORT-HEADER', row: 2, field: 'unit' });
    expect(issue?.field).not.toEqual(issue?.expected);
    expect(issue?.message.zh).toContain('第 2 行');
    expect(issue?.message.zh).toContain('缺少列：单位');
    expect(issue?.message.zh).toContain('其内容为“统一社会信用代码, 月份, 机组, 参数, 数值”');
    expect(issue?.message.zh).not.toMatch(CODES);
    expect(issue?.message.en).toContain('missing columns: unit');
  });

  it('does not look beyond the first 10 rows', async () => {
    const csv = `${',\r\n'.repeat(10)}${writeCsv(report)}`;
    const { issues } = await readReport('r.csv', encode(csv));
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-REPORT-HEADER', row: 1 })]);
    expect(issues[0]?.message.zh).not.toMatch(CODES);
  });
});

describe('the wide layouts carry the same report as the long one', () => {
  it.each([
    ['one row per unit (Chinese parameter names, units in the headers)', 'unit-rows.csv', 'unit-rows'],
    ['one row per parameter (codes with [unit], units as columns)', 'parameter-rows.csv', 'parameter-rows'],
  ])('%s', async (_name, file, layout) => {
    // Act
    const wide = await readReport('r.csv', source(file));
    const long = await readReport('r.csv', source('long.csv'));
    // Assess
    expect(wide.issues).toEqual([]);
    expect((await parseCsvTable(source(file))).table?.layout).toBe(layout);
    expect(content(wide.report)).toEqual(content(long.report));
    expect(wide.report?.units).toHaveLength(3);
  });

  it('one row per unit: issues name the value cell, a unit in the header converts, an evidence column binds to its left', async () => {
    const csv = [
      '统一社会信用代码,月份,机组编号,燃煤消耗量(t),证据文件,发电量（kWh）,供电量(桶),备注',
      `${ID},2026-03,1,abc,u1.pdf,1000,5,`,
      `${ID},2026-03,2,/,,2000,,`,
    ].join('\r\n');
    const reading = await readReport('r.csv', encode(csv));
    expect(reading.issues).toEqual([
      expect.objectContaining({ code: 'EVD-PARAM-NOT-NUMBER', unitId: '1', field: 'coalConsumed', row: 2, cell: 'D2' }),
      expect.objectContaining({ code: 'EVD-PARAM-UNIT', unitId: '1', field: 'powerSupplied', found: '桶', cell: 'G1' }),
    ]);
    const [one, two] = reading.report?.units ?? [];
    expect(one?.parameters.powerGenerated).toMatchObject({ value: 1, declaredValue: 1000, declaredUnit: 'kWh', row: 2 });
    expect(one?.unreadable).toEqual(['coalConsumed', 'powerSupplied']);
    // "/" and an empty cell are not reported values (a coal column on a gas unit), not empty ones.
    expect(Object.keys(two?.parameters ?? {})).toEqual(['powerGenerated']);
  });

  it('one row per parameter: issues name the unit column cell, evidence rows bind to the parameter above', async () => {
    const csv = [
      '参数,单位,1,2',
      `统一社会信用代码,,${ID},${ID}`,
      '月份,,2026-03,2026-02',
      '燃煤消耗量,t,100,abc',
      '证据文件,,a.pdf,b.pdf',
      '煤耗,g/kWh,300,',
      '化验报告编号,,LAB-1,',
    ].join('\r\n');
    const reading = await readReport('r.csv', encode(csv));
    expect(reading.issues).toEqual([
      expect.objectContaining({ code: 'EVD-PARAM-UNKNOWN', unitId: '1', field: '煤耗', row: 6, cell: 'A6' }),
      expect.objectContaining({ code: 'EVD-REPORT-INCONSISTENT', field: 'period', row: 3, cell: 'D3' }),
      expect.objectContaining({ code: 'EVD-PARAM-NOT-NUMBER', unitId: '2', field: 'coalConsumed', row: 4, cell: 'D4' }),
    ]);
    expect(reading.issues[1]?.message.zh).toBe('第 3 行的月份为 2026-02，与首行的 2026-03 不一致');
    const [one] = reading.report?.units ?? [];
    expect(one?.parameters.coalConsumed).toMatchObject({ value: 100, declaredUnit: 't', evidenceFile: 'a.pdf', row: 4 });
    expect(one?.labReport?.reportNo).toBe('LAB-1');
  });

  it('one row per parameter without the enterprise and month rows is refused, in Chinese without column codes', async () => {
    const { issues } = await readReport('r.csv', encode('参数,1,2\r\n燃煤消耗量(t),100,200\r\n'));
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-REPORT-HEADER', row: 1, field: 'enterpriseId, period' })]);
    expect(issues[0]?.message.zh).toContain('统一社会信用代码、月份');
    expect(issues[0]?.message.zh).not.toMatch(CODES);
  });

  it('a parameter column given twice in a unit-row header is refused as a duplicate', async () => {
    const csv = `统一社会信用代码,月份,机组编号,燃煤消耗量(t),coalConsumed [kt]\r\n${ID},2026-03,1,1,2\r\n`;
    const { issues } = await readReport('r.csv', encode(csv));
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-REPORT-COLUMN-DUPLICATE', field: 'coalConsumed', cell: 'E1' })]);
  });
});

describe('office formats that are not read are refused by content, with what to save instead', () => {
  const head = (bytes: Uint8Array) => bytes.subarray(0, REPORT_HEAD_BYTES);
  const xls = office('short-libreoffice.xls');
  const ods = office('short-libreoffice.ods');
  const numbers = zipBytes([{ name: 'Index/Document.iwa', data: encode('x') }]);

  it.each([
    ['an .xls (OLE2)', 'report.xls', xls, 'Excel 97–2003', 'Excel 97-2003 工作簿'],
    ['an .xls renamed .xlsx', 'report.xlsx', xls, 'OLE2 compound file), named .xlsx', '文件名却为 .xlsx'],
    ['a WPS .et (OLE2)', 'report.et', xls, 'WPS spreadsheet (.et', 'WPS 表格文件'],
    ['an .ods', 'report.ods', ods, 'OpenDocument spreadsheet (.ods)', 'OpenDocument 电子表格'],
    ['an .ods renamed .csv', 'report.csv', ods, 'OpenDocument spreadsheet (.ods), named .csv', 'OpenDocument 电子表格'],
    ['a Numbers document', 'report.numbers', numbers, 'Apple Numbers', 'Apple Numbers 文稿'],
    ['a PDF', 'report.pdf', pdfBytes('x'), 'a PDF document', 'PDF 文档'],
    ['text named .xls', 'report.xls', encode('a,b\r\n'), 'a file named .xls', '扩展名为 .xls 的文件'],
  ])('%s', async (_name, fileName, bytes, en, zh) => {
    // Act
    const refusal = reportFormatRefusal(fileName, head(bytes));
    const reading = await readReport(fileName, bytes);
    // Assess
    expect(refusal).toMatchObject({ code: 'EVD-FILE-FORMAT-UNSUPPORTED', severity: 'error' });
    expect(refusal?.found).toContain(en);
    expect(refusal?.message.zh).toContain(zh);
    expect(refusal?.message.zh).toContain('另存为” XLSX（Excel 工作簿）或 CSV');
    expect(refusal?.message.en).toContain('Save it as XLSX (Excel workbook) or CSV');
    expect(reading.issues).toEqual([refusal]);
  });

  it('refuses nothing that is read: XLSX, CSV, JSON', async () => {
    const report = demoReport();
    expect(reportFormatRefusal('r.xlsx', head(await writeXlsx(report)))).toBeUndefined();
    expect(reportFormatRefusal('r.csv', head(encode(writeCsv(report))))).toBeUndefined();
    expect(reportFormatRefusal('r.json', encode('{}'))).toBeUndefined();
    expect(reportFormatRefusal('r.xlsx', office('long-libreoffice.xlsx').subarray(0, REPORT_HEAD_BYTES))).toBeUndefined();
  });

  it('admits an office format to be read, so its refusal can name the content; other names stay refused by name', () => {
    const key = { kind: 'report' as const, enterpriseId: ID, period: '2026-03', depositId: 'd1' };
    expect(admitReport({ ...key, fileName: '月度存证.xls' }, 6144)).toEqual([]);
    expect(admitReport({ ...key, fileName: 'report.txt' }, 10)).toEqual([expect.objectContaining({ code: 'EVD-FILE-TYPE' })]);
  });
});

describe('the long layout’s optional columns: 物料, 取值方式, 填报要求', () => {
  const header = '统一社会信用代码,月份,设施,参数,物料,数值,单位,取值方式,证据文件,填报要求';
  const line = (...cells: string[]) => [ID, '2026-03', ...cells].join(',');

  it('joins the 物料 column to the parameter, reads the basis, and takes a 选填 row left empty as not reported', async () => {
    const csv = [
      header,
      line('L1', '化石燃料消耗量', '入窑煤', '16000', 't', '', 'L1-ledger.pdf', '必填'),
      line('L1', '单位热值含碳量', '入窑煤', '0.03085', 'tC/GJ', '缺省值', '', '必填'),
      line('L1', '余热发电量', '', '', 'MWh', '', '', '选填'),
      line('L1', '化验报告编号', '', '', '', '', '', '选填'),
      line('L1', '化验报告日期', '', '/', '', '', '', '选填'),
    ].join('\r\n');
    const { report, issues } = await readReport('r.csv', encode(csv));
    expect(issues).toEqual([]);
    expect(report?.units[0]?.parameters).toEqual({
      'fuelConsumed[kilnCoal]': expect.objectContaining({ value: 16000, evidenceFile: 'L1-ledger.pdf' }),
      'carbonPerHeat[kilnCoal]': expect.objectContaining({ value: 0.03085, basis: 'default' }),
    });
    expect(report?.units[0]?.labReport).toBeUndefined();
  });

  it('still reads a 选填 row that has evidence, or a 必填 row left empty, so its problem is named at its cell', async () => {
    const csv = [header, line('L1', '余热发电量', '', '', 'MWh', '', 'L1-ledger.pdf', '选填'), line('L1', '熟料产量', '', '', 't', '', '', '必填')].join(
      '\r\n',
    );
    const { issues } = await readReport('r.csv', encode(csv));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'EVD-PARAM-EMPTY', field: 'wasteHeatPower', cell: 'F2' }),
      expect.objectContaining({ code: 'EVD-PARAM-EMPTY', field: 'clinkerOutput', cell: 'F3' }),
    ]);
  });
});
