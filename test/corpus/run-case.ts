/**
 * Runs a corpus case through `validateDeposit` the way the pipeline does: evidence files become
 * `EvidenceFile`s (size, streamed SHA-256, first bytes), earlier deposits become the ledger's
 * history (validated first; a runner must check they were accepted).
 */
import { createHash } from 'node:crypto';
import { CheckSettingsSchema } from '#domain/check-settings.ts';
import type { EvidenceFile } from '#domain/checks.ts';
import { evidenceKey } from '#domain/deposit-key.ts';
import { EVIDENCE_HEAD_BYTES } from '#domain/file-types.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import type { Enterprise } from '#domain/registry.ts';
import { type DepositValidation, validateDeposit } from '#domain/validate.ts';
import type { CorpusCase, CorpusDeposit } from './cases.ts';

export function evidenceFilesOf(deposit: CorpusDeposit): EvidenceFile[] {
  return deposit.files.evidence.map((f) => {
    const key = evidenceKey({ enterpriseId: deposit.enterpriseId, period: deposit.period, depositId: deposit.depositId, fileName: f.fileName });
    // An unreadable file: its listing size is known, its bytes (hash, head) are not.
    if (f.unreadable !== undefined) return { fileName: f.fileName, key, size: f.bytes.length, sha256: '', unreadable: f.unreadable };
    return {
      fileName: f.fileName,
      key,
      size: f.bytes.length,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
      head: f.bytes.subarray(0, EVIDENCE_HEAD_BYTES),
    };
  });
}

export function validateCorpusDeposit(
  deposit: CorpusDeposit,
  extra: { enterprise?: Enterprise; history?: readonly PriorMonth[]; keyReused?: boolean; settings?: CorpusCase['settings'] },
): Promise<DepositValidation> {
  const { report } = deposit.files;
  return validateDeposit({
    key: { kind: 'report', enterpriseId: deposit.enterpriseId, period: deposit.period, depositId: deposit.depositId, fileName: report.fileName },
    reportSize: report.bytes.length,
    reportBytes: report.bytes,
    evidence: evidenceFilesOf(deposit),
    receivedAt: new Date(deposit.receivedAt),
    ...(extra.enterprise ? { enterprise: extra.enterprise } : {}),
    ...(extra.history ? { history: extra.history } : {}),
    ...(extra.keyReused ? { keyReused: true } : {}),
    ...(extra.settings ? { settings: CheckSettingsSchema.parse(extra.settings) } : {}),
  });
}

export interface CaseRun {
  readonly result: DepositValidation;
  /** The verdicts of the `before` deposits, oldest first. */
  readonly beforeVerdicts: string[];
}

export async function runCase(c: CorpusCase): Promise<CaseRun> {
  const history: PriorMonth[] = [];
  const beforeVerdicts: string[] = [];
  for (const earlier of c.before ?? []) {
    const { validation, report } = await validateCorpusDeposit(earlier, { ...(c.enterprise ? { enterprise: c.enterprise } : {}), history });
    beforeVerdicts.push(validation.verdict);
    if (report) history.push({ period: earlier.period, report, evidence: evidenceFilesOf(earlier).map(({ fileName, sha256 }) => ({ fileName, sha256 })) });
  }
  const result = await validateCorpusDeposit(c, {
    ...(c.enterprise ? { enterprise: c.enterprise } : {}),
    ...(c.before ? { history } : {}),
    ...(c.keyReused ? { keyReused: true } : {}),
    ...(c.settings ? { settings: c.settings } : {}),
  });
  return { result, beforeVerdicts };
}

export const codesOf = (run: CaseRun) => [...new Set(run.result.validation.issues.map((i) => i.code))].sort();
