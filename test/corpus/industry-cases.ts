/**
 * The corpus cases of the cement, aluminium and steel deposits (appended to `corpusCases()` in
 * cases.ts): per industry a clean month in CSV, XLSX and JSON, then one case per check that judges
 * these industries — each the clean month of examples/industries.ts with one mutation, the
 * cascades it necessarily causes listed too. Steel's stock continuity and the history signals
 * have the previous months as `before` deposits.
 */
import type { Verdict } from '#domain/issues.ts';
import { addMonths } from '#domain/period.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { MeasuredValue, MonthlyReport, UnitReport } from '#domain/report.ts';
import { type Cell, csvOfRows, reportRows, writeCsvBytes, writeJson, writeXlsx } from '#domain/report-writers.ts';
import { DEMO_PERIOD, type DemoFile, declareHashes, pdfBytes } from '#examples/demo.ts';
import {
  ALUMINIUM_ENTERPRISE,
  CEMENT_ENTERPRISE,
  CEMENT_TWO_LINES_ENTERPRISE,
  INDUSTRY_EVIDENCE_NAMES,
  industryEvidence,
  industryReport,
  STEEL_ENTERPRISE,
} from '#examples/industries.ts';
import type { CorpusCase, CorpusDeposit, CorpusFile } from './cases.ts';

type Format = 'csv' | 'xlsx' | 'json';

interface Build {
  readonly enterprise: Enterprise;
  readonly period?: string;
  readonly format?: Format;
  /** Changes the clean report; declared hashes are recomputed afterwards. */
  readonly mutate?: (report: MonthlyReport) => void;
  /** Changes the evidence set. */
  readonly evidence?: (files: DemoFile[]) => DemoFile[];
  /** Replaces the written report with these rows (header first) as UTF-8 CSV. */
  readonly rows?: (rows: Cell[][]) => Cell[][];
}

interface Spec {
  readonly name: string;
  readonly verdict: Verdict;
  readonly codes: readonly string[];
  readonly build: Build;
  /** Earlier clean months of the same enterprise (periods), recorded first. */
  readonly before?: readonly string[];
  /** The registry entry, when it differs from the build's enterprise. */
  readonly enterprise?: Enterprise;
}

const received = (period: string) => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  // Ten days after the month ends, 10:00 Beijing time.
  return new Date(Date.UTC(y, m, 10, 2)).toISOString();
};

async function reportFile(report: MonthlyReport, format: Format): Promise<CorpusFile> {
  switch (format) {
    case 'csv':
      return { fileName: 'report.csv', bytes: writeCsvBytes(report) };
    case 'xlsx':
      return { fileName: 'report.xlsx', bytes: await writeXlsx(report) };
    case 'json':
      return { fileName: 'report.json', bytes: new TextEncoder().encode(writeJson(report)) };
  }
}

async function deposit(b: Build): Promise<CorpusDeposit> {
  const period = b.period ?? DEMO_PERIOD;
  const original = industryEvidence(b.enterprise, period);
  const report = structuredClone(industryReport(b.enterprise, period, { evidence: original }));
  b.mutate?.(report);
  const evidence = b.evidence ? b.evidence([...original]) : original;
  const declared = declareHashes(report, evidence);
  const file = b.rows
    ? { fileName: 'report.csv', bytes: new TextEncoder().encode(csvOfRows(b.rows(reportRows(declared)))) }
    : await reportFile(declared, b.format ?? 'csv');
  return { enterpriseId: b.enterprise.enterpriseId, period, depositId: `d-${period}-1`, files: { report: file, evidence }, receivedAt: received(period) };
}

function unit(report: MonthlyReport, unitId: string): UnitReport {
  const found = report.units.find((u) => u.unitId === unitId);
  if (!found) throw new Error(`the report has no facility ${unitId}`);
  return found;
}

function param(report: MonthlyReport, unitId: string, key: string): MeasuredValue {
  const found = unit(report, unitId).parameters[key];
  if (!found) throw new Error(`${unitId} reports no ${key}`);
  return found;
}

const get = (report: MonthlyReport, unitId: string, key: string) => param(report, unitId, key).value;

