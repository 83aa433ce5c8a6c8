/**
 * An enterprise's side of a deposit: evidence files first, the report last (the report's
 * arrival is what starts validation), all under one fresh deposit id so no earlier attempt's
 * files are ever overwritten.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { evidenceKey, reportKey } from '#domain/deposit-key.ts';

export interface UploadFile {
  readonly fileName: string;
  readonly body: Uint8Array | string | Readable;
  /** Needed for streamed bodies. */
  readonly size?: number;
  /** Hex SHA-256 of a streamed body, when known; computed here for bodies in memory. */
  readonly sha256?: string;
}

export interface DepositUpload {
  readonly enterpriseId: string;
  readonly period: string;
  readonly report: UploadFile;
  readonly evidence: readonly UploadFile[];
  readonly depositId?: string;
  /** Extra object metadata on the report (the twin's simulated receipt time). */
  readonly reportMetadata?: Record<string, string>;
}

export interface UploadedDeposit {
  readonly depositId: string;
  readonly reportKey: string;
  readonly evidenceKeys: readonly string[];
}

/** Sortable by time, unique enough for one enterprise-period: 20260312T101500Z-1a2b3c. */
export function newDepositId(now: Date): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

const CONTENT_TYPES: Record<string, string> = {
  csv: 'text/csv',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  ofd: 'application/ofd',
};

function contentType(fileName: string): string {
  return CONTENT_TYPES[fileName.toLowerCase().split('.').pop() ?? ''] ?? 'application/octet-stream';
}

/**
 * The x-amz-checksum-sha256 to send: S3 verifies the bytes against it, refuses a mismatch, and
 * keeps it, so intake can ask S3 for the hash instead of downloading the file.
 */
function checksumOf(file: UploadFile): { ChecksumSHA256?: string } {
  const hex =
    file.sha256 ?? (typeof file.body === 'string' || file.body instanceof Uint8Array ? createHash('sha256').update(file.body).digest('hex') : undefined);
  return hex ? { ChecksumSHA256: Buffer.from(hex, 'hex').toString('base64') } : {};
}

/**
 * Deposit folders are write-once: S3 refuses (412) a PUT with `If-None-Match: *` to a key that
 * exists, and the bucket policy refuses a PUT without it. Storage class STANDARD and no
 * customer-provided key: the validator must be able to read what was deposited.
 */
const WRITE_ONCE = { IfNoneMatch: '*', StorageClass: 'STANDARD' } as const;

export async function uploadDeposit(s3: S3Client, bucket: string, deposit: DepositUpload, now: Date = new Date()): Promise<UploadedDeposit> {
  const depositId = deposit.depositId ?? newDepositId(now);
  const base = { enterpriseId: deposit.enterpriseId, period: deposit.period, depositId };
  const evidenceKeys: string[] = [];
  for (const file of deposit.evidence) {
    const key = evidenceKey({ ...base, fileName: file.fileName });
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: file.body,
        ContentType: contentType(file.fileName),
        ...WRITE_ONCE,
        ...(file.size !== undefined ? { ContentLength: file.size } : {}),
        ...checksumOf(file),
      }),
    );
    evidenceKeys.push(key);
  }
  const key = reportKey({ ...base, fileName: deposit.report.fileName });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: deposit.report.body,
      ContentType: contentType(deposit.report.fileName),
      ...WRITE_ONCE,
      ...(deposit.report.size !== undefined ? { ContentLength: deposit.report.size } : {}),
      ...checksumOf(deposit.report),
      ...(deposit.reportMetadata ? { Metadata: deposit.reportMetadata } : {}),
    }),
  );
  return { depositId, reportKey: key, evidenceKeys };
}
