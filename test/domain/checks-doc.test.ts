import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, renderChecksMarkdown } from '#cli/commands/checks.ts';
import { UsageError } from '#cli/exit-codes.ts';
import { CHECKS } from '#domain/checks.ts';
import { INDUSTRIES } from '#domain/industries/index.ts';

describe('docs/checks.md', () => {
  it('is what scripts/checks-doc.ts generates from the catalogue today (run it if this fails)', () => {
    const committed = readFileSync(new URL('../../docs/checks.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderChecksMarkdown());
  });

  it('lists every check once', () => {
    const doc = renderChecksMarkdown();
    for (const { code } of CHECKS) expect(doc.split(`\`${code}\``).length - 1).toBe(1);
  });
});

describe('evidence checks --json', () => {
  it('gives each entry its code, severity, category, rationale, both messages and what raises it', () => {
    const entries = catalogue();
    expect(entries).toHaveLength(CHECKS.length);
    expect(entries.find((e) => e.code === 'EVD-CPH-DEFAULT-WITH-LAB')).toEqual({
      code: 'EVD-CPH-DEFAULT-WITH-LAB',
      severity: 'warning',
      category: 'plausibility',
      rationale: expect.stringContaining('0.03085'),
      message: { zh: expect.stringContaining('缺省值'), en: expect.stringContaining('default') },
      raisedBy: 'rule',
      industries: ['power'],
    });
    expect(JSON.parse(JSON.stringify(entries))).toEqual(entries);
  });
});

describe('evidence checks --industry', () => {
  it('lists the checks for every industry and those naming it, and no other industry’s own', () => {
    // Act
    const cement = catalogue('cement').map((e) => e.code);
    // Assess
    expect(cement).toContain('EVD-UNIT-MISSING');
    expect(cement).toContain('EVD-PARAM-RANGE');
    expect(cement).toContain('EVD-CEM-PROCESS-INTENSITY');
    expect(cement).not.toContain('EVD-RANGE-NCV');
    expect(cement).not.toContain('EVD-ALU-ANODE-CO2');
    expect(catalogue('power').map((e) => e.code)).toContain('EVD-CPH-DEFAULT-WITH-LAB');
    expect(catalogue('power').map((e) => e.code)).not.toContain('EVD-CEM-PROCESS-INTENSITY');
  });

  it('refuses an industry no catalogue has, in both languages', () => {
    // Act / Assess
    expect(() => catalogue('chemicals')).toThrow(UsageError);
    expect(() => catalogue('chemicals')).toThrow(/未知行业.*unknown industry "chemicals"/);
  });

  it('gives every catalogue cross-check an entry of its own code in its industry', () => {
    // Prepare
    const crossChecks = INDUSTRIES.flatMap((i) => i.crossChecks.map((c) => ({ industry: i.code, code: c.code })));
    // Assess
    for (const { industry, code } of crossChecks) expect(catalogue(industry).find((e) => e.code === code)?.industries).toEqual([industry]);
  });

  it('documents each industry: its level, its parameters, its cross-checks, and its estimates as estimates', () => {
    // Act
    const doc = renderChecksMarkdown();
    // Assess
    for (const industry of INDUSTRIES) {
      expect(doc).toContain(`## Industry: ${industry.zh} ${industry.en} (\`${industry.code}\`)`);
      expect(doc).toContain(`${industry.level.zh} / ${industry.level.en}`);
      for (const item of industry.unverified) expect(doc).toContain(`- ${item}`);
    }
    expect(doc).toContain('| `clinkerOutput` | 熟料产量 |');
    expect(doc).toContain("60000–320000 t [est] **estimate**, awaiting the guideline's tables");
  });
});
