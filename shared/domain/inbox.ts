/**
 * The reviewers' inbox, computed from the enterprise-period record alone. Pure: the record goes in,
 * the record's place in an inbox (or none) comes out. The ledger writes it onto every version of
 * the record it writes, so the index it keys (`byInbox`) is never a second truth that could drift
 * from the record: a decision, an escalation or a re-deposit moves the record and its place with it.
 *
 * - The latest attempt decides: an earlier one is superseded and waits for no one.
 * - It waits when the machine left it `needs-review` (warnings, no errors) and no reviewer decided it.
 * - Undecided and not escalated, it waits in its city's inbox; escalated, in its province's.
 * - Oldest first: the inbox sorts by receipt time (then attempt id, so the order is total).
 *
 * A record whose city is no prefecture-level city code (an enterprise the registry did not know)
 * is in no inbox: no city reviewer could be its first level.
 */
import type { AttemptSummary, EnterprisePeriod, ReviewLevel } from './attempt.ts';
import { divisionName, placeCodes } from './provinces.ts';

/** The attempt as the inbox lists it: what a reviewer scans, and what the inbox's filters read. */
export interface InboxAttempt {
  readonly attemptId: string;
  /** Its number within its month (1 is the first attempt). */
  readonly attempt: number;
  readonly receivedAt: string;
  readonly onTime: boolean;
  readonly verdict: AttemptSummary['verdict'];
  readonly errors: number;
  readonly warnings: number;
  /** The level it waits at. */
  readonly level: ReviewLevel;
  /** The city's GB/T 2260 code, whatever spelling the record carries: what a province's inbox filters on. */
  readonly cityCode: string;
  readonly escalatedAt?: string;
}

/** The record's place in the inbox: the three attributes the ledger writes beside it. */
export interface InboxEntry {
  /** `city#360100` or `province#360000`: the byInbox index's partition. */
  readonly inbox: string;
  /** `<receivedAt>#<attemptId>`: the index's sort key, oldest first. */
  readonly inboxSince: string;
  readonly inboxAttempt: InboxAttempt;
}

/** The names the entry's attributes take on the record (and the index's keys). */
export const INBOX_ATTRIBUTES = ['inbox', 'inboxSince', 'inboxAttempt'] as const;

const CITY_CODE = /^\d{4}00$/;

/** The inbox partition of a reviewer's jurisdiction and level: `city#360100`, `province#360000`. */
export function inboxKeyOf(level: ReviewLevel, code: string): string {
  return `${level}#${code}`;
}

/** Where the record waits for a reviewer, or undefined when it waits for no one. */
export function inboxEntryOf(record: Pick<EnterprisePeriod, 'province' | 'city' | 'attempts'>): InboxEntry | undefined {
  const latest = record.attempts.at(-1);
  if (latest?.verdict !== 'needs-review' || latest.decidedAt !== undefined) return undefined;
  const place = placeCodes(record);
  if (!CITY_CODE.test(place.city) || place.city.endsWith('0000') || !divisionName(place.city)) return undefined;
  const level: ReviewLevel = latest.escalated ? 'province' : 'city';
  return {
    inbox: inboxKeyOf(level, level === 'province' ? place.province : place.city),
    inboxSince: `${latest.receivedAt}#${latest.attemptId}`,
    inboxAttempt: {
      attemptId: latest.attemptId,
      attempt: record.attempts.length,
      receivedAt: latest.receivedAt,
      onTime: latest.onTime,
      verdict: latest.verdict,
      errors: latest.errors,
      warnings: latest.warnings,
      level,
      cityCode: place.city,
      ...(latest.escalatedAt ? { escalatedAt: latest.escalatedAt } : {}),
    },
  };
}
