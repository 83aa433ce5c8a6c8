import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { creditCodeArg, depositIdArg, isoTimeArg, periodArg, timeoutArg } from '#cli/arguments.ts';
import { EXIT, exitCodeOf } from '#cli/exit-codes.ts';
import { colourWanted, paint } from '#cli/terminal.ts';
import { DEMO_ENTERPRISE_ID } from '#examples/enterprise.ts';

const reason = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('expected the argument to be refused');
};

describe('argument parsers refuse what intake would, in Chinese and English', () => {
  it('takes a credit code with its check character, upper-casing it', () => {
    expect(creditCodeArg(DEMO_ENTERPRISE_ID)).toBe(DEMO_ENTERPRISE_ID);
    expect(creditCodeArg(DEMO_ENTERPRISE_ID.toLowerCase())).toBe(DEMO_ENTERPRISE_ID);
  });

  it('refuses a short code, a character codes do not use, and a wrong check character, saying which', () => {
    expect(reason(() => creditCodeArg('12345'))).toMatch(/18 位.*18 characters, this has 5/);
    expect(reason(() => creditCodeArg('91360100MA35XXXXXI'))).toContain('characters credit codes do not use');
    expect(reason(() => creditCodeArg('91360100MA35XXXXXX'))).toContain('the check character should be N, not X');
  });

  it('takes YYYY-MM only', () => {
    expect(periodArg('2026-03')).toBe('2026-03');
    for (const bad of ['2026-3', '2026-13', '202603', 'March']) expect(reason(() => periodArg(bad))).toContain('YYYY-MM');
  });

  it('takes a deposit id as the key layout allows, and names a separator', () => {
    expect(depositIdArg('20260312T101500Z-1a2b3c')).toBe('20260312T101500Z-1a2b3c');
    expect(reason(() => depositIdArg('bad/id'))).toContain('cannot hold / or \\');
    expect(reason(() => depositIdArg('..'))).toContain('not a deposit id');
    expect(reason(() => depositIdArg('x'.repeat(65)))).toContain('not a deposit id');
  });

  it('takes a timeout of 1 to 3600 seconds', () => {
    expect(timeoutArg('30')).toBe(30);
    expect(timeoutArg('0.5')).toBe(0.5);
    for (const bad of ['abc', '0', '-5', '3601', '1e3', '']) expect(reason(() => timeoutArg(bad))).toContain('positive number of seconds up to 3600');
  });

  it('takes an ISO time only with its offset', () => {
    expect(isoTimeArg('2026-03-12T23:59:00+08:00').toISOString()).toBe('2026-03-12T15:59:00.000Z');
    for (const bad of ['yesterday', '2026-03-12', '2026-03-12T23:59:00', '2026-02-31T10:00:00Z']) expect(reason(() => isoTimeArg(bad))).toContain('ISO time');
  });
});

describe('exit codes and colour', () => {
  it('gives each verdict its own exit code', () => {
    expect([exitCodeOf('accepted'), exitCodeOf('returned'), exitCodeOf('needs-review')]).toEqual([EXIT.ok, EXIT.returned, EXIT.needsReview]);
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });

  it('colours only a terminal, never with NO_COLOR or TERM=dumb, always with FORCE_COLOR', () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true);
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourWanted({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(paint('ACCEPTED', 'green', false)).toBe('ACCEPTED');
    expect(paint('ACCEPTED', 'green', true)).toBe('\u001b[32mACCEPTED\u001b[39m');
  });
});
