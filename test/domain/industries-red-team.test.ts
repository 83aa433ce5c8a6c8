/**
 * Red team of the four industries as data: hostile and odd inputs for cement, aluminium and steel
 * and for the new syntax (per-material keys, the 物料 and 取值方式 columns, 选填 rows, the registry's
 * 行业 and 机组 cells). Each bad input gets a specific recorded issue or problem; nothing crashes,
 * nothing is dropped without a word, nothing is reported twice; power reads as before.
 */
import { describe, expect, it } from 'vitest';
import { CheckSettingsSchema } from '#domain/check-settings.ts';
import { type EvidenceFile, runChecks } from '#domain/checks.ts';
import { expectedParameters, unitsOf } from '#domain/industry.ts';
import { steel } from '#domain/industries/steel.ts';
import type { Issue } from '#domain/issues.ts';
import { type Enterprise, EnterpriseSchema } from '#domain/registry.ts';
import { parseRegistryCsv, registryCsv } from '#domain/registry-file.ts';
import { parseJsonTable, reportFromTable } from '#domain/report.ts';
import { parseCsvTable } from '#domain/report-table.ts';
import { writeCsv } from '#domain/report-writers.ts';
import { readReport, validateDeposit } from '#domain/validate.ts';
import { vocabularyOf } from '#domain/vocabulary.ts';
import { industryCodeOf, resolveScope } from '#domain/provinces.ts';
import { sha256Hex } from '#examples/demo.ts';
import { ALUMINIUM_ENTERPRISE, CEMENT_ENTERPRISE, industryEvidence, industryReport, STEEL_ENTERPRISE } from '#examples/industries.ts';

const PERIOD = '2026-03';
const ID = '91360100MA35XXXXXN';
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Power unit 1, cement line L1 (kiln coal), steel ironmaking BF1 (coke, BFG). */
const MIXED: Enterprise = EnterpriseSchema.parse({
  enterpriseId: ID,
  name: '红队示范公司',
  province: '江西省',
  city: '南昌市',
  industries: [
    { industry: 'power', obligedFrom: '2024-01' },
    { industry: 'cement', obligedFrom: '2025-07' },
    { industry: 'steel', obligedFrom: '2025-07' },
  ],
  units: [
    { unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 },
    { unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000, materials: ['kilnCoal'] },
    { unitId: 'BF1', industry: 'steel', process: 'ironmaking', materials: ['coke', 'bfg'] },
  ],
});

const LONG = 'enterpriseId,period,unitId,parameter,material,value,unit,basis\n';

/** Long rows `unitId, parameter, material, value, unit, basis` of MIXED's March, read with its vocabulary. */
async function readLong(...rows: string[][]) {
  const text = LONG + rows.map((r) => [ID, PERIOD, ...r].join(',')).join('\n');
  const table = await parseCsvTable(utf8(text));
  if (!table.table) throw new Error(table.issues.map((i) => i.code).join(', '));
  const { report, issues } = reportFromTable(table.table, vocabularyOf(MIXED));
  const keys = (unitId: string) => Object.keys(report?.units.find((u) => u.unitId === unitId)?.parameters ?? {});
  return { report, issues, keys, codes: issues.map((i) => `${i.code} ${i.field}`) };
}

/** The evidence a clean demo month names, as the pipeline finds it. */
function evidenceOf(enterprise: Enterprise, period = PERIOD): EvidenceFile[] {
  return industryEvidence(enterprise, period).map((f) => ({ fileName: f.fileName, key: `e/${f.fileName}`, size: f.bytes.length, sha256: sha256Hex(f.bytes) }));
}

const brief = (issues: readonly Issue[]) => issues.map((i) => `${i.code} ${i.unitId ?? ''} ${i.field ?? ''}`.trim());

