/**
 * The `evidence` command as people use it: a child process running bin/evidence.js, pointed at the
 * suite's twin through a twin state file, signed in through the twin's OpenID provider (the clerk
 * by the device flow, as a person does: `evidence login` prints a link, a browser approves it),
 * every people's command through the API with the signed-in person's token. Exit codes are the
 * verdicts and the refusals (cli/exit-codes.ts); every bad argument is refused before anything is
 * uploaded.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenCache } from '#cli/auth/token-cache.ts';
import { EXIT } from '#cli/exit-codes.ts';
import { DEMO_ENTERPRISE, DEMO_ENTERPRISE_ID, DEMO_PERIOD } from '#examples/enterprise.ts';
import { JIUJIANG_ENTERPRISE_ID } from '#twin/accounts.ts';
import { CLI_CLIENT_ID, WEB_CLIENT_ID } from '#twin/oidc.ts';
import { completeBrowserSignIn, completeDeviceSignIn, signIn } from '../support/sign-in.ts';
import { useTwin } from '../support/twin.ts';

const twin = useTwin();
const scratch = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
const stateFile = join(scratch, 'twin.json');
const evidence = readdirSync('examples/evidence').map((f) => join('examples/evidence', f));
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/** One config directory per person: each has their own token cache. */
const configOf = (who: string) => join(scratch, `config-${who}`);
const clerk = configOf('clerk');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI's exit code and output, whether it succeeded or not. No variable silences the SDK: bin/evidence.js must. */
function evidenceAs(configDir: string, ...args: string[]): Promise<Run> {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/evidence.js', ...args],
      // The corpus run deposits many attempts for the same example enterprise and month.
      { env: { ...env, EVIDENCE_TWIN_STATE: stateFile, EVIDENCE_CONFIG_DIR: configDir }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

const evidenceCli = (...args: string[]) => evidenceAs(clerk, ...args);
const deposit = (...args: string[]) => evidenceCli('deposit', '--period', DEMO_PERIOD, ...args);

/** `evidence login` as a person runs it: read the link it prints, approve it in a "browser" as `username`, wait for it to finish. */
async function loginByDevice(configDir: string, username: string): Promise<Run & { link: string }> {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...env } = process.env;
  const child = spawn('node', ['bin/evidence.js', 'login'], { env: { ...env, EVIDENCE_TWIN_STATE: stateFile, EVIDENCE_CONFIG_DIR: configDir } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const link = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no link from evidence login: ${stdout} ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /^\s+(https?:\/\/\S+)$/m.exec(stdout)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  await completeDeviceSignIn(link, username);
  const code = await exited;
  return { code, stdout, stderr, link };
}

/** `evidence login --flow browser --no-browser`: open the printed sign-in link as `username`; the CLI's loopback gets the code. */
async function loginByBrowser(configDir: string, username: string): Promise<Run & { link: string }> {
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...env } = process.env;
  const child = spawn('node', ['bin/evidence.js', 'login', '--flow', 'browser', '--no-browser'], {
    env: { ...env, EVIDENCE_TWIN_STATE: stateFile, EVIDENCE_CONFIG_DIR: configDir },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const link = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no link from evidence login --flow browser: ${stdout} ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /^\s+(https?:\/\/\S+)$/m.exec(stdout)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  await completeBrowserSignIn(link, username);
  return { code: await exited, stdout, stderr, link };
}

/** A sign-in got through the sign-in page (code + PKCE) and put where `evidence` keeps it: for the people whose login is not under test. */
async function signedInAs(username: string): Promise<string> {
  const dir = configOf(username);
  const tokens = await signIn(twin, username);
  new TokenCache(dir).put({
    issuer: twin.issuer,
    clientId: CLI_CLIENT_ID,
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.expiresAt,
    savedAt: new Date().toISOString(),
  });
  return dir;
}

/** The number of report keys under a prefix: unchanged means nothing was uploaded. */
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

/** The attempt the needs-review deposit made: the reviewer's to decide. */
let waiting = '';

const uploadsOfEnterprise = async () => (await keysUnder(`reports/${DEMO_ENTERPRISE_ID}/`)) + (await keysUnder(`evidence/${DEMO_ENTERPRISE_ID}/`));

beforeAll(async () => {
  // This test process stands in for the twin's: the CLI checks that the state file's pid is alive.
  writeFileSync(
    stateFile,
    JSON.stringify({
      endpoints: twin.endpoints,
      resources: twin.resources,
      apiUrl: twin.apiUrl,
      identity: { issuer: twin.issuer, audience: twin.audience, clients: { cli: CLI_CLIENT_ID, web: WEB_CLIENT_ID } },
      pid: process.pid,
      startedAt: new Date().toISOString(),
    }),
  );
  await twin.registry.putAll([{ ...DEMO_ENTERPRISE, province: '江西' }]);
});

describe('evidence login, whoami, logout', () => {
  it('without a sign-in, a people’s command says to sign in first and exits 7', async () => {
    const { code, stderr } = await evidenceAs(configOf('nobody'), 'whoami');

    expect(code).toBe(EXIT.signIn);
    expect(stderr).toContain('请先登录 / sign in first: evidence login');
  });

  it('signs the clerk in by the device flow: prints a link and a code, waits for approval, keeps the tokens 0600', async () => {
    const { code, stdout, stderr, link } = await loginByDevice(clerk, 'clerk');

    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('请在浏览器中打开以下链接并登录 / open this link in a browser and sign in:');
    expect(link).toContain(twin.issuer);
    expect(stdout).toMatch(/确认码 \/ code: \S+/);
    expect(stdout).toContain('已登录 / signed in as 江西示范发电 填报员 (enterprise)');
    // Not a terminal: no spinner; and never a token.
    expect(stderr).toBe('');
    const file = join(clerk, 'tokens.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { accessToken } = new TokenCache(clerk).get(twin.issuer, CLI_CLIENT_ID) ?? { accessToken: 'missing' };
    expect(stdout).not.toContain(accessToken);
  });

  it('signs a reviewer in through the browser instead: code + PKCE back to a loopback port on 127.0.0.1', async () => {
    const dir = configOf('browser-reviewer');
    const { code, stdout, link } = await loginByBrowser(dir, 'reviewer-jiangxi');

    expect(code).toBe(EXIT.ok);
    const authorize = new URL(link);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(stdout).toContain('已登录 / signed in as 江西省审核员 (reviewer)');
    expect(JSON.parse((await evidenceAs(dir, 'whoami', '--json')).stdout)).toMatchObject({ role: 'reviewer', level: 'province' });
  });

  it('whoami: the role, name and credit code the API reads from the token', async () => {
    const { code, stdout } = await evidenceCli('whoami');
    const json = await evidenceCli('whoami', '--json');

    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('已登录 / signed in: 江西示范发电 填报员 (clerk)');
    expect(stdout).toContain('重点排放单位 / enterprise');
    expect(stdout).toContain(`统一社会信用代码 / credit code  ${DEMO_ENTERPRISE_ID}`);
    expect(JSON.parse(json.stdout)).toMatchObject({ role: 'enterprise', enterpriseId: DEMO_ENTERPRISE_ID });
  });

  it('a department’s whoami names its jurisdiction', async () => {
    const { code, stdout } = await evidenceAs(await signedInAs('dept-nanchang'), 'whoami');

    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('主管部门 / department');
    expect(stdout).toMatch(/管辖范围 \/ jurisdiction 南昌市? \(360100\)/);
  });

  it('logout revokes the tokens and forgets them; the next command says to sign in', async () => {
    const dir = await signedInAs('admin');

    const out = await evidenceAs(dir, 'logout');
    const after = await evidenceAs(dir, 'whoami');

    expect(out.code).toBe(EXIT.ok);
    expect(out.stdout).toContain('已退出 / signed out of');
    expect(out.stdout).toContain('令牌已吊销 / tokens revoked');
    expect(after.code).toBe(EXIT.signIn);
  });
});

describe('evidence deposit and status', () => {
  it('uploads the evidence then the report, prints where each went, shows the validated result and exits 0', async () => {
    const { code, stdout, stderr } = await deposit('--at', '2026-05-10T09:30:00+08:00', 'examples/valid/report.csv', ...evidence);

    const lines = stdout.split('\n');
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('预检 / pre-check: 0 error(s), 0 warning(s)');
    expect(stdout).toContain('registry entry checked');
    expect(lines.filter((l) => l.startsWith('evidence → evidence/'))).toHaveLength(evidence.length);
    expect(lines.find((l) => l.startsWith('report   → '))).toMatch(new RegExp(`→ reports/${DEMO_ENTERPRISE_ID}/${DEMO_PERIOD}/[^/]+/report\\.csv$`));
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

    // The clerk's own enterprise, from the sign-in.
    const { stdout } = await evidenceCli('status', '--period', DEMO_PERIOD);
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
    // Received after the attempts above: the month's latest attempt, so it waits in the reviewer's inbox.
    const { code, stdout } = await deposit('--json', '--at', '2026-05-11T10:00:00+08:00', 'examples/invalid/default-carbon-with-lab-report.json', ...evidence);

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
    waiting = result.attempt.attemptId;
  });

  it('another enterprise’s history is not the clerk’s to read: forbidden, exit 8', async () => {
    const { code, stderr } = await evidenceCli('status', '--enterprise', JIUJIANG_ENTERPRISE_ID);

    expect([EXIT.forbidden, EXIT.notFound]).toContain(code);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a reviewer and a department, each signed in as themselves', () => {
  it('the city reviewer finds the deposit in the inbox, reads it and accepts it; the decision names the reviewer from the token', async () => {
    const reviewer = await signedInAs('reviewer-nanchang');

    const inbox = await evidenceAs(reviewer, 'review', 'inbox', '--enterprise', DEMO_ENTERPRISE_ID, '--json');
    const shown = await evidenceAs(reviewer, 'review', 'show', '--attempt', waiting);
    const decided = await evidenceAs(reviewer, 'review', 'decide', '--attempt', waiting, '--accept', '--comment', '化验报告已核实 / lab report checked');
    const again = await evidenceAs(reviewer, 'review', 'decide', '--attempt', waiting, '--return', '--comment', 'no');
    const status = await evidenceCli('status', '--period', DEMO_PERIOD);

    expect(inbox.code).toBe(EXIT.ok);
    expect((JSON.parse(inbox.stdout) as { items: { attemptId: string }[] }).items.map((i) => i.attemptId)).toContain(waiting);
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.stdout).toContain(`(${waiting})`);
    expect(shown.stdout).toMatch(/https?:\/\/\S+/);
    expect(decided.code).toBe(EXIT.ok);
    expect(decided.stdout).toMatch(/^stored: attempt \d+ accepted$/m);
    expect(again.code).toBe(EXIT.conflict);
    expect(again.stderr).toContain('already-decided');
    expect(status.stdout).toContain('reviewer decision: ACCEPTED by 南昌市审核员 (city)');
  });

  it('the interactive review, fed from a pipe, says when nothing is left to review', async () => {
    const reviewer = configOf('reviewer-nanchang');

    const { code, stdout } = await evidenceAs(reviewer, 'review', '--enterprise', DEMO_ENTERPRISE_ID, '--idle-exit', '0');

    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('Reviewing as 南昌市审核员 (city level, 南昌市 360100)');
    expect(stdout).toContain('Nothing left to review.');
  });

  it('a department reads its summary and late list; an enterprise may not: forbidden, exit 8', async () => {
    const department = configOf('dept-nanchang');

    const summary = await evidenceAs(department, 'summary', '--period', DEMO_PERIOD);
    const refused = await evidenceCli('summary', '--period', DEMO_PERIOD);

    expect(summary.code).toBe(EXIT.ok);
    expect(summary.stdout).toMatch(/Period 2026-03 — nightly summary|no summary for 2026-03/);
    expect(summary.stdout).toMatch(/Nobody is late for 2026-03|Late or missing for 2026-03/);
    expect(refused.code).toBe(EXIT.forbidden);
    expect(refused.stderr).toContain('无权操作 / forbidden');
    expect(refused.stdout).toBe('');
  });

  it('the receipt and its key through the API; the receipt verifies offline', async () => {
    const receiptFile = join(scratch, 'receipt.json');
    const keyFile = join(scratch, 'receipt-key.pem');

    const receipt = await evidenceCli('receipt', '--attempt', waiting, '--out', receiptFile);
    const key = await evidenceCli('receipt-key', '--out', keyFile);
    const verified = await evidenceAs(configOf('nobody'), 'verify-receipt', receiptFile, '--public-key', keyFile);

    expect(receipt.code).toBe(EXIT.ok);
    expect(key.code).toBe(EXIT.ok);
    expect(verified.code).toBe(EXIT.ok);
    expect(verified.stdout).toContain('RECEIPT VALID');
  });
});

describe('evidence deposit refuses before uploading', () => {
  it('a report the pipeline would return: lists its errors, exits 6, uploads nothing', async () => {
    const before = await uploadsOfEnterprise();

    const { code, stdout, stderr } = await deposit('examples/invalid/hours-above-month.csv', ...evidence);

    expect(code).toBe(EXIT.refused);
    expect(stdout).toContain('EVD-CROSS-HOURS-GT-MONTH');
    expect(stderr).toContain('未上传');
    expect(stderr).toContain('not uploaded: the pipeline would return this report');
    expect(stderr).toContain('--force');
    expect(await uploadsOfEnterprise()).toBe(before);
  });

  it.each([
    ['report.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)])],
    ['report.ods', Buffer.from('PK\u0003\u0004 not really a zip')],
    ['report.pdf', Buffer.from('%PDF-1.7\n% a report saved as PDF\n')],
  ])('a report in a format that is not read (%s), even with --force: says to save it as XLSX or CSV, exits 6', async (name, bytes) => {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    const before = await uploadsOfEnterprise();

    const { code, stdout, stderr } = await deposit('--force', path, ...evidence);

    expect(code).toBe(EXIT.refused);
    expect(stdout).toContain('EVD-FILE-FORMAT-UNSUPPORTED');
    expect(stderr).toContain('请另存为 XLSX 或 CSV');
    expect(stderr).toContain('save it as XLSX or CSV');
    expect(await uploadsOfEnterprise()).toBe(before);
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
    const before = await uploadsOfEnterprise();

    const { code, stdout, stderr } = await evidenceCli(...args);

    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(await uploadsOfEnterprise()).toBe(before);
  });

  it('--help lists login, logout and whoami and the exit codes, --version prints the version, both exit 0', async () => {
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
      '7  not signed in',
      '8  forbidden',
      '9  not found',
      '10 refused by the API',
      '11 login: sign-in declined',
      '12 login: the code expired',
    ])
      expect(help.stdout).toContain(line);
    for (const command of ['login', 'logout', 'whoami']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b.*/ `, 'm'));
    expect(shown).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('evidence deposit without a verdict in time', () => {
  // Last in the file: its attempt is recorded after the command has given up.
  it('exits 5 and says how to ask later', async () => {
    const { code, stdout } = await deposit('--timeout', '0.05', '--at', '2026-05-08T10:00:00+08:00', 'examples/valid/report.csv', ...evidence);

    expect(code).toBe(EXIT.timedOut);
    expect(stdout).toContain(`check later with: evidence status --enterprise ${DEMO_ENTERPRISE_ID} --period ${DEMO_PERIOD}`);
  });
});
