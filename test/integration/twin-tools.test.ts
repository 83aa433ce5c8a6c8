/**
 * The twin with standard tools: listings of more than 1,000 keys (what `aws s3 ls --recursive`
 * and `aws s3 sync` do), which s3rver alone failed with InternalError, and the AWS profile the
 * twin prints at start; and evidence large enough for a multipart upload, still write-once.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsCommand,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { MULTIPART_THRESHOLD, uploadDeposit } from '#adapters/deposit-uploader.ts';
import { mapLimit } from '#app/map-limit.ts';
import { awsProfileSnippet, fixedPorts } from '#twin/emulators.ts';
import { twinClients } from '#twin/twin.ts';
import { uniqueEnterpriseId, useTwin } from '../support/twin.ts';

const twin = useTwin();
const s3 = twin.clients.s3;
// A bucket of its own: "at the root" must mean only these keys.
const bucket = `twin-tools-${randomBytes(4).toString('hex')}`;

const direct = Array.from({ length: 1100 }, (_, i) => `many/${String(i).padStart(5, '0')}.txt`);
const deep = Array.from({ length: 100 }, (_, i) => `many/deep/${String(i).padStart(3, '0')}.txt`);
const loose = Array.from({ length: 298 }, (_, i) => `loose-${String(i).padStart(3, '0')}.txt`);
// 'a-b' sorts before 'a/b' as a key but after the folder 'a' on disk: s3rver's walk order is not key order.
const tricky = ['a-b.txt', 'a/b.txt'];
const keys = [...direct, ...deep, ...loose, ...tricky];
const inKeyOrder = (list: readonly string[]) => [...list].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

async function listAll(input: Omit<ListObjectsV2CommandInput, 'Bucket'>, pageSize?: number) {
  const found = { keys: [] as string[], prefixes: [] as string[], pages: 0 };
  for await (const page of paginateListObjectsV2({ client: s3, ...(pageSize ? { pageSize } : {}) }, { Bucket: bucket, ...input })) {
    found.pages++;
    found.keys.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
    found.prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''));
    // S3 counts common prefixes in KeyCount and in MaxKeys.
    expect(page.KeyCount).toBe((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0));
    expect(page.KeyCount).toBeLessThanOrEqual(pageSize ?? 1000);
  }
  return found;
}

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await mapLimit(keys, 16, (Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key })));
}, 180_000);

describe('listing more than 1,000 keys on the twin', () => {
  it('the paginator lists every key of the bucket root once, in key order, over several pages', async () => {
    const found = await listAll({});

    expect(keys).toHaveLength(1500);
    expect(found.pages).toBe(2);
    expect(found.keys).toEqual(inKeyOrder(keys));
  });

  it('lists every key under a prefix', async () => {
    const found = await listAll({ Prefix: 'many/' });

    expect(found.keys).toEqual(inKeyOrder([...direct, ...deep]));
  });

  it('with a Delimiter under a prefix: every direct key, and the sub-folder once as a common prefix', async () => {
    const found = await listAll({ Prefix: 'many/', Delimiter: '/' });

    expect(found.pages).toBe(2);
    expect(found.keys).toEqual(inKeyOrder(direct));
    expect(found.prefixes).toEqual(['many/deep/']);
  });

  it('with a Delimiter at the root and small pages: each common prefix once, even where a page ends on one', async () => {
    const byTwo = await listAll({ Delimiter: '/' }, 2);
    const byHundred = await listAll({ Delimiter: '/' }, 100);

    for (const found of [byTwo, byHundred]) {
      expect(found.keys).toEqual(inKeyOrder([...loose, 'a-b.txt']));
      expect(found.prefixes).toEqual(['a/', 'many/']);
    }
    expect(byTwo.pages).toBe(151);
  });

  it('ListObjects (version 1) resumes from NextMarker past a common prefix', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 2 }));
    const second = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 2, Marker: first.NextMarker }));

    expect(first.IsTruncated).toBe(true);
    expect([...(first.Contents ?? []).map((c) => c.Key), ...(first.CommonPrefixes ?? []).map((p) => p.Prefix)]).toEqual(['a-b.txt', 'a/']);
    expect(first.NextMarker).toBe('a/');
    expect((second.Contents ?? []).map((c) => c.Key)).toEqual(['loose-000.txt', 'loose-001.txt']);
  });
});

describe('the AWS profile the twin prints', () => {
  it('names the fixed credentials, the region and one endpoint per service', () => {
    const snippet = awsProfileSnippet(twin.endpoints);

    expect(snippet).toContain('[profile evidence-twin]');
    expect(snippet).toContain('aws_access_key_id = S3RVER');
    expect(snippet).toContain('region = us-east-1');
    expect(snippet).toMatch(new RegExp(`\\[services evidence-twin\\]\\ns3 =\\n  endpoint_url = ${twin.endpoints.s3}\\n  addressing_style = path`));
    expect(snippet).toContain(`dynamodb =\n  endpoint_url = ${twin.endpoints.dynamodb}`);
    expect(snippet).toContain(`sqs =\n  endpoint_url = ${twin.endpoints.sqs}`);
  });

  it('--ports takes a base port for S3, DynamoDB, SQS, the API and the OpenID provider in a row, and refuses what is not a port', () => {
    expect(fixedPorts('4566')).toEqual({ s3: 4566, dynamodb: 4567, sqs: 4568, api: 4569, oidc: 4570 });
    for (const bad of ['abc', '80', '65532', '4566.5', '']) expect(fixedPorts(bad)).toBeUndefined();
  });
});

describe('large evidence goes up in parts, still write-once', () => {
  it('uploads a 9 MiB file as a multipart upload with progress, and refuses a second completion to the same key', async () => {
    const enterpriseId = uniqueEnterpriseId();
    const dir = mkdtempSync(join(tmpdir(), 'evidence-multipart-'));
    const path = join(dir, 'ledger-scan.pdf');
    const size = 9 * 1024 * 1024 + 123;
    writeFileSync(path, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]));
    const progress: number[] = [];
    // A client of its own that notes each command it sends.
    const client = twinClients(twin.endpoints).s3;
    const commands: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize' },
    );
    const deposit = (depositId: string) =>
      uploadDeposit(
        client,
        twin.resources.bucket,
        {
          enterpriseId,
          period: '2026-03',
          depositId,
          report: { fileName: 'report.json', body: '{}' },
          evidence: [{ fileName: 'ledger-scan.pdf', body: createReadStream(path), size }],
        },
        new Date(),
        { onProgress: (p) => p.fileName === 'ledger-scan.pdf' && progress.push(p.loaded) },
      );

    const uploaded = await deposit('multipart-1');
    const stored = await s3.send(new GetObjectCommand({ Bucket: twin.resources.bucket, Key: uploaded.evidenceKeys[0] }));
    const bytes = Buffer.from((await stored.Body?.transformToByteArray()) ?? []);
    const again = await deposit('multipart-1').catch((error: Error) => error);

    expect(MULTIPART_THRESHOLD).toBeLessThan(size);
    expect(commands.slice(0, 5)).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
      // The report, whole.
      'PutObjectCommand',
    ]);
    expect(bytes.equals(readFileSync(path))).toBe(true);
    expect(progress.at(0)).toBe(0);
    expect(progress.at(-1)).toBe(size);
    expect(progress.length).toBeGreaterThan(2);
    expect(again).toMatchObject({ name: 'PreconditionFailed' });
  });
});
