/**
 * An attempt is one report upload (one S3 object version) and what the pipeline made of it.
 * The enterprise-period record gathers the attempts of one enterprise and month, ordered by
 * receipt time, so attempt numbers and "first attempt" do not depend on the order in which
 * events happened to be processed.
 */
import { z } from 'zod';
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
  reviewer: z.string(),
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
});
export type AttemptSummary = z.infer<typeof AttemptSummarySchema>;

export const EnterprisePeriodSchema = z.object({
  enterpriseId: z.string(),
  period: z.string(),
  province: z.string(),
  city: z.string(),
  industry: z.string(),
  /** Oldest first; an attempt's number is its position + 1. */
  attempts: z.array(AttemptSummarySchema),
  /** Optimistic-concurrency counter: every write must name the version it read. */
  version: z.number().int(),
});
export type EnterprisePeriod = z.infer<typeof EnterprisePeriodSchema>;

/** A stable id for one upload: the same S3 object version always gives the same attempt. */
export function attemptIdOf(sha256Hex: (text: string) => string, reportKey: string, reportVersion: string): string {
  return sha256Hex(`${reportKey}\n${reportVersion}`).slice(0, 16);
}

function byReceipt(a: AttemptSummary, b: AttemptSummary): number {
  return a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.attemptId.localeCompare(b.attemptId);
}

/** The enterprise-period with one more attempt, in receipt order. Adding a known attempt changes nothing. */
export function withAttempt(
  current: EnterprisePeriod | undefined,
  scope: Pick<EnterprisePeriod, 'enterpriseId' | 'period' | 'province' | 'city' | 'industry'>,
  attempt: AttemptSummary,
): EnterprisePeriod {
  const attempts = current?.attempts ?? [];
  if (attempts.some((a) => a.attemptId === attempt.attemptId)) return current as EnterprisePeriod;
  return {
    ...scope,
    attempts: [...attempts, attempt].sort(byReceipt),
    version: (current?.version ?? 0) + 1,
  };
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
