/**
 * Cold start: each function in functions/<name>/handler.ts is bundled the way the stack's
 * NodejsFunction bundles it (esbuild, ESM, platform node, minified, everything bundled —
 * AWS SDK included — with the createRequire banner and a linked source map), then imported in
 * a fresh `node` process with dummy configuration. Reports the bundle size (raw and gzip) and
 * the median import time of 5 runs, with and without --enable-source-maps (the stack sets it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ENV } from '#resources/env.ts';
import { benchName, median, PROJECT_ROOT, writeResult } from './lib.ts';

const RUNS = 5;
const TARGET = 'node20';
const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

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
      const outfile = join(outDir, name, 'index.mjs');
      const started = performance.now();
      await build({
        entryPoints: [join(functionsDir, name, 'handler.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: TARGET,
        minify: true,
        sourcemap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: { js: REQUIRE_SHIM },
        external: [],
        logLevel: 'error',
      });
      const buildMs = performance.now() - started;
      const code = readFileSync(outfile);
      const withMaps = timeImport(outfile, true);
      const withoutMaps = timeImport(outfile, false);
      results.push({
        function: name,
        bundleBytes: code.length,
        bundleGzipBytes: gzipSync(code, { level: 9 }).length,
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
      .map((r) => `${r.function} ${kib(r.bundleBytes)} (${kib(r.bundleGzipBytes)} gzip), import ${r.importMsMedian} ms (${r.importMsMedianWithoutSourceMaps} ms without source maps)`)
      .join('; ')} — median of ${RUNS} fresh node processes`;
    writeResult(benchName(import.meta.url), summary, {
      esbuild: { format: 'esm', platform: 'node', target: TARGET, minify: true, bundle: 'everything (AWS SDK included)', sourcemap: 'linked', banner: 'createRequire shim' },
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
