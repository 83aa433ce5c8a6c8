/**
 * The `evidence` command as an enterprise uses it: a child process running bin/evidence.js,
 * pointed at the suite's twin through a twin state file. Exit codes are the verdicts
 * (cli/exit-codes.ts); every bad argument is refused before anything is uploaded.
 */
import { execFile } from 'node:child_process';
import { readFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '#cli/exit-codes.ts';
import { DEMO_ENTERPRISE, DEMO_ENTERPRISE_ID, DEMO_PERIOD } from '#examples/enterprise.ts';
import { useTwin } from '../support/twin.ts';

const twin = useTwin();
const scratch = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
const stateFile = join(scratch, 'twin.json');
const evidence = readdirSync('examples/evidence').map((f) => join('examples/evidence', f));
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI's exit code and output, whether it succeeded or not. No variable silences the SDK: bin/evidence.js must. */
function evidenceCli(...args: string[]): Promise<Run> {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/evidence.js', ...args],
      // The corpus run deposits many attempts for the same example enterprise and month.
      { env: { ...env, EVIDENCE_TWIN_STATE: stateFile }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

const deposit = (...args: string[]) => evidenceCli('deposit', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD, ...args);

/** The keys under one deposit id, reports and evidence: none means nothing was uploaded. */
async function keysOfDeposit(depositId: string): Promise<string[]> {
  const keys: string[] = [];
  for (const root of ['reports', 'evidence']) {
    const { Contents = [] } = await twin.clients.s3.send(
      new ListObjectsV2Command({ Bucket: twin.resources.bucket, Prefix: `${root}/${DEMO_ENTERPRISE_ID}/${DEMO_PERIOD}/${depositId}/` }),
    );
    keys.push(...Contents.map((c) => c.Key ?? ''));
  }
  return keys;
}

const uniqueId = (label: string) => `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

beforeAll(async () => {
  // This test process stands in for the twin's: the CLI checks that the state file's pid is alive.
  writeFileSync(stateFile, JSON.stringify({ endpoints: twin.endpoints, resources: twin.resources, pid: process.pid, startedAt: new Date().toISOString() }));
  await twin.registry.putAll([{ ...DEMO_ENTERPRISE, province: '江西' }]);
});

describe('evidence deposit and status', () => {
  it('uploads the evidence then the report, prints where each went, shows the validated result and exits 0', async () => {
    const { code, stdout, stderr } = await deposit('--at', '2026-05-10T09:30:00+08:00', 'examples/valid/report.csv', ...evidence);

    const lines = stdout.split('\n');
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('预检 / pre-check: 0 error(s), 0 warning(s)');
    expect(stdout).toContain('registry entry checked');
    expect(lines.filter((l) => l.startsWith('evidence → s3://'))).toHaveLength(evidence.length);
    expect(lines.find((l) => l.startsWith('report   → s3://'))).toMatch(new RegExp(`reports/${DEMO_ENTERPRISE_ID}/${DEMO_PERIOD}/[^/]+/report\\.csv$`));
    expect(stdout).toContain('received 2026-05-10 09:30:00 CST');
    expect(stdout).toContain('on time (due by end of 2026-05-10)');
    // Not a terminal: no colour, no progress bars, and no SDK warning.
    expect(stdout).toContain('verdict: ACCEPTED');
    expect(stdout).not.toContain('\u001b[');
    expect(stderr).toBe('');
  });

  it('shows every attempt with its issues, and the same as JSON', async () => {
    // Changed with the pre-check: a report with errors is uploaded only with --force.
    const forced = await deposit('--force', '--at', '2026-05-11T00:30:00+08:00', 'examples/invalid/supplied-above-generated.csv', ...evidence);

    const { stdout } = await evidenceCli('status', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD);
    const { stdout: json } = await evidenceCli('status', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD, '--json');

    expect(forced.code).toBe(EXIT.returned);
    expect(forced.stdout).toContain('verdict: RETURNED');
    expect(stdout).toContain('LATE by 30m 0s (due by end of 2026-05-10)');
    expect(stdout).toContain('EVD-CROSS-SUPPLIED-GT-GENERATED [error]');
    const parsed = JSON.parse(json) as { periods: { attempts: { attempt: number; verdict: string }[] }[] };
    const verdicts = parsed.periods[0]?.attempts.map((a) => [a.attempt, a.verdict]) ?? [];
    expect(verdicts.slice(-2)).toEqual([
      [verdicts.length - 1, 'accepted'],
      [verdicts.length, 'returned'],
    ]);
  });

  it('exits 4 for a deposit that needs review, and prints the result as JSON with --json', async () => {
    const { code, stdout } = await deposit('--json', '--at', '2026-05-09T10:00:00+08:00', 'examples/invalid/default-carbon-with-lab-report.json', ...evidence);

    const result = JSON.parse(stdout) as {
      uploaded: boolean;
      verdict: string;
      evidenceKeys: string[];
      precheck: { verdict: string };
      attempt: { attemptId: string };
    };
    expect(code).toBe(EXIT.needsReview);
    expect(result).toMatchObject({ uploaded: true, verdict: 'needs-review', precheck: { verdict: 'needs-review' } });
    expect(result.evidenceKeys).toHaveLength(evidence.length);
    expect(result.attempt.attemptId).toEqual(expect.any(String));
  });
});

describe('evidence deposit refuses before uploading', () => {
  it('a report the pipeline would return: lists its errors, exits 6, uploads nothing', async () => {
    const depositId = uniqueId('refused');

    const { code, stdout, stderr } = await deposit('--deposit-id', depositId, 'examples/invalid/hours-above-month.csv', ...evidence);

    expect(code).toBe(EXIT.refused);
    expect(stdout).toContain('EVD-CROSS-HOURS-GT-MONTH');
    expect(stderr).toContain('未上传');
    expect(stderr).toContain('not uploaded: the pipeline would return this report');
    expect(stderr).toContain('--force');
    expect(await keysOfDeposit(depositId)).toEqual([]);
  });

  it.each([
    ['report.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)])],
    ['report.ods', Buffer.from('PK\u0003\u0004 not really a zip')],
    ['report.pdf', Buffer.from('%PDF-1.7\n% a report saved as PDF\n')],
  ])('a report in a format that is not read (%s), even with --force: says to save it as XLSX or CSV, exits 6', async (name, bytes) => {
    const depositId = uniqueId('format');
    const path = join(scratch, name);
    writeFileSync(path, bytes);

    const { code, stdout, stderr } = await deposit('--force', '--deposit-id', depositId, path, ...evidence);

    expect(code).toBe(EXIT.refused);
    expect(stdout).toContain('EVD-FILE-FORMAT-UNSUPPORTED');
    expect(stderr).toContain('请另存为 XLSX 或 CSV');
    expect(stderr).toContain('save it as XLSX or CSV');
    expect(await keysOfDeposit(depositId)).toEqual([]);
  });
});

describe('every argument is checked before anything is uploaded: one line, exit 2', () => {
  it.each([
    [
      '--enterprise 12345',
      ['deposit', '--enterprise', '12345', '--period', DEMO_PERIOD, 'examples/valid/report.csv'],
      'a unified social credit code has 18 characters',
    ],
    [
      'a credit code with a wrong check character',
      ['deposit', '--enterprise', '91360100MA35XXXXXX', '--period', DEMO_PERIOD, 'examples/valid/report.csv'],
      'the check character should be N, not X',
    ],
    [
      '--period 2026-13',
      ['deposit', '--enterprise', DEMO_ENTERPRISE_ID, '--period', '2026-13', 'examples/valid/report.csv'],
      'a period is a month written YYYY-MM',
    ],
    [
      '--deposit-id bad/id',
      ['deposit', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD, '--deposit-id', 'bad/id', 'examples/valid/report.csv'],
      'a deposit id cannot hold /',
    ],
    [
      '--timeout abc',
      ['deposit', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD, '--timeout', 'abc', 'examples/valid/report.csv'],
      'expected a positive number of seconds',
    ],
    [
      '--at yesterday',
      ['deposit', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD, '--at', 'yesterday', 'examples/valid/report.csv'],
      'expected an ISO time with its offset',
    ],
    [
      'a missing report',
      ['deposit', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD, 'no-such-report.csv'],
      'no-such-report.csv: 文件不存在 / no such file',
    ],
    [
      'a missing evidence file',
      ['deposit', '--enterprise', DEMO_ENTERPRISE_ID, '--period', DEMO_PERIOD, 'examples/valid/report.csv', 'no-such-scan.pdf'],
      'no-such-scan.pdf: 文件不存在 / no such file',
    ],
    [
      'two files of one name',
      [
        'deposit',
        '--enterprise',
        DEMO_ENTERPRISE_ID,
        '--period',
        DEMO_PERIOD,
        'examples/valid/report.csv',
        'examples/evidence/unit1-ledger.pdf',
        'examples/evidence/unit1-ledger.pdf',
      ],
      'two files are named unit1-ledger.pdf',
    ],
    ['a missing --period', ['deposit', '--enterprise', DEMO_ENTERPRISE_ID, 'examples/valid/report.csv'], "required option '--period <YYYY-MM>' not specified"],
    ['status --period 2026-3', ['status', '--enterprise', DEMO_ENTERPRISE_ID, '--period', '2026-3'], 'a period is a month written YYYY-MM'],
    ['status --enterprise 12345', ['status', '--enterprise', '12345'], 'a unified social credit code has 18 characters'],
    ['an unknown option', ['status', '--enterprise', DEMO_ENTERPRISE_ID, '--perod', '2026-03'], "unknown option '--perod'"],
    ['an unknown command', ['depsit'], "unknown command 'depsit'"],
  ])('%s', async (_, args, message) => {
    const before = await keysUnder(`reports/${DEMO_ENTERPRISE_ID}/`);

    const { code, stdout, stderr } = await evidenceCli(...args);

    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(await keysUnder(`reports/${DEMO_ENTERPRISE_ID}/`)).toBe(before);
  });

  it('--help lists the exit codes, --version prints the version, both exit 0', async () => {
    const help = await evidenceCli('--help');
    const shown = await evidenceCli('--version');

    expect(help.code).toBe(0);
    for (const line of [
      '0  success; deposit: accepted',
      '3  deposit: returned',
      '4  deposit: needs review',
      '5  deposit: no verdict within --timeout',
      '6  deposit: refused before upload',
      '2  usage error',
    ])
      expect(help.stdout).toContain(line);
    expect(shown).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

async function keysUnder(prefix: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await twin.clients.s3.send(new ListObjectsV2Command({ Bucket: twin.resources.bucket, Prefix: prefix, ContinuationToken: token }));
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return count;
}

describe('evidence deposit without a verdict in time', () => {
  // Last in the file: its attempt is recorded after the command has given up.
  it('exits 5 and says how to ask later', async () => {
    const { code, stdout } = await deposit('--timeout', '0.05', '--at', '2026-05-08T10:00:00+08:00', 'examples/valid/report.csv', ...evidence);

    expect(code).toBe(EXIT.timedOut);
    expect(stdout).toContain(`check later with: evidence status --enterprise ${DEMO_ENTERPRISE_ID} --period ${DEMO_PERIOD}`);
  });
});
