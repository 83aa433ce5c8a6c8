/**
 * The industries the monthly deposit knows, one catalogue file each. A fifth industry
 * (chemicals, petrochemicals, paper, aviation) is a new file beside these, listed here, and its
 * tests: the registry, the readers, the template, the checks and the docs take it from the list.
 */
import type { IndustryCatalogue } from '../industry.ts';
import { aluminium } from './aluminium.ts';
import { cement } from './cement.ts';
import { power } from './power.ts';
import { steel } from './steel.ts';

export const INDUSTRIES: readonly IndustryCatalogue[] = [power, cement, aluminium, steel];

export const INDUSTRY_CODES = INDUSTRIES.map((i) => i.code) as readonly string[];

const BY_CODE: ReadonlyMap<string, IndustryCatalogue> = new Map(INDUSTRIES.map((i) => [i.code, i]));

/** The catalogue of an industry, or undefined for a name no catalogue has. */
export function industryCatalogue(code: string): IndustryCatalogue | undefined {
  return BY_CODE.get(code);
}

export function isIndustryCode(code: string): boolean {
  return BY_CODE.has(code);
}
