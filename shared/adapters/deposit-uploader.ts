/**
 * An enterprise's side of a deposit: evidence files first, the report last (the report's
 * arrival is what starts validation), all under one fresh deposit id so no earlier attempt's
 * files are ever overwritten.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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

export interface UploadOptions {
  /** Bytes sent so far of one file (a file's first call comes before its upload starts). */
  readonly onProgress?: (progress: { readonly fileName: string; readonly key: string; readonly loaded: number; readonly total: number }) => void;
  /** Larger streamed files go up in parts of this size (S3's minimum part is 5 MiB). */
  readonly multipartThreshold?: number;
}

/**
 * Above this, evidence goes up as a multipart upload (lib-storage): parts in parallel, a failed
 * part retried alone, progress per part. Reports never do (at most 2 MiB).
 */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;

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

/** The Content-Type a deposit file is stored with, by its extension (the presigned uploads sign the same). */
export function contentType(fileName: string): string {
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

/** A streamed body that reports how many bytes the HTTP request has taken from it (a Transform passes them on only as they are read). */
function counted(body: Readable, onBytes: (loaded: number) => void): Readable {
  let loaded = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      loaded += chunk.length;
      onBytes(loaded);
      done(null, chunk);
    },
  });
  body.on('error', (error) => counter.destroy(error));
  return body.pipe(counter);
}

function sizeOf(file: UploadFile): number | undefined {
  if (file.size !== undefined) return file.size;
  if (typeof file.body === 'string') return Buffer.byteLength(file.body);
  return file.body instanceof Uint8Array ? file.body.byteLength : undefined;
}

/**
 * One write-once object. Single PUT: S3 checks the whole file's SHA-256 (ChecksumSHA256) and keeps
 * it for intake. Multipart (large streamed evidence): S3 offers no whole-object SHA-256 for parts,
 * only a checksum of the parts' SHA-256s (COMPOSITE), so each part is checked with its own SHA-256
 * (ChecksumAlgorithm), and intake hashes such a file itself (fullObjectSha256 says so).
 * lib-storage passes `If-None-Match: *` on to CompleteMultipartUpload, which is where S3 judges it.
 */
async function putWriteOnce(s3: S3Client, input: PutObjectCommandInput & { Key: string }, file: UploadFile, options: UploadOptions): Promise<void> {
  const total = sizeOf(file) ?? 0;
  const report = (loaded: number) => options.onProgress?.({ fileName: file.fileName, key: input.Key, loaded, total });
  report(0);
  const threshold = options.multipartThreshold ?? MULTIPART_THRESHOLD;
  if (file.body instanceof Readable && total > threshold) {
    const { ChecksumSHA256: _, ...params } = input;
    const upload = new Upload({
      client: s3,
      params: { ...params, Body: file.body, ChecksumAlgorithm: 'SHA256' },
      partSize: Math.max(PART_SIZE, Math.ceil(total / 10_000)),
      queueSize: 4,
      leavePartsOnError: false,
    });
    upload.on('httpUploadProgress', (progress) => report(progress.loaded ?? 0));
    await upload.done();
  } else {
    const body = file.body instanceof Readable && options.onProgress ? counted(file.body, report) : file.body;
    await s3.send(new PutObjectCommand({ ...input, Body: body }));
  }
  report(total);
}

export async function uploadDeposit(
  s3: S3Client,
  bucket: string,
  deposit: DepositUpload,
  now: Date = new Date(),
  options: UploadOptions = {},
): Promise<UploadedDeposit> {
  const depositId = deposit.depositId ?? newDepositId(now);
  const base = { enterpriseId: deposit.enterpriseId, period: deposit.period, depositId };
  const evidenceKeys: string[] = [];
  for (const file of deposit.evidence) {
    const key = evidenceKey({ ...base, fileName: file.fileName });
    await putWriteOnce(
      s3,
      {
        Bucket: bucket,
        Key: key,
        ContentType: contentType(file.fileName),
        ...WRITE_ONCE,
        ...(file.size !== undefined ? { ContentLength: file.size } : {}),
        ...checksumOf(file),
      },
      file,
      options,
    );
    evidenceKeys.push(key);
  }
  const key = reportKey({ ...base, fileName: deposit.report.fileName });
  await putWriteOnce(
    s3,
    {
      Bucket: bucket,
      Key: key,
      ContentType: contentType(deposit.report.fileName),
      ...WRITE_ONCE,
      ...(deposit.report.size !== undefined ? { ContentLength: deposit.report.size } : {}),
      ...checksumOf(deposit.report),
      ...(deposit.reportMetadata ? { Metadata: deposit.reportMetadata } : {}),
    },
    // The report goes up whole: its arrival starts validation, and it is small.
    deposit.report,
    { ...options, multipartThreshold: Number.POSITIVE_INFINITY },
  );
  return { depositId, reportKey: key, evidenceKeys };
}
