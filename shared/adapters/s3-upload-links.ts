/**
 * Presigned PutObject links into the deposit bucket, for an enterprise's browser or client to
 * upload a deposit's files itself (the bytes never pass through a Lambda). Each link is signed
 * with the headers that make the upload what the pipeline relies on:
 *
 * - `If-None-Match: *`: the deposit folders are write-once; S3 answers 412 to a second PUT of the
 *   key, and the bucket policy refuses a PUT under reports/ or evidence/ without the header.
 * - `x-amz-checksum-sha256`: the declared SHA-256, so S3 refuses other bytes and keeps the hash
 *   for intake (which then need not download the file to hash it).
 * - `Content-Length`: the declared size (the client's HTTP stack sets it from the body).
 * - `Content-Type`: by the file's extension, as the CLI's uploader stores it, so a reviewer's
 *   preview opens every deposit's files alike.
 *
 * The checksum header is kept a header (not hoisted into the query string, as the presigner does
 * with `x-amz-*` by default): S3 checks a checksum it receives as a header against the body.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PresignedRequest, UploadLinks, UploadSpec } from '#app/ports.ts';
import { contentType } from './deposit-uploader.ts';

const CHECKSUM_HEADER = 'x-amz-checksum-sha256';

export class S3UploadLinks implements UploadLinks {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async putLink(spec: UploadSpec, expiresInSeconds: number): Promise<PresignedRequest> {
    const type = contentType(spec.key.slice(spec.key.lastIndexOf('/') + 1));
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: spec.key,
      IfNoneMatch: '*',
      ChecksumSHA256: spec.sha256Base64,
      ContentLength: spec.size,
      ContentType: type,
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: expiresInSeconds,
      unhoistableHeaders: new Set([CHECKSUM_HEADER]),
      // The presigner leaves Content-Type unsigned unless told.
      signableHeaders: new Set(['content-type']),
    });
    return { url, headers: { 'content-type': type, 'if-none-match': '*', [CHECKSUM_HEADER]: spec.sha256Base64 } };
  }
}
