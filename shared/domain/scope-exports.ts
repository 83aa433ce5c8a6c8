/**
 * The nightly export files of one province or city, beside the period's national ones. A
 * department may read only its jurisdiction, and the national files list every enterprise of the
 * country, so each province and city gets files of its own that hold only what lies within it:
 * the department's download link then never carries another province's enterprises.
 *
 *   {prefix}{period}/summary.json                      the national files (periodExports)
 *   {prefix}{period}/scopes/{kind}-{code}/summary.json  one province's or city's (also .csv)
 */
import type { Period } from './period.ts';
import { inProvince, placeCodes } from './provinces.ts';
import type { PeriodResult } from './rates.ts';
import { type ExportDocument, periodExports } from './summary-export.ts';

const SCOPE_PATTERN = /^(province|city):(\d{6})$/;

/** Where one scope's files for a period sit: `exports/2026-01/scopes/city-360100/`. */
export function scopeExportFolder(prefix: string, period: Period, scope: string): string {
  return `${prefix}${period}/scopes/${scope.replace(':', '-')}/`;
}

/** Whether a summary's scope or a standing's place lies within `scope` (a province holds its cities). */
function within(scope: string, candidate: string): boolean {
  if (candidate === scope) return true;
  const [kind, code] = scope.split(':');
  const [candidateKind, candidateCode = ''] = candidate.split(':');
  return kind === 'province' && candidateKind === 'city' && inProvince(candidateCode, code ?? '');
}

/** The period's files for every province and city scope it summarised. */
export function scopeExports(prefix: string, period: Period, result: PeriodResult): ExportDocument[] {
  const scopes = result.summaries.map((s) => s.scope).filter((scope) => SCOPE_PATTERN.test(scope));
  return scopes.flatMap((scope) => {
    const own: PeriodResult = {
      summaries: result.summaries.filter((s) => within(scope, s.scope)),
      standings: result.standings.filter((s) => {
        const place = placeCodes(s);
        return within(scope, `city:${place.city}`) || scope === `province:${place.province}`;
      }),
    };
    const folder = scopeExportFolder(prefix, period, scope);
    // periodExports names its files `{prefix}{period}/<file>`: the same files, moved into the scope's folder.
    return periodExports(prefix, period, own).map((file) => ({ ...file, key: `${folder}${file.key.slice(`${prefix}${period}/`.length)}` }));
  });
}