/** Sets a value (declared in its canonical unit, as the clean month declares it), keeping its evidence and basis; `basis` replaces the declared basis. */
function set(report: MonthlyReport, unitId: string, key: string, value: number, basis?: 'measured' | 'default'): void {
  const u = unit(report, unitId);
  const previous = u.parameters[key];
  u.parameters[key] = {
    declaredUnit: previous?.declaredUnit ?? '',
    ...previous,
    value,
    declaredValue: value,
    ...(basis ? { basis } : {}),
  };
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/** Multiplies a facility's figures by `factor` (every key named, or starting with a name followed by `[`). */
function scale(report: MonthlyReport, unitId: string, codes: readonly string[], factor: number): void {
  for (const key of Object.keys(unit(report, unitId).parameters))
    if (codes.some((code) => key === code || key.startsWith(`${code}[`))) set(report, unitId, key, round(get(report, unitId, key) * factor, 1));
}

/** A cement line's tonnages and electricity, all scaled: the line ran more (or less), its ratios unchanged. */
const CEMENT_VOLUMES = ['clinkerOutput', 'substituteConsumed', 'fuelConsumed', 'purchasedElectricity', 'wasteHeatPower'];

/** Adds `delta` to two figures of a steel stock line at once, so the line still balances. */
function shift(report: MonthlyReport, unitId: string, keys: readonly [string, string], delta: number): void {
  for (const key of keys) set(report, unitId, key, get(report, unitId, key) + delta);
}

const C1 = CEMENT_ENTERPRISE;
const C2 = CEMENT_TWO_LINES_ENTERPRISE;
const AL = ALUMINIUM_ENTERPRISE;
const ST = STEEL_ENTERPRISE;
const FEB = addMonths(DEMO_PERIOD, -1);
const JAN = addMonths(DEMO_PERIOD, -2);

const CLEAN: Spec[] = (
  [
    ['cement (one line)', C1],
    ['cement (two lines)', C2],
    ['aluminium', AL],
    ['steel', ST],
  ] as const
).flatMap(([what, enterprise]) =>
  (['csv', 'xlsx', 'json'] as const).map((format) => ({
    name: `a clean ${what} month as ${format.toUpperCase()} is accepted`,
    verdict: 'accepted' as const,
    codes: [],
    build: { enterprise, format },
  })),
);

const HISTORY_CLEAN: Spec[] = [
  {
    name: 'a steel month whose opening stocks continue the accepted closing stocks of the two months before is accepted',
    verdict: 'accepted',
    codes: [],
    build: { enterprise: ST },
    before: [JAN, FEB],
  },
  {
    name: 'a cement month after two accepted months that differ normally is accepted',
    verdict: 'accepted',
    codes: [],
    build: { enterprise: C2 },
    before: [JAN, FEB],
  },
];

const PARAMETERS: Spec[] = [
  {
    name: 'anode-effect minutes beyond a day per cell-day are returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-RANGE'],
    build: { enterprise: AL, mutate: (r) => set(r, 'P1', 'anodeEffectMinutes', 1500) },
  },
  {
    name: 'a negative blast furnace gas NCV is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-RANGE'],
    build: { enterprise: ST, mutate: (r) => set(r, 'IRON', 'ncv[bfg]', -3) },
  },
  {
    name: 'anode-effect minutes of 0.5 per cell-day (typically at most 0.3) need review',
    verdict: 'needs-review',
    codes: ['EVD-PARAM-ATYPICAL'],
    build: { enterprise: AL, mutate: (r) => set(r, 'P1', 'anodeEffectMinutes', 0.5) },
  },
  {
    name: "a coke NCV below coke's typical band needs review",
    verdict: 'needs-review',
    codes: ['EVD-PARAM-ATYPICAL'],
    build: { enterprise: ST, mutate: (r) => set(r, 'IRON', 'ncv[coke]', 26) },
  },
  {
    name: 'a Portland line declaring a clinker factor other than the default 0.535 is returned',
    verdict: 'returned',
    codes: ['EVD-DEFAULT-MISMATCH'],
    build: { enterprise: C1, mutate: (r) => set(r, 'L1', 'clinkerProcessFactor', 0.52) },
  },
  {
    name: 'a net anode consumption declared the default but unlike 0.411 is returned',
    verdict: 'returned',
    codes: ['EVD-DEFAULT-MISMATCH'],
    build: { enterprise: AL, mutate: (r) => set(r, 'P1', 'anodeNetPerTonne', 0.42, 'default') },
  },
  {
    name: 'a scrap factor declared the default but unlike 0.037 is returned',
    verdict: 'returned',
    codes: ['EVD-DEFAULT-MISMATCH'],
    build: { enterprise: ST, mutate: (r) => set(r, 'BOF', 'carbonFactor[scrap]', 0.04, 'default') },
  },
  {
    name: 'a natural gas NCV declared the default but unlike the (estimated) default needs review',
    verdict: 'needs-review',
    codes: ['EVD-DEFAULT-UNCONFIRMED'],
    build: { enterprise: AL, mutate: (r) => set(r, 'P1', 'ncv[naturalGas]', 380, 'default') },
  },
  {
    name: 'a cement line with measured carbon per heat but no lab report is returned',
    verdict: 'returned',
    codes: ['EVD-LAB-REPORT-MEASURED'],
    build: {
      enterprise: C1,
      mutate: (r) => {
        delete unit(r, 'L1').labReport;
      },
    },
  },
  {
    name: 'a potline declaring its anode sulfur measured without a lab report is returned',
    verdict: 'returned',
    codes: ['EVD-LAB-REPORT-MEASURED'],
    build: { enterprise: AL, mutate: (r) => set(r, 'P1', 'anodeSulfur', 1.6, 'measured') },
  },
  {
    name: 'a coking process with measured carbon per heat but no lab report is returned',
    verdict: 'returned',
    codes: ['EVD-LAB-REPORT-MEASURED'],
    build: {
      enterprise: ST,
      mutate: (r) => {
        delete unit(r, 'COK').labReport;
      },
    },
  },
  {
    name: 'anode sulfur, ash and gas carbon at their defaults while a lab report is attached need review',
    verdict: 'needs-review',
    codes: ['EVD-DEFAULT-WITH-LAB'],
    build: {
      enterprise: AL,
      mutate: (r) => {
        unit(r, 'P1').labReport = {
          reportNo: `JX-ANODE-${DEMO_PERIOD}-P1`,
          issuedOn: `${addMonths(DEMO_PERIOD, 1)}-05`,
          evidenceFile: INDUSTRY_EVIDENCE_NAMES.lab('P1'),
        };
      },
      evidence: (files) => [
        ...files,
        { fileName: INDUSTRY_EVIDENCE_NAMES.lab('P1'), bytes: pdfBytes(`${AL.enterpriseId} ${DEMO_PERIOD} P1 anode lab report`) },
      ],
    },
  },
  {
    name: 'a 取值方式 cell that is neither 实测 nor 缺省值 is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-BASIS'],
    build: {
      enterprise: C1,
      rows: (rows) => {
        const header = rows[0] ?? [];
        const basis = header.indexOf('basis');
        const i = rows.findIndex((row) => row[2] === 'L1' && row[3] === 'carbonPerHeat[kilnCoal]');
        if (basis < 0 || i < 0) throw new Error('no basis cell for L1 carbonPerHeat[kilnCoal]');
        (rows[i] as Cell[])[basis] = '估算';
        return rows;
      },
    },
  },
];

