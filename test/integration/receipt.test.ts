/**
 * The receipt (回执) on the local twin: a deposit through S3 → SQS → validate-deposit, its receipt
 * over the HTTP API, verified with the published key alone — in this process and by the
 * `evidence verify-receipt` command — then a reviewer's decision and the receipt that records it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { type PublishedReceiptKey, type Receipt, verifyReceipt } from '#domain/receipt.ts';
import { demoReport } from '#twin/demo.ts';
import { API_AUDIENCE, CLI_CLIENT_ID, WEB_CLIENT_ID } from '#twin/oidc.ts';
import { SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { bearer, signIn, signInCli } from '../support/sign-in.ts';
import { testEnterprise, useTwin, waitForAttempts } from '../support/twin.ts';

const run = promisify(execFile);
const twin = useTwin();
const PERIOD = '2026-02';
const enterprise = testEnterprise();
const dir = mkdtempSync(join(tmpdir(), 'evidence-receipt-'));
const stateFile = join(dir, 'twin.json');
const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

// Flawed so that the machine leaves it to a reviewer (needs-review), who decides below.
const report = JSON.stringify(demoReport(enterprise, PERIOD, 7, 'atypical-ncv'));
const scan = pdf('ledger scan for the receipt test');
const lab = pdf('lab report for the receipt test');
let attemptId = '';
/** The enterprise is in 南昌: its city reviewer reads its receipts and decides its attempts. */
let reviewerToken = '';

