/**
 * An attempt is one report upload (one S3 object version) and what the pipeline made of it.
 * The enterprise-period record gathers the attempts of one enterprise and month, ordered by
 * receipt time, so attempt numbers and "first attempt" do not depend on the order in which
 * events happened to be processed.
 */
import { z } from 'zod';
import type { PriorMonth } from './history-checks.ts';
import { ValidationReportSchema, VerdictSchema } from './issues.ts';
import { MonthlyReportSchema } from './report.ts';

export const TimelinessSchema = z.object({
  lastDay: z.string(),
  dueAt: z.string(),
  onTime: z.boolean(),
  lateBySeconds: z.number().int(),
});

export const DepositFileSchema = z.object({
  role: z.enum(['report', 'evidence']),
  key: z.string(),
  fileName: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  /** The S3 version read and recorded (absent where the bucket is unversioned, as on the twin). */
  versionId: z.string().optional(),
  /** The ETag of the bytes read (without quotes). */
  eTag: z.string().optional(),
  /** The type the content check found (`application/pdf`…), served with every link to the file. */
  contentType: z.string().optional(),
  /** Present but unreadable (archived, customer-encrypted…): why. Its hash is then unknown (empty). */
  unreadable: z.string().optional(),
});
export type DepositFile = z.infer<typeof DepositFileSchema>;

/** Where a reviewer stands in the three-level review (national screening is the machine's). */
export const ReviewLevelSchema = z.enum(['city', 'province']);
export type ReviewLevel = z.infer<typeof ReviewLevelSchema>;

/** A reviewer's note on one issue of the attempt, located the way the issue is. */
export const IssueCommentSchema = z.object({
  code: z.string().min(1),
  unitId: z.string().optional(),
  field: z.string().optional(),
  comment: z.string().min(1),
});
export type IssueComment = z.infer<typeof IssueCommentSchema>;

/** A reviewer's final word on an attempt (see shared/domain/review.ts for who may give it). */
export const DecisionSchema = z.object({
  /** Same id ⇒ same decision: a redelivered request is recognised, not recorded twice. */
  decisionId: z.string(),
  outcome: z.enum(['accept', 'return']),
  /** The reviewer's name as their token gave it, for people to read. */
  reviewer: z.string(),
  /** The reviewer's stable id (the token's `sub`); absent on decisions recorded before sign-in. */
  reviewerId: z.string().optional(),
  level: ReviewLevelSchema,
  decidedAt: z.string(),
  comment: z.string(),
  issueComments: z.array(IssueCommentSchema),
});
export type Decision = z.infer<typeof DecisionSchema>;

/** A city reviewer handing the attempt to provincial review; a decision may follow at that level. */
export const EscalationSchema = z.object({
  decisionId: z.string(),
  reviewer: z.string(),
  /** The escalating reviewer's stable id (the token's `sub`); absent on escalations recorded before sign-in. */
  reviewerId: z.string().optional(),
  fromLevel: ReviewLevelSchema,
  toLevel: ReviewLevelSchema,
  escalatedAt: z.string(),
  comment: z.string(),
});
export type Escalation = z.infer<typeof EscalationSchema>;

