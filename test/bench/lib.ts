/**
 * Shared helpers for the benchmarks (`npm run bench`): percentiles, the machine a figure came
 * from, and the JSON each benchmark writes to bench-results/<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = join(PROJECT_ROOT, 'bench-results');

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryMiB: number;
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  readonly node: string;
  readonly date: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    node: process.version,
    date: new Date().toISOString(),
  };
}

export function machineLine(m: MachineInfo = machineInfo()): string {
  return `${m.cpus}× ${m.cpuModel}, ${m.totalMemoryMiB} MiB, ${m.platform} ${m.arch}, Node ${m.node}`;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The benchmark's name from its module URL: test/bench/surge.ts → "surge". */
export function benchName(moduleUrl: string): string {
  return basename(fileURLToPath(moduleUrl)).replace(/\.ts$/, '');
}

/** Writes bench-results/<name>.json (summary, figures, machine) and prints the one-line summary last. */
export function writeResult(name: string, summary: string, figures: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ benchmark: name, summary, machine: machineInfo(), ...figures }, null, 2)}\n`);
  console.log(summary);
  return file;
}
