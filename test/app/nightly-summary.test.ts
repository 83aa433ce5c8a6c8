/**
 * The nightly use case on in-memory ports: what it reads, what it writes (only what changed),
 * what it reports, and that overlapping runs each count their own reads.
 */
import { describe, expect, it } from 'vitest';
import { runNightly, type NightlyDeps } from '#app/nightly-summary.ts';
import type { ExportFile, ExportStore, ItemsRead, PeriodReader, SummaryStore, WriteOutcome } from '#app/ports.ts';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import type { Period } from '#domain/period.ts';
import { type PeriodSummary, type ProblemRef, periodsToSummarise, type RatedRecord } from '#domain/rates.ts';
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';
import { EXPORTS_PREFIX } from '#resources/exports.ts';

const AT = new Date('2026-04-01T02:00:00+08:00');
const PERIOD: Period = '2026-01';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function enterprise(n: number): Enterprise {
  const first17 = `91360100${String(n).padStart(9, '0')}`;
  return {
    enterpriseId: first17 + creditCodeCheckChar(first17),
    name: `企业${n}`,
    province: '江西',
    city: n % 2 ? '南昌' : '九江',
    industry: 'power',
    units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
    obligedFrom: '2025-01',
  };
}

function record(e: Enterprise, period: Period, receivedAt: string): RatedRecord {
  return {
    enterpriseId: e.enterpriseId,
    period,
    province: e.province,
    city: e.city,
    industry: e.industry,
    version: 1,
    attempts: [
      {
        attemptId: `${e.enterpriseId}-${period}`,
        reportKey: `reports/${e.enterpriseId}/${period}/0/report.json`,
        receivedAt,
        onTime: true,
        verdict: 'accepted',
        errors: 0,
        warnings: 1,
      },
    ],
  };
}

/** The ledger as tables: each read answers with its items and counts them, as the Query adapter does. */
class FakePeriodReader implements PeriodReader {
  private readonly counts = { registry: 0, deposits: 0, attempts: 0 };

  constructor(
    private readonly tables: {
      readonly registry: readonly Enterprise[];
      readonly records: readonly RatedRecord[];
      readonly problems: ReadonlyMap<string, readonly ProblemRef[]>;
    },
  ) {}

  get itemsRead(): ItemsRead {
    return { ...this.counts };
  }

  async registry(): Promise<Enterprise[]> {
    await tick();
    this.counts.registry += this.tables.registry.length;
    return [...this.tables.registry];
  }

  async recordsOf(period: Period): Promise<RatedRecord[]> {
    await tick();
    const found = this.tables.records.filter((r) => r.period === period);
    this.counts.deposits += found.length;
    return found;
  }

  async problemsOf(enterpriseIds: readonly string[], from: Period, to: Period): Promise<Map<string, ProblemRef[]>> {
    const problems = new Map<string, ProblemRef[]>();
    for (const r of this.tables.records) {
      if (!enterpriseIds.includes(r.enterpriseId) || r.period < from || r.period > to) continue;
      await tick();
      for (const a of r.attempts) {
        this.counts.attempts++;
        problems.set(a.attemptId, [...(this.tables.problems.get(a.attemptId) ?? [])]);
      }
    }
    return problems;
  }
}

/** Keeps the last figures per scope and period; a Put of the same figures is 'unchanged'. */
class FakeSummaryStore implements SummaryStore {
  readonly items = new Map<string, { summary: PeriodSummary; computedAt: string }>();

  async put(summary: PeriodSummary, computedAt: string): Promise<WriteOutcome> {
    await tick();
    const key = `${summary.scope}|${summary.period}`;
    if (JSON.stringify(this.items.get(key)?.summary) === JSON.stringify(summary)) return 'unchanged';
    this.items.set(key, { summary, computedAt });
    return 'written';
  }
}

class FakeExportStore implements ExportStore {
  readonly objects = new Map<string, ExportFile>();

  async put(file: ExportFile): Promise<WriteOutcome> {
    await tick();
    if (this.objects.get(file.key)?.body === file.body) return 'unchanged';
    this.objects.set(file.key, file);
    return 'written';
  }
}

