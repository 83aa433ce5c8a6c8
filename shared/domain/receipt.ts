/**
 * The receipt (回执): what the ledger recorded for one attempt, in a form anyone can check later
 * without trusting the system — canonical JSON (RFC 8785, JCS) signed with the deployment's
 * P-256 key. The signature covers every field except `signature` itself; the verifier needs only
 * the published public key (node:crypto, WebCrypto after DER → r‖s, or `openssl dgst -verify`).
 *
 * Pure: no I/O and no clock; the issuing time is passed in, files' hashes are read by the caller.
 */
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { Attempt } from './attempt.ts';
import { zodIssuesText } from './zod-issues.ts';
import { VerdictSchema } from './issues.ts';

export const RECEIPT_VERSION = 1;
/** The KMS name of the scheme: ECDSA over P-256 with SHA-256 of the canonical bytes. */
export const RECEIPT_SIGNATURE_ALG = 'ECDSA_SHA_256';
/** KMS returns ASN.1 DER (SEQUENCE of r, s); the twin's key-file signer produces the same. */
export const RECEIPT_SIGNATURE_ENCODING = 'der';

/** One instant twice: as stored (UTC) and as the enterprise reads it (Beijing time). */
export const InstantSchema = z.strictObject({
  utc: z.string(),
  shanghai: z.string(),
});
export type Instant = z.infer<typeof InstantSchema>;

export const ReceiptKindSchema = z.enum(['attempt-recorded', 'decision-recorded']);
export type ReceiptKind = z.infer<typeof ReceiptKindSchema>;

export const ReceiptFileSchema = z.strictObject({
  role: z.enum(['report', 'evidence']),
  fileName: z.string(),
  key: z.string(),
  /** The S3 object version the attempt recorded; null where the bucket keeps none (the twin). */
  versionId: z.string().nullable(),
  size: z.number().int(),
  /** Hex; null for a file that was present but could not be read (archived, customer-encrypted). */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
});
export type ReceiptFile = z.infer<typeof ReceiptFileSchema>;

export const ReceiptDecisionSchema = z.strictObject({
  outcome: z.enum(['accept', 'return']),
  level: z.enum(['city', 'province']),
  decidedAt: InstantSchema,
  comment: z.string(),
});

export const ReceiptBodySchema = z.strictObject({
  receiptVersion: z.literal(RECEIPT_VERSION),
  kind: ReceiptKindSchema,
  issuedAt: z.string(),
  enterpriseId: z.string(),
  period: z.string(),
  attempt: z.strictObject({
    attemptId: z.string(),
    /** Position in the month's attempts by receipt time; null for an upload naming no enterprise and month. */
    number: z.number().int().positive().nullable(),
    depositId: z.string(),
    reportKey: z.string(),
    reportVersion: z.string(),
  }),
  receivedAt: InstantSchema,
  timeliness: z.strictObject({
    lastDay: z.string(),
    dueAt: InstantSchema,
    onTime: z.boolean(),
    lateBySeconds: z.number().int(),
  }),
  verdict: z.strictObject({
    /** What the checks concluded at intake. */
    machine: VerdictSchema,
    /** The attempt's standing now: the machine's, or the reviewer's final word. */
    current: VerdictSchema,
    errors: z.number().int(),
    warnings: z.number().int(),
    decision: ReceiptDecisionSchema.nullable(),
  }),
  files: z.array(ReceiptFileSchema),
});
export type ReceiptBody = z.infer<typeof ReceiptBodySchema>;

export const ReceiptSignatureSchema = z.strictObject({
  alg: z.literal(RECEIPT_SIGNATURE_ALG),
  encoding: z.literal(RECEIPT_SIGNATURE_ENCODING),
  /** Which key signed: the KMS key ARN in the cloud, the key's fingerprint on the twin. A hint, not signed. */
  keyId: z.string(),
  /** Base64 of the DER signature over `receiptBytes(body)`. */
  value: z.string().min(1),
});
export type ReceiptSignature = z.infer<typeof ReceiptSignatureSchema>;

