/**
 * `npm run bench`: runs every benchmark in test/bench (each *.ts except this runner and
 * lib.ts), one at a time, each in its own `node --import tsx` process so none inherits another's
 * warm caches or leftover emulators. Each benchmark prints a one-line summary (its last line of
 * output) and writes bench-results/<name>.json; this prints a markdown table of the summaries
 * for the README. `npm run bench -- surge requests` runs only those.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine, PROJECT_ROOT, RESULTS_DIR } from './lib.ts';

const BENCH_DIR = join(PROJECT_ROOT, 'test', 'bench');
const NOT_BENCHMARKS = new Set(['run.ts', 'lib.ts', 'web-weights.ts']);

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly summary: string;
}

/**
 * The twin serves thousands of small requests a second from one process; with V8's default 16 MB
 * semi-spaces it spends a large share of the surge in young-generation GC (measured: 65 s vs 75 s).
 */
const TWIN_NODE_FLAGS = ['--max-semi-space-size=64'];

function runOne(name: string): Promise<Outcome> {
  const file = join(BENCH_DIR, `${name}.ts`);
  const resultFile = join(RESULTS_DIR, `${name}.json`);
  const started = Date.now();
  return new Promise((resolve) => {
    // The twin's process flags, as `npm start` runs it (see package.json): a 64 MB young generation.
    const child = spawn(process.execPath, [...TWIN_NODE_FLAGS, '--import', 'tsx', file], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      process.stdout.write(d);
    });
    // Benchmarks' progress and warnings go to stderr: shown, not parsed.
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    child.on('close', (code) => {
      const seconds = (Date.now() - started) / 1000;
      const lastLine = stdout.trim().split('\n').pop()?.trim() ?? '';
      // Prefer the summary in the JSON this run wrote; fall back to the last printed line.
      let summary = lastLine;
      if (existsSync(resultFile) && statSync(resultFile).mtimeMs >= started) {
        try {
          const written = JSON.parse(readFileSync(resultFile, 'utf8')) as { summary?: unknown };
          if (typeof written.summary === 'string') summary = written.summary;
        } catch {
          // Unreadable JSON: keep the printed line.
        }
      }
      resolve({ name, ok: code === 0, seconds, summary: code === 0 ? summary : `FAILED (exit ${code})${lastLine ? `: ${lastLine}` : ''}` });
    });
  });
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

async function main(): Promise<void> {
  const available = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts') && !NOT_BENCHMARKS.has(f))
    .map((f) => f.slice(0, -3))
    .sort();
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !available.includes(a));
  if (unknown.length) throw new Error(`no such benchmark: ${unknown.join(', ')} (have: ${available.join(', ')})`);
  const names = asked.length ? available.filter((n) => asked.includes(n)) : available;

  const outcomes: Outcome[] = [];
  for (const name of names) {
    console.log(`\n▶ ${name}`);
    outcomes.push(await runOne(name));
  }
  console.log(
    `\n## Benchmarks\n\nMachine: ${machineLine()} — ${new Date().toISOString().slice(0, 10)}. Reproduce: \`npm run bench\` (JSON in \`bench-results/\`).\n`,
  );
  console.log('| benchmark | result | run time |');
  console.log('| --- | --- | --- |');
  for (const o of outcomes) console.log(`| ${o.name} | ${cell(o.summary)} | ${o.seconds.toFixed(0)} s |`);
  if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
