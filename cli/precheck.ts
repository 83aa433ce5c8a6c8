/**
 * `evidence deposit` checks a deposit here before uploading it, with the same domain code intake
 * runs (readReport and validateDeposit): what a report would be returned for because of its own
 * content is said now, in seconds, instead of after an attempt is on the record. Checks that need
 * the enterprise's registry entry run when the CLI can read the registry (the twin; in AWS with
 * dynamodb:GetItem on it) and are skipped otherwise; checks on earlier months (history) need the
 * ledger and are left to intake.
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { evidenceKey } from '#domain/deposit-key.ts';
import { EVIDENCE_HEAD_BYTES, REPORT_HEAD_BYTES, reportFormatRefusal } from '#domain/file-types.ts';
import { type Issue, summarise, type ValidationReport } from '#domain/issues.ts';
import type { Enterprise } from '#domain/registry.ts';
import { MAX_REPORT_BYTES } from '#domain/report-table.ts';
import { validateDeposit } from '#domain/validate.ts';
import { UsageError } from './exit-codes.ts';

/** A file named on the command line, looked at once: size, SHA-256 and its first bytes. */
export interface LocalFile {
  readonly path: string;
  readonly fileName: string;
  readonly size: number;
  readonly sha256: string;
  readonly head: Uint8Array;
}

/** Refuses a path that is not a readable file in one line (exit 2), before anything is uploaded. */
export async function inspectLocalFile(path: string, headBytes: number): Promise<LocalFile> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path}: 不是文件 / not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${path}: 文件不存在 / no such file` : `${path}: 无法读取 / cannot be read (${code ?? (error as Error).message})`);
  }
  const hash = createHash('sha256');
  let head = new Uint8Array(0);
  try {
    const handle = await open(path, 'r');
    try {
      for await (const chunk of handle.createReadStream({ autoClose: false })) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        if (head.length < headBytes) head = Buffer.concat([head, bytes.subarray(0, headBytes - head.length)]);
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new UsageError(`${path}: 无法读取 / cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { path, fileName: basename(path), size, sha256: hash.digest('hex'), head };
}

export const inspectReport = (path: string) => inspectLocalFile(path, REPORT_HEAD_BYTES);
export const inspectEvidence = (path: string) => inspectLocalFile(path, EVIDENCE_HEAD_BYTES);

/** Where the registry entry came from: read (present or not), or not readable here. */
export type RegistryLookup = { readonly readable: true; readonly enterprise?: Enterprise } | { readonly readable: false; readonly reason: string };

export interface PrecheckInput {
  readonly enterpriseId: string;
  readonly period: string;
  readonly depositId: string;
  readonly report: LocalFile;
  readonly evidence: readonly LocalFile[];
  readonly registry: RegistryLookup;
  readonly receivedAt: Date;
}

export interface Precheck {
  readonly validation: ValidationReport;
  readonly registryChecked: boolean;
}

/**
 * A report in a format that is never read (.xls, .ods, .et, .numbers, a PDF …), judged by content
 * and name as the validator judges it: the issue says what it is and to save it as XLSX or CSV.
 */
export function formatRefusalOf(report: LocalFile): Issue | undefined {
  return reportFormatRefusal(report.fileName, report.head);
}

export async function precheckDeposit(input: PrecheckInput): Promise<Precheck> {
  const base = { enterpriseId: input.enterpriseId, period: input.period, depositId: input.depositId };
  const { validation } = await validateDeposit({
    key: { kind: 'report', ...base, fileName: input.report.fileName },
    reportSize: input.report.size,
    // Too large a report is refused by size alone (admitReport), as intake does without reading it.
    ...(input.report.size <= MAX_REPORT_BYTES ? { reportBytes: await readFile(input.report.path) } : {}),
    ...(input.registry.readable && input.registry.enterprise ? { enterprise: input.registry.enterprise } : {}),
    evidence: input.evidence.map((file) => ({
      fileName: file.fileName,
      key: evidenceKey({ ...base, fileName: file.fileName }),
      size: file.size,
      sha256: file.sha256,
      head: file.head,
    })),
    receivedAt: input.receivedAt,
  });
  if (input.registry.readable) return { validation, registryChecked: true };
  // Without the registry, "unknown enterprise" says nothing about the deposit.
  return { validation: summarise(validation.issues.filter((issue) => issue.code !== 'EVD-ENTERPRISE-UNKNOWN')), registryChecked: false };
}
