/**
 * The intake use case: one report upload → a validated, timed attempt in the ledger, and a
 * review message when it has problems. Safe for at-least-once delivery: the attempt id comes
 * from the S3 object version, so a duplicate event finds its attempt and only finishes what a
 * crashed run left undone (the review message).
 *
 * Upload order does not matter: a report whose named evidence is not (yet) in its folder, received
 * less than `evidenceGraceSeconds` ago, is handed back to intake for a later look instead of being
 * recorded (`deferred`). Nothing is written before that, so a re-check that finds the attempt
 * recorded (two re-announcements after a crash) is a duplicate like any other.
 */
import { createHash } from 'node:crypto';
import { type Attempt, attemptIdOf, attemptNumber, type DepositFile, type EnterprisePeriod, summaryOf, withAttempt } from '#domain/attempt.ts';
import { type EvidenceFile, evidenceFilesToRead, issueOf } from '#domain/checks.ts';
import { type DeadlineRules, deadlineFor, timelinessOf } from '#domain/deadline.ts';
import { type DepositKey, evidenceKey, parseDepositKey } from '#domain/deposit-key.ts';
import { type Issue, summarise } from '#domain/issues.ts';
import { UNREADABLE_REASONS } from '#domain/object-faults.ts';
import { contentTypeOf } from '#domain/file-types.ts';
import { detailKeyOf, ledgerItemOf, MAX_ATTEMPTS_PER_RECORD, snapshotOf } from '#domain/attempt-size.ts';
import type { Enterprise } from '#domain/registry.ts';
import { reviewMessageOf } from '#domain/review-message.ts';
import { admitReport, readReport, validateDeposit } from '#domain/validate.ts';
import { type CheckSettings, DEFAULT_CHECK_SETTINGS } from '#domain/check-settings.ts';
import { mapLimit } from './map-limit.ts';
import type { DepositStore, IntakeContext, IntakeReader, IntakeRequeue, Ledger, ObjectVersion, RegistryReader, ReviewQueue } from './ports.ts';

export interface IntakeDeps {
  readonly store: DepositStore;
  readonly registry: RegistryReader;
  readonly ledger: Ledger;
  readonly reviewQueue: ReviewQueue;
  readonly deadlineRules: DeadlineRules;
  /** The catalogue's thresholds, look-back and evidence limits; `DEFAULT_CHECK_SETTINGS` when absent. */
  readonly settings?: CheckSettings;
  /** The registry entry, the month's record and the accepted look-back months, in one read. */
  readonly intake: IntakeReader;
  /**
   * Hands a report back to intake for a later look while its evidence may still be uploading.
   * Without it intake records at once, missing evidence and all (as before the grace existed).
   */
  readonly requeue?: IntakeRequeue;
  /** The wall clock, for `recordedAt` and the evidence grace only; receipt time always comes from the event. */
  readonly now: () => Date;
  /** Waits between contended writes (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** [0, 1) for the backoff's jitter (tests pass a fixed one). */
  readonly random?: () => number;
}

/** A report object as an S3 event describes it. */
export interface ReportUpload {
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  readonly versionId?: string;
  /** The S3 event time: the receipt time that decides timeliness. */
  readonly eventTime: string;
  /** How many times intake has already waited for this report's evidence (absent: none, the S3 event itself). */
  readonly evidenceWaits?: number;
}

export interface IntakeResult {
  readonly outcome: 'recorded' | 'duplicate' | 'unattributed';
  readonly attempt: Attempt;
  readonly attemptNumber: number;
  readonly reviewQueued: boolean;
}

/** Nothing recorded yet: the report comes back to intake in `delaySeconds`, its `waited`-th wait. */
export interface DeferredIntake {
  readonly outcome: 'deferred';
  readonly delaySeconds: number;
  readonly waited: number;
  /** The named evidence files its folder does not hold yet. */
  readonly missing: readonly string[];
}

export type IntakeOutcome = IntakeResult | DeferredIntake;

/** SQS's largest DelaySeconds. */
export const MAX_REQUEUE_DELAY_SECONDS = 900;

/** Key for uploads that cannot be attributed to an enterprise and month. */
export const UNATTRIBUTED = 'UNATTRIBUTED';
const HASH_CONCURRENCY = 4;

