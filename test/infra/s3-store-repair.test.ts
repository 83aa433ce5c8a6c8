/**
 * After a kill -9 in the middle of a PUT, s3rver's folder holds an object without its metadata:
 * its listing then fails until the twin removes the upload that never completed.
 */
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, TWIN_CREDENTIALS, TWIN_REGION } from '#twin/emulators.ts';
import { removeIncompleteObjects } from '#twin/s3-store-repair.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function withS3rver<T>(directory: string, run: (s3: S3Client) => Promise<T>): Promise<T> {
  const port = await freePort();
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory });
  await server.run();
  const s3 = new S3Client({ region: TWIN_REGION, credentials: TWIN_CREDENTIALS, endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, maxAttempts: 1 });
  try {
    return await run(s3);
  } finally {
    s3.destroy();
    await server.close();
  }
}

describe("repairing s3rver's folder after a kill -9", () => {
  it('removes an upload whose metadata was never (fully) written, keeps the complete ones, and the listing works again', async () => {
    dir = mkdtempSync(join(tmpdir(), 's3-repair-'));
    await withS3rver(dir, async (s3) => {
      await s3.send(new CreateBucketCommand({ Bucket: 'deposits' }));
      for (const key of ['reports/A/2026-01/d1/report.json', 'reports/A/2026-01/d2/report.json', 'evidence/A/2026-01/d2/scan.pdf']) {
        await s3.send(new PutObjectCommand({ Bucket: 'deposits', Key: key, Body: `bytes of ${key}` }));
      }
    });
    // The process died while writing d2's report metadata, and before the scan's metadata was begun;
    // d1 lost only its MD5, which s3rver recomputes.
    truncateSync(join(dir, 'deposits/reports/A/2026-01/d2/report.json._S3rver_metadata.json'), 3);
    rmSync(join(dir, 'deposits/evidence/A/2026-01/d2/scan.pdf._S3rver_metadata.json'));
    rmSync(join(dir, 'deposits/reports/A/2026-01/d1/report.json._S3rver_object.md5'));
    const before = await withS3rver(dir, (s3) =>
      s3.send(new ListObjectsV2Command({ Bucket: 'deposits', Prefix: 'reports/' })).then(
        () => 'listed',
        (e: Error) => e.name,
      ),
    );
    expect(before).toBe('InternalError');

    const removed = removeIncompleteObjects(dir);

    expect(removed.sort()).toEqual(['deposits/evidence/A/2026-01/d2/scan.pdf', 'deposits/reports/A/2026-01/d2/report.json']);
    const keys = await withS3rver(dir, async (s3) => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'deposits' }));
      return (listed.Contents ?? []).map((o) => o.Key);
    });
    expect(keys).toEqual(['reports/A/2026-01/d1/report.json']);
    expect(removeIncompleteObjects(dir)).toEqual([]);
  });
});
