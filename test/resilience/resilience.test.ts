/**
 * Faults on the local twin: events delivered twice, a handler failing at random, DynamoDB Local
 * killed and restarted mid-surge. After retries and a DLQ redrive the ledger must equal what a
 * clean run produces: no attempt lost, none counted twice, no review message missing or doubled.
 * This file runs its own twin (with fault injection), apart from the suite's shared one.
 */
import { rmSync } from 'node:fs';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import type { Enterprise } from '#domain/registry.ts';
import { demoEnterprises, demoPdf, demoReport } from '#twin/demo.ts';
import type { SqsHandler } from '#twin/sqs-event-source.ts';
import { scratchDir } from '#twin/emulators.ts';
import { LocalTwin, SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';

let twin: LocalTwin;
let dataDir: string;
let injected = { failedBefore: 0, failedAfter: 0, duplicated: 0 };
const bridgeErrors: unknown[] = [];

/**
 * Fails one invocation in ten (alternately before doing the work and after it) and delivers one
 * in five twice. Spread by invocation count rather than chance, so a small batch still meets faults.
 */
function chaos(handler: SqsHandler): SqsHandler {
  let invocation = 0;
  // Owed once every ten invocations, and paid by the next that succeeds: a real fault on the tenth
  // (a loaded machine) must not leave a run without a fault after processing.
  let afterOwed = false;
  return async (event, context) => {
    invocation++;
    if (invocation % 10 === 2) {
      injected.failedBefore++;
      throw new Error('injected fault before processing');
    }
    if (invocation % 10 === 6) afterOwed = true;
    const result = await handler(event, context);
    if (afterOwed) {
      afterOwed = false;
      injected.failedAfter++;
      throw new Error('injected fault after processing');
    }
    if (invocation % 5 === 3) {
      injected.duplicated++;
      return handler(event, context);
    }
    return result;
  };
}

async function redriveDeadLetters(): Promise<number> {
  const { sqs } = twin.clients;
  const { deadLetterUrl, url } = twin.resources.queues.intake;
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (Messages.length === 0) return moved;
    for (const m of Messages) {
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: m.Body ?? '' }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: deadLetterUrl, ReceiptHandle: m.ReceiptHandle ?? '' }));
      moved++;
    }
  }
}

async function reviewMessageCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (;;) {
    const { Messages = [] } = await twin.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: twin.resources.queues.review.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 600 }),
    );
    if (Messages.length === 0) return counts;
    for (const m of Messages) {
      const { attemptId } = JSON.parse(m.Body ?? '{}') as { attemptId: string };
      counts.set(attemptId, (counts.get(attemptId) ?? 0) + 1);
    }
  }
}

async function depositAll(enterprises: readonly Enterprise[], period: string, flawEvery: number) {
  return Promise.all(
    enterprises.map((e, i) =>
      uploadDeposit(twin.clients.s3, twin.resources.bucket, {
        enterpriseId: e.enterpriseId,
        period,
        report: { fileName: 'report.json', body: JSON.stringify(demoReport(e, period, i, i % flawEvery === 0 ? 'missing-parameter' : 'none')) },
        evidence: [
          { fileName: 'ledger-scan.pdf', body: demoPdf(`ledger ${e.enterpriseId} ${period}`) },
          { fileName: 'lab-report.pdf', body: demoPdf(`lab ${e.enterpriseId} ${period}`) },
        ],
        reportMetadata: { [SIMULATED_RECEIPT_METADATA]: `${period === '2026-01' ? '2026-02-20' : '2026-03-20'}T10:00:00+08:00` },
      }),
    ),
  );
}

async function settle(): Promise<void> {
  // Retries, then whatever exhausted its receives comes back from the DLQ, until nothing moves.
  for (let round = 0; round < 5; round++) {
    await twin.waitForIdle(120_000);
    if ((await redriveDeadLetters()) === 0) return;
  }
}

beforeAll(async () => {
  dataDir = scratchDir('evidence-chaos-');
  twin = await LocalTwin.start({ dataDir, retryDelaySeconds: 1, persistDynamoDb: true, wrapIntakeHandler: chaos, concurrency: 4, batchSize: 1 });
  twin.on('function-error', () => undefined);
  twin.on('error', (error: unknown) => bridgeErrors.push(error));
});

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('under faults', () => {
  const enterprises = demoEnterprises(40, '2024-01');

  it('ends with exactly one attempt per upload and one review message per problem attempt', async () => {
    injected = { failedBefore: 0, failedAfter: 0, duplicated: 0 };
    await new DynamoRegistry(twin.clients.db, twin.resources.tables.registry).putAll(enterprises);
    const uploads = await depositAll(enterprises, '2026-01', 4);
    await settle();

    const ledger = new DynamoLedger(twin.clients.db, twin.resources.tables);
    const attempts = (await Promise.all(enterprises.map((e) => ledger.attemptsOf(e.enterpriseId, '2026-01')))).flat();
    const reviews = await reviewMessageCounts();

    expect(injected.failedBefore).toBeGreaterThan(0);
    expect(injected.failedAfter).toBeGreaterThan(0);
    expect(injected.duplicated).toBeGreaterThan(0);
    expect(attempts.map((a) => a.reportKey).sort()).toEqual(uploads.map((u) => u.reportKey).sort());
    const problems = attempts
      .filter((a) => a.validation.issues.some((i) => i.severity !== 'info'))
      .map((a) => a.attemptId)
      .sort();
    const flawed = attempts.filter((a) => a.validation.issues.some((i) => i.code === 'EVD-PARAM-MISSING'));
    expect(flawed).toHaveLength(10);
    expect([...reviews.keys()].sort()).toEqual(problems);
    expect([...reviews.values()].every((n) => n === 1)).toBe(true);
  });

  it('loses nothing when DynamoDB Local is killed and restarted in the middle of a surge', async () => {
    const uploads = depositAll(enterprises, '2026-02', 1000);
    await new Promise((r) => setTimeout(r, 300));
    await twin.emulators.restartDynamoDb();
    const uploaded = await uploads;
    await settle();

    const ledger = new DynamoLedger(twin.clients.db, twin.resources.tables);
    const records = (await Promise.all(enterprises.map((e) => ledger.depositsOf(e.enterpriseId, '2026-02')))).flat();
    const attempts = (await Promise.all(enterprises.map((e) => ledger.attemptsOf(e.enterpriseId, '2026-02')))).flat();

    expect(bridgeErrors).toEqual([]);
    expect(attempts.map((a) => a.reportKey).sort()).toEqual(uploaded.map((u) => u.reportKey).sort());
    expect(records.every((r) => r.attempts.length === 1)).toBe(true);
  });
});
