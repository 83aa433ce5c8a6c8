/**
 * Benchmark: nightly-summary over 2,200 enterprises × 13 periods on the local twin.
 * Reports wall time and items read ÷ items in those periods (deposit records + attempts; target
 * ≤ 1.05 — the registry is the only extra read). Ledger items are written directly (the intake
 * pipeline has its own benchmark); the nightly job runs through the twin's scheduler, as at 02:00.
 * Run: node --import tsx test/bench/nightly.ts   (not part of npm test)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { attemptRef } from '#adapters/dynamo-ledger.ts';
import { mapLimit } from '#app/map-limit.ts';
import { PROVINCES } from '#domain/provinces.ts';
import { periodsToSummarise } from '#domain/rates.ts';
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';
import { scratchDir } from '#twin/emulators.ts';
import { LocalTwin } from '#twin/twin.ts';

const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES ?? 2200);
const PERIODS = 13;
const AT = '2026-11-20T02:00:00+08:00';

function code(n: number): string {
  const first17 = `91${String(110000 + (n % 31) * 10000).padStart(6, '0')}7${String(n).padStart(8, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

async function writeAll(twin: LocalTwin, table: string, items: Record<string, unknown>[]): Promise<void> {
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await mapLimit(batches, 8, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await twin.clients.db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  });
}

const dataDir = scratchDir('evidence-bench-');
const twin = await LocalTwin.start({ dataDir });
try {
  const periods = periodsToSummarise(new Date(AT), PERIODS);
  const enterprises: Enterprise[] = Array.from({ length: ENTERPRISES }, (_, n) => ({
    enterpriseId: code(n + 1),
    name: `企业${n + 1}`,
    province: PROVINCES[n % 31] as string,
    city: `市${n % 300}`,
    industry: n % 10 === 0 ? 'cement' : 'power',
    units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
    obligedFrom: periods[0] as string,
  }));
  const records: Record<string, unknown>[] = [];
  const attempts: Record<string, unknown>[] = [];
  for (const [k, period] of periods.entries()) {
    const [y, m] = period.split('-').map(Number) as [number, number];
    for (const [n, e] of enterprises.entries()) {
      if ((n + k) % 17 === 0) continue; // some never deposit: missing
      const count = (n + k) % 4 === 0 ? 2 : 1;
      const summaries = Array.from({ length: count }, (_, a) => {
        const attemptId = `${n}-${k}-${a}`.padStart(16, '0');
        const receivedAt = new Date(Date.UTC(y, m, 5 + a * 3 + ((n + k) % 40), 2)).toISOString();
        const verdict = count === 2 && a === 0 ? 'returned' : (n + k) % 9 === 0 ? 'needs-review' : 'accepted';
        const issues =
          verdict === 'accepted'
            ? []
            : [
                {
                  code: verdict === 'returned' ? 'EVD-CROSS-SUPPLIED-GT-GENERATED' : 'EVD-ATYPICAL-NCV',
                  severity: verdict === 'returned' ? 'error' : 'warning',
                  category: 'plausibility',
                  message: { zh: '问题', en: 'problem' },
                },
              ];
        attempts.push({
          enterpriseId: e.enterpriseId,
          period,
          attemptId,
          attemptRef: attemptRef({ period, attemptId }),
          receivedAt,
          verdict,
          validation: {
            valid: verdict !== 'returned',
            verdict,
            stats: { errors: 0, warnings: 0, infos: 0 },
            issues,
          },
        });
        return {
          attemptId,
          reportKey: `reports/${e.enterpriseId}/${period}/${a}/report.json`,
          receivedAt,
          onTime: true,
          verdict,
          errors: issues.length,
          warnings: 0,
        };
      });
      records.push({
        enterpriseId: e.enterpriseId,
        period,
        province: e.province,
        city: e.city,
        industry: e.industry,
        attempts: summaries,
        version: count,
      });
    }
  }
  const seeding = Date.now();
  await writeAll(twin, twin.resources.tables.registry, enterprises as unknown as Record<string, unknown>[]);
  await writeAll(twin, twin.resources.tables.deposits, records);
  await writeAll(twin, twin.resources.tables.attempts, attempts);
  console.error(
    `seeded ${enterprises.length} enterprises, ${records.length} deposit records, ${attempts.length} attempts in ${((Date.now() - seeding) / 1000).toFixed(1)} s`,
  );

  const started = Date.now();
  const run = (await twin.scheduler.runNightly({ at: AT })) as {
    itemsRead: { registry: number; deposits: number; attempts: number };
    summaries: { written: number; unchanged: number };
  };
  const wallMs = Date.now() - started;
  const again = Date.now();
  const rerun = (await twin.scheduler.runNightly({ at: AT })) as {
    summaries: { written: number; unchanged: number };
  };
  const rerunMs = Date.now() - again;

  const inPeriods = records.length + attempts.length;
  const read = run.itemsRead.registry + run.itemsRead.deposits + run.itemsRead.attempts;
  const result = {
    enterprises: ENTERPRISES,
    periods: PERIODS,
    depositRecords: records.length,
    attempts: attempts.length,
    itemsInPeriods: inPeriods,
    itemsRead: run.itemsRead,
    readRatio: Number((read / inPeriods).toFixed(4)),
    target: 1.05,
    wallSeconds: wallMs / 1000,
    summariesWritten: run.summaries.written,
    rerun: {
      wallSeconds: rerunMs / 1000,
      summariesWritten: rerun.summaries.written,
      summariesUnchanged: rerun.summaries.unchanged,
    },
    at: AT,
    measuredAt: new Date().toISOString(),
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/nightly.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `nightly-summary ${ENTERPRISES} enterprises × ${PERIODS} periods: ${result.wallSeconds.toFixed(1)} s, items read ${read} ÷ items in periods ${inPeriods} = ${result.readRatio} (target ≤ 1.05), ${run.summaries.written} summaries; re-run ${result.rerun.wallSeconds.toFixed(1)} s writing ${rerun.summaries.written}`,
  );
} finally {
  await twin.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
