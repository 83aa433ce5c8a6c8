/**
 * What the intake use case needs from the outside world. AWS adapters implement these
 * (shared/adapters); tests hand in fakes or adapters pointed at the local twin.
 */
import type { Attempt, DepositFile, EnterprisePeriod } from '#domain/attempt.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import type { UnreadableReason } from '#domain/object-faults.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { ReviewMessage } from '#domain/review-message.ts';

export type { UnreadableReason };

/** What one GET returned, or why it could not. */
export type ObjectRead<T> = { readonly ok: true; readonly object: T } | { readonly ok: false; readonly reason: UnreadableReason };

/** Which object version a read returned: the S3 version id where the bucket is versioned, and the ETag. */
export interface ObjectVersion {
  readonly versionId?: string;
  /** Without quotes. */
  readonly eTag: string;
}

export interface StoredObject extends ObjectVersion {
  readonly bytes: Uint8Array;
}

export interface ObjectDigest extends ObjectVersion {
  readonly size: number;
  /** Hex. */
  readonly sha256: string;
  /** The first EVIDENCE_HEAD_BYTES bytes (fewer for a shorter file). */
  readonly head: Uint8Array;
}

export interface DepositStore {
  /** The whole object (the version named, else the current one); only called for files already known to be small. */
  read(key: string, versionId?: string): Promise<ObjectRead<StoredObject>>;
  /**
   * An object's size, SHA-256 and first bytes (for type checks by content) from one GET. Where S3
   * holds a full-object SHA-256 checksum the body is read only as far as its first bytes; otherwise
   * it is streamed through the hash, never held whole.
   */
  digest(key: string, versionId?: string): Promise<ObjectRead<ObjectDigest>>;
  /**
   * Writes an object the pipeline owns (an attempt's full validation report) once; a second write
   * of the same key (a redelivered event) keeps the first and is not an error.
   */
  putOnce(key: string, body: string, contentType: string): Promise<void>;
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
  /**
   * Writes the attempt alone, if new: an upload that names no enterprise and month, or one beyond
   * what its enterprise-period record can list. 'duplicate' if it already was.
   */
  recordAttemptOnly(attempt: Attempt): Promise<'recorded' | 'duplicate'>;
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

/** A report object in the deposit bucket as a listing shows it (one version of it, where versioned). */
export interface ReportObject {
  readonly key: string;
  /** Absent where the bucket is not versioned (the twin), or for an object stored before versioning. */
  readonly versionId?: string;
  /** Unquoted, as an S3 event carries it. */
  readonly eTag: string;
  readonly size: number;
  /** ISO time S3 stored it. */
  readonly lastModified: string;
}

/** Lists the bucket's report uploads; the reconciliation's view of the source of truth. */
export interface ReportObjects {
  /** Every report upload (every version where versioned) modified after `since` when given, a page at a time. */
  pages(since?: Date): AsyncIterable<readonly ReportObject[]>;
  /** The receipt time to announce: the object's LastModified (on the twin, the simulated receipt time it carries). */
  receiptTimeOf(object: ReportObject): Promise<string>;
}

/** Where an attempt is (or would be) recorded in the attempts table. */
export interface AttemptLocation {
  readonly enterpriseId: string;
  readonly period: string;
  readonly attemptId: string;
}

export interface AttemptIndex {
  /** The attempt ids among `locations` that are recorded. */
  recorded(locations: readonly AttemptLocation[]): Promise<ReadonlySet<string>>;
}

/** A report upload as the bucket notification announces it (the shape intake's ReportUpload reads). */
export interface AnnouncedUpload {
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  readonly versionId?: string;
  /** The receipt time: the object's own, never the time it is announced. */
  readonly eventTime: string;
}

/** Hands report uploads to intake again, as the bucket notification would have. */
export interface IntakeAnnouncer {
  announce(uploads: readonly AnnouncedUpload[]): Promise<void>;
}

/** Signs receipts with the deployment's asymmetric key (KMS in the cloud, a key file on the twin). */
export interface ReceiptSigner {
  /** An ECDSA P-256 / SHA-256 signature over `bytes`, DER-encoded, base64 in `value`. */
  sign(bytes: Uint8Array): Promise<{ keyId: string; alg: string; value: string }>;
  /** The verifying key, SPKI PEM: what the deployment publishes. */
  publicKeyPem(): Promise<string>;
}

/** Finds a recorded attempt by id, and the month's record that numbers it. */
export interface AttemptLookup {
  findAttempt(attemptId: string): Promise<Attempt | undefined>;
  getDeposit(enterpriseId: string, period: string): Promise<EnterprisePeriod | undefined>;
}

// The nightly summary's ports (shared/app/nightly-summary.ts).
import type { Period } from '#domain/period.ts';
import type { PeriodSummary, ProblemRef, RatedRecord } from '#domain/rates.ts';

/** Items each table answered with: what a run cost, to compare with the items that exist. */
export interface ItemsRead {
  readonly registry: number;
  readonly deposits: number;
  readonly attempts: number;
}

/**
 * What the nightly job reads, by Query only. A reader serves one run: `itemsRead` counts what this
 * reader read, so two runs that overlap (the twin's scheduler and `evidence nightly`) never mix
 * their figures — each asks its `NightlyDeps.reader` for a fresh one.
 */
export interface PeriodReader {
  /** Every registered enterprise, in credit-code order within province order. */
  registry(): Promise<Enterprise[]>;
  /** The period's enterprise-period records, credit-code order. */
  recordsOf(period: Period): Promise<RatedRecord[]>;
  /** Problems per attemptId for the enterprises' attempts in periods `from`..`to`. */
  problemsOf(enterpriseIds: readonly string[], from: Period, to: Period): Promise<Map<string, ProblemRef[]>>;
  /** Items this reader has read so far. */
  readonly itemsRead: ItemsRead;
}

/** A write that is skipped when the stored content is already the same. */
export type WriteOutcome = 'written' | 'unchanged';

export interface SummaryStore {
  /** 'written' if the stored figures changed (or were absent), else 'unchanged'. */
  put(summary: PeriodSummary, computedAt: string): Promise<WriteOutcome>;
}

/** One export object: a period's summaries or standings as JSON or CSV. */
export interface ExportFile {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
}

export interface ExportStore {
  /** Rewrites the object only when its bytes change. */
  put(file: ExportFile): Promise<WriteOutcome>;
}

/**
 * A review message as a reviewer holds it: the handle that settles it, and what it asks for —
 * or, where the body is no review message, why (it is left for the queue's DLQ, which says so).
 */
export type HeldReview = { readonly messageId: string; readonly receiptHandle: string } & (
  | { readonly ok: true; readonly review: ReviewMessage }
  | { readonly ok: false; readonly problem: string }
);

/** The review queue as a reviewer reads it: one message at a time, held (invisible to others) while they decide. */
export interface ReviewInbox {
  /** The next message, waiting up to `waitSeconds` for one; undefined when none came. */
  receive(waitSeconds: number): Promise<HeldReview | undefined>;
  /** Keep holding it: invisible to other reviewers for `seconds` from now. */
  extend(held: HeldReview, seconds: number): Promise<void>;
  /** Let the next reviewer have it now. */
  handBack(held: HeldReview): Promise<void>;
  /** What it asked for is settled: the message goes. */
  delete(held: HeldReview): Promise<void>;
}

// The department queries' ports (shared/app/department-queries.ts), the review decision's
// (shared/app/review-decision.ts) and showing an attempt (shared/app/show-attempt.ts).
import type { ReviewRuling } from '#domain/review.ts';

/** A nightly summary as stored: the figures, when they were computed and their content hash. */
export type StoredSummary = PeriodSummary & {
  readonly computedAt: string;
  readonly contentHash: string;
};

export interface SummaryRange {
  /** A scope's stored summaries for periods `from`..`to`, oldest first. */
  range(scope: string, from: Period, to: Period): Promise<StoredSummary[]>;
}

/** What the department queries read from the registry and the ledger, by Query and Get only. */
export interface DepartmentReader {
  /** The registered enterprises of these provinces (every province when absent). */
  registry(provinces?: readonly string[]): Promise<Enterprise[]>;
  /** The period's enterprise-period records. */
  recordsOf(period: Period): Promise<RatedRecord[]>;
  /** An enterprise's enterprise-period records, oldest period first. */
  historyOf(enterpriseId: string): Promise<RatedRecord[]>;
  enterprise(enterpriseId: string): Promise<Enterprise | undefined>;
}

export type Ruling = Extract<ReviewRuling, { kind: 'decide' | 'escalate' }>;

/**
 * 'attempt-changed': the attempt was decided or escalated meanwhile; 'conflict': the record moved on;
 * 'too-large': the store refused the attempt item as too large (the domain's size budget should
 * have refused it first; this keeps the caller's text from ever becoming a fault).
 */
export type RulingWriteOutcome = 'recorded' | 'attempt-changed' | 'conflict' | 'too-large';

/** Where reviewers' decisions are recorded: on the attempt and on its enterprise-period record. */
export interface DecisionStore extends AttemptLookup {
  /**
   * Writes the ruling onto the attempt (only if it carries no decision, nor an escalation when
   * escalating) and the record (only if still at `expectedVersion`), both or neither.
   */
  recordRuling(attempt: Attempt, ruling: Ruling, record: EnterprisePeriod, expectedVersion: number): Promise<RulingWriteOutcome>;
  /** Notes that the escalated attempt is on the review queue for the province; true if this call set it. */
  markEscalationQueued(attempt: AttemptLocation, at: string): Promise<boolean>;
  escalationQueuedAt(attempt: AttemptLocation): Promise<string | undefined>;
}

/** What the attempt page shows of each attempt of the month beside the record's summary: who decided. */
export type MonthDecision = Pick<Attempt, 'attemptId'> & Partial<Pick<Attempt, 'decision' | 'escalation'>>;

/** An attempt for its reader (shared/app/show-attempt.ts): the attempt, its month, and links to its files. */
export interface AttemptPageReader extends AttemptLookup {
  /** The decisions and escalations on the month's attempts (one Query, only those attributes). */
  monthDecisions(enterpriseId: string, period: string): Promise<MonthDecision[]>;
}

/** Links that serve a file exactly as the attempt recorded it (its version, its detected type). */
export interface FileLinks {
  linkTo(file: DepositFile): Promise<string>;
}

// The reviewers' inbox (shared/app/review-inbox.ts).
import type { InboxAttempt } from '#domain/inbox.ts';

/** Where a page of the inbox starts: just after this entry (the index's key, less the partition). */
export interface InboxPosition {
  readonly inboxSince: string;
  readonly enterpriseId: string;
  readonly period: string;
}

export interface InboxQuery {
  /** The partition: `city#360100` or `province#360000` (shared/domain/inbox.ts). */
  readonly inbox: string;
  /** Only this city's (a GB/T 2260 code): narrows a province's inbox. */
  readonly city?: string;
  readonly enterpriseId?: string;
  readonly period?: string;
  /** Only attempts with at least one issue of this severity. */
  readonly severity?: 'errors' | 'warnings';
  /** Only late (true) or on-time (false) attempts. */
  readonly late?: boolean;
  readonly limit: number;
  readonly after?: InboxPosition;
}

/** One waiting record, as the index holds it. */
export interface InboxRow {
  readonly enterpriseId: string;
  readonly period: string;
  readonly province: string;
  readonly city: string;
  readonly industry: string;
  readonly inboxSince: string;
  readonly attempt: InboxAttempt;
}

export interface InboxPage {
  readonly rows: readonly InboxRow[];
  /** Where the next page starts; absent when this page is the last. */
  readonly next?: InboxPosition;
}

/** The byInbox index, by Query only. */
export interface InboxReader {
  page(query: InboxQuery): Promise<InboxPage>;
  /** How many wait in the inbox, whatever the filters, by city code. */
  countsByCity(inbox: string): Promise<ReadonlyMap<string, number>>;
}

/** The registry's names for enterprises, where it has them. */
export interface EnterpriseNames {
  namesOf(enterpriseIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

// Intake's wait for evidence uploaded after its report (shared/app/record-deposit.ts).

/** Hands a report upload back to intake after a delay, as the same S3 event again. */
export interface IntakeRequeue {
  /**
   * Announces `upload` to intake again in `delaySeconds` (at most 900, SQS's limit), carrying its
   * own event time and `waited`, how many times intake will then have waited for its evidence.
   */
  later(upload: AnnouncedUpload, delaySeconds: number, waited: number): Promise<void>;
}

// The enterprise's deposit opening (shared/app/open-deposit.ts), the department's exports and
// league (shared/app/department-queries.ts) and the registry's administration
// (shared/app/registry-admin.ts).

/** One presigned request: where to send it and exactly the headers it was signed with. */
export interface PresignedRequest {
  readonly url: string;
  /** Every header the signature covers that the client must set itself (Host and Content-Length aside). */
  readonly headers: Readonly<Record<string, string>>;
}

/** A write-once upload of one deposit file, as the enterprise's client will send it. */
export interface UploadSpec {
  readonly key: string;
  /** Exact bytes: the signature pins Content-Length. */
  readonly size: number;
  /** Base64 of the declared SHA-256: S3 refuses a body with another. */
  readonly sha256Base64: string;
}

/** Presigned PutObject links into the deposit bucket, each write-once (If-None-Match: *). */
export interface UploadLinks {
  putLink(spec: UploadSpec, expiresInSeconds: number): Promise<PresignedRequest>;
}

/** An object in the export bucket and a presigned GET to it. */
export interface ExportLink {
  readonly key: string;
  readonly size: number;
  readonly lastModified: string;
  readonly url: string;
}

/** The export bucket as a reader sees it: what lies under a prefix, each with a GET link. */
export interface ExportLinks {
  linksUnder(prefix: string, expiresInSeconds: number): Promise<ExportLink[]>;
}

/** One attempt of the ledger, for its issues (a history's latest attempt). */
export interface AttemptReader {
  getAttempt(enterpriseId: string, period: string, attemptId: string): Promise<Attempt | undefined>;
}

/** The registry as its administrator keeps it. */
export interface RegistryStore extends RegistryReader {
  /** Every entry of these province codes (every province when absent). */
  list(provinces?: readonly string[]): Promise<Enterprise[]>;
  /** Writes every entry (replacing an entry of the same credit code). */
  putAll(enterprises: readonly Enterprise[]): Promise<void>;
}

// Reminders and notices (shared/app/send-notices.ts).
import type { JurisdictionContact, NoticeTarget } from '#domain/contacts.ts';
import type { Message } from '#domain/notices.ts';

/** One way a notice leaves (e-mail over SMTP or SES, a group robot); throws when it did not go. */
export interface NoticeChannel {
  deliver(target: NoticeTarget, message: Message): Promise<void>;
}

/** A notice as the notices table keeps it. */
export interface NoticeRecord {
  /** `<what>:<channel>`: the same news to the same channel has the same id, whatever the run. */
  readonly noticeId: string;
  readonly kind: string;
  /** The enterprise's credit code or the jurisdiction (`city:360100`). */
  readonly recipient: string;
  readonly channel: NoticeTarget['channel'];
  readonly subject: string;
  readonly text: string;
  readonly createdAt: string;
}

export type NoticeSettlement =
  | { readonly status: 'sent'; readonly at: string; readonly tries: number }
  | { readonly status: 'dead-lettered'; readonly at: string; readonly tries: number; readonly error: string };

/** The notices table: what makes each notice go once. */
export interface NoticeLog {
  /** Writes the notice if its id is new; false when it was claimed before (sent, sending or dead-lettered). */
  claim(notice: NoticeRecord): Promise<boolean>;
  settle(noticeId: string, settlement: NoticeSettlement): Promise<void>;
}

/** An attempt with news not yet told, as the sparse index lists it. */
export interface PendingNotice {
  readonly location: AttemptLocation;
  /** When the latest news happened; clearing checks it is still this one. */
  readonly since: string;
}

/** Attempts whose recording, decision or escalation is not yet told (the byNoticePending index). */
export interface NoticeEvents {
  /** Pending attempts whose news happened at or before `until`, oldest first. */
  pending(until: Date): Promise<PendingNotice[]>;
  /** Told: leaves the index, unless newer news (a decision) arrived meanwhile. */
  told(pending: PendingNotice): Promise<void>;
}

/** Jurisdictions' contacts: departments and reviewers. */
export interface ContactBook {
  jurisdictions(audience: JurisdictionContact['audience']): Promise<JurisdictionContact[]>;
}
