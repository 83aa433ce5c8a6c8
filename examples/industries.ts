/**
 * Demo enterprises of the three industries that deposit monthly since July 2025, beside the power
 * company of enterprise.ts: two cement companies (one 5,000 t/d Portland line burning kiln and
 * calciner coal with carbide slag; one with two lines), a BF-BOF steel works with an EAF shop
 * (processes enterprise, coking, ironmaking, BOF, EAF, each with its stock lines) and an
 * aluminium smelter (one 400 kA × 300-cell potline, natural gas; net anode, anode sulfur and
 * ash and the gas's NCV and carbon at their defaults, so it needs no lab report). All Jiangxi, obliged from
 * 2025-07.
 *
 * `industryReport` builds a clean month of any of them: every key the catalogue expects of each
 * facility (industry.ts `expectedParameters`), evidence named for every parameter whose catalogue
 * entry asks for evidence, a lab report where a composition is measured (and none where every
 * composition is at its default), the basis (取值方式) declared on every parameter that may be
 * measured or the default, values inside every range, typical band and cross-check band of the
 * catalogues. Steel's stock lines balance (net = opening + purchased + generated − closing −
 * output), and a month's opening stock is the previous month's closing stock, so reports built
 * month after month continue. Values vary by month (deterministically) so the history signals
 * stay quiet.
 */
import type { FacilityLike, IndustryCatalogue } from '#domain/industry.ts';
import { defaultOf, expectedParameters, parameterKey, unitsOf } from '#domain/industry.ts';
import { industryCatalogue } from '#domain/industries/index.ts';
import { addMonths, hoursInMonth, type Period } from '#domain/period.ts';
import { type Enterprise, type Facility, industryOf } from '#domain/registry.ts';
import type { MeasuredValue, MonthlyReport, UnitReport } from '#domain/report.ts';
import { type DemoFile, declareHashes, pdfBytes } from './demo.ts';

const JIANGXI = '360000';

/** 九江: one 5,000 t/d Portland line, kiln and calciner coal, carbide slag. */
export const CEMENT_ENTERPRISE: Enterprise = {
  enterpriseId: '91360400MA35CEM014',
  name: '九江示范水泥有限公司',
  province: JIANGXI,
  city: '360400',
  industry: 'cement',
  industries: [{ industry: 'cement', obligedFrom: '2025-07' }],
  obligedFrom: '2025-07',
  units: [
    {
      unitId: 'L1',
      industry: 'cement',
      clinkerType: 'portland',
      designCapacityTpd: 5000,
      materials: ['kilnCoal', 'calcinerCoal', 'carbideSlag'],
    },
  ],
};

/** 上饶: two Portland lines, one with steel slag, one with fly ash. */
export const CEMENT_TWO_LINES_ENTERPRISE: Enterprise = {
  enterpriseId: '91361100MA35CEM024',
  name: '上饶示范建材股份有限公司',
  province: JIANGXI,
  city: '361100',
  industry: 'cement',
  industries: [{ industry: 'cement', obligedFrom: '2025-07' }],
  obligedFrom: '2025-07',
  units: [
    { unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 4500, materials: ['kilnCoal', 'calcinerCoal', 'steelSlag'] },
    { unitId: 'L2', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 3000, materials: ['kilnCoal', 'calcinerCoal', 'flyAsh'] },
  ],
};

/** 新余: a BF-BOF works with an EAF shop; each process reports its own stock lines. */
export const STEEL_ENTERPRISE: Enterprise = {
  enterpriseId: '91360500MA35GT001P',
  name: '新余示范钢铁有限公司',
  province: JIANGXI,
  city: '360500',
  industry: 'steel',
  industries: [{ industry: 'steel', obligedFrom: '2025-07' }],
  obligedFrom: '2025-07',
  units: [
    { unitId: 'ENT', industry: 'steel', process: 'enterprise', materials: ['coke', 'scrap'] },
    { unitId: 'COK', industry: 'steel', process: 'coking', materials: ['coal', 'coke', 'cog'] },
    { unitId: 'IRON', industry: 'steel', process: 'ironmaking', materials: ['coke', 'bfg', 'limestone'] },
    { unitId: 'BOF', industry: 'steel', process: 'bof', materials: ['bofg', 'dolomite', 'scrap'] },
    { unitId: 'EAF', industry: 'steel', process: 'eaf', materials: ['electrode', 'scrap'] },
  ],
};

