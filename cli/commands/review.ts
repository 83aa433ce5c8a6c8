/**
 * Reviewer commands: `evidence review` (interactive: take the next review message, decide, and
 * only then delete the message) and `evidence review decide` (one decision, for scripts).
 *
 * Decisions go through the HTTP API when the connection has one (the twin's server, or
 * EVIDENCE_API_URL in the cloud, signed with the caller's AWS credentials); without it the CLI
 * calls the same use case directly against the tables, which only the twin's open access allows.
 */
import {
	createHash,
	createHmac,
	type Hash,
	type Hmac,
	randomUUID,
} from "node:crypto";
import { userInfo } from "node:os";
import { createInterface, type Interface } from "node:readline/promises";
import {
	ChangeMessageVisibilityCommand,
	DeleteMessageCommand,
	type Message,
	ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { recordedFileLink } from "#adapters/evidence-links.ts";
import type { Command } from "commander";
import { DynamoDecisions } from "#adapters/dynamo-decisions.ts";
import { DynamoLedger } from "#adapters/dynamo-ledger.ts";
import { SqsReviewQueue } from "#adapters/sqs-review-queue.ts";
import { decideOnAttempt } from "#app/review-decision.ts";
import {
	type Attempt,
	attemptNumber,
	type IssueComment,
	type ReviewLevel,
	ReviewLevelSchema,
} from "#domain/attempt.ts";
import type {
	DecisionOutcome,
	DecisionRequest,
	RefusalCode,
} from "#domain/review.ts";
import { supersedingAttempt } from "#domain/review.ts";
import {
	type ReviewMessage,
	ReviewMessageSchema,
} from "#domain/review-message.ts";
import { QUEUES } from "#resources/specs.ts";
import { type Connection, connect } from "../connection.ts";
import {
	duration,
	historyLines,
	issuesByUnit,
	reviewLines,
	shanghaiTime,
} from "../format.ts";
import { registerDlqCommands } from "./dlq.ts";

export interface AttemptView {
	readonly attempt: Attempt;
	readonly attemptNumber: number;
	readonly attempts: number;
	readonly supersededBy?: string;
}

export type DecideAnswer =
	| {
			readonly ok: true;
			readonly status: "recorded" | "replayed";
			readonly verdict: string;
			readonly attemptNumber: number;
	  }
	| {
			readonly ok: false;
			readonly code: RefusalCode | "invalid-request" | "internal" | string;
			readonly message: string;
	  };

/** Where decisions go: the API, or the use case itself on the twin. */
export interface ReviewBackend {
	readonly via: "api" | "direct";
	show(attemptId: string): Promise<AttemptView | undefined>;
	decide(attemptId: string, request: DecisionRequest): Promise<DecideAnswer>;
}

/** Refusals that end a message's life: what it asked for is settled, whoever settled it. */
const SETTLED: readonly string[] = [
	"already-decided",
	"superseded",
	"nothing-to-decide",
];

type HashInput = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: HashInput) =>
	typeof data === "string"
		? Buffer.from(data)
		: ArrayBuffer.isView(data)
			? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
			: Buffer.from(data);

/** SHA-256 / HMAC-SHA-256 in the shape SignatureV4 expects, from node:crypto. */
class NodeSha256 {
	private hash: Hash | Hmac;
	constructor(private readonly secret?: HashInput) {
		this.hash = this.fresh();
	}
	private fresh(): Hash | Hmac {
		return this.secret === undefined
			? createHash("sha256")
			: createHmac("sha256", bytes(this.secret));
	}
	update(data: HashInput): void {
		this.hash.update(bytes(data));
	}
	async digest(): Promise<Uint8Array> {
		return new Uint8Array(this.hash.digest());
	}
	reset(): void {
		this.hash = this.fresh();
	}
}

/** A request to the deployment's API: IAM-signed in the cloud (the summary command's late list uses it too). */
export async function signedFetch(
	connection: Connection,
	url: URL,
	init: { method: string; body?: string },
): Promise<Response> {
	const headers: Record<string, string> = {
		"content-type": "application/json",
		host: url.host,
	};
	if (connection.target !== "aws") return fetch(url, { ...init, headers });
	// The cloud API is IAM-authorized: sign as the reviewer, whose principal becomes the decider.
	const [{ SignatureV4 }, { defaultProvider }] = await Promise.all([
		import("@smithy/signature-v4"),
		import("@aws-sdk/credential-provider-node"),
	]);
	const region =
		process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
	const signer = new SignatureV4({
		service: "execute-api",
		region,
		credentials: defaultProvider(),
		sha256: NodeSha256,
	});
	const signed = await signer.sign({
		method: init.method,
		protocol: url.protocol,
		hostname: url.hostname,
		path: url.pathname,
		headers,
		...(init.body ? { body: init.body } : {}),
		...(url.port ? { port: Number(url.port) } : {}),
	});
	return fetch(url, { ...init, headers: signed.headers });
}

