/**
 * The formats for every industry: a cement, a steel and an aluminium template (and one of an
 * enterprise of two industries) filled in as the clerk fills it and validated raise no template
 * shape issue; left empty, the optional rows raise none at all; the wide layouts take every
 * industry's names; and any report of any industry round-trips through CSV (UTF-8, BOM, GB18030),
 * XLSX and JSON, with English or Chinese names.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvidenceFile } from '#domain/checks.ts';
import { EVIDENCE_HEAD_BYTES } from '#domain/file-types.ts';
import { expectedParameters } from '#domain/industry.ts';
import { industryCatalogue } from '#domain/industries/index.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { MonthlyReport } from '#domain/report.ts';
import { templateFileName, templateRows, writeTemplate } from '#domain/report-template.ts';
import { writeCsv, writeCsvBytes, writeJson, writeXlsx, withoutRows } from '#domain/report-writers.ts';
import { readReport, validateDeposit } from '#domain/validate.ts';
import type { DemoFile } from '#examples/demo.ts';
import { DEMO_ENTERPRISE } from '#examples/enterprise.ts';
import {
  ALUMINIUM_ENTERPRISE,
  CEMENT_ENTERPRISE,
  CEMENT_TWO_LINES_ENTERPRISE,
  industryEvidence,
  industryReport,
  STEEL_ENTERPRISE,
} from '#examples/industries.ts';
import { precheck } from '#web/portal/precheck.ts';
import { fillTemplate } from '../support/fill-template.ts';
import { industryReportArbitrary } from './arbitraries.ts';

const PERIOD = '2026-03';
const SHAPE = ['EVD-PARAM-UNKNOWN', 'EVD-PARAM-MISSING', 'EVD-PARAM-UNIT', 'EVD-PARAM-EXTRA', 'EVD-PARAM-EMPTY', 'EVD-PARAM-DUPLICATE', 'EVD-REPORT-HEADER'];

const asEvidence = (files: readonly DemoFile[]): EvidenceFile[] =>
  files.map((file) => ({
    fileName: file.fileName,
    key: `evidence/${file.fileName}`,
    size: file.bytes.length,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    head: file.bytes.subarray(0, EVIDENCE_HEAD_BYTES),
  }));

async function validate(enterprise: Enterprise, bytes: Uint8Array, evidence: EvidenceFile[] = []) {
  const { validation, report } = await validateDeposit({
    key: {
      kind: 'report',
      enterpriseId: enterprise.enterpriseId,
      period: PERIOD,
      depositId: 'template',
      fileName: templateFileName(enterprise.enterpriseId, PERIOD),
    },
    reportSize: bytes.length,
    reportBytes: bytes,
    enterprise,
    evidence,
    receivedAt: new Date('2026-04-10T02:00:00Z'),
  });
  return { validation, report };
}

/** A power and cement company: the template has both, under the 设施 header. */
const MIXED: Enterprise = {
  ...CEMENT_ENTERPRISE,
  enterpriseId: '91360100MA35XXXXXN',
  industries: [
    { industry: 'power', obligedFrom: '2024-01' },
    { industry: 'cement', obligedFrom: '2025-07' },
  ],
  industry: 'power',
  obligedFrom: '2024-01',
  units: [...DEMO_ENTERPRISE.units.map((u) => ({ ...u, industry: 'power' })), ...CEMENT_ENTERPRISE.units],
};

async function sheetOf(bytes: Uint8Array, index = 0) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook.worksheets[index] as ExcelJS.Worksheet;
}

describe.each([
  ['cement', CEMENT_ENTERPRISE],
  ['cement, two lines', CEMENT_TWO_LINES_ENTERPRISE],
  ['steel', STEEL_ENTERPRISE],
  ['aluminium', ALUMINIUM_ENTERPRISE],
] as const)('the %s template', (_name, enterprise) => {
  it('asks each facility for every key its catalogue expects, in catalogue order, then its lab report', () => {
    const rows = templateRows(enterprise, PERIOD);
    for (const facility of enterprise.units) {
      const catalogue = industryCatalogue(facility.industry ?? 'power');
      if (!catalogue) throw new Error('no catalogue');
      const keys = rows.filter((r) => r.unitId === facility.unitId && !r.parameter.startsWith('labReport')).map((r) => r.parameter);
      expect(keys).toEqual(expectedParameters(catalogue, facility).map((e) => e.key));
    }
  });

  it('filled in with a clean month and its evidence, raises no template shape issue', async () => {
    const evidence = industryEvidence(enterprise, PERIOD);
    const report = industryReport(enterprise, PERIOD, { evidence });
    const { bytes } = await fillTemplate(await writeTemplate(enterprise, PERIOD), report, [], enterprise);
    const { validation, report: read } = await validate(enterprise, bytes, asEvidence(evidence));
    expect(validation.issues.filter((i) => SHAPE.includes(i.code))).toEqual([]);
    // What was typed in is what was read: the template carries the month without loss.
    expect(read && withoutRows(read)).toEqual(withoutRows(report));
  });

  it('left empty, says only that required values are missing: the optional rows and the pre-filled defaults raise nothing', async () => {
    const { validation } = await validate(enterprise, await writeTemplate(enterprise, PERIOD));
    const rows = templateRows(enterprise, PERIOD);
    const empty = validation.issues.filter((i) => i.code === 'EVD-PARAM-EMPTY');
    const toFill = rows.filter((r) => r.required && r.value === undefined);
    expect(empty.map((i) => `${i.unitId}/${i.field}`).sort()).toEqual(toFill.map((r) => `${r.unitId}/${r.parameter}`).sort());
    expect(validation.issues.filter((i) => SHAPE.includes(i.code) && i.code !== 'EVD-PARAM-EMPTY')).toEqual([]);
  });
});

