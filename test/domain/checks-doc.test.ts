import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, renderChecksMarkdown } from '#cli/commands/checks.ts';
import { CHECKS } from '#domain/checks.ts';

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
    });
    expect(JSON.parse(JSON.stringify(entries))).toEqual(entries);
  });
});