/**
 * Writes to one enterprise-period are optimistic (the record's version). Contenders back off with
 * full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): each retry waits a random
 * time up to a cap that doubles, so a burst spreads out instead of colliding again in lockstep.
 * Within one invocation uploads to the same enterprise-period are serialised by the handler, so
 * contenders are at most the invocations running at once (5 in the cloud, the twin's pollers).
 */
export const WRITE_RETRY = { tries: 24, baseMs: 20, capMs: 1_000 } as const;

const sha256Hex = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The enterprise and month an upload belongs to, or undefined when its key names none. */
export function enterprisePeriodOf(upload: Pick<ReportUpload, 'key'>): string | undefined {
  const reading = parseDepositKey(upload.key);
  return reading.ok && reading.key.kind === 'report' ? `${reading.key.enterpriseId}/${reading.key.period}` : undefined;
}

export async function recordDeposit(deps: IntakeDeps, upload: ReportUpload): Promise<IntakeOutcome> {
  const reportVersion = upload.versionId ?? upload.eTag;
  const attemptId = attemptIdOf(sha256Hex, upload.key, reportVersion);
  const reading = parseDepositKey(upload.key);
  if (!reading.ok || reading.key.kind !== 'report') {
    return recordUnattributed(deps, upload, attemptId, reportVersion, reading.ok ? 'evidence/ is not a report prefix' : reading.reason);
  }
  const key = reading.key;
  const context = await deps.intake.intakeContext(key.enterpriseId, key.period, settingsOf(deps).history.lookbackMonths);
  const { enterprise, record: existing } = context;
  if (existing?.attempts.some((a) => a.attemptId === attemptId)) {
    return finishDuplicate(deps, existing, key, attemptId);
  }
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  let record = existing;
  const built = await buildAttempt(deps, upload, key, attemptId, reportVersion, context);
  const wait = evidenceWaitOf(deps, upload, built.missing);
  if (wait && deps.requeue) {
    await deps.requeue.later(upload, wait.delaySeconds, wait.waited);
    return wait;
  }
  let attempt = built.attempt;
  // Cut to fit (and its detail object written) once, not on every contended try.
  let stored = await storable(deps, attempt);
  for (let tries = 0; tries < WRITE_RETRY.tries; tries++) {
    if (record && record.attempts.length >= MAX_ATTEMPTS_PER_RECORD) return recordOverflow(deps, attempt, record, enterprise);
    const next = withAttempt(record, scopeOf(key, enterprise), summaryOf(stored), snapshotOf(attempt));
    const outcome = await deps.ledger.recordAttempt(stored, next, record?.version);
    if (outcome === 'recorded') {
      const reviewQueued = await queueReviewIfNeeded(deps, stored, attemptNumber(next, attemptId), enterprise);
      return { outcome, attempt: stored, attemptNumber: attemptNumber(next, attemptId), reviewQueued };
    }
    // Another delivery of this very upload won the race.
    if (outcome === 'duplicate') return finishDuplicate(deps, await deps.ledger.getDeposit(key.enterpriseId, key.period), key, attemptId);
    // Another upload for the same enterprise-period landed in between: back off, re-read, re-apply.
    await sleep(random() * Math.min(WRITE_RETRY.capMs, WRITE_RETRY.baseMs * 2 ** tries));
    const reused = keyReusedIn(record, upload.key);
    record = await deps.ledger.getDeposit(key.enterpriseId, key.period);
    // What the attempt says may depend on the record (a report key already used): rebuild it then.
    if (keyReusedIn(record, upload.key) !== reused) {
      attempt = (await buildAttempt(deps, upload, key, attemptId, reportVersion, { ...context, ...(record ? { record } : {}) })).attempt;
      stored = await storable(deps, attempt);
    }
  }
  throw new Error(`could not record attempt ${attemptId} for ${key.enterpriseId} ${key.period}: still contended after ${WRITE_RETRY.tries} tries`);
}

/**
 * Whether to wait for missing named evidence rather than record the attempt now: only while the
 * report's receipt is younger than the grace, and at most a bounded number of times (so an event
 * time in the future — a skewed clock, a simulated receipt — cannot keep it waiting).
 */
