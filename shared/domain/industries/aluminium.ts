/**
 * Aluminium smelting (铝冶炼): per electrolysis process (铝电解工序), in practice one facility per
 * potline series (电解系列: current in kA, cell count), CETS-AG-04.01-V01-2024 (September 2024),
 * monthly since July 2025. Anode CO₂ = net anode × (1 − sulfur − ash) × 44/12; PFCs from the
 * anode-effect minutes (CF₄ = 0.143 × minutes per cell-day, C₂F₆ = 0.1 × CF₄). Figures marked
 * [impl] are third-party transcriptions; [est] figures only ever warn.
 */
import { z } from 'zod';
import type { CrossCheck, FacilityFacts, IndustryCatalogue, IndustryParameter } from '../industry.ts';
import { cubicMetres, megawattHours, percent, round, tonnes } from './units.ts';

const parameters: readonly IndustryParameter[] = [
  {
    code: 'aluminiumOutput',
    zh: '铝液产量',
    en: 'liquid aluminium output',
    unit: 't',
    units: tonnes,
    required: 'always',
    basis: 'measured',
    evidence: { zh: '铝液产量台账（抬包称重）、计量器具检定记录', en: 'output ledger (crucible weighing), scale calibration' },
    range: { min: 0, max: 5_000_000 },
  },
  {
    code: 'anodeConsumed',
    zh: '炭阳极消耗量',
    en: 'carbon anode consumed',
    unit: 't',
    units: tonnes,
    required: 'always',
    basis: 'measured',
    evidence: { zh: '阳极更换及残极记录', en: 'anode set and butt records' },
    range: { min: 0, max: 5_000_000 },
  },
  {
    code: 'anodeNetPerTonne',
    zh: '吨铝炭阳极净耗',
    en: 'net anode consumption per tonne of aluminium',
    unit: 't/t',
    units: { 't/t': 1, 'kg/t': 0.001 },
    required: 'always',
    basis: 'measured-or-default',
    // 0.411 in the 2024 guideline's transcription; older texts say 0.42 (not yet verified).
    default: { value: 0.411, certainty: 'impl' },
    evidence: { zh: '阳极净耗计算表', en: 'net anode calculation sheet' },
    range: { min: 0, max: 1 },
    typical: { min: 0.39, max: 0.45, certainty: 'est' },
  },
  {
    code: 'anodeSulfur',
    zh: '炭阳极含硫量',
    en: 'anode sulfur content',
    unit: '%',
    units: percent,
    required: 'always',
    basis: 'measured-or-default',
    default: { value: 2, certainty: 'impl' },
    composition: true,
    evidence: { zh: '阳极化验报告（CMA/CNAS）', en: 'anode analysis report (CMA/CNAS)' },
    range: { min: 0, max: 100 },
    typical: { min: 0.8, max: 3, certainty: 'est' },
  },
  {
    code: 'anodeAsh',
    zh: '炭阳极灰分',
    en: 'anode ash content',
    unit: '%',
    units: percent,
    required: 'always',
    basis: 'measured-or-default',
    default: { value: 0.4, certainty: 'impl' },
    composition: true,
    evidence: { zh: '阳极化验报告（CMA/CNAS）', en: 'anode analysis report (CMA/CNAS)' },
    range: { min: 0, max: 100 },
    typical: { min: 0.2, max: 0.8, certainty: 'est' },
  },
  {
    code: 'anodeEffectMinutes',
    zh: '平均每槽每日阳极效应持续时间',
    en: 'anode-effect minutes per cell-day',
    unit: 'min/(cell·d)',
    units: { 'min/(cell·d)': 1, 'min/(cell.d)': 1, 'min/槽·日': 1, 分钟: 1 },
    required: 'always',
    basis: 'measured',
    evidence: { zh: '槽控机阳极效应记录', en: 'anode-effect records of the cell controllers' },
    range: { min: 0, max: 1440 },
    typical: { min: 0.005, max: 0.3, certainty: 'est' },
  },
  {
    code: 'fuelConsumed',
    zh: '化石燃料消耗量',
    en: 'fossil fuel consumed',
    unit: 't',
    units: tonnes,
    gas: cubicMetres,
    required: 'always',
    perMaterial: ['fuel'],
    basis: 'measured',
    evidence: { zh: '燃料消耗台账', en: 'fuel records' },
    range: { min: 0, max: 5_000_000 },
  },
  {
    code: 'ncv',
    zh: '低位发热量',
    en: 'net calorific value',
    unit: 'GJ/t',
    units: { 'GJ/t': 1, 'MJ/kg': 1 },
    gas: { unit: 'GJ/10^4Nm3', units: { 'GJ/10^4Nm3': 1, 'GJ/万Nm3': 1, 'MJ/Nm3': 10 } },
    required: 'always',
    perMaterial: ['fuel'],
    basis: 'measured-or-default',
    default: { byMaterial: { naturalGas: 389.31 }, certainty: 'est' },
    evidence: { zh: '燃料分析报告', en: 'fuel analysis report' },
    range: { min: 0, max: 1000 },
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
    default: { byMaterial: { naturalGas: 0.01532 }, certainty: 'est' },
    composition: true,
    evidence: { zh: 'CMA/CNAS 化验报告', en: 'a CMA/CNAS lab report' },
    range: { min: 0, max: 0.05 },
  },
  {
    code: 'carbonateConsumed',
    zh: '碳酸盐消耗量',
    en: 'carbonate consumed',
    unit: 't',
    units: tonnes,
    required: 'optional',
    basis: 'measured',
    evidence: { zh: '消耗记录', en: 'consumption records' },
    range: { min: 0, max: 1_000_000 },
  },
  {
    code: 'acPower',
    zh: '铝电解交流电耗',
    en: 'AC power of electrolysis',
    unit: 'MWh',
    units: megawattHours,
    required: 'always',
    auxiliary: true,
    basis: 'measured',
    evidence: { zh: '电表读数、结算单', en: 'meter readings, settlement' },
    range: { min: 0, max: 100_000_000 },
  },
];

