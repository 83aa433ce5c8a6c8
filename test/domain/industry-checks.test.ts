/**
 * The checks over the industries other than power: a clean month of a cement clinker line, an
 * aluminium potline and two steel processes (beside the demo power units) passes; each generic
 * check and each catalogue cross-check fires on its mutation, with its severity, where, what and
 * a Chinese message naming the facility's level; settings move the bands; power keeps its own.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CheckSettingsSchema, type CheckSettingsInput } from '#domain/check-settings.ts';
import { type CheckContext, type EvidenceFile, runChecks } from '#domain/checks.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import type { Issue } from '#domain/issues.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { MeasuredValue, MonthlyReport, UnitReport } from '#domain/report.ts';
import { DEMO_ENTERPRISE, demoEvidence, demoReport, sha256Hex } from '#examples/demo.ts';

const PERIOD = '2026-03'; // 31 days

const ENTERPRISE: Enterprise = {
  ...DEMO_ENTERPRISE,
  industries: [
    { industry: 'power', obligedFrom: '2024-01' },
    { industry: 'cement', obligedFrom: '2025-07' },
    { industry: 'aluminium', obligedFrom: '2025-07' },
    { industry: 'steel', obligedFrom: '2025-07' },
  ],
  units: [
    ...DEMO_ENTERPRISE.units.map((u) => ({ ...u, industry: 'power' })),
    { unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000, materials: ['kilnCoal', 'carbideSlag'] },
    { unitId: 'P1', industry: 'aluminium', currentKA: 400, cells: 300, materials: [] },
    { unitId: 'ENT', industry: 'steel', process: 'enterprise', materials: [] },
    { unitId: 'BF1', industry: 'steel', process: 'ironmaking', materials: ['coke', 'bfg'] },
  ],
};

/** A value as the reader stores it, in its canonical unit, with its ledger scan unless it is `none`. */
function v(value: number, unit: string, evidenceFile: string | 'none', basis?: 'measured' | 'default'): MeasuredValue {
  return {
    value,
    declaredValue: value,
    declaredUnit: unit,
    ...(evidenceFile !== 'none' ? { evidenceFile } : {}),
    ...(basis ? { basis } : {}),
  };
}

/**
 * How a month's flows differ from March's (so consecutive months are not copies): 0–2 % more,
 * scaled to the month's days. March is the base month, its figures the round ones below.
 */
function monthOf(period: string): { m: number; scale: number; day: (n: number) => string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const k = (((month - 3) % 5) + 5) % 5;
  const next = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 8);
  return { m: k, scale: (1 + k * 0.005) * (days / 31), day: (n) => `${next}${String(n).padStart(2, '0')}` };
}

const tonnes = (n: number) => Math.round(n);

function cementLine(period = PERIOD): UnitReport {
  const { m, scale, day } = monthOf(period);
  return {
    unitId: 'L1',
    parameters: {
      clinkerOutput: v(tonnes(150_000 * scale), 't', 'l1-production.pdf'),
      clinkerProcessFactor: v(0.535, 'tCO2/t', 'none'),
      'substituteConsumed[carbideSlag]': v(tonnes(8000 * scale), 't', 'l1-dosing.pdf'),
      'substituteDeduction[carbideSlag]': v(0.48, 'tCO2/t', 'none'),
      'fuelConsumed[kilnCoal]': v(tonnes(22_500 * scale), 't', 'l1-coal.pdf'),
      'ncv[kilnCoal]': v(23 + m * 0.1, 'GJ/t', 'l1-coal-quality.pdf'),
      'carbonPerHeat[kilnCoal]': v(0.0265 + m * 0.0001, 'tC/GJ', 'l1-lab.pdf', 'measured'),
      'oxidation[kilnCoal]': v(98, '%', 'none'),
      purchasedElectricity: v(tonnes(8500 * scale), 'MWh', 'l1-power.pdf'),
      wasteHeatPower: v(tonnes(4800 * scale), 'MWh', 'l1-waste-heat.pdf'),
    },
    labReport: { reportNo: `CEM-L1-${period}`, issuedOn: day(5), evidenceFile: 'l1-lab.pdf' },
    unreadable: [],
  };
}

