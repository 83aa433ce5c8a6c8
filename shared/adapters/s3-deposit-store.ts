/** The deposit bucket, through S3. */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { DepositStore, ObjectDigest, StoredObject } from '#app/ports.ts';
import { EVIDENCE_HEAD_BYTES } from '#domain/file-types.ts';

export class S3DepositStore implements DepositStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async read(key: string): Promise<Uint8Array> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!object.Body) throw new Error(`s3://${this.bucket}/${key} has no body`);
    return object.Body.transformToByteArray();
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  async digest(key: string): Promise<ObjectDigest> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headLength = 0;
    // Streamed chunk by chunk: scanned evidence PDFs run to 100 MB.
    for await (const chunk of object.Body as Readable) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      if (headLength < EVIDENCE_HEAD_BYTES) {
        head.push(bytes.subarray(0, EVIDENCE_HEAD_BYTES - headLength));
        headLength += Math.min(bytes.length, EVIDENCE_HEAD_BYTES - headLength);
      }
    }
    return { sha256: hash.digest('hex'), head: new Uint8Array(Buffer.concat(head)) };
  }
}