describe('hostile names and materials in a report are unknown parameters, never object machinery', () => {
  it.each([
    ['a bracketed __proto__ material', ['BF1', 'netConsumed[__proto__]', '', '1', 't', ''], 'netConsumed[__proto__]'],
    ['__proto__ in the 物料 column', ['BF1', 'netConsumed', '__proto__', '1', 't', ''], 'netConsumed[__proto__]'],
    ['constructor as the parameter', ['BF1', 'constructor', '', '1', 't', ''], 'constructor'],
    ['a material with its own brackets', ['L1', 'fuelConsumed', '[kilnCoal]', '1', 't', ''], 'fuelConsumed[[kilnCoal]]'],
    ['a plain parameter with a material', ['L1', 'clinkerOutput', 'kilnCoal', '1', 't', ''], 'clinkerOutput[kilnCoal]'],
    ['a per-material parameter without one', ['L1', 'fuelConsumed', '', '1', 't', ''], 'fuelConsumed'],
    ['a bracketed key and a 物料 cell together', ['L1', 'fuelConsumed[kilnCoal]', '入窑煤', '1', 't', ''], 'fuelConsumed[kilnCoal][入窑煤]'],
    ['a power row with a material', ['1', 'coalConsumed', '煤', '1', 't', ''], 'coalConsumed[煤]'],
  ])('%s is EVD-PARAM-UNKNOWN naming what was written, and nothing is stored', async (_name, row, named) => {
    // Act
    const { issues, report } = await readLong(row);
    // Assess
    expect(issues.map((i) => [i.code, i.field, i.found])).toEqual([['EVD-PARAM-UNKNOWN', named, named]]);
    expect(report?.units.flatMap((u) => Object.keys(u.parameters))).toEqual([]);
    expect(Object.getPrototypeOf(report?.units[0]?.parameters)).toBe(Object.prototype);
  });

  it('a JSON key "__proto__[coke]" or a "constructor" material is reported, the prototype untouched', () => {
    // Prepare
    const json = `{"enterpriseId":"${ID}","period":"${PERIOD}","units":[{"unitId":"BF1","parameters":{"__proto__[coke]":{"value":1,"unit":"t"},"netConsumed[constructor]":{"value":1,"unit":"t"},"__proto__":{"value":1,"unit":"t"},"netConsumed[coke]":{"value":5,"unit":"t"}}}]}`;
    // Act
    const table = parseJsonTable(json);
    const { report, issues } = reportFromTable(table.table ?? { format: 'json', rows: [], columnLetters: {} }, vocabularyOf(MIXED));
    // Assess
    expect(table.issues.map((i) => [i.code, i.field])).toEqual([['EVD-PARAM-UNKNOWN', '__proto__']]);
    expect(issues.map((i) => [i.code, i.field])).toEqual([
      ['EVD-PARAM-UNKNOWN', '__proto__[coke]'],
      ['EVD-PARAM-UNKNOWN', 'netConsumed[constructor]'],
    ]);
    expect(report?.units[0]?.parameters).toEqual({ 'netConsumed[coke]': expect.objectContaining({ value: 5 }) });
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  });
});

describe('one key written two ways is one value and a duplicate', () => {
  it.each([
    ['code[material] and 中文名 + 物料', ['L1', 'fuelConsumed[kilnCoal]', '', '1', 't', ''], ['L1', '化石燃料消耗量', '入窑煤', '2', 't', '']],
    ['upper case and a material cell in another case', ['L1', 'FUELCONSUMED[KILNCOAL]', '', '1', 't', ''], ['L1', 'fuelconsumed', 'KilnCoal', '2', 't', '']],
    [
      'the key and the label the issues print (全角括号)',
      ['L1', 'fuelConsumed[kilnCoal]', '', '1', 't', ''],
      ['L1', '化石燃料消耗量（入窑煤）', '', '2', 't', ''],
    ],
  ])('%s: the first row counts, the second is EVD-PARAM-DUPLICATE', async (_name, first, second) => {
    // Act
    const { report, codes } = await readLong(first, second);
    // Assess
    expect(codes).toEqual(['EVD-PARAM-DUPLICATE fuelConsumed[kilnCoal]']);
    expect(report?.units[0]?.parameters['fuelConsumed[kilnCoal]']?.value).toBe(1);
  });
});

