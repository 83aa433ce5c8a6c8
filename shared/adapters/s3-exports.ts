/**
 * Per-period export files in S3. An object is rewritten only when its bytes change (the SHA-256
 * rides in its metadata), so re-running the nightly job leaves the bucket as it was. Readers get
 * presigned GET links to what lies under a folder, never the bucket itself.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportFile, ExportLink, ExportLinks, ExportStore, WriteOutcome } from '#app/ports.ts';

const HASH_METADATA = 'content-sha256';

export class S3Exports implements ExportStore, ExportLinks {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(file: ExportFile): Promise<WriteOutcome> {
    const hash = createHash('sha256').update(file.body).digest('hex');
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: file.key }));
      if (head.Metadata?.[HASH_METADATA] === hash) return 'unchanged';
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404 && (error as Error).name !== 'NotFound') throw error;
    }
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: file.key,
        Body: file.body,
        ContentType: file.contentType,
        Metadata: { [HASH_METADATA]: hash },
      }),
    );
    return 'written';
  }

  /** The files directly in `prefix` (not in folders below it), key order, each with a GET link. */
  async linksUnder(prefix: string, expiresInSeconds: number): Promise<ExportLink[]> {
    const links: ExportLink[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        const url = await getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: object.Key }), { expiresIn: expiresInSeconds });
        links.push({ key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified?.toISOString() ?? '', url });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return links.sort((a, b) => a.key.localeCompare(b.key));
  }
}
