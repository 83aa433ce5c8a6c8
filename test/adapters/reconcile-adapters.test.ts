/** The reconciliation's adapters against mocked clients: pagination, quoting, retries. */
import { HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAttemptIndex } from '#adapters/dynamo-attempt-index.ts';
import { S3ReportObjects } from '#adapters/s3-report-lister.ts';
import { SqsIntakeAnnouncer } from '#adapters/sqs-intake-announcer.ts';
import type { ReportObject } from '#app/ports.ts';

const s3 = mockClient(S3Client);
const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const t = new Date('2026-04-01T02:00:00Z');

async function all(pages: AsyncIterable<readonly ReportObject[]>): Promise<ReportObject[][]> {
  const out: ReportObject[][] = [];
  for await (const page of pages) out.push([...page]);
  return out;
}

describe('listing report uploads', () => {
  beforeEach(() => s3.reset());

  it('follows ListObjectsV2 continuation tokens under reports/ and strips the ETag quotes', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      IsTruncated: true,
      NextContinuationToken: 'next',
      Contents: [{ Key: 'reports/a', ETag: '"e1"', Size: 1, LastModified: t }],
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'next' }).resolves({
      IsTruncated: false,
      Contents: [{ Key: 'reports/b', ETag: '"e2"', Size: 2, LastModified: t }],
    });

    const pages = await all(new S3ReportObjects(new S3Client({}), 'bucket', { versioned: false }).pages());

    expect(pages).toEqual([
      [{ key: 'reports/a', eTag: 'e1', size: 1, lastModified: t.toISOString() }],
      [{ key: 'reports/b', eTag: 'e2', size: 2, lastModified: t.toISOString() }],
    ]);
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'bucket', Prefix: 'reports/' });
  });

  it('lists every version where versioned, following both markers, without delete markers or a "null" version id', async () => {
    s3.on(ListObjectVersionsCommand, { KeyMarker: undefined }).resolves({
      IsTruncated: true,
      NextKeyMarker: 'reports/a',
      NextVersionIdMarker: 'v1',
      Versions: [
        { Key: 'reports/a', VersionId: 'v2', ETag: '"e2"', Size: 2, LastModified: t },
        { Key: 'reports/a', VersionId: 'v1', ETag: '"e1"', Size: 1, LastModified: t },
      ],
      DeleteMarkers: [{ Key: 'reports/x', VersionId: 'dm' }],
    });
    s3.on(ListObjectVersionsCommand, { KeyMarker: 'reports/a', VersionIdMarker: 'v1' }).resolves({
      IsTruncated: false,
      Versions: [{ Key: 'reports/old', VersionId: 'null', ETag: '"e0"', Size: 0, LastModified: t }],
    });

    const pages = await all(new S3ReportObjects(new S3Client({}), 'bucket', { versioned: true }).pages());

    expect(pages.flat().map((o) => [o.key, o.versionId, o.eTag])).toEqual([
      ['reports/a', 'v2', 'e2'],
      ['reports/a', 'v1', 'e1'],
      ['reports/old', undefined, 'e0'],
    ]);
  });

  it('drops objects not modified after `since`', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'reports/old', ETag: '"o"', LastModified: new Date('2026-01-01T00:00:00Z') },
        { Key: 'reports/new', ETag: '"n"', LastModified: t },
      ],
    });

    const pages = await all(new S3ReportObjects(new S3Client({}), 'bucket', { versioned: false }).pages(new Date('2026-03-01T00:00:00Z')));

    expect(pages.flat().map((o) => o.key)).toEqual(['reports/new']);
  });

  it('takes the receipt time from the named metadata when the object carries it, else LastModified', async () => {
    s3.on(HeadObjectCommand, { Key: 'reports/sim' }).resolves({ Metadata: { 'twin-received-at': '2026-03-20T10:00:00+08:00' } });
    s3.on(HeadObjectCommand, { Key: 'reports/plain' }).resolves({ Metadata: {} });
    const lister = new S3ReportObjects(new S3Client({}), 'bucket', { versioned: false, receiptTimeMetadata: 'twin-received-at' });

    expect(await lister.receiptTimeOf({ key: 'reports/sim', eTag: 'e', size: 1, lastModified: t.toISOString() })).toBe('2026-03-20T02:00:00.000Z');
    expect(await lister.receiptTimeOf({ key: 'reports/plain', eTag: 'e', size: 1, lastModified: t.toISOString() })).toBe(t.toISOString());
    expect(
      await new S3ReportObjects(new S3Client({}), 'bucket', { versioned: true }).receiptTimeOf({
        key: 'reports/sim',
        eTag: 'e',
        size: 1,
        lastModified: t.toISOString(),
      }),
    ).toBe(t.toISOString());
  });
});

describe('looking attempts up', () => {
  beforeEach(() => db.reset());
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

  it('asks in pages of 100 keys, keys only, and retries unprocessed keys', async () => {
    const locations = Array.from({ length: 150 }, (_, i) => ({ enterpriseId: 'E', period: '2026-03', attemptId: `a${i}` }));
    let calls = 0;
    db.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { enterpriseId: string; attemptRef: string }[] }> }) => {
      calls++;
      const keys = input.RequestItems.attempts?.Keys ?? [];
      // The first call leaves two keys unprocessed; the rest are all answered.
      const [answered, left] = calls === 1 ? [keys.slice(0, -2), keys.slice(-2)] : [keys, []];
      return {
        Responses: { attempts: answered.filter((k) => Number(k.attemptRef.split('#a')[1]) % 2 === 0) },
        UnprocessedKeys: left.length ? { attempts: { Keys: left } } : {},
      };
    });

    const found = await new DynamoAttemptIndex(client, 'attempts', () => 0).recorded(locations);

    expect(found.size).toBe(75);
    expect(found.has('a98')).toBe(true);
    const sizes = db.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.attempts?.Keys?.length);
    expect(sizes).toEqual([100, 2, 50]);
    expect(db).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { attempts: expect.objectContaining({ ProjectionExpression: 'enterpriseId, attemptRef' }) },
    });
  });

  it('names a key once even when it is asked twice', async () => {
    db.on(BatchGetCommand).resolves({ Responses: { attempts: [] } });

    await new DynamoAttemptIndex(client, 'attempts', () => 0).recorded([
      { enterpriseId: 'E', period: 'p', attemptId: 'x' },
      { enterpriseId: 'E', period: 'p', attemptId: 'x' },
    ]);

    expect(db.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.attempts?.Keys).toHaveLength(1);
  });
});

describe('announcing to intake', () => {
  beforeEach(() => sqs.reset());
  const upload = (n: number) => ({ key: `reports/k${n}`, size: n, eTag: `e${n}`, eventTime: t.toISOString() });

  it('sends batches of ten and resends the entries that failed', async () => {
    let calls = 0;
    sqs
      .on(SendMessageBatchCommand)
      .callsFake(() => (++calls === 1 ? { Successful: [], Failed: [{ Id: '3', SenderFault: false, Code: 'InternalError' }] } : { Successful: [], Failed: [] }));

    await new SqsIntakeAnnouncer(new SQSClient({}), { queueUrl: 'q', bucket: 'b', region: 'r' }).announce(Array.from({ length: 12 }, (_, i) => upload(i)));

    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 1, 2]);
  });

  it('fails loudly on a sender fault', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents' }] });

    await expect(new SqsIntakeAnnouncer(new SQSClient({}), { queueUrl: 'q', bucket: 'b', region: 'r' }).announce([upload(1)])).rejects.toThrow(
      /InvalidMessageContents/,
    );
  });
});
