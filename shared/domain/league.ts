/**
 * The city league table a department reads every morning: its cities side by side for one
 * period, ranked by on-time rate, then first-pass rate, with each city's trend. Pure: the nightly
 * summaries go in (as stored, with when they were computed), the table comes out.
 *
 * Ranking is standard competition ranking (1, 2, 2, 4): two cities with the same two rates share
 * a place, so a tie is never decided by the order the store happened to answer in. A city whose
 * on-time rate is not known (no summary yet, or nothing due) has no rank and stands last; its
 * figures still show, so a department sees which city has no figures rather than losing it.
 */
import { DIVISIONS, GROUPING_DIVISIONS } from './divisions.ts';
import type { Jurisdiction } from './identity.ts';
import { addMonths, type Period, periodRange } from './period.ts';
import { divisionLabel, inProvince } from './provinces.ts';

/** The look-back a league shows unless asked (months, the period included) and the most it shows. */
export const DEFAULT_TREND_MONTHS = 6;
export const MAX_TREND_MONTHS = 24;

/** What the league needs of one stored summary (a `city:<code>` scope's, for one period). */
export interface CityPeriodFigures {
  readonly period: Period;
  readonly onTimeRate: number | null;
  readonly firstPassRate: number | null;
  readonly obliged: number;
  readonly computedAt: string;
}

export interface TrendPoint {
  readonly period: Period;
  readonly onTimeRate: number | null;
  readonly firstPassRate: number | null;
}

export interface LeagueRow {
  /** 1 is best; null for a city whose on-time rate is not known. */
  readonly rank: number | null;
  readonly city: string;
  readonly cityName: string;
  readonly onTimeRate: number | null;
  readonly firstPassRate: number | null;
  /** Enterprises obliged in the period; null without a summary. */
  readonly obliged: number | null;
  /** When the nightly job computed this city's figures for the period; null without a summary. */
  readonly computedAt: string | null;
  /** The `months` periods ending with the league's period, oldest first; null rates where no summary was stored. */
  readonly trend: readonly TrendPoint[];
}

export interface League {
  readonly period: Period;
  readonly months: number;
  readonly rows: readonly LeagueRow[];
  /** The latest computedAt among the rows: when the figures on screen were computed; null when none. */
  readonly computedAt: string | null;
}

/** The prefecture-level cities (and county-level cities standing as such) of a province, code order. */
export function citiesOf(province: string): string[] {
  return Object.keys(DIVISIONS)
    .filter((code) => /^\d{6}$/.test(code) && !code.endsWith('0000') && !GROUPING_DIVISIONS.includes(code) && inProvince(code, province))
    .sort();
}

/** The cities a jurisdiction's league lists: a province's cities, or a city alone. */
export function leagueCities(jurisdiction: Jurisdiction): string[] {
  return jurisdiction.kind === 'province' ? citiesOf(jurisdiction.code) : [jurisdiction.code];
}

/** The periods a league with this look-back reads: `months` of them ending with `period`. */
export function trendPeriods(period: Period, months: number): Period[] {
  return periodRange(addMonths(period, -(months - 1)), period);
}

/** Higher first; an unknown rate after every known one. */
function byRate(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

const sameRates = (a: LeagueRow, b: LeagueRow) => a.onTimeRate === b.onTimeRate && a.firstPassRate === b.firstPassRate;

/**
 * The league for `period`: one row per city in `cities`, from each city's stored summaries of the
 * trend periods (any order; a period without one shows null rates).
 */
export function leagueOf(period: Period, months: number, cities: readonly string[], figures: ReadonlyMap<string, readonly CityPeriodFigures[]>): League {
  const periods = trendPeriods(period, months);
  const unranked: LeagueRow[] = cities.map((city) => {
    const byPeriod = new Map((figures.get(city) ?? []).map((f) => [f.period, f]));
    const current = byPeriod.get(period);
    return {
      rank: null,
      city,
      cityName: divisionLabel(city),
      onTimeRate: current?.onTimeRate ?? null,
      firstPassRate: current?.firstPassRate ?? null,
      obliged: current?.obliged ?? null,
      computedAt: current?.computedAt ?? null,
      trend: periods.map((p) => ({ period: p, onTimeRate: byPeriod.get(p)?.onTimeRate ?? null, firstPassRate: byPeriod.get(p)?.firstPassRate ?? null })),
    };
  });
  const sorted = unranked.sort((a, b) => byRate(a.onTimeRate, b.onTimeRate) || byRate(a.firstPassRate, b.firstPassRate) || a.city.localeCompare(b.city));
  const rows: LeagueRow[] = [];
  sorted.forEach((row, i) => {
    const previous = rows[i - 1];
    const rank = row.onTimeRate === null ? null : previous && previous.rank !== null && sameRates(previous, row) ? previous.rank : i + 1;
    rows.push({ ...row, rank });
  });
  const computed = rows.map((r) => r.computedAt).filter((c): c is string => c !== null);
  return { period, months, rows, computedAt: computed.sort().at(-1) ?? null };
}
