/**
 * Cement clinker (水泥熟料): per clinker production line (熟料生产线), CETS-AG-02.01-V01-2024
 * (September 2024), monthly since July 2025. Process CO₂ = clinker × the clinker type's default
 * factor − Σ non-carbonate substitute × its deduction coefficient; fuel CO₂ = fuel × NCV × carbon
 * per heat × oxidation × 44/12. Figures marked [impl] are third-party transcriptions of the
 * guideline's tables; [est] figures only ever warn. See ../../../README.md "Industries".
 */
import { z } from 'zod';
import type { CrossCheck, FacilityFacts, IndustryCatalogue, IndustryParameter } from '../industry.ts';
import { megawattHours, percent, round, tonnes } from './units.ts';

export const CLINKER_TYPES = {
  portland: { zh: '通用硅酸盐水泥熟料', en: 'Portland clinker' },
  white: { zh: '白色硅酸盐水泥熟料', en: 'white Portland clinker' },
  sulphoaluminate: { zh: '硫（铁）铝酸盐水泥熟料', en: 'sulpho(ferro)aluminate clinker' },
  aluminate: { zh: '铝酸盐水泥熟料', en: 'aluminate clinker' },
} as const;

const parameters: readonly IndustryParameter[] = [
  {
    code: 'clinkerOutput',
    zh: '熟料产量',
    en: 'clinker output',
    unit: 't',
    units: tonnes,
    required: 'always',
    basis: 'measured',
    evidence: { zh: '生产报表、熟料库盘库记录', en: 'production report, silo stock-taking record' },
    range: { min: 0, max: 10_000_000 },
    typical: { min: 60_000, max: 320_000, certainty: 'est' },
  },
  {
    code: 'clinkerProcessFactor',
    zh: '熟料过程排放因子',
    en: 'clinker process emission factor',
    unit: 'tCO2/t',
    units: { 'tCO2/t': 1, 'tCO₂/t': 1 },
    required: 'always',
    basis: 'default',
    default: { byFacility: 'clinkerType', values: { portland: 0.535, white: 0.55, sulphoaluminate: 0.413, aluminate: 0.292 }, certainty: 'impl' },
    range: { min: 0, max: 1 },
  },
  {
    code: 'substituteConsumed',
    zh: '非碳酸盐替代原料消耗量',
    en: 'non-carbonate substitute consumed',
    unit: 't',
    units: tonnes,
    required: 'always',
    perMaterial: ['substitute'],
    basis: 'measured',
    evidence: { zh: '配料记录、计量器具检定记录', en: 'dosing records, scale calibration' },
    range: { min: 0, max: 10_000_000 },
  },
  {
    code: 'substituteDeduction',
    zh: '替代原料扣减系数',
    en: 'substitute deduction coefficient',
    unit: 'tCO2/t',
    units: { 'tCO2/t': 1, 'tCO₂/t': 1 },
    required: 'always',
    perMaterial: ['substitute'],
    basis: 'default',
    default: { byMaterial: { carbideSlag: 0.48, steelSlag: 0.215, fgdGypsum: 0.245, flyAsh: 0.055 }, certainty: 'impl' },
    range: { min: 0, max: 1 },
  },
  {
    code: 'fuelConsumed',
    zh: '化石燃料消耗量',
    en: 'fossil fuel consumed',
    unit: 't',
    units: tonnes,
    required: 'always',
    perMaterial: ['fuel'],
    basis: 'measured',
    evidence: { zh: '入窑煤台账、月度盘煤记录、发票', en: 'kiln coal ledger, monthly coal stock-taking, invoices' },
    range: { min: 0, max: 5_000_000 },
  },
  {
    code: 'ncv',
    zh: '低位发热量',
    en: 'net calorific value',
    unit: 'GJ/t',
    units: { 'GJ/t': 1, 'MJ/kg': 1, 'kJ/kg': 0.001 },
    required: 'always',
    perMaterial: ['fuel'],
    basis: 'measured',
    evidence: { zh: '煤质化验记录', en: 'coal quality records' },
    range: { min: 0, max: 50 },
    typical: { min: 20, max: 27, certainty: 'est' },
  },
  {
    code: 'carbonPerHeat',
    zh: '单位热值含碳量',
    en: 'carbon per unit heat',
    unit: 'tC/GJ',
    units: { 'tC/GJ': 1 },
    required: 'always',
    perMaterial: ['fuel'],
    basis: 'measured-or-default',
    // Whether cement takes power's 0.03085 or the guideline's generic fuel table is not yet verified.
    default: { byMaterial: { kilnCoal: 0.03085, calcinerCoal: 0.03085 }, certainty: 'est' },
    composition: true,
    evidence: { zh: 'CMA/CNAS 化验报告', en: 'a CMA/CNAS lab report' },
    range: { min: 0, max: 0.05 },
    typical: { min: 0.024, max: 0.028, certainty: 'est' },
  },
  {
    code: 'oxidation',
    zh: '碳氧化率',
    en: 'carbon oxidation rate',
    unit: '%',
    units: percent,
    required: 'always',
    perMaterial: ['fuel'],
    basis: 'measured-or-default',
    range: { min: 0, max: 100 },
    typical: { min: 90, max: 99, certainty: 'est' },
  },
  {
    code: 'purchasedElectricity',
    zh: '净购入电量',
    en: 'net purchased electricity',
    unit: 'MWh',
    units: megawattHours,
    required: 'always',
    auxiliary: true,
    basis: 'measured',
    evidence: { zh: '电表读数、结算单', en: 'meter readings, settlement' },
    range: { min: 0, max: 1_000_000 },
  },
  {
    code: 'wasteHeatPower',
    zh: '余热发电量',
    en: 'waste heat power generated',
    unit: 'MWh',
    units: megawattHours,
    required: 'optional',
    auxiliary: true,
    basis: 'measured',
    evidence: { zh: '发电记录', en: 'generation records' },
    range: { min: 0, max: 1_000_000 },
  },
];

