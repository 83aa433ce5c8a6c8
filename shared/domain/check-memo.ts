/**
 * What the rules of checks.ts and history-checks.ts share beyond the context: a memo per
 * `runChecks` call, and indexes of the catalogues (immutable data, built once at module scope).
 */
import type { ResolvedCheckContext } from './check-context.ts';
import { type IndustryCatalogue, type IndustryParameter, type Material, parameterKey, splitParameterKey } from './industry.ts';
import { INDUSTRIES } from './industries/index.ts';

/**
 * What one `runChecks` call derives from its context (the earlier months by period, a unit's
 * keys, the blocks of other industries' facilities…), computed once per call instead of once per
 * rule: `withMemo` gives the call's context a memo of its own, which goes when the call returns.
 * A rule called on a context without one (a test calling it alone) computes afresh.
 */
const MEMO = Symbol('per-call memo');
type Memo = Map<(arg: never, context: never) => unknown, WeakMap<object, unknown>>;

/** The context with a memo of its own, for one call. */
export function withMemo<C extends ResolvedCheckContext>(context: C): C {
  return { ...context, [MEMO]: new Map() as Memo };
}

/** `compute(arg, context)`, once per call for each `arg` (by identity) when the context has a memo. */
export function memoised<C extends object, A extends object, T>(context: C, compute: (arg: A, context: C) => T, arg: A): T {
  const memo = (context as { readonly [MEMO]?: Memo })[MEMO];
  if (!memo) return compute(arg, context);
  let byArg = memo.get(compute);
  if (!byArg) {
    byArg = new WeakMap();
    memo.set(compute, byArg);
  }
  if (byArg.has(arg)) return byArg.get(arg) as T;
  const value = compute(arg, context);
  byArg.set(arg, value);
  return value;
}

/** A key read against a catalogue: its parameter and, for `code[material]`, its material. */
export interface KeyEntry {
  readonly parameter: IndustryParameter;
  readonly material?: Material;
}

/**
 * A catalogue's parameters and materials by code (the first of a code, as `find` reads them), for
 * the rules here and in checks.ts.
 */
export interface CatalogueIndex {
  readonly parameters: ReadonlyMap<string, IndustryParameter>;
  readonly materials: ReadonlyMap<string, Material>;
  /**
   * Every key `splitParameterKey` and those lookups resolve: each parameter's code, and each
   * `code[material]` of any of the catalogue's materials (whatever the parameter's roles).
   */
  readonly keys: ReadonlyMap<string, KeyEntry>;
}

function indexCatalogue(catalogue: IndustryCatalogue): CatalogueIndex {
  const parameters = new Map<string, IndustryParameter>();
  for (const p of catalogue.parameters) if (!parameters.has(p.code)) parameters.set(p.code, p);
  const materials = new Map<string, Material>();
  for (const m of catalogue.materials) if (!materials.has(m.code)) materials.set(m.code, m);
  const keys = new Map<string, KeyEntry>();
  for (const [code, parameter] of parameters) {
    if (splitParameterKey(code).material === undefined) keys.set(code, { parameter });
    for (const [materialCode, material] of materials) {
      const key = parameterKey(code, materialCode);
      const split = splitParameterKey(key);
      if (split.code === code && split.material === materialCode) keys.set(key, { parameter, material });
    }
  }
  return { parameters, materials, keys };
}

/** Built once from the catalogues (immutable data); a catalogue not among them is indexed when asked. */
const CATALOGUE_INDEXES: ReadonlyMap<IndustryCatalogue, CatalogueIndex> = new Map(INDUSTRIES.map((c) => [c, indexCatalogue(c)]));

/** A catalogue's parameters and materials by code. */
export function catalogueIndex(catalogue: IndustryCatalogue): CatalogueIndex {
  return CATALOGUE_INDEXES.get(catalogue) ?? indexCatalogue(catalogue);
}
