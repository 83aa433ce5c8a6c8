/** `evidence template --registry`: the month's template of a steel works written offline by the real CLI, read back by the pipeline's readers. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readReport } from '#domain/validate.ts';
import { EnterpriseSchema } from '#domain/registry.ts';
import { STEEL_ENTERPRISE } from '#examples/industries.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('evidence template --registry', () => {
  it("writes a steel works' month: every process and material row of its catalogue, which the readers take back as that enterprise's keys", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'template-'));
    const registry = join(dir, 'registry.json');
    writeFileSync(registry, JSON.stringify([STEEL_ENTERPRISE]));
    const out = join(dir, 'steel.xlsx');
    // Act
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/evidence.js', 'template', '--enterprise', STEEL_ENTERPRISE.enterpriseId, '--period', '2025-09', '--registry', registry, '--out', out, '--json'],
      { cwd: ROOT },
    );
    // Assess
    const printed = JSON.parse(stdout) as { out: string; rows: number };
    expect(printed.out).toBe(out);
    const enterprise = EnterpriseSchema.parse(STEEL_ENTERPRISE);
    const reading = await readReport('steel.xlsx', readFileSync(out), undefined, enterprise);
    // Nothing is filled in yet: every row is read as a known key of its process, and only values are missing.
    expect(reading.issues.filter((i) => i.code !== 'EVD-PARAM-EMPTY')).toEqual([]);
    expect(reading.issues.length).toBeGreaterThan(0);
    const keys = new Set(reading.report?.units.flatMap((u) => u.unreadable.map((k) => `${u.unitId}/${k}`)));
    expect([...keys].some((k) => /\/netConsumed\[coke\]$/.test(k))).toBe(true);
    expect(printed.rows).toBeGreaterThanOrEqual(keys.size);
  });

  it('refuses a month outside the obligation, in Chinese and English', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'template-'));
    const registry = join(dir, 'registry.json');
    writeFileSync(registry, JSON.stringify(STEEL_ENTERPRISE));
    const run = await promisify(execFile)(
      process.execPath,
      ['bin/evidence.js', 'template', '--enterprise', STEEL_ENTERPRISE.enterpriseId, '--period', '2024-01', '--registry', registry],
      {
        cwd: ROOT,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect('code' in run ? run.code : 0).not.toBe(0);
    expect('stderr' in run ? run.stderr : '').toMatch(/不在本企业的报告义务期内.*outside the enterprise's obligation/);
  });
});
