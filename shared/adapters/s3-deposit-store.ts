/** The deposit bucket, through S3. */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { DepositStore, ObjectDigest } from '#app/ports.ts';
import { EVIDENCE_HEAD_BYTES } from '#domain/file-types.ts';

/**
 * S3's SHA-256 of the whole object, as hex, if it has one. A multipart upload's SHA-256 is a
 * checksum of part checksums (type COMPOSITE, value suffixed `-{parts}`): not the file's hash.
 */
export function fullObjectSha256(object: Pick<GetObjectCommandOutput, 'ChecksumSHA256' | 'ChecksumType'>): string | undefined {
  const checksum = object.ChecksumSHA256;
  if (!checksum || object.ChecksumType === 'COMPOSITE' || checksum.includes('-')) return undefined;
  const bytes = Buffer.from(checksum, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}

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

  async digest(key: string): Promise<ObjectDigest | undefined> {
    let object: GetObjectCommandOutput;
    try {
      // ChecksumMode asks S3 for the checksum the uploader sent (and S3 verified) at PUT time.
      object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }));
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchKey')) return undefined;
      throw error;
    }
    const body = object.Body as Readable;
    const size = object.ContentLength ?? 0;
    const known = fullObjectSha256(object);
    const hash = known ? undefined : createHash('sha256');
    const head: Buffer[] = [];
    let headLength = 0;
    // Streamed chunk by chunk: scanned evidence PDFs run to 100 MB.
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      hash?.update(bytes);
      if (headLength < EVIDENCE_HEAD_BYTES) {
        head.push(bytes.subarray(0, EVIDENCE_HEAD_BYTES - headLength));
        headLength += Math.min(bytes.length, EVIDENCE_HEAD_BYTES - headLength);
      }
      // With S3's checksum, the first bytes are all that is needed: leaving the loop destroys the stream.
      if (!hash && headLength >= EVIDENCE_HEAD_BYTES) break;
    }
    return { size, sha256: known ?? (hash as ReturnType<typeof createHash>).digest('hex'), head: new Uint8Array(Buffer.concat(head)) };
  }
}