/** 400 kA × 300 cells × 31 days: Faraday gives 29,962 t; 27,865 t is 93 % current efficiency. */
function potline(period = PERIOD): UnitReport {
  const { m, scale } = monthOf(period);
  return {
    unitId: 'P1',
    parameters: {
      aluminiumOutput: v(tonnes(27_865 * scale), 't', 'p1-output.pdf'),
      anodeConsumed: v(tonnes(14_200 * scale), 't', 'p1-anodes.pdf'),
      anodeNetPerTonne: v(0.411, 't/t', 'none'),
      anodeSulfur: v(2, '%', 'none'),
      anodeAsh: v(0.4, '%', 'none'),
      anodeEffectMinutes: v(0.02 + m * 0.001, 'min/(cell·d)', 'p1-anode-effects.pdf'),
      acPower: v(tonnes(370_600 * scale), 'MWh', 'p1-ac-power.pdf'),
    },
    unreadable: [],
  };
}

function steelEnterprise(period = PERIOD): UnitReport {
  const { scale } = monthOf(period);
  return {
    unitId: 'ENT',
    parameters: {
      crudeSteelOutput: v(tonnes(340_000 * scale), 't', 'ent-production.pdf'),
      hotMetalOutput: v(tonnes(300_000 * scale), 't', 'ent-production.pdf'),
      purchasedElectricity: v(tonnes(50_000 * scale), 'MWh', 'ent-power.pdf'),
    },
    unreadable: [],
  };
}

/**
 * Coke bought and burnt (the stock closes 1,000 t higher each month: March opens at 22,000 t and
 * closes at 23,000 t), blast furnace gas made at 1,500 Nm³ per tonne of hot metal and partly sent
 * out: every line balances.
 */
function blastFurnace(period = PERIOD): UnitReport {
  const { m, scale } = monthOf(period);
  const month = Number(period.slice(5, 7));
  const [opening, closing] = [20_000 + (month - 1) * 1000, 20_000 + month * 1000];
  const purchased = tonnes(150_000 * scale);
  const hotMetal = tonnes(300_000 * scale);
  const [generated, output] = [hotMetal * 0.15, tonnes(20_000 * scale)];
  const stock = 'bf1-stock.pdf';
  const gas = 'bf1-gas-balance.pdf';
  return {
    unitId: 'BF1',
    parameters: {
      'openingStock[coke]': v(opening, 't', stock),
      'closingStock[coke]': v(closing, 't', stock),
      'purchased[coke]': v(purchased, 't', 'bf1-coke-receipts.pdf'),
      'generated[coke]': v(0, 't', stock),
      'output[coke]': v(0, 't', stock),
      'netConsumed[coke]': v(opening + purchased - closing, 't', stock),
      'ncv[coke]': v(28.4 + m * 0.1, 'GJ/t', 'bf1-coke-quality.pdf'),
      'carbonPerHeat[coke]': v(0.0294, 'tC/GJ', 'none'),
      'openingStock[bfg]': v(0, '10^4Nm3', gas),
      'closingStock[bfg]': v(0, '10^4Nm3', gas),
      'purchased[bfg]': v(0, '10^4Nm3', gas),
      'generated[bfg]': v(generated, '10^4Nm3', gas),
      'output[bfg]': v(output, '10^4Nm3', gas),
      'netConsumed[bfg]': v(generated - output, '10^4Nm3', gas),
      'ncv[bfg]': v(33 + m * 0.1, 'GJ/10^4Nm3', 'bf1-gas-quality.pdf'),
      'carbonPerHeat[bfg]': v(0.0708, 'tC/GJ', 'none'),
      hotMetalOutput: v(hotMetal, 't', 'bf1-production.pdf'),
    },
    unreadable: [],
  };
}

