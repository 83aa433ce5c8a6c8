/**
 * The message a deposit with problems puts on the review queue: one per attempt, carrying all
 * its issues and the keys of its files, so a reviewer needs nothing else to start.
 */
import { z } from 'zod';
import { DepositFileSchema, ReviewLevelSchema, TimelinessSchema } from './attempt.ts';
import { IssueSchema, VerdictSchema } from './issues.ts';

export const ReviewMessageSchema = z.object({
  type: z.literal('deposit-review'),
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
export type ReviewMessage = z.infer<typeof ReviewMessageSchema>;
