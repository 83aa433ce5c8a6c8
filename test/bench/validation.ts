/**
 * Validation time per report, per format: the demo deposit (3 units, 8 evidence files) validated
 * N times as CSV, XLSX and JSON, in process, after a warm-up. Prints one line per format and a
 * summary, and writes bench-results/validation.json.
 *   node --import tsx test/bench/validation.ts [runs=300]
 */
import { performance } from 'node:perf_hooks';
import type { EvidenceFile } from '#domain/checks.ts';
import { writeCsvBytes, writeJson, writeXlsx } from '#domain/report-writers.ts';
import { validateDeposit } from '#domain/validate.ts';
import { DEMO_ENTERPRISE, DEMO_PERIOD, demoEvidence, demoReport, sha256Hex } from '#examples/demo.ts';
import { benchName, median, percentile, writeResult } from './lib.ts';

const runs = Number(process.argv[2] ?? 300);
const warmUp = 30;
const files = demoEvidence();
const report = demoReport(DEMO_PERIOD, files);
const evidence: EvidenceFile[] = files.map((f) => ({
  fileName: f.fileName,
  key: `evidence/${f.fileName}`,
  size: f.bytes.length,
  sha256: sha256Hex(f.bytes),
  head: f.bytes.subarray(0, 4096),
}));
const history = ['2026-02', '2026-01'].map((period) => ({ period, report: demoReport(period), evidence: [] }));

const inputs: Record<string, { fileName: string; bytes: Uint8Array }> = {
  csv: { fileName: 'report.csv', bytes: writeCsvBytes(report) },
  xlsx: { fileName: 'report.xlsx', bytes: await writeXlsx(report) },
  json: { fileName: 'report.json', bytes: new TextEncoder().encode(writeJson(report)) },
};

const results: Record<string, { bytes: number; runs: number; medianMs: number; p95Ms: number; minMs: number; maxMs: number }> = {};
for (const [format, input] of Object.entries(inputs)) {
  const timings: number[] = [];
  for (let i = 0; i < warmUp + runs; i++) {
    const start = performance.now();
    const { validation } = await validateDeposit({
      key: { kind: 'report', enterpriseId: DEMO_ENTERPRISE.enterpriseId, period: DEMO_PERIOD, depositId: 'bench', fileName: input.fileName },
      reportSize: input.bytes.length,
      reportBytes: input.bytes,
      enterprise: DEMO_ENTERPRISE,
      evidence,
      history,
      receivedAt: new Date('2026-04-10T02:00:00Z'),
    });
    const elapsed = performance.now() - start;
    if (validation.verdict !== 'accepted') throw new Error(`${format}: the demo report was not accepted: ${JSON.stringify(validation.issues[0])}`);
    if (i >= warmUp) timings.push(elapsed);
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  results[format] = {
    bytes: input.bytes.length,
    runs,
    medianMs: round(median(timings)),
    p95Ms: round(percentile(timings, 95)),
    minMs: round(Math.min(...timings)),
    maxMs: round(Math.max(...timings)),
  };
  console.log(
    `${format.padEnd(5)} ${String(input.bytes.length).padStart(6)} B  median ${results[format].medianMs} ms  p95 ${results[format].p95Ms} ms  (${runs} runs)`,
  );
}

writeResult(
  benchName(import.meta.url),
  `validation per report (3 units, 8 evidence files, 2 months of history; ${runs} runs): ${Object.entries(results)
    .map(([f, r]) => `${f} median ${r.medianMs} ms, p95 ${r.p95Ms} ms`)
    .join('; ')}`,
  { runs, warmUp, results },
);