function perTonne(key: string, scale: number, unit: string): CrossCheck['judge'] {
  return (f: FacilityFacts, band) => {
    const output = f.value('aluminiumOutput');
    const value = f.value(key);
    if (output === undefined || output <= 0 || value === undefined || !band) return [];
    const ratio = (value / output) * scale;
    return ratio < band.min || ratio > band.max ? [{ key, expected: `${band.min}–${band.max} ${unit}`, found: `${round(ratio)} ${unit}` }] : [];
  };
}

/** Faraday: 0.3356 kg of aluminium per kA·h at full current efficiency. */
const KG_PER_KAH = 0.3356;

const crossChecks: readonly CrossCheck[] = [
  {
    code: 'EVD-ALU-CURRENT-EFFICIENCY',
    zh: '由系列电流和槽数推算的电流效率',
    en: 'current efficiency from the series current and cell count',
    certainty: 'est',
    rationale:
      "Output is bounded by Faraday's law: 0.3356 kg per kA·h per cell. Output ÷ (current × 24 h × cells × days × 0.3356 kg) is the current efficiency, 88–96 % on modern potlines (estimate, configurable); outside it the output, the current or the cell count registered is wrong.",
    band: { min: 0.88, max: 0.96 },
    judge: (f, band) => {
      const output = f.value('aluminiumOutput');
      const current = Number(f.facility.currentKA);
      const cells = Number(f.facility.cells);
      if (output === undefined || !(current > 0) || !(cells > 0) || !band) return [];
      const theoretical = (current * 24 * cells * f.days * KG_PER_KAH) / 1000;
      const efficiency = output / theoretical;
      return efficiency < band.min || efficiency > band.max
        ? [
            {
              key: 'aluminiumOutput',
              expected: `${round(theoretical * band.min, 0)}–${round(theoretical * band.max, 0)} t (${round(band.min * 100, 1)}–${round(band.max * 100, 1)} %)`,
              found: `${output} t (${round(efficiency * 100, 1)} %)`,
            },
          ]
        : [];
    },
  },
  {
    code: 'EVD-ALU-ANODE-CO2',
    zh: '吨铝阳极排放',
    en: 'anode CO₂ per tonne of aluminium',
    certainty: 'est',
    rationale: 'Net anode × (1 − sulfur − ash) × 44/12 is 1.40–1.55 tCO₂ per tonne of aluminium (estimate, configurable).',
    band: { min: 1.4, max: 1.55 },
    judge: (f, band) => {
      const net = f.value('anodeNetPerTonne');
      const s = f.value('anodeSulfur');
      const ash = f.value('anodeAsh');
      if (net === undefined || s === undefined || ash === undefined || !band) return [];
      const v = net * (1 - s / 100 - ash / 100) * (44 / 12);
      return v < band.min || v > band.max ? [{ key: 'anodeNetPerTonne', expected: `${band.min}–${band.max} tCO2/t`, found: `${round(v)} tCO2/t` }] : [];
    },
  },
  {
    code: 'EVD-ALU-GROSS-ANODE-RATE',
    zh: '吨铝炭阳极毛耗',
    en: 'gross anode per tonne of aluminium',
    certainty: 'est',
    rationale: 'Gross anode consumption is 0.48–0.55 t per tonne of aluminium (estimate, configurable).',
    band: { min: 0.48, max: 0.55 },
    judge: perTonne('anodeConsumed', 1, 't/t'),
  },
  {
    code: 'EVD-ALU-AC-POWER-RATE',
    zh: '吨铝交流电耗',
    en: 'AC power per tonne of aluminium',
    certainty: 'impl',
    severity: 'warning',
    rationale:
      'GB 21346-2022 grades smelters between 12,900 and 13,700 kWh of AC power per tonne of liquid aluminium [impl]; outside it the meter figure or the output needs a look (a warning: a grade is not a data rule).',
    band: { min: 12_900, max: 13_700 },
    judge: perTonne('acPower', 1000, 'kWh/t'),
  },
];

export const aluminium: IndustryCatalogue = {
  code: 'aluminium',
  zh: '铝冶炼',
  en: 'aluminium smelting',
  guideline: 'CETS-AG-04.01-V01-2024 企业温室气体排放核算与报告指南 铝冶炼行业 (2024-09) [rule]; defaults [impl]',
  level: { zh: '电解系列', en: 'Potline' },
  attributes: [
    { code: 'currentKA', zh: '系列电流', en: 'series current', header: '系列电流kA', kind: { number: 'kA' } },
    { code: 'cells', zh: '电解槽数', en: 'cells', header: '电解槽数', kind: { number: 'cells' } },
  ],
  facilitySchema: z.object({ currentKA: z.number().positive(), cells: z.number().int().positive() }),
  obligedFrom: '2025-07',
  parameters,
  materials: [
    { code: 'naturalGas', role: 'fuel', zh: '天然气', en: 'natural gas', gas: true },
    { code: 'diesel', role: 'fuel', zh: '柴油', en: 'diesel' },
  ],
  labReport: 'when-measured',
  crossChecks,
  unverified: [
    'the wording of the monthly key-parameter table and its required evidence',
    'the net anode default: 0.411 (2024 transcription) or 0.42 (older texts)',
    "natural gas NCV and carbon per heat defaults are the generic fuel table's (estimates, warnings only)",
    'anode sulfur 2 % and ash 0.4 % defaults are third-party transcriptions [impl]',
  ],
};
