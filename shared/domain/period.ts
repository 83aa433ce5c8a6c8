/**
 * A reporting period is a calendar month written `YYYY-MM`: the same string in object keys,
 * files, the ledger and the API. Years run from 1900 to 9999: JavaScript dates read years 0–99
 * as 1900–1999 (a period 0050-03 would get a deadline in 1950), and no deposit predates the
 * carbon market by a century anyway; four digits is what every `YYYY-MM` parser expects.
 */
import { z } from 'zod';

export const PERIOD_PATTERN = /^(19\d{2}|[2-9]\d{3})-(0[1-9]|1[0-2])$/;

export const PeriodSchema = z.string().regex(PERIOD_PATTERN, 'a period is a month written YYYY-MM (years 1900–9999), e.g. 2026-01');

export type Period = z.infer<typeof PeriodSchema>;

export function parsePeriod(period: Period): { year: number; month: number } {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw new RangeError(`not a period: ${period}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function formatPeriod(year: number, month: number): Period {
  const normalised = new Date(Date.UTC(year, month - 1, 1));
  return `${normalised.getUTCFullYear()}-${String(normalised.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function addMonths(period: Period, months: number): Period {
  const { year, month } = parsePeriod(period);
  return formatPeriod(year, month + months);
}

export function hoursInMonth(period: Period): number {
  const { year, month } = parsePeriod(period);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return days * 24;
}

/** Periods from `first` to `last` inclusive, oldest first. */
export function periodRange(first: Period, last: Period): Period[] {
  // Counted in months, not by comparing strings: past 9999-12 the text grows a digit and sorts first.
  const index = (p: Period) => {
    const { year, month } = parsePeriod(p);
    return year * 12 + month - 1;
  };
  const periods: Period[] = [];
  for (let i = index(first); i <= index(last); i++) periods.push(formatPeriod(Math.floor(i / 12), (i % 12) + 1));
  return periods;
}
