/**
 * review: the reviewers' HTTP API (API Gateway HTTP API v2, IAM authorization).
 *   POST /attempts/{attemptId}/decision  {outcome: accept|return|escalate, comment, issueComments, level, decisionId}
 *   GET  /attempts/{attemptId}           the attempt, its number, and whether it is decided or superseded
 *
 * Who decides: in the cloud, the IAM principal API Gateway verified (requestContext.authorizer.iam.userArn);
 * a `reviewer` in the body is then ignored, so nobody can decide in someone else's name. On the
 * twin there is no IAM, so the body's `reviewer` is the identity (and is required).
 */
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type {
	APIGatewayProxyEventV2,
	APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { z } from "zod";
import { DynamoDecisions } from "#adapters/dynamo-decisions.ts";
import { SqsReviewQueue } from "#adapters/sqs-review-queue.ts";
import { decideOnAttempt, type ReviewDeps } from "#app/review-decision.ts";
import { attemptNumber } from "#domain/attempt.ts";
import {
	DecisionRequestSchema,
	type RefusalCode,
	ReviewerSchema,
	supersedingAttempt,
} from "#domain/review.ts";
import { type AwsClients, createAwsClients } from "#lambda/clients.ts";
import { loadConfig } from "#lambda/config.ts";
import { lambda, type Observability, observability } from "#lambda/middy.ts";
import { ENV } from "#resources/env.ts";

export const ReviewConfigSchema = z.object({
	[ENV.depositsTable]: z.string().min(1),
	[ENV.attemptsTable]: z.string().min(1),
	[ENV.reviewQueueUrl]: z.url(),
});
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;

/** The IAM authorizer's context where API Gateway supplies one; the twin sends none. */
type ReviewEvent = APIGatewayProxyEventV2 & {
	requestContext: { authorizer?: { iam?: { userArn?: string } } };
};
type Reply = APIGatewayProxyStructuredResultV2;

const DecisionBodySchema = DecisionRequestSchema.extend({
	reviewer: ReviewerSchema.optional(),
});

/** What attempt ids look like (16 hex digits today); anything else is no attempt, asked of no table. */
const AttemptIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);

const REFUSAL_STATUS: Record<RefusalCode, number> = {
	"not-found": 404,
	"already-decided": 409,
	superseded: 409,
	"nothing-to-decide": 409,
	"machine-returned": 409,
	"already-escalated": 409,
	"wrong-level": 403,
	"comment-required": 422,
	"unknown-issue": 422,
	"too-long": 400,
};

export function reviewDeps(
	config: ReviewConfig,
	clients: AwsClients,
): ReviewDeps {
	return {
		store: new DynamoDecisions(clients.db, {
			deposits: config[ENV.depositsTable],
			attempts: config[ENV.attemptsTable],
		}),
		reviewQueue: new SqsReviewQueue(clients.sqs, config[ENV.reviewQueueUrl]),
		now: () => new Date(),
	};
}

const json = (statusCode: number, body: unknown): Reply => ({
	statusCode,
	headers: { "content-type": "application/json; charset=utf-8" },
	body: JSON.stringify(body),
});

function bodyOf(event: ReviewEvent): unknown {
	if (!event.body) return {};
	try {
		return JSON.parse(
			event.isBase64Encoded
				? Buffer.from(event.body, "base64").toString("utf8")
				: event.body,
		);
	} catch {
		return undefined;
	}
}