const CROSS: Spec[] = [
  {
    name: 'clinker above design capacity × days × 1.1 needs review',
    verdict: 'needs-review',
    codes: ['EVD-CEM-OUTPUT-CAPACITY'],
    build: { enterprise: C1, mutate: (r) => scale(r, 'L1', CEMENT_VOLUMES, 1.2) },
  },
  {
    name: 'substitutes too large for the clinker (process CO₂ below 0.45 t/t) need review, and so does the direct intensity they lower',
    verdict: 'needs-review',
    codes: ['EVD-CEM-PROCESS-INTENSITY', 'EVD-CEM-DIRECT-INTENSITY'],
    build: { enterprise: C1, mutate: (r) => set(r, 'L1', 'substituteConsumed[carbideSlag]', 30_000) },
  },
  {
    name: 'a direct intensity below 0.80 tCO₂ per tonne of clinker needs review',
    verdict: 'needs-review',
    codes: ['EVD-CEM-DIRECT-INTENSITY'],
    build: { enterprise: C1, mutate: (r) => set(r, 'L1', 'substituteConsumed[carbideSlag]', 20_000) },
  },
  {
    name: 'coal above 0.17 t per tonne of clinker needs review',
    verdict: 'needs-review',
    codes: ['EVD-CEM-KILN-COAL-RATE'],
    build: { enterprise: C1, mutate: (r) => scale(r, 'L1', ['fuelConsumed'], 1.2) },
  },
  {
    name: 'purchased electricity of 80 kWh per tonne of clinker needs review',
    verdict: 'needs-review',
    codes: ['EVD-CEM-POWER-RATE'],
    build: { enterprise: C1, mutate: (r) => set(r, 'L1', 'purchasedElectricity', 12_000) },
  },
  {
    name: 'waste heat power of 10 kWh per tonne of clinker needs review',
    verdict: 'needs-review',
    codes: ['EVD-CEM-WASTE-HEAT-RATE'],
    build: { enterprise: C2, mutate: (r) => set(r, 'L2', 'wasteHeatPower', round(get(r, 'L2', 'clinkerOutput') * 0.01, 1)) },
  },
  {
    name: 'aluminium output the potline cannot have made at 88–96 % current efficiency needs review',
    verdict: 'needs-review',
    codes: ['EVD-ALU-CURRENT-EFFICIENCY'],
    build: { enterprise: AL, mutate: (r) => scale(r, 'P1', ['aluminiumOutput', 'anodeConsumed', 'acPower'], 0.9) },
  },
  {
    name: 'anode CO₂ above 1.55 t per tonne of aluminium needs review',
    verdict: 'needs-review',
    codes: ['EVD-ALU-ANODE-CO2'],
    build: { enterprise: AL, mutate: (r) => set(r, 'P1', 'anodeNetPerTonne', 0.445, 'measured') },
  },
  {
    name: 'gross anode above 0.55 t per tonne of aluminium needs review',
    verdict: 'needs-review',
    codes: ['EVD-ALU-GROSS-ANODE-RATE'],
    build: { enterprise: AL, mutate: (r) => scale(r, 'P1', ['anodeConsumed'], 1.15) },
  },
  {
    name: 'AC power of 14,000 kWh per tonne of aluminium needs review',
    verdict: 'needs-review',
    codes: ['EVD-ALU-AC-POWER-RATE'],
    build: { enterprise: AL, mutate: (r) => set(r, 'P1', 'acPower', round(get(r, 'P1', 'aluminiumOutput') * 14, 1)) },
  },
  {
    name: "an opening coal stock unlike last month's accepted closing stock is returned, though the month balances in itself",
    verdict: 'returned',
    codes: ['EVD-STEEL-STOCK-CONTINUITY'],
    build: { enterprise: ST, mutate: (r) => shift(r, 'COK', ['openingStock[coal]', 'netConsumed[coal]'], 500) },
    before: [FEB],
  },
  {
    name: 'a net coke consumption that is not opening + purchased + generated − closing − output is returned',
    verdict: 'returned',
    codes: ['EVD-STEEL-MASS-BALANCE'],
    build: { enterprise: ST, mutate: (r) => set(r, 'IRON', 'netConsumed[coke]', get(r, 'IRON', 'netConsumed[coke]') + 1000) },
  },
  {
    name: 'hot metal of almost a tonne per tonne of crude steel needs review',
    verdict: 'needs-review',
    codes: ['EVD-STEEL-HOT-METAL-RATIO'],
    build: { enterprise: ST, mutate: (r) => scale(r, 'ENT', ['hotMetalOutput'], 1.15) },
  },
  {
    name: 'blast furnace gas of 1,950 Nm³ per tonne of hot metal needs review',
    verdict: 'needs-review',
    codes: ['EVD-STEEL-BFG-RATE'],
    build: { enterprise: ST, mutate: (r) => shift(r, 'IRON', ['generated[bfg]', 'output[bfg]'], round(get(r, 'IRON', 'generated[bfg]') * 0.3)) },
  },
  {
    name: 'electrode of 6 kg per tonne of EAF steel needs review',
    verdict: 'needs-review',
    codes: ['EVD-STEEL-ELECTRODE-RATE'],
    build: { enterprise: ST, mutate: (r) => shift(r, 'EAF', ['purchased[electrode]', 'netConsumed[electrode]'], 120) },
  },
];