function cleanMonth(period = PERIOD): MonthlyReport {
  const power = demoReport(period);
  return { ...power, units: [...power.units, cementLine(period), potline(period), steelEnterprise(period), blastFurnace(period)] };
}

/** The demo's evidence files and one stand-in file for each other file the report names (no head: type checks pass over them). */
function evidenceFor(report: MonthlyReport): EvidenceFile[] {
  const demo = demoEvidence(report.period).map((f) => ({
    fileName: f.fileName,
    key: `evidence/${f.fileName}`,
    size: f.bytes.length,
    sha256: sha256Hex(f.bytes),
    head: f.bytes.subarray(0, 4096),
  }));
  const named = new Set(
    report.units.flatMap((u) => [...Object.values(u.parameters).map((p) => p.evidenceFile), u.labReport?.evidenceFile]).filter((f): f is string => !!f),
  );
  const others = [...named]
    .filter((name) => !demo.some((d) => d.fileName === name))
    .map((fileName) => ({
      fileName,
      key: `evidence/${fileName}`,
      size: 2048,
      sha256: createHash('sha256').update(`${report.period} ${fileName}`).digest('hex'),
    }));
  return [...demo, ...others];
}

function run(report: MonthlyReport, extra: { settings?: CheckSettingsInput; history?: PriorMonth[] } = {}): Issue[] {
  const context: CheckContext = {
    report,
    enterprise: ENTERPRISE,
    evidence: evidenceFor(report),
    ...(extra.settings ? { settings: CheckSettingsSchema.parse(extra.settings) } : {}),
    ...(extra.history ? { history: extra.history } : {}),
  };
  return runChecks(context);
}

/** The clean month with one facility's block changed. */
function mutated(unitId: string, change: (unit: UnitReport) => void, report: MonthlyReport = cleanMonth()): MonthlyReport {
  const copy = structuredClone(report);
  const unit = copy.units.find((u) => u.unitId === unitId);
  if (!unit) throw new Error(`no block ${unitId}`);
  change(unit);
  return copy;
}

function set(unit: UnitReport, key: string, value: number, basis?: 'measured' | 'default'): void {
  const p = unit.parameters[key];
  if (!p) throw new Error(`no ${key} in ${unit.unitId}`);
  unit.parameters[key] = { ...p, value, declaredValue: value, ...(basis ? { basis } : {}) };
}

const codes = (issues: readonly Issue[]) => [...new Set(issues.map((i) => i.code))].sort();
const prior = (report: MonthlyReport): PriorMonth => ({
  period: report.period,
  report,
  evidence: evidenceFor(report).map(({ fileName, sha256 }) => ({ fileName, sha256 })),
});

describe('a clean month of every industry', () => {
  it('has no issues: a cement line, a potline and steel processes inside every band, beside the power units', () => {
    // Act
    const issues = run(cleanMonth());
    // Assess
    expect(issues).toEqual([]);
  });

  it('has no issues with last month as history: stocks carried over, defaults repeated, nothing copied', () => {
    // Prepare
    const others = ['L1', 'P1', 'ENT', 'BF1'];
    // Act
    const april = run(cleanMonth('2026-04'), { history: [prior(cleanMonth('2026-03'))] }).filter((i) => others.includes(i.unitId ?? ''));
    const march = run(cleanMonth('2026-03'), { history: [prior(cleanMonth('2026-02'))] }).filter((i) => others.includes(i.unitId ?? ''));
    // Assess
    expect(april).toEqual([]);
    expect(march).toEqual([]);
  });
});

