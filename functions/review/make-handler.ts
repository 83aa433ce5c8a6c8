/**
 * review, built from its dependencies: the reviewers' HTTP API (API Gateway HTTP API v2, behind
 * the JWT authorizer; GET /attempts/{attemptId} also behind IAM for integrations).
 *   GET  /inbox?city=&enterprise=&period=&severity=errors|warnings&late=true&limit=&cursor=
 *                                        what waits at the caller's level in its jurisdiction, oldest first
 *   GET  /attempts/{attemptId}           the attempt, its month's attempts, links to its files
 *   POST /attempts/{attemptId}/decision  {outcome: accept|return|escalate, comment, issueComments, decisionId}
 *
 * Who decides, and at which level, is the caller's token (the principal the boundary read from
 * its claims): a `reviewer` or `level` in the body is ignored, so nobody decides in another's
 * name or at another's level.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { DynamoEnterpriseNames, DynamoInbox } from '#adapters/dynamo-inbox.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { S3FileLinks } from '#adapters/s3-file-links.ts';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import type { EnterpriseNames, FileLinks, InboxReader } from '#app/ports.ts';
import { decideOnAttempt, type ReviewDeps } from '#app/review-decision.ts';
import { INBOX_PAGE, reviewInbox } from '#app/review-inbox.ts';
import { showAttempt } from '#app/show-attempt.ts';
import type { ClaimMapping } from '#domain/identity.ts';
import { DecisionRequestSchema } from '#domain/review.ts';
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
  /** Where the attempts' files are: GET /attempts/{attemptId} links to the versions they recorded. */
  [ENV.depositBucket]: z.string().min(1),
  /** The enterprises' names for the inbox and the attempt page; unset, they are listed by credit code only. */
  [ENV.registryTable]: z.string().min(1).optional(),
});
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;

/** What attempt ids look like (16 hex digits today); anything else is no attempt, asked of no table. */
const AttemptPathSchema = z.object({
  attemptId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, '不是有效的尝试编号 / not an attempt id (up to 128 letters, digits and . _ : -)'),
});

const InboxQuerySchema = z.object({
  city: z.string().trim().min(1).max(64).optional(),
  enterprise: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z]{18}$/, '不是统一社会信用代码 / not a credit code (18 letters and digits)')
    .transform((code) => code.toUpperCase())
    .optional(),
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '期间应为 YYYY-MM / period is YYYY-MM')
    .optional(),
  severity: z.enum(['errors', 'warnings']).optional(),
  late: z
    .enum(['true', 'false'])
    .transform((text) => text === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(INBOX_PAGE.max).optional(),
  cursor: z.string().max(2048).optional(),
});

export type ReviewApiDeps = ReviewDeps & {
  readonly claims: ClaimMapping;
  readonly store: ReviewDeps['store'] & Parameters<typeof showAttempt>[0]['attempts'];
  readonly inbox: InboxReader;
  readonly links: FileLinks;
  readonly names?: EnterpriseNames;
};

export function reviewDeps(config: ReviewConfig, clients: AwsClients): ReviewApiDeps {
  const registry = config[ENV.registryTable];
  return {
    claims: config[ENV.identityClaims],
    store: new DynamoLedger(clients.db, { deposits: config[ENV.depositsTable], attempts: config[ENV.attemptsTable] }),
    inbox: new DynamoInbox(clients.db, config[ENV.depositsTable]),
    links: new S3FileLinks(clients.s3, config[ENV.depositBucket]),
    ...(registry ? { names: new DynamoEnterpriseNames(clients.db, registry) } : {}),
    reviewQueue: new SqsReviewQueue(clients.sqs, config[ENV.reviewQueueUrl]),
    now: () => new Date(),
  };
}

export function makeHandler(deps: ReviewApiDeps, observability: Observability) {
  const { logger, metrics } = observability;
  const names = deps.names ? { names: deps.names } : {};
  return httpApi({
    observability,
    claims: deps.claims,
    routes: {
      'POST /attempts/{attemptId}/decision': route({
        params: AttemptPathSchema,
        body: DecisionRequestSchema,
        handle: async ({ params: { attemptId }, body, caller }) => {
          const reviewer = caller.subject;
          const outcome = await decideOnAttempt(deps, attemptId, body, caller);
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
        handle: ({ params, caller }) => {
          metrics.addMetric('AttemptViews', MetricUnit.Count, 1);
          return showAttempt({ attempts: deps.store, links: deps.links, ...names }, params.attemptId, caller);
        },
      }),
      'GET /inbox': route({
        query: InboxQuerySchema,
        handle: ({ query, caller }) => {
          metrics.addMetric('InboxViews', MetricUnit.Count, 1);
          const { enterprise, ...rest } = query;
          return reviewInbox({ inbox: deps.inbox, ...names }, caller, { ...rest, ...(enterprise ? { enterpriseId: enterprise } : {}) });
        },
      }),
    },
  });
}
