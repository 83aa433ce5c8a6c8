/**
 * Intake end to end on the local twin: real files uploaded to s3rver, the S3 notification on
 * local-aws-sqs, validate-deposit, DynamoDB Local, the review queue.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import type { ReviewMessage } from '#domain/review-message.ts';
import { demoPdf, demoReport } from '#twin/demo.ts';
import { encodeEventKey, SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { eventually, queueDepth, reviewMessagesFor, testEnterprise, useTwin, waitForAttempts } from '../support/twin.ts';

const twin = useTwin();
const PERIOD = '2026-01';
// Due by the end of 12 March 2026, Asia/Shanghai.
const ON_TIME = '2026-03-12T23:59:59+08:00';

function deposit(
  enterpriseId: string,
  report: { fileName: string; body: string | Uint8Array },
  options: { at?: string; evidence?: { fileName: string; body: Uint8Array }[]; period?: string } = {},
) {
  return uploadDeposit(twin.clients.s3, twin.resources.bucket, {
    enterpriseId,
    period: options.period ?? PERIOD,
    report,
    evidence: options.evidence ?? [
      { fileName: 'ledger-scan.pdf', body: demoPdf('ledger') },
      { fileName: 'lab-report.pdf', body: demoPdf('lab') },
    ],
    reportMetadata: { [SIMULATED_RECEIPT_METADATA]: new Date(options.at ?? ON_TIME).toISOString() },
  });
}

describe('a clean deposit', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('is recorded as accepted and on time, with the SHA-256 of every file', async () => {
    const report = JSON.stringify(demoReport(enterprise, PERIOD, 1));
    const uploaded = await deposit(enterprise.enterpriseId, { fileName: 'report.json', body: report });

    const [attempt] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);

    expect(attempt).toMatchObject({ verdict: 'accepted', reportKey: uploaded.reportKey, timeliness: { onTime: true, lastDay: '2026-03-12' } });
    expect(attempt?.validation.issues).toEqual([]);
    expect(attempt?.files.map((f) => [f.role, f.fileName, f.sha256])).toEqual([
      ['report', 'report.json', createHash('sha256').update(report).digest('hex')],
      ['evidence', 'lab-report.pdf', createHash('sha256').update(demoPdf('lab')).digest('hex')],
      ['evidence', 'ledger-scan.pdf', createHash('sha256').update(demoPdf('ledger')).digest('hex')],
    ]);
    const [record] = await twin.ledger.depositsOf(enterprise.enterpriseId, PERIOD);
    expect(record?.attempts).toHaveLength(1);
  });
});

describe('history from the ledger', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it("compares a month with the previous month's accepted attempt, read with the month's own record", async () => {
    await deposit(enterprise.enterpriseId, { fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, '2025-12', 11)) }, { period: '2025-12' });
    const [december] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, '2025-12', 1);
    expect(december?.verdict).toBe('accepted');
    const [decemberRecord] = await twin.ledger.depositsOf(enterprise.enterpriseId, '2025-12');
    expect(decemberRecord?.accepted?.attemptId).toBe(december?.attemptId);

    // The same scans again (deposit() sends the same ledger and lab PDFs): a reused evidence file.
    await deposit(enterprise.enterpriseId, { fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, PERIOD, 12)) });
    const [january] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);

    expect(january?.verdict).toBe('needs-review');
    expect(january?.validation.issues.map((i) => i.code)).toContain('EVD-HIST-EVIDENCE-REUSED');
    expect(january?.validation.issues.every((i) => i.code.startsWith('EVD-HIST-'))).toBe(true);
  });
});

describe('timeliness', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('counts an upload at 00:30 on 13 March Beijing time as late, though it is still 12 March in UTC', async () => {
    await deposit(
      enterprise.enterpriseId,
      { fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, PERIOD, 2)) },
      { at: '2026-03-13T00:30:00+08:00' },
    );

    const [attempt] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);

    expect(attempt?.receivedAt).toBe('2026-03-12T16:30:00.000Z');
    expect(attempt?.timeliness).toEqual({ lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: false, lateBySeconds: 1800 });
  });
});

describe('a deposit with problems', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('is returned with located issues and put on the review queue with its issues and file keys', async () => {
    const report = demoReport(enterprise, PERIOD, 3, 'supplied-exceeds-generated');
    const uploaded = await deposit(enterprise.enterpriseId, { fileName: 'report.json', body: JSON.stringify(report) });

    const [attempt] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    const [message] = (await reviewMessagesFor(twin, enterprise.enterpriseId, 1)) as ReviewMessage[];

    expect(attempt?.verdict).toBe('returned');
    expect(attempt?.validation.issues).toContainEqual(
      expect.objectContaining({ code: 'EVD-CROSS-SUPPLIED-GT-GENERATED', severity: 'error', unitId: '1', field: 'powerSupplied' }),
    );
    expect(message).toMatchObject({
      type: 'deposit-review',
      attemptId: attempt?.attemptId,
      attempt: 1,
      enterpriseId: enterprise.enterpriseId,
      verdict: 'returned',
    });
    expect(message?.issues.map((i) => i.code)).toEqual(attempt?.validation.issues.map((i) => i.code));
    expect(message?.files.map((f) => f.key)).toEqual(expect.arrayContaining([uploaded.reportKey, ...uploaded.evidenceKeys]));
  });
});

describe('bad input', () => {
  const enterprise = testEnterprise();
  const other = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise, other]));

  const cases: { name: string; file: () => { fileName: string; body: string | Uint8Array }; code: string; period?: string }[] = [
    { name: 'an empty file', file: () => ({ fileName: 'report.csv', body: '' }), code: 'EVD-FILE-EMPTY' },
    { name: 'binary junk', file: () => ({ fileName: 'report.csv', body: new Uint8Array([0, 159, 146, 150, 0, 255, 1, 2, 3]) }), code: 'EVD-FILE-BINARY' },
    {
      name: 'a file in neither UTF-8 nor GB18030',
      file: () => ({ fileName: 'report.csv', body: new Uint8Array([0x65, 0x6e, 0x74, 0x80, 0xff, 0x80, 0xff, 0x0a]) }),
      code: 'EVD-FILE-ENCODING',
    },
    {
      name: 'a report for another enterprise',
      file: () => ({ fileName: 'report.json', body: JSON.stringify(demoReport(other, PERIOD, 4)) }),
      code: 'EVD-ENTERPRISE-MISMATCH',
    },
    {
      name: 'a period that has not ended',
      file: () => ({ fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, '2027-06', 4)) }),
      code: 'EVD-PERIOD-NOT-ENDED',
      period: '2027-06',
    },
    { name: 'a 10 MB report', file: () => ({ fileName: 'report.csv', body: new Uint8Array(10 * 1024 * 1024).fill(0x41) }), code: 'EVD-FILE-TOO-LARGE' },
    { name: 'an XLSX that is not a workbook', file: () => ({ fileName: 'report.xlsx', body: 'just text' }), code: 'EVD-FILE-TYPE' },
  ];

  it.each(cases)('$name ends as a recorded, returned attempt with $code, and earlier attempts stay', async ({ file, code, period }) => {
    const p = period ?? PERIOD;
    const before = await twin.ledger.attemptsOf(enterprise.enterpriseId, p);
    const uploaded = await deposit(enterprise.enterpriseId, file(), { period: p });

    const attempts = await waitForAttempts(twin.ledger, enterprise.enterpriseId, p, before.length + 1);
    const attempt = attempts.find((a) => a.reportKey === uploaded.reportKey);

    expect(attempt?.verdict).toBe('returned');
    expect(attempt?.validation.issues.map((i) => i.code)).toContain(code);
    for (const earlier of before) expect(attempts).toContainEqual(earlier);
  });

  it('records an upload whose key names no enterprise as unattributed, with the reason', async () => {
    const key = 'reports/not-a-credit-code/2026-01/d1/report.csv';
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    await twin.clients.s3.send(new PutObjectCommand({ Bucket: twin.resources.bucket, Key: key, Body: 'x' }));

    const attempt = await eventually(async () => (await twin.ledger.attemptsOf('UNATTRIBUTED')).find((a) => a.reportKey === key), 'the unattributed attempt');

    expect(attempt.validation.issues[0]).toMatchObject({ code: 'EVD-KEY-LAYOUT', severity: 'error' });
    expect(attempt.validation.issues[0]?.found).toContain('not-a-credit-code');
  });
});

describe('at-least-once delivery', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('records one attempt however often the same S3 event is delivered', async () => {
    const uploaded = await deposit(enterprise.enterpriseId, {
      fileName: 'report.json',
      body: JSON.stringify(demoReport(enterprise, PERIOD, 5, 'missing-parameter')),
    });
    const [first] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const head = await twin.clients.s3.send(new HeadObjectCommand({ Bucket: twin.resources.bucket, Key: uploaded.reportKey }));
    const record = {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: first?.receivedAt,
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:TEST' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'c',
        bucket: { name: twin.resources.bucket, ownerIdentity: { principalId: 'P' }, arn: `arn:aws:s3:::${twin.resources.bucket}` },
        object: { key: encodeEventKey(uploaded.reportKey), size: Number(head.ContentLength), eTag: head.ETag?.replaceAll('"', ''), sequencer: '0A' },
      },
    };

    for (let i = 0; i < 3; i++) {
      await twin.clients.sqs.send(new SendMessageCommand({ QueueUrl: twin.resources.queues.intake.url, MessageBody: JSON.stringify({ Records: [record] }) }));
    }
    await new Promise((r) => setTimeout(r, 3000));

    expect(await twin.ledger.attemptsOf(enterprise.enterpriseId, PERIOD)).toEqual([first]);
    expect(await reviewMessagesFor(twin, enterprise.enterpriseId, 1)).toHaveLength(1);
  });

  it('numbers concurrent uploads of one enterprise-period by receipt time, losing none', async () => {
    const period = '2026-02';
    const times = ['2026-03-05T09:00:03+08:00', '2026-03-05T09:00:01+08:00', '2026-03-05T09:00:02+08:00', '2026-03-05T09:00:04+08:00'];
    const uploads = await Promise.all(
      times.map((at, i) =>
        deposit(enterprise.enterpriseId, { fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, period, 10 + i)) }, { at, period }),
      ),
    );

    await waitForAttempts(twin.ledger, enterprise.enterpriseId, period, 4);
    const [record] = await twin.ledger.depositsOf(enterprise.enterpriseId, period);

    const byTime = [1, 2, 0, 3].map((i) => uploads[i]?.reportKey);
    expect(record?.attempts.map((a) => a.reportKey)).toEqual(byTime);
  });
});

describe('two quick uploads to one key', () => {
  it("refuses the second, so the attempt is the first upload's bytes and stays so", async () => {
    const enterprise = testEnterprise();
    await twin.registry.putAll([enterprise]);
    const garbage = 'not a report at all\n';
    const first = await deposit(enterprise.enterpriseId, { fileName: 'report.csv', body: garbage });
    const overwrite = twin.clients.s3.send(
      new PutObjectCommand({ Bucket: twin.resources.bucket, Key: first.reportKey, Body: JSON.stringify(demoReport(enterprise, PERIOD, 1)) }),
    );
    const evidenceSwap = twin.clients.s3.send(new PutObjectCommand({ Bucket: twin.resources.bucket, Key: first.evidenceKeys[0], Body: demoPdf('swapped') }));

    await expect(overwrite).rejects.toMatchObject({ name: 'PreconditionFailed' });
    await expect(evidenceSwap).rejects.toMatchObject({ name: 'PreconditionFailed' });
    const [attempt] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    expect(attempt?.verdict).toBe('returned');
    expect(attempt?.files[0]?.sha256).toBe(createHash('sha256').update(garbage).digest('hex'));
    const stored = await twin.clients.s3.send(new GetObjectCommand({ Bucket: twin.resources.bucket, Key: first.reportKey }));
    expect(await stored.Body?.transformToString()).toBe(garbage);
  });
});

describe('inputs too large for one ledger item', () => {
  it('records a 300 KB report of hundreds of units, and a 150,000-character cell, as attempts that fit DynamoDB', async () => {
    const enterprise = testEnterprise();
    await twin.registry.putAll([enterprise]);
    const many = { ...enterprise, units: Array.from({ length: 330 }, (_, i) => ({ unitId: `U${i}`, fuel: 'coal' as const, capacityMW: 600 })) };
    const big = JSON.stringify(demoReport(many, PERIOD, 1));
    const cell = demoReport(enterprise, '2025-12', 1);
    const first = cell.units[0];
    if (first) first.unitId = 'X'.repeat(150_000);
    expect(big.length).toBeGreaterThan(250_000);

    await deposit(enterprise.enterpriseId, { fileName: 'report.json', body: big });
    await deposit(enterprise.enterpriseId, { fileName: 'report.json', body: JSON.stringify(cell) }, { period: '2025-12' });

    const [large] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    const [long] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, '2025-12', 1);
    expect(large?.verdict).toBe('returned');
    expect(large?.detailKey).toMatch(/^validation\//);
    expect(long?.verdict).toBe('returned');
    expect(await queueDepth(twin, twin.resources.queues.intake.deadLetterUrl)).toBe(0);
  }, 60_000);
});

describe('a surge on one enterprise-period', () => {
  it('records 40 concurrent uploads of one enterprise-period, in receipt order, without starving others, none in the DLQ', async () => {
    const enterprise = testEnterprise();
    const others = Array.from({ length: 5 }, () => testEnterprise());
    await twin.registry.putAll([enterprise, ...others]);
    const period = '2026-03';
    const at = (i: number) => new Date(Date.UTC(2026, 3, 2, 1, 0, 0) + (40 - i) * 1000).toISOString();

    const uploads = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        deposit(enterprise.enterpriseId, { fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, period, 100 + i)) }, { at: at(i), period }),
      ),
      ...others.map((other) =>
        deposit(other.enterpriseId, { fileName: 'report.json', body: JSON.stringify(demoReport(other, period, 1)) }, { at: at(0), period }),
      ),
    ]);

    const attempts = await eventually(
      async () => {
        const found = await twin.ledger.attemptsOf(enterprise.enterpriseId, period);
        return found.length >= 40 ? found : undefined;
      },
      '40 attempts',
      60_000,
    );
    for (const other of others) await waitForAttempts(twin.ledger, other.enterpriseId, period, 1);
    expect(new Set(attempts.map((a) => a.reportKey)).size).toBe(40);
    const [record] = await twin.ledger.depositsOf(enterprise.enterpriseId, period);
    const byReceipt = uploads
      .slice(0, 40)
      .map((u, i) => ({ key: u.reportKey, at: at(i) }))
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((u) => u.key);
    expect(record?.attempts.map((a) => a.reportKey)).toEqual(byReceipt);
    expect(await queueDepth(twin, twin.resources.queues.intake.deadLetterUrl)).toBe(0);
  }, 120_000);
});

describe('a poison message', () => {
  it('goes to the dead-letter queue once its receives are used up, without holding up the deposits behind it', async () => {
    const enterprise = testEnterprise();
    await twin.registry.putAll([enterprise]);
    const poison = `not an S3 event ${Math.random()}`;

    await twin.clients.sqs.send(new SendMessageCommand({ QueueUrl: twin.resources.queues.intake.url, MessageBody: poison }));
    await deposit(enterprise.enterpriseId, { fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, PERIOD, 6)) });

    await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    const dead = await eventually(
      async () => {
        const { Messages = [] } = await twin.clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: twin.resources.queues.intake.deadLetterUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        );
        return Messages.find((m) => m.Body === poison);
      },
      'the poison message in the DLQ',
      30_000,
    );
    // The redrive policy moved it: only after maxReceiveCount failed receives does SQS do that.
    expect(dead.Body).toBe(poison);
  });
});