/** 鹰潭: one 400 kA potline series of 300 cells, natural gas for casting. */
export const ALUMINIUM_ENTERPRISE: Enterprise = {
  enterpriseId: '91360600MA35AL0013',
  name: '鹰潭示范铝业有限公司',
  province: JIANGXI,
  city: '360600',
  industry: 'aluminium',
  industries: [{ industry: 'aluminium', obligedFrom: '2025-07' }],
  obligedFrom: '2025-07',
  units: [{ unitId: 'P1', industry: 'aluminium', currentKA: 400, cells: 300, materials: ['naturalGas'] }],
};

/** The four registry entries, one per line of the demo registry. */
export const INDUSTRY_ENTERPRISES: readonly Enterprise[] = [CEMENT_ENTERPRISE, CEMENT_TWO_LINES_ENTERPRISE, STEEL_ENTERPRISE, ALUMINIUM_ENTERPRISE];

/** The evidence file names a report uses: per facility by default; the twin's demo names two files for everything. */
export interface EvidenceNames {
  /** The ledger, record or settlement scan of a facility's measured figures. */
  ledger(unitId: string): string;
  /** The facility's CMA/CNAS lab report. */
  lab(unitId: string): string;
}

export const INDUSTRY_EVIDENCE_NAMES: EvidenceNames = {
  ledger: (unitId) => `${unitId}-ledger.pdf`,
  lab: (unitId) => `${unitId}-lab-report.pdf`,
};

export interface IndustryReportOptions {
  /** File names the report gives its evidence; INDUSTRY_EVIDENCE_NAMES by default. */
  readonly names?: EvidenceNames;
  /** The evidence files whose SHA-256 the report declares; `industryEvidence` of the month by default. */
  readonly evidence?: readonly DemoFile[];
}

/** A deterministic number in [−1, 1] per key: the month-to-month variation of a figure. */
export function wobble(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (((h >>> 0) % 20_001) - 10_000) / 10_000;
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));
const daysIn = (period: Period) => hoursInMonth(period) / 24;

/** One figure of a facility's month: the value in the key's canonical unit, and how it was obtained. */
interface Figure {
  readonly value: number;
  /** Declared 取值方式, for a parameter that may be measured or the default (and a default-only one). */
  readonly basis?: 'measured' | 'default';
}

type Figures = Record<string, Figure>;

const measured = (value: number): Figure => ({ value, basis: 'measured' });
const asDefault = (value: number): Figure => ({ value, basis: 'default' });
const plain = (value: number): Figure => ({ value });

function catalogueOf(facility: Facility): IndustryCatalogue {
  const catalogue = industryCatalogue(industryOf(facility));
  if (!catalogue) throw new Error(`no catalogue for ${industryOf(facility)}`);
  return catalogue;
}

function defaultFor(facility: Facility, code: string, material?: string): number {
  const parameter = catalogueOf(facility).parameters.find((p) => p.code === code);
  const value = parameter ? defaultOf(parameter, facility as FacilityLike, material) : undefined;
  if (value === undefined) throw new Error(`${code}${material ? `[${material}]` : ''} has no default`);
  return value;
}

// ——— cement ———

/** Substitute share of clinker and coal split by material (the hint's 8,000 t carbide slag on 150,000 t; 16,000 + 6,500 t coal). */
const SUBSTITUTE_SHARE: Readonly<Record<string, number>> = { carbideSlag: 0.0533, steelSlag: 0.04, fgdGypsum: 0.03, flyAsh: 0.06 };
const COAL_SPLIT: Readonly<Record<string, number>> = { kilnCoal: 16_000 / 22_500, calcinerCoal: 6_500 / 22_500 };

function cementFigures(enterprise: Enterprise, facility: Facility, period: Period): Figures {
  const w = (what: string) => wobble(`${enterprise.enterpriseId}/${facility.unitId}/${period}/${what}`);
  const design = Number(facility.designCapacityTpd);
  const clinker = round(design * daysIn(period) * (0.95 + 0.02 * w('clinker')));
  const figures: Figures = {
    clinkerOutput: plain(clinker),
    clinkerProcessFactor: asDefault(defaultFor(facility, 'clinkerProcessFactor')),
    purchasedElectricity: plain(round((clinker * (56.7 + 2 * w('power'))) / 1000, 1)),
    wasteHeatPower: plain(round((clinker * (32 + 2 * w('heat'))) / 1000, 1)),
  };
  const coal = clinker * (0.15 + 0.004 * w('coal'));
  for (const material of facility.materials ?? []) {
    const share = SUBSTITUTE_SHARE[material];
    if (share !== undefined) {
      figures[parameterKey('substituteConsumed', material)] = plain(round(clinker * share * (1 + 0.03 * w(`${material}/t`))));
      figures[parameterKey('substituteDeduction', material)] = asDefault(defaultFor(facility, 'substituteDeduction', material));
      continue;
    }
    const split = COAL_SPLIT[material] ?? 0.5;
    figures[parameterKey('fuelConsumed', material)] = plain(round(coal * split));
    figures[parameterKey('ncv', material)] = plain(round(23 + 0.4 * w(`${material}/ncv`), 2));
    // Measured on the month's sample (so the line attaches its lab report), 0.0265 ± 0.0004.
    figures[parameterKey('carbonPerHeat', material)] = measured(round(0.0265 + 0.0004 * w(`${material}/cph`), 5));
    figures[parameterKey('oxidation', material)] = plain(98);
  }
  return figures;
}

