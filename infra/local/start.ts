/**
 * `npm start`: starts the local twin on its kept data dir (.twin/data), reconciles the ledger with
 * the bucket, and — into an empty twin only — seeds a demo registry, replays demo deposits through
 * the pipeline and prints what happened; then keeps running for more deposits.
 * `--fresh` deletes the data first; `--once` exits 0 when done; `--no-demo` never replays;
 * `--ports 4566` puts S3, DynamoDB, SQS, the API and the OpenID provider on 4566–4570 instead of
 * free ports. At start it prints an AWS CLI profile for the twin, so standard tools reach it too;
 * when ready, the accounts one signs in with (the twin's OpenID provider) and its issuer.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { addMonths, periodRange } from '#domain/period.ts';
import { lastEndedPeriod } from '#domain/rates.ts';
import { Presets, SingleBar } from 'cli-progress';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { mapLimit } from '#app/map-limit.ts';
import { DEMO_ENTERPRISE, DEMO_ENTERPRISE_ID, DEMO_PERIOD } from '#examples/enterprise.ts';
import { SIMULATED_RECEIPT_METADATA, TWIN_STATE_FILE, type TwinState } from '#resources/twin-state.ts';
import { TWIN_ACCOUNTS, TWIN_PASSWORD } from './accounts.ts';
import { demoEnterprises, demoIndustryEnterprises, demoPdf, demoYearScript } from './demo.ts';
import { INDUSTRY_CODES, industryCatalogue } from '#domain/industries/index.ts';
import { demoJurisdictionContacts, withDemoContacts } from './demo-contacts.ts';
import { DynamoContactBook } from '#adapters/dynamo-notices.ts';
import { assertPortsFree, awsProfileSnippet, fixedPorts, killStaleDynamoDb } from './emulators.ts';
import { backfillInbox, keptData, reconcileTwin, reseedReviewQueue } from './recover.ts';
import { LocalTwin } from './twin.ts';

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: join(dirname(TWIN_STATE_FILE), 'data') },
    quiet: { type: 'boolean', default: false },
    /** Delete the data dir (objects and tables) and start empty, so the demo replays. */
    fresh: { type: 'boolean', default: false },
    /** Never replay the demo, even into an empty twin (tests, scripts). */
    'no-demo': { type: 'boolean', default: false },
    /** First of five fixed ports: S3, DynamoDB, SQS, API, OpenID provider (e.g. 4566); free ports when absent. */
    ports: { type: 'string' },
  },
});

