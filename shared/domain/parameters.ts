/**
 * The key emission parameters an enterprise deposits each month, per generating unit.
 * One entry per parameter: its code (the name used in every file format, the ledger and the
 * API), its names in Chinese and English, its canonical unit, the other units a template may
 * declare (with the factor that converts them to the canonical unit), and its plausible range.
 * Ranges are practice, not rule (see domain.md), so they live in data that checks read.
 */

export type FuelType = 'coal' | 'gas';

export interface ParameterDefinition {
  readonly code: ParameterCode;
  readonly zh: string;
  readonly en: string;
  /** Canonical unit; values are stored converted to it. */
  readonly unit: string;
  /** Accepted spellings of units, mapped to the factor that converts to the canonical unit. */
  readonly units: Readonly<Record<string, number>>;
  /** Which fuel types must report it. */
  readonly requiredFor: readonly FuelType[];
  /** Plausible range (inclusive); outside it is an error. */
  readonly range?: { readonly min: number; readonly max: number };
  /** Typical range; outside it (but inside `range`) is a warning. */
  readonly typical?: { readonly min: number; readonly max: number };
}

export const PARAMETER_CODES = [
  'coalConsumed',
  'gasConsumed',
  'ncvAsReceived',
  'carbonAsReceived',
  'carbonPerHeat',
  'hydrogen',
  'sulfur',
  'moisture',
  'purchasedElectricity',
  'powerGenerated',
  'powerSupplied',
  'heatSupplied',
  'operatingHours',
  'loadFactor',
] as const;

export type ParameterCode = (typeof PARAMETER_CODES)[number];

const BOTH: readonly FuelType[] = ['coal', 'gas'];
const COAL: readonly FuelType[] = ['coal'];
const GAS: readonly FuelType[] = ['gas'];

const percent = { '%': 1, percent: 1 } as const;
const megawattHours = { MWh: 1, MW·h: 1, 兆瓦时: 1, kWh: 0.001, 千瓦时: 0.001, '10^4kWh': 10, 万kWh: 10, 万千瓦时: 10 } as const;

export const PARAMETERS: Readonly<Record<ParameterCode, ParameterDefinition>> = {
  coalConsumed: {
    code: 'coalConsumed',
    zh: '燃煤消耗量',
    en: 'coal consumed (as fired)',
    unit: 't',
    units: { t: 1, 吨: 1, kt: 1000, 千吨: 1000, '10^4t': 10000, 万吨: 10000 },
    requiredFor: COAL,
    range: { min: 0, max: 5_000_000 },
  },
  gasConsumed: {
    code: 'gasConsumed',
    zh: '燃气消耗量',
    en: 'gas consumed',
    unit: '10^4Nm3',
    units: { '10^4Nm3': 1, 万Nm3: 1, 万立方米: 1, Nm3: 0.0001, 立方米: 0.0001 },
    requiredFor: GAS,
    range: { min: 0, max: 1_000_000 },
  },
  ncvAsReceived: {
    code: 'ncvAsReceived',
    zh: '收到基低位发热量',
    en: 'net calorific value, as received',
    unit: 'GJ/t',
    units: { 'GJ/t': 1, 'MJ/kg': 1, 'kJ/kg': 0.001 },
    requiredFor: COAL,
    range: { min: 10, max: 30 },
    typical: { min: 14, max: 25 },
  },
  carbonAsReceived: {
    code: 'carbonAsReceived',
    zh: '收到基元素碳含量',
    en: 'elemental carbon, as received',
    unit: '%',
    units: percent,
    requiredFor: COAL,
    range: { min: 30, max: 75 },
  },
  carbonPerHeat: {
    code: 'carbonPerHeat',
    zh: '单位热值含碳量',
    en: 'carbon per unit heat',
    unit: 'tC/GJ',
    units: { 'tC/GJ': 1 },
    requiredFor: COAL,
    range: { min: 0.02, max: 0.035 },
    typical: { min: 0.024, max: 0.03 },
  },
  hydrogen: {
    code: 'hydrogen',
    zh: '氢含量',
    en: 'hydrogen',
    unit: '%',
    units: percent,
    requiredFor: COAL,
    range: { min: 2, max: 5 },
  },
  sulfur: {
    code: 'sulfur',
    zh: '全硫',
    en: 'total sulfur',
    unit: '%',
    units: percent,
    requiredFor: COAL,
    range: { min: 0.2, max: 3 },
  },
  moisture: {
    code: 'moisture',
    zh: '全水分',
    en: 'total moisture',
    unit: '%',
    units: percent,
    requiredFor: COAL,
    range: { min: 5, max: 40 },
  },
  purchasedElectricity: {
    code: 'purchasedElectricity',
    zh: '购入使用电量',
    en: 'purchased electricity used',
    unit: 'MWh',
    units: megawattHours,
    requiredFor: BOTH,
    range: { min: 0, max: 1_000_000 },
  },
  powerGenerated: {
    code: 'powerGenerated',
    zh: '发电量',
    en: 'power generated',
    unit: 'MWh',
    units: megawattHours,
    requiredFor: BOTH,
    range: { min: 0, max: 10_000_000 },
  },
  powerSupplied: {
    code: 'powerSupplied',
    zh: '供电量',
    en: 'power supplied',
    unit: 'MWh',
    units: megawattHours,
    requiredFor: BOTH,
    range: { min: 0, max: 10_000_000 },
  },
  heatSupplied: {
    code: 'heatSupplied',
    zh: '供热量',
    en: 'heat supplied',
    unit: 'GJ',
    units: { GJ: 1, 吉焦: 1, TJ: 1000, MJ: 0.001 },
    requiredFor: BOTH,
    range: { min: 0, max: 100_000_000 },
  },
  operatingHours: {
    code: 'operatingHours',
    zh: '运行小时数',
    en: 'operating hours',
    unit: 'h',
    units: { h: 1, 小时: 1 },
    requiredFor: BOTH,
    range: { min: 0, max: 744 },
  },
  loadFactor: {
    code: 'loadFactor',
    zh: '负荷（出力）系数',
    en: 'load (output) factor',
    unit: '%',
    units: percent,
    requiredFor: BOTH,
    range: { min: 0, max: 100 },
  },
};

/** The carbon-per-heat default a unit must use when it did not measure (rule; formerly 0.03356). */
export const DEFAULT_CARBON_PER_HEAT = 0.03085;

export function isParameterCode(value: string): value is ParameterCode {
  return (PARAMETER_CODES as readonly string[]).includes(value);
}

export function requiredParameters(fuel: FuelType): ParameterCode[] {
  return PARAMETER_CODES.filter((code) => PARAMETERS[code].requiredFor.includes(fuel));
}

/** Spelling-insensitive unit lookup: blanks are ignored, `³`/`⁴` read as `3`/`^4`. */
export function normaliseUnit(unit: string): string {
  return unit
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/10⁴|10\^4|1e4/gi, '10^4')
    .replace(/m³/g, 'm3');
}

/** The factor converting `declaredUnit` to the parameter's canonical unit, or undefined. */
export function unitFactor(code: ParameterCode, declaredUnit: string): number | undefined {
  const wanted = normaliseUnit(declaredUnit).toLowerCase();
  for (const [spelling, factor] of Object.entries(PARAMETERS[code].units)) {
    if (normaliseUnit(spelling).toLowerCase() === wanted) return factor;
  }
  return undefined;
}
