/**
 * Upload order does not matter. `aws s3 sync`, a GUI client or a browser sends a deposit folder's
 * files in parallel, so the report often lands before its evidence: intake waits (the event goes
 * back onto the intake queue with DelaySeconds) while the report is younger than the grace, then
 * judges the folder as it is. This file runs a twin of its own with a short grace, so the wait is
 * seconds, not minutes; everything else is the pipeline as deployed.
 */
import { rmSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import type { Attempt } from '#domain/attempt.ts';
import { evidenceKey, reportKey } from '#domain/deposit-key.ts';
import { demoPdf, demoReport } from '#twin/demo.ts';
import { scratchDir } from '#twin/emulators.ts';
import { LocalTwin } from '#twin/twin.ts';
import { eventually, testEnterprise } from '../support/twin.ts';

const GRACE_SECONDS = 8;
const RECHECK_SECONDS = 2;
const PERIOD = '2026-11';

let twin: LocalTwin;
let dataDir: string;
let ledger: DynamoLedger;
const functionErrors: unknown[] = [];

beforeAll(async () => {
  dataDir = scratchDir('evidence-upload-order-');
  twin = await LocalTwin.start({ dataDir, checkSettings: JSON.stringify({ evidenceGraceSeconds: GRACE_SECONDS, evidenceRecheckSeconds: RECHECK_SECONDS }) });
  twin.on('function-error', ({ error }: { error: unknown }) => functionErrors.push(error));
  ledger = new DynamoLedger(twin.clients.db, twin.resources.tables);
});

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One file as `aws s3 sync` sends it: a plain PutObject, content type by extension. */
async function put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
  await twin.clients.s3.send(new PutObjectCommand({ Bucket: twin.resources.bucket, Key: key, Body: body, ContentType: contentType }));
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A deposit folder for a fresh enterprise: the report, and the evidence files it names. */
async function folder(depositId: string) {
  const enterprise = testEnterprise();
  await new DynamoRegistry(twin.clients.db, twin.resources.tables.registry).putAll([enterprise]);
  const base = { enterpriseId: enterprise.enterpriseId, period: PERIOD, depositId };
  return {
    enterprise,
    report: { key: reportKey({ ...base, fileName: 'report.json' }), body: JSON.stringify(demoReport(enterprise, PERIOD, 1)) },
    evidence: ['ledger-scan.pdf', 'lab-report.pdf'].map((fileName) => ({ key: evidenceKey({ ...base, fileName }), body: demoPdf(`${fileName} ${depositId}`) })),
  };
}

const attemptOf = (enterpriseId: string, timeoutMs: number) =>
  eventually(async () => (await ledger.attemptsOf(enterpriseId, PERIOD))[0], `the attempt of ${enterpriseId}`, timeoutMs);

const codes = (attempt: Attempt) => attempt.validation.issues.map((i) => i.code);

describe('a deposit folder uploaded report first', () => {
  it('gets the verdict its files deserve, received at the report’s upload time, when the evidence follows seconds later', async () => {
    const deposit = await folder('sync-1');
    const before = Date.now();
    await put(deposit.report.key, deposit.report.body, 'application/json');
    const reportUploaded = Date.now();

    // Intake has looked, found the evidence missing and handed the event back, delayed: no attempt yet.
    await eventually(async () => ((await twin.queueDepth('intake')).delayed > 0 ? true : undefined), 'a delayed re-check on the intake queue', 10_000);
    expect(await ledger.attemptsOf(deposit.enterprise.enterpriseId, PERIOD)).toEqual([]);
    await sleep(3_000 - (Date.now() - reportUploaded));
    const evidenceStarted = Date.now();
    await Promise.all(shuffled(deposit.evidence).map((file) => put(file.key, file.body, 'application/pdf')));

    const attempt = await attemptOf(deposit.enterprise.enterpriseId, 30_000);
    const recordedAfterSeconds = (Date.parse(attempt.recordedAt) - before) / 1000;

    expect(codes(attempt)).toEqual([]);
    expect(attempt.verdict).toBe('accepted');
    expect(attempt.files.filter((f) => f.role === 'evidence').map((f) => f.fileName)).toEqual(['lab-report.pdf', 'ledger-scan.pdf']);
    const receivedAt = Date.parse(attempt.receivedAt);
    expect(receivedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(receivedAt).toBeLessThanOrEqual(reportUploaded);
    expect(receivedAt).toBeLessThan(evidenceStarted);
    expect(Date.parse(attempt.recordedAt)).toBeGreaterThan(evidenceStarted);
    expect(recordedAfterSeconds).toBeLessThan(GRACE_SECONDS + RECHECK_SECONDS + 2);
    await twin.waitForIdle();
    expect(await ledger.attemptsOf(deposit.enterprise.enterpriseId, PERIOD)).toHaveLength(1);
    expect(functionErrors).toEqual([]);
  });

  it('is returned with EVD-EVIDENCE-MISSING after the grace when the evidence never comes, recorded once', async () => {
    const deposit = await folder('sync-2');
    const before = Date.now();
    await put(deposit.report.key, deposit.report.body, 'application/json');
    const reportUploaded = Date.now();

    const attempt = await attemptOf(deposit.enterprise.enterpriseId, (GRACE_SECONDS + 20) * 1000);

    expect(attempt.verdict).toBe('returned');
    expect(attempt.validation.issues.filter((i) => i.code === 'EVD-EVIDENCE-MISSING').map((i) => i.found)).toEqual(
      expect.arrayContaining(['ledger-scan.pdf', 'lab-report.pdf']),
    );
    const receivedAt = Date.parse(attempt.receivedAt);
    expect(receivedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(receivedAt).toBeLessThanOrEqual(reportUploaded);
    // Not before the grace was over, and not long after it.
    expect((Date.parse(attempt.recordedAt) - receivedAt) / 1000).toBeGreaterThanOrEqual(GRACE_SECONDS);
    expect((Date.parse(attempt.recordedAt) - receivedAt) / 1000).toBeLessThan(GRACE_SECONDS + RECHECK_SECONDS + 3);
    await twin.waitForIdle();
    expect(await ledger.attemptsOf(deposit.enterprise.enterpriseId, PERIOD)).toHaveLength(1);
    const [record] = await ledger.depositsOf(deposit.enterprise.enterpriseId, PERIOD);
    expect(record?.attempts).toHaveLength(1);
    expect(functionErrors).toEqual([]);
  });
});
