/**
 * Month-end surge on the local twin: every power enterprise (2,200 by default,
 * BENCH_SURGE_COUNT to scale) deposits one month — a JSON report and 3 evidence PDFs — uploaded
 * as fast as 32 concurrent uploaders allow. Measures throughput, upload → ledger latency and
 * the time until the last review message is on the review queue. About 10% of the reports
 * carry a deliberate flaw so there are review messages to wait for.
 *
 * Latency per deposit = the attempt's `recordedAt` (stamped by validate-deposit just before its
 * ledger TransactWrite) − the moment the report PUT completed (the report is uploaded last, and
 * its arrival is what starts validation).
 */
import { rmSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { addMonths, formatPeriod } from '#domain/period.ts';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { type DemoFlaw, demoEnterprises, demoPdf, demoReport } from '#twin/demo.ts';
import { scratchDir } from '#twin/emulators.ts';
import { LocalTwin } from '#twin/twin.ts';
import { mapLimit } from '#app/map-limit.ts';
import { benchName, machineLine, percentile, writeResult } from './lib.ts';

/** demoReport cites two evidence files; make the third one (weighbridge.pdf) cited too, so a clean deposit stays clean. */
function citingWeighbridge<R extends { units?: unknown }>(report: R): R {
  for (const unit of (report.units ?? []) as { parameters?: Record<string, { evidenceFile?: string }> }[]) {
    const coal = unit.parameters?.coalConsumed;
    if (coal) coal.evidenceFile = 'weighbridge.pdf';
  }
  return report;
}

const COUNT = Number(process.env.BENCH_SURGE_COUNT ?? 2200);
const UPLOAD_CONCURRENCY = Number(process.env.BENCH_SURGE_UPLOADERS ?? 32);
const TWIN_CONCURRENCY = Number(process.env.BENCH_SURGE_TWIN_CONCURRENCY ?? 8);
const FLAWED_EVERY = 10;
const TARGET_SECONDS = 60;

interface AttemptRow {
  readonly reportKey: string;
  readonly recordedAt: string;
  readonly verdict: string;
  readonly reviewQueuedAt?: string;
}

async function scanAttempts(twin: LocalTwin): Promise<AttemptRow[]> {
  const rows: AttemptRow[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await twin.clients.db.send(
      new ScanCommand({
        TableName: twin.resources.tables.attempts,
        ProjectionExpression: 'reportKey, recordedAt, verdict, reviewQueuedAt',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) rows.push(item as AttemptRow);
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const dataDir = scratchDir('bench-surge-');
  const twinStarted = Date.now();
  const twin = await LocalTwin.start({ dataDir, concurrency: TWIN_CONCURRENCY, retryDelaySeconds: 1 });
  const functionErrors: string[] = [];
  twin.on('function-error', ({ error }: { error: unknown }) => functionErrors.push(error instanceof Error ? error.message : String(error)));
  twin.on('error', (error: unknown) => functionErrors.push(`twin: ${error instanceof Error ? error.message : String(error)}`));
  try {
    const twinStartMs = Date.now() - twinStarted;
    const now = new Date();
    const period = addMonths(formatPeriod(now.getUTCFullYear(), now.getUTCMonth() + 1), -1);
    const enterprises = demoEnterprises(COUNT, addMonths(period, -12));
    await new DynamoRegistry(twin.clients.db, twin.resources.tables.registry).putAll(enterprises);

    const flaws: DemoFlaw[] = ['supplied-exceeds-generated', 'missing-parameter', 'atypical-ncv'];
    // Built before the clock starts: the benchmark measures the pipeline, not the demo generator.
    const deposits = enterprises.map((enterprise, i) => {
      const flaw: DemoFlaw = i % FLAWED_EVERY === 0 ? (flaws[(i / FLAWED_EVERY) % flaws.length] as DemoFlaw) : 'none';
      const id = enterprise.enterpriseId;
      return {
        enterprise,
        flaw,
        report: JSON.stringify(citingWeighbridge(demoReport(enterprise, period, i, flaw))),
        evidence: [
          { fileName: 'ledger-scan.pdf', body: demoPdf(`ledger ${id} ${period}`) },
          { fileName: 'lab-report.pdf', body: demoPdf(`lab ${id} ${period}`) },
          { fileName: 'weighbridge.pdf', body: demoPdf(`weighbridge ${id} ${period}`) },
        ],
      };
    });

    const uploadedAt = new Map<string, number>();
    const flawedKeys = new Set<string>();
    const surgeStart = Date.now();
    await mapLimit(deposits, UPLOAD_CONCURRENCY, async (d) => {
      const result = await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
        enterpriseId: d.enterprise.enterpriseId,
        period,
        report: { fileName: 'report.json', body: d.report },
        evidence: d.evidence,
      });
      uploadedAt.set(result.reportKey, Date.now());
      if (d.flaw !== 'none') flawedKeys.add(result.reportKey);
    });
    const uploadsDone = Date.now();
    await twin.waitForIdle(600_000);
    const idleAt = Date.now();

    const attempts = (await scanAttempts(twin)).filter((a) => uploadedAt.has(a.reportKey));
    const review = await twin.queueDepth('review');
    const dlq = await twin.queueDepth('intake-dlq');

    const latencies = attempts.map((a) => Date.parse(a.recordedAt) - (uploadedAt.get(a.reportKey) as number));
    const lastRecorded = Math.max(...attempts.map((a) => Date.parse(a.recordedAt)));
    const reviewTimes = attempts.flatMap((a) => (a.reviewQueuedAt ? [Date.parse(a.reviewQueuedAt)] : []));
    const lastReview = reviewTimes.length ? Math.max(...reviewTimes) : Number.NaN;
    const verdicts: Record<string, number> = {};
    for (const a of attempts) verdicts[a.verdict] = (verdicts[a.verdict] ?? 0) + 1;
    const flawedReviewed = attempts.filter((a) => flawedKeys.has(a.reportKey) && a.reviewQueuedAt).length;

    const allSeconds = (lastRecorded - surgeStart) / 1000;
    const figures = {
      deposits: COUNT,
      filesPerDeposit: 4,
      uploadConcurrency: UPLOAD_CONCURRENCY,
      twinConcurrency: TWIN_CONCURRENCY,
      twinStartMs,
      uploadSeconds: round((uploadsDone - surgeStart) / 1000, 2),
      uploadRate: round(COUNT / ((uploadsDone - surgeStart) / 1000), 1),
      recorded: attempts.length,
      allRecordedSeconds: round(allSeconds, 2),
      throughputDepositsPerSecond: round(attempts.length / allSeconds, 1),
      latencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: percentile(latencies, 100),
        min: percentile(latencies, 0),
      },
      flawedDeposits: flawedKeys.size,
      flawedWithReviewMessage: flawedReviewed,
      reviewMessagesSent: reviewTimes.length,
      reviewQueueVisible: review.visible,
      lastReviewMessageSeconds: round((lastReview - surgeStart) / 1000, 2),
      twinIdleSeconds: round((idleAt - surgeStart) / 1000, 2),
      verdicts,
      intakeDlq: dlq.visible,
      functionErrors: functionErrors.length,
      firstFunctionErrors: functionErrors.slice(0, 5),
      target: `all ${COUNT} processed in < ${TARGET_SECONDS} s`,
      targetMet: attempts.length === COUNT && allSeconds < TARGET_SECONDS,
      notes: [
        'Clock starts when the first upload begins; uploads run concurrently with processing.',
        'Latency = attempt.recordedAt (set just before the ledger write) − report PUT completion.',
        'Last review message = latest reviewQueuedAt, written right after the SQS SendMessage succeeded.',
        'All in one process: uploader, s3rver, local-aws-sqs and the handler share the Node event loop; DynamoDB Local is a JVM child.',
      ],
    };
    const summary =
      `surge: ${attempts.length}/${COUNT} deposits (4 files each) recorded in ${figures.allRecordedSeconds} s → ${figures.throughputDepositsPerSecond} deposits/s; ` +
      `upload→ledger p50 ${figures.latencyMs.p50} ms, p95 ${figures.latencyMs.p95} ms, p99 ${figures.latencyMs.p99} ms; ` +
      `last of ${reviewTimes.length} review messages queued at ${figures.lastReviewMessageSeconds} s; ` +
      `target < ${TARGET_SECONDS} s ${figures.targetMet ? 'met' : 'NOT met'} (${machineLine()})`;
    writeResult(benchName(import.meta.url), summary, figures);
  } finally {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
