import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNumber } from '#domain/numbers.ts';

describe('readNumber reads numbers as people type them', () => {
  it.each([
    ['1,234.5', false, 1234.5],
    ['１２３．５', false, 123.5],
    [' 42 ', false, 42],
    ['\u3000７８\u3000', false, 78],
    ['78%', true, 78],
    ['７８％', true, 78],
    ['-0', false, 0],
    ['1e3', false, 1000],
    ['0', false, 0],
  ] as const)('reads %j as %d', (raw, percent, expected) => {
    expect(readNumber(raw, percent)).toEqual({ kind: 'number', value: expected });
  });

  it.each(['', '   ', '\u3000'])('reads the blank %j as empty, not zero', (raw) => {
    expect(readNumber(raw, false)).toEqual({ kind: 'empty' });
  });

  it.each([
    ['78%', false],
    ['1,23', false],
    ['12,34,567', false],
    ['1.2.3', false],
    ['七十八', false],
    ['1e400', false],
    ['0x10', false],
  ] as const)('refuses %j', (raw, percent) => {
    expect(readNumber(raw, percent).kind).toBe('invalid');
  });

  it('reads back any finite number written plainly, with thousand separators, or in full-width digits', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const expected = x === 0 ? 0 : x;
        expect(readNumber(String(x), false)).toEqual({ kind: 'number', value: expected });
        const fullWidth = String(x).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
        expect(readNumber(fullWidth, false)).toEqual({ kind: 'number', value: expected });
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const value = Number(`${whole}.${String(cents).padStart(2, '0')}`);
        const grouped = `${whole.toLocaleString('en-US')}.${String(cents).padStart(2, '0')}`;
        expect(readNumber(grouped, false)).toEqual({ kind: 'number', value: value === 0 ? 0 : value });
      }),
      { numRuns: 500 },
    );
  });
});
