/**
 * Month-over-month data-quality signals: the fraud patterns MEE has named publicly (values copied
 * from last month, a lab report number or an evidence file reused, one batch test passed off as
 * monthly tests) and abrupt jumps. They need the enterprise's earlier accepted months, which the
 * pipeline reads from the ledger (each look-back month's accepted snapshot, `IntakeReader`) and
 * passes in. All are warnings: a human decides whether a repeat is a copy or a coincidence.
 */
import { judgedAsPower, namesFor, otherIndustryFacility, type PriorMonth, type ResolvedCheckContext, takenAsDefault } from './check-context.ts';
import { defaultOf, type FacilityLike, type IndustryCatalogue, keyLabel, splitParameterKey } from './industry.ts';
import { catalogueIndex, memoised } from './check-memo.ts';
import type { Finding } from './issues.ts';
import { PARAMETER_CODES, type ParameterCode } from './parameters.ts';
import { addMonths } from './period.ts';
import type { MeasuredValue, UnitReport } from './report.ts';

export type { PriorMonth };

/** One history signal's findings (the catalogue's EVD-HIST-* entries). */
type Rule = (context: ResolvedCheckContext) => Finding[];

function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Earlier months only, one per period (the first given wins), newest first. */
export function earlierMonths(context: Pick<ResolvedCheckContext, 'history' | 'report'>): PriorMonth[] {
  const byPeriod = new Map<string, PriorMonth>();
  for (const month of context.history) {
    if (month.period < context.report.period && !byPeriod.has(month.period)) byPeriod.set(month.period, month);
  }
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? 1 : -1));
}

/** The earlier months by period (one each, as `earlierMonths` keeps them). */
function monthsByPeriod(context: Pick<ResolvedCheckContext, 'history' | 'report'>): ReadonlyMap<string, PriorMonth> {
  return new Map(earlierMonths(context).map((m) => [m.period, m]));
}

const POWER_CODES: ReadonlySet<string> = new Set(PARAMETER_CODES);

/** A unit's keys, power's in their catalogue order first (so power's findings read as they always have), then the rest as reported. */
export function keysOf(unit: UnitReport): string[] {
  const power = PARAMETER_CODES.filter((code) => unit.parameters[code] !== undefined);
  return [...power, ...Object.keys(unit.parameters).filter((key) => !POWER_CODES.has(key))];
}

/** `keysOf(unit)`, once per call. */
export function reportedKeys(context: ResolvedCheckContext, unit: UnitReport): readonly string[] {
  return memoised(context, keysOf, unit);
}

/** The accepted deposit of the month before the report's. */
export function previousMonth(context: Pick<ResolvedCheckContext, 'history' | 'report'>): PriorMonth | undefined {
  return monthAt(context, 1);
}

function monthAt(context: Pick<ResolvedCheckContext, 'history' | 'report'>, monthsBack: number): PriorMonth | undefined {
  const period = addMonths(context.report.period, -monthsBack);
  return memoised(context, monthsByPeriod, context).get(period);
}

/** A unit's block in a month, by id (the first, as `find` reads it). */
function unitsById(month: PriorMonth): ReadonlyMap<string, UnitReport> {
  const byId = new Map<string, UnitReport>();
  for (const unit of month.report.units) if (!byId.has(unit.unitId)) byId.set(unit.unitId, unit);
  return byId;
}

export function unitIn(month: PriorMonth | undefined, unitId: string): UnitReport | undefined {
  return month?.report.units.find((u) => u.unitId === unitId);
}

/** `unitIn(month, unitId)`, the month's blocks indexed once per call. */
export function unitOf(context: object, month: PriorMonth | undefined, unitId: string): UnitReport | undefined {
  return month === undefined ? undefined : memoised(context, unitsById, month).get(unitId);
}