export const ReceiptSchema = ReceiptBodySchema.extend({ signature: ReceiptSignatureSchema });
export type Receipt = z.infer<typeof ReceiptSchema>;

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Beijing time as an ISO string with its offset. China has kept UTC+8 without DST since 1991. */
export function shanghaiIso(utcIso: string): string {
  return new Date(Date.parse(utcIso) + SHANGHAI_OFFSET_MS).toISOString().replace(/Z$/, '+08:00');
}

function instant(utcIso: string): Instant {
  return { utc: new Date(Date.parse(utcIso)).toISOString(), shanghai: shanghaiIso(utcIso) };
}

/** The receipt of an attempt as it is recorded now (unsigned). */
export function receiptOf(attempt: Attempt, attemptNumber: number | null, issuedAt: Date): ReceiptBody {
  const { decision } = attempt;
  return {
    receiptVersion: RECEIPT_VERSION,
    kind: decision ? 'decision-recorded' : 'attempt-recorded',
    issuedAt: issuedAt.toISOString(),
    enterpriseId: attempt.enterpriseId,
    period: attempt.period,
    attempt: {
      attemptId: attempt.attemptId,
      number: attemptNumber !== null && attemptNumber > 0 ? attemptNumber : null,
      depositId: attempt.depositId,
      reportKey: attempt.reportKey,
      reportVersion: attempt.reportVersion,
    },
    receivedAt: instant(attempt.receivedAt),
    timeliness: {
      lastDay: attempt.timeliness.lastDay,
      dueAt: instant(attempt.timeliness.dueAt),
      onTime: attempt.timeliness.onTime,
      lateBySeconds: attempt.timeliness.lateBySeconds,
    },
    verdict: {
      machine: attempt.validation.verdict,
      current: attempt.verdict,
      errors: attempt.validation.stats.errors,
      warnings: attempt.validation.stats.warnings,
      decision: decision ? { outcome: decision.outcome, level: decision.level, decidedAt: instant(decision.decidedAt), comment: decision.comment } : null,
    },
    files: attempt.files.map((file) => ({
      role: file.role,
      fileName: file.fileName,
      key: file.key,
      versionId: file.versionId ?? null,
      size: file.size,
      sha256: file.sha256 === '' ? null : file.sha256,
    })),
  };
}

/** The bytes that are signed: the RFC 8785 canonical JSON of everything but the signature, UTF-8. */
export function receiptBytes(receipt: ReceiptBody | Receipt): Uint8Array {
  const { signature: _signature, ...body } = receipt as Receipt;
  const text = canonicalize(body);
  if (text === undefined) throw new TypeError('a receipt body always serialises');
  return new TextEncoder().encode(text);
}

export function signedReceipt(body: ReceiptBody, signature: { keyId: string; alg: string; value: string }): Receipt {
  if (signature.alg !== RECEIPT_SIGNATURE_ALG) throw new Error(`receipts are signed with ${RECEIPT_SIGNATURE_ALG}, not ${signature.alg}`);
  return { ...body, signature: { alg: RECEIPT_SIGNATURE_ALG, encoding: RECEIPT_SIGNATURE_ENCODING, keyId: signature.keyId, value: signature.value } };
}

/** What a caller needs to verify receipts, in the two forms tools take. */
export interface PublishedReceiptKey {
  readonly alg: typeof RECEIPT_SIGNATURE_ALG;
  readonly encoding: typeof RECEIPT_SIGNATURE_ENCODING;
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex: compare it with the one published out of band. */
  readonly fingerprint: string;
  readonly publicKeyPem: string;
  readonly jwk: Record<string, unknown>;
}

export function keyFingerprint(publicKey: string | KeyObject): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256')
    .update(key.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}

