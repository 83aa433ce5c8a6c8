/** Reviewers' decisions in the ledger tables: on the attempt item and on its enterprise-period record. */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
	type DynamoDBDocumentClient,
	GetCommand,
	QueryCommand,
	TransactWriteCommand,
	UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type {
	DecisionStore,
	Ruling,
	RulingWriteOutcome,
} from "#app/review-decision.ts";
import {
	type Attempt,
	AttemptSchema,
	type EnterprisePeriod,
	EnterprisePeriodSchema,
} from "#domain/attempt.ts";
import { attemptRef, type LedgerTables } from "./dynamo-ledger.ts";

export const ATTEMPT_ID_INDEX = "byAttemptId";

function isCancellation(error: unknown): error is TransactionCanceledException {
	return (
		error instanceof TransactionCanceledException ||
		(error instanceof Error && error.name === "TransactionCanceledException")
	);
}

export class DynamoDecisions implements DecisionStore {
	constructor(
		private readonly db: DynamoDBDocumentClient,
		private readonly tables: LedgerTables,
	) {}

	async findAttempt(attemptId: string): Promise<Attempt | undefined> {
		// The index is eventually consistent, but an attempt's key never changes: it only locates
		// the item, which is then read consistently.
		const { Items = [] } = await this.db.send(
			new QueryCommand({
				TableName: this.tables.attempts,
				IndexName: ATTEMPT_ID_INDEX,
				KeyConditionExpression: "attemptId = :a",
				ExpressionAttributeValues: { ":a": attemptId },
				ProjectionExpression: "enterpriseId, attemptRef",
			}),
		);
		const [located] = Items;
		if (!located) return undefined;
		const { Item } = await this.db.send(
			new GetCommand({
				TableName: this.tables.attempts,
				Key: {
					enterpriseId: located.enterpriseId,
					attemptRef: located.attemptRef,
				},
				ConsistentRead: true,
			}),
		);
		return Item ? AttemptSchema.parse(Item) : undefined;
	}

	async getDeposit(
		enterpriseId: string,
		period: string,
	): Promise<EnterprisePeriod | undefined> {
		const { Item } = await this.db.send(
			new GetCommand({
				TableName: this.tables.deposits,
				Key: { enterpriseId, period },
				ConsistentRead: true,
			}),
		);
		return Item ? EnterprisePeriodSchema.parse(Item) : undefined;
	}

	async recordRuling(
		attempt: Attempt,
		ruling: Ruling,
		record: EnterprisePeriod,
		expectedVersion: number,
	): Promise<RulingWriteOutcome> {
		const attemptUpdate: {
			UpdateExpression: string;
			ConditionExpression: string;
			ExpressionAttributeNames: Record<string, string>;
			ExpressionAttributeValues: Record<string, unknown>;
		} =
			ruling.kind === "decide"
				? {
						UpdateExpression: "SET #decision = :decision, verdict = :verdict",
						ConditionExpression:
							"attribute_exists(enterpriseId) AND attribute_not_exists(#decision)",
						ExpressionAttributeNames: { "#decision": "decision" },
						ExpressionAttributeValues: {
							":decision": ruling.decision,
							":verdict": ruling.verdict,
						},
					}
				: {
						UpdateExpression: "SET #escalation = :escalation",
						ConditionExpression:
							"attribute_exists(enterpriseId) AND attribute_not_exists(#decision) AND attribute_not_exists(#escalation)",
						ExpressionAttributeNames: {
							"#decision": "decision",
							"#escalation": "escalation",
						},
						ExpressionAttributeValues: { ":escalation": ruling.escalation },
					};
		try {
			await this.db.send(
				new TransactWriteCommand({
					TransactItems: [
						{
							Update: {
								TableName: this.tables.attempts,
								Key: {
									enterpriseId: attempt.enterpriseId,
									attemptRef: attemptRef(attempt),
								},
								...attemptUpdate,
							},
						},
						{
							Put: {
								TableName: this.tables.deposits,
								Item: record,
								ConditionExpression: "version = :expected",
								ExpressionAttributeValues: { ":expected": expectedVersion },
							},
						},
					],
				}),
			);
			return "recorded";
		} catch (error) {
			if (!isCancellation(error)) throw error;
			const reasons = error.CancellationReasons ?? [];
			if (reasons[0]?.Code === "ConditionalCheckFailed")
				return "attempt-changed";
			// DynamoDB cancels with ValidationError when the update would take the item past 400 KB.
			if (reasons[0]?.Code === "ValidationError") return "too-large";
			if (reasons[1]?.Code === "ConditionalCheckFailed") return "conflict";
			throw error;
		}
	}

	async markEscalationQueued(attempt: Attempt, at: string): Promise<boolean> {
		try {
			await this.db.send(
				new UpdateCommand({
					TableName: this.tables.attempts,
					Key: {
						enterpriseId: attempt.enterpriseId,
						attemptRef: attemptRef(attempt),
					},
					UpdateExpression: "SET escalationQueuedAt = :at",
					ConditionExpression:
						"attribute_exists(enterpriseId) AND attribute_not_exists(escalationQueuedAt)",
					ExpressionAttributeValues: { ":at": at },
				}),
			);
			return true;
		} catch (error) {
			if (
				error instanceof Error &&
				error.name === "ConditionalCheckFailedException"
			)
				return false;
			throw error;
		}
	}

	async escalationQueuedAt(attempt: Attempt): Promise<string | undefined> {
		const { Item } = await this.db.send(
			new GetCommand({
				TableName: this.tables.attempts,
				Key: {
					enterpriseId: attempt.enterpriseId,
					attemptRef: attemptRef(attempt),
				},
				ProjectionExpression: "escalationQueuedAt",
				ConsistentRead: true,
			}),
		);
		return Item?.escalationQueuedAt as string | undefined;
	}
}