/** A small PDF the evidence type check accepts (versioned header, page tree, at least 200 bytes, %%EOF). */
function pdf(title: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${'-'.repeat(100)}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${twin.apiUrl}${path}`, { headers: bearer(reviewerToken) });
  return { status: response.status, body: (await response.json()) as T };
}

function evidenceCli(...args: string[]) {
  return run('node', ['bin/evidence.js', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, EVIDENCE_TWIN_STATE: stateFile, EVIDENCE_CONFIG_DIR: join(dir, 'cli'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    timeout: 60_000,
  });
}

/** The CLI's exit code and output, whether it succeeded or not. */
async function exitOf(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await evidenceCli(...args);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
  }
}

beforeAll(async () => {
  // This test process stands in for the twin's: the CLI checks that the state file's pid is alive.
  writeFileSync(
    stateFile,
    JSON.stringify({
      endpoints: twin.endpoints,
      resources: twin.resources,
      apiUrl: twin.apiUrl,
      identity: { issuer: twin.issuer, audience: API_AUDIENCE, clients: { cli: CLI_CLIENT_ID, web: WEB_CLIENT_ID } },
      pid: process.pid,
      startedAt: new Date().toISOString(),
    }),
  );
  ({ accessToken: reviewerToken } = await signIn(twin, 'reviewer-nanchang'));
  // The CLI signed in as the same reviewer, as `evidence login` leaves it.
  await signInCli(twin, 'reviewer-nanchang', join(dir, 'cli'));
  await twin.registry.putAll([enterprise]);
  await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
    enterpriseId: enterprise.enterpriseId,
    period: PERIOD,
    report: { fileName: 'report.json', body: report },
    evidence: [
      { fileName: 'ledger-scan.pdf', body: scan },
      { fileName: 'lab-report.pdf', body: lab },
    ],
    reportMetadata: { [SIMULATED_RECEIPT_METADATA]: new Date('2026-03-10T23:30:00+08:00').toISOString() },
  });
  const [attempt] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
  attemptId = attempt?.attemptId ?? '';
  writeFileSync(join(dir, 'ledger-scan.pdf'), scan);
  writeFileSync(join(dir, 'report.json'), report);
});

describe('the receipt of a recorded attempt', () => {
  let receipt: Receipt;
  let key: PublishedReceiptKey;

  beforeAll(async () => {
    const fetched = await get<Receipt>(`/attempts/${attemptId}/receipt`);
    expect(fetched.status).toBe(200);
    receipt = fetched.body;
    const published = await get<PublishedReceiptKey>('/receipt-key');
    expect(published.status).toBe(200);
    key = published.body;
  });

  it('states the attempt as recorded: number, Beijing and UTC receipt time, deadline, verdict, each file’s hash (no version on the twin)', () => {
    expect(receipt).toMatchObject({
      receiptVersion: 1,
      kind: 'attempt-recorded',
      enterpriseId: enterprise.enterpriseId,
      period: PERIOD,
      attempt: { attemptId, number: 1 },
      receivedAt: { utc: '2026-03-10T15:30:00.000Z', shanghai: '2026-03-10T23:30:00.000+08:00' },
      timeliness: { onTime: true, lateBySeconds: 0 },
      verdict: { machine: 'needs-review', current: 'needs-review', decision: null },
      signature: { alg: 'ECDSA_SHA_256', encoding: 'der', keyId: `sha256:${key.fingerprint}` },
    });
    expect(receipt.files.map((f) => [f.role, f.fileName, f.sha256, f.size, f.versionId])).toEqual(
      expect.arrayContaining([
        ['report', 'report.json', sha(report), Buffer.byteLength(report), null],
        ['evidence', 'ledger-scan.pdf', sha(scan), scan.length, null],
      ]),
    );
  });

  it('verifies with the published key alone, and fails once a byte is changed', () => {
    expect(verifyReceipt(receipt, key.publicKeyPem, [{ fileName: 'ledger-scan.pdf', sha256: sha(scan) }])).toMatchObject({ valid: true });

    const text = JSON.stringify(receipt);
    const tampered = text.replace('"lateBySeconds":0', '"lateBySeconds":1');
    expect(tampered).not.toBe(text);
    expect(verifyReceipt(JSON.parse(tampered), key.publicKeyPem)).toMatchObject({ valid: false, signatureValid: false });
  });

  it('is 404 for an attempt that is not recorded', async () => {
    const { status, body } = await get<{ error: string }>('/attempts/0000000000000000/receipt');
    expect(status).toBe(404);
    expect(body.error).toBe('not-found');
  });

  it('is fetched and verified offline by the CLI: exit 0 when valid, 1 for a changed file or a changed receipt', async () => {
    const receiptFile = join(dir, 'receipt.json');
    const keyFile = join(dir, 'key.pem');
    await evidenceCli('receipt', '--attempt', attemptId, '--out', receiptFile);
    const { stdout: saved } = await evidenceCli('receipt-key', '--out', keyFile);
    expect(saved).toContain(key.fingerprint);
    expect(readFileSync(keyFile, 'utf8')).toBe(key.publicKeyPem);

    const valid = await exitOf('verify-receipt', receiptFile, join(dir, 'ledger-scan.pdf'), join(dir, 'report.json'), '--public-key', keyFile);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('✓ 有效 / valid');
    expect(valid.stdout).toContain('回执有效 / RECEIPT VALID');

    const changedScan = join(mkdtempSync(join(tmpdir(), 'evidence-receipt-')), 'ledger-scan.pdf');
    writeFileSync(changedScan, Buffer.concat([scan, Buffer.from(' ')]));
    const changedFile = await exitOf('verify-receipt', receiptFile, changedScan, '--public-key', keyFile);
    expect(changedFile.code).toBe(1);
    expect(changedFile.stdout).toContain('ledger-scan.pdf: SHA-256 differs from the receipt');
    expect(changedFile.stdout).toContain('回执无效 / RECEIPT INVALID');

    const tamperedFile = join(dir, 'tampered.json');
    writeFileSync(tamperedFile, readFileSync(receiptFile, 'utf8').replace('"onTime": true', '"onTime": false'));
    const tampered = await exitOf('verify-receipt', tamperedFile, '--public-key', keyFile);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('签名 / signature      ✗ 无效 / INVALID');
  });
});

describe('the receipt after a reviewer’s decision', () => {
  it('is of kind decision-recorded, with the reviewer’s outcome and the final verdict, and verifies', async () => {
    const decided = await fetch(`${twin.apiUrl}/attempts/${attemptId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(reviewerToken) },
      body: JSON.stringify({ outcome: 'accept', reviewer: 'li.wei', level: 'city', comment: '化验报告已核实 / lab report checked' }),
    });
    expect(decided.status).toBe(201);

    const { body: receipt } = await get<Receipt>(`/attempts/${attemptId}/receipt`);
    const { body: key } = await get<PublishedReceiptKey>('/receipt-key');

    expect(receipt).toMatchObject({
      kind: 'decision-recorded',
      attempt: { attemptId, number: 1 },
      verdict: { machine: 'needs-review', current: 'accepted', decision: { outcome: 'accept', level: 'city', comment: '化验报告已核实 / lab report checked' } },
    });
    expect(verifyReceipt(receipt, key.publicKeyPem).valid).toBe(true);
  });
});
