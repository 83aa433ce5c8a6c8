/**
 * The intake use case: one report upload → a validated, timed attempt in the ledger, and a
 * review message when it has problems. Safe for at-least-once delivery: the attempt id comes
 * from the S3 object version, so a duplicate event finds its attempt and only finishes what a
 * crashed run left undone (the review message).
 */
import { createHash } from 'node:crypto';
import { acceptedMonthOf, type Attempt, attemptIdOf, attemptNumber, type DepositFile, type EnterprisePeriod, summaryOf, withAttempt } from '#domain/attempt.ts';
import { type EvidenceFile, evidenceFilesToRead, issueOf } from '#domain/checks.ts';
import { type DeadlineRules, deadlineFor, timelinessOf } from '#domain/deadline.ts';
import { type DepositKey, evidenceKey, parseDepositKey } from '#domain/deposit-key.ts';
import { summarise } from '#domain/issues.ts';
import type { Enterprise } from '#domain/registry.ts';
import { reviewMessageOf } from '#domain/review-message.ts';
import { admitReport, readReport, validateDeposit } from '#domain/validate.ts';
import { type CheckSettings, DEFAULT_CHECK_SETTINGS } from '#domain/check-settings.ts';
import type { DepositStore, IntakeContext, IntakeReader, Ledger, RegistryReader, ReviewQueue } from './ports.ts';

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
  /** The wall clock, for `recordedAt` only; receipt time always comes from the event. */
  readonly now: () => Date;
}

/** A report object as an S3 event describes it. */
export interface ReportUpload {
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  readonly versionId?: string;
  /** The S3 event time: the receipt time that decides timeliness. */
  readonly eventTime: string;
}

export interface IntakeResult {
  readonly outcome: 'recorded' | 'duplicate' | 'unattributed';
  readonly attempt: Attempt;
  readonly attemptNumber: number;
  readonly reviewQueued: boolean;
}

/** Key for uploads that cannot be attributed to an enterprise and month. */
export const UNATTRIBUTED = 'UNATTRIBUTED';
const MAX_WRITE_RETRIES = 8;
const HASH_CONCURRENCY = 4;

const sha256Hex = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function recordDeposit(deps: IntakeDeps, upload: ReportUpload): Promise<IntakeResult> {
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
  const attempt = await buildAttempt(deps, upload, key, attemptId, reportVersion, context);
  const accepted = acceptedMonthOf(attempt);
  let record = existing;
  for (let tries = 0; tries < MAX_WRITE_RETRIES; tries++) {
    const next = withAttempt(record, scopeOf(key, enterprise), summaryOf(attempt), accepted);
    const outcome = await deps.ledger.recordAttempt(attempt, next, record?.version);
    if (outcome === 'recorded') {
      const reviewQueued = await queueReviewIfNeeded(deps, attempt, attemptNumber(next, attemptId), enterprise);
      return { outcome, attempt, attemptNumber: attemptNumber(next, attemptId), reviewQueued };
    }
    // Another delivery of this very upload won the race.
    if (outcome === 'duplicate') return finishDuplicate(deps, await deps.ledger.getDeposit(key.enterpriseId, key.period), key, attemptId);
    // Another upload for the same enterprise-period landed in between: re-read and re-apply.
    record = await deps.ledger.getDeposit(key.enterpriseId, key.period);
  }
  throw new Error(`could not record attempt ${attemptId} for ${key.enterpriseId} ${key.period}: still contended after ${MAX_WRITE_RETRIES} tries`);
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
): Promise<Attempt> {
  const admitted = admitReport(key, upload.size).length === 0;
  const reportBytes = admitted ? await deps.store.read(upload.key) : undefined;
  const reportSha256 = reportBytes ? sha256Hex(reportBytes) : await digestOfReport(deps, upload.key);
  const reading = reportBytes ? await readReport(key.fileName, reportBytes) : undefined;
  // Only the files the report names are read: one GET each, and none to list the folder.
  const settings = settingsOf(deps);
  const named = reading?.report ? evidenceFilesToRead(reading.report, settings) : [];
  const found = await mapLimited(named, HASH_CONCURRENCY, async (fileName): Promise<EvidenceFile | undefined> => {
    const fileKey = evidenceKey({ ...key, fileName });
    const digest = await deps.store.digest(fileKey);
    return digest && { key: fileKey, fileName, ...digest };
  });
  // By name, as a listing of the folder would show them.
  const evidence = found.filter((file): file is EvidenceFile => file !== undefined).sort((x, y) => (x.fileName < y.fileName ? -1 : 1));
  const receivedAt = new Date(upload.eventTime);
  const { validation, report } = await validateDeposit({
    key,
    reportSize: upload.size,
    ...(reading ? { reading } : {}),
    ...(enterprise ? { enterprise } : {}),
    evidence,
    receivedAt,
    keyReused: existing?.attempts.some((a) => a.reportKey === upload.key) ?? false,
    history,
    settings,
  });
  const deadline = deadlineFor(key.period, { province: enterprise?.province ?? '', city: enterprise?.city ?? '' }, deps.deadlineRules);
  const files: DepositFile[] = [
    { role: 'report', key: upload.key, fileName: key.fileName, size: upload.size, sha256: reportSha256 },
    ...evidence.map((e) => ({ role: 'evidence' as const, key: e.key, fileName: e.fileName, size: e.size, sha256: e.sha256 })),
  ];
  return {
    attemptId,
    enterpriseId: key.enterpriseId,
    period: key.period,
    depositId: key.depositId,
    reportKey: upload.key,
    reportVersion,
    receivedAt: receivedAt.toISOString(),
    timeliness: timelinessOf(receivedAt, deadline),
    verdict: validation.verdict,
    validation,
    ...(report ? { report } : {}),
    files,
    recordedAt: deps.now().toISOString(),
  };
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

/** The SHA-256 of a report that is not read whole (refused unread, or unattributed). */
async function digestOfReport(deps: IntakeDeps, key: string): Promise<string> {
  const digest = await deps.store.digest(key);
  // The event announced this object; under Object Lock it cannot be gone, so this is a fault to retry.
  if (!digest) throw new Error(`report ${key} was announced but is not in the bucket`);
  return digest.sha256;
}

/** An upload whose key names no enterprise and month is still recorded, with the reason. */
async function recordUnattributed(deps: IntakeDeps, upload: ReportUpload, attemptId: string, reportVersion: string, reason: string): Promise<IntakeResult> {
  const validation = summarise([issueOf('EVD-KEY-LAYOUT', { field: 'key', found: `${upload.key.slice(0, 300)} — ${reason}`, expected: 'reports/{enterpriseId}/{period}/{depositId}/{fileName}' })]);
  const receivedAt = new Date(upload.eventTime).toISOString();
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
    files: [{ role: 'report', key: upload.key, fileName: upload.key.split('/').pop() ?? '', size: upload.size, sha256: await digestOfReport(deps, upload.key) }],
    recordedAt: deps.now().toISOString(),
  };
  const outcome = await deps.ledger.recordUnattributed(attempt);
  return { outcome: outcome === 'duplicate' ? 'duplicate' : 'unattributed', attempt, attemptNumber: 1, reviewQueued: false };
}
