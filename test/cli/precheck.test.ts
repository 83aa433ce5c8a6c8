import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatRefusalOf, inspectEvidence, inspectReport, type LocalFile, precheckDeposit, type RegistryLookup } from '#cli/precheck.ts';
import { UsageError } from '#cli/exit-codes.ts';
import { DEMO_ENTERPRISE, DEMO_ENTERPRISE_ID, DEMO_PERIOD } from '#examples/enterprise.ts';

let evidence: LocalFile[];
const receivedAt = new Date('2026-04-10T02:00:00Z');

beforeAll(async () => {
  evidence = await Promise.all(readdirSync('examples/evidence').map((f) => inspectEvidence(join('examples/evidence', f))));
});

async function precheck(reportPath: string, registry: RegistryLookup) {
  const report = await inspectReport(reportPath);
  return precheckDeposit({ enterpriseId: DEMO_ENTERPRISE_ID, period: DEMO_PERIOD, depositId: 'local-check', report, evidence, registry, receivedAt });
}

describe('the pre-check runs the pipeline checks that need no history', () => {
  it('accepts a valid report with its registry entry', async () => {
    const { validation, registryChecked } = await precheck('examples/valid/report.csv', { readable: true, enterprise: DEMO_ENTERPRISE });

    expect(registryChecked).toBe(true);
    expect(validation.verdict).toBe('accepted');
  });

  it("finds a report's own errors", async () => {
    const { validation } = await precheck('examples/invalid/supplied-above-generated.csv', { readable: true, enterprise: DEMO_ENTERPRISE });

    expect(validation.verdict).toBe('returned');
    expect(validation.issues.map((i) => i.code)).toContain('EVD-CROSS-SUPPLIED-GT-GENERATED');
  });

  it('returns an enterprise the readable registry does not hold', async () => {
    const { validation } = await precheck('examples/valid/report.csv', { readable: true });

    expect(validation.issues.map((i) => i.code)).toEqual(['EVD-ENTERPRISE-UNKNOWN']);
  });

  it('skips what needs the registry when it cannot be read, and still checks the report against its key', async () => {
    const unreadable: RegistryLookup = { readable: false, reason: 'AccessDeniedException' };

    const valid = await precheck('examples/valid/report.csv', unreadable);
    const wrongMonth = await precheckDeposit({
      enterpriseId: DEMO_ENTERPRISE_ID,
      period: '2026-02',
      depositId: 'local-check',
      report: await inspectReport('examples/valid/report.csv'),
      evidence,
      registry: unreadable,
      receivedAt,
    });

    expect(valid).toMatchObject({ registryChecked: false, validation: { verdict: 'accepted', issues: [] } });
    expect(wrongMonth.validation.issues.map((i) => i.code)).toEqual(['EVD-PERIOD-MISMATCH']);
  });
});

describe('files named on the command line', () => {
  it('refuses a missing file or a folder as a usage error', async () => {
    await expect(inspectReport('no-such.csv')).rejects.toThrow(new UsageError('no-such.csv: 文件不存在 / no such file'));
    await expect(inspectReport('examples')).rejects.toThrow(new UsageError('examples: 不是文件 / not a file'));
  });

  it('refuses an Excel 97-2003 workbook by its content, whatever its name', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'precheck-')), 'report.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));

    const refusal = formatRefusalOf(await inspectReport(path));

    expect(refusal?.code).toBe('EVD-FILE-FORMAT-UNSUPPORTED');
    expect(refusal?.message.en).toContain('an Excel 97–2003 workbook');
    expect(refusal?.message.zh).toContain('另存为');
  });
});
