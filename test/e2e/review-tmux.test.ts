/**
 * The reviewer's terminal workflow in a real terminal: `evidence review` runs in a tmux pane
 * against the run's twin, signed in as the city's reviewer (the inbox and decisions through its
 * HTTP API with the reviewer's token), driven by send-keys and read by capture-pane, for one
 * accept and one return. It runs bin/evidence.js, which is what
 * `npx evidence` resolves to; npx itself adds npm's start-up (seconds, under load much more).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import type { DemoFlaw } from '#twin/demo.ts';
import { demoPdf, demoReport } from '#twin/demo.ts';
import { SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { CLI_CLIENT_ID, WEB_CLIENT_ID } from '#twin/oidc.ts';
import { signInCli } from '../support/sign-in.ts';
import { eventually, testEnterprise, useTwin, waitForAttempts } from '../support/twin.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const twin = useTwin();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const session = `evidence-review-${process.pid}`;
const stateDir = mkdtempSync(join(tmpdir(), 'evidence-review-tmux-'));

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
// Trimmed: the visible area's blank rows shrink as output grows, which would shift offsets.
const pane = () => tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', session).trimEnd();
// Generous: under a loaded parallel run the CLI's first start (tsx compiling it) can be slow.
const waitForPane = (text: string, after = 0) =>
  eventually(
    async () => {
      const shown = pane().slice(after);
      return shown.includes(text) ? shown : undefined;
    },
    `the pane to show ${text}`,
    60_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the pane ends with:\n${pane().slice(-1500)}`);
  });
/** Where the pane's text continues after `text` (the next block may already be on screen). */
const passed = async (text: string, after: number) => after + (await waitForPane(text, after)).indexOf(text) + text.length;
const keys = (text: string) => {
  tmux('send-keys', '-t', session, '-l', text);
  tmux('send-keys', '-t', session, 'Enter');
};

describe('evidence review in a terminal', () => {
  const enterprise = testEnterprise();

  beforeAll(async () => {
    // Not skipped when missing: .ci/run installs tmux, and a silent skip would hide the gap.
    if (!hasTmux) throw new Error('tmux is not installed (apt-get install -y tmux); this test drives the reviewer CLI in it');
    await twin.registry.putAll([enterprise]);
    const deposits: [string, DemoFlaw][] = [
      ['2026-01', 'atypical-ncv'],
      // The inbox holds what needs a reviewer: deposits with warnings (returned ones are the machine's).
      ['2026-02', 'atypical-ncv'],
    ];
    for (const [period, flaw] of deposits) {
      await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
        enterpriseId: enterprise.enterpriseId,
        period,
        report: {
          fileName: 'report.json',
          body: JSON.stringify(demoReport(enterprise, period, 42, flaw)),
        },
        evidence: [
          { fileName: 'ledger-scan.pdf', body: demoPdf('ledger') },
          { fileName: 'lab-report.pdf', body: demoPdf(`lab ${period}`) },
        ],
        reportMetadata: {
          [SIMULATED_RECEIPT_METADATA]: new Date('2026-03-01T10:00:00+08:00').toISOString(),
        },
      });
      await waitForAttempts(twin.ledger, enterprise.enterpriseId, period, 1);
    }
    // The CLI finds a twin through its state file; this one points at the test run's twin.
    const stateFile = join(stateDir, 'twin.json');
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
    const configDir = join(stateDir, 'config');
    await signInCli(twin, 'reviewer-nanchang', configDir);
    const command = [
      `cd '${ROOT}'`,
      `EVIDENCE_TWIN_STATE='${stateFile}' EVIDENCE_CONFIG_DIR='${configDir}' AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true node bin/evidence.js review --enterprise ${enterprise.enterpriseId} --idle-exit 3`,
      'echo REVIEW-EXITED',
      'sleep 600',
    ].join('; ');
    tmux('new-session', '-d', '-s', session, '-x', '220', '-y', '50', command);
  });

  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('accepts January’s deposit and returns February’s, with comments, then runs dry', {
    timeout: 150_000,
  }, async () => {
    let seen = 0;
    for (let decided = 0; decided < 2; decided++) {
      const shown = await waitForPane('Decision —', seen);
      const block = shown.slice(shown.lastIndexOf('═'.repeat(20)));
      expect(block).toContain('machine verdict: NEEDS-REVIEW');
      if (block.includes('period 2026-01')) {
        expect(block).toMatch(/Unit 1 \(机组 1\)\n\s+warnings:\n\s+! EVD-ATYPICAL-NCV \(ncvAsReceived\)\n\s+found 12\.5 GJ\/t\s+expected 14–25 GJ\/t/);
        expect(block).toContain('http://127.0.0.1');
        keys('a');
        await waitForPane('Why are the warnings acceptable?', seen);
        keys('低热值煤，化验报告已核实');
        seen = await passed('✓ stored: attempt 1 accepted.', seen);
      } else {
        keys('r');
        await waitForPane('Comment on EVD-ATYPICAL-NCV (unit 1 ncvAsReceived)', seen);
        keys('低位发热量偏低，请附化验报告');
        // Any further issue's comment is skipped (Enter), up to the overall comment.
        // Prompts answered so far (the first, above); each new one that waits gets an Enter.
        let answered = 1;
        for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
          const text = pane().slice(seen);
          const last = text.split('\n').at(-1) ?? '';
          if (last.includes('Overall comment to the enterprise:')) break;
          const prompts = text.split('Enter to skip:').length - 1;
          if (prompts > answered && last.startsWith('Comment on') && last.endsWith('Enter to skip:')) {
            answered = prompts;
            keys('');
          }
        }
        await waitForPane('Overall comment to the enterprise:', seen);
        keys('please correct unit 1');
        seen = await passed('✓ stored: attempt 1 returned.', seen);
      }
    }
    await waitForPane('REVIEW-EXITED');

    const [january] = await twin.ledger.attemptsOf(enterprise.enterpriseId, '2026-01');
    const [february] = await twin.ledger.attemptsOf(enterprise.enterpriseId, '2026-02');
    expect(january).toMatchObject({
      verdict: 'accepted',
      decision: {
        outcome: 'accept',
        // From the token, not from anything the CLI sent.
        reviewer: '南昌市审核员',
        comment: '低热值煤，化验报告已核实',
      },
    });
    expect(february).toMatchObject({
      verdict: 'returned',
      decision: {
        outcome: 'return',
        reviewer: '南昌市审核员',
        comment: 'please correct unit 1',
        issueComments: [
          {
            code: 'EVD-ATYPICAL-NCV',
            unitId: '1',
            field: 'ncvAsReceived',
            comment: '低位发热量偏低，请附化验报告',
          },
        ],
      },
    });
    expect(pane()).toContain('Nothing left to review.');
  });
});