// ——— aluminium ———

function aluminiumFigures(enterprise: Enterprise, facility: Facility, period: Period): Figures {
  const w = (what: string) => wobble(`${enterprise.enterpriseId}/${facility.unitId}/${period}/${what}`);
  // Faraday: 0.3356 kg per kA·h per cell; 93 % ± 0.8 % current efficiency.
  const theoretical = (Number(facility.currentKA) * 24 * Number(facility.cells) * daysIn(period) * 0.3356) / 1000;
  const output = round(theoretical * (0.93 + 0.008 * w('output')), 1);
  const figures: Figures = {
    aluminiumOutput: plain(output),
    anodeConsumed: plain(round(output * (0.51 + 0.01 * w('anode')), 1)),
    // Net anode, sulfur and ash at the guideline's defaults: no composition measured, so no lab report.
    anodeNetPerTonne: asDefault(defaultFor(facility, 'anodeNetPerTonne')),
    anodeSulfur: asDefault(defaultFor(facility, 'anodeSulfur')),
    anodeAsh: asDefault(defaultFor(facility, 'anodeAsh')),
    anodeEffectMinutes: plain(round(0.03 + 0.01 * w('effect'), 3)),
    carbonateConsumed: plain(round(110 + 15 * w('carbonate'), 1)),
    acPower: plain(round(output * (13.3 + 0.1 * w('ac')), 1)),
  };
  for (const material of facility.materials ?? []) {
    figures[parameterKey('fuelConsumed', material)] = plain(round(55 + 5 * w(`${material}/fuel`), 2));
    figures[parameterKey('ncv', material)] = asDefault(defaultFor(facility, 'ncv', material));
    figures[parameterKey('carbonPerHeat', material)] = asDefault(defaultFor(facility, 'carbonPerHeat', material));
  }
  return figures;
}

// ——— steel ———

/**
 * A stock line's month: the flows (per 30 days, scaled by the month's length and the process's
 * activity), the stock held (closing varies ±10 % around it) and which flow closes the balance:
 * `net` for what the process consumes, `output` for what it makes and sends on.
 */
interface StockSpec {
  readonly purchased?: number;
  readonly generated?: number;
  readonly output?: number;
  readonly net?: number;
  readonly stock: number;
  readonly residual: 'net' | 'output';
}

/** The per-material figures other than the stock lines: NCV and carbon per heat of fuels and gases, the factor of the rest. */
interface QualitySpec {
  readonly ncv?: number;
  /** Measured carbon per heat (else the default); measured makes the process attach a lab report. */
  readonly cph?: number;
}

const STEEL_LINES: Readonly<Record<string, Readonly<Record<string, StockSpec & QualitySpec>>>> = {
  ENT: {
    coke: { purchased: 15_000, stock: 3_000, residual: 'net', ncv: 28.3 },
    scrap: { purchased: 73_000, stock: 15_000, residual: 'net' },
  },
  COK: {
    coal: { purchased: 132_000, stock: 40_000, residual: 'net', ncv: 27.2, cph: 0.0262 },
    coke: { generated: 100_000, net: 600, stock: 8_000, residual: 'output', ncv: 28.4, cph: 0.0291 },
    cog: { generated: 4_300, net: 1_950, stock: 0, residual: 'output', ncv: 172, cph: 0.0138 },
  },
  IRON: {
    coke: { purchased: 115_000, stock: 6_000, residual: 'net', ncv: 28.4 },
    // generated[bfg] follows the hot metal (≈ 1,500 Nm³/t): set in steelFigures.
    bfg: { generated: 0, net: 19_000, stock: 0, residual: 'output', ncv: 33 },
    limestone: { purchased: 12_000, stock: 5_000, residual: 'net' },
  },
  BOF: {
    bofg: { generated: 3_400, net: 340, stock: 0, residual: 'output', ncv: 75 },
    dolomite: { purchased: 8_000, stock: 3_000, residual: 'net' },
    scrap: { purchased: 40_000, stock: 10_000, residual: 'net' },
  },
  EAF: {
    electrode: { purchased: 60, stock: 20, residual: 'net' },
    scrap: { purchased: 33_000, stock: 8_000, residual: 'net' },
  },
};

