/**
 * Numbers as people type them into spreadsheets: full-width digits (１２３), thousand separators
 * (1,234.5), a trailing percent sign, surrounding blanks. Anything else is not a number.
 */

export type NumberReading = { kind: 'number'; value: number } | { kind: 'empty' } | { kind: 'invalid'; raw: string };

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

export function readNumber(raw: string | number | null | undefined, allowPercentSign: boolean): NumberReading {
  if (raw === null || raw === undefined) return { kind: 'empty' };
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? { kind: 'number', value: raw === 0 ? 0 : raw } : { kind: 'invalid', raw: String(raw) };
  }
  let text = raw
    .normalize('NFKC')
    .trim()
    .replace(/[\u00a0\u3000\s]/g, '');
  if (text === '') return { kind: 'empty' };
  if (allowPercentSign && text.endsWith('%')) text = text.slice(0, -1);
  if (GROUPED_NUMBER.test(text)) text = text.replace(/,/g, '');
  if (!PLAIN_NUMBER.test(text)) return { kind: 'invalid', raw };
  const value = Number(text);
  if (!Number.isFinite(value)) return { kind: 'invalid', raw };
  // -0 and 0 are the same quantity; keep one of them.
  return { kind: 'number', value: value === 0 ? 0 : value };
}