describe('the 取值方式 cell', () => {
  it('full-width letters read as written; a note beside the word is EVD-PARAM-BASIS', async () => {
    // Act
    const { report, codes } = await readLong(
      ['L1', 'carbonPerHeat[kilnCoal]', '', '0.026', 'tC/GJ', 'ｍｅａｓｕｒｅｄ'],
      ['BF1', 'carbonPerHeat[coke]', '', '0.0294', 'tC/GJ', '实测（化验）'],
    );
    // Assess
    expect(report?.units[0]?.parameters['carbonPerHeat[kilnCoal]']?.basis).toBe('measured');
    expect(codes).toEqual(['EVD-PARAM-BASIS carbonPerHeat[coke]']);
  });

  it('a basis the guideline does not allow is EVD-PARAM-BASIS naming the one it allows: 缺省值 on clinker output, 实测 on the clinker factor', async () => {
    // Act
    const { issues, report } = await readLong(
      ['L1', 'clinkerOutput', '', '150000', 't', '缺省值'],
      ['L1', 'clinkerProcessFactor', '', '0.535', 'tCO2/t', '实测'],
    );
    // Assess
    expect(issues.map((i) => [i.code, i.field, i.expected, i.found])).toEqual([
      ['EVD-PARAM-BASIS', 'clinkerOutput', '实测 (measured)', '缺省值'],
      ['EVD-PARAM-BASIS', 'clinkerProcessFactor', '缺省值 (default)', '实测'],
    ]);
    expect(issues[0]?.message.zh).toContain('熟料生产线 L1');
    // The value is kept (still judged by its range and evidence), without the basis it cannot have.
    expect(report?.units.find((u) => u.unitId === 'L1')?.parameters.clinkerOutput).toMatchObject({ value: 150_000 });
    expect(report?.units.find((u) => u.unitId === 'L1')?.parameters.clinkerOutput?.basis).toBeUndefined();
  });

  it("a power row's basis cell is read as it always was: no new issue", async () => {
    // Act
    const { codes, keys } = await readLong(['1', 'coalConsumed', '', '150000', 't', '缺省值']);
    // Assess
    expect(codes).toEqual([]);
    expect(keys('1')).toEqual(['coalConsumed']);
  });
});

describe('units of a gas material', () => {
  it('BFG in tonnes is EVD-PARAM-UNIT (and unreadable, not missing); in Nm3 it is converted to 10^4 Nm3', async () => {
    // Act
    const { report, issues } = await readLong(['BF1', 'netConsumed[bfg]', '', '1', 't', ''], ['BF1', '自产量', '高炉煤气', '25000', 'Nm3', '']);
    // Assess
    expect(issues.map((i) => [i.code, i.field, i.found])).toEqual([['EVD-PARAM-UNIT', 'netConsumed[bfg]', 't']]);
    expect(report?.units[0]?.unreadable).toEqual(['netConsumed[bfg]']);
    expect(report?.units[0]?.parameters['netConsumed[bfg]']).toBeUndefined();
    expect(report?.units[0]?.parameters['generated[bfg]']).toMatchObject({ value: 2.5, declaredValue: 25_000, declaredUnit: 'Nm3' });
  });
});

