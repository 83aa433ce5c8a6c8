/**
 * Peak memory while hashing a 200 MB evidence file the way `S3DepositStore.sha256` does: a
 * stream fed chunk by chunk into node:crypto. The file is generated in a temporary folder and
 * removed afterwards. It then measures reading the whole file first (skip with `--streamed-only`),
 * to show what streaming saves. Prints a summary and writes bench-results/hash-memory.json.
 *   node --expose-gc --import tsx test/bench/hash-memory.ts [megabytes=200] [--streamed-only]
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { benchName, writeResult } from './lib.ts';

const megabytes = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 200);
const buffered = !process.argv.includes('--streamed-only');
const MiB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'hash-bench-'));
const path = join(dir, 'scan.pdf');
const block = randomBytes(MiB);
const fd = openSync(path, 'w');
for (let i = 0; i < megabytes; i++) {
  block[0] = i & 0xff; // no two blocks alike
  writeSync(fd, block);
}
closeSync(fd);

interface Peak {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

async function measure(fn: () => Promise<string>): Promise<{ sha256: string; ms: number; baseline: Peak; peak: Peak }> {
  globalThis.gc?.();
  const now = (): Peak => {
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
  };
  const baseline = now();
  const peak = { ...baseline };
  const sample = () => {
    const m = now();
    for (const k of Object.keys(peak) as (keyof Peak)[]) peak[k] = Math.max(peak[k], m[k]);
  };
  const timer = setInterval(sample, 5);
  const start = performance.now();
  const sha256 = await fn();
  const ms = performance.now() - start;
  clearInterval(timer);
  sample();
  return { sha256, ms, baseline, peak };
}

/** The S3DepositStore.sha256 loop, over a file stream instead of an S3 body stream. */
async function streamed(): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as Readable) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function whole(): Promise<string> {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const mb = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
const report = (name: string, r: Awaited<ReturnType<typeof measure>>) => ({
  name,
  seconds: Math.round(r.ms) / 1000,
  throughputMBps: Math.round(megabytes / (r.ms / 1000)),
  baselineRssMB: mb(r.baseline.rss),
  peakRssMB: mb(r.peak.rss),
  peakRssAboveBaselineMB: mb(r.peak.rss - r.baseline.rss),
  peakHeapUsedMB: mb(r.peak.heapUsed),
  peakArrayBuffersMB: mb(r.peak.arrayBuffers),
  sha256: r.sha256,
});

try {
  const results = [report('streamed', await measure(streamed))];
  if (buffered) results.push(report('whole file in memory', await measure(whole)));
  if (results.length === 2 && results[0]?.sha256 !== results[1]?.sha256) throw new Error('the two ways of hashing disagree');
  const [streamedResult, wholeResult] = results;
  for (const r of results) {
    console.log(
      `${r.name}: ${megabytes} MB hashed in ${r.seconds} s (${r.throughputMBps} MB/s); peak RSS ${r.peakRssMB} MB (+${r.peakRssAboveBaselineMB} MB over baseline ${r.baselineRssMB} MB), peak heap ${r.peakHeapUsedMB} MB, peak array buffers ${r.peakArrayBuffersMB} MB`,
    );
  }
  writeResult(
    benchName(import.meta.url),
    `SHA-256 of a ${megabytes} MB file, streamed: peak RSS +${streamedResult?.peakRssAboveBaselineMB} MB over baseline (${streamedResult?.throughputMBps} MB/s)` +
      (wholeResult ? `; whole file in memory: +${wholeResult.peakRssAboveBaselineMB} MB` : ''),
    { fileMB: megabytes, results },
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
