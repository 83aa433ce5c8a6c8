/**
 * validate-deposit with every AWS client mocked: what the handler asks of S3, DynamoDB and SQS
 * for one SQS batch, and how it reports failures per record.
 */
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { intakeDeps, makeHandler } from '#functions/validate-deposit/make-handler.ts';
import { createAwsClients } from '#lambda/clients.ts';
import { IntakeConfigSchema, loadConfig } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { demoEnterprises, demoPdf, demoReport } from '#twin/demo.ts';

const s3 = mockClient(S3Client);
const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

const enterprise = demoEnterprises(1, '2024-01')[0] as NonNullable<ReturnType<typeof demoEnterprises>[0]>;
const reportKey = `reports/${enterprise.enterpriseId}/2026-01/d1/report.json`;
const context = { functionName: 'validate-deposit', awsRequestId: 'r1' } as Context;

function body(bytes: Uint8Array | string) {
  return sdkStreamMixin(Readable.from([Buffer.from(bytes)]));
}

function sqsRecord(messageId: string, key: string, size: number): SQSRecord {
  const notification = {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'cn-north-1',
        eventTime: '2026-03-01T02:00:00.000Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:X' },
        requestParameters: { sourceIPAddress: '10.0.0.1' },
        responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'c',
          bucket: { name: 'deposits', ownerIdentity: { principalId: 'P' }, arn: 'arn:aws:s3:::deposits' },
          object: { key, size, eTag: 'e1', sequencer: '01' },
        },
      },
    ],
  };
  return {
    messageId,
    receiptHandle: messageId,
    body: JSON.stringify(notification),
    attributes: {} as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:cn-north-1:1:intake',
    awsRegion: 'cn-north-1',
  };
}

/** The function's environment as the stack sets it. */
const ENVIRONMENT = {
  DEPOSIT_BUCKET: 'deposits',
  DEPOSITS_TABLE: 'deposits-table',
  ATTEMPTS_TABLE: 'attempts-table',
  REGISTRY_TABLE: 'registry-table',
  REVIEW_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/1/review',
};

