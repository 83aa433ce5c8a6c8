/**
 * An enterprise's side of a deposit: evidence files first, the report last (the report's
 * arrival is what starts validation), all under one fresh deposit id so no earlier attempt's
 * files are ever overwritten.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { evidenceKey, reportKey } from '#domain/deposit-key.ts';

export interface UploadFile {
  readonly fileName: string;
  readonly body: Uint8Array | string | Readable;
  /** Needed for streamed bodies. */
  readonly size?: number;
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
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

const CONTENT_TYPES: Record<string, string> = {
  csv: 'text/csv', json: 'application/json', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', ofd: 'application/ofd',
};

function contentType(fileName: string): string {
  return CONTENT_TYPES[fileName.toLowerCase().split('.').pop() ?? ''] ?? 'application/octet-stream';
}

export async function uploadDeposit(s3: S3Client, bucket: string, deposit: DepositUpload, now: Date = new Date()): Promise<UploadedDeposit> {
  const depositId = deposit.depositId ?? newDepositId(now);
  const base = { enterpriseId: deposit.enterpriseId, period: deposit.period, depositId };
  const evidenceKeys: string[] = [];
  for (const file of deposit.evidence) {
    const key = evidenceKey({ ...base, fileName: file.fileName });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: file.body, ContentType: contentType(file.fileName), ...(file.size !== undefined ? { ContentLength: file.size } : {}) }));
    evidenceKeys.push(key);
  }
  const key = reportKey({ ...base, fileName: deposit.report.fileName });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket, Key: key, Body: deposit.report.body, ContentType: contentType(deposit.report.fileName),
      ...(deposit.report.size !== undefined ? { ContentLength: deposit.report.size } : {}),
      ...(deposit.reportMetadata ? { Metadata: deposit.reportMetadata } : {}),
    }),
  );
  return { depositId, reportKey: key, evidenceKeys };
}
