/**
 * What a rule over a parsed report sees: the report, the registry entry, the evidence files as
 * read, the deployment's thresholds and the enterprise's earlier accepted months. Types only,
 * below the rules (checks.ts, history-checks.ts) that share them.
 */
import type { CheckSettings } from './check-settings.ts';
import type { Enterprise } from './registry.ts';
import type { MonthlyReport } from './report.ts';

/**
 * An evidence file the report names, as the pipeline found it in the deposit's folder. `sha256` is computed over a
 * stream; `head` is the file's first bytes (at least `EVIDENCE_HEAD_BYTES` where the file is that
 * long), read from the same stream, so the type is judged by content. Without `head` the type
 * checks are skipped. `unreadable` says why a file that is in the folder could not be read
 * (archived, encrypted with a customer key, access denied…): EVD-EVIDENCE-UNREADABLE reports it
 * and every other evidence check passes over it, since its size, hash and bytes are not known.
 */
export interface EvidenceFile {
  readonly fileName: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly head?: Uint8Array;
  readonly unreadable?: string;
}

/** An earlier month of the same enterprise as the ledger recorded it (its accepted attempt). */
export interface PriorMonth {
  readonly period: string;
  readonly attemptId?: string;
  readonly report: MonthlyReport;
  /** The evidence files of that attempt, with the SHA-256 the pipeline computed. */
  readonly evidence: readonly { readonly fileName: string; readonly sha256: string }[];
}

export interface CheckContext {
  readonly report: MonthlyReport;
  readonly enterprise: Enterprise;
  readonly evidence: readonly EvidenceFile[];
  /** Thresholds; defaults when absent. */
  readonly settings?: CheckSettings;
  /** Earlier accepted months of the same enterprise, for the history signals; none when absent. */
  readonly history?: readonly PriorMonth[];
}

/** What a rule sees: the context with settings and history filled in. */
export interface ResolvedCheckContext extends CheckContext {
  readonly settings: CheckSettings;
  readonly history: readonly PriorMonth[];
}