function normalisedReportNo(reportNo: string): string {
  return reportNo.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** A month's lab report numbers, normalised. */
function reportNosOf(month: PriorMonth): ReadonlySet<string> {
  return new Set(month.report.units.flatMap((u) => (u.labReport ? [normalisedReportNo(u.labReport.reportNo)] : [])));
}

/** A month's evidence file names by SHA-256, in the month's order. */
function evidenceBySha(month: PriorMonth): ReadonlyMap<string, readonly string[]> {
  const bySha = new Map<string, string[]>();
  for (const e of month.evidence) {
    const names = bySha.get(e.sha256);
    if (names) names.push(e.fileName);
    else bySha.set(e.sha256, [e.fileName]);
  }
  return bySha;
}

/** `keyTakenAsDefault` (check-context.ts), the parameter found through the catalogue's index. */
function keyTakenAsDefault(catalogue: IndustryCatalogue, facility: FacilityLike, key: string, reported: MeasuredValue): boolean {
  const { code, material } = splitParameterKey(key);
  const parameter = catalogueIndex(catalogue).parameters.get(code);
  return parameter !== undefined && takenAsDefault(parameter, reported, defaultOf(parameter, facility, material));
}

/** The history signals' rules, by catalogue code. */
export const HISTORY_RULES: Readonly<Record<string, Rule>> = {
  'EVD-HIST-IDENTICAL-MONTH': (context) => {
    const previous = monthAt(context, 1);
    if (!previous) return [];
    return context.report.units.flatMap((unit): Finding[] => {
      const before = unitOf(context, previous, unit.unitId);
      if (!before) return [];
      // Every key the unit reports, whatever its industry (power's in their catalogue order). Another
      // industry's defaults (a clinker factor, a deduction coefficient) are the same every month by rule: not a copy.
      const other = otherIndustryFacility(context, unit.unitId);
      const keys = other
        ? Object.keys(unit.parameters).filter((key) => {
            const reported = unit.parameters[key];
            return reported !== undefined && !keyTakenAsDefault(other.catalogue, other.facility, key, reported);
          })
        : reportedKeys(context, unit);
      const identical = keys.filter((key) => {
        const now = unit.parameters[key]?.value;
        const then = before.parameters[key]?.value;
        return now !== undefined && then !== undefined && now !== 0 && sameValue(now, then);
      });
      const reported = keys.filter((key) => (unit.parameters[key]?.value ?? 0) !== 0).length;
      const { identicalMinParameters, identicalMinShare } = context.settings.history;
      if (!(identical.length >= identicalMinParameters && identical.length >= identicalMinShare * reported)) return [];
      const labels = other ? identical.map((key) => keyLabel(other.catalogue, key, 'zh') ?? key) : undefined;
      return [
        {
          unitId: unit.unitId,
          field: identical.join(', '),
          expected: previous.period,
          found: `${identical.length} values (${identical.join(', ')})`,
          ...namesFor(context, unit.unitId),
          ...(labels ? { zh: { found: `${identical.length} 项数值（${labels.join('、')}）` } } : {}),
        },
      ];
    });
  },
  'EVD-HIST-LAB-REPORT-REUSED': (context) => {
    const months = memoised(context, earlierMonths, context);
    return context.report.units.flatMap((unit): Finding[] => {
      if (!unit.labReport) return [];
      const wanted = normalisedReportNo(unit.labReport.reportNo);
      const used = months.filter((m) => memoised(context, reportNosOf, m).has(wanted));
      return used.length > 0
        ? [
            {
              unitId: unit.unitId,
              field: 'labReportNo',
              row: unit.labReport.row,
              expected: used.map((m) => m.period).join(', '),
              found: unit.labReport.reportNo,
              ...namesFor(context, unit.unitId),
            },
          ]
        : [];
    });
  },
  'EVD-HIST-EVIDENCE-REUSED': (context) => {
    const months = memoised(context, earlierMonths, context);
    // An unreadable file has no hash to compare (EVD-EVIDENCE-UNREADABLE speaks for it).
    return context.evidence
      .filter((file) => file.unreadable === undefined && file.sha256 !== '')
      .flatMap((file): Finding[] => {
        const earlier = months.flatMap((m) => (memoised(context, evidenceBySha, m).get(file.sha256) ?? []).map((fileName) => `${m.period} ${fileName}`));
        return earlier.length > 0 ? [{ field: file.fileName, expected: earlier.join('; ').slice(0, 300), found: file.sha256 }] : [];
      });
  },
  'EVD-HIST-ABRUPT-CHANGE': (context) => {
    const previous = monthAt(context, 1);
    if (!previous) return [];
    const powerBands = Object.entries(context.settings.history.changeBands) as [ParameterCode, number][];
    return context.report.units.flatMap((unit) => {
      const before = unitOf(context, previous, unit.unitId);
      if (!before) return [];
      const other = otherIndustryFacility(context, unit.unitId);
      // Another industry's bands are by key (`ncv[coke]`) or parameter code, from its settings.
      const industryBands = other ? context.settings.industries[other.catalogue.code]?.changeBands : undefined;
      const bands: [string, number][] = !other
        ? judgedAsPower(context, unit.unitId)
          ? powerBands
          : []
        : reportedKeys(context, unit).flatMap((key): [string, number][] => {
            const band = industryBands?.[key] ?? industryBands?.[splitParameterKey(key).code];
            return band === undefined ? [] : [[key, band]];
          });
      return bands.flatMap(([code, band]): Finding[] => {
        const now = unit.parameters[code]?.value;
        const then = before.parameters[code]?.value;
        if (now === undefined || then === undefined || then === 0) return [];
        const change = (now - then) / Math.abs(then);
        return Math.abs(change) > band
          ? [
              {
                unitId: unit.unitId,
                field: code,
                row: unit.parameters[code]?.row,
                expected: `±${+(band * 100).toFixed(2)}% of ${then} (${previous.period})`,
                found: `${now} (${change > 0 ? '+' : ''}${(change * 100).toFixed(1)}%)`,
                ...namesFor(context, unit.unitId, code),
              },
            ]
          : [];
      });
    });
  },
  'EVD-HIST-CARBON-CONSTANT': (context) => {
    const months = context.settings.history.constantCarbonMonths;
    return context.report.units.flatMap((unit): Finding[] => {
      if (!judgedAsPower(context, unit.unitId)) return [];
      const now = unit.parameters.carbonAsReceived?.value;
      if (now === undefined) return [];
      for (let back = 1; back < months; back++) {
        const then = unitOf(context, monthAt(context, back), unit.unitId)?.parameters.carbonAsReceived?.value;
        if (then === undefined || !sameValue(now, then)) return [];
      }
      return [{ unitId: unit.unitId, field: 'carbonAsReceived', row: unit.parameters.carbonAsReceived?.row, expected: months, found: `${now}%` }];
    });
  },
};
