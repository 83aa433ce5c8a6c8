/** FileLinks over the deposit bucket: presigned GETs of the version each attempt recorded (see evidence-links.ts). */
import type { S3Client } from '@aws-sdk/client-s3';
import type { FileLinks } from '#app/ports.ts';
import type { DepositFile } from '#domain/attempt.ts';
import { recordedFileLink } from './evidence-links.ts';

export class S3FileLinks implements FileLinks {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** How long a link serves: long enough to open a page's files, short enough not to be passed around. */
    private readonly expiresInSeconds = 900,
  ) {}

  linkTo(file: DepositFile): Promise<string> {
    return recordedFileLink(this.s3, this.bucket, file, this.expiresInSeconds);
  }
}
