import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EvidenceFile } from '#domain/checks.ts';
import { EVIDENCE_HEAD_BYTES } from '#domain/file-types.ts';
import { validateDeposit } from '#domain/validate.ts';
import { DEMO_ENTERPRISE, DEMO_PERIOD } from '#examples/enterprise.ts';

const examples = new URL('../../examples/', import.meta.url);
const evidence: EvidenceFile[] = readdirSync(new URL('evidence/', examples)).map((fileName) => {
  const bytes = readFileSync(new URL(`evidence/${fileName}`, examples));
  return {
    fileName,
    key: `evidence/${fileName}`,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    head: bytes.subarray(0, EVIDENCE_HEAD_BYTES),
  };
});

async function validateExample(relative: string) {
  const bytes = readFileSync(new URL(relative, examples));
  const { validation } = await validateDeposit({
    key: {
      kind: 'report',
      enterpriseId: DEMO_ENTERPRISE.enterpriseId,
      period: DEMO_PERIOD,
      depositId: 'example',
      fileName: relative.split('/').pop() ?? relative,
    },
    reportSize: bytes.length,
    reportBytes: bytes,
    enterprise: DEMO_ENTERPRISE,
    evidence,
    receivedAt: new Date('2026-04-10T02:00:00Z'),
  });
  return validation;
}

describe('the example files for users', () => {
  it.each(readdirSync(new URL('valid/', examples)))('valid/%s is accepted with the example evidence', async (name) => {
    const validation = await validateExample(`valid/${name}`);
    expect(validation.issues).toEqual([]);
    expect(validation.verdict).toBe('accepted');
  });

  it.each([
    ['invalid/supplied-above-generated.csv', 'returned', ['EVD-CROSS-SUPPLIED-GT-GENERATED']],
    ['invalid/default-carbon-with-lab-report.json', 'needs-review', ['EVD-CPH-DEFAULT-WITH-LAB']],
    ['invalid/unit-and-lab-report-missing.xlsx', 'returned', ['EVD-LAB-REPORT-MISSING', 'EVD-UNIT-MISSING']],
    ['invalid/hours-above-month.csv', 'returned', ['EVD-CROSS-HOURS-GT-MONTH', 'EVD-CROSS-LOAD-FACTOR', 'EVD-RANGE-HOURS']],
  ])('%s is %s with the problems it shows', async (relative, verdict, codes) => {
    const validation = await validateExample(relative);
    expect([...new Set(validation.issues.map((i) => i.code))].sort()).toEqual(codes);
    expect(validation.verdict).toBe(verdict);
  });
});