/** clinker × (factor) − Σ substitute × deduction, per tonne of clinker. */
function processIntensity(f: FacilityFacts): number | undefined {
  const clinker = f.value('clinkerOutput');
  const factor = f.value('clinkerProcessFactor');
  if (clinker === undefined || factor === undefined || clinker <= 0) return undefined;
  const deducted = f
    .materials('substitute')
    .reduce((sum, m) => sum + (f.value(`substituteConsumed[${m.code}]`) ?? 0) * (f.value(`substituteDeduction[${m.code}]`) ?? 0), 0);
  return (clinker * factor - deducted) / clinker;
}

/** Σ fuel × NCV × carbon per heat × oxidation × 44/12, per tonne of clinker. */
function fuelIntensity(f: FacilityFacts): number | undefined {
  const clinker = f.value('clinkerOutput');
  if (clinker === undefined || clinker <= 0) return undefined;
  let total = 0;
  for (const m of f.materials('fuel')) {
    const [fuel, ncv, cph, ox] = ['fuelConsumed', 'ncv', 'carbonPerHeat', 'oxidation'].map((c) => f.value(`${c}[${m.code}]`));
    if (fuel === undefined || ncv === undefined || cph === undefined || ox === undefined) return undefined;
    total += ((fuel * ncv * cph * ox) / 100) * (44 / 12);
  }
  return total / clinker;
}

function outside(value: number | undefined, band: { min: number; max: number } | undefined): boolean {
  return value !== undefined && band !== undefined && (value < band.min || value > band.max);
}

/** A figure per tonne of clinker within a band (kiln coal, electricity, waste heat); `figure` names the key it points at. */
function perClinker(figure: (f: FacilityFacts) => { key: string; value: number | undefined }, scale: number, unit: string): CrossCheck['judge'] {
  return (f, band) => {
    const clinker = f.value('clinkerOutput');
    const { key, value } = figure(f);
    if (clinker === undefined || clinker <= 0 || value === undefined) return [];
    const ratio = (value / clinker) * scale;
    return outside(ratio, band) ? [{ key, expected: `${band?.min}–${band?.max} ${unit}`, found: `${round(ratio)} ${unit}` }] : [];
  };
}