export function publishedReceiptKey(publicKeyPem: string): PublishedReceiptKey {
  const key = createPublicKey(publicKeyPem);
  return {
    alg: RECEIPT_SIGNATURE_ALG,
    encoding: RECEIPT_SIGNATURE_ENCODING,
    fingerprint: keyFingerprint(key),
    publicKeyPem: key.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: key.export({ format: 'jwk' }) as Record<string, unknown>,
  };
}

export type ReceiptProblemCode = 'malformed' | 'bad-signature' | 'file-mismatch' | 'file-not-in-receipt';

export interface ReceiptProblem {
  readonly code: ReceiptProblemCode;
  readonly fileName?: string;
  readonly message: { readonly zh: string; readonly en: string };
}

/** A file the verifier was handed, already hashed. */
export interface PresentedFile {
  readonly fileName: string;
  readonly sha256: string;
}

export interface FileCheck {
  readonly fileName: string;
  readonly expected?: string;
  readonly actual: string;
  readonly matches: boolean;
}

export interface ReceiptCheck {
  readonly valid: boolean;
  /** The parsed receipt, when it had a receipt's shape. */
  readonly receipt?: Receipt;
  readonly signatureValid: boolean;
  readonly files: readonly FileCheck[];
  readonly problems: readonly ReceiptProblem[];
}

/**
 * Checks a receipt with nothing but the public key: its shape (no field added or missing), the
 * signature over its canonical bytes, and — for each presented file — that a file of that name is
 * in the receipt with that SHA-256. Files of the receipt that are not presented are not checked.
 * Never throws for a bad receipt or key: the answer says what is wrong.
 */
export function verifyReceipt(input: unknown, publicKey: string | KeyObject, files: readonly PresentedFile[] = []): ReceiptCheck {
  const parsed = ReceiptSchema.safeParse(input);
  if (!parsed.success) {
    const detail = zodIssuesText(parsed.error, { whole: 'receipt' });
    return {
      valid: false,
      signatureValid: false,
      files: [],
      problems: [{ code: 'malformed', message: { zh: `不是有效的回执：${detail}`, en: `not a valid receipt: ${detail}` } }],
    };
  }
  const receipt = parsed.data;
  const problems: ReceiptProblem[] = [];
  const signatureValid = signatureHolds(receipt, publicKey);
  if (!signatureValid)
    problems.push({
      code: 'bad-signature',
      message: {
        zh: '签名无效：回执内容已被改动，或并非由该公钥对应的私钥签发',
        en: 'the signature does not hold: the receipt was altered, or not signed by this public key',
      },
    });
  const checks = files.map((file): FileCheck => {
    const recorded = receipt.files.filter((f) => f.fileName === file.fileName);
    const actual = file.sha256.toLowerCase();
    const expected = recorded.find((f) => f.sha256 === actual)?.sha256 ?? recorded[0]?.sha256 ?? undefined;
    const matches = expected === actual;
    if (recorded.length === 0)
      problems.push({
        code: 'file-not-in-receipt',
        fileName: file.fileName,
        message: { zh: `回执中没有名为 ${file.fileName} 的文件`, en: `the receipt lists no file named ${file.fileName}` },
      });
    else if (!matches)
      problems.push({
        code: 'file-mismatch',
        fileName: file.fileName,
        message: {
          zh: `${file.fileName} 的 SHA-256 与回执不符（回执 ${expected ?? '无'}，文件 ${actual}）`,
          en: `${file.fileName}: SHA-256 differs from the receipt (receipt ${expected ?? 'none'}, file ${actual})`,
        },
      });
    return { fileName: file.fileName, ...(expected ? { expected } : {}), actual, matches };
  });
  return { valid: problems.length === 0, receipt, signatureValid, files: checks, problems };
}

function signatureHolds(receipt: Receipt, publicKey: string | KeyObject): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false;
    return verify('sha256', receiptBytes(receipt), { key, dsaEncoding: 'der' }, Buffer.from(receipt.signature.value, 'base64'));
  } catch {
    // A key that does not parse or a signature that is not DER: not a valid receipt under this key.
    return false;
  }
}
