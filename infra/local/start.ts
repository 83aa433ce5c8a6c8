/**
 * `npm start`: starts the local twin, seeds a demo registry, replays demo deposits through the
 * pipeline, prints what happened, and keeps running for more deposits (`npm start -- --once`
 * replays and exits).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { attemptNumber } from '#domain/attempt.ts';
import { addMonths, formatPeriod } from '#domain/period.ts';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { TWIN_STATE_FILE, type TwinState } from '../../cli/connection.ts';
import { demoEnterprises, demoPdf, demoScript } from './demo.ts';
import { LocalTwin, SIMULATED_RECEIPT_METADATA } from './twin.ts';

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: join(dirname(TWIN_STATE_FILE), 'data') },
    quiet: { type: 'boolean', default: false },
  },
});

const log = (line = '') => {
  if (!args.quiet) console.log(line);
};

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Powertools' BatchProcessingError carries the per-record errors.
  const inner = (error as Error & { recordErrors?: unknown[] }).recordErrors ?? [];
  return [error.message, ...inner.map((e) => `  - ${e instanceof Error ? e.message : String(e)}`)].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  log('Starting the local twin: s3rver (S3), DynamoDB Local, local-aws-sqs (SQS)…');
  rmSync(args['data-dir'], { recursive: true, force: true });
  const twin = await LocalTwin.start({ dataDir: args['data-dir'] });
  twin.on('function-error', ({ functionName, error }) => console.error(`[${functionName}] ${describeError(error)}`));
  const state: TwinState = { endpoints: twin.endpoints, resources: twin.resources, pid: process.pid, startedAt: new Date().toISOString() };
  mkdirSync(dirname(TWIN_STATE_FILE), { recursive: true });
  writeFileSync(TWIN_STATE_FILE, JSON.stringify(state, null, 2));
  log(`  S3 ${twin.endpoints.s3}   DynamoDB ${twin.endpoints.dynamodb}   SQS ${twin.endpoints.sqs}   (${Date.now() - started} ms)`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    rmSync(TWIN_STATE_FILE, { force: true });
    await twin.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  // The demo's months are the two before last month, so their deadlines have passed.
  const now = new Date();
  const first = addMonths(formatPeriod(now.getUTCFullYear(), now.getUTCMonth() + 1), -3);
  const enterprises = demoEnterprises(6, first);
  await new DynamoRegistry(twin.clients.db, twin.resources.tables.registry).putAll(enterprises);
  log(`\nSeeded the registry: ${enterprises.length} power enterprises in Jiangxi (江西), 2 coal units each.`);

  const script = demoScript(enterprises, first);
  log(`Replaying ${script.length} deposits for ${first} and ${addMonths(first, 1)} through the pipeline…`);
  const uploaded = [];
  for (const deposit of script) {
    const result = await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
      enterpriseId: deposit.enterprise.enterpriseId,
      period: deposit.period,
      report: { fileName: 'report.json', body: JSON.stringify(deposit.report, null, 2) },
      evidence: [
        { fileName: 'ledger-scan.pdf', body: demoPdf(`ledger ${deposit.enterprise.enterpriseId} ${deposit.period}`) },
        { fileName: 'lab-report.pdf', body: demoPdf(`lab ${deposit.enterprise.enterpriseId} ${deposit.period} ${deposit.receivedAt}`) },
      ],
      reportMetadata: { [SIMULATED_RECEIPT_METADATA]: deposit.receivedAt },
    });
    uploaded.push({ deposit, reportKey: result.reportKey });
  }
  await twin.waitForIdle();

  const ledger = new DynamoLedger(twin.clients.db, twin.resources.tables);
  log('\nenterprise          period   #  received (CST)       timeliness      verdict       issues   what the demo did');
  for (const { deposit, reportKey } of uploaded) {
    const attempts = await ledger.attemptsOf(deposit.enterprise.enterpriseId, deposit.period);
    const attempt = attempts.find((a) => a.reportKey === reportKey);
    const [record] = await ledger.depositsOf(deposit.enterprise.enterpriseId, deposit.period);
    if (!attempt || !record) {
      log(`${deposit.enterprise.enterpriseId}  ${deposit.period}  NOT RECORDED`);
      continue;
    }
    const received = new Date(attempt.receivedAt).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);
    const t = attempt.timeliness;
    const timeliness = t.onTime ? 'on time' : `late ${Math.ceil(t.lateBySeconds / 86_400)}d`;
    const { errors, warnings } = attempt.validation.stats;
    log(
      `${attempt.enterpriseId}  ${attempt.period}  ${attemptNumber(record, attempt.attemptId)}  ${received.padEnd(20)} ${timeliness.padEnd(15)} ${attempt.verdict.padEnd(13)} ${`${errors}E ${warnings}W`.padEnd(8)} ${deposit.label}`,
    );
    for (const issue of attempt.validation.issues) log(`      ${issue.code}: ${issue.message.en}`);
  }
  const review = await twin.queueDepth('review');
  log(`\nReview queue: ${review.visible} message(s) waiting for reviewers (one per attempt with problems).`);
  log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

  if (args.once) return stop(0);
  const example = enterprises[0]?.enterpriseId ?? '';
  log(`
The twin keeps running (Ctrl-C stops it). In another terminal, as an enterprise:
  npx evidence deposit --enterprise ${example} --period ${addMonths(first, 2)} examples/report-valid.csv examples/ledger-scan.pdf examples/lab-report.pdf
  npx evidence status --enterprise ${example}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  rmSync(TWIN_STATE_FILE, { force: true });
  process.exit(1);
});