const crossChecks: readonly CrossCheck[] = [
  {
    code: 'EVD-CEM-OUTPUT-CAPACITY',
    zh: '熟料产量超过设计产能×天数×1.1',
    en: 'clinker output above design capacity × days × 1.1',
    certainty: 'est',
    rationale:
      'A line cannot burn much more than its design daily output for every day of the month; 10 % headroom (estimate, configurable) allows for lines run above nameplate.',
    band: { min: 0, max: 1.1 },
    judge: (f, band) => {
      const clinker = f.value('clinkerOutput');
      const design = Number(f.facility.designCapacityTpd);
      if (clinker === undefined || !(design > 0)) return [];
      const limit = design * f.days * (band?.max ?? 1.1);
      return clinker > limit
        ? [{ key: 'clinkerOutput', expected: `≤ ${round(limit, 0)} t (${design} t/d × ${f.days} d × ${band?.max})`, found: `${clinker} t` }]
        : [];
    },
  },
  {
    code: 'EVD-CEM-PROCESS-INTENSITY',
    zh: '吨熟料过程排放',
    en: 'process CO₂ per tonne of clinker',
    certainty: 'est',
    rationale:
      'For a Portland line the default factor (0.535) less the substitutes’ deductions sits in 0.45–0.535 tCO₂/t; below it the substitutes declared are implausibly large (estimate, configurable).',
    band: { min: 0.45, max: 0.535 },
    judge: (f, band) => {
      if (f.facility.clinkerType !== 'portland') return [];
      const v = processIntensity(f);
      return outside(v, band) ? [{ key: 'clinkerOutput', expected: `${band?.min}–${band?.max} tCO2/t`, found: `${round(v ?? 0)} tCO2/t` }] : [];
    },
  },
  {
    code: 'EVD-CEM-DIRECT-INTENSITY',
    zh: '吨熟料直接排放',
    en: 'direct CO₂ per tonne of clinker',
    certainty: 'est',
    rationale:
      'Process and fuel CO₂ together are 0.80–0.90 tCO₂ per tonne of clinker on Portland lines (estimate, configurable); outside it a tonnage, a calorific value or a factor is likely wrong.',
    band: { min: 0.8, max: 0.9 },
    judge: (f, band) => {
      if (f.facility.clinkerType !== 'portland') return [];
      const process = processIntensity(f);
      const fuel = fuelIntensity(f);
      if (process === undefined || fuel === undefined) return [];
      const v = process + fuel;
      return outside(v, band) ? [{ key: 'clinkerOutput', expected: `${band?.min}–${band?.max} tCO2/t`, found: `${round(v)} tCO2/t` }] : [];
    },
  },
  {
    code: 'EVD-CEM-KILN-COAL-RATE',
    zh: '吨熟料煤耗',
    en: 'coal per tonne of clinker',
    certainty: 'est',
    rationale: 'A modern dry-process line burns 0.13–0.17 t of coal per tonne of clinker (estimate, configurable).',
    band: { min: 0.13, max: 0.17 },
    judge: perClinker(
      (f) => {
        const fuels = f.materials('fuel');
        const values = fuels.map((m) => f.value(`fuelConsumed[${m.code}]`));
        // All kiln and calciner coal together; the finding points at the first fuel's row.
        return {
          key: `fuelConsumed[${fuels[0]?.code}]`,
          value: fuels.length > 0 && values.every((v) => v !== undefined) ? (values as number[]).reduce((a, b) => a + b, 0) : undefined,
        };
      },
      1,
      't/t',
    ),
  },
  {
    code: 'EVD-CEM-POWER-RATE',
    zh: '吨熟料购入电量',
    en: 'purchased electricity per tonne of clinker',
    certainty: 'est',
    rationale: 'Clinker lines draw 50–65 kWh per tonne (estimate, configurable).',
    band: { min: 50, max: 65 },
    judge: perClinker((f) => ({ key: 'purchasedElectricity', value: f.value('purchasedElectricity') }), 1000, 'kWh/t'),
  },
  {
    code: 'EVD-CEM-WASTE-HEAT-RATE',
    zh: '吨熟料余热发电量',
    en: 'waste heat power per tonne of clinker',
    certainty: 'est',
    rationale: 'Waste heat recovery yields 25–40 kWh per tonne of clinker (estimate, configurable); reported only where the line has it.',
    band: { min: 25, max: 40 },
    judge: perClinker((f) => ({ key: 'wasteHeatPower', value: f.value('wasteHeatPower') }), 1000, 'kWh/t'),
  },
];

export const cement: IndustryCatalogue = {
  code: 'cement',
  zh: '水泥熟料',
  en: 'cement clinker',
  guideline: 'CETS-AG-02.01-V01-2024 企业温室气体排放核算与报告指南 水泥熟料生产 (2024-09) [rule]; default factors [impl]',
  level: { zh: '熟料生产线', en: 'Line' },
  attributes: [
    { code: 'clinkerType', zh: '熟料类别', en: 'clinker type', header: '熟料类别', kind: { oneOf: CLINKER_TYPES } },
    { code: 'designCapacityTpd', zh: '设计产能', en: 'design capacity', header: '设计产能t/d', kind: { number: 't/d' } },
  ],
  facilitySchema: z.object({
    clinkerType: z.enum(Object.keys(CLINKER_TYPES) as [keyof typeof CLINKER_TYPES, ...(keyof typeof CLINKER_TYPES)[]]),
    designCapacityTpd: z.number().positive(),
  }),
  obligedFrom: '2025-07',
  parameters,
  materials: [
    { code: 'kilnCoal', role: 'fuel', zh: '入窑煤', en: 'kiln coal' },
    { code: 'calcinerCoal', role: 'fuel', zh: '分解炉煤', en: 'calciner coal' },
    { code: 'carbideSlag', role: 'substitute', zh: '电石渣', en: 'carbide slag' },
    { code: 'steelSlag', role: 'substitute', zh: '钢渣', en: 'steel slag' },
    { code: 'fgdGypsum', role: 'substitute', zh: '脱硫石膏', en: 'FGD gypsum' },
    { code: 'flyAsh', role: 'substitute', zh: '粉煤灰', en: 'fly ash' },
  ],
  labReport: 'when-measured',
  crossChecks,
  unverified: [
    'the wording of the monthly key-parameter table and its required evidence',
    'testing frequency of kiln fuels',
    "whether carbon per heat defaults to power's 0.03085 or the guideline's generic fuel table (0.03085 assumed, a warning only)",
    "the oxidation rate's default (no value checked; 90–99 % warns)",
    'clinker factors and substitute deductions are third-party transcriptions [impl]',
  ],
};