/** Monthly activity per 30 days: hot metal of ironmaking, crude steel of the BOF and EAF shops. */
const STEEL_ACTIVITY = { hotMetal: 320_000, bofSteel: 340_000, eafSteel: 30_000 } as const;

function steelActivity(enterprise: Enterprise, period: Period) {
  const w = (what: string) => wobble(`${enterprise.enterpriseId}/${period}/${what}`);
  const days = daysIn(period) / 30;
  return {
    hotMetal: round(STEEL_ACTIVITY.hotMetal * days * (1 + 0.03 * w('hot'))),
    bofSteel: round(STEEL_ACTIVITY.bofSteel * days * (1 + 0.03 * w('bof'))),
    eafSteel: round(STEEL_ACTIVITY.eafSteel * days * (1 + 0.03 * w('eaf'))),
    scale: (unitId: string) => days * (1 + 0.03 * w(`scale/${unitId}`)),
  };
}

/** The closing stock of a line at the end of `period`; the next month opens with it. */
function closingStock(enterprise: Enterprise, unitId: string, material: string, stock: number, period: Period): number {
  return stock === 0 ? 0 : round(stock * (1 + 0.1 * wobble(`${enterprise.enterpriseId}/${unitId}/${material}/${period}/stock`)));
}

function steelFigures(enterprise: Enterprise, facility: Facility, period: Period): Figures {
  const lines = STEEL_LINES[facility.unitId];
  if (!lines) throw new Error(`the steel demo has no lines for process ${facility.unitId}`);
  const activity = steelActivity(enterprise, period);
  const scale = activity.scale(facility.unitId);
  const figures: Figures = {};
  if (facility.process === 'enterprise') {
    figures.crudeSteelOutput = plain(activity.bofSteel + activity.eafSteel);
    figures.hotMetalOutput = plain(activity.hotMetal);
    figures.purchasedElectricity = plain(round(180_000 * scale, 1));
  }
  if (facility.process === 'ironmaking') figures.hotMetalOutput = plain(activity.hotMetal);
  if (facility.process === 'bof') figures.crudeSteelOutput = plain(activity.bofSteel);
  if (facility.process === 'eaf') figures.crudeSteelOutput = plain(activity.eafSteel);
  for (const material of facility.materials ?? []) {
    const spec = lines[material];
    if (!spec) throw new Error(`the steel demo has no ${material} line for process ${facility.unitId}`);
    const w = (what: string) => wobble(`${enterprise.enterpriseId}/${facility.unitId}/${material}/${period}/${what}`);
    const flow = (n: number | undefined) => round((n ?? 0) * scale);
    const opening = closingStock(enterprise, facility.unitId, material, spec.stock, addMonths(period, -1));
    const closing = closingStock(enterprise, facility.unitId, material, spec.stock, period);
    const purchased = flow(spec.purchased);
    // Blast furnace gas follows the hot metal: 1,500 ± 60 Nm³ per tonne, in 10⁴ Nm³.
    const generated = material === 'bfg' ? round((activity.hotMetal * (1500 + 60 * w('bfg'))) / 10_000) : flow(spec.generated);
    let output = flow(spec.output);
    let net = flow(spec.net);
    if (spec.residual === 'net') net = opening + purchased + generated - closing - output;
    else output = opening + purchased + generated - closing - net;
    if (net < 0 || output < 0) throw new Error(`the steel demo's ${facility.unitId} ${material} line does not balance with positive flows`);
    Object.assign(figures, {
      [parameterKey('openingStock', material)]: plain(opening),
      [parameterKey('closingStock', material)]: plain(closing),
      [parameterKey('purchased', material)]: plain(purchased),
      [parameterKey('generated', material)]: plain(generated),
      [parameterKey('output', material)]: plain(output),
      [parameterKey('netConsumed', material)]: plain(net),
    });
    if (spec.ncv !== undefined) {
      const ncvDigits = spec.ncv > 100 ? 1 : 2;
      figures[parameterKey('ncv', material)] = measured(round(spec.ncv * (1 + 0.01 * w('ncv')), ncvDigits));
      figures[parameterKey('carbonPerHeat', material)] =
        spec.cph !== undefined ? measured(round(spec.cph * (1 + 0.01 * w('cph')), 5)) : asDefault(defaultFor(facility, 'carbonPerHeat', material));
    } else {
      figures[parameterKey('carbonFactor', material)] = asDefault(defaultFor(facility, 'carbonFactor', material));
    }
  }
  return figures;
}

