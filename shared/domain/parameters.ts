/**
 * Power's parameters, as the power rules (checks.ts) and their settings name them: a typed view
 * of the power catalogue (industries/power.ts), which holds the data. Every other industry's
 * parameters are read from its catalogue through industry.ts.
 */
import { factorOf, normaliseUnit } from './industry.ts';
import { DEFAULT_CARBON_PER_HEAT, POWER_PARAMETER_CODES, type PowerParameterCode, power } from './industries/power.ts';

export { DEFAULT_CARBON_PER_HEAT, normaliseUnit };

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

export const PARAMETER_CODES = POWER_PARAMETER_CODES as readonly PowerParameterCode[];

export type ParameterCode = PowerParameterCode;

export const PARAMETERS = Object.fromEntries(
  power.parameters.map((p) => [
    p.code,
    {
      code: p.code as ParameterCode,
      zh: p.zh,
      en: p.en,
      unit: p.unit,
      units: p.units,
      requiredFor: p.required === 'always' ? ['coal', 'gas'] : typeof p.required === 'object' ? ((p.required.when.fuel ?? []) as FuelType[]) : [],
      ...(p.range ? { range: { min: p.range.min, max: p.range.max } } : {}),
      ...(p.typical ? { typical: { min: p.typical.min, max: p.typical.max } } : {}),
    } satisfies ParameterDefinition,
  ]),
) as unknown as Readonly<Record<ParameterCode, ParameterDefinition>>;

export function isParameterCode(value: string): value is ParameterCode {
  return (PARAMETER_CODES as readonly string[]).includes(value);
}

export function requiredParameters(fuel: FuelType): ParameterCode[] {
  return PARAMETER_CODES.filter((code) => PARAMETERS[code].requiredFor.includes(fuel));
}

/** The factor converting `declaredUnit` to the parameter's canonical unit, or undefined. */
export function unitFactor(code: ParameterCode, declaredUnit: string): number | undefined {
  return factorOf(PARAMETERS[code].units, declaredUnit);
}
