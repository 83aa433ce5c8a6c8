/**
 * The registry of obliged enterprises as its administrator keeps it over the API: read it (JSON,
 * or the CSV sheet departments edit, with the Chinese headers the import reads) and load a new
 * version of it.
 *
 * An entry carries its industries (each with its months) and its facilities at each industry's
 * reporting level; the sheet writes them in its 行业 and 机组 cells (registry-file.ts).
 *
 * Loading is all or nothing, as `evidence registry import` is (shared/domain/registry-file.ts):
 * every row is checked first and one bad row stops the whole load, because a half-loaded registry
 * would silently shift both rates' denominator. Rows that are already stored as given are not
 * written again, so loading the same sheet twice writes nothing.
 */
import { z } from 'zod';
import type { Principal } from '#domain/identity.ts';
import { divisionLabel, provinceCodeOf } from '#domain/provinces.ts';
import { parseRegistryCsv, parseRegistryEntries, type RegistryParse, registryCsv } from '#domain/registry-file.ts';
import { type Enterprise, type Facility, industryOf, obligationsOf } from '#domain/registry.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { RegistryStore } from './ports.ts';

export interface RegistryAdminDeps {
  readonly registry: RegistryStore;
}

export type RegistryRefusalCode = 'bad-request' | 'forbidden';

/** Most rows one request loads: a province's registry is a few hundred; the whole country's ~2,200 power plants plus the new industries. */
export const MAX_REGISTRY_ROWS = 10_000;

const onlyAdministrators = () =>
  refused('forbidden', '只有登记管理员可以查看和维护登记册', 'only an administrator reads and keeps the registry') as {
    ok: false;
    refusal: { code: RegistryRefusalCode; message: { zh: string; en: string } };
  };

export const RegistryQuerySchema = z.object({
  /** A province code or name (360000, 江西, 江西省); absent: every province. */
  province: z.string().trim().min(1).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type RegistryQuery = z.infer<typeof RegistryQuerySchema>;

export type RegistryAnswer =
  | {
      readonly format: 'json';
      readonly province: string | null;
      readonly count: number;
      readonly enterprises: readonly (Enterprise & { readonly provinceName: string; readonly cityName: string })[];
    }
  | {
      readonly format: 'csv';
      readonly province: string | null;
      readonly count: number;
      readonly fileName: string;
      /** The sheet as `evidence registry import` and POST /registry read it back. */
      readonly csv: string;
    };

export async function registryFor(deps: RegistryAdminDeps, caller: Principal, query: RegistryQuery): Promise<Outcome<RegistryAnswer, RegistryRefusalCode>> {
  if (caller.role !== 'administrator') return onlyAdministrators();
  const province = query.province === undefined ? undefined : provinceCodeOf(query.province);
  if (query.province !== undefined && !province)
    return refused('bad-request', `未知的省份：${query.province}`, `unknown province: ${query.province} (a code such as 360000 or a name such as 江西)`);
  const enterprises = await deps.registry.list(province ? [province] : undefined);
  const common = { province: province ?? null, count: enterprises.length };
  if (query.format === 'csv')
    return ok({ format: 'csv', ...common, fileName: `registry-${province ?? 'all'}.csv`, csv: registryCsv(enterprises, { headers: 'zh' }) });
  return ok({
    format: 'json',
    ...common,
    enterprises: enterprises.map((e) => ({ ...e, provinceName: divisionLabel(e.province), cityName: divisionLabel(e.city) })),
  });
}

export const RegistryLoadSchema = z.union([
  z.object({ enterprises: z.array(z.unknown()).min(1, 'enterprises lists no enterprise').max(MAX_REGISTRY_ROWS) }).strict(),
  z
    .object({
      csv: z
        .string()
        .min(1, 'csv is empty')
        .max(20 * 1024 * 1024),
    })
    .strict(),
]);
export type RegistryLoad = z.infer<typeof RegistryLoadSchema>;

export interface RefusedRow {
  /** CSV: the file's line (the header is line 1). JSON: the entry's position in `enterprises`, from 1. */
  readonly row: number;
  readonly column?: string;
  readonly message: string;
}

export interface RegistryLoadAnswer {
  /** Entries written (new, or different from what was stored). */
  readonly imported: number;
  /** Entries already stored exactly as given. */
  readonly unchanged: number;
  /** Every bad row; when there is one, nothing was written. */
  readonly refused: readonly RefusedRow[];
}

/** A facility as comparable text: its industry (power for an old entry) and every attribute, in key order. */
const canonicalFacility = (u: Facility) =>
  Object.entries({ ...u, industry: industryOf(u) })
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));

/**
 * An entry as a comparable text: every field in a fixed order, an absent end as null; its
 * obligations (an old entry's envelope as one) and its facilities with every catalogue attribute,
 * so adding an industry or changing a clinker line's capacity is a change.
 */
const canonical = (e: Enterprise) =>
  JSON.stringify([
    e.enterpriseId,
    e.name,
    e.province,
    e.city,
    e.industry,
    obligationsOf(e).map((o) => [o.industry, o.obligedFrom, o.obligedUntil ?? null]),
    e.units.map(canonicalFacility),
    e.obligedFrom,
    e.obligedUntil ?? null,
  ]);

export async function loadRegistry(deps: RegistryAdminDeps, caller: Principal, body: RegistryLoad): Promise<Outcome<RegistryLoadAnswer, RegistryRefusalCode>> {
  if (caller.role !== 'administrator') return onlyAdministrators();
  const parsed: RegistryParse = 'csv' in body ? parseRegistryCsv(body.csv) : parseRegistryEntries(body.enterprises);
  if (!parsed.ok)
    return ok({
      imported: 0,
      unchanged: 0,
      refused: parsed.problems.map((p) => ({
        row: p.line,
        ...(p.column ? { column: p.column } : {}),
        message: `第 ${p.line} 行${p.column ? `（${p.column}）` : ''} / row ${p.line}${p.column ? ` (${p.column})` : ''}: ${p.message}`,
      })),
    });
  if (parsed.enterprises.length > MAX_REGISTRY_ROWS)
    return refused('bad-request', `每次最多导入 ${MAX_REGISTRY_ROWS} 行`, `at most ${MAX_REGISTRY_ROWS} rows per request`);
  const provinces = [...new Set(parsed.enterprises.map((e) => e.province))];
  const stored = new Map((await deps.registry.list(provinces)).map((e) => [e.enterpriseId, canonical(e)]));
  const changed = parsed.enterprises.filter((e) => stored.get(e.enterpriseId) !== canonical(e));
  if (changed.length > 0) await deps.registry.putAll(changed);
  return ok({ imported: changed.length, unchanged: parsed.enterprises.length - changed.length, refused: [] });
}
