/**
 * Operator commands: `evidence dlq` lists what is in each dead-letter queue and why, leaving it
 * there; `evidence dlq redrive` puts it back on its source queue once the cause is fixed.
 * In the cloud the source queues come from INTAKE_QUEUE_URL and REVIEW_QUEUE_URL.
 */
import type { Command } from 'commander';
import { type BodyDiagnosis, resolveDeadLetterQueue, SqsDeadLetters } from '#adapters/sqs-dlq.ts';
import { ReviewMessageSchema } from '#domain/review-message.ts';
import { zodIssuesText } from '#domain/zod-issues.ts';
import { reportUploadsIn } from '#lambda/s3-events.ts';
import { QUEUES, type QueueName } from '#resources/specs.ts';
import { type Connection, connect } from '../connection.ts';
import { shanghaiTime } from '../format.ts';

/** Why each consumer would fail on a body, where the body alone tells. */
export const DIAGNOSES: Record<QueueName, BodyDiagnosis> = {
  intake: (body) => {
    try {
      const uploads = reportUploadsIn(body);
      return uploads.length === 0 ? 'an S3 event announcing no report' : `S3 event for ${uploads.map((u) => u.key).join(', ')}: validate-deposit failed on it`;
    } catch (error) {
      return (error as Error).message;
    }
  },
  review: (body) => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return `not JSON: ${body.slice(0, 80)}`;
    }
    const parsed = ReviewMessageSchema.safeParse(json);
    if (!parsed.success) return `not a review message: ${zodIssuesText(parsed.error, { limit: 3 })}`;
    const m = parsed.data;
    return `review of attempt ${m.attempt} (${m.attemptId}) of ${m.enterpriseId} ${m.period}: no reviewer settled it`;
  },
};

function sourceUrl(connection: Connection, queue: QueueName): string {
  const url = connection.twin ? connection.twin.resources.queues[queue].url : queue === 'review' ? connection.reviewQueueUrl : process.env.INTAKE_QUEUE_URL;
  if (!url) throw new Error(`the ${queue} queue URL is not known: set ${queue === 'review' ? 'REVIEW_QUEUE_URL' : 'INTAKE_QUEUE_URL'}`);
  return url;
}

function queuesOf(option: string | undefined): QueueName[] {
  const all = Object.keys(QUEUES) as QueueName[];
  if (option === undefined) return all;
  if (!all.includes(option as QueueName)) throw new Error(`--queue ${option}: expected one of ${all.join(', ')}`);
  return [option as QueueName];
}

export function registerDlqCommands(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('list what is in the dead-letter queues and why (messages stay where they are) / 查看死信队列')
    .option('--queue <name>', `only one queue: ${Object.keys(QUEUES).join(' or ')}`)
    .option('--json', 'machine-readable output')
    .action(async (options: { queue?: string; json?: boolean }) => {
      const connection = connect();
      const deadLetters = new SqsDeadLetters(connection.clients.sqs);
      const out: Record<string, unknown> = {};
      for (const name of queuesOf(options.queue)) {
        const queue = await resolveDeadLetterQueue(connection.clients.sqs, name, sourceUrl(connection, name));
        const messages = await deadLetters.list(queue, DIAGNOSES[name]);
        out[name] = messages;
        if (options.json) continue;
        console.log(`${name}-dlq: ${messages.length} message(s)`);
        for (const m of messages) {
          console.log(`  ${m.messageId}  first sent ${shanghaiTime(m.firstSentAt)}  received ${m.receiveCount}×`);
          console.log(`    reason: ${m.reason}`);
          console.log(`    body:   ${m.body.length > 160 ? `${m.body.slice(0, 160)}…` : m.body}`);
        }
      }
      if (options.json) console.log(JSON.stringify(out, null, 2));
    });

  dlq
    .command('redrive')
    .description('move every dead-lettered message back to its source queue (fix the cause first); --queue as for dlq')
    // --queue belongs to `dlq` (commander hands it to the parent wherever it appears).
    .option('--json', 'machine-readable output')
    .action(async (_: unknown, command: Command) => {
      const options = command.optsWithGlobals<{ queue?: string; json?: boolean }>();
      const connection = connect();
      const deadLetters = new SqsDeadLetters(connection.clients.sqs);
      const out: Record<string, unknown> = {};
      for (const name of queuesOf(options.queue)) {
        const queue = await resolveDeadLetterQueue(connection.clients.sqs, name, sourceUrl(connection, name));
        if ((await deadLetters.depth(queue)) === 0) {
          out[name] = { moved: 0 };
          if (!options.json) console.log(`${name}-dlq: empty`);
          continue;
        }
        const result = await deadLetters.redrive(queue);
        out[name] = result;
        if (!options.json) console.log(`${name}-dlq → ${name}: ${result.moved} message(s) moved (${result.method}, ${result.status})`);
      }
      if (options.json) console.log(JSON.stringify(out, null, 2));
    });
}
