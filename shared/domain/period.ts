/**
 * A reporting period is a calendar month written `YYYY-MM`: the same string in object keys,
 * files, the ledger and the API.
 */
import { z } from 'zod';

export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const PeriodSchema = z
  .string()
  .regex(PERIOD_PATTERN, 'a period is a month written YYYY-MM, e.g. 2026-01');

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
  const periods: Period[] = [];
  for (let p = first; p <= last; p = addMonths(p, 1)) periods.push(p);
  return periods;
}