describe('the generic checks judge each facility by its catalogue', () => {
  it('a value outside its range is an EVD-PARAM-RANGE error naming the line and the fuel', () => {
    // Prepare
    const report = mutated('L1', (u) => set(u, 'oxidation[kilnCoal]', 100.5));
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-PARAM-RANGE']);
    expect(issues[0]).toMatchObject({
      severity: 'error',
      category: 'plausibility',
      unitId: 'L1',
      field: 'oxidation[kilnCoal]',
      expected: '0–100 %',
      found: '100.5 %',
    });
    expect(issues[0]?.message.zh).toBe('熟料生产线 L1 的碳氧化率（入窑煤） (oxidation[kilnCoal])为 100.5 %，超出合理范围 0–100 %');
    expect(issues[0]?.message.en).toBe('Line L1: carbon oxidation rate (kiln coal) (oxidation[kilnCoal]) is 100.5 %, outside the plausible range 0–100 %');
  });

  it('a value outside its typical band but inside its range is an EVD-PARAM-ATYPICAL warning', () => {
    // Prepare
    const report = mutated('L1', (u) => set(u, 'ncv[kilnCoal]', 27.2));
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-PARAM-ATYPICAL']);
    expect(issues[0]).toMatchObject({ severity: 'warning', field: 'ncv[kilnCoal]', expected: '20–27 GJ/t', found: '27.2 GJ/t' });
    expect(issues[0]?.message.zh).toContain('熟料生产线 L1 的低位发热量（入窑煤）');
  });

  it('a material’s own typical band applies: coke’s NCV is not blast furnace gas’s', () => {
    // Prepare
    const report = mutated('BF1', (u) => set(u, 'ncv[coke]', 33));
    // Act
    const issues = run(report);
    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-PARAM-ATYPICAL', unitId: 'BF1', field: 'ncv[coke]', expected: '27–29.5 GJ/t' })]);
    expect(issues[0]?.message.zh).toContain('工序 BF1 的低位发热量（焦炭）');
  });

  it('a value that is the default is not atypical, even where the default is outside the typical band', () => {
    // Prepare: cement's assumed carbon per heat default 0.03085 is above the measured 0.024–0.028.
    const report = mutated('L1', (u) => {
      set(u, 'carbonPerHeat[kilnCoal]', 0.03085, 'default');
      delete u.labReport;
    });
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).not.toContain('EVD-PARAM-ATYPICAL');
  });

  it('a default that differs from the guideline’s (clinker factor of another type) is an EVD-DEFAULT-MISMATCH error', () => {
    // Prepare
    const report = mutated('L1', (u) => set(u, 'clinkerProcessFactor', 0.55));
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-DEFAULT-MISMATCH']);
    expect(issues[0]).toMatchObject({
      severity: 'error',
      category: 'conformity',
      field: 'clinkerProcessFactor',
      expected: '0.535 tCO2/t',
      found: '0.55 tCO2/t',
    });
    expect(issues[0]?.message.zh).toBe('熟料生产线 L1 的熟料过程排放因子 (clinkerProcessFactor)取缺省值，但填报为 0.55 tCO2/t，与指南缺省值 0.535 tCO2/t 不符');
  });

  it('a default within a relative 1e-6 of the guideline’s is the default', () => {
    // Prepare
    const report = mutated('L1', (u) => set(u, 'substituteDeduction[carbideSlag]', 0.4800001));
    // Act / Assess
    expect(run(report)).toEqual([]);
  });

  it('a declared default unlike an estimated default is only an EVD-DEFAULT-UNCONFIRMED warning', () => {
    // Prepare: declared 缺省值, but not the 0.03085 assumed (the guideline's table is not verified).
    const report = mutated('L1', (u) => {
      set(u, 'carbonPerHeat[kilnCoal]', 0.0265, 'default');
      delete u.labReport;
    });
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-DEFAULT-UNCONFIRMED']);
    expect(issues[0]).toMatchObject({ severity: 'warning', field: 'carbonPerHeat[kilnCoal]', expected: '0.03085 tC/GJ', found: '0.0265 tC/GJ' });
  });

  it('a declared default on a measured-or-default parameter is checked too (aluminium’s net anode)', () => {
    // Prepare
    const report = mutated('P1', (u) => set(u, 'anodeNetPerTonne', 0.42, 'default'));
    // Act
    const issues = run(report);
    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-DEFAULT-MISMATCH', unitId: 'P1', field: 'anodeNetPerTonne', expected: '0.411 t/t' })]);
    expect(issues[0]?.message.zh).toContain('电解系列 P1 的吨铝炭阳极净耗');
  });

  it('a measured composition without a lab report is one EVD-LAB-REPORT-MEASURED error per facility, naming what was measured', () => {
    // Prepare
    const report = mutated('L1', (u) => delete u.labReport);
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-LAB-REPORT-MEASURED']);
    expect(issues[0]).toMatchObject({ severity: 'error', category: 'evidence', unitId: 'L1', field: 'labReportNo', found: 'carbonPerHeat[kilnCoal]' });
    expect(issues[0]?.message.zh).toBe('熟料生产线 L1 实测了单位热值含碳量（入窑煤），但未填报化验报告编号（应附 CMA/CNAS 化验报告）');
  });

  it('a lab report named without its scan is EVD-EVIDENCE-LAB-MISSING, named by the facility’s level', () => {
    // Prepare
    const report = mutated('L1', (u) => {
      if (u.labReport) u.labReport = { reportNo: u.labReport.reportNo, ...(u.labReport.issuedOn ? { issuedOn: u.labReport.issuedOn } : {}) };
    });
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-EVIDENCE-LAB-MISSING']);
    expect(issues[0]).toMatchObject({ severity: 'error', unitId: 'L1', field: 'labReportNo', found: 'CEM-L1-2026-03' });
    expect(issues[0]?.message.zh).toBe('熟料生产线 L1 的化验报告 CEM-L1-2026-03 未附扫描件');
  });

  it('a composition unlike its default without a declared basis reads as measured', () => {
    // Prepare
    const report = mutated('P1', (u) => {
      u.parameters.anodeSulfur = v(1.6, '%', 'p1-anode-analysis.pdf');
    });
    // Act
    const issues = run(report);
    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-LAB-REPORT-MEASURED', unitId: 'P1', found: 'anodeSulfur' })]);
  });

  it('a composition at its default while the lab report is attached is an EVD-DEFAULT-WITH-LAB warning, one per parameter', () => {
    // Prepare
    const report = mutated('P1', (u) => {
      u.labReport = { reportNo: 'ALU-P1-2026-03', issuedOn: '2026-04-03', evidenceFile: 'p1-lab.pdf' };
    });
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-DEFAULT-WITH-LAB']);
    expect(issues.map((i) => [i.severity, i.field, i.found])).toEqual([
      ['warning', 'anodeSulfur', '2 %'],
      ['warning', 'anodeAsh', '0.4 %'],
    ]);
    expect(issues[0]?.message.zh).toBe('电解系列 P1 附有化验报告，但炭阳极含硫量 (anodeSulfur)使用了缺省值 2 %');
  });

  it('a required parameter absent is EVD-PARAM-MISSING, per registered material', () => {
    // Prepare
    const report = mutated('L1', (u) => delete u.parameters['substituteConsumed[carbideSlag]']);
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-PARAM-MISSING']);
    expect(issues[0]).toMatchObject({ severity: 'error', field: 'substituteConsumed[carbideSlag]', expected: 'a value in t', found: '(absent)' });
    expect(issues[0]?.message.zh).toBe('熟料生产线 L1 缺少参数：非碳酸盐替代原料消耗量（电石渣） (substituteConsumed[carbideSlag])');
  });

  it('a material the registry does not list for the facility is EVD-PARAM-EXTRA', () => {
    // Prepare
    const report = mutated('L1', (u) => {
      u.parameters['fuelConsumed[calcinerCoal]'] = v(1000, 't', 'l1-coal.pdf');
    });
    // Act
    const issues = run(report);
    // Assess
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'EVD-PARAM-EXTRA',
        severity: 'warning',
        field: 'fuelConsumed[calcinerCoal]',
        expected: 'the materials registered for this line: kilnCoal, carbideSlag',
      }),
    ]);
  });

  it('a facility of an industry owed that month missing from the report is EVD-UNIT-MISSING, named by its level', () => {
    // Prepare
    const report = { ...cleanMonth(), units: cleanMonth().units.filter((u) => u.unitId !== 'P1') };
    // Act
    const issues = run(report);
    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-UNIT-MISSING', unitId: 'P1', expected: 'a block of rows for this potline' })]);
    expect(issues[0]?.message.zh).toBe('缺少电解系列 P1 的数据');
  });

  it('a facility of an industry not yet owed is not missing', () => {
    // Prepare: steel and aluminium deposit monthly from 2025-07; in 2025-06 only power and cement (here) are owed.
    const enterprise: Enterprise = {
      ...ENTERPRISE,
      industries: ENTERPRISE.industries?.map((o) => (o.industry === 'aluminium' ? { ...o, obligedFrom: '2026-06' } : o)),
    };
    const report = { ...cleanMonth(), units: cleanMonth().units.filter((u) => u.unitId !== 'P1') };
    // Act
    const issues = runChecks({ report, enterprise, evidence: evidenceFor(report) });
    // Assess
    expect(codes(issues)).toEqual([]);
  });

  it('a block of an industry not yet owed is judged for what it holds, not returned for what it lacks', () => {
    // Prepare: the potline deposits two months before its obligation starts, with a figure missing and one out of band.
    const enterprise: Enterprise = {
      ...ENTERPRISE,
      industries: ENTERPRISE.industries?.map((o) => (o.industry === 'aluminium' ? { ...o, obligedFrom: '2026-05' } : o)),
    };
    const report = mutated('P1', (u) => {
      delete u.parameters.acPower;
      set(u, 'anodeEffectMinutes', 0.9);
    });
    // Act
    const issues = runChecks({ report, enterprise, evidence: evidenceFor(report) });
    // Assess
    expect(codes(issues)).toEqual(['EVD-PARAM-ATYPICAL']);
  });

  it('a parameter with supporting material in the catalogue and no file named is EVD-EVIDENCE-LEDGER-MISSING; a default needs none', () => {
    // Prepare
    const report = mutated('L1', (u) => {
      const p = u.parameters.clinkerOutput;
      if (p) delete p.evidenceFile;
    });
    // Act
    const issues = run(report);
    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-EVIDENCE-LEDGER-MISSING', severity: 'warning', field: 'clinkerOutput' })]);
    expect(issues[0]?.message.zh).toBe('熟料生产线 L1 的熟料产量 (clinkerOutput)未注明证据文件（生产报表、熟料库盘库记录）');
  });

  it('power’s checks do not judge another industry’s parameter of the same code (cement’s purchased electricity)', () => {
    // Prepare: beyond power's EVD-RANGE-PURCHASED (0–1,000,000 MWh) would be cement's range too; 1.2 GWh is within neither's, only the generic code speaks.
    const report = mutated('L1', (u) => set(u, 'purchasedElectricity', 1_200_000));
    // Act
    const found = codes(run(report));
    // Assess
    expect(found).toContain('EVD-PARAM-RANGE');
    expect(found).not.toContain('EVD-RANGE-PURCHASED');
  });
});

