/** Which S3 checksums stand for the file's own SHA-256. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fullObjectSha256 } from '#adapters/s3-deposit-store.ts';

const digest = createHash('sha256').update('scan').digest();

describe("S3's SHA-256 checksum", () => {
  it('is the file hash for a single-part upload (FULL_OBJECT, or no type given)', () => {
    expect(fullObjectSha256({ ChecksumSHA256: digest.toString('base64'), ChecksumType: 'FULL_OBJECT' })).toBe(digest.toString('hex'));
    expect(fullObjectSha256({ ChecksumSHA256: digest.toString('base64') })).toBe(digest.toString('hex'));
  });

  it('is not the file hash for a multipart upload (a checksum of part checksums)', () => {
    expect(fullObjectSha256({ ChecksumSHA256: `${digest.toString('base64')}-3`, ChecksumType: 'COMPOSITE' })).toBeUndefined();
    expect(fullObjectSha256({ ChecksumSHA256: `${digest.toString('base64')}-3` })).toBeUndefined();
  });

  it('is absent when S3 kept none (an upload without x-amz-checksum-sha256, or s3rver)', () => {
    expect(fullObjectSha256({})).toBeUndefined();
  });
});
