/**
 * How a report's parameter names are read: by the catalogue of the facility a row is for. A row
 * of clinker line L1 is read with the cement catalogue (`熟料产量`, `fuelConsumed[kilnCoal]`), a
 * row of unit 1 with power's; a row of a facility the registry does not list is tried against the
 * enterprise's industries in turn, and without a registry entry against every industry (power
 * first, as reports were read before there were others). Per-material parameters are named
 * `code[material]` (or `中文名[物料]`), or by the parameter with the material in its own column.
 */
import { factorOf, type IndustryCatalogue, type IndustryParameter, keyNames, type Material, parameterKey, unitsOf } from './industry.ts';
import { INDUSTRIES, industryCatalogue } from './industries/index.ts';
import { type Enterprise, industryOf, obligationsOf } from './registry.ts';

/** A parameter name resolved for one facility: its key in the model, its definition and units. */
export interface ResolvedParameter {
  readonly key: string;
  readonly catalogue: IndustryCatalogue;
  readonly parameter: IndustryParameter;
  readonly material?: Material;
  /** Canonical unit of this key (a gas material's where it has its own). */
  readonly unit: string;
  readonly units: Readonly<Record<string, number>>;
}

export interface Vocabulary {
  /** `name` as written in the 参数 column (with `material` from the 物料 column, if any), for facility `unitId`. */
  resolve(unitId: string, name: string, material?: string): ResolvedParameter | undefined;
  /** The parameter codes a facility's rows may name, for an issue's "expected". */
  known(unitId: string): string[];
  /** The factor converting a declared unit to the key's canonical unit. */
  factor(resolved: ResolvedParameter, declaredUnit: string): number | undefined;
  /** How messages name the facility (熟料生产线 / Line); undefined for a power unit or an unknown one, named 机组 / Unit. */
  level(unitId: string): { zh: string; en: string } | undefined;
}

const clean = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

interface Entry {
  readonly parameter: IndustryParameter;
  readonly material?: Material;
}

/**
 * A per-material name as people also write it: with the material in round brackets, as the
 * issues name the key (`消费量（焦炭）`, NFKC `消费量(焦炭)`), or in 【】.
 */
function spellingsOf(name: string, material: Material | undefined): string[] {
  if (!material) return [name];
  const bracketed = /^(.*)\[([^[\]]+)\]$/.exec(name);
  return bracketed ? [name, `${bracketed[1]}(${bracketed[2]})`, `${bracketed[1]}【${bracketed[2]}】`] : [name];
}

/** Every name of every key of a catalogue (code in lower case, Chinese names NFKC), once. */
function namesOf(catalogue: IndustryCatalogue): ReadonlyMap<string, Entry> {
  const names = new Map<string, Entry>();
  for (const parameter of catalogue.parameters) {
    const materials = parameter.perMaterial ? catalogue.materials.filter((m) => parameter.perMaterial?.includes(m.role)) : [undefined];
    for (const material of materials)
      for (const name of keyNames(parameter, material).flatMap((n) => spellingsOf(n, material))) {
        const key = clean(name).toLowerCase();
        if (!names.has(key)) names.set(key, { parameter, ...(material ? { material } : {}) });
      }
  }
  return names;
}

const NAMES = new Map(INDUSTRIES.map((c) => [c.code, namesOf(c)]));

function resolveIn(catalogue: IndustryCatalogue, name: string, material?: string): ResolvedParameter | undefined {
  const written = clean(name);
  const withMaterial = material && clean(material) !== '' ? `${written}[${clean(material)}]` : written;
  const entry = NAMES.get(catalogue.code)?.get(withMaterial.toLowerCase());
  if (!entry) return undefined;
  const { unit, units } = unitsOf(entry.parameter, entry.material);
  return {
    key: parameterKey(entry.parameter.code, entry.material?.code),
    catalogue,
    parameter: entry.parameter,
    ...(entry.material ? { material: entry.material } : {}),
    unit,
    units,
  };
}

/** The vocabulary of an enterprise's report (every industry's, power first, without one). */
export function vocabularyOf(enterprise?: Pick<Enterprise, 'units' | 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>): Vocabulary {
  const industries = enterprise
    ? obligationsOf(enterprise)
        .map((o) => industryCatalogue(o.industry))
        .filter((c): c is IndustryCatalogue => c !== undefined)
    : [...INDUSTRIES];
  const fallback = industries.length > 0 ? industries : [...INDUSTRIES];
  const catalogueOfUnit = (unitId: string): IndustryCatalogue[] => {
    const facility = enterprise?.units.find((u) => u.unitId === unitId);
    const own = facility ? industryCatalogue(industryOf(facility)) : undefined;
    return own ? [own] : fallback;
  };
  return {
    resolve: (unitId, name, material) => {
      for (const catalogue of catalogueOfUnit(unitId)) {
        const resolved = resolveIn(catalogue, name, material);
        if (resolved) return resolved;
      }
      return undefined;
    },
    known: (unitId) => [...new Set(catalogueOfUnit(unitId).flatMap((c) => c.parameters.map((p) => p.code)))],
    factor: (resolved, declaredUnit) => factorOf(resolved.units, declaredUnit),
    level: (unitId) => {
      const facility = enterprise?.units.find((u) => u.unitId === unitId);
      const catalogue = facility ? industryCatalogue(industryOf(facility)) : undefined;
      return catalogue && catalogue.code !== 'power' ? { zh: catalogue.level.zh, en: catalogue.level.en } : undefined;
    },
  };
}

/** Every parameter name of every industry (code in lower case or Chinese name, NFKC), for telling a wide layout's headers. */
export function allParameterNames(): ReadonlyMap<string, { key: string; unit: string }> {
  const all = new Map<string, { key: string; unit: string }>();
  for (const catalogue of INDUSTRIES)
    for (const [name, entry] of NAMES.get(catalogue.code) ?? [])
      if (!all.has(name)) all.set(name, { key: parameterKey(entry.parameter.code, entry.material?.code), unit: unitsOf(entry.parameter, entry.material).unit });
  return all;
}
