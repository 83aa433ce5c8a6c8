/**
 * What an industry's catalogue says, as data: the reporting level (what one facility of the
 * registry is, and its attributes), the parameters deposited per facility each month — names in
 * Chinese and English, canonical and accepted units, required or optional, measured or the
 * guideline's default (with the default values), the evidence each needs, plausible and typical
 * ranges — the materials some parameters are reported per (fuels, substitutes, steel's stock
 * lines), and how sure each figure is. One file per industry in `industries/` holds one
 * `IndustryCatalogue`; the readers, the template, the checks and the registry read it, so adding
 * an industry is a new file and its tests (industries/index.ts lists the files).
 */
import type { z } from 'zod';

/**
 * How sure a figure is (industries.md): `rule` read in a published MEE text; `impl` taken from
 * software that implements the guideline; `est` an engineering estimate, used only for a
 * configurable warning, never for an error.
 */
export type Certainty = 'rule' | 'impl' | 'est';

export interface Band {
  readonly min: number;
  readonly max: number;
}

export interface Names {
  readonly zh: string;
  readonly en: string;
}

/**
 * When a parameter is required of a facility: `always`, `optional` (auxiliary figures a facility
 * reports if it has them), or when each named facility attribute takes one of the values listed
 * (`{ fuel: ['coal'] }`: coal units only).
 */
export type Requirement = 'always' | 'optional' | { readonly when: Readonly<Record<string, readonly string[]>> };

/**
 * `measured`: a ledger or record is its evidence (and a lab report for a composition);
 * `default`: the guideline's value, which the declared value must equal;
 * `measured-or-default`: either, as the report's `basis` (取值方式) says — or, without one, read
 * as default when the value equals the default and measured otherwise.
 */
export type Basis = 'measured' | 'default' | 'measured-or-default';

/** The guideline's default: one value, or one per facility attribute value (clinker type), or per material. */
export type DefaultValue =
  | { readonly value: number; readonly certainty: Certainty }
  | { readonly byFacility: string; readonly values: Readonly<Record<string, number>>; readonly certainty: Certainty }
  | { readonly byMaterial: Readonly<Record<string, number>>; readonly certainty: Certainty };

export interface IndustryParameter extends Names {
  /** The name used in every file format, the ledger and the API (`clinkerOutput`). */
  readonly code: string;
  /** Canonical unit; values are stored converted to it. */
  readonly unit: string;
  /** Accepted spellings of units, mapped to the factor converting to the canonical unit. */
  readonly units: Readonly<Record<string, number>>;
  /** For a per-material parameter of a gaseous material (steel's BFG): its unit and spellings instead. */
  readonly gas?: { readonly unit: string; readonly units: Readonly<Record<string, number>> };
  readonly required: Requirement;
  /**
   * Reported once per material of the facility whose role is listed (`fuelConsumed[kilnCoal]`);
   * absent: once per facility.
   */
  readonly perMaterial?: readonly string[];
  readonly basis: Basis;
  readonly default?: DefaultValue;
  /** A chemical composition: measured, it needs a CMA/CNAS lab report on the facility. */
  readonly composition?: boolean;
  /** The supporting material the guideline asks for; absent: none (a default needs no ledger). */
  readonly evidence?: Names;
  /** Outside is an error: physically impossible (a negative tonnage, 120 %). Rule-sure only. */
  readonly range?: Band;
  /** Outside (but within `range`) is a warning for a reviewer; estimates belong here. */
  readonly typical?: Band & { readonly certainty: Certainty };
  /** For a per-material parameter: the typical band of each material (coke's NCV is not BFG's); `typical` for the rest. */
  readonly typicalByMaterial?: Readonly<Record<string, Band & { readonly certainty: Certainty }>>;
  /** A 存证 figure not used in the emission calculation (purchased electricity for the new industries). */
  readonly auxiliary?: boolean;
  /**
   * Checks of the industry's own that judge this parameter's default (power's carbon per heat):
   * the generic default checks pass over it, so no problem is reported twice.
   */
  readonly defaultJudgedBy?: readonly string[];
  /**
   * The catalogue codes its range and typical checks report under, where the industry has its own
   * (power's EVD-RANGE-COAL, kept since 2022); absent: the generic EVD-PARAM-RANGE / EVD-PARAM-ATYPICAL.
   */
  readonly codes?: { readonly range?: string; readonly typical?: string };
}

export interface Material extends Names {
  /** `kilnCoal`, `carbideSlag`, `coke`, `bfg`. */
  readonly code: string;
  /** What it is to the facility; a per-material parameter names the roles it is reported for. */
  readonly role: string;
  /** Measured in 10⁴ Nm³ rather than tonnes. */
  readonly gas?: boolean;
}

/** A facility attribute the registry records (design t/d, clinker type, current, cells, process). */
export interface FacilityAttribute extends Names {
  readonly code: string;
  /** A number (with its unit) or one of a fixed list of values. */
  readonly kind: { readonly number: string } | { readonly oneOf: Readonly<Record<string, Names>> };
  /** Chinese column header in the registry file. */
  readonly header: string;
}