function nightly(periods = 3) {
  const registry = [enterprise(1), enterprise(2), enterprise(3)];
  const [first, second] = registry as [Enterprise, Enterprise, Enterprise];
  const tables = {
    registry,
    // Enterprise 3 never deposits January; enterprise 2 deposits February too.
    records: [
      record(first, PERIOD, '2026-02-10T02:00:00.000Z'),
      record(second, PERIOD, '2026-02-11T02:00:00.000Z'),
      record(second, '2026-02', '2026-03-02T02:00:00.000Z'),
    ],
    problems: new Map<string, ProblemRef[]>([[`${second.enterpriseId}-${PERIOD}`, [{ code: 'EVD-SOMETHING', severity: 'warning' }]]]),
  };
  const readers: FakePeriodReader[] = [];
  const summaries = new FakeSummaryStore();
  const exports = new FakeExportStore();
  const deps: NightlyDeps = {
    reader: () => {
      const reader = new FakePeriodReader(tables);
      readers.push(reader);
      return reader;
    },
    summaries,
    exports,
    rules: DEFAULT_DEADLINE_RULES,
    periods,
  };
  return { deps, readers, summaries, exports, tables };
}

describe('runNightly', () => {
  it('summarises every period still moving, every scope, and exports each period under the exports prefix', async () => {
    // Prepare
    const { deps, summaries, exports } = nightly();

    // Act
    const run = await runNightly(deps, AT);

    // Assess
    const periods = periodsToSummarise(AT, 3);
    expect(run.periods).toEqual(periods);
    expect(run.enterprises).toBe(3);
    expect(run.at).toBe(AT.toISOString());
    // all, province:江西, city:南昌, city:九江, industry:power, and province:江西|industry:power,
    // city:南昌|industry:power, city:九江|industry:power — per period.
    expect(summaries.items.size).toBe(8 * periods.length);
    expect(summaries.items.get(`province:360000|industry:power|${PERIOD}`)?.summary.obliged).toBe(3);
    expect(run.summaries).toEqual({ written: summaries.items.size, unchanged: 0 });
    expect([...exports.objects.keys()].every((key) => key.startsWith(EXPORTS_PREFIX))).toBe(true);
    expect(new Set([...exports.objects.keys()].map((key) => key.split('/')[1]))).toEqual(new Set(periods));
    expect(run.exports).toEqual({ written: exports.objects.size, unchanged: 0 });
    const january = summaries.items.get(`all|${PERIOD}`)?.summary;
    expect(january?.obliged).toBe(3);
    expect(january?.missing).toBe(1);
  });

  it('writes nothing on a second run over the same ledger, and keeps when the figures last moved', async () => {
    const { deps, summaries } = nightly();
    await runNightly(deps, AT);

    const rerun = await runNightly(deps, new Date(AT.getTime() + 60_000));

    expect(rerun.summaries).toEqual({ written: 0, unchanged: summaries.items.size });
    expect(rerun.exports.written).toBe(0);
    expect(summaries.items.get(`all|${PERIOD}`)?.computedAt).toBe(AT.toISOString());
  });

  it('reports the items its own run read: the registry once, each period once, one attempt per record', async () => {
    const { deps, tables } = nightly();

    const run = await runNightly(deps, AT);

    const inWindow = tables.records.filter((r) => run.periods.includes(r.period));
    expect(run.itemsRead).toEqual({ registry: tables.registry.length, deposits: inWindow.length, attempts: inWindow.length });
  });

  it('takes a fresh reader per run, so two overlapping runs on the same deps each report only their own reads', async () => {
    const { deps, readers } = nightly();
    const alone = await runNightly(deps, AT);

    const [a, b] = await Promise.all([runNightly(deps, AT), runNightly(deps, AT)]);

    expect(readers).toHaveLength(3);
    expect(a.itemsRead).toEqual(alone.itemsRead);
    expect(b.itemsRead).toEqual(alone.itemsRead);
  });

  it('lets a fault from a store fail the run (the schedule retries)', async () => {
    const { deps } = nightly();
    const failing: NightlyDeps = {
      ...deps,
      exports: {
        put: async () => {
          throw Object.assign(new Error('Slow Down'), { name: 'SlowDown' });
        },
      },
    };

    await expect(runNightly(failing, AT)).rejects.toThrow('Slow Down');
  });
});
