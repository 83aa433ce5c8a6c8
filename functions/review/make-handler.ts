/**
 * review, built from its dependencies: the reviewers' HTTP API (API Gateway HTTP API v2, IAM
 * authorization).
 *   POST /attempts/{attemptId}/decision  {outcome: accept|return|escalate, comment, issueComments, level, decisionId}
 *   GET  /attempts/{attemptId}           the attempt, its number, and whether it is decided or superseded
 *
 * Who decides: in the cloud, the IAM principal API Gateway verified; a `reviewer` in the body is
 * then ignored, so nobody can decide in someone else's name. On the twin there is no IAM, so the
 * body's `reviewer` is the identity (and is required).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import { decideOnAttempt, type ReviewDeps } from '#app/review-decision.ts';
import { showAttempt } from '#app/show-attempt.ts';
import type { ClaimMapping } from '#domain/identity.ts';
import { DecisionRequestSchema, ReviewerSchema } from '#domain/review.ts';
import type { AwsClients } from '#lambda/clients.ts';
import { ClaimMappingVariable } from '#lambda/config.ts';
import { httpApi, route } from '#lambda/http.ts';
import type { Observability } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';

export const ReviewConfigSchema = z.object({
  [ENV.identityClaims]: ClaimMappingVariable,
  [ENV.depositsTable]: z.string().min(1),
  [ENV.attemptsTable]: z.string().min(1),
  [ENV.reviewQueueUrl]: z.url(),
});
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;

/** What attempt ids look like (16 hex digits today); anything else is no attempt, asked of no table. */
const AttemptPathSchema = z.object({
  attemptId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, '不是有效的尝试编号 / not an attempt id (up to 128 letters, digits and . _ : -)'),
});

const DecisionBodySchema = DecisionRequestSchema.extend({ reviewer: ReviewerSchema.optional() });

export type ReviewApiDeps = ReviewDeps & { readonly claims: ClaimMapping };

export function reviewDeps(config: ReviewConfig, clients: AwsClients): ReviewApiDeps {
  return {
    claims: config[ENV.identityClaims],
    store: new DynamoLedger(clients.db, { deposits: config[ENV.depositsTable], attempts: config[ENV.attemptsTable] }),
    reviewQueue: new SqsReviewQueue(clients.sqs, config[ENV.reviewQueueUrl]),
    now: () => new Date(),
  };
}

export function makeHandler(deps: ReviewApiDeps, observability: Observability) {
  const { logger, metrics } = observability;
  return httpApi({
    observability,
    claims: deps.claims,
    routes: {
      'POST /attempts/{attemptId}/decision': route({
        params: AttemptPathSchema,
        body: DecisionBodySchema,
        handle: async ({ params: { attemptId }, body, caller }) => {
          const reviewer = caller.name;
          const outcome = await decideOnAttempt(deps, attemptId, { ...body, reviewer });
          if (!outcome.ok) {
            logger.info('decision refused', { attemptId, reviewer, code: outcome.refusal.code });
            metrics.addMetric(`DecisionRefused_${outcome.refusal.code}`, MetricUnit.Count, 1);
            return outcome;
          }
          const { status, attempt, attemptNumber } = outcome.value;
          logger.info('decision stored', { attemptId, reviewer, outcome: body.outcome, status, verdict: attempt.verdict });
          if (status === 'recorded') metrics.addMetric(`Decision_${body.outcome}`, MetricUnit.Count, 1);
          return {
            ok: true,
            value: {
              status,
              attemptId,
              attemptNumber,
              verdict: attempt.verdict,
              ...(attempt.decision ? { decision: attempt.decision } : {}),
              ...(attempt.escalation ? { escalation: attempt.escalation } : {}),
            },
          };
        },
        status: (answer) => (answer.status === 'recorded' ? 201 : 200),
      }),
      'GET /attempts/{attemptId}': route({
        params: AttemptPathSchema,
        handle: ({ params }) => {
          metrics.addMetric('AttemptViews', MetricUnit.Count, 1);
          return showAttempt({ attempts: deps.store }, params.attemptId);
        },
      }),
    },
  });
}
