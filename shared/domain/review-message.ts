/**
 * The message a deposit with problems puts on the review queue: one per attempt, carrying all
 * its issues and the keys of its files, so a subscriber (a notification, an integration) needs
 * nothing else to start. Reviewers work from the inbox (shared/domain/inbox.ts), which is read
 * from the ledger; the queue tells the world something is waiting.
 *
 * `schemaVersion` lets a subscriber know the shape it reads; a change that is not additive takes
 * the next number. A message written before the field existed reads as version 1.
 */
import { z } from 'zod';
import { type Attempt, DepositFileSchema, ReviewLevelSchema, TimelinessSchema } from './attempt.ts';
import { IssueSchema, VerdictSchema } from './issues.ts';

export const REVIEW_MESSAGE_SCHEMA_VERSION = 1;

export const ReviewMessageSchema = z.object({
  type: z.literal('deposit-review'),
  schemaVersion: z.literal(REVIEW_MESSAGE_SCHEMA_VERSION).default(REVIEW_MESSAGE_SCHEMA_VERSION),
  attemptId: z.string(),
  attempt: z.number().int().min(1),
  enterpriseId: z.string(),
  enterpriseName: z.string().optional(),
  province: z.string().optional(),
  city: z.string().optional(),
  period: z.string(),
  receivedAt: z.string(),
  timeliness: TimelinessSchema,
  verdict: VerdictSchema,
  stats: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }),
  issues: z.array(IssueSchema),
  files: z.array(DepositFileSchema),
  /** The review level the message is for; absent means city, the first level. Escalation re-queues at 'province'. */
  level: ReviewLevelSchema.optional(),
  /** Why it was escalated, for the provincial reviewer. */
  escalation: z.object({ reviewer: z.string(), comment: z.string(), escalatedAt: z.string() }).optional(),
});
/** A message as it is written (every field the schema gives a default is present). */
export type ReviewMessage = z.infer<typeof ReviewMessageSchema>;

/** The review message for an attempt: everything a reviewer needs to start, in one place. */
export function reviewMessageOf(
  attempt: Attempt,
  attemptNumber: number,
  where: { enterpriseName?: string; province?: string; city?: string } = {},
): ReviewMessage {
  return {
    type: 'deposit-review',
    schemaVersion: REVIEW_MESSAGE_SCHEMA_VERSION,
    attemptId: attempt.attemptId,
    attempt: attemptNumber,
    enterpriseId: attempt.enterpriseId,
    ...(where.enterpriseName ? { enterpriseName: where.enterpriseName } : {}),
    ...(where.province ? { province: where.province } : {}),
    ...(where.city ? { city: where.city } : {}),
    period: attempt.period,
    receivedAt: attempt.receivedAt,
    timeliness: attempt.timeliness,
    verdict: attempt.verdict,
    stats: attempt.validation.stats,
    issues: attempt.validation.issues,
    files: attempt.files,
  };
}
