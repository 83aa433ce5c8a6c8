/** The deposit bucket, through S3. */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DepositStore, ObjectDigest, ObjectRead, StoredObject, UnreadableReason } from '#app/ports.ts';
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

/** S3 and s3rver quote ETags; events and the ledger do not. */
export const unquoted = (eTag: string | undefined): string => (eTag ?? '').replace(/^"|"$/g, '');

/**
 * The answers of S3 that are facts about one object rather than faults of the moment. Anything
 * else (throttling, a 5xx, a network error) is thrown and retried by the queue.
 */
export function unreadableReason(error: unknown): UnreadableReason | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = error.message ?? '';
  switch (error.name) {
    case 'NoSuchKey':
    case 'NotFound':
      return 'missing';
    case 'NoSuchVersion':
      return 'version-missing';
    // GLACIER / DEEP_ARCHIVE (and the archive tiers of Intelligent-Tiering) need a restore first.
    case 'InvalidObjectState':
      return 'archived';
    case 'AccessDenied':
    case 'Forbidden':
      return 'access-denied';
  }
  // An SSE-C object read without its key: 400 InvalidRequest (HEAD: a bare 400).
  if ((error.name === 'InvalidRequest' || status === 400) && /server side encryption|customer|SSE/i.test(message)) return 'customer-encrypted';
  if (status === 404) return 'missing';
  if (status === 403) return 'access-denied';
  return undefined;
}

async function readOrReason<T>(read: () => Promise<T>): Promise<ObjectRead<T>> {
  try {
    return { ok: true, object: await read() };
  } catch (error) {
    const reason = unreadableReason(error);
    if (reason) return { ok: false, reason };
    throw error;
  }
}

export class S3DepositStore implements DepositStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  read(key: string, versionId?: string): Promise<ObjectRead<StoredObject>> {
    return readOrReason(async () => {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
      if (!object.Body) throw new Error(`s3://${this.bucket}/${key} has no body`);
      const bytes = await object.Body.transformToByteArray();
      return { bytes, eTag: unquoted(object.ETag), ...(object.VersionId && object.VersionId !== 'null' ? { versionId: object.VersionId } : {}) };
    });
  }

  digest(key: string, versionId?: string): Promise<ObjectRead<ObjectDigest>> {
    return readOrReason(async () => {
      // ChecksumMode asks S3 for the checksum the uploader sent (and S3 verified) at PUT time.
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED', ...(versionId ? { VersionId: versionId } : {}) }),
      );
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
      return {
        size,
        sha256: known ?? (hash as ReturnType<typeof createHash>).digest('hex'),
        head: new Uint8Array(Buffer.concat(head)),
        eTag: unquoted(object.ETag),
        ...(object.VersionId && object.VersionId !== 'null' ? { versionId: object.VersionId } : {}),
      };
    });
  }

  async putOnce(key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: '*' }));
    } catch (error) {
      // 412: written by an earlier delivery of the same event; the first write stands.
      if (
        error instanceof Error &&
        (error.name === 'PreconditionFailed' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412)
      )
        return;
      throw error;
    }
  }
}
