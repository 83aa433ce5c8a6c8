/**
 * Reviewer commands: `evidence review` (interactive: take the next review message, decide, and
 * only then delete the message) and `evidence review decide` (one decision, for scripts).
 * This file wires commander options to the session (cli/review/session.ts) and the backend
 * (cli/review/backend.ts); the DLQ commands register themselves in cli/main.ts.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { recordedFileLink } from '#adapters/evidence-links.ts';
import { SqsReviewInbox } from '#adapters/sqs-review-inbox.ts';
import { type IssueComment, type ReviewLevel, ReviewLevelSchema } from '#domain/attempt.ts';
import { connect } from '#cli/connection.ts';
import { backendFor } from '#cli/review/backend.ts';
import { describeAnswer } from '#cli/review/render.ts';
import { ReviewSession } from '#cli/review/session.ts';

function defaultReviewer(): string {
  return process.env.EVIDENCE_REVIEWER ?? userInfo().username;
}

/** `CODE=comment` or `CODE@unit=comment` or `CODE@unit/field=comment`. */
export function parseIssueComment(text: string): IssueComment {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--issue-comment ${text}: expected CODE[@unit[/field]]=comment`);
  const [code = '', where = ''] = text.slice(0, eq).split('@');
  const [unitId, field] = where.split('/');
  return { code, ...(unitId ? { unitId } : {}), ...(field ? { field } : {}), comment: text.slice(eq + 1) };
}

export function levelOption(value: string): ReviewLevel {
  const parsed = ReviewLevelSchema.safeParse(value);
  if (!parsed.success) throw new Error(`--level ${value}: expected city or province`);
  return parsed.data;
}

interface ReviewOptions {
  reviewer: string;
  level: string;
  enterprise?: string;
  once?: boolean;
  idleExit?: string;
}

async function reviewInteractively(options: ReviewOptions): Promise<void> {
  const connection = connect();
  const queueUrl = connection.reviewQueueUrl;
  if (!queueUrl) throw new Error('no review queue is configured (REVIEW_QUEUE_URL)');
  const backend = backendFor(connection);
  const ledger = new DynamoLedger(connection.clients.db, connection.tables);
  // Node's own line reader: answers piped in or typed in a terminal (the tmux test) read alike.
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const session = new ReviewSession(
      {
        inbox: new SqsReviewInbox(connection.clients.sqs, queueUrl),
        backend,
        ask: (question) => rl.question(question),
        say: (text) => process.stdout.write(`${text}\n`),
        history: (enterpriseId) => ledger.depositsOf(enterpriseId),
        // The version the attempt recorded, as a download of the type the check found.
        evidenceLink: (file) => recordedFileLink(connection.clients.s3, connection.bucket, file),
        newDecisionId: randomUUID,
      },
      {
        reviewer: options.reviewer,
        level: levelOption(options.level),
        ...(options.enterprise ? { enterprise: options.enterprise } : {}),
        once: options.once ?? false,
        ...(options.idleExit ? { idleExit: Number(options.idleExit) } : {}),
        decisionsVia: backend.via === 'api' ? (connection.apiUrl ?? '') : 'the twin tables (no API URL)',
      },
    );
    await session.run();
  } finally {
    rl.close();
  }
}

interface DecideOptions {
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
}

async function decideOnce(options: DecideOptions): Promise<void> {
  const outcomes = (['accept', 'return', 'escalate'] as const).filter((o) => options[o]);
  const [outcome] = outcomes;
  if (outcomes.length !== 1 || !outcome) throw new Error('give exactly one of --accept, --return, --escalate');
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
  if (!answer.ok) throw new Error(`decision refused (${answer.code}): ${answer.message}`);
  if (!options.json) console.log(describeAnswer(answer, outcome));
}

export function registerReviewCommands(program: Command): void {
  const review = program
    .command('review')
    .description('review deposits with problems: take the next one from the review queue, read its issues and evidence, decide / 审核有问题的存证')
    .option('--reviewer <id>', 'who decides (twin only; in the cloud your IAM identity is recorded)', defaultReviewer())
    .option('--level <level>', 'your review level: city or province (escalated deposits)', 'city')
    .option('--enterprise <creditCode>', 'only this enterprise (others are handed back)')
    .option('--once', 'stop after one decision')
    .option('--idle-exit <seconds>', 'stop when nothing has arrived for this long')
    .action(reviewInteractively);

  review
    .command('decide')
    .description(
      'record one decision without the queue (scripts; --reviewer and --level as for review); the queue message is removed when a reviewer next receives it',
    )
    .requiredOption('--attempt <id>', 'the attempt id (as in `evidence status` or the review message)')
    .option('--accept', 'the deposit passes (explain any warnings with --comment)')
    .option('--return', 'the enterprise must re-deposit (give --comment and/or --issue-comment)')
    .option('--escalate', 'hand it to provincial review (say why with --comment)')
    .option('--comment <text>', 'comment to the enterprise (or to the province when escalating)', '')
    .option('--issue-comment <CODE[@unit[/field]]=text...>', 'a comment on one issue; repeatable')
    .option('--decision-id <id>', 'idempotency key: repeating the command with it is not a second decision')
    .option('--json', 'print the answer as JSON')
    // --reviewer and --level belong to `review` (commander hands them to the parent wherever they appear).
    .action((_: unknown, command: Command) => decideOnce(command.optsWithGlobals<DecideOptions>()));
}
