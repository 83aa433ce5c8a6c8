/**
 * Links to a deposit's files, for reviewers and enterprises: presigned for the exact version the
 * attempt recorded (never "whatever the key holds now"), served as a download with the type the
 * content check found, so a file that is really a web page can never render in a reviewer's browser.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DepositFile } from '#domain/attempt.ts';

/** `Content-Disposition: attachment` with the file's own name, ASCII fallback and RFC 5987 UTF-8 form. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function recordedFileLink(
  s3: S3Client,
  bucket: string,
  file: Pick<DepositFile, 'key' | 'fileName' | 'versionId' | 'contentType'>,
  expiresInSeconds = 3600,
): Promise<string> {
  return getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: bucket,
      Key: file.key,
      ...(file.versionId ? { VersionId: file.versionId } : {}),
      ResponseContentDisposition: attachmentDisposition(file.fileName),
      ResponseContentType: file.contentType ?? 'application/octet-stream',
    }),
    { expiresIn: expiresInSeconds },
  );
}
