/**
 * What the intake use case needs from the outside world. AWS adapters implement these
 * (shared/adapters); tests hand in fakes or adapters pointed at the local twin.
 */
import type { Attempt, EnterprisePeriod } from '#domain/attempt.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { ReviewMessage } from '#domain/review-message.ts';

export interface ObjectDigest {
  readonly size: number;
  /** Hex. */
  readonly sha256: string;
  /** The first EVIDENCE_HEAD_BYTES bytes (fewer for a shorter file). */
  readonly head: Uint8Array;
}

export interface DepositStore {
  /** The whole object; only called for files already known to be small. */
  read(key: string): Promise<Uint8Array>;
  /**
   * An object's size, SHA-256 and first bytes (for type checks by content) from one GET, or
   * undefined when there is no such object. Where S3 holds a full-object SHA-256 checksum the
   * body is read only as far as its first bytes; otherwise it is streamed through the hash,
   * never held whole.
   */
  digest(key: string): Promise<ObjectDigest | undefined>;
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

/** What intake knows before it validates: read in one request, by key, never by scan. */
export interface IntakeContext {
  readonly enterprise?: Enterprise;
  /** The enterprise-period record, when an attempt was recorded before. */
  readonly record?: EnterprisePeriod;
  /** The accepted months among the `months` periods before this one, newest first. */
  readonly history: readonly PriorMonth[];
}

export interface IntakeReader {
  intakeContext(enterpriseId: string, period: string, months: number): Promise<IntakeContext>;
}

export interface ReviewQueue {
  send(message: ReviewMessage): Promise<void>;
}
