/**
 * The bucket is the deposit of record: every report upload in it must become exactly one attempt.
 * An S3 event notification or an intake message can be lost (an outage of the notification path,
 * a queue purged by hand, the twin's in-memory queue on a crash). This use case lists the report
 * uploads, finds those the attempts table does not hold, and announces each to intake again with
 * the object's own time as the event time, so timeliness is decided as if the first
 * notification had arrived. Announcing twice is harmless: intake finds the attempt by id.
 */
import { createHash } from 'node:crypto';
import { attemptIdOf } from '#domain/attempt.ts';
import { parseDepositKey } from '#domain/deposit-key.ts';
import type { AnnouncedUpload, AttemptIndex, AttemptLocation, IntakeAnnouncer, ReportObject, ReportObjects } from './ports.ts';
import { UNATTRIBUTED } from './record-deposit.ts';

export interface ReconcileDeps {
  readonly reports: ReportObjects;
  readonly attempts: AttemptIndex;
  readonly intake: IntakeAnnouncer;
}

export interface ReconcileRequest {
  /** Only objects modified after this instant (undefined: every object in the bucket). */
  readonly since?: Date;
  /** Called after each listed page with the running totals. */
  readonly onProgress?: (progress: ReconcileSummary) => void;
}

export interface ReconcileSummary {
  /** Report uploads listed (after the `since` bound). */
  readonly listed: number;
  /** Of those, already recorded as an attempt. */
  readonly recorded: number;
  /** Of those, announced to intake again. */
  readonly announced: number;
  /** The keys announced (the first 100), for the log. */
  readonly announcedKeys: readonly string[];
}

/** The look-back of the scheduled run: a month and a half covers a lost event of the month just due. */
export const DEFAULT_RECONCILE_LOOKBACK_DAYS = 45;
const KEYS_KEPT = 100;

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Where intake records this upload: the same id and key rules as record-deposit. */
export function attemptLocationOf(object: Pick<ReportObject, 'key' | 'versionId' | 'eTag'>): AttemptLocation {
  const attemptId = attemptIdOf(sha256Hex, object.key, object.versionId ?? object.eTag);
  const reading = parseDepositKey(object.key);
  if (!reading.ok || reading.key.kind !== 'report') return { enterpriseId: UNATTRIBUTED, period: UNATTRIBUTED, attemptId };
  return { enterpriseId: reading.key.enterpriseId, period: reading.key.period, attemptId };
}

export function sinceDaysAgo(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
}

export async function reconcileDeposits(deps: ReconcileDeps, request: ReconcileRequest = {}): Promise<ReconcileSummary> {
  let listed = 0;
  let recorded = 0;
  const announcedKeys: string[] = [];
  let announced = 0;
  for await (const page of deps.reports.pages(request.since)) {
    const objects = request.since ? page.filter((o) => Date.parse(o.lastModified) > (request.since as Date).getTime()) : page;
    listed += objects.length;
    const located = objects.map((object) => ({ object, location: attemptLocationOf(object) }));
    const found = await deps.attempts.recorded(located.map((l) => l.location));
    const missing = located.filter((l) => !found.has(l.location.attemptId));
    recorded += objects.length - missing.length;
    if (missing.length > 0) {
      const uploads: AnnouncedUpload[] = await Promise.all(
        missing.map(async ({ object }) => ({
          key: object.key,
          size: object.size,
          eTag: object.eTag,
          ...(object.versionId ? { versionId: object.versionId } : {}),
          eventTime: await deps.reports.receiptTimeOf(object),
        })),
      );
      await deps.intake.announce(uploads);
      announced += uploads.length;
      announcedKeys.push(...uploads.map((u) => u.key).slice(0, Math.max(0, KEYS_KEPT - announcedKeys.length)));
    }
    request.onProgress?.({ listed, recorded, announced, announcedKeys });
  }
  return { listed, recorded, announced, announcedKeys };
}