function evidenceWaitOf(deps: IntakeDeps, upload: ReportUpload, missing: readonly string[]): DeferredIntake | undefined {
  if (!deps.requeue || missing.length === 0) return undefined;
  const { evidenceGraceSeconds: grace, evidenceRecheckSeconds: recheck } = settingsOf(deps);
  const waited = upload.evidenceWaits ?? 0;
  const remainingSeconds = grace - (deps.now().getTime() - Date.parse(upload.eventTime)) / 1000;
  // Written so that an unreadable event time (NaN) records at once.
  if (!(remainingSeconds > 0) || waited >= maxEvidenceWaits(grace, recheck)) return undefined;
  const delaySeconds = Math.min(MAX_REQUEUE_DELAY_SECONDS, Math.max(1, Math.ceil(Math.min(recheck, remainingSeconds))));
  return { outcome: 'deferred', delaySeconds, waited: waited + 1, missing };
}

/** Enough re-checks to cover the grace, and one more for a delivery that comes late. */
export const maxEvidenceWaits = (graceSeconds: number, recheckSeconds: number) => (graceSeconds > 0 ? Math.ceil(graceSeconds / recheckSeconds) + 1 : 0);

const keyReusedIn = (record: EnterprisePeriod | undefined, reportKey: string) => record?.attempts.some((a) => a.reportKey === reportKey) ?? false;

/**
 * The attempt as the ledger keeps it: whole when it fits one item, else with the full attempt
 * written once beside the deposit and the item cut down to counts and the first issues.
 */
async function storable(deps: IntakeDeps, attempt: Attempt): Promise<Attempt> {
  const cut = ledgerItemOf(attempt);
  if (cut === attempt) return attempt;
  const body = JSON.stringify(attempt);
  const detailKey = detailKeyOf(attempt, sha256Hex(body));
  await deps.store.putOnce(detailKey, body, 'application/json');
  return { ...cut, detailKey };
}

/**
 * An enterprise-period that already holds MAX_ATTEMPTS_PER_RECORD attempts: the upload is still
 * recorded, as a returned attempt of its own, but the record (one item) no longer grows.
 */
async function recordOverflow(deps: IntakeDeps, attempt: Attempt, record: EnterprisePeriod, enterprise: Enterprise | undefined): Promise<IntakeResult> {
  const issues = [
    issueOf('EVD-ATTEMPTS-TOO-MANY', { found: `${record.attempts.length + 1}`, expected: `${MAX_ATTEMPTS_PER_RECORD}` }),
    ...attempt.validation.issues,
  ];
  const validation = summarise(issues);
  const overflow = await storable(deps, { ...attempt, validation, verdict: validation.verdict });
  const outcome = await deps.ledger.recordAttemptOnly(overflow);
  if (outcome === 'duplicate') return { outcome, attempt: overflow, attemptNumber: record.attempts.length + 1, reviewQueued: false };
  const reviewQueued = await queueReviewIfNeeded(deps, overflow, record.attempts.length + 1, enterprise);
  return { outcome: 'recorded', attempt: overflow, attemptNumber: record.attempts.length + 1, reviewQueued };
}

const settingsOf = (deps: IntakeDeps): CheckSettings => deps.settings ?? DEFAULT_CHECK_SETTINGS;

function scopeOf(key: DepositKey, enterprise: Enterprise | undefined): Pick<EnterprisePeriod, 'enterpriseId' | 'period' | 'province' | 'city' | 'industry'> {
  return {
    enterpriseId: key.enterpriseId,
    period: key.period,
    province: enterprise?.province ?? '',
    city: enterprise?.city ?? '',
    industry: enterprise?.industry ?? '',
  };
}