export interface IndustryCatalogue extends Names {
  /** `power`, `cement`, `aluminium`, `steel`: the registry's, the ledger's and the scopes' name. */
  readonly code: string;
  /** The guideline the catalogue follows, and how sure its transcription is. */
  readonly guideline: string;
  /** What one facility of the registry is: 机组, 熟料生产线, 铝电解工序 (电解系列), 工序. */
  readonly level: Names;
  /** The facility's attributes, in registry column order (unitId and industry come first). */
  readonly attributes: readonly FacilityAttribute[];
  /** Validates one facility's attributes (beside unitId and industry). */
  readonly facilitySchema: z.ZodType<Record<string, unknown>>;
  /** The first period the industry deposits monthly, by default (a registry entry may say otherwise). */
  readonly obligedFrom: string;
  readonly parameters: readonly IndustryParameter[];
  readonly materials: readonly Material[];
  /** The lab report rows (number, date) are asked for when the facility declares a composition measured, or always. */
  readonly labReport: 'always-for' | 'when-measured';
  /** For `always-for`: the facility attribute values that always need one (`{ fuel: ['coal'] }`). */
  readonly labReportFor?: Readonly<Record<string, readonly string[]>>;
  /** Relations between a facility's figures, each a catalogue check of its own code. */
  readonly crossChecks: readonly CrossCheck[];
  /** What the catalogue's figures are not yet sure of, for the README and the check docs. */
  readonly unverified: readonly string[];
}

/** A registered facility as the checks see it: its id, its industry and the catalogue's attributes. */
export interface FacilityLike {
  readonly unitId: string;
  readonly industry?: string;
  readonly materials?: readonly string[];
  readonly [attribute: string]: unknown;
}

/** `clinkerOutput`, or `fuelConsumed[kilnCoal]` for a per-material parameter. */
export function parameterKey(code: string, material?: string): string {
  return material ? `${code}[${material}]` : code;
}

/** `fuelConsumed[kilnCoal]` → its parameter and material. */
export function splitParameterKey(key: string): { code: string; material?: string } {
  const match = /^([^[\]]+)\[([^[\]]+)\]$/.exec(key);
  return match ? { code: match[1] as string, material: match[2] as string } : { code: key };
}

function attributeMatches(facility: FacilityLike, when: Readonly<Record<string, readonly string[]>>): boolean {
  return Object.entries(when).every(([attribute, values]) => values.includes(String(facility[attribute] ?? '')));
}

/** The registered materials of a facility its catalogue knows, in registry order. */
function registeredMaterials(catalogue: IndustryCatalogue, facility: FacilityLike): Material[] {
  return (facility.materials ?? []).map((code) => catalogue.materials.find((m) => m.code === code)).filter((m): m is Material => m !== undefined);
}

/** One parameter a facility reports (per material where it is per material). */
export interface ExpectedParameter {
  readonly key: string;
  readonly parameter: IndustryParameter;
  readonly material?: Material;
  readonly required: boolean;
}

/** Every parameter key a facility may report, required ones flagged, in catalogue order. */
export function expectedParameters(catalogue: IndustryCatalogue, facility: FacilityLike): ExpectedParameter[] {
  const registered = registeredMaterials(catalogue, facility);
  return catalogue.parameters.flatMap((parameter): ExpectedParameter[] => {
    const required = parameter.required === 'always' ? true : parameter.required === 'optional' ? false : attributeMatches(facility, parameter.required.when);
    // A parameter required only of other facilities (gas for a coal unit) is not expected at all.
    if (typeof parameter.required === 'object' && !required) return [];
    if (!parameter.perMaterial) return [{ key: parameter.code, parameter, required }];
    const roles = parameter.perMaterial;
    return registered
      .filter((m) => roles.includes(m.role))
      .map((material) => ({
        key: parameterKey(parameter.code, material.code),
        parameter,
        material,
        required,
      }));
  });
}

/** Does the facility need the lab report rows whatever it declares (a coal unit)? */
export function labReportAlwaysRequired(catalogue: IndustryCatalogue, facility: FacilityLike): boolean {
  return catalogue.labReport === 'always-for' && catalogue.labReportFor !== undefined && attributeMatches(facility, catalogue.labReportFor);
}

/** The canonical unit and accepted spellings of a parameter, for a material where given. */
export function unitsOf(parameter: IndustryParameter, material?: Pick<Material, 'gas'>): { unit: string; units: Readonly<Record<string, number>> } {
  return material?.gas && parameter.gas ? parameter.gas : { unit: parameter.unit, units: parameter.units };
}

/** Spelling-insensitive unit lookup: blanks are ignored, `³`/`⁴` read as `3`/`^4`. */
export function normaliseUnit(unit: string): string {
  return unit
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/10⁴|10\^4|1e4/gi, '10^4')
    .replace(/m³/g, 'm3');
}

