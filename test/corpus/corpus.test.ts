import { describe, expect, it } from 'vitest';
import { CHECKS } from '#domain/checks.ts';
import { corpusCases, PIPELINE_ONLY_CODES } from './cases.ts';
import { codesOf, runCase } from './run-case.ts';

const cases = await corpusCases();

describe('the deposit corpus', () => {
  it('holds at least 40 cases, valid ones among them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.expected.verdict === 'accepted').length).toBeGreaterThanOrEqual(5);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('exercises every check in the catalogue that a report can trigger', () => {
    const expected = new Set(cases.flatMap((c) => c.expected.codes));
    const untested = CHECKS.map((c) => c.code).filter((code) => !expected.has(code) && !(PIPELINE_ONLY_CODES as readonly string[]).includes(code));
    expect(untested).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // Act
    const run = await runCase(c);
    // Assess
    expect(run.beforeVerdicts.every((v) => v === 'accepted')).toBe(true);
    expect(codesOf(run)).toEqual([...c.expected.codes].sort());
    expect(run.result.validation.verdict).toBe(c.expected.verdict);
  });
});