describe('the catalogue cross-checks', () => {
  it('purchased electricity per tonne of clinker outside its estimated band is an EVD-CEM-POWER-RATE warning', () => {
    // Prepare
    const report = mutated('L1', (u) => set(u, 'purchasedElectricity', 10_500));
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-CEM-POWER-RATE']);
    expect(issues[0]).toMatchObject({
      severity: 'warning',
      category: 'plausibility',
      field: 'purchasedElectricity',
      expected: '50–65 kWh/t',
      found: '70 kWh/t',
    });
    expect(issues[0]?.message.zh).toBe('熟料生产线 L1：净购入电量 (purchasedElectricity)——吨熟料购入电量为 70 kWh/t，应为 50–65 kWh/t');
  });

  it('output beyond what the series current and cells allow is an EVD-ALU-CURRENT-EFFICIENCY warning', () => {
    // Prepare: the gross anode and AC power rates move with the output, so they are held at theirs.
    const report = mutated('P1', (u) => {
      set(u, 'aluminiumOutput', 30_000);
      set(u, 'anodeConsumed', 15_300);
      set(u, 'acPower', 399_000);
    });
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-ALU-CURRENT-EFFICIENCY']);
    expect(issues[0]).toMatchObject({ severity: 'warning', field: 'aluminiumOutput', found: '30000 t (100.1 %)' });
    expect(issues[0]?.message.zh).toContain('电解系列 P1：铝液产量 (aluminiumOutput)——由系列电流和槽数推算的电流效率为');
  });

  it('a stock line that does not balance is an EVD-STEEL-MASS-BALANCE error (conformity)', () => {
    // Prepare
    const report = mutated('BF1', (u) => set(u, 'netConsumed[coke]', 150_000));
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-STEEL-MASS-BALANCE']);
    expect(issues[0]).toMatchObject({ severity: 'error', category: 'conformity', field: 'netConsumed[coke]', found: '150000' });
    expect(issues[0]?.expected).toBe('149000 = 22000 + 150000 + 0 − 23000 − 0');
    expect(issues[0]?.message.zh).toContain('工序 BF1：净消耗量（焦炭） (netConsumed[coke])——');
  });

  it('steel’s opening stock is judged against last month’s accepted closing stock, from history', () => {
    // Prepare: February closed the coke stock at 21,500 t; March opens at 22,000 t.
    const february = mutated('BF1', (u) => set(u, 'closingStock[coke]', 21_500), cleanMonth('2026-02'));
    // Act
    const withHistory = run(cleanMonth(), { history: [prior(february)] }).filter((i) => i.unitId === 'BF1');
    const without = run(cleanMonth()).filter((i) => i.unitId === 'BF1');
    const carried = run(cleanMonth(), { history: [prior(cleanMonth('2026-02'))] }).filter((i) => i.unitId === 'BF1');
    // Assess
    expect(without).toEqual([]);
    expect(carried).toEqual([]);
    expect(withHistory).toEqual([
      expect.objectContaining({
        code: 'EVD-STEEL-STOCK-CONTINUITY',
        severity: 'error',
        field: 'openingStock[coke]',
        expected: '21500 (2026-02 closing stock)',
        found: '22000',
      }),
    ]);
  });

  it('only the month immediately before counts as last month', () => {
    // Prepare
    const january = mutated('BF1', (u) => set(u, 'closingStock[coke]', 21_500), cleanMonth('2026-01'));
    // Act
    const issues = run(cleanMonth(), { history: [prior(january)] }).filter((i) => i.code === 'EVD-STEEL-STOCK-CONTINUITY');
    // Assess
    expect(issues).toEqual([]);
  });
});

