/**
 * Cold start: each function in functions/<name>/handler.ts is bundled the way the stack bundles
 * it (infra/stack/bundle.ts: esbuild, ESM, platform node, minified, everything bundled — AWS SDK
 * included — with the createRequire banner, a linked source map and code splitting, by the same
 * split-bundle.mjs), then imported in a fresh `node` process with dummy configuration. Reports
 * what a cold start reads (index.mjs and the chunks it imports statically; raw and gzip), the
 * whole asset (with the chunks loaded on first use), and the median import time of 5 runs, with
 * and without --enable-source-maps (the stack sets it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadedAtColdStart, splitBundleArgv } from '#infra/stack/bundle.ts';
import { ENV } from '#resources/env.ts';
import { benchName, median, PROJECT_ROOT, writeResult } from './lib.ts';

const RUNS = 5;
const TARGET = 'node20';

/** What a function sees at cold start, with dummy values: enough for each config schema to pass. */
const DUMMY_ENV: Record<string, string> = {
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'dummy',
  AWS_SECRET_ACCESS_KEY: 'dummy',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_METRICS_DISABLED: 'true',
  [ENV.depositBucket]: 'deposits',
  [ENV.depositsTable]: 'deposits',
  [ENV.attemptsTable]: 'attempts',
  [ENV.registryTable]: 'registry',
  [ENV.summariesTable]: 'summaries',
  [ENV.reviewQueueUrl]: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/review',
  [ENV.exportBucket]: 'exports',
  [ENV.nightlyPeriods]: '13',
  [ENV.receiptKeyId]: 'arn:aws-cn:kms:cn-north-1:000000000000:key/00000000-0000-0000-0000-000000000000',
  [ENV.intakeQueueUrl]: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/intake',
};

const IMPORT_SCRIPT = (url: string) => `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;

function timeImport(file: string, sourceMaps: boolean): number[] {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { PATH, HOME } = process.env;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT(pathToFileURL(file).href)], {
      env: { PATH: PATH ?? '', HOME: HOME ?? '', ...DUMMY_ENV, ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}) },
      encoding: 'utf8',
    });
    const ms = Number(run.stdout.trim().split('\n').pop());
    if (run.status !== 0 || !Number.isFinite(ms)) throw new Error(`importing ${file} failed (exit ${run.status}):\n${run.stderr}`);
    times.push(ms);
  }
  return times;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const functionsDir = join(PROJECT_ROOT, 'functions');
  const names = readdirSync(functionsDir)
    .filter((name) => existsSync(join(functionsDir, name, 'handler.ts')))
    .sort();
  const outDir = mkdtempSync(join(os.tmpdir(), 'bench-cold-start-'));
  try {
    const results = [];
    for (const name of names) {
      const assetDir = join(outDir, name);
      const outfile = join(assetDir, 'index.mjs');
      const started = performance.now();
      const [node, ...args] = splitBundleArgv(join(functionsDir, name, 'handler.ts'), assetDir, TARGET);
      const bundled = spawnSync(node as string, args, { encoding: 'utf8' });
      if (bundled.status !== 0) throw new Error(`bundling ${name} failed:\n${bundled.stderr}`);
      const buildMs = performance.now() - started;
      const coldStartFiles = loadedAtColdStart(assetDir);
      const code = Buffer.concat(coldStartFiles.map((f) => readFileSync(join(assetDir, f))));
      const assetFiles = [...readdirSync(assetDir, { recursive: true, encoding: 'utf8' })].filter((f) => f.endsWith('.mjs'));
      const assetBytes = assetFiles.reduce((sum, f) => sum + statSync(join(assetDir, f)).size, 0);
      const withMaps = timeImport(outfile, true);
      const withoutMaps = timeImport(outfile, false);
      results.push({
        function: name,
        bundleBytes: code.length,
        bundleGzipBytes: gzipSync(code, { level: 9 }).length,
        coldStartFiles: coldStartFiles.length,
        assetBytes,
        assetFiles: assetFiles.length,
        sourceMapBytes: statSync(`${outfile}.map`).size,
        buildMs: round(buildMs, 0),
        importMsMedian: round(median(withMaps)),
        importMsRuns: withMaps.map((t) => round(t)),
        importMsMedianWithoutSourceMaps: round(median(withoutMaps)),
        importMsRunsWithoutSourceMaps: withoutMaps.map((t) => round(t)),
      });
    }
    const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
    const summary = `cold-start: ${results
      .map(
        (r) =>
          `${r.function} ${kib(r.bundleBytes)} at cold start (${kib(r.bundleGzipBytes)} gzip; ${kib(r.assetBytes)} with lazy chunks), import ${r.importMsMedian} ms (${r.importMsMedianWithoutSourceMaps} ms without source maps)`,
      )
      .join('; ')} — median of ${RUNS} fresh node processes`;
    writeResult(benchName(import.meta.url), summary, {
      esbuild: {
        format: 'esm',
        platform: 'node',
        target: TARGET,
        minify: true,
        bundle: 'everything (AWS SDK included)',
        sourcemap: 'linked',
        banner: 'createRequire shim',
        splitting: 'index.mjs + chunks/ (infra/stack/split-bundle.mjs)',
      },
      bundleBytes: 'index.mjs and the chunks it imports statically: what a cold start reads; assetBytes adds the chunks loaded on first use (XLSX, GB18030)',
      runs: RUNS,
      note: 'The stack targets node24 and sets NODE_OPTIONS=--enable-source-maps; this machine runs Node 20, hence target node20. Import time excludes Node start-up itself.',
      functions: results,
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