const ports = args.ports === undefined ? undefined : fixedPorts(args.ports);
if (args.ports !== undefined && !ports) {
  console.error(
    `--ports ${args.ports}: 需要 1024–65531 之间的端口号 / expected a port from 1024 to 65531 (S3 on it, DynamoDB, SQS, the API and the OpenID provider on the next four)`,
  );
  process.exit(2);
}

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
  const dataDir = args['data-dir'];
  if (args.fresh) {
    // A JVM a killed twin left would otherwise keep the deleted database open.
    await killStaleDynamoDb(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
    log(`--fresh: deleted ${dataDir} (删除了本地数据).`);
  }
  if (ports) {
    // All five before anything starts: a port in use is one line, not a half-started twin.
    try {
      await assertPortsFree([ports.s3, ports.dynamodb, ports.sqs, ports.api, ports.oidc]);
    } catch (error) {
      console.error((error as Error).message);
      process.exit(2);
    }
  }
  log('Starting the local twin: s3rver (S3), DynamoDB Local, local-aws-sqs (SQS)…');
  // More intake pollers than the default: the demo replays a year of deposits at once.
  const twin = await LocalTwin.start({ dataDir, concurrency: 8, persistDynamoDb: true, ...(ports ? { ports } : {}) });
  twin.on('function-error', ({ functionName, error }) => console.error(`[${functionName}] ${describeError(error)}`));
  const state: TwinState = {
    endpoints: twin.endpoints,
    resources: twin.resources,
    apiUrl: twin.apiUrl,
    identity: twin.identity,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  };
  mkdirSync(dirname(TWIN_STATE_FILE), { recursive: true });
  writeFileSync(TWIN_STATE_FILE, JSON.stringify(state, null, 2));
  log(
    `  S3 ${twin.endpoints.s3}   DynamoDB ${twin.endpoints.dynamodb}   SQS ${twin.endpoints.sqs}   API ${twin.apiUrl}   OpenID ${twin.identity.issuer}   (${Date.now() - started} ms)`,
  );
  log(
    `  Mail (SMTP ${twin.mail.smtpHost.host}:${twin.mail.smtpHost.port}) and group robots (${twin.robots.url}): read what was sent at ${twin.mail.pageUrl} (邮件与群机器人消息)`,
  );
  log(
    `  For the AWS CLI and SDKs (credentials S3RVER/S3RVER, region us-east-1; ${ports ? 'fixed ports' : 'these ports change each start: `--ports 4566` fixes them'}), add to ~/.aws/config (为 AWS CLI 添加以下配置):\n`,
  );
  log(
    awsProfileSnippet(twin.endpoints)
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n'),
  );
  log(`  then: aws --profile evidence-twin s3 ls s3://${twin.resources.bucket} --recursive`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    rmSync(TWIN_STATE_FILE, { force: true });
    await twin.stop();
    process.exit(code);
  };
  // Every way out stops the emulators: the JVM is a child process and would outlive us.
  // (process.exit and a crash are covered by the emulators' exit hook; kill -9 by the pid file.)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));
  for (const fault of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(fault, (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      void stop(1);
    });
  }

  const kept = await keptData(twin.clients, twin.resources);
  // The bucket is the record: an upload whose notification or intake message was lost (the queues
  // are in memory, a killed twin loses them) is announced again, with its own receipt time.
  const reconciled = await reconcileTwin(twin.clients, twin.resources);
  const empty = kept.enterprises === 0 && kept.attempts === 0 && reconciled.listed === 0;
  if (!empty) {
    log(
      `Kept the data in ${dataDir}: ${kept.enterprises} enterprise(s) in the registry, ${kept.attempts} attempt(s), ${reconciled.listed} report upload(s) (保留了已有数据; \`npm start -- --fresh\` starts empty).`,
    );
  }
  log(
    `Reconciled with the bucket (与存储桶对账): ${reconciled.listed} listed, ${reconciled.recorded} already recorded, ${reconciled.announced} announced to intake again.`,
  );
  const filled = await backfillInbox(twin.clients, twin.resources);
  if (filled > 0) log(`Put ${filled} month(s) awaiting review, recorded before the reviewers' inbox existed, into it (补建审核待办).`);
  const reseeded = await reseedReviewQueue(twin.clients, twin.resources);
  if (reseeded > 0) log(`Re-queued ${reseeded} review message(s) of undecided attempts (the review queue is kept in memory only).`);
  if (reconciled.announced > 0) {
    // A report whose evidence is not all there waits (up to the evidence grace) on the queue; that
    // is not a reason to keep the user from a ready twin.
    await twin.waitForIdle(180_000, undefined, { delayed: false });
    const waiting = (await twin.queueDepth('intake')).delayed;
    log(
      `  recorded the announced uploads (${((Date.now() - started) / 1000).toFixed(1)} s since start)${waiting > 0 ? `; ${waiting} report(s) wait for evidence files not yet in their folders` : ''}`,
    );
  }

  if (!empty || args['no-demo']) {
    log(`Ready (${((Date.now() - started) / 1000).toFixed(1)} s). Web app (网页): ${twin.apiUrl}/`);
    log(signInTable(twin.identity.issuer));
    if (args.once) return stop(0);
    log('\nThe twin keeps running (Ctrl-C stops it). `npx evidence --help` lists the commands.');
    return;
  }

  // A year of Jiangxi's first year on the system, ending with the month now coming in.
  const now = new Date();
  const last = lastEndedPeriod(now);
  const periods = periodRange(addMonths(last, -12), last);
  const power = demoEnterprises(53, periods[0] ?? last);
  // Two cement companies, a steel works and an aluminium smelter (examples/industries.ts), obliged since July 2025.
  const industries = demoIndustryEnterprises(periods[0] ?? last);
  const enterprises = [...power, ...industries];
  // The examples/ enterprise too, so `evidence deposit` works on the shipped example files.
  await new DynamoRegistry(twin.clients.db, twin.resources.tables.registry).putAll([
    ...withDemoContacts(enterprises, twin.robots.url),
    { ...DEMO_ENTERPRISE, province: '江西' },
  ]);
  await new DynamoContactBook(twin.clients.db, twin.resources.tables.contacts).putAll(demoJurisdictionContacts(twin.robots.url));
  log(
    `\nSeeded the registry: ${power.length} power enterprises in Jiangxi (江西)'s 11 cities, 2 coal units each, and ${industries.length} of the new industries (${industries.map((e) => e.name).join('、')}).`,
  );

  const script = demoYearScript(enterprises, periods, now);
  log(`Replaying ${script.length} deposits for ${periods[0]}…${last} through the pipeline (S3 → SQS → validate-deposit → ledger)…`);
  const replayStarted = Date.now();
  // A bar on a terminal: deposits uploaded, then what is still waiting in the intake queue.
  const bar =
    process.stderr.isTTY && !args.quiet
      ? new SingleBar(
          { stream: process.stderr, format: '  replay |{bar}| {value}/{total} uploaded · {waiting} in the intake queue', hideCursor: true, barsize: 24 },
          Presets.shades_classic,
        )
      : undefined;
  bar?.start(script.length, 0, { waiting: 0 });
  await mapLimit(script, 16, async (deposit) => {
    await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
      enterpriseId: deposit.enterprise.enterpriseId,
      period: deposit.period,
      report: { fileName: 'report.json', body: JSON.stringify(deposit.report) },
      evidence: [
        { fileName: 'ledger-scan.pdf', body: demoPdf(`ledger ${deposit.enterprise.enterpriseId} ${deposit.period}`) },
        { fileName: 'lab-report.pdf', body: demoPdf(`lab ${deposit.enterprise.enterpriseId} ${deposit.period} ${deposit.receivedAt}`) },
      ],
      reportMetadata: { [SIMULATED_RECEIPT_METADATA]: deposit.receivedAt },
    });
    bar?.increment();
  });
  await twin.waitForIdle(180_000, (waiting) => bar?.update({ waiting }));
  bar?.stop();
  log(`  recorded in ${((Date.now() - replayStarted) / 1000).toFixed(1)} s`);

  const run = (await twin.scheduler.runNightly({})) as { durationMs: number; summaries: { written: number } };
  log(`Ran nightly-summary (${run.summaries.written} summaries in ${(run.durationMs / 1000).toFixed(1)} s). Province-wide, month by month:`);
  const summaries = await new DynamoSummaries(twin.clients.db, twin.resources.tables.summaries).range('all', periods[0] ?? last, last);
  const pct = (r: number | null) => (r === null ? '   —  ' : `${(r * 100).toFixed(1).padStart(5)}%`);
  log('period    obliged  on time  late  missing  pending  on-time rate  first-pass rate  in review  problems');
  for (const s of summaries) {
    log(
      `${s.period}   ${String(s.obliged).padStart(7)}  ${String(s.onTime).padStart(7)}  ${String(s.late).padStart(4)}  ${String(s.missing).padStart(7)}  ${String(s.pending).padStart(7)}  ${pct(s.onTimeRate).padStart(12)}  ${pct(s.firstPassRate).padStart(15)}  ${String(s.awaitingReview).padStart(9)}  ${String(s.problems.total).padStart(8)}`,
    );
  }
  // Per industry (the nightly job's `industry:<code>` summaries), the last months side by side.
  const recent = periods.slice(-3);
  const byIndustry = new DynamoSummaries(twin.clients.db, twin.resources.tables.summaries);
  log(`\nPer industry, ${recent[0]}…${recent.at(-1)} (on-time rate / first-pass rate; obliged enterprises in brackets):`);
  log(`industry      ${recent.map((p) => p.padEnd(24)).join('')}`);
  for (const code of INDUSTRY_CODES) {
    const rows = await byIndustry.range(`industry:${code}`, recent[0] ?? last, last);
    if (rows.length === 0) continue;
    const cells = recent.map((p) => {
      const s = rows.find((r) => r.period === p);
      return (s ? `${pct(s.onTimeRate).trim()} / ${pct(s.firstPassRate).trim()} (${s.obliged})` : '—').padEnd(24);
    });
    log(`${code.padEnd(10)}    ${cells.join('')}  ${industryCatalogue(code)?.zh ?? ''}`);
  }
  const notices = (await twin.scheduler.runReminders({})) as { sent: number; reminders: number; digests: number; events: number; deadLettered: string[] };
  log(
    `Ran reminders: ${notices.sent} e-mail and robot message(s) — ${notices.reminders} deadline reminder(s), ${notices.digests} department digest(s), the news of ${notices.events} attempt(s). Read them at ${twin.mail.pageUrl} (提醒与通知)`,
  );
  const review = await twin.queueDepth('review');
  log(`\nReview queue: ${review.visible} message(s) waiting for reviewers (one per attempt with problems).`);
  log(`Web app (网页: 企业端 / 审核端 / 管理端): ${twin.apiUrl}/   API: ${twin.apiUrl}/me (with a token: sign in first)`);
  log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  log(signInTable(twin.identity.issuer));

  if (args.once) return stop(0);
  log(`
The twin keeps running (Ctrl-C stops it). In another terminal, as an enterprise (the example files):
  npx evidence deposit --enterprise ${DEMO_ENTERPRISE_ID} --period ${DEMO_PERIOD} examples/valid/report.csv examples/evidence/*
  npx evidence status --enterprise ${DEMO_ENTERPRISE_ID}
As a reviewer:
  npx evidence review
As a department (or open the dashboard: ${twin.apiUrl}/):
  npx evidence summary --period ${addMonths(last, -1)} --scope city:南昌
  npx evidence nightly`);
}

/** The seeded accounts as a short table: who one can sign in as, and where. */
function signInTable(issuer: string): string {
  const rows = TWIN_ACCOUNTS.map((a) => [
    a.username,
    a.claims.evidence_role + (a.claims.review_level ? ` (${a.claims.review_level})` : ''),
    a.claims.credit_code ?? a.claims.jurisdiction ?? '—',
    a.name,
  ]);
  // English headers in the padded columns: CJK characters are two columns wide on a terminal.
  const header = ['username', 'role', 'credit code / jurisdiction', '名称 / name'];
  const widths = header.slice(0, 3).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `    ${cells.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c)).join('  ')}`;
  return [
    `\nSign in (登录) at the twin's OpenID provider ${issuer} — every account's password is \`${TWIN_PASSWORD}\` (所有账户密码相同):`,
    line(header),
    ...rows.map(line),
    '  `npx evidence login` signs the CLI in; the API refuses requests without a token (401).',
  ].join('\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  rmSync(TWIN_STATE_FILE, { force: true });
  process.exit(1);
});