export function apiBackend(
	connection: Connection,
	apiUrl: string,
): ReviewBackend {
	const at = (path: string) =>
		new URL(
			path.replace(/^\//, ""),
			apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`,
		);
	return {
		via: "api",
		async show(attemptId) {
			const response = await signedFetch(
				connection,
				at(`/attempts/${encodeURIComponent(attemptId)}`),
				{ method: "GET" },
			);
			if (response.status === 404) return undefined;
			if (!response.ok)
				throw new Error(
					`GET /attempts/${attemptId}: HTTP ${response.status} ${await response.text()}`,
				);
			return (await response.json()) as AttemptView;
		},
		async decide(attemptId, request) {
			const response = await signedFetch(
				connection,
				at(`/attempts/${encodeURIComponent(attemptId)}/decision`),
				{ method: "POST", body: JSON.stringify(request) },
			);
			const body = (await response.json().catch(() => ({}))) as {
				status?: "recorded" | "replayed";
				verdict?: string;
				attemptNumber?: number;
				error?: string;
				message?: string;
			};
			if (response.ok)
				return {
					ok: true,
					status: body.status ?? "recorded",
					verdict: body.verdict ?? "",
					attemptNumber: body.attemptNumber ?? 0,
				};
			return {
				ok: false,
				code: body.error ?? `http-${response.status}`,
				message: body.message ?? `HTTP ${response.status}`,
			};
		},
	};
}

export function directBackend(connection: Connection): ReviewBackend {
	if (!connection.reviewQueueUrl)
		throw new Error("no review queue is configured (REVIEW_QUEUE_URL)");
	const store = new DynamoDecisions(connection.clients.db, connection.tables);
	const deps = {
		store,
		reviewQueue: new SqsReviewQueue(
			connection.clients.sqs,
			connection.reviewQueueUrl,
		),
		now: () => new Date(),
	};
	return {
		via: "direct",
		async show(attemptId) {
			const attempt = await store.findAttempt(attemptId);
			const record =
				attempt &&
				(await store.getDeposit(attempt.enterpriseId, attempt.period));
			if (!attempt || !record) return undefined;
			const later = supersedingAttempt(record, attemptId);
			return {
				attempt,
				attemptNumber: attemptNumber(record, attemptId),
				attempts: record.attempts.length,
				...(later ? { supersededBy: later.attemptId } : {}),
			};
		},
		async decide(attemptId, request) {
			const result = await decideOnAttempt(deps, attemptId, request);
			if (result.status === "refused")
				return {
					ok: false,
					code: result.refusal.code,
					message: result.refusal.message,
				};
			return {
				ok: true,
				status: result.status,
				verdict: result.attempt.verdict,
				attemptNumber: result.attemptNumber,
			};
		},
	};
}

export function backendFor(connection: Connection): ReviewBackend {
	if (connection.apiUrl) return apiBackend(connection, connection.apiUrl);
	if (connection.target !== "twin")
		throw new Error(
			"set EVIDENCE_API_URL: in the cloud decisions go through the review API",
		);
	return directBackend(connection);
}

function defaultReviewer(): string {
	return process.env.EVIDENCE_REVIEWER ?? userInfo().username;
}

function describeAnswer(
	answer: Extract<DecideAnswer, { ok: true }>,
	outcome: DecisionOutcome,
): string {
	const what =
		outcome === "escalate" ? "escalated to provincial review" : answer.verdict;
	return `${answer.status === "replayed" ? "already stored" : "stored"}: attempt ${answer.attemptNumber} ${what}`;
}

/** `CODE=comment` or `CODE@unit=comment` or `CODE@unit/field=comment`. */
function parseIssueComment(text: string): IssueComment {
	const eq = text.indexOf("=");
	if (eq <= 0)
		throw new Error(
			`--issue-comment ${text}: expected CODE[@unit[/field]]=comment`,
		);
	const [code = "", where = ""] = text.slice(0, eq).split("@");
	const [unitId, field] = where.split("/");
	return {
		code,
		...(unitId ? { unitId } : {}),
		...(field ? { field } : {}),
		comment: text.slice(eq + 1),
	};
}

class Reviewer {
	private readonly ledger: DynamoLedger;

	constructor(
		private readonly connection: Connection,
		private readonly backend: ReviewBackend,
		private readonly rl: Interface,
		private readonly options: {
			reviewer: string;
			level: ReviewLevel;
			enterprise?: string;
			once: boolean;
			idleExit?: number;
		},
	) {
		this.ledger = new DynamoLedger(connection.clients.db, connection.tables);
	}

	private get queueUrl(): string {
		return this.connection.reviewQueueUrl as string;
	}

	private say(text = ""): void {
		process.stdout.write(`${text}\n`);
	}

	private async release(message: Message, seconds = 0): Promise<void> {
		await this.connection.clients.sqs.send(
			new ChangeMessageVisibilityCommand({
				QueueUrl: this.queueUrl,
				ReceiptHandle: message.ReceiptHandle ?? "",
				VisibilityTimeout: seconds,
			}),
		);
	}

	private async remove(message: Message): Promise<void> {
		await this.connection.clients.sqs.send(
			new DeleteMessageCommand({
				QueueUrl: this.queueUrl,
				ReceiptHandle: message.ReceiptHandle ?? "",
			}),
		);
	}

	private isMine(review: ReviewMessage): boolean {
		if (
			this.options.enterprise &&
			review.enterpriseId !== this.options.enterprise
		)
			return false;
		return (review.level ?? "city") === this.options.level;
	}

	async run(): Promise<void> {
		this.say(
			`Reviewing as ${this.options.reviewer} (${this.options.level} level); decisions via ${this.backend.via === "api" ? this.connection.apiUrl : "the twin tables (no API URL)"}.`,
		);
		let idleSince = Date.now();
		for (;;) {
			this.say("Waiting for the next deposit to review… (Ctrl-C to stop)");
			const { Messages = [] } = await this.connection.clients.sqs.send(
				new ReceiveMessageCommand({
					QueueUrl: this.queueUrl,
					MaxNumberOfMessages: 1,
					WaitTimeSeconds: 10,
					MessageSystemAttributeNames: ["ApproximateReceiveCount"],
				}),
			);
			const [message] = Messages;
			if (!message) {
				if (
					this.options.idleExit !== undefined &&
					Date.now() - idleSince > this.options.idleExit * 1000
				)
					return this.say("Nothing left to review.");
				continue;
			}
			const parsed = ReviewMessageSchema.safeParse(
				JSON.parse(message.Body ?? "null"),
			);
			if (!parsed.success) {
				// Left alone: after the queue's maxReceiveCount it lands in the DLQ, where `evidence dlq` shows why.
				this.say(
					`skipping a malformed review message ${message.MessageId}: ${parsed.error.issues[0]?.message}`,
				);
				continue;
			}
			if (!this.isMine(parsed.data)) {
				// Another reviewer's: hand it back, and pause so two filters do not spin on each other's messages.
				await this.release(message);
				await new Promise((r) => setTimeout(r, 1000));
				continue;
			}
			idleSince = Date.now();
			const next = await this.review(message, parsed.data);
			if (next === "quit" || this.options.once) return;
		}
	}

	private async review(
		message: Message,
		review: ReviewMessage,
	): Promise<"next" | "quit"> {
		const view = await this.backend.show(review.attemptId);
		if (!view) {
			this.say(
				`attempt ${review.attemptId} is not in the ledger; leaving its message for the DLQ`,
			);
			return "next";
		}
		if (view.attempt.decision || view.supersededBy) {
			const why = view.attempt.decision
				? reviewLines(view.attempt)[view.attempt.escalation ? 1 : 0]?.trim()
				: `superseded by attempt ${view.attempts} (${view.supersededBy})`;
			this.say(
				`attempt ${review.attemptId} of ${review.enterpriseId} ${review.period} needs no review: ${why}. Removing its message.`,
			);
			await this.remove(message);
			return "next";
		}
		await this.show(review, view);
		// Keep the message while the reviewer reads: another reviewer must not get it meanwhile.
		const heartbeat = setInterval(
			() =>
				void this.release(
					message,
					QUEUES.review.visibilityTimeoutSeconds,
				).catch(() => undefined),
			60_000,
		);
		try {
			return await this.decideInteractively(message, review, view);
		} finally {
			clearInterval(heartbeat);
		}
	}

	private async show(review: ReviewMessage, view: AttemptView): Promise<void> {
		const { attempt } = view;
		const t = attempt.timeliness;
		const history = await this.ledger.depositsOf(review.enterpriseId);
		this.say("");
		this.say("═".repeat(78));
		this.say(
			`${review.enterpriseName ?? ""} ${review.enterpriseId}  ${[review.province, review.city].filter(Boolean).join(" ")}`.trim(),
		);
		this.say(
			`period ${review.period}   attempt ${view.attemptNumber} (${attempt.attemptId})   received ${shanghaiTime(attempt.receivedAt)}   ${t.onTime ? "on time" : `LATE by ${duration(t.lateBySeconds)}`}`,
		);
		this.say(
			`machine verdict: ${attempt.validation.verdict.toUpperCase()} — ${attempt.validation.stats.errors} error(s), ${attempt.validation.stats.warnings} warning(s)${review.level === "province" ? "   [escalated to province]" : ""}`,
		);
		if (review.escalation)
			this.say(
				`escalated by ${review.escalation.reviewer}: ${review.escalation.comment}`,
			);
		this.say("\nIssues:");
		this.say(issuesByUnit(attempt.validation.issues));
		this.say("\nRecent history:");
		for (const line of historyLines(history)) this.say(line);
		this.say("\nEvidence (links valid for 1 hour):");
		for (const file of attempt.files) {
			// The version the attempt recorded, as a download of the type the check found.
			const url = await recordedFileLink(this.connection.clients.s3, this.connection.bucket, file);
			this.say(
				`  ${file.role.padEnd(8)} ${file.fileName}  sha256 ${file.sha256.slice(0, 12)}…\n           ${url}`,
			);
		}
		this.say("");
	}

	private async decideInteractively(
		message: Message,
		review: ReviewMessage,
		view: AttemptView,
	): Promise<"next" | "quit"> {
		const decisionId = randomUUID();
		const { attempt } = view;
		const machineReturned = attempt.validation.verdict === "returned";
		for (;;) {
			const choices = machineReturned
				? "[r]eturn with comments  [s]kip  [q]uit"
				: "[a]ccept  [r]eturn  [e]scalate  [s]kip  [q]uit";
			const choice = (await this.rl.question(`Decision — ${choices}: `))
				.trim()
				.toLowerCase();
			let request: DecisionRequest;
			if (choice === "s" || choice === "skip") {
				this.say(
					`Skipped; the deposit returns to the queue in ${QUEUES.review.visibilityTimeoutSeconds / 60} minutes.`,
				);
				return "next";
			} else if (choice === "q" || choice === "quit") {
				await this.release(message);
				return "quit";
			} else if (choice === "a" || choice === "accept") {
				const prompt =
					attempt.validation.stats.warnings > 0
						? "Why are the warnings acceptable? "
						: "Comment (optional): ";
				request = this.request(
					"accept",
					decisionId,
					(await this.rl.question(prompt)).trim(),
				);
			} else if (choice === "r" || choice === "return") {
				const issueComments: IssueComment[] = [];
				for (const issue of attempt.validation.issues.filter(
					(i) => i.severity !== "info",
				)) {
					const where = [
						issue.unitId ? `unit ${issue.unitId}` : "",
						issue.field ?? "",
					]
						.filter(Boolean)
						.join(" ");
					const comment = (
						await this.rl.question(
							`Comment on ${issue.code}${where ? ` (${where})` : ""} — Enter to skip: `,
						)
					).trim();
					if (comment)
						issueComments.push({
							code: issue.code,
							...(issue.unitId ? { unitId: issue.unitId } : {}),
							...(issue.field ? { field: issue.field } : {}),
							comment,
						});
				}
				request = {
					...this.request(
						"return",
						decisionId,
						(
							await this.rl.question("Overall comment to the enterprise: ")
						).trim(),
					),
					issueComments,
				};
			} else if (choice === "e" || choice === "escalate") {
				request = this.request(
					"escalate",
					decisionId,
					(
						await this.rl.question(
							"What should the provincial reviewer look at? ",
						)
					).trim(),
				);
			} else {
				continue;
			}
			const answer = await this.backend
				.decide(review.attemptId, request)
				.catch(
					(error: unknown): DecideAnswer => ({
						ok: false,
						code: "internal",
						message: (error as Error).message,
					}),
				);
			if (answer.ok) {
				await this.remove(message);
				this.say(
					`✓ ${describeAnswer(answer, request.outcome)}; message removed.`,
				);
				return "next";
			}
			if (SETTLED.includes(answer.code)) {
				await this.remove(message);
				this.say(`✗ ${answer.message}. Message removed.`);
				return "next";
			}
			// Not stored: the message stays; the reviewer can fix the request (same decisionId, so a
			// retry after a lost reply is recognised) or skip.
			this.say(`✗ not stored (${answer.code}): ${answer.message}`);
		}
	}

	private request(
		outcome: DecisionOutcome,
		decisionId: string,
		comment: string,
	): DecisionRequest {
		return {
			outcome,
			reviewer: this.options.reviewer,
			level: this.options.level,
			comment,
			issueComments: [],
			decisionId,
		};
	}
}

function levelOption(value: string): ReviewLevel {
	const parsed = ReviewLevelSchema.safeParse(value);
	if (!parsed.success)
		throw new Error(`--level ${value}: expected city or province`);
	return parsed.data;
}

export function registerReviewCommands(program: Command): void {
	const review = program
		.command("review")
		.description(
			"review deposits with problems: take the next one from the review queue, read its issues and evidence, decide",
		)
		.option(
			"--reviewer <id>",
			"who decides (twin only; in the cloud your IAM identity is recorded)",
			defaultReviewer(),
		)
		.option(
			"--level <level>",
			"your review level: city or province (escalated deposits)",
			"city",
		)
		.option(
			"--enterprise <creditCode>",
			"only this enterprise (others are handed back)",
		)
		.option("--once", "stop after one decision")
		.option(
			"--idle-exit <seconds>",
			"stop when nothing has arrived for this long",
		)
		.action(
			async (options: {
				reviewer: string;
				level: string;
				enterprise?: string;
				once?: boolean;
				idleExit?: string;
			}) => {
				const connection = connect();
				if (!connection.reviewQueueUrl)
					throw new Error("no review queue is configured (REVIEW_QUEUE_URL)");
				const rl = createInterface({
					input: process.stdin,
					output: process.stdout,
				});
				try {
					await new Reviewer(connection, backendFor(connection), rl, {
						reviewer: options.reviewer,
						level: levelOption(options.level),
						...(options.enterprise ? { enterprise: options.enterprise } : {}),
						once: options.once ?? false,
						...(options.idleExit ? { idleExit: Number(options.idleExit) } : {}),
					}).run();
				} finally {
					rl.close();
				}
			},
		);

	review
		.command("decide")
		.description(
			"record one decision without the queue (scripts; --reviewer and --level as for review); the queue message is removed when a reviewer next receives it",
		)
		.requiredOption(
			"--attempt <id>",
			"the attempt id (as in `evidence status` or the review message)",
		)
		.option(
			"--accept",
			"the deposit passes (explain any warnings with --comment)",
		)
		.option(
			"--return",
			"the enterprise must re-deposit (give --comment and/or --issue-comment)",
		)
		.option(
			"--escalate",
			"hand it to provincial review (say why with --comment)",
		)
		.option(
			"--comment <text>",
			"comment to the enterprise (or to the province when escalating)",
			"",
		)
		.option(
			"--issue-comment <CODE[@unit[/field]]=text...>",
			"a comment on one issue; repeatable",
		)
		.option(
			"--decision-id <id>",
			"idempotency key: repeating the command with it is not a second decision",
		)
		.option("--json", "print the answer as JSON")
		// --reviewer and --level belong to `review` (commander hands them to the parent wherever they appear).
		.action(async (_: unknown, command: Command) => {
			const options = command.optsWithGlobals<{
				attempt: string;
				accept?: boolean;
				return?: boolean;
				escalate?: boolean;
				comment: string;
				issueComment?: string[];
				reviewer: string;
				level: string;
				decisionId?: string;
				json?: boolean;
			}>();
			const outcomes = (["accept", "return", "escalate"] as const).filter(
				(o) => options[o],
			);
			const [outcome] = outcomes;
			if (outcomes.length !== 1 || !outcome)
				throw new Error("give exactly one of --accept, --return, --escalate");
			const backend = backendFor(connect());
			const answer = await backend.decide(options.attempt, {
				outcome,
				reviewer: options.reviewer,
				level: levelOption(options.level),
				comment: options.comment.trim(),
				issueComments: (options.issueComment ?? []).map(parseIssueComment),
				...(options.decisionId ? { decisionId: options.decisionId } : {}),
			});
			if (options.json) console.log(JSON.stringify(answer, null, 2));
			if (!answer.ok)
				throw new Error(`decision refused (${answer.code}): ${answer.message}`);
			if (!options.json) console.log(describeAnswer(answer, outcome));
		});

	registerDlqCommands(program);
}