/** The factor converting `declaredUnit` to the canonical unit, or undefined when it is not accepted. */
export function factorOf(units: Readonly<Record<string, number>>, declaredUnit: string): number | undefined {
  let wanted: string | undefined;
  for (const [spelling, factor] of Object.entries(units)) {
    // A spelling written as declared matches without normalising either (the common case: the canonical unit).
    if (spelling === declaredUnit) return factor;
    wanted ??= normaliseUnit(declaredUnit).toLowerCase();
    if (normaliseUnit(spelling).toLowerCase() === wanted) return factor;
  }
  return undefined;
}

/** The typical band of a parameter (for a material where it has its own). */
export function typicalOf(parameter: IndustryParameter, material?: string): (Band & { readonly certainty: Certainty }) | undefined {
  return (material === undefined ? undefined : parameter.typicalByMaterial?.[material]) ?? parameter.typical;
}

/** The guideline's default for a parameter of a facility (and material), if it has one. */
export function defaultOf(parameter: IndustryParameter, facility: FacilityLike, material?: string): number | undefined {
  const d = parameter.default;
  if (!d) return undefined;
  if ('value' in d) return d.value;
  if ('byFacility' in d) return d.values[String(facility[d.byFacility] ?? '')];
  return material === undefined ? undefined : d.byMaterial[material];
}

/** The names a parameter key is written under: its code, or its Chinese name, with the material's code or name in brackets. */
export function keyNames(parameter: IndustryParameter, material?: Material): string[] {
  if (!material) return [parameter.code, parameter.zh];
  return [`${parameter.code}[${material.code}]`, `${parameter.zh}[${material.zh}]`, `${parameter.code}[${material.zh}]`, `${parameter.zh}[${material.code}]`];
}

/**
 * The parameter (and material) a key names in a catalogue, or undefined: `netConsumed[coke]`
 * needs a per-material parameter and a material of a role it is reported for; a plain key, a
 * parameter reported once per facility.
 */
export function entryOfKey(catalogue: IndustryCatalogue, key: string): { parameter: IndustryParameter; material?: Material } | undefined {
  const { code, material } = splitParameterKey(key);
  const parameter = catalogue.parameters.find((p) => p.code === code);
  if (!parameter) return undefined;
  if (material === undefined) return parameter.perMaterial ? undefined : { parameter };
  const m = catalogue.materials.find((x) => x.code === material);
  return m && parameter.perMaterial?.includes(m.role) ? { parameter, material: m } : undefined;
}

/** A key's names for people: `熟料产量`, `消费量（焦炭）`. */
export function keyLabel(catalogue: IndustryCatalogue, key: string, language: 'zh' | 'en'): string | undefined {
  const { code, material } = splitParameterKey(key);
  const parameter = catalogue.parameters.find((p) => p.code === code);
  if (!parameter) return undefined;
  const m = material === undefined ? undefined : catalogue.materials.find((x) => x.code === material);
  if (material !== undefined && !m) return undefined;
  return m ? (language === 'zh' ? `${parameter.zh}（${m.zh}）` : `${parameter.en} (${m.en})`) : parameter[language];
}

/** What a cross-check sees of one facility's month: canonical values by key, its materials, the month's length. */
export interface FacilityFacts {
  readonly facility: FacilityLike;
  /** The value reported under a key (`clinkerOutput`, `consumed[coke]`), converted to its canonical unit. */
  value(key: string): number | undefined;
  /** The facility's registered materials of a role (all, without one). */
  materials(role?: string): readonly Material[];
  /** Days in the month. */
  readonly days: number;
  /** The same facility's figures in the previous month's accepted deposit, when the check reads history and there is one. */
  readonly previous?: { value(key: string): number | undefined; readonly period: string };
}

/** One finding of a cross-check: the key it points at, what was expected and what was found. */
export interface CrossFinding {
  readonly key: string;
  readonly expected: string;
  readonly found: string;
}

/**
 * A relation between a facility's figures (process CO₂ per tonne of clinker, AC power per tonne
 * of aluminium, steel's carbon balance). Its band is data and a setting (`settings.industries.
 * <industry>.crossChecks.<code>`); an `est` band reports a warning, a `rule` or `impl` one an
 * error. Each becomes a catalogue entry of its own code.
 */
export interface CrossCheck extends Names {
  readonly code: string;
  readonly certainty: Certainty;
  /** Default: a warning for an `est` band, an error otherwise; a plausibility band may warn whatever its source. */
  readonly severity?: 'error' | 'warning';
  /** Reads the previous month's accepted figures (steel's stock continuity). */
  readonly history?: boolean;
  readonly rationale: string;
  /** Absent for a relation that must hold exactly (a balance), judged with `tolerance`. */
  readonly band?: Band;
  /** For an exact relation: the largest relative gap accepted (meter rounding). */
  readonly tolerance?: number;
  readonly judge: (facts: FacilityFacts, band: Band | undefined, tolerance: number | undefined) => readonly CrossFinding[];
}
