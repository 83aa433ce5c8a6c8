/**
 * Month-over-month data-quality signals: the fraud patterns MEE has named publicly (values copied
 * from last month, a lab report number or an evidence file reused, one batch test passed off as
 * monthly tests) and abrupt jumps. They need the enterprise's earlier accepted months, which the
 * pipeline reads from the ledger (each look-back month's accepted snapshot, `IntakeReader`) and
 * passes in. All are warnings: a human decides whether a repeat is a copy or a coincidence.
 */
import type { PriorMonth, ResolvedCheckContext } from './check-context.ts';
import type { Finding } from './issues.ts';
import { PARAMETER_CODES, type ParameterCode } from './parameters.ts';
import { addMonths } from './period.ts';
import type { UnitReport } from './report.ts';

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

function monthAt(context: ResolvedCheckContext, monthsBack: number): PriorMonth | undefined {
  const period = addMonths(context.report.period, -monthsBack);
  return earlierMonths(context).find((m) => m.period === period);
}

function unitIn(month: PriorMonth | undefined, unitId: string): UnitReport | undefined {
  return month?.report.units.find((u) => u.unitId === unitId);
}

function normalisedReportNo(reportNo: string): string {
  return reportNo.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** The history signals' rules, by catalogue code. */
export const HISTORY_RULES: Readonly<Record<string, Rule>> = {
  'EVD-HIST-IDENTICAL-MONTH': (context) => {
    const previous = monthAt(context, 1);
    if (!previous) return [];
    return context.report.units.flatMap((unit): Finding[] => {
      const before = unitIn(previous, unit.unitId);
      if (!before) return [];
      const identical = PARAMETER_CODES.filter((code) => {
        const now = unit.parameters[code]?.value;
        const then = before.parameters[code]?.value;
        return now !== undefined && then !== undefined && now !== 0 && sameValue(now, then);
      });
      const reported = PARAMETER_CODES.filter((code) => (unit.parameters[code]?.value ?? 0) !== 0).length;
      const { identicalMinParameters, identicalMinShare } = context.settings.history;
      return identical.length >= identicalMinParameters && identical.length >= identicalMinShare * reported
        ? [{ unitId: unit.unitId, field: identical.join(', '), expected: previous.period, found: `${identical.length} values (${identical.join(', ')})` }]
        : [];
    });
  },
  'EVD-HIST-LAB-REPORT-REUSED': (context) => {
    const months = earlierMonths(context);
    return context.report.units.flatMap((unit): Finding[] => {
      if (!unit.labReport) return [];
      const wanted = normalisedReportNo(unit.labReport.reportNo);
      const used = months.filter((m) => m.report.units.some((u) => u.labReport && normalisedReportNo(u.labReport.reportNo) === wanted));
      return used.length > 0
        ? [
            {
              unitId: unit.unitId,
              field: 'labReportNo',
              row: unit.labReport.row,
              expected: used.map((m) => m.period).join(', '),
              found: unit.labReport.reportNo,
            },
          ]
        : [];
    });
  },
  'EVD-HIST-EVIDENCE-REUSED': (context) => {
    const months = earlierMonths(context);
    // An unreadable file has no hash to compare (EVD-EVIDENCE-UNREADABLE speaks for it).
    return context.evidence
      .filter((file) => file.unreadable === undefined && file.sha256 !== '')
      .flatMap((file): Finding[] => {
        const earlier = months.flatMap((m) => m.evidence.filter((e) => e.sha256 === file.sha256).map((e) => `${m.period} ${e.fileName}`));
        return earlier.length > 0 ? [{ field: file.fileName, expected: earlier.join('; ').slice(0, 300), found: file.sha256 }] : [];
      });
  },
  'EVD-HIST-ABRUPT-CHANGE': (context) => {
    const previous = monthAt(context, 1);
    if (!previous) return [];
    const bands = Object.entries(context.settings.history.changeBands) as [ParameterCode, number][];
    return context.report.units.flatMap((unit) => {
      const before = unitIn(previous, unit.unitId);
      if (!before) return [];
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
              },
            ]
          : [];
      });
    });
  },
  'EVD-HIST-CARBON-CONSTANT': (context) => {
    const months = context.settings.history.constantCarbonMonths;
    return context.report.units.flatMap((unit): Finding[] => {
      const now = unit.parameters.carbonAsReceived?.value;
      if (now === undefined) return [];
      for (let back = 1; back < months; back++) {
        const then = unitIn(monthAt(context, back), unit.unitId)?.parameters.carbonAsReceived?.value;
        if (then === undefined || !sameValue(now, then)) return [];
      }
      return [{ unitId: unit.unitId, field: 'carbonAsReceived', row: unit.parameters.carbonAsReceived?.row, expected: months, found: `${now}%` }];
    });
  },
};
