/**
 * The object key layout of the deposit bucket. A deposit is one folder per attempt (the
 * `depositId`, chosen by the uploader), with the evidence files uploaded first and the report
 * last: only objects under `reports/` start validation.
 *
 *   evidence/{enterpriseId}/{period}/{depositId}/{fileName}
 *   reports/{enterpriseId}/{period}/{depositId}/{fileName}.{csv|xlsx|json}
 */
import { PERIOD_PATTERN } from './period.ts';

export const REPORTS_PREFIX = 'reports/';
export const EVIDENCE_PREFIX = 'evidence/';
/** Objects the pipeline writes beside the deposits (an attempt too large for its ledger item); never an enterprise's. */
export const VALIDATION_PREFIX = 'validation/';
export const KEY_LAYOUT = 'reports/{enterpriseId}/{period}/{depositId}/{fileName}';

const ENTERPRISE_SEGMENT = /^[0-9A-Z]{18}$/;
const DEPOSIT_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// No path separators, no control characters, no leading dot, at most 200 characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class names the control characters to refuse.
const FILE_SEGMENT = /^(?!\.)[^/\\\u0000-\u001f\u007f]{1,200}$/;
export const MAX_KEY_LENGTH = 1024;

export interface DepositKey {
  readonly kind: 'report' | 'evidence';
  readonly enterpriseId: string;
  readonly period: string;
  readonly depositId: string;
  readonly fileName: string;
}

export type KeyReading = { ok: true; key: DepositKey } | { ok: false; reason: string };

/** S3 event notifications URL-encode keys (spaces as '+'). */
export function decodeEventKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return encoded;
  }
}

export function parseDepositKey(key: string): KeyReading {
  if (key.length > MAX_KEY_LENGTH) return { ok: false, reason: `key longer than ${MAX_KEY_LENGTH} characters` };
  const parts = key.split('/');
  const [root, enterpriseId = '', period = '', depositId = '', ...rest] = parts;
  const fileName = rest.join('/');
  const kind = root === 'reports' ? 'report' : root === 'evidence' ? 'evidence' : undefined;
  if (!kind) return { ok: false, reason: `key must start with ${REPORTS_PREFIX} or ${EVIDENCE_PREFIX}` };
  if (!ENTERPRISE_SEGMENT.test(enterpriseId)) return { ok: false, reason: `"${enterpriseId.slice(0, 40)}" is not an 18-character credit code` };
  if (!PERIOD_PATTERN.test(period)) return { ok: false, reason: `"${period.slice(0, 20)}" is not a period YYYY-MM` };
  if (!DEPOSIT_SEGMENT.test(depositId) || depositId.includes('..'))
    return { ok: false, reason: `"${depositId.slice(0, 70)}" is not a deposit id (1-64 of A-Z a-z 0-9 . _ -)` };
  if (rest.length !== 1 || !FILE_SEGMENT.test(fileName)) return { ok: false, reason: `"${fileName.slice(0, 70)}" is not a plain file name` };
  return { ok: true, key: { kind, enterpriseId, period, depositId, fileName } };
}

export function reportKey(k: Omit<DepositKey, 'kind'>): string {
  return `${REPORTS_PREFIX}${k.enterpriseId}/${k.period}/${k.depositId}/${k.fileName}`;
}

export function evidenceKey(k: Omit<DepositKey, 'kind'>): string {
  return `${EVIDENCE_PREFIX}${k.enterpriseId}/${k.period}/${k.depositId}/${k.fileName}`;
}

export function evidenceFolder(k: Pick<DepositKey, 'enterpriseId' | 'period' | 'depositId'>): string {
  return `${EVIDENCE_PREFIX}${k.enterpriseId}/${k.period}/${k.depositId}/`;
}