describe('settings move the bands of each industry', () => {
  it('a wider cross-check band set for the industry accepts what the catalogue’s band flags', () => {
    // Prepare
    const report = mutated('L1', (u) => set(u, 'purchasedElectricity', 10_500));
    // Act
    const tuned = run(report, { settings: { industries: { cement: { crossChecks: { 'EVD-CEM-POWER-RATE': { max: 75 } } } } } });
    // Assess
    expect(tuned).toEqual([]);
  });

  it('a cross-check can be switched off', () => {
    // Prepare
    const report = mutated('L1', (u) => set(u, 'purchasedElectricity', 10_500));
    // Act / Assess
    expect(run(report, { settings: { industries: { cement: { crossChecks: { 'EVD-CEM-POWER-RATE': { enabled: false } } } } } })).toEqual([]);
  });

  it('a tighter typical band for one material turns an accepted value into a warning, and the rest keep the catalogue’s', () => {
    // Prepare
    const settings = CheckSettingsSchema.parse({ industries: { steel: { typical: { 'ncv[coke]': { min: 28.5, max: 29.5 } } } } });
    // Act
    const issues = runChecks({ report: cleanMonth(), enterprise: ENTERPRISE, evidence: evidenceFor(cleanMonth()), settings });
    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-PARAM-ATYPICAL', field: 'ncv[coke]', expected: '28.5–29.5 GJ/t' })]);
    expect(settings.industries.steel?.typical['ncv[bfg]']).toEqual({ min: 30, max: 38 });
  });

  it('a wider range turns the error into the typical band’s warning', () => {
    // Prepare
    const report = mutated('L1', (u) => set(u, 'oxidation[kilnCoal]', 100.5));
    // Act
    const issues = run(report, { settings: { industries: { cement: { ranges: { oxidation: { min: 0, max: 101 } } } } } });
    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-PARAM-ATYPICAL', severity: 'warning', field: 'oxidation[kilnCoal]', expected: '90–99 %' })]);
  });

  it('refuses a key, a cross-check or an industry the catalogues do not have', () => {
    // Act
    const parsed = CheckSettingsSchema.safeParse({
      industries: { cement: { ranges: { clinkerOuptut: { min: 0, max: 1 } }, crossChecks: { 'EVD-ALU-ANODE-CO2': {} } }, chemicals: {} },
    });
    // Assess
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'industries.cement.ranges.clinkerOuptut',
      'industries.cement.crossChecks.EVD-ALU-ANODE-CO2',
      'industries.chemicals',
    ]);
  });
});

