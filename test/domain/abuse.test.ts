/**
 * Hostile input that is not a report at all: keys built to escape their prefix or to pass for
 * another enterprise, numbers at the edges of floating point, cells built to run as formulas in
 * the CSVs the system exports.
 */
import { describe, expect, it } from 'vitest';
import { parseDepositKey } from '#domain/deposit-key.ts';
import { readNumber } from '#domain/numbers.ts';
import { creditCodeCheckChar } from '#domain/registry.ts';
import { neutraliseCell, toCsv } from '#domain/summary-export.ts';

const id = `91360100MA35ABCDE${creditCodeCheckChar('91360100MA35ABCDE')}`;

describe('object keys that try to escape the layout', () => {
  it.each([
    ['a dot-dot deposit id', `reports/${id}/2026-01/../report.csv`],
    ['a URL-encoded dot-dot', `reports/${id}/2026-01/%2e%2e/report.csv`],
    ['an encoded slash in the file name', `reports/${id}/2026-01/d1/..%2Freport.csv`],
    ['full-width digits posing as a credit code', `reports/${id.replace(/^9/, '９')}/2026-01/d1/report.csv`],
    ['a Cyrillic letter posing as a Latin one', `reports/${id.replace('A', 'А')}/2026-01/d1/report.csv`],
    ['a hidden file', `reports/${id}/2026-01/d1/.report.csv`],
    ['a control character', `reports/${id}/2026-01/d1/report\u0000.csv`],
    ['a 300-character file name', `reports/${id}/2026-01/d1/${'a'.repeat(296)}.csv`],
    ['a key over 1,024 characters', `reports/${id}/2026-01/d1/${'a'.repeat(1100)}`],
  ])('refuses %s', (_name, key) => {
    expect(parseDepositKey(key).ok).toBe(false);
  });

  it("reads another enterprise's prefix as that enterprise: the report inside must then match it", () => {
    const other = `91360100MA35ABCDF${creditCodeCheckChar('91360100MA35ABCDF')}`;
    const reading = parseDepositKey(`reports/${other}/2026-01/d1/report.csv`);
    // The key is well formed; EVD-ENTERPRISE-MISMATCH catches a report for `id` under it,
    // and in the cloud the enterprise's IAM policy refuses the upload before it is stored.
    expect(reading).toMatchObject({ ok: true, key: { enterpriseId: other } });
  });
});

describe('numbers at the edges', () => {
  it.each([
    ['1e308', { kind: 'number', value: 1e308 }],
    ['1e309', { kind: 'invalid', raw: '1e309' }],
    ['NaN', { kind: 'invalid', raw: 'NaN' }],
    ['Infinity', { kind: 'invalid', raw: 'Infinity' }],
    ['-0', { kind: 'number', value: 0 }],
    ['0x10', { kind: 'invalid', raw: '0x10' }],
  ])('reads %s as %o', (raw, expected) => {
    const reading = readNumber(raw, false);
    expect(reading).toEqual(expected);
    if (reading.kind === 'number') expect(Object.is(reading.value, -0)).toBe(false);
  });
});

describe('CSV exports', () => {
  it.each(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralise a cell starting %j', (cell) => {
    expect(neutraliseCell(cell).startsWith("'")).toBe(true);
    expect(toCsv(['name'], [[cell]])).toContain(`'${cell.charAt(0)}`);
  });
});