describe('wide layouts with materials', () => {
  it('a one-row-per-parameter sheet reads its 物料 column, with a gas material in its own unit', async () => {
    // Prepare
    const text = `参数,物料,单位,L1,BF1\n统一社会信用代码,,,${ID},${ID}\n月份,,,${PERIOD},${PERIOD}\n熟料产量,,t,150000,\n化石燃料消耗量,入窑煤,t,22000,\n净消耗量,高炉煤气,,,4000\n`;
    // Act
    const table = await parseCsvTable(utf8(text));
    const { report, issues } = reportFromTable(table.table ?? { format: 'csv', rows: [], columnLetters: {} }, vocabularyOf(MIXED));
    // Assess
    expect(table.table?.layout).toBe('parameter-rows');
    expect(issues).toEqual([]);
    expect(Object.keys(report?.units.find((u) => u.unitId === 'L1')?.parameters ?? {})).toEqual(['clinkerOutput', 'fuelConsumed[kilnCoal]']);
    expect(report?.units.find((u) => u.unitId === 'BF1')?.parameters['netConsumed[bfg]']).toMatchObject({ value: 4000, declaredUnit: '10^4Nm3' });
  });

  it('a one-row-per-facility column headed by the label the issues print, 化石燃料消耗量（入窑煤）(t), is read, not dropped', async () => {
    // Prepare
    const text = `统一社会信用代码,月份,熟料生产线,熟料产量(t),化石燃料消耗量（入窑煤）(t),化石燃料消耗量【分解炉煤】\n${ID},${PERIOD},L1,150000,22000,1000\n`;
    const twoCoals = { ...MIXED, units: MIXED.units.map((u) => (u.unitId === 'L1' ? { ...u, materials: ['kilnCoal', 'calcinerCoal'] } : u)) };
    // Act
    const table = await parseCsvTable(utf8(text));
    const { report, issues } = reportFromTable(table.table ?? { format: 'csv', rows: [], columnLetters: {} }, vocabularyOf(twoCoals));
    // Assess
    expect(issues).toEqual([]);
    expect(report?.units[0]?.parameters).toMatchObject({
      clinkerOutput: { value: 150_000 },
      'fuelConsumed[kilnCoal]': { value: 22_000 },
      'fuelConsumed[calcinerCoal]': { value: 1000, declaredUnit: 't' },
    });
  });
});

describe('a 选填 mark does not excuse a required row', () => {
  it('the clinker output row marked 选填 and left empty is EVD-PARAM-MISSING, and the month is returned', async () => {
    // Prepare: a clean cement month, its clinker output row emptied and marked 选填.
    const [header, ...rows] = writeCsv(industryReport(CEMENT_ENTERPRISE, PERIOD))
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split(/\r?\n/);
    const emptied = rows.map((line) => {
      const cells = line.split(',');
      return cells[3] === 'clinkerOutput' ? [...cells.slice(0, 4), '', cells[5], '', '', cells[8] ?? '', '选填'].join(',') : `${line},必填`;
    });
    const bytes = utf8([`${header},requirement`, ...emptied].join('\n'));
    // Act
    const { validation } = await validateDeposit({
      key: { kind: 'report', enterpriseId: CEMENT_ENTERPRISE.enterpriseId, period: PERIOD, depositId: 'd1', fileName: 'report.csv' },
      reportSize: bytes.length,
      reportBytes: bytes,
      enterprise: CEMENT_ENTERPRISE,
      evidence: evidenceOf(CEMENT_ENTERPRISE),
      receivedAt: new Date('2026-04-10T02:00:00Z'),
    });
    // Assess
    expect(validation.verdict).toBe('returned');
    expect(brief(validation.issues)).toEqual(['EVD-PARAM-MISSING L1 clinkerOutput']);
  });
});