/** A malformed escape (`%E0%A4%A`) is the caller's text, not a fault: left as sent, it names no attempt. */
function decodedOrRaw(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** The route API Gateway matched; a bare method + path when a router sends no route key. */
function routeOf(event: ReviewEvent): {
	route: "decide" | "show" | undefined;
	attemptId: string;
} {
	const method =
		event.requestContext.http?.method ?? event.routeKey.split(" ")[0];
	const path = event.rawPath ?? "";
	const attemptId =
		event.pathParameters?.attemptId ??
		decodedOrRaw(/^\/attempts\/([^/]+)/.exec(path)?.[1] ?? "");
	if (
		method === "POST" &&
		(event.routeKey === "POST /attempts/{attemptId}/decision" ||
			/^\/attempts\/[^/]+\/decision\/?$/.test(path))
	)
		return { route: "decide", attemptId };
	if (
		method === "GET" &&
		(event.routeKey === "GET /attempts/{attemptId}" ||
			/^\/attempts\/[^/]+\/?$/.test(path))
	)
		return { route: "show", attemptId };
	return { route: undefined, attemptId };
}

export function makeHandler(
	deps: ReviewDeps,
	{ logger, metrics }: Observability,
) {
	const decide = async (
		event: ReviewEvent,
		attemptId: string,
	): Promise<Reply> => {
		const parsed = DecisionBodySchema.safeParse(bodyOf(event));
		if (!parsed.success)
			return json(400, {
				error: "invalid-request",
				message: parsed.error.issues
					.map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
					.join("; "),
			});
		const reviewer =
			event.requestContext.authorizer?.iam?.userArn ?? parsed.data.reviewer;
		if (!reviewer)
			return json(400, {
				error: "invalid-request",
				message: "reviewer: required when the request is not IAM-authenticated",
			});
		const result = await decideOnAttempt(deps, attemptId, {
			...parsed.data,
			reviewer,
		});
		if (result.status === "refused") {
			logger.info("decision refused", {
				attemptId,
				reviewer,
				code: result.refusal.code,
			});
			metrics.addMetric(
				`DecisionRefused_${result.refusal.code}`,
				MetricUnit.Count,
				1,
			);
			return json(REFUSAL_STATUS[result.refusal.code], {
				error: result.refusal.code,
				message: result.refusal.message,
			});
		}
		const { attempt } = result;
		logger.info("decision stored", {
			attemptId,
			reviewer,
			outcome: parsed.data.outcome,
			status: result.status,
			verdict: attempt.verdict,
		});
		if (result.status === "recorded")
			metrics.addMetric(`Decision_${parsed.data.outcome}`, MetricUnit.Count, 1);
		return json(result.status === "recorded" ? 201 : 200, {
			status: result.status,
			attemptId,
			attemptNumber: result.attemptNumber,
			verdict: attempt.verdict,
			...(attempt.decision ? { decision: attempt.decision } : {}),
			...(attempt.escalation ? { escalation: attempt.escalation } : {}),
		});
	};

	const show = async (attemptId: string): Promise<Reply> => {
		const attempt = await deps.store.findAttempt(attemptId);
		const record =
			attempt &&
			(await deps.store.getDeposit(attempt.enterpriseId, attempt.period));
		metrics.addMetric("AttemptViews", MetricUnit.Count, 1);
		if (!attempt || !record)
			return json(404, {
				error: "not-found",
				message: `no attempt ${attemptId} is recorded`,
			});
		const later = supersedingAttempt(record, attemptId);
		return json(200, {
			attempt,
			attemptNumber: attemptNumber(record, attemptId),
			attempts: record.attempts.length,
			...(later ? { supersededBy: later.attemptId } : {}),
		});
	};

	return lambda(
		async (event: ReviewEvent): Promise<Reply> => {
			const { route, attemptId } = routeOf(event);
			if (route && !AttemptIdSchema.safeParse(attemptId).success)
				return json(400, {
					error: "invalid-request",
					message:
						"attemptId: 不是有效的尝试编号 / not an attempt id (up to 128 letters, digits and . _ : -)",
				});
			try {
				if (route === "decide") return await decide(event, attemptId);
				if (route === "show") return await show(attemptId);
				return json(404, {
					error: "no-route",
					message: `${event.routeKey} is not a review route`,
				});
			} catch (error) {
				// Faults (throttles, timeouts) reach the caller as a 500 without internals; the caller retries
				// with the same decisionId, which the use case recognises.
				logger.error("review request failed", {
					attemptId,
					error: error as Error,
				});
				return json(500, {
					error: "internal",
					message:
						"the decision could not be stored; retry with the same request",
				});
			}
		},
		{ logger, metrics },
	);
}

export const handler = makeHandler(
	reviewDeps(loadConfig(ReviewConfigSchema), createAwsClients()),
	observability("review"),
);