const GENERIC: Spec[] = [
  {
    name: 'a registered clinker line missing from the report is returned',
    verdict: 'returned',
    codes: ['EVD-UNIT-MISSING'],
    build: {
      enterprise: C2,
      mutate: (r) => {
        r.units = r.units.filter((u) => u.unitId !== 'L2');
      },
    },
  },
  {
    name: 'a clinker line the registry does not know is returned',
    verdict: 'returned',
    codes: ['EVD-UNIT-UNKNOWN'],
    build: {
      enterprise: C1,
      mutate: (r) => {
        r.units.push({ ...structuredClone(unit(r, 'L1')), unitId: 'L9' });
      },
    },
  },
  {
    name: 'a potline without its AC power is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-MISSING'],
    build: {
      enterprise: AL,
      mutate: (r) => {
        delete unit(r, 'P1').parameters.acPower;
      },
    },
  },
  {
    name: 'a coking process without the closing stock of its coal is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-MISSING'],
    build: {
      enterprise: ST,
      mutate: (r) => {
        delete unit(r, 'COK').parameters['closingStock[coal]'];
      },
    },
  },
  {
    name: 'crude steel reported by the ironmaking process needs review',
    verdict: 'needs-review',
    codes: ['EVD-PARAM-EXTRA'],
    build: {
      enterprise: ST,
      mutate: (r) => {
        unit(r, 'IRON').parameters.crudeSteelOutput = { ...param(r, 'BOF', 'crudeSteelOutput'), evidenceFile: INDUSTRY_EVIDENCE_NAMES.ledger('IRON') };
      },
    },
  },
  {
    name: 'a parameter the cement catalogue does not have is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-UNKNOWN'],
    build: {
      enterprise: C1,
      mutate: (r) => {
        unit(r, 'L1').parameters.clinkerMoisture = { value: 0.5, declaredValue: 0.5, declaredUnit: '%', evidenceFile: INDUSTRY_EVIDENCE_NAMES.ledger('L1') };
      },
    },
  },
  {
    name: 'AC power in GWh, a unit the catalogue does not accept, is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-UNIT'],
    build: {
      enterprise: AL,
      mutate: (r) => Object.assign(param(r, 'P1', 'acPower'), { declaredValue: round(get(r, 'P1', 'acPower') / 1000, 3), declaredUnit: 'GWh' }),
    },
  },
  {
    name: 'aluminium output without its ledger scan needs review',
    verdict: 'needs-review',
    codes: ['EVD-EVIDENCE-LEDGER-MISSING'],
    build: {
      enterprise: AL,
      mutate: (r) => {
        delete param(r, 'P1', 'aluminiumOutput').evidenceFile;
      },
    },
  },
  {
    name: 'a cement month repeating last month’s figures needs review',
    verdict: 'needs-review',
    codes: ['EVD-HIST-IDENTICAL-MONTH'],
    build: {
      enterprise: C1,
      mutate: (r) => {
        const last = industryReport(C1, FEB);
        for (const u of r.units) {
          const before = last.units.find((x) => x.unitId === u.unitId);
          for (const [key, v] of Object.entries(before?.parameters ?? {})) set(r, u.unitId, key, v.value);
        }
      },
    },
    before: [FEB],
  },
  {
    name: 'a lab report number already deposited last month needs review',
    verdict: 'needs-review',
    codes: ['EVD-HIST-LAB-REPORT-REUSED'],
    build: {
      enterprise: C1,
      mutate: (r) => {
        const lab = unit(r, 'L1').labReport;
        const earlier = unit(industryReport(C1, FEB), 'L1').labReport;
        if (!lab || !earlier) throw new Error('the cement line has no lab report');
        lab.reportNo = earlier.reportNo;
      },
    },
    before: [FEB],
  },
  {
    name: 'clinker output half of last month’s (the line’s other figures with it) needs review',
    verdict: 'needs-review',
    codes: ['EVD-HIST-ABRUPT-CHANGE'],
    build: { enterprise: C1, mutate: (r) => scale(r, 'L1', CEMENT_VOLUMES, 0.45) },
    before: [FEB],
  },
];

const SPECS: Spec[] = [...CLEAN, ...HISTORY_CLEAN, ...PARAMETERS, ...CROSS, ...GENERIC];

async function buildCase(spec: Spec): Promise<CorpusCase> {
  const main = await deposit(spec.build);
  const enterprise = spec.enterprise ?? spec.build.enterprise;
  return {
    name: spec.name,
    ...main,
    enterprise,
    ...(spec.before ? { before: await Promise.all(spec.before.map((period) => deposit({ enterprise: spec.build.enterprise, period }))) } : {}),
    expected: { verdict: spec.verdict, codes: spec.codes },
  };
}

/** The industry cases, built once per call. */
export function industryCases(): Promise<CorpusCase[]> {
  return Promise.all(SPECS.map(buildCase));
}