describe('the registry file: odd 行业 and 机组 cells are problems of their cell, never a crash', () => {
  const HEADER = 'enterpriseId,name,division,industry,units,obligedFrom,obligedUntil\n';
  const problemsOf = (line: string) => {
    const parsed = parseRegistryCsv(`${HEADER}${line}\n`);
    return parsed.ok ? [] : parsed.problems.map((p) => `${p.line} ${p.column}`);
  };

  it.each([
    ['__proto__ as the industry', `${ID},x,360100,__proto__,1:coal:600,2024-01,`, 'industry', /unknown industry __proto__/],
    ['constructor and toString as industries', `${ID},x,360100,constructor;toString,1:coal:600,2024-01,`, 'industry', /unknown industry constructor/],
    ['a month 13', `${ID},x,360100,power;cement@2025-13,1:coal:600;cement/L1:portland:5000,2024-01,`, 'industry', /2025-13 is not a month/],
    [
      'a last month before the catalogue start',
      `${ID},x,360100,steel~2024-01,"BF1:ironmaking[coke]",,`,
      'industry',
      /obligedUntil 2024-01 is before obligedFrom 2025-07/,
    ],
    ['an unknown material', `${ID},x,360100,steel,"BF1:ironmaking[coke,unobtainium]",,`, 'units', /no material unobtainium/],
    ['a __proto__ material', `${ID},x,360100,steel,"BF1:ironmaking[__proto__]",,`, 'units', /no material __proto__/],
    [
      'a material listed twice (code and Chinese name)',
      `${ID},x,360100,steel,"BF1:ironmaking[coke,焦炭,bfg]",,`,
      'units',
      /material 焦炭 \(coke\) is listed twice/,
    ],
    [
      'a prefix naming an industry the row lacks',
      `${ID},x,360100,power,1:coal:600;cement/L1:portland:5000,2024-01,`,
      'units',
      /industry cement is not one of the row's industries/,
    ],
    ['a __proto__ prefix', `${ID},x,360100,power;cement,1:coal:600;__proto__/L1:portland:5000,2024-01,`, 'units', /unknown industry __proto__/],
    ['one facility id in two industries', `${ID},x,360100,power;cement,1:coal:600;cement/1:portland:5000,2024-01,`, 'units', /facility id 1 is used twice/],
    ['a capacity written as a hexadecimal literal', `${ID},x,360100,power,1:coal:0x10,2024-01,`, 'units', /0x10 is not a number/],
  ])('%s', (_name, line, column, message) => {
    // Act
    const parsed = parseRegistryCsv(`${HEADER}${line}\n`);
    // Assess
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ line: 2, column, message: expect.stringMatching(message) });
  });

  it('empty material brackets register a facility without materials', () => {
    // Act
    const parsed = parseRegistryCsv(`${HEADER}${ID},x,360100,cement,L1:portland:5000[],,\n`);
    // Assess
    expect(parsed.ok && parsed.enterprises[0]?.units).toEqual([{ unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000 }]);
    expect(problemsOf(`${ID},x,360100,cement,L1:portland:5000[],,`)).toEqual([]);
  });

  it('a formula-like name is neutralised in the export and read back as written', () => {
    // Prepare
    const entry = EnterpriseSchema.parse({ ...MIXED, name: '=HYPERLINK("http://example.invalid","x")' });
    // Act
    const csv = registryCsv([entry]);
    const back = parseRegistryCsv(csv);
    // Assess
    expect(csv).toContain(`"'=HYPERLINK(""http://example.invalid"",""x"")"`);
    expect(csv).toContain('power/1:coal:600;cement/L1:portland:5000[kilnCoal];steel/BF1:ironmaking[coke,bfg]');
    expect(back.ok && back.enterprises[0]).toEqual(entry);
  });
});

describe('stored registry entries', () => {
  it('an old entry (no industries, units without industry) reads as one obligation of its industry', () => {
    // Act
    const power = EnterpriseSchema.parse({
      enterpriseId: ID,
      name: 'x',
      province: '江西',
      city: '南昌',
      industry: 'power',
      obligedFrom: '2024-01',
      units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
    });
    const cement = EnterpriseSchema.parse({
      enterpriseId: ID,
      name: 'x',
      province: '江西',
      city: '南昌',
      industry: 'cement',
      obligedFrom: '2025-07',
      obligedUntil: '2026-12',
      units: [{ unitId: 'L1', clinkerType: 'portland', designCapacityTpd: 5000 }],
    });
    // Assess
    expect(power.industries).toEqual([{ industry: 'power', obligedFrom: '2024-01' }]);
    expect(power.units).toEqual([{ unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 }]);
    expect(cement.industries).toEqual([{ industry: 'cement', obligedFrom: '2025-07', obligedUntil: '2026-12' }]);
    expect(cement.units[0]?.industry).toBe('cement');
  });

  it('a stored facility listing a material twice reads it once, so its lines are not expected twice', () => {
    // Prepare
    const stored = {
      ...STEEL_ENTERPRISE,
      units: STEEL_ENTERPRISE.units.map((u) => (u.unitId === 'IRON' ? { ...u, materials: ['coke', 'coke', 'bfg', 'limestone'] } : u)),
    };
    const report = industryReport(STEEL_ENTERPRISE, PERIOD);
    const iron = report.units.find((u) => u.unitId === 'IRON');
    if (iron) delete iron.parameters['netConsumed[coke]'];
    // Act
    const entry = EnterpriseSchema.parse(stored);
    const issues = runChecks({ report, enterprise: entry, evidence: evidenceOf(STEEL_ENTERPRISE) });
    // Assess
    expect(entry.units.find((u) => u.unitId === 'IRON')?.materials).toEqual(['coke', 'bfg', 'limestone']);
    expect(brief(issues)).toEqual(['EVD-PARAM-MISSING IRON netConsumed[coke]']);
  });

  it('an unknown industry on a stored facility is an issue of the entry, not a prototype lookup', () => {
    // Act
    const parsed = EnterpriseSchema.safeParse({
      enterpriseId: ID,
      name: 'x',
      province: '江西',
      city: '南昌',
      industry: 'power',
      obligedFrom: '2024-01',
      units: [{ unitId: '1', industry: '__proto__', fuel: 'coal', capacityMW: 600 }],
    });
    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain('unknown industry "__proto__" (known: power, cement, aluminium, steel)');
  });
});

