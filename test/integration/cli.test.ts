/**
 * The `evidence` command as an enterprise uses it: a child process running bin/evidence.js,
 * pointed at the suite's twin through a twin state file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISE, DEMO_ENTERPRISE_ID, DEMO_PERIOD } from '#examples/enterprise.ts';
import { useTwin } from '../support/twin.ts';

const run = promisify(execFile);
const twin = useTwin();
const stateFile = join(mkdtempSync(join(tmpdir(), 'evidence-cli-')), 'twin.json');
const evidence = readdirSync('examples/evidence').map((f) => join('examples/evidence', f));

function evidenceCli(...args: string[]) {
  return run('node', ['bin/evidence.js', ...args], {
    env: { ...process.env, EVIDENCE_TWIN_STATE: stateFile, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    timeout: 60_000,
    // The corpus run deposits many attempts for the same example enterprise and month.
    maxBuffer: 64 * 1024 * 1024,
  });
}

beforeAll(async () => {
  // This test process stands in for the twin's: the CLI checks that the state file's pid is alive.
  writeFileSync(stateFile, JSON.stringify({ endpoints: twin.endpoints, resources: twin.resources, pid: process.pid, startedAt: new Date().toISOString() }));
  await twin.registry.putAll([{ ...DEMO_ENTERPRISE, province: '江西' }]);
});

describe('evidence deposit and status', () => {
  it('uploads the evidence then the report, prints where each went, and shows the validated result', async () => {
    const { stdout } = await evidenceCli(
      'deposit',
      '--enterprise',
      DEMO_ENTERPRISE_ID,
      '--period',
      DEMO_PERIOD,
      '--at',
      '2026-05-10T09:30:00+08:00',
      'examples/valid/report.csv',
      ...evidence,
    );

    const lines = stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('evidence → s3://'))).toHaveLength(evidence.length);
    expect(lines.find((l) => l.startsWith('report   → s3://'))).toMatch(new RegExp(`reports/${DEMO_ENTERPRISE_ID}/${DEMO_PERIOD}/[^/]+/report\\.csv$`));
    expect(stdout).toContain('received 2026-05-10 09:30:00 CST');
    expect(stdout).toContain('on time (due by end of 2026-05-10)');
    expect(stdout).toContain('verdict: ACCEPTED');
  });

  it('shows every attempt with its issues, and the same as JSON', async () => {
    await evidenceCli(
      'deposit',
      '--enterprise',
      DEMO_ENTERPRISE_ID,
      '--period',
      DEMO_PERIOD,
      '--at',
      '2026-05-11T00:30:00+08:00',
      'examples/invalid/supplied-above-generated.csv',
      ...evidence,
    );

    const { stdout } = await evidenceCli('status', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD);
    const { stdout: json } = await evidenceCli('status', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD, '--json');

    expect(stdout).toContain('LATE by 30m 0s (due by end of 2026-05-10)');
    expect(stdout).toContain('EVD-CROSS-SUPPLIED-GT-GENERATED [error]');
    const parsed = JSON.parse(json) as { periods: { attempts: { attempt: number; verdict: string }[] }[] };
    const verdicts = parsed.periods[0]?.attempts.map((a) => [a.attempt, a.verdict]);
    expect(verdicts?.slice(-2)).toEqual([
      [verdicts!.length - 1, 'accepted'],
      [verdicts!.length, 'returned'],
    ]);
  });

  it('refuses a malformed period before uploading anything', async () => {
    await expect(evidenceCli('deposit', '--enterprise', DEMO_ENTERPRISE_ID, '--period', '2026-13', 'examples/valid/report.csv')).rejects.toMatchObject({
      stderr: expect.stringContaining('--period 2026-13: a period is a month written YYYY-MM'),
    });
  });
});