describe('the history signals judge every industry', () => {
  it('a clinker output more than 40 % off last month’s is an EVD-HIST-ABRUPT-CHANGE warning (an estimate: configurable)', () => {
    // Prepare
    const february = mutated('L1', (u) => set(u, 'clinkerOutput', 100_000), cleanMonth('2026-02'));
    // Act
    const issues = run(cleanMonth(), { history: [prior(february)] }).filter((i) => i.unitId === 'L1');
    const loosened = run(cleanMonth(), { history: [prior(february)], settings: { industries: { cement: { changeBands: { clinkerOutput: 0.6 } } } } }).filter(
      (i) => i.unitId === 'L1',
    );
    // Assess
    expect(issues).toEqual([
      expect.objectContaining({ code: 'EVD-HIST-ABRUPT-CHANGE', severity: 'warning', field: 'clinkerOutput', found: '150000 (+50.0%)' }),
    ]);
    expect(issues[0]?.message.zh).toContain('熟料生产线 L1 的熟料产量 (clinkerOutput)为 150000 (+50.0%)');
    expect(loosened).toEqual([]);
  });

  it('a month copied from the previous one is EVD-HIST-IDENTICAL-MONTH, over the keys of every industry', () => {
    // Prepare: February's potline figures are March's.
    const february = { ...cleanMonth('2026-02'), units: cleanMonth('2026-02').units.map((u) => (u.unitId === 'P1' ? potline('2026-03') : u)) };
    // Act
    const issues = run(cleanMonth(), { history: [prior(february)] }).filter((i) => i.unitId === 'P1');
    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-HIST-IDENTICAL-MONTH', expected: '2026-02' })]);
    // The three anode defaults are the same every month by rule: they are not counted.
    expect(issues[0]?.found).toBe('4 values (aluminiumOutput, anodeConsumed, anodeEffectMinutes, acPower)');
    expect(issues[0]?.message.zh).toBe(
      '电解系列 P1 有 4 项数值（铝液产量、炭阳极消耗量、平均每槽每日阳极效应持续时间、铝电解交流电耗） 与上月完全相同（2026-02），请核实是否照抄',
    );
  });
});

describe('power keeps its own checks', () => {
  it('carbon per heat at the default with a lab report still gives only EVD-CPH-DEFAULT-WITH-LAB', () => {
    // Prepare
    const report = mutated('1', (u) => set(u, 'carbonPerHeat', 0.03085));
    // Act
    const issues = run(report);
    // Assess
    expect(codes(issues)).toEqual(['EVD-CPH-DEFAULT-WITH-LAB']);
    expect(issues[0]?.message.zh).toBe('机组 1 附有化验报告，但单位热值含碳量使用了缺省值 0.03085 tC/GJ');
  });
});