// ——— the report ———

function figuresOf(enterprise: Enterprise, facility: Facility, period: Period): Figures {
  switch (industryOf(facility)) {
    case 'cement':
      return cementFigures(enterprise, facility, period);
    case 'aluminium':
      return aluminiumFigures(enterprise, facility, period);
    case 'steel':
      return steelFigures(enterprise, facility, period);
    default:
      throw new Error(`industryReport builds cement, aluminium and steel facilities, not ${industryOf(facility)} (examples/demo.ts builds power)`);
  }
}

/** Does the facility's month measure a composition (then it attaches its lab report)? */
function measuresComposition(catalogue: IndustryCatalogue, facility: Facility, figures: Figures): boolean {
  return expectedParameters(catalogue, facility as FacilityLike).some(({ key, parameter }) => parameter.composition && figures[key]?.basis === 'measured');
}

function facilityReport(enterprise: Enterprise, facility: Facility, period: Period, names: EvidenceNames): UnitReport {
  const catalogue = catalogueOf(facility);
  const figures = figuresOf(enterprise, facility, period);
  const expected = expectedParameters(catalogue, facility as FacilityLike);
  const lab = measuresComposition(catalogue, facility, figures);
  const parameters: Record<string, MeasuredValue> = {};
  for (const { key, parameter, material, required } of expected) {
    const figure = figures[key];
    if (!figure) {
      if (required) throw new Error(`the ${catalogue.code} demo has no value for ${facility.unitId} ${key}`);
      continue;
    }
    const { unit } = unitsOf(parameter, material);
    const evidenceFile = parameter.evidence ? (parameter.composition && figure.basis === 'measured' ? names.lab : names.ledger)(facility.unitId) : undefined;
    parameters[key] = {
      value: figure.value,
      declaredValue: figure.value,
      declaredUnit: unit,
      ...(evidenceFile ? { evidenceFile } : {}),
      // The basis is declared where the catalogue allows either, and on defaults.
      ...(figure.basis && parameter.basis !== 'measured' ? { basis: figure.basis } : {}),
    };
  }
  const unexpected = Object.keys(figures).filter((key) => !expected.some((e) => e.key === key));
  if (unexpected.length > 0) throw new Error(`the ${catalogue.code} demo computes keys ${facility.unitId} does not report: ${unexpected.join(', ')}`);
  return {
    unitId: facility.unitId,
    parameters,
    ...(lab
      ? {
          labReport: {
            reportNo: `JX-${catalogue.code.toUpperCase()}-${period}-${enterprise.enterpriseId.slice(-4)}-${facility.unitId}`,
            issuedOn: `${addMonths(period, 1)}-05`,
            evidenceFile: names.lab(facility.unitId),
          },
        }
      : {}),
    unreadable: [],
  };
}

/** The evidence files a clean month of `enterprise` names: small valid PDFs, different bytes every month. */
export function industryEvidence(enterprise: Enterprise, period: Period, names: EvidenceNames = INDUSTRY_EVIDENCE_NAMES): DemoFile[] {
  const report = industryReportUnbound(enterprise, period, names);
  const files = new Map<string, string>();
  for (const unit of report.units) {
    for (const v of Object.values(unit.parameters)) if (v.evidenceFile) files.set(v.evidenceFile, `${unit.unitId} ledger, stamped`);
    if (unit.labReport?.evidenceFile) files.set(unit.labReport.evidenceFile, `${unit.unitId} lab report CMA ${unit.labReport.reportNo}`);
  }
  return [...files].map(([fileName, what]) => ({ fileName, bytes: pdfBytes(`${enterprise.enterpriseId} ${period} ${what}`) }));
}

function industryReportUnbound(enterprise: Enterprise, period: Period, names: EvidenceNames): MonthlyReport {
  return { enterpriseId: enterprise.enterpriseId, period, units: enterprise.units.map((facility) => facilityReport(enterprise, facility, period, names)) };
}

/** A clean month of a cement, aluminium or steel enterprise, binding its evidence files by SHA-256. */
export function industryReport(enterprise: Enterprise, period: Period, opts: IndustryReportOptions = {}): MonthlyReport {
  const names = opts.names ?? INDUSTRY_EVIDENCE_NAMES;
  return declareHashes(industryReportUnbound(enterprise, period, names), opts.evidence ?? industryEvidence(enterprise, period, names));
}
