/**
 * What the intake use case needs from the outside world. AWS adapters implement these
 * (shared/adapters); tests hand in fakes or adapters pointed at the local twin.
 */
import type { Attempt, EnterprisePeriod } from '#domain/attempt.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { ReviewMessage } from '#domain/review-message.ts';

export interface StoredObject {
  readonly key: string;
  readonly size: number;
}

export interface ObjectDigest {
  readonly sha256: string;
  /** The first EVIDENCE_HEAD_BYTES bytes (fewer for a shorter file). */
  readonly head: Uint8Array;
}

export interface DepositStore {
  /** The whole object; only called for files already known to be small. */
  read(key: string): Promise<Uint8Array>;
  /** Every object under `prefix`, following continuation tokens. */
  list(prefix: string): Promise<StoredObject[]>;
  /**
   * SHA-256 (hex) of an object and its first bytes (for type checks by content), from one
   * streamed read: never holds the whole file in memory.
   */
  digest(key: string): Promise<ObjectDigest>;
}

export interface RegistryReader {
  get(enterpriseId: string): Promise<Enterprise | undefined>;
}

export type RecordOutcome = 'recorded' | 'duplicate' | 'conflict';

export interface Ledger {
  getDeposit(enterpriseId: string, period: string): Promise<EnterprisePeriod | undefined>;
  getAttempt(enterpriseId: string, period: string, attemptId: string): Promise<Attempt | undefined>;
  /**
   * Writes the attempt and the enterprise-period record in one transaction: the attempt only if
   * it is new, the record only if it is still at `expectedVersion` (undefined: must not exist).
   */
  recordAttempt(attempt: Attempt, record: EnterprisePeriod, expectedVersion: number | undefined): Promise<RecordOutcome>;
  /** Records an upload that names no enterprise and month; 'duplicate' if it already was. */
  recordUnattributed(attempt: Attempt): Promise<'recorded' | 'duplicate'>;
  /** Notes that the attempt's review message is on the queue; true if this call set it. */
  markReviewQueued(attempt: Pick<Attempt, 'enterpriseId' | 'period' | 'attemptId'>, at: string): Promise<boolean>;
  reviewQueuedAt(attempt: Pick<Attempt, 'enterpriseId' | 'period' | 'attemptId'>): Promise<string | undefined>;
}

export interface HistoryReader {
  /**
   * The enterprise's accepted months in the `months` periods before `period` (newest first, at
   * most one per period), read by key range, never by scan: the history-aware checks' input.
   */
  acceptedMonths(enterpriseId: string, period: string, months: number): Promise<PriorMonth[]>;
}

export interface ReviewQueue {
  send(message: ReviewMessage): Promise<void>;
}
