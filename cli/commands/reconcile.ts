/**
 * `evidence reconcile [--all | --since <ISO>]`: finds report uploads in the deposit bucket that
 * have no attempt (their S3 event or intake message was lost) and announces them to intake again,
 * with the object's own time as the receipt time. Runs the use case here, with the twin's clients
 * (.twin/twin.json) or, in AWS, the caller's credentials: it needs s3:ListBucketVersions on the
 * deposit bucket, dynamodb:BatchGetItem on the attempts table and sqs:SendMessage on the intake
 * queue (DEPOSIT_BUCKET, ATTEMPTS_TABLE, INTAKE_QUEUE_URL from the stack's outputs).
 * Default: objects modified in the last 45 days, as the daily scheduled run.
 */
import type { Command } from 'commander';
import { DynamoAttemptIndex } from '#adapters/dynamo-attempt-index.ts';
import { S3ReportObjects } from '#adapters/s3-report-lister.ts';
import { SqsIntakeAnnouncer } from '#adapters/sqs-intake-announcer.ts';
import { DEFAULT_RECONCILE_LOOKBACK_DAYS, type ReconcileDeps, reconcileDeposits, sinceDaysAgo } from '#app/reconcile-deposits.ts';
import { ENV } from '#resources/env.ts';
import { SIMULATED_RECEIPT_METADATA } from '#resources/twin-state.ts';
import { type Connection, connect } from '../connection.ts';

async function depsFor(connection: Connection): Promise<ReconcileDeps> {
  const { clients, bucket } = connection;
  const queueUrl = connection.twin ? connection.twin.resources.queues.intake.url : process.env[ENV.intakeQueueUrl];
  if (!queueUrl) throw new Error(`the intake queue is not known: set ${ENV.intakeQueueUrl} (the stack's IntakeQueueUrl output) / 未设置 ${ENV.intakeQueueUrl}`);
  const onTwin = connection.target === 'twin';
  return {
    // s3rver keeps no versions; the cloud's bucket does, and every version is an upload.
    reports: new S3ReportObjects(clients.s3, bucket, onTwin ? { versioned: false, receiptTimeMetadata: SIMULATED_RECEIPT_METADATA } : { versioned: true }),
    attempts: new DynamoAttemptIndex(clients.db, connection.tables.attempts),
    intake: new SqsIntakeAnnouncer(clients.sqs, { queueUrl, bucket, region: await clients.sqs.config.region() }),
  };
}

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description(
      `announce report uploads that have no attempt to intake again (default: modified in the last ${DEFAULT_RECONCILE_LOOKBACK_DAYS} days) / 补登未入账的上传`,
    )
    .option('--all', 'every report upload in the bucket')
    .option('--since <ISO time>', 'only uploads modified after this time')
    .option('--json', 'machine-readable output')
    .action(async (options: { all?: boolean; since?: string; json?: boolean }) => {
      if (options.all && options.since) throw new Error('--all and --since exclude each other / 二者只能选一');
      if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) throw new Error(`--since ${options.since}: not an ISO time / 不是 ISO 时间`);
      const since = options.all ? undefined : options.since ? new Date(options.since) : sinceDaysAgo(new Date(), DEFAULT_RECONCILE_LOOKBACK_DAYS);
      const connection = connect();
      const summary = await reconcileDeposits(await depsFor(connection), {
        ...(since ? { since } : {}),
        onProgress: (p) => {
          if (!options.json) process.stderr.write(`  listed ${p.listed}, recorded ${p.recorded}, announced ${p.announced}\n`);
        },
      });
      if (options.json) {
        console.log(JSON.stringify({ target: connection.target, since: since?.toISOString() ?? null, ...summary }, null, 2));
        return;
      }
      console.log(
        `Reconciled ${connection.target === 'twin' ? 'the local twin' : connection.bucket} (${since ? `uploads since ${since.toISOString()}` : 'every upload'}) / 对账完成:`,
      );
      console.log(
        `  ${summary.listed} report upload(s) listed / 列出, ${summary.recorded} already recorded / 已入账, ${summary.announced} announced to intake again / 重新通知`,
      );
      for (const key of summary.announcedKeys) console.log(`  → ${key}`);
    });
}
