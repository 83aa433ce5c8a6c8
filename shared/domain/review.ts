/**
 * The reviewer's decision rules: who may decide what on which attempt. Pure: the record, the
 * attempt and the request go in, a ruling comes out (record it, recognise a replay, or refuse
 * with a reason a reviewer can act on). Nothing here throws for a bad request.
 *
 * - A decision is final: accept or return, once per attempt.
 * - Only the latest attempt of an enterprise-period can be decided: an earlier one is superseded
 *   by the re-deposit, which is what the enterprise wants judged now.
 * - An attempt the machine returned (it has errors) stays returned: errors block acceptance, so a
 *   reviewer may only confirm the return with comments for the enterprise (verdict unchanged).
 * - An attempt accepted by the machine (no errors, no warnings) has nothing to decide.
 * - A city reviewer may escalate once to provincial review; after that only a province-level
 *   reviewer may decide. The province is the top review level (national screening is the machine's).
 * - A return must say why (a comment, or a comment per issue); an accept of an attempt with
 *   warnings must explain why they are acceptable; an escalation must say what to look at.
 */
import { z } from "zod";
import {
	type AcceptedMonth,
	type Attempt,
	type AttemptSummary,
	type Decision,
	type EnterprisePeriod,
	type Escalation,
	type IssueComment,
	IssueCommentSchema,
	laterAccepted,
	type ReviewLevel,
	ReviewLevelSchema,
} from "./attempt.ts";
import type { Issue, Verdict } from "./issues.ts";

export const DecisionOutcomeSchema = z.enum(["accept", "return", "escalate"]);
export type DecisionOutcome = z.infer<typeof DecisionOutcomeSchema>;

/** One reviewer's request, as the API and the CLI both send it. */
export const DecisionRequestSchema = z.object({
	outcome: DecisionOutcomeSchema,
	reviewer: z.string().trim().min(1, "reviewer is required"),
	level: ReviewLevelSchema.default("city"),
	comment: z.string().trim().default(""),
	issueComments: z.array(IssueCommentSchema).default([]),
	/** The client's idempotency key; the use case derives one from the content when absent. */
	decisionId: z.string().trim().min(1).max(128).optional(),
});
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

export type RefusalCode =
	| "not-found"
	| "already-decided"
	| "superseded"
	| "nothing-to-decide"
	| "machine-returned"
	| "already-escalated"
	| "wrong-level"
	| "comment-required"
	| "unknown-issue";

export interface Refusal {
	readonly code: RefusalCode;
	readonly message: string;
}

export type ReviewRuling =
	| {
			readonly kind: "decide";
			readonly decision: Decision;
			readonly verdict: Extract<Verdict, "accepted" | "returned">;
	  }
	| { readonly kind: "escalate"; readonly escalation: Escalation }
	/** This very decision (same decisionId) is already recorded: answer as if it had just been. */
	| { readonly kind: "replay" }
	| { readonly kind: "refuse"; readonly refusal: Refusal };

const refuse = (code: RefusalCode, message: string): ReviewRuling => ({
	kind: "refuse",
	refusal: { code, message },
});

/** The attempt that replaced this one, if any: the latest by receipt time. */
export function supersedingAttempt(
	record: EnterprisePeriod,
	attemptId: string,
): AttemptSummary | undefined {
	const index = record.attempts.findIndex((a) => a.attemptId === attemptId);
	const latest = record.attempts.at(-1);
	return index >= 0 && index < record.attempts.length - 1 ? latest : undefined;
}

export function describeDecision(decision: Decision): string {
	const outcome = decision.outcome === "accept" ? "accepted" : "returned";
	return `${outcome} by ${decision.reviewer} (${decision.level}) at ${decision.decidedAt}`;
}

function issueWhere(c: Pick<Issue, "code" | "unitId" | "field">): string {
	return [c.code, c.unitId ? `unit ${c.unitId}` : "", c.field ?? ""]
		.filter(Boolean)
		.join(" ");
}

/** An issue comment must point at an issue of this attempt; unit and field narrow it when given. */
function matchesIssue(comment: IssueComment, issue: Issue): boolean {
	return (
		comment.code === issue.code &&
		(comment.unitId === undefined || comment.unitId === issue.unitId) &&
		(comment.field === undefined || comment.field === issue.field)
	);
}

