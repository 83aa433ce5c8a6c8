/**
 * Per-period export files in S3. An object is rewritten only when its bytes change (the SHA-256
 * rides in its metadata), so re-running the nightly job leaves the bucket as it was.
 */
import { createHash } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ExportFile, ExportStore, WriteOutcome } from '#app/ports.ts';

const HASH_METADATA = 'content-sha256';

export class S3Exports implements ExportStore {
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
}