async function buildAttempt(
  deps: IntakeDeps,
  upload: ReportUpload,
  key: DepositKey,
  attemptId: string,
  reportVersion: string,
  { enterprise, record: existing, history }: IntakeContext,
): Promise<{ attempt: Attempt; missing: string[] }> {
  const settings = settingsOf(deps);
  const receivedAt = new Date(upload.eventTime);
  const keyReused = keyReusedIn(existing, upload.key);
  const report = await readAnnouncedReport(deps, upload, admitReport(key, upload.size).length === 0);
  const reading = report.bytes ? await readReport(key.fileName, report.bytes, settings, enterprise) : undefined;
  // Only the files the report names are read: one GET each, and none to list the folder.
  const named = reading?.report ? evidenceFilesToRead(reading.report, settings) : [];
  const found = await mapLimit(named, HASH_CONCURRENCY, (fileName) => readEvidence(deps, evidenceKey({ ...key, fileName }), fileName));
  // By name, as a listing of the folder would show them.
  const evidence = found.filter((file): file is ReadEvidence => file !== undefined).sort((x, y) => (x.fileName < y.fileName ? -1 : 1));
  const validated = report.fault
    ? { validation: summarise([...(keyReused ? [issueOf('EVD-KEY-REUSED', { field: 'key', found: key.fileName })] : []), report.fault]) }
    : await validateDeposit({
        key,
        reportSize: upload.size,
        ...(reading ? { reading } : {}),
        ...(enterprise ? { enterprise } : {}),
        evidence,
        receivedAt,
        keyReused,
        history,
        settings,
      });
  // The registry entry's obligations pick its industries' deadlines (the earliest, for several).
  const deadline = deadlineFor(key.period, enterprise ?? { province: '', city: '' }, deps.deadlineRules);
  const files: DepositFile[] = [
    { role: 'report', key: upload.key, fileName: key.fileName, size: upload.size, ...report.file },
    ...evidence.map((e) => ({
      role: 'evidence' as const,
      key: e.key,
      fileName: e.fileName,
      size: e.size,
      sha256: e.sha256,
      ...(e.versionId ? { versionId: e.versionId } : {}),
      ...(e.eTag ? { eTag: e.eTag } : {}),
      ...(e.unreadable ? { unreadable: e.unreadable } : {}),
      ...(e.head && contentTypeOf(e.head) ? { contentType: contentTypeOf(e.head) } : {}),
    })),
  ];
  const missing = named.filter((_, i) => found[i] === undefined);
  const attempt: Attempt = {
    attemptId,
    enterpriseId: key.enterpriseId,
    period: key.period,
    depositId: key.depositId,
    reportKey: upload.key,
    reportVersion,
    receivedAt: receivedAt.toISOString(),
    timeliness: timelinessOf(receivedAt, deadline),
    verdict: validated.validation.verdict,
    validation: validated.validation,
    ...('report' in validated && validated.report ? { report: validated.report } : {}),
    files,
    recordedAt: deps.now().toISOString(),
  };
  return { attempt, missing };
}

interface AnnouncedReport {
  /** The bytes to validate: exactly the version the event announced. */
  readonly bytes?: Uint8Array;
  /** Why the report is judged unread (gone, archived, changed since the event…). */
  readonly fault?: Issue;
  /** What the ledger records of the report file. */
  readonly file: Pick<DepositFile, 'sha256' | 'versionId' | 'eTag' | 'unreadable'>;
}

/**
 * Reads the report version the event names (its version id; on an unversioned bucket the object,
 * checked against the event's ETag), whole when it is admitted for parsing, else only its digest.
 */
async function readAnnouncedReport(deps: IntakeDeps, upload: ReportUpload, admitted: boolean): Promise<AnnouncedReport> {
  const announced = upload.eTag.replace(/^"|"$/g, '');
  const read = admitted ? await deps.store.read(upload.key, upload.versionId) : await deps.store.digest(upload.key, upload.versionId);
  if (!read.ok) {
    const reason = UNREADABLE_REASONS[read.reason];
    return { fault: issueOf('EVD-REPORT-UNREADABLE', { field: 'report', found: reason }), file: { sha256: '', unreadable: reason } };
  }
  const { object } = read;
  const version = { ...(object.versionId ? { versionId: object.versionId } : {}), eTag: object.eTag };
  if (!upload.versionId && announced && object.eTag && object.eTag !== announced) {
    const found = `ETag ${object.eTag}`;
    return {
      fault: issueOf('EVD-REPORT-CHANGED', { field: 'report', found, expected: `ETag ${announced}` }),
      file: { sha256: '', ...version, unreadable: `${found} ≠ ETag ${announced}` },
    };
  }
  if ('bytes' in object) return { bytes: object.bytes, file: { sha256: sha256Hex(object.bytes), ...version } };
  return { file: { sha256: object.sha256, ...version } };
}

