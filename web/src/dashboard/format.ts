/**
 * How the dashboard writes its figures: rates as percentages ("—" for an empty denominator, as the
 * API's null means), days overdue, times in Asia/Shanghai (the deadlines' zone, whatever the
 * browser's), and each problem code's title from the check catalogue.
 */
import { CATALOGUE } from '#domain/catalogue.ts';
import { PARAMETERS } from '#domain/parameters.ts';
import type { Lang } from '../messages.ts';

export const percent = (rate: number | null | undefined): string => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** Whole days overdue, as a chase list counts them: 1 h late is day 0, 24 h is day 1. */
export const daysOverdue = (lateBySeconds: number): number => Math.floor(lateBySeconds / 86_400);

export function shanghaiTime(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** Trend in percentage points between the last two known rates; undefined with fewer than two. */
export function trendPoints(rates: readonly (number | null)[]): number | undefined {
  const known = rates.filter((r): r is number => r !== null);
  if (known.length < 2) return undefined;
  return Math.round(((known.at(-1) as number) - (known.at(-2) as number)) * 1000) / 10;
}

const BY_CODE = new Map(CATALOGUE.map((entry) => [entry.code, entry]));

/**
 * A code's title: the catalogue's message with its placeholders read generically ("…"), the
 * parameter named where the check is about one (range and typical-band checks), so a department
 * reads "机组 … 的低位发热量为 …，超出合理范围 …" rather than EVD-RANGE-NCV. A code the catalogue
 * does not know (a newer server) shows itself.
 */
export function problemTitle(code: string, lang: Lang): string {
  const entry = BY_CODE.get(code);
  if (!entry) return code;
  const parameter = Object.values(PARAMETERS).find((p) => entry.rationale.startsWith(`${p.en} `));
  return entry.message[lang]
    .replace(/\{field\}/g, parameter ? parameter[lang] : '…')
    .replace(/\{(unitId|expected|found|row)\}/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
}
