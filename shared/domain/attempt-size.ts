/**
 * What the ledger stores must fit its store. A DynamoDB item holds at most 400 KB; an attempt
 * whose report has thousands of units, or a record that gathers hundreds of attempts, would not.
 * Every bound here is in bytes of JSON (UTF-8), which is within a few per cent of DynamoDB's own
 * count of attribute names and values, with room to spare under the limit.
 */
import { type AcceptedMonth, acceptedMonthOf, type Attempt } from './attempt.ts';
import { VALIDATION_PREFIX } from './deposit-key.ts';

/** An attempt item larger than this keeps its full content in an object beside the deposit. */
export const ATTEMPT_ITEM_BUDGET = 300_000;
/** The accepted-month snapshot a record carries for later months' history checks. */
export const ACCEPTED_SNAPSHOT_BUDGET = 100_000;
/**
 * Attempts one enterprise-period record lists. Each summary is at most ~1.2 KB (its report key
 * may be 1,024 characters), so 200 summaries and the snapshot stay under 400 KB; a real month has
 * a handful. Uploads beyond it are still recorded, as attempts of their own (EVD-ATTEMPTS-TOO-MANY).
 */
export const MAX_ATTEMPTS_PER_RECORD = 200;
/** Issues kept on a cut-down ledger item; the full list is in the detail object. */
const ISSUES_KEPT_WHEN_CUT = 50;

const encoder = new TextEncoder();
export const jsonBytes = (value: unknown): number => encoder.encode(JSON.stringify(value)).length;

/** Where an attempt's full content is kept when it does not fit the ledger: written once, never by an enterprise. */
export function detailKeyOf(attempt: Pick<Attempt, 'enterpriseId' | 'period' | 'attemptId'>, contentSha256: string): string {
  return `${VALIDATION_PREFIX}${attempt.enterpriseId}/${attempt.period}/${attempt.attemptId}-${contentSha256.slice(0, 16)}.json`;
}

/**
 * The attempt itself when it fits one ledger item; otherwise a copy without the parsed report and
 * with only as many of the first issues as fit (counts unchanged). Same object ⇒ it fitted.
 */
export function ledgerItemOf(attempt: Attempt, budget = ATTEMPT_ITEM_BUDGET): Attempt {
  if (jsonBytes(attempt) <= budget) return attempt;
  const { report: _omitted, ...rest } = attempt;
  let kept = Math.min(ISSUES_KEPT_WHEN_CUT, attempt.validation.issues.length);
  for (;;) {
    const cut: Attempt = { ...rest, validation: { ...attempt.validation, issues: attempt.validation.issues.slice(0, kept) } };
    if (kept === 0 || jsonBytes(cut) <= budget) return cut;
    kept = Math.floor(kept / 2);
  }
}

/** The accepted-month snapshot for the record, unless it is too large to carry (then later months compare with an earlier one). */
export function snapshotOf(attempt: Attempt, budget = ACCEPTED_SNAPSHOT_BUDGET): AcceptedMonth | undefined {
  const snapshot = acceptedMonthOf(attempt);
  return snapshot && jsonBytes(snapshot) <= budget ? snapshot : undefined;
}
