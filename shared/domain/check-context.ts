/**
 * What a rule over a parsed report sees: the report, the registry entry, the evidence files as
 * read, the deployment's thresholds and the enterprise's earlier accepted months; and how a rule
 * finds the facility a unit block is for, its catalogue and the names its findings carry. Below
 * the rules (checks.ts, history-checks.ts) that share them.
 */
import type { CheckSettings } from './check-settings.ts';
import { defaultOf, type FacilityLike, type IndustryCatalogue, type IndustryParameter, keyLabel, type Names, splitParameterKey } from './industry.ts';
import { industryCatalogue } from './industries/index.ts';
import { type Enterprise, type Facility, industryOf } from './registry.ts';
import type { MeasuredValue, MonthlyReport } from './report.ts';

/**
 * An evidence file the report names, as the pipeline found it in the deposit's folder. `sha256` is computed over a
 * stream; `head` is the file's first bytes (at least `EVIDENCE_HEAD_BYTES` where the file is that
 * long), read from the same stream, so the type is judged by content. Without `head` the type
 * checks are skipped. `unreadable` says why a file that is in the folder could not be read
 * (archived, encrypted with a customer key, access denied…): EVD-EVIDENCE-UNREADABLE reports it
 * and every other evidence check passes over it, since its size, hash and bytes are not known.
 */
export interface EvidenceFile {
  readonly fileName: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly head?: Uint8Array;
  readonly unreadable?: string;
}

/** An earlier month of the same enterprise as the ledger recorded it (its accepted attempt). */
export interface PriorMonth {
  readonly period: string;
  readonly attemptId?: string;
  readonly report: MonthlyReport;
  /** The evidence files of that attempt, with the SHA-256 the pipeline computed. */
  readonly evidence: readonly { readonly fileName: string; readonly sha256: string }[];
}

export interface CheckContext {
  readonly report: MonthlyReport;
  readonly enterprise: Enterprise;
  readonly evidence: readonly EvidenceFile[];
  /** Thresholds; defaults when absent. */
  readonly settings?: CheckSettings;
  /** Earlier accepted months of the same enterprise, for the history signals; none when absent. */
  readonly history?: readonly PriorMonth[];
}

/** What a rule sees: the context with settings and history filled in. */
export interface ResolvedCheckContext extends CheckContext {
  readonly settings: CheckSettings;
  readonly history: readonly PriorMonth[];
}

/** The registered facility a report's unit block is for, if the registry lists it. */
export function facilityOf(context: Pick<CheckContext, 'enterprise'>, unitId: string): Facility | undefined {
  return context.enterprise.units.find((u) => u.unitId === unitId);
}

/**
 * Is the block judged by power's rules: a registered power unit, or a block the registry does
 * not list (EVD-UNIT-UNKNOWN speaks for it; power's rules judged such blocks before there were
 * other industries, and still do).
 */
export function judgedAsPower(context: Pick<CheckContext, 'enterprise'>, unitId: string): boolean {
  const facility = facilityOf(context, unitId);
  return facility === undefined || industryOf(facility) === 'power';
}

/** A registered facility of another industry than power, with its catalogue. */
export function otherIndustryFacility(
  context: Pick<CheckContext, 'enterprise'>,
  unitId: string,
): { facility: Facility; catalogue: IndustryCatalogue } | undefined {
  const facility = facilityOf(context, unitId);
  if (!facility || industryOf(facility) === 'power') return undefined;
  const catalogue = industryCatalogue(industryOf(facility));
  return catalogue ? { facility, catalogue } : undefined;
}

/**
 * The names a finding on a facility carries: its level (熟料生产线 / Line) and, for a key of its
 * catalogue, the key's names (熟料产量, 消费量（焦炭）). Nothing for a power unit: its messages
 * read 机组 and the parameter's name as they always have.
 */
export function namesFor(context: Pick<CheckContext, 'enterprise'>, unitId: string, key?: string): { level?: Names; fieldName?: Names } {
  const other = otherIndustryFacility(context, unitId);
  if (!other) return {};
  const { catalogue } = other;
  const zh = key === undefined ? undefined : keyLabel(catalogue, key, 'zh');
  const en = key === undefined ? undefined : keyLabel(catalogue, key, 'en');
  return { level: { zh: catalogue.level.zh, en: catalogue.level.en }, ...(zh !== undefined && en !== undefined ? { fieldName: { zh, en } } : {}) };
}

/** Two figures equal to a relative 1e-6 (a default written with fewer or more digits). */
export function sameFigure(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

/** Declared at the default: a parameter that is always the default, or one the row declares 缺省值. */
export function declaredDefault(parameter: IndustryParameter, reported: MeasuredValue): boolean {
  return parameter.basis === 'default' || (parameter.basis === 'measured-or-default' && reported.basis === 'default');
}

/** Taken at the default: declared so, or, without a declared basis, a value equal to the guideline's default (`fallback`). */
export function takenAsDefault(parameter: IndustryParameter, reported: MeasuredValue, fallback: number | undefined): boolean {
  if (declaredDefault(parameter, reported)) return true;
  if (parameter.basis !== 'measured-or-default' || reported.basis !== undefined) return false;
  return fallback !== undefined && sameFigure(reported.value, fallback);
}

/** Is a key of a facility's block taken at the default (false for a key its catalogue does not have)? */
export function keyTakenAsDefault(catalogue: IndustryCatalogue, facility: FacilityLike, key: string, reported: MeasuredValue): boolean {
  const { code, material } = splitParameterKey(key);
  const parameter = catalogue.parameters.find((p) => p.code === code);
  return parameter !== undefined && takenAsDefault(parameter, reported, defaultOf(parameter, facility, material));
}