export function ruleOnDecision(
	record: EnterprisePeriod,
	attempt: Attempt,
	request: DecisionRequest & { decisionId: string },
	now: Date,
): ReviewRuling {
	const number =
		record.attempts.findIndex((a) => a.attemptId === attempt.attemptId) + 1;
	const label = `attempt ${number} (${attempt.attemptId}) of ${attempt.enterpriseId} ${attempt.period}`;
	if (
		attempt.decision?.decisionId === request.decisionId ||
		attempt.escalation?.decisionId === request.decisionId
	)
		return { kind: "replay" };
	if (attempt.decision) {
		return refuse(
			"already-decided",
			`${label} was already ${describeDecision(attempt.decision)}; decisions are final`,
		);
	}
	if (number === 0)
		return refuse(
			"not-found",
			`${label} is not listed in its enterprise-period record`,
		);
	const later = supersedingAttempt(record, attempt.attemptId);
	if (later) {
		return refuse(
			"superseded",
			`${label} is superseded by attempt ${record.attempts.length} (${later.attemptId}) received ${later.receivedAt}; decide on the latest attempt`,
		);
	}
	const machineVerdict = attempt.validation.verdict;
	if (machineVerdict === "accepted")
		return refuse(
			"nothing-to-decide",
			`${label} was accepted automatically (no errors, no warnings); there is nothing to decide`,
		);
	if (machineVerdict === "returned" && request.outcome !== "return") {
		return refuse(
			"machine-returned",
			`${label} has ${attempt.validation.stats.errors} error(s) and was returned by validation; errors block acceptance, so it can only be returned with comments and the enterprise must re-deposit`,
		);
	}

	const atLevel: ReviewLevel = attempt.escalation?.toLevel ?? "city";
	if (request.outcome === "escalate") {
		if (attempt.escalation)
			return refuse(
				"already-escalated",
				`${label} was already escalated to ${attempt.escalation.toLevel} review by ${attempt.escalation.reviewer} at ${attempt.escalation.escalatedAt}`,
			);
		if (request.level !== "city")
			return refuse(
				"wrong-level",
				"only a city-level reviewer can escalate: province is the top review level",
			);
	} else if (request.level !== atLevel) {
		return refuse(
			"wrong-level",
			attempt.escalation
				? `${label} was escalated to ${atLevel} review by ${attempt.escalation.reviewer}; a ${atLevel}-level reviewer must decide it`
				: `${label} is at ${atLevel} review; a ${request.level}-level reviewer can decide it only after a city reviewer escalates it`,
		);
	}

	const unknown = request.issueComments.filter(
		(c) => !attempt.validation.issues.some((issue) => matchesIssue(c, issue)),
	);
	if (unknown.length > 0) {
		const known =
			attempt.validation.issues.map(issueWhere).join(", ") || "none";
		return refuse(
			"unknown-issue",
			`${unknown.map(issueWhere).join(", ")}: no such issue on ${label} (its issues: ${known})`,
		);
	}
	if (
		request.outcome === "return" &&
		request.comment === "" &&
		request.issueComments.length === 0
	) {
		return refuse(
			"comment-required",
			"a return must tell the enterprise what to fix: give a comment or a comment per issue",
		);
	}
	if (
		request.outcome === "accept" &&
		attempt.validation.stats.warnings > 0 &&
		request.comment === ""
	) {
		return refuse(
			"comment-required",
			`${label} has ${attempt.validation.stats.warnings} warning(s): explain in a comment why they are acceptable`,
		);
	}
	if (request.outcome === "escalate" && request.comment === "") {
		return refuse(
			"comment-required",
			"an escalation must tell the provincial reviewer what to look at: give a comment",
		);
	}

	const at = now.toISOString();
	if (request.outcome === "escalate") {
		return {
			kind: "escalate",
			escalation: {
				decisionId: request.decisionId,
				reviewer: request.reviewer,
				fromLevel: "city",
				toLevel: "province",
				escalatedAt: at,
				comment: request.comment,
			},
		};
	}
	return {
		kind: "decide",
		verdict: request.outcome === "accept" ? "accepted" : "returned",
		decision: {
			decisionId: request.decisionId,
			outcome: request.outcome,
			reviewer: request.reviewer,
			level: request.level,
			decidedAt: at,
			comment: request.comment,
			issueComments: request.issueComments,
		},
	};
}

/** The enterprise-period record once a ruling is applied to one of its attempts (next version). */
export function recordWithRuling(
	record: EnterprisePeriod,
	attemptId: string,
	ruling: Extract<ReviewRuling, { kind: "decide" | "escalate" }>,
	/** The decided attempt as a later month's history sees it, when the decision accepts it. */
	accepted?: AcceptedMonth,
): EnterprisePeriod {
	const latest = laterAccepted(record.accepted, accepted);
	return {
		...record,
		...(latest ? { accepted: latest } : {}),
		attempts: record.attempts.map((a) => {
			if (a.attemptId !== attemptId) return a;
			return ruling.kind === "decide"
				? {
						...a,
						verdict: ruling.verdict,
						decidedAt: ruling.decision.decidedAt,
					}
				: { ...a, escalated: true };
		}),
		version: record.version + 1,
	};
}