describe('the template of the new industries', () => {
  it('writes the material, the unit of a gas, the guideline defaults, and asks 取值方式 where either is allowed', async () => {
    const sheet = await sheetOf(await writeTemplate(STEEL_ENTERPRISE, PERIOD));
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '统一社会信用代码',
      '月份',
      '工序',
      '参数',
      '物料',
      '数值',
      '单位',
      '取值方式',
      '证据文件',
      '证据SHA256',
      '填报要求',
    ]);
    const find = (unitId: string, name: string, material?: string) =>
      (sheet.getSheetValues() as unknown[][]).find((r) => r?.[3] === unitId && r[4] === name && (material === undefined || r[5] === material));
    expect(find('IRON', '净消耗量', '高炉煤气')?.slice(1, 8)).toEqual([
      STEEL_ENTERPRISE.enterpriseId,
      PERIOD,
      'IRON',
      '净消耗量',
      '高炉煤气',
      undefined,
      '10^4Nm3',
    ]);
    expect(find('IRON', '低位发热量', '高炉煤气')?.[7]).toBe('GJ/10^4Nm3');
    // carbonPerHeat may be measured or the default: the row asks for the basis.
    const cement = await sheetOf(await writeTemplate(CEMENT_ENTERPRISE, PERIOD));
    const rowOf = (name: string, material?: string) =>
      (cement.getSheetValues() as unknown[][]).findIndex((r) => r?.[4] === name && (material === undefined || r[5] === material));
    const factor = cement.getRow(rowOf('熟料过程排放因子'));
    expect([factor.getCell(6).value, factor.getCell(7).value, factor.getCell(11).value]).toEqual([0.535, 'tCO2/t', '必填']);
    expect(cement.getRow(rowOf('替代原料扣减系数', '电石渣')).getCell(6).value).toBe(0.48);
    expect(cement.getRow(rowOf('单位热值含碳量', '入窑煤')).getCell(8).dataValidation).toMatchObject({ type: 'list', formulae: ['"实测,缺省值"'] });
    expect(cement.getRow(rowOf('余热发电量')).getCell(11).value).toBe('选填');
    expect(cement.getRow(rowOf('化验报告编号')).getCell(11).value).toBe('选填');
  });

  it('explains every key from the catalogue: unit, required or optional, basis, default with its certainty, ranges, evidence', async () => {
    const notes = await sheetOf(await writeTemplate(CEMENT_ENTERPRISE, PERIOD), 1);
    const rows = (notes.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    const byCode = (code: string) => rows.find((r) => r[1] === code);
    expect(byCode('clinkerProcessFactor')).toEqual(expect.arrayContaining(['熟料过程排放因子', 'tCO2/t', '必填', '缺省值', '0.535（第三方转录）']));
    expect(byCode('carbonPerHeat[kilnCoal]')).toEqual(
      expect.arrayContaining(['单位热值含碳量', '入窑煤', '实测或缺省值', '0.03085（估算 / estimate）', '0.024 – 0.028（估算 / estimate）']),
    );
    expect(byCode('clinkerOutput')?.[11]).toBe('生产报表、熟料库盘库记录');
    expect(byCode('wasteHeatPower')?.[6]).toBe('选填');
    expect(byCode('labReportNo')?.[6]).toMatch(/^选填/);
  });

  it('of a power and cement company has both, power rows unchanged, under a 设施 header', async () => {
    const rows = templateRows(MIXED, PERIOD);
    expect(new Set(rows.map((r) => r.unitId))).toEqual(new Set(['1', '2', '3', 'L1']));
    const sheet = await sheetOf(await writeTemplate(MIXED, PERIOD));
    expect(sheet.getRow(1).getCell(3).value).toBe('设施');
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      MIXED.enterpriseId,
      PERIOD,
      '1',
      '燃煤消耗量',
      undefined,
      undefined,
      't',
      undefined,
      undefined,
      undefined,
      '必填',
    ]);
    // Before cement was obliged (2025-07), only the power units are asked for: the power template.
    expect(new Set(templateRows(MIXED, '2025-03').map((r) => r.unitId))).toEqual(new Set(['1', '2', '3']));
    expect((await sheetOf(await writeTemplate(MIXED, '2025-03'))).getRow(1).cellCount).toBe(8);
  });

  it('filled with only the required rows (no auxiliary figure, no lab report, every composition at its default) raises no shape issue', async () => {
    const evidence = industryEvidence(CEMENT_ENTERPRISE, PERIOD);
    const full = industryReport(CEMENT_ENTERPRISE, PERIOD, { evidence });
    const unit = full.units[0] as MonthlyReport['units'][number];
    const { wasteHeatPower: _aux, ...parameters } = unit.parameters;
    const { labReport: _lab, ...rest } = unit;
    const atDefaults = Object.fromEntries(
      Object.entries(parameters).map(([key, v]) =>
        key.startsWith('carbonPerHeat[') ? [key, { ...v, declaredValue: 0.03085, value: 0.03085, basis: 'default' as const }] : [key, v],
      ),
    );
    const report: MonthlyReport = { ...full, units: [{ ...rest, parameters: atDefaults }] };
    const { bytes } = await fillTemplate(await writeTemplate(CEMENT_ENTERPRISE, PERIOD), report, [], CEMENT_ENTERPRISE);
    const { validation, report: read } = await validate(CEMENT_ENTERPRISE, bytes, asEvidence(evidence));
    expect(validation.issues.filter((i) => SHAPE.includes(i.code))).toEqual([]);
    expect(read?.units[0]?.labReport).toBeUndefined();
    expect(read?.units[0]?.parameters.wasteHeatPower).toBeUndefined();
    expect(read?.units[0]?.parameters['carbonPerHeat[kilnCoal]']).toMatchObject({ value: 0.03085, basis: 'default' });
  });
});

