/**
 * `npm start` as a process of its own, on one data dir, killed and restarted: kill -9 in the
 * middle of a surge, then a restart that finds the JVM the dead twin left, stops it, reconciles
 * the ledger with the bucket and ends with exactly one attempt per report object; a clean restart
 * that keeps the data (and the review queue's messages), records an object whose S3 event never
 * went out with the object's own time, and refuses overwrites in deposit folders; `--fresh`.
 * The steps share one data dir and run in order.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { mapLimit } from '#app/map-limit.ts';
import type { Attempt } from '#domain/attempt.ts';
import type { Enterprise } from '#domain/registry.ts';
import { demoEnterprises, demoPdf, demoReport } from '#twin/demo.ts';
import { DYNAMODB_PID_FILE, isDynamoDbLocal, scratchDir } from '#twin/emulators.ts';
import type { TwinResources } from '#twin/provision.ts';
import { SIMULATED_RECEIPT_METADATA, type TwinClients, twinClients } from '#twin/twin.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PERIOD = '2026-02';
const SIMULATED = '2026-03-05T10:00:00.000Z';

let root: string;
let dataDir: string;
let stateFile: string;

interface TwinProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly clients: TwinClients;
  readonly resources: TwinResources;
}

const running = new Set<ChildProcess>();

/** Starts `infra/local/start.ts` and resolves when it prints "Ready". */
async function startTwin(...extra: string[]): Promise<TwinProcess> {
  rmSync(stateFile, { force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--data-dir', dataDir, '--no-demo', ...extra], {
    cwd: ROOT,
    // A short evidence grace: a deposit whose evidence the kill cut off is recorded within seconds,
    // not after the default two minutes of waiting for files that will never come.
    env: { ...process.env, EVIDENCE_TWIN_STATE: stateFile, CHECK_SETTINGS: JSON.stringify({ evidenceGraceSeconds: 2, evidenceRecheckSeconds: 1 }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the twin did not get ready in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (/^Ready \(/m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the twin exited (${code}) before it was ready:\n${output}`));
    });
  });
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { endpoints: Parameters<typeof twinClients>[0]; resources: TwinResources };
  return { child, output: () => output, clients: twinClients(state.endpoints), resources: state.resources };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const dynamoPid = () => Number(readFileSync(join(dataDir, DYNAMODB_PID_FILE), 'utf8'));

async function scanAll<T>(twin: TwinProcess, table: string): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await twin.clients.db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as T[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function reportObjects(twin: TwinProcess): Promise<{ key: string; lastModified: Date }[]> {
  const objects: { key: string; lastModified: Date }[] = [];
  let token: string | undefined;
  do {
    const page = await twin.clients.s3.send(new ListObjectsV2Command({ Bucket: twin.resources.bucket, Prefix: 'reports/', ContinuationToken: token }));
    objects.push(...(page.Contents ?? []).map((o) => ({ key: o.Key as string, lastModified: o.LastModified as Date })));
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

async function depth(twin: TwinProcess, url: string): Promise<number> {
  const { Attributes = {} } = await twin.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

const announcedIn = (output: string) => Number(/(\d+) announced to intake again/.exec(output)?.[1] ?? Number.NaN);

beforeAll(() => {
  root = scratchDir('evidence-restart-');
  dataDir = join(root, 'data');
  stateFile = join(root, 'twin.json');
});

afterAll(async () => {
  for (const child of running) {
    child.kill('SIGTERM');
    await exited(child);
  }
  rmSync(root, { recursive: true, force: true });
});

describe('the embedded twin across restarts', () => {
  const enterprises = demoEnterprises(120, '2024-01');
  const succeeded = new Map<string, { simulated: boolean }>();
  let killedAt = 0;
  let survivor: TwinProcess;

  it('loses no upload when killed with SIGKILL mid-surge, and leaves no DynamoDB Local behind after the restart', async () => {
    const first = await startTwin();
    await new DynamoRegistry(first.clients.db, first.resources.tables.registry).putAll(enterprises);
    const surge = mapLimit(
      enterprises.map((e, i) => ({ e, i })),
      24,
      async ({ e, i }) => {
        try {
          const uploaded = await uploadDeposit(first.clients.s3, first.resources.bucket, {
            enterpriseId: e.enterpriseId,
            period: PERIOD,
            report: { fileName: 'report.json', body: JSON.stringify(demoReport(e, PERIOD, i, i % 4 === 0 ? 'missing-parameter' : 'none')) },
            evidence: [{ fileName: 'ledger-scan.pdf', body: demoPdf(`ledger ${e.enterpriseId}`) }],
            ...(i % 2 === 0 ? { reportMetadata: { [SIMULATED_RECEIPT_METADATA]: SIMULATED } } : {}),
          });
          succeeded.set(uploaded.reportKey, { simulated: i % 2 === 0 });
        } catch {
          // The twin is gone: this upload never got its answer.
        }
      },
    );
    // Part-way: a third uploaded (some recorded, the rest queued in memory), the others still to come.
    const deadline = Date.now() + 30_000;
    while (succeeded.size < enterprises.length / 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const jvm = dynamoPid();
    first.child.kill('SIGKILL');
    killedAt = Date.now();
    await exited(first.child);
    await surge;

    // No handler ran: the JVM lives on.
    expect(isDynamoDbLocal(jvm, join(dataDir, 'dynamodb'))).toBe(true);
    survivor = await startTwin();

    expect(alive(jvm)).toBe(false);
    expect(dynamoPid()).not.toBe(jvm);
    expect(succeeded.size).toBeLessThan(enterprises.length);
    expect(announcedIn(survivor.output())).toBeGreaterThan(0);
    const objects = await reportObjects(survivor);
    // "Ready" may come while a report whose evidence the kill cut off still waits out its (short) grace.
    let attempts = await scanAll<Attempt>(survivor, survivor.resources.tables.attempts);
    for (const until = Date.now() + 20_000; new Set(attempts.map((a) => a.reportKey)).size < objects.length && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 250));
      attempts = await scanAll<Attempt>(survivor, survivor.resources.tables.attempts);
    }
    const perKey = new Map<string, number>();
    for (const a of attempts) perKey.set(a.reportKey, (perKey.get(a.reportKey) ?? 0) + 1);
    expect(objects.length).toBeGreaterThanOrEqual(succeeded.size);
    for (const { key } of objects) expect(perKey.get(key), key).toBe(1);
    expect(perKey.size).toBe(objects.length);
    for (const [key, { simulated }] of succeeded) {
      const attempt = attempts.find((a) => a.reportKey === key);
      // The receipt time is the upload's own, never the time of the restart that announced it.
      if (simulated) expect(attempt?.receivedAt).toBe(SIMULATED);
      else expect(Date.parse(attempt?.receivedAt ?? '')).toBeLessThanOrEqual(killedAt);
    }
    expect(await depth(survivor, survivor.resources.queues.intake.deadLetterUrl)).toBe(0);
  }, 120_000);

  let plantedKey = '';

  it('keeps its data on a restart without --fresh, refills the review queue, and records an object whose S3 event never went out', async () => {
    const attemptsBefore = await scanAll<Attempt & { reviewQueuedAt?: string }>(survivor, survivor.resources.tables.attempts);
    const awaitingReview = attemptsBefore.filter((a) => a.reviewQueuedAt).length;
    const jvm = dynamoPid();
    survivor.child.kill('SIGTERM');
    expect(await exited(survivor.child)).toBe(0);
    expect(alive(jvm)).toBe(false);
    expect(existsSync(join(dataDir, DYNAMODB_PID_FILE))).toBe(false);

    // An upload s3rver stored while nothing relayed its event: written straight into its folder.
    const enterprise = enterprises[0] as Enterprise;
    plantedKey = `reports/${enterprise.enterpriseId}/${PERIOD}/planted-1/report.json`;
    const file = join(dataDir, 's3', 'evidence-deposits', ...plantedKey.split('/'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(`${file}._S3rver_object`, JSON.stringify(demoReport(enterprise, PERIOD, 999)));
    writeFileSync(`${file}._S3rver_metadata.json`, JSON.stringify({ 'content-type': 'application/json' }));
    const stored = new Date('2026-03-10T02:00:00.000Z');
    utimesSync(`${file}._S3rver_object`, stored, stored);

    const kept = await startTwin();
    survivor = kept;

    expect(kept.output()).toMatch(/Kept the data/);
    expect(kept.output()).not.toMatch(/Seeded the registry/);
    expect(announcedIn(kept.output())).toBe(1);
    const attempts = await scanAll<Attempt>(kept, kept.resources.tables.attempts);
    expect(attempts).toHaveLength(attemptsBefore.length + 1);
    expect(attempts.find((a) => a.reportKey === plantedKey)?.receivedAt).toBe(stored.toISOString());
    // Every message the stopped twin had queued is queued again (plus the planted one's, if it has problems).
    expect(awaitingReview).toBeGreaterThan(0);
    const queuedNow = (attempts as (Attempt & { reviewQueuedAt?: string })[]).filter((a) => a.reviewQueuedAt).length;
    expect(queuedNow - awaitingReview).toBeLessThanOrEqual(1);
    expect(await depth(kept, kept.resources.queues.review.url)).toBe(queuedNow);
  });

  it('announces nothing new when reconciled again on demand (evidence reconcile --all)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'reconcile', '--all', '--json'], {
      cwd: ROOT,
      env: { ...process.env, EVIDENCE_TWIN_STATE: stateFile },
    });
    const summary = JSON.parse(stdout) as { target: string; listed: number; recorded: number; announced: number };

    expect(summary).toMatchObject({ target: 'twin', announced: 0 });
    expect(summary.recorded).toBe(summary.listed);
    expect(summary.listed).toBe((await reportObjects(survivor)).length);
  });

  it('refuses to overwrite a key in a deposit folder (412 PreconditionFailed) and keeps the first bytes', async () => {
    const { s3 } = survivor.clients;
    const bucket = survivor.resources.bucket;
    const before = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: plantedKey }))).Body?.transformToString();

    const overwrite = s3.send(new PutObjectCommand({ Bucket: bucket, Key: plantedKey, Body: 'replaced' }));
    await expect(overwrite).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    const evidence = `evidence/${enterprises[0]?.enterpriseId}/${PERIOD}/planted-2/scan.pdf`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: evidence, Body: 'first' }));
    await expect(s3.send(new PutObjectCommand({ Bucket: bucket, Key: evidence, Body: 'second' }))).rejects.toMatchObject({ name: 'PreconditionFailed' });
    // Outside the deposit folders, and in other buckets, keys stay overwritable.
    for (const [b, key] of [
      [bucket, 'validation/x.json'],
      [survivor.resources.exportsBucket, 'exports/x.json'],
    ] as const) {
      await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: 'one' }));
      await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: 'two' }));
      expect(await (await s3.send(new GetObjectCommand({ Bucket: b, Key: key }))).Body?.transformToString()).toBe('two');
    }

    const after = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: plantedKey }))).Body?.transformToString();
    expect(after).toBe(before);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: evidence }))).Body?.transformToString()).toBe('first');
  });

  it('starts empty with --fresh, and stops its DynamoDB Local on SIGHUP', async () => {
    const previous = dynamoPid();
    survivor.child.kill('SIGHUP');
    await exited(survivor.child);
    expect(alive(previous)).toBe(false);
    const fresh = await startTwin('--fresh');

    expect(fresh.output()).not.toMatch(/Kept the data/);
    expect(await scanAll(fresh, fresh.resources.tables.attempts)).toHaveLength(0);
    expect(await scanAll(fresh, fresh.resources.tables.registry)).toHaveLength(0);
    expect(await reportObjects(fresh)).toHaveLength(0);
    const jvm = dynamoPid();
    fresh.child.kill('SIGHUP');
    await exited(fresh.child);
    expect(alive(jvm)).toBe(false);
  });

  it('stops DynamoDB Local when the process dies of an uncaught error', async () => {
    const crashDir = join(root, 'crash');
    // .mts: the script lies outside the package, whose "type": "module" would make .ts an ES module.
    const script = join(root, 'crash.mts');
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';\n` +
        `import { DYNAMODB_PID_FILE, startEmulators } from ${JSON.stringify(join(ROOT, 'infra/local/emulators.ts'))};\n` +
        `await startEmulators(${JSON.stringify(crashDir)}, { persistDynamoDb: true });\n` +
        `console.log(readFileSync(${JSON.stringify(crashDir)} + '/' + DYNAMODB_PID_FILE, 'utf8'));\n` +
        `setTimeout(() => { throw new Error('boom'); }, 10);\n`,
    );
    const crash = (await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: ROOT }).catch((error: unknown) => error)) as {
      code?: number;
      stdout: string;
      stderr: string;
    };

    expect(crash.code, JSON.stringify(crash)).toBe(1);
    const jvm = Number(crash.stdout.trim());
    expect(jvm, crash.stderr).toBeGreaterThan(0);
    // SIGKILL is sent from the exit hook; give the kernel a moment to reap the orphan.
    for (let i = 0; i < 40 && alive(jvm); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(jvm)).toBe(false);
  });
});
