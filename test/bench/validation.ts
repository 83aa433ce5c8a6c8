/**
 * Validation time per report, per industry and format: a clean month of each industry — power
 * (the demo deposit: 3 units, 8 evidence files), cement (one line; two lines), aluminium (one
 * potline) and steel (five processes with their stock lines) — validated N times as CSV, XLSX and
 * JSON, in process, after a warm-up, each with its two previous months as history. Prints one
 * line per industry and format, a table side by side, and writes bench-results/validation.json.
 *   node --import tsx test/bench/validation.ts [runs=300]
 */
import { performance } from 'node:perf_hooks';
import type { EvidenceFile } from '#domain/checks.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import { addMonths } from '#domain/period.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { MonthlyReport } from '#domain/report.ts';
import { writeCsvBytes, writeJson, writeXlsx } from '#domain/report-writers.ts';
import { validateDeposit } from '#domain/validate.ts';
import { DEMO_ENTERPRISE, DEMO_PERIOD, type DemoFile, demoEvidence, demoReport, sha256Hex } from '#examples/demo.ts';
import {
  ALUMINIUM_ENTERPRISE,
  CEMENT_ENTERPRISE,
  CEMENT_TWO_LINES_ENTERPRISE,
  industryEvidence,
  industryReport,
  STEEL_ENTERPRISE,
} from '#examples/industries.ts';
import { benchName, median, percentile, writeResult } from './lib.ts';

const runs = Number(process.argv[2] ?? 300);
const warmUp = 30;
const FORMATS = ['csv', 'xlsx', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface Subject {
  readonly name: string;
  readonly enterprise: Enterprise;
  readonly month: (period: string) => { report: MonthlyReport; files: DemoFile[] };
}

const industry = (enterprise: Enterprise) => (period: string) => {
  const files = industryEvidence(enterprise, period);
  return { report: industryReport(enterprise, period, { evidence: files }), files };
};

const SUBJECTS: readonly Subject[] = [
  {
    name: 'power',
    enterprise: DEMO_ENTERPRISE,
    month: (period) => {
      const files = demoEvidence(period);
      return { report: demoReport(period, files), files };
    },
  },
  { name: 'cement', enterprise: CEMENT_ENTERPRISE, month: industry(CEMENT_ENTERPRISE) },
  { name: 'cement-2-lines', enterprise: CEMENT_TWO_LINES_ENTERPRISE, month: industry(CEMENT_TWO_LINES_ENTERPRISE) },
  { name: 'aluminium', enterprise: ALUMINIUM_ENTERPRISE, month: industry(ALUMINIUM_ENTERPRISE) },
  { name: 'steel', enterprise: STEEL_ENTERPRISE, month: industry(STEEL_ENTERPRISE) },
];

async function bytesOf(report: MonthlyReport, format: Format): Promise<Uint8Array> {
  if (format === 'csv') return writeCsvBytes(report);
  if (format === 'xlsx') return writeXlsx(report);
  return new TextEncoder().encode(writeJson(report));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

interface Result {
  readonly bytes: number;
  readonly facilities: number;
  readonly keys: number;
  readonly evidenceFiles: number;
  readonly runs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
}

const results: Record<string, Record<Format, Result>> = {};
for (const subject of SUBJECTS) {
  const { report, files } = subject.month(DEMO_PERIOD);
  const evidence: EvidenceFile[] = files.map((f) => ({
    fileName: f.fileName,
    key: `evidence/${f.fileName}`,
    size: f.bytes.length,
    sha256: sha256Hex(f.bytes),
    head: f.bytes.subarray(0, 4096),
  }));
  // The two months before, as the ledger would pass them: steel's stock continuity and the history signals run.
  const history: PriorMonth[] = [1, 2].map((back) => {
    const period = addMonths(DEMO_PERIOD, -back);
    const earlier = subject.month(period);
    return { period, report: earlier.report, evidence: earlier.files.map((f) => ({ fileName: f.fileName, sha256: sha256Hex(f.bytes) })) };
  });
  const keys = report.units.reduce((n, u) => n + Object.keys(u.parameters).length, 0);
  const byFormat = {} as Record<Format, Result>;
  results[subject.name] = byFormat;
  for (const format of FORMATS) {
    const bytes = await bytesOf(report, format);
    const fileName = `report.${format}`;
    const timings: number[] = [];
    for (let i = 0; i < warmUp + runs; i++) {
      const start = performance.now();
      const { validation } = await validateDeposit({
        key: { kind: 'report', enterpriseId: subject.enterprise.enterpriseId, period: DEMO_PERIOD, depositId: 'bench', fileName },
        reportSize: bytes.length,
        reportBytes: bytes,
        enterprise: subject.enterprise,
        evidence,
        history,
        receivedAt: new Date('2026-04-10T02:00:00Z'),
      });
      const elapsed = performance.now() - start;
      if (validation.verdict !== 'accepted')
        throw new Error(`${subject.name} ${format}: the clean month was not accepted: ${JSON.stringify(validation.issues[0])}`);
      if (i >= warmUp) timings.push(elapsed);
    }
    const result: Result = {
      bytes: bytes.length,
      facilities: report.units.length,
      keys,
      evidenceFiles: files.length,
      runs,
      medianMs: round(median(timings)),
      p95Ms: round(percentile(timings, 95)),
      minMs: round(Math.min(...timings)),
      maxMs: round(Math.max(...timings)),
    };
    byFormat[format] = result;
    console.log(
      `${subject.name.padEnd(15)} ${format.padEnd(5)} ${String(bytes.length).padStart(7)} B  ${String(report.units.length).padStart(2)} facilities ${String(keys).padStart(3)} keys  median ${result.medianMs} ms  p95 ${result.p95Ms} ms  (${runs} runs)`,
    );
  }
}

console.log('\nmedian (p95) ms per report, side by side:');
console.log(`${'industry'.padEnd(15)} ${'keys'.padStart(4)}  ${FORMATS.map((f) => f.padEnd(18)).join('')}`);
for (const [name, byFormat] of Object.entries(results)) {
  console.log(
    `${name.padEnd(15)} ${String(byFormat.csv.keys).padStart(4)}  ${FORMATS.map((f) => `${byFormat[f].medianMs} (${byFormat[f].p95Ms})`.padEnd(18)).join('')}`,
  );
}

writeResult(
  benchName(import.meta.url),
  `validation per report, median (p95) ms as csv / xlsx / json, with 2 months of history (${runs} runs): ${Object.entries(results)
    .map(([name, r]) => `${name} (${r.csv.keys} keys) ${FORMATS.map((f) => `${r[f].medianMs} (${r[f].p95Ms})`).join(' / ')}`)
    .join('; ')}`,
  { runs, warmUp, results },
);
