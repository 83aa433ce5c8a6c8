/** Links to recorded files name the recorded version and are served as downloads of the detected type. */
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, recordedFileLink } from '#adapters/evidence-links.ts';

const s3 = new S3Client({ region: 'cn-north-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });

describe('a link to a recorded file', () => {
  it('is presigned for the recorded version, as an attachment, with the detected content type', async () => {
    const url = new URL(
      await recordedFileLink(s3, 'deposits', {
        key: 'evidence/X/2026-01/d1/台账.pdf',
        fileName: '台账.pdf',
        versionId: 'v-42',
        contentType: 'application/pdf',
      }),
    );

    expect(url.searchParams.get('versionId')).toBe('v-42');
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''${encodeURIComponent('台账.pdf')}`);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is a download of unknown type when the content check found none, and names no version on an unversioned bucket', async () => {
    const url = new URL(await recordedFileLink(s3, 'deposits', { key: 'evidence/X/2026-01/d1/page.html', fileName: 'page.html' }));

    expect(url.searchParams.has('versionId')).toBe(false);
    expect(url.searchParams.get('response-content-type')).toBe('application/octet-stream');
    expect(url.searchParams.get('response-content-disposition')).toMatch(/^attachment; /);
  });

  it('keeps quotes and backslashes out of the plain file name', () => {
    expect(attachmentDisposition('a"b\\c.pdf')).toBe(`attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`);
  });
});
