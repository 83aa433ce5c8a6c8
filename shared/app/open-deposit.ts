/**
 * Opening a deposit: an enterprise declares the month and the files it is about to upload (name,
 * size, SHA-256) and gets one presigned, write-once PUT per file into a fresh deposit folder —
 * evidence first, the report last, since the report's arrival is what starts validation. The
 * bytes go from the enterprise straight to the bucket; nothing here reads or stores them.
 *
 * What is checked now is what the bucket and intake would refuse later anyway, so a client hears
 * it before it uploads a byte: the enterprise is the caller and is registered, every name fits
 * the bucket's key layout (shared/domain/deposit-key.ts), the report is a format intake reads and
 * within its size, evidence files are of allowed types and sizes, at most as many as intake
 * reads, with distinct names. The declared SHA-256 is signed into each link, so S3 takes only the
 * bytes declared.
 */
import { z } from 'zod';
import { readRuling } from '#domain/access.ts';
import type { CheckSettings } from '#domain/check-settings.ts';
import { evidenceKey, parseDepositKey, reportKey } from '#domain/deposit-key.ts';
import { typeOfExtension } from '#domain/file-types.ts';
import type { Principal } from '#domain/identity.ts';
import { type Period, PeriodSchema } from '#domain/period.ts';
import { EnterpriseIdSchema } from '#domain/registry.ts';
import { formatOfFileName, MAX_REPORT_BYTES } from '#domain/report-table.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { RegistryReader, UploadLinks } from './ports.ts';

/** How long the upload links stay valid: enough for a month's evidence on a slow line. */
export const UPLOAD_LINK_SECONDS = 15 * 60;

export interface OpenDepositDeps {
  readonly registry: RegistryReader;
  readonly links: UploadLinks;
  /** The evidence limits intake applies (CHECK_SETTINGS), so both sides refuse the same files. */
  readonly evidence: CheckSettings['evidence'];
  /** A fresh, time-sortable deposit id (20260312T101500Z-1a2b3c). */
  readonly newDepositId: (now: Date) => string;
  readonly now: () => Date;
}

export type OpenDepositRefusalCode = 'bad-request' | 'forbidden' | 'not-found';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/** A SHA-256 as hex (64 digits) or base64 (44 characters, as S3 writes it), read as hex. */
const Sha256Schema = z
  .string()
  .trim()
  .refine((text) => HEX_SHA256.test(text) || BASE64_SHA256.test(text), 'sha256 is the file’s SHA-256: 64 hex digits (or 44 base64 characters)')
  .transform((text) => (HEX_SHA256.test(text) ? text.toLowerCase() : Buffer.from(text, 'base64').toString('hex')));

export const DeclaredFileSchema = z.object({
  fileName: z.string().min(1).max(200),
  size: z.number().int().positive('size is the file’s length in bytes (at least 1)'),
  sha256: Sha256Schema,
});
export type DeclaredFile = z.infer<typeof DeclaredFileSchema>;

export const OpenDepositParamsSchema = z.object({ enterpriseId: EnterpriseIdSchema });

export const OpenDepositBodySchema = z.object({
  period: PeriodSchema,
  report: DeclaredFileSchema,
  evidence: z.array(DeclaredFileSchema).max(1000).default([]),
});
export type OpenDepositBody = z.infer<typeof OpenDepositBodySchema>;

export interface Upload {
  readonly role: 'evidence' | 'report';
  readonly fileName: string;
  readonly key: string;
  readonly method: 'PUT';
  readonly url: string;
  /** Exactly the headers to send with the PUT (besides Host and Content-Length, which must be `size`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly size: number;
}

export interface OpenedDeposit {
  readonly depositId: string;
  readonly enterpriseId: string;
  readonly period: Period;
  readonly expiresAt: string;
  /** Evidence first, the report last: upload in this order (the report starts validation). */
  readonly uploads: readonly Upload[];
}

type Refused = { readonly ok: false; readonly refusal: { readonly code: OpenDepositRefusalCode; readonly message: { zh: string; en: string } } };
const badRequest = (zh: string, en: string): Refused => refused('bad-request', zh, en);