describe('the portal’s pre-check of a filled template of the new industries', () => {
  it('points a per-material value’s issue at its 数值 cell (the key read from the 参数 and 物料 columns)', async () => {
    const evidence = industryEvidence(CEMENT_ENTERPRISE, PERIOD);
    const report = industryReport(CEMENT_ENTERPRISE, PERIOD, { evidence });
    const { bytes, rows } = await fillTemplate(
      await writeTemplate(CEMENT_ENTERPRISE, PERIOD),
      report,
      [{ unitId: 'L1', parameter: 'substituteConsumed[carbideSlag]', value: -5 }],
      CEMENT_ENTERPRISE,
    );
    const chosen = (fileName: string, content: Uint8Array) => ({
      file: new File([new Uint8Array(content)], fileName),
      fileName,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      head: content.subarray(0, EVIDENCE_HEAD_BYTES),
    });
    const result = await precheck({
      enterprise: CEMENT_ENTERPRISE,
      period: PERIOD,
      report: chosen(templateFileName(CEMENT_ENTERPRISE.enterpriseId, PERIOD), bytes),
      evidence: evidence.map((f) => chosen(f.fileName, f.bytes)),
      now: new Date('2026-04-10T02:00:00Z'),
    });
    const row = rows.get('L1/substituteConsumed[carbideSlag]');
    const issue = result.validation.issues.find((i) => i.field === 'substituteConsumed[carbideSlag]');
    expect(issue).toMatchObject({ unitId: 'L1', row, cell: `F${row}` });
    expect(result.missingEvidence).toEqual([]);
    expect(result.validation.issues.filter((i) => SHAPE.includes(i.code))).toEqual([]);
  });
});