describe('facilities and materials the registry does not list', () => {
  it('a key of a material not registered for the line (or not of the role) is EVD-PARAM-EXTRA naming the registered ones', () => {
    // Prepare
    const report = industryReport(CEMENT_ENTERPRISE, PERIOD);
    const line = report.units[0];
    if (line) line.parameters['fuelConsumed[flyAsh]'] = { value: 1, declaredValue: 1, declaredUnit: 't', evidenceFile: 'L1-ledger.pdf' };
    if (line) line.parameters['substituteConsumed[flyAsh]'] = { value: 1, declaredValue: 1, declaredUnit: 't', evidenceFile: 'L1-ledger.pdf' };
    // Act
    const issues = runChecks({ report, enterprise: CEMENT_ENTERPRISE, evidence: evidenceOf(CEMENT_ENTERPRISE) });
    // Assess
    const extra = issues.filter((i) => i.code === 'EVD-PARAM-EXTRA');
    expect(extra.map((i) => i.field)).toEqual(['fuelConsumed[flyAsh]', 'substituteConsumed[flyAsh]']);
    expect(extra.map((i) => i.expected)).toEqual(Array(2).fill('the materials registered for this line: kilnCoal, calcinerCoal, carbideSlag'));
  });

  it('in a month only power is owed, a power-only report of a power+cement enterprise owes no cement line', () => {
    // Prepare
    const enterprise = EnterpriseSchema.parse({
      ...MIXED,
      industries: [
        { industry: 'power', obligedFrom: '2024-01' },
        { industry: 'cement', obligedFrom: '2026-06' },
      ],
      units: MIXED.units.slice(0, 2),
    });
    const report = { enterpriseId: ID, period: PERIOD, units: [] };
    // Act
    const issues = runChecks({ report, enterprise, evidence: [] });
    // Assess
    expect(brief(issues)).toEqual(['EVD-UNIT-MISSING 1']);
  });
});