export const AttemptSchema = z.object({
  attemptId: z.string(),
  enterpriseId: z.string(),
  period: z.string(),
  depositId: z.string(),
  reportKey: z.string(),
  /** The S3 version id where the bucket is versioned, else the ETag: what makes this upload unique. */
  reportVersion: z.string(),
  receivedAt: z.string(),
  timeliness: TimelinessSchema,
  verdict: VerdictSchema,
  validation: ValidationReportSchema,
  /** The values as parsed (canonical units), kept for month-over-month checks and reviewers. */
  report: MonthlyReportSchema.optional(),
  files: z.array(DepositFileSchema),
  /**
   * Where the full attempt (every issue, the parsed report) is kept when it is too large for one
   * ledger item: an object in the deposit bucket, written once. The ledger item then holds the
   * counts, the first issues and no parsed report.
   */
  detailKey: z.string().optional(),
  recordedAt: z.string(),
  /** Set once by a reviewer; `verdict` then holds the final outcome and `validation.verdict` the machine's. */
  decision: DecisionSchema.optional(),
  escalation: EscalationSchema.optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const AttemptSummarySchema = z.object({
  attemptId: z.string(),
  reportKey: z.string(),
  receivedAt: z.string(),
  onTime: z.boolean(),
  verdict: VerdictSchema,
  errors: z.number().int(),
  warnings: z.number().int(),
  /** Escalated to provincial review (counted by the summaries). */
  escalated: z.boolean().optional(),
  /** When a reviewer's decision made `verdict` final. */
  decidedAt: z.string().optional(),
  /**
   * The machine's verdict, kept when a reviewer's decision rewrites `verdict`, so a rate computed
   * as of an instant before the decision sees the attempt as the machine left it. Absent: `verdict`.
   */
  machineVerdict: VerdictSchema.optional(),
  /** When a reviewer escalated it; an escalation after a summary's instant does not count in it. */
  escalatedAt: z.string().optional(),
});
export type AttemptSummary = z.infer<typeof AttemptSummarySchema>;

/**
 * The period's latest accepted attempt (by receipt), as the later months' history checks need it.
 * Kept on the enterprise-period record so intake reads it together with the record it must read
 * anyway: one request for the registry entry, this month and the look-back months.
 */
export const AcceptedMonthSchema = z.object({
  attemptId: z.string(),
  receivedAt: z.string(),
  report: MonthlyReportSchema,
  evidence: z.array(z.object({ fileName: z.string(), sha256: z.string() })),
});
export type AcceptedMonth = z.infer<typeof AcceptedMonthSchema>;

export const EnterprisePeriodSchema = z.object({
  enterpriseId: z.string(),
  period: z.string(),
  province: z.string(),
  city: z.string(),
  industry: z.string(),
  /** Oldest first; an attempt's number is its position + 1. */
  attempts: z.array(AttemptSummarySchema),
  accepted: AcceptedMonthSchema.optional(),
  /** Optimistic-concurrency counter: every write must name the version it read. */
  version: z.number().int(),
});
export type EnterprisePeriod = z.infer<typeof EnterprisePeriodSchema>;

/** A stable id for one upload: the same S3 object version always gives the same attempt. */
export function attemptIdOf(sha256Hex: (text: string) => string, reportKey: string, reportVersion: string): string {
  return sha256Hex(`${reportKey}\n${reportVersion}`).slice(0, 16);
}

function byReceipt(a: Pick<AttemptSummary, 'receivedAt' | 'attemptId'>, b: Pick<AttemptSummary, 'receivedAt' | 'attemptId'>): number {
  return a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.attemptId.localeCompare(b.attemptId);
}

/**
 * The enterprise-period with one more attempt, in receipt order, and with `accepted` (when given)
 * if it was received after the one already kept. Adding a known attempt changes nothing.
 */
export function withAttempt(
  current: EnterprisePeriod | undefined,
  scope: Pick<EnterprisePeriod, 'enterpriseId' | 'period' | 'province' | 'city' | 'industry'>,
  attempt: AttemptSummary,
  accepted?: AcceptedMonth,
): EnterprisePeriod {
  const attempts = current?.attempts ?? [];
  if (attempts.some((a) => a.attemptId === attempt.attemptId)) return current as EnterprisePeriod;
  const latest = laterAccepted(current?.accepted, accepted);
  return {
    ...scope,
    attempts: [...attempts, attempt].sort(byReceipt),
    ...(latest ? { accepted: latest } : {}),
    version: (current?.version ?? 0) + 1,
  };
}

/** What a later month's history checks keep of an attempt: only an accepted one with a parsed report. */
export function acceptedMonthOf(attempt: Pick<Attempt, 'attemptId' | 'receivedAt' | 'verdict' | 'report' | 'files'>): AcceptedMonth | undefined {
  if (attempt.verdict !== 'accepted' || !attempt.report) return undefined;
  return {
    attemptId: attempt.attemptId,
    receivedAt: attempt.receivedAt,
    report: attempt.report,
    evidence: attempt.files.filter((f) => f.role === 'evidence').map((f) => ({ fileName: f.fileName, sha256: f.sha256 })),
  };
}

/** The later-received of two accepted months, ordered like the attempts (receipt time, then id). */
export function laterAccepted(a: AcceptedMonth | undefined, b: AcceptedMonth | undefined): AcceptedMonth | undefined {
  if (!a || !b) return a ?? b;
  return byReceipt(a, b) >= 0 ? a : b;
}

/** The record's accepted month as the history checks take it. */
export function priorMonthOf(record: Pick<EnterprisePeriod, 'period' | 'accepted'>): PriorMonth | undefined {
  if (!record.accepted) return undefined;
  const { attemptId, report, evidence } = record.accepted;
  return { period: record.period, attemptId, report, evidence };
}

export function attemptNumber(record: EnterprisePeriod, attemptId: string): number {
  return record.attempts.findIndex((a) => a.attemptId === attemptId) + 1;
}

export function summaryOf(attempt: Attempt): AttemptSummary {
  return {
    attemptId: attempt.attemptId,
    reportKey: attempt.reportKey,
    receivedAt: attempt.receivedAt,
    onTime: attempt.timeliness.onTime,
    verdict: attempt.verdict,
    errors: attempt.validation.stats.errors,
    warnings: attempt.validation.stats.warnings,
  };
}