/** The first thing wrong with the declared files, or undefined. */
function fileProblem(body: OpenDepositBody, keyOf: (role: Upload['role'], fileName: string) => string, limits: CheckSettings['evidence']): Refused | undefined {
  for (const [role, file] of [...body.evidence.map((f) => ['evidence', f] as const), ['report', body.report] as const]) {
    const reading = parseDepositKey(keyOf(role, file.fileName));
    if (!reading.ok)
      return badRequest(
        `文件名“${file.fileName.slice(0, 80)}”不可用：${reading.reason}`,
        `the file name "${file.fileName.slice(0, 80)}" cannot be used: ${reading.reason}`,
      );
  }
  if (!formatOfFileName(body.report.fileName))
    return badRequest(
      `报表“${body.report.fileName}”的格式无法读取：请另存为 XLSX 或 CSV（也接受 JSON）`,
      `the report "${body.report.fileName}" is not in a format that is read: save as XLSX or CSV (JSON is read too)`,
    );
  if (body.report.size > MAX_REPORT_BYTES)
    return badRequest(`报表超过 ${MAX_REPORT_BYTES} 字节（${body.report.size}）`, `the report is larger than ${MAX_REPORT_BYTES} bytes (${body.report.size})`);
  if (body.evidence.length > limits.maxFiles)
    return badRequest(`证据文件最多 ${limits.maxFiles} 个（${body.evidence.length}）`, `at most ${limits.maxFiles} evidence files (${body.evidence.length})`);
  const seen = new Set<string>();
  for (const file of body.evidence) {
    // Names that differ only in case or Unicode form are one file to the people who open them.
    const name = file.fileName.normalize('NFC').toLowerCase();
    if (seen.has(name)) return badRequest(`证据文件名重复：${file.fileName}`, `two evidence files are named ${file.fileName}`);
    seen.add(name);
    const type = typeOfExtension(file.fileName);
    if (!type || !limits.allowedTypes.includes(type))
      return badRequest(
        `证据文件“${file.fileName}”的类型不被接受（可用：${limits.allowedTypes.join('、')}）`,
        `the evidence file "${file.fileName}" is not of an accepted type (${limits.allowedTypes.join(', ')})`,
      );
    if (file.size > limits.maxBytes)
      return badRequest(
        `证据文件“${file.fileName}”超过 ${limits.maxBytes} 字节`,
        `the evidence file "${file.fileName}" is larger than ${limits.maxBytes} bytes`,
      );
  }
  return undefined;
}

export async function openDeposit(
  deps: OpenDepositDeps,
  caller: Principal,
  enterpriseId: string,
  body: OpenDepositBody,
): Promise<Outcome<OpenedDeposit, OpenDepositRefusalCode>> {
  // Only the enterprise itself deposits: its token's credit code must be the path's.
  if (caller.role !== 'enterprise') return refused('forbidden', '只有企业本身可以提交存证', 'only the enterprise itself deposits');
  const ruling = readRuling(caller, { enterpriseId, province: '', city: '' });
  if (!ruling.ok) return { ok: false, refusal: { code: ruling.code, message: ruling.message } };
  if (!(await deps.registry.get(enterpriseId)))
    return refused(
      'not-found',
      `企业 ${enterpriseId} 不在重点排放单位名录中，请联系主管部门登记后再提交`,
      `enterprise ${enterpriseId} is not in the registry of obliged enterprises: ask your department to register it first`,
    );
  const now = deps.now();
  const depositId = deps.newDepositId(now);
  const folder = { enterpriseId, period: body.period, depositId };
  const keyOf = (role: Upload['role'], fileName: string) => (role === 'report' ? reportKey({ ...folder, fileName }) : evidenceKey({ ...folder, fileName }));
  const problem = fileProblem(body, keyOf, deps.evidence);
  if (problem) return problem;
  const files = [...body.evidence.map((file) => ({ role: 'evidence' as const, file })), { role: 'report' as const, file: body.report }];
  const uploads = await Promise.all(
    files.map(async ({ role, file }): Promise<Upload> => {
      const key = keyOf(role, file.fileName);
      const link = await deps.links.putLink({ key, size: file.size, sha256Base64: Buffer.from(file.sha256, 'hex').toString('base64') }, UPLOAD_LINK_SECONDS);
      return { role, fileName: file.fileName, key, method: 'PUT', url: link.url, headers: link.headers, size: file.size };
    }),
  );
  return ok({ depositId, enterpriseId, period: body.period, expiresAt: new Date(now.getTime() + UPLOAD_LINK_SECONDS * 1000).toISOString(), uploads });
}