describe('cross-checks at the edges of arithmetic', () => {
  it('zero clinker, huge tonnages and negative stocks are findings, never a crash or NaN in a message', () => {
    // Prepare
    const zero = industryReport(CEMENT_ENTERPRISE, PERIOD);
    const huge = industryReport(CEMENT_ENTERPRISE, PERIOD);
    const negative = industryReport(STEEL_ENTERPRISE, PERIOD);
    const set = (unit: { parameters: Record<string, unknown> } | undefined, key: string, value: number) => {
      if (unit) unit.parameters[key] = { ...(unit.parameters[key] as object), value, declaredValue: value };
    };
    set(zero.units[0], 'clinkerOutput', 0);
    set(huge.units[0], 'clinkerOutput', 1e308);
    set(huge.units[0], 'substituteConsumed[carbideSlag]', 1e308);
    set(
      negative.units.find((u) => u.unitId === 'IRON'),
      'closingStock[coke]',
      -500,
    );
    // Act
    const zeroIssues = runChecks({ report: zero, enterprise: CEMENT_ENTERPRISE, evidence: evidenceOf(CEMENT_ENTERPRISE) });
    const hugeIssues = runChecks({ report: huge, enterprise: CEMENT_ENTERPRISE, evidence: evidenceOf(CEMENT_ENTERPRISE) });
    const negativeIssues = runChecks({ report: negative, enterprise: STEEL_ENTERPRISE, evidence: evidenceOf(STEEL_ENTERPRISE) });
    // Assess
    expect(brief(zeroIssues)).toEqual(['EVD-PARAM-ATYPICAL L1 clinkerOutput']);
    expect(brief(hugeIssues)).toEqual(expect.arrayContaining(['EVD-PARAM-RANGE L1 clinkerOutput', 'EVD-PARAM-RANGE L1 substituteConsumed[carbideSlag]']));
    expect(brief(negativeIssues)).toEqual(['EVD-PARAM-RANGE IRON closingStock[coke]', 'EVD-STEEL-MASS-BALANCE IRON netConsumed[coke]']);
    for (const issue of [...zeroIssues, ...hugeIssues, ...negativeIssues]) expect(`${issue.expected} ${issue.found}`).not.toMatch(/NaN|undefined/);
  });

  it('a tonnage that overflows in conversion (1e305 万吨) is EVD-PARAM-NOT-NUMBER, not Infinity', async () => {
    // Act
    const { codes, keys } = await readLong(['L1', 'clinkerOutput', '', '1e305', '万吨', '']);
    // Assess
    expect(codes).toEqual(['EVD-PARAM-NOT-NUMBER clinkerOutput']);
    expect(keys('L1')).toEqual([]);
  });

  it('an aluminium potline with zero output is a current-efficiency finding, not a division by zero', () => {
    // Prepare
    const report = industryReport(ALUMINIUM_ENTERPRISE, PERIOD);
    const potline = report.units[0];
    if (potline?.parameters.aluminiumOutput) potline.parameters.aluminiumOutput = { ...potline.parameters.aluminiumOutput, value: 0, declaredValue: 0 };
    // Act
    const issues = runChecks({ report, enterprise: ALUMINIUM_ENTERPRISE, evidence: evidenceOf(ALUMINIUM_ENTERPRISE) });
    // Assess
    expect(issues.map((i) => [i.code, i.found])).toEqual([['EVD-ALU-CURRENT-EFFICIENCY', '0 t (0 %)']]);
  });
});

describe('steel stock continuity across months', () => {
  it("last month's coke line and no opening stock this month: EVD-PARAM-MISSING for the line, no continuity finding", () => {
    // Prepare
    const previous = industryReport(STEEL_ENTERPRISE, '2026-02');
    const report = industryReport(STEEL_ENTERPRISE, PERIOD);
    const iron = report.units.find((u) => u.unitId === 'IRON');
    if (iron) delete iron.parameters['openingStock[coke]'];
    // Act
    const issues = runChecks({
      report,
      enterprise: STEEL_ENTERPRISE,
      evidence: evidenceOf(STEEL_ENTERPRISE),
      history: [{ period: '2026-02', report: previous, evidence: [] }],
    });
    // Assess
    expect(brief(issues)).toEqual(['EVD-PARAM-MISSING IRON openingStock[coke]']);
  });

  it('an opening stock unlike last month is EVD-STEEL-STOCK-CONTINUITY once', () => {
    // Prepare
    const previous = industryReport(STEEL_ENTERPRISE, '2026-02');
    const report = industryReport(STEEL_ENTERPRISE, PERIOD);
    const iron = report.units.find((u) => u.unitId === 'IRON');
    const opening = iron?.parameters['openingStock[coke]'];
    const net = iron?.parameters['netConsumed[coke]'];
    if (iron && opening && net) {
      iron.parameters['openingStock[coke]'] = { ...opening, value: opening.value + 100, declaredValue: opening.value + 100 };
      iron.parameters['netConsumed[coke]'] = { ...net, value: net.value + 100, declaredValue: net.value + 100 };
    }
    // Act
    const issues = runChecks({
      report,
      enterprise: STEEL_ENTERPRISE,
      evidence: evidenceOf(STEEL_ENTERPRISE),
      history: [{ period: '2026-02', report: previous, evidence: [] }],
    });
    // Assess
    expect(brief(issues)).toEqual(['EVD-STEEL-STOCK-CONTINUITY IRON openingStock[coke]']);
  });
});