/** An evidence file as checked, with the version that was read. */
type ReadEvidence = EvidenceFile & Partial<ObjectVersion>;

/** A named evidence file: read, absent (undefined: reported missing), or present but unreadable. */
async function readEvidence(deps: IntakeDeps, fileKey: string, fileName: string): Promise<ReadEvidence | undefined> {
  const read = await deps.store.digest(fileKey);
  if (read.ok) return { key: fileKey, fileName, ...read.object };
  if (read.reason === 'missing') return undefined;
  return { key: fileKey, fileName, size: 0, sha256: '', unreadable: UNREADABLE_REASONS[read.reason] };
}

function needsReview(attempt: Attempt): boolean {
  return attempt.validation.issues.some((i) => i.severity !== 'info');
}

async function queueReviewIfNeeded(deps: IntakeDeps, attempt: Attempt, number: number, enterprise: Enterprise | undefined): Promise<boolean> {
  if (!needsReview(attempt)) return false;
  const message = reviewMessageOf(attempt, number, enterprise ? { enterpriseName: enterprise.name, province: enterprise.province, city: enterprise.city } : {});
  await deps.reviewQueue.send(message);
  await deps.ledger.markReviewQueued(attempt, deps.now().toISOString());
  return true;
}

/** A redelivered event: nothing to record, but a crash may have left the review message unsent. */
async function finishDuplicate(deps: IntakeDeps, record: EnterprisePeriod | undefined, key: DepositKey, attemptId: string): Promise<IntakeResult> {
  const attempt = await deps.ledger.getAttempt(key.enterpriseId, key.period, attemptId);
  if (!attempt || !record) throw new Error(`attempt ${attemptId} is listed for ${key.enterpriseId} ${key.period} but cannot be read`);
  const number = attemptNumber(record, attemptId);
  let reviewQueued = false;
  if (needsReview(attempt) && !(await deps.ledger.reviewQueuedAt(attempt))) {
    reviewQueued = await queueReviewIfNeeded(deps, attempt, number, await deps.registry.get(key.enterpriseId));
  }
  return { outcome: 'duplicate', attempt, attemptNumber: number, reviewQueued };
}

/** An upload whose key names no enterprise and month is still recorded, with the reason. */
async function recordUnattributed(deps: IntakeDeps, upload: ReportUpload, attemptId: string, reportVersion: string, reason: string): Promise<IntakeResult> {
  const digest = await deps.store.digest(upload.key, upload.versionId);
  const unread = digest.ok ? undefined : UNREADABLE_REASONS[digest.reason];
  const validation = summarise([
    issueOf('EVD-KEY-LAYOUT', {
      field: 'key',
      found: `${upload.key.slice(0, 300)} — ${reason}`,
      expected: 'reports/{enterpriseId}/{period}/{depositId}/{fileName}',
    }),
    ...(unread ? [issueOf('EVD-REPORT-UNREADABLE', { field: 'report', found: unread })] : []),
  ]);
  const receivedAt = new Date(upload.eventTime).toISOString();
  const file: DepositFile = digest.ok
    ? {
        role: 'report',
        key: upload.key,
        fileName: upload.key.split('/').pop() ?? '',
        size: upload.size,
        sha256: digest.object.sha256,
        eTag: digest.object.eTag,
        ...(digest.object.versionId ? { versionId: digest.object.versionId } : {}),
      }
    : { role: 'report', key: upload.key, fileName: upload.key.split('/').pop() ?? '', size: upload.size, sha256: '', unreadable: unread };
  const attempt: Attempt = {
    attemptId,
    enterpriseId: UNATTRIBUTED,
    period: UNATTRIBUTED,
    depositId: UNATTRIBUTED,
    reportKey: upload.key,
    reportVersion,
    receivedAt,
    timeliness: { lastDay: '', dueAt: '', onTime: false, lateBySeconds: 0 },
    verdict: validation.verdict,
    validation,
    files: [file],
    recordedAt: deps.now().toISOString(),
  };
  const outcome = await deps.ledger.recordAttemptOnly(await storable(deps, attempt));
  return { outcome: outcome === 'duplicate' ? 'duplicate' : 'unattributed', attempt, attemptNumber: 1, reviewQueued: false };
}