describe('the wide layouts take every industry’s names', () => {
  it('reads a row per facility headed 熟料产量(t), 化石燃料消耗量[入窑煤](t), netConsumed[bfg] with the key’s own unit', async () => {
    const csv = [
      '统一社会信用代码,月份,设施,熟料产量(t),证据文件,化石燃料消耗量[入窑煤](t),单位热值含碳量[入窑煤],取值方式,净消耗量[高炉煤气]',
      `${CEMENT_ENTERPRISE.enterpriseId},${PERIOD},L1,150000,L1-ledger.pdf,16000,0.03085,缺省值,`,
    ].join('\r\n');
    const { report, issues } = await readReport('r.csv', new TextEncoder().encode(csv), undefined, CEMENT_ENTERPRISE);
    expect(issues).toEqual([]);
    expect(report?.units[0]?.parameters).toEqual({
      clinkerOutput: expect.objectContaining({ value: 150000, declaredUnit: 't', evidenceFile: 'L1-ledger.pdf' }),
      'fuelConsumed[kilnCoal]': expect.objectContaining({ value: 16000, declaredUnit: 't' }),
      'carbonPerHeat[kilnCoal]': expect.objectContaining({ value: 0.03085, declaredUnit: 'tC/GJ', basis: 'default' }),
    });
    const steel = ['统一社会信用代码,月份,工序,netConsumed[bfg],净消耗量[焦炭](万吨)', `${STEEL_ENTERPRISE.enterpriseId},${PERIOD},IRON,19000,11.5`].join('\n');
    const read = await readReport('r.csv', new TextEncoder().encode(steel), undefined, STEEL_ENTERPRISE);
    expect(read.issues).toEqual([]);
    expect(read.report?.units[0]?.parameters['netConsumed[bfg]']).toMatchObject({ value: 19000, declaredUnit: '10^4Nm3' });
    expect(read.report?.units[0]?.parameters['netConsumed[coke]']).toMatchObject({ value: 115000, declaredUnit: '万吨' });
  });

  it('reads a row per parameter, a column per facility, with a 取值方式 row under its parameter', async () => {
    const csv = [
      '参数,单位,L1,L2',
      `统一社会信用代码,,${CEMENT_TWO_LINES_ENTERPRISE.enterpriseId},${CEMENT_TWO_LINES_ENTERPRISE.enterpriseId}`,
      `月份,,${PERIOD},${PERIOD}`,
      '熟料产量,t,140000,93000',
      '单位热值含碳量[分解炉煤],,0.0265,0.03085',
      '取值方式,,实测,缺省值',
      '非碳酸盐替代原料消耗量[粉煤灰],吨,,5600',
    ].join('\n');
    const { report, issues } = await readReport('r.csv', new TextEncoder().encode(csv), undefined, CEMENT_TWO_LINES_ENTERPRISE);
    expect(issues).toEqual([]);
    const [l1, l2] = report?.units ?? [];
    expect(l1?.parameters['carbonPerHeat[calcinerCoal]']).toMatchObject({ value: 0.0265, declaredUnit: 'tC/GJ', basis: 'measured' });
    expect(l2?.parameters['carbonPerHeat[calcinerCoal]']).toMatchObject({ basis: 'default' });
    expect(l2?.parameters['substituteConsumed[flyAsh]']).toMatchObject({ value: 5600, declaredUnit: '吨' });
    expect(l1?.parameters['substituteConsumed[flyAsh]']).toBeUndefined();
  });
});

describe('any report of any industry round-trips through every format to the same model', () => {
  it.each([
    ['UTF-8 CSV with English headers', 'r.csv', (r: MonthlyReport) => writeCsvBytes(r)],
    [
      'UTF-8 CSV with a BOM and Chinese headers and names',
      'r.csv',
      (r: MonthlyReport, e: Enterprise) => writeCsvBytes(r, 'utf-8-bom', { headers: 'zh', parameterNames: 'zh', facilities: e.units }),
    ],
    [
      'GB18030 CSV with Chinese headers and names',
      'r.csv',
      (r: MonthlyReport, e: Enterprise) => writeCsvBytes(r, 'gb18030', { headers: 'zh', parameterNames: 'zh', facilities: e.units }),
    ],
    ['JSON', 'r.json', (r: MonthlyReport) => new TextEncoder().encode(writeJson(r))],
  ] as const)('%s', async (_name, fileName, write) => {
    await fc.assert(
      fc.asyncProperty(industryReportArbitrary, async ({ enterprise, report }) => {
        const read = await readReport(fileName, write(report, enterprise), undefined, enterprise);
        expect(read.issues).toEqual([]);
        expect(read.report && withoutRows(read.report)).toEqual(withoutRows(report));
      }),
      { numRuns: 60 },
    );
  });

  it('XLSX, English or Chinese names', async () => {
    await fc.assert(
      fc.asyncProperty(industryReportArbitrary, fc.boolean(), async ({ enterprise, report }, chinese) => {
        const bytes = await writeXlsx(report, chinese ? { headers: 'zh', parameterNames: 'zh', facilities: enterprise.units } : {});
        const read = await readReport('r.xlsx', bytes, undefined, enterprise);
        expect(read.issues).toEqual([]);
        expect(read.report && withoutRows(read.report)).toEqual(withoutRows(report));
      }),
      { numRuns: 25 },
    );
  });

  it('without a registry entry, the names still resolve (every industry tried, power first)', async () => {
    await fc.assert(
      fc.asyncProperty(industryReportArbitrary, async ({ report }) => {
        const read = await readReport('r.csv', new TextEncoder().encode(writeCsv(report, { parameterNames: 'zh' })));
        expect(read.issues).toEqual([]);
        expect(read.report && withoutRows(read.report)).toEqual(withoutRows(report));
      }),
      { numRuns: 40 },
    );
  });
});