describe('run time on a large steel works', () => {
  it('a 4,999-row month of 52 processes × 13 materials is read and judged, with two months of history, in a few seconds', async () => {
    // Prepare
    const materials = steel.materials.map((m) => m.code);
    const kinds = ['coking', 'sintering', 'pelletising', 'ironmaking', 'bof', 'eaf', 'lime', 'power'];
    const units = [{ unitId: 'ENT', industry: 'steel', process: 'enterprise', materials }];
    for (let i = 0; units.length < 52; i++) units.push({ unitId: `P${i}`, industry: 'steel', process: kinds[i % kinds.length] as string, materials });
    const works = EnterpriseSchema.parse({ ...STEEL_ENTERPRISE, units });
    const lines = ['enterpriseId,period,unitId,parameter,value,unit,evidenceFile,basis'];
    for (const u of works.units)
      for (const e of expectedParameters(steel, u))
        lines.push(
          [
            works.enterpriseId,
            PERIOD,
            u.unitId,
            e.key,
            '1',
            unitsOf(e.parameter, e.material).unit,
            `${u.unitId}.pdf`,
            e.parameter.basis === 'measured-or-default' ? '实测' : '',
          ].join(','),
        );
    lines.splice(5000);
    const settings = CheckSettingsSchema.parse({});
    const evidence = works.units.map((u) => ({ fileName: `${u.unitId}.pdf`, key: `e/${u.unitId}.pdf`, size: 100, sha256: 'a'.repeat(64) }));
    // Act
    const started = performance.now();
    const reading = await readReport('report.csv', utf8(lines.join('\n')), settings, works);
    const read = performance.now() - started;
    const report = reading.report ?? { enterpriseId: '', period: PERIOD, units: [] };
    const history = ['2026-02', '2026-01'].map((period) => ({ period, report: { ...report, period }, evidence: [] }));
    const judging = performance.now();
    const issues = runChecks({ report, enterprise: works, evidence, settings, history });
    const judged = performance.now() - judging;
    // Assess
    expect(reading.issues).toEqual([]);
    expect(report.units.reduce((n, u) => n + Object.keys(u.parameters).length, 0)).toBe(4999);
    expect(issues.length).toBeGreaterThan(0);
    // Time is the benchmark's to measure (README: ~0.45 s to read, ~0.3 s to judge, linear in the rows); here only that it completes.
    expect(read + judged).toBeGreaterThan(0);
  }, 30_000);
});

describe('industry names that are object machinery', () => {
  it('are no industry: __proto__, constructor and toString are refused as scopes, not read as the prototype', () => {
    for (const written of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(industryCodeOf(written)).toBeUndefined();
      expect(resolveScope(`industry:${written}`)).toEqual({ message: expect.stringMatching(/^未知的行业 \/ unknown industry/) });
    }
    expect(industryCodeOf('水泥')).toBe('cement');
  });
});

describe('steel stock continuity when a material leaves the registry', () => {
  it("reports last month's closing stock of a material the process no longer lists: it cannot vanish between two deposits", () => {
    // Prepare: coke closed August at a stock; in September the registry no longer lists coke for the process.
    const august = industryReport(STEEL_ENTERPRISE, '2025-08');
    const withoutCoke = {
      ...STEEL_ENTERPRISE,
      units: STEEL_ENTERPRISE.units.map((u) => ({ ...u, materials: (u.materials ?? []).filter((m) => m !== 'coke') })),
    };
    const september = industryReport(withoutCoke, '2025-09');
    const closedWithCoke = august.units.find((u) => (u.parameters['closingStock[coke]']?.value ?? 0) > 0);
    expect(closedWithCoke).toBeDefined();
    // Act
    const issues = runChecks({ report: september, enterprise: withoutCoke, evidence: [], history: [{ period: '2025-08', report: august, evidence: [] }] });
    // Assess
    const continuity = issues.filter((i) => i.code === 'EVD-STEEL-STOCK-CONTINUITY' && i.unitId === closedWithCoke?.unitId);
    expect(continuity.map((i) => i.field)).toEqual(['openingStock[coke]']);
    expect(continuity[0]?.found).toBe('0');
  });
});