type Handler = (event: SQSEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** Built as handler.ts builds it, from validated configuration and the (mocked) SDK clients. */
function handlerFor(environment: Record<string, string>): Handler {
  const config = loadConfig(IntakeConfigSchema, environment);
  return makeHandler(intakeDeps(config, createAwsClients({ region: 'cn-north-1' })), observability('validate-deposit')) as unknown as Handler;
}

const handler = handlerFor(ENVIRONMENT);

beforeEach(() => {
  s3.reset();
  db.reset();
  sqs.reset();
  s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => {
    const bytes = Key.endsWith('.pdf') ? demoPdf(Key) : Buffer.from('x');
    return { Body: body(bytes), ContentLength: bytes.length };
  });
  // The registry entry; no record for the month and no earlier months: the history checks see nothing.
  db.on(BatchGetCommand).resolves({ Responses: { 'registry-table': [enterprise], 'deposits-table': [] } });
  db.on(TransactWriteCommand).resolves({});
  db.on(UpdateCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
});

describe('validate-deposit', () => {
  it('records a clean deposit as accepted in one transaction and sends nothing to review', async () => {
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 1));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });

    const result = await handler({ Records: [sqsRecord('m1', reportKey, report.length)] }, context);

    expect(result.batchItemFailures).toEqual([]);
    expect(db).toReceiveCommandTimes(TransactWriteCommand, 1);
    const items = db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put).toMatchObject({
      TableName: 'attempts-table',
      Item: { enterpriseId: enterprise.enterpriseId, period: '2026-01', verdict: 'accepted', timeliness: { onTime: true } },
    });
    expect(items[1]?.Put).toMatchObject({ TableName: 'deposits-table', ConditionExpression: 'attribute_not_exists(enterpriseId)', Item: { version: 1 } });
    expect(sqs).not.toReceiveCommand(SendMessageCommand);
  });

  it('reads the registry entry, the month and the look-back months in one BatchGetItem, and lists nothing', async () => {
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 1));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });

    await handler({ Records: [sqsRecord('m1', reportKey, report.length)] }, context);

    expect(db).toReceiveCommandTimes(BatchGetCommand, 1);
    const request = db.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems ?? {};
    expect(request['registry-table']?.Keys).toEqual([{ enterpriseId: enterprise.enterpriseId }]);
    expect(request['deposits-table']).toMatchObject({ ConsistentRead: true });
    expect(request['deposits-table']?.Keys).toHaveLength(13);
    expect(request['deposits-table']?.Keys?.[0]).toEqual({ enterpriseId: enterprise.enterpriseId, period: '2026-01' });
    expect(request['deposits-table']?.Keys?.[12]).toEqual({ enterpriseId: enterprise.enterpriseId, period: '2025-01' });
    expect(db).not.toReceiveCommand(GetCommand);
    expect(db).not.toReceiveCommand(QueryCommand);
    expect(s3).not.toReceiveCommand(ListObjectsV2Command);
    // The report, then each evidence file it names (ledger-scan.pdf, lab-report.pdf), asking for S3's checksum.
    expect(s3.commandCalls(GetObjectCommand).map((c) => [c.args[0].input.Key?.split('/').pop(), c.args[0].input.ChecksumMode])).toEqual([
      ['report.json', undefined],
      ['ledger-scan.pdf', 'ENABLED'],
      ['lab-report.pdf', 'ENABLED'],
    ]);
  });

  it("takes an evidence file's SHA-256 from S3's checksum and reads only its first bytes", async () => {
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 6));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });
    const scan = Buffer.concat([Buffer.from(demoPdf('ledger')), Buffer.alloc(1024 * 1024, 7)]);
    const sha256 = createHash('sha256').update(scan).digest();
    let chunksRead = 0;
    // 64 KiB chunks, counted as the handler pulls them: a full download would pull 17.
    const chunks = function* () {
      for (let at = 0; at < scan.length; at += 64 * 1024) {
        chunksRead++;
        yield scan.subarray(at, at + 64 * 1024);
      }
    };
    s3.on(GetObjectCommand, { Key: `evidence/${enterprise.enterpriseId}/2026-01/d1/ledger-scan.pdf` }).resolves({
      Body: sdkStreamMixin(Readable.from(chunks(), { objectMode: false, highWaterMark: 1 })),
      ContentLength: scan.length,
      ChecksumSHA256: sha256.toString('base64'),
      ChecksumType: 'FULL_OBJECT',
    });

    await handler({ Records: [sqsRecord('m1', reportKey, report.length)] }, context);

    const attempt = db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item;
    expect(attempt?.files).toContainEqual(expect.objectContaining({ fileName: 'ledger-scan.pdf', size: scan.length, sha256: sha256.toString('hex') }));
    expect(attempt?.verdict).toBe('accepted');
    expect(chunksRead).toBeLessThanOrEqual(2);
  });

  it('sends a deposit with problems to the review queue once it is recorded', async () => {
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 2, 'missing-parameter'));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });

    await handler({ Records: [sqsRecord('m1', reportKey, report.length)] }, context);

    expect(sqs).toReceiveCommandWith(SendMessageCommand, { QueueUrl: 'https://sqs.cn-north-1.amazonaws.com.cn/1/review' });
    const message = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '{}');
    expect(message).toMatchObject({
      type: 'deposit-review',
      verdict: 'returned',
      issues: [expect.objectContaining({ code: 'EVD-PARAM-MISSING', field: 'sulfur' })],
    });
    expect(db).toReceiveCommandWith(UpdateCommand, { TableName: 'attempts-table', UpdateExpression: 'SET reviewQueuedAt = :at' });
  });

  it('fails only the record whose body is not an S3 event, so the rest of the batch is kept', async () => {
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 3));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });
    const poison = { ...sqsRecord('bad', reportKey, 1), body: 'not json' };

    const result = await handler({ Records: [poison, sqsRecord('good', reportKey, report.length)] }, context);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(db).toReceiveCommandTimes(TransactWriteCommand, 1);
  });

  it('records nothing new when the attempt is already in the ledger (a redelivered event)', async () => {
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 4));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });
    await handler({ Records: [sqsRecord('m1', reportKey, report.length)] }, context);
    const [attemptPut, recordPut] = db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    db.on(BatchGetCommand).resolves({ Responses: { 'registry-table': [enterprise], 'deposits-table': [recordPut?.Put?.Item ?? {}] } });
    db.on(GetCommand, { TableName: 'attempts-table' }).resolves({ Item: attemptPut?.Put?.Item });

    const result = await handler({ Records: [sqsRecord('m2', reportKey, report.length)] }, context);

    expect(result.batchItemFailures).toEqual([]);
    expect(db).toReceiveCommandTimes(TransactWriteCommand, 1);
  });

  it('takes its thresholds from CHECK_SETTINGS: a shorter look-back, a tighter NCV range', async () => {
    const tuned = handlerFor({
      ...ENVIRONMENT,
      CHECK_SETTINGS: JSON.stringify({ history: { lookbackMonths: 3 }, ranges: { ncvAsReceived: { min: 30, max: 40 } } }),
    });
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 7));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });

    await tuned({ Records: [sqsRecord('m1', reportKey, report.length)] }, context);

    expect(db.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['deposits-table']?.Keys).toHaveLength(4);
    const attempt = db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item;
    expect(attempt?.verdict).toBe('returned');
    expect(attempt?.validation.issues.map((i: { code: string }) => i.code)).toContain('EVD-RANGE-NCV');
  });

  it('fails the whole invocation when every record faults, so SQS retries the batch', async () => {
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 5));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });
    db.on(TransactWriteCommand).rejects(Object.assign(new Error('throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));

    await expect(handler({ Records: [sqsRecord('m1', reportKey, report.length)] }, context)).rejects.toThrow('All records failed processing');
  });

  it('hands a report whose evidence is not there yet back to the intake queue, delayed, with its own event time and one more wait', async () => {
    const waiting = handlerFor({ ...ENVIRONMENT, INTAKE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/1/intake', AWS_REGION: 'cn-north-1' });
    const report = JSON.stringify(demoReport(enterprise, '2026-01', 8));
    s3.on(GetObjectCommand, { Key: reportKey }).resolves({ Body: body(report) });
    s3.on(GetObjectCommand, { Key: `evidence/${enterprise.enterpriseId}/2026-01/d1/lab-report.pdf` }).rejects(
      Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
    );
    const eventTime = new Date(Date.now() - 5_000).toISOString();
    const record = sqsRecord('m1', reportKey, report.length);
    const notification = JSON.parse(record.body);
    notification.Records[0].eventTime = eventTime;
    const event = {
      Records: [
        {
          ...record,
          body: JSON.stringify(notification),
          messageAttributes: { EvidenceWaits: { dataType: 'Number', stringValue: '2', stringListValues: [], binaryListValues: [] } },
        },
      ],
    };

    const result = await waiting(event, context);

    expect(result.batchItemFailures).toEqual([]);
    expect(db).not.toReceiveCommand(TransactWriteCommand);
    expect(sqs).toReceiveCommandTimes(SendMessageCommand, 1);
    const sent = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(sent).toMatchObject({
      QueueUrl: 'https://sqs.cn-north-1.amazonaws.com.cn/1/intake',
      DelaySeconds: 20,
      MessageAttributes: { EvidenceWaits: { DataType: 'Number', StringValue: '3' } },
    });
    const again = JSON.parse(sent?.MessageBody ?? '{}').Records[0];
    expect(again).toMatchObject({
      eventTime,
      eventName: 'ObjectCreated:Put',
      awsRegion: 'cn-north-1',
      s3: { bucket: { name: 'deposits' }, object: { key: reportKey, eTag: 'e1' } },
    });
  });
});
