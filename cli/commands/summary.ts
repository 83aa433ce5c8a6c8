/**
 * Department commands: `evidence summary` (last night's rates and today's late list),
 * `evidence nightly` (run nightly-summary now) and `evidence registry import|export`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { DynamoSummaries, type StoredSummary } from '#adapters/dynamo-summaries.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { z } from 'zod';
import { type LateAnswer, lateFor } from '#app/department-queries.ts';
import { type Period, PeriodSchema } from '#domain/period.ts';
import { divisionLabel, scopeLabel } from '#domain/provinces.ts';
import { lastEndedPeriod, SummaryScopeSchema, scopesOf } from '#domain/rates.ts';
import { parseRegistryCsvBytes, parseRegistryXlsx, registryCsv, registryXlsx } from '#domain/registry-file.ts';
import { DeadlineRulesVariable, loadConfig } from '#lambda/config.ts';
import { ENV } from '#resources/env.ts';
import { type Connection, connect } from '../connection.ts';
import { duration, shanghaiTime } from '../format.ts';
import { countProgress } from '../terminal.ts';
import { signedFetch } from '#cli/signed-fetch.ts';

const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

function readerOf(connection: Connection): DynamoPeriodReader {
  return new DynamoPeriodReader(connection.clients.db, connection.tables);
}

function summaryTable(summaries: readonly StoredSummary[]): string {
  const table = new Table({
    head: [
      'scope',
      'obliged',
      'on time',
      'late',
      'missing',
      'pending',
      'on-time rate',
      '1st pass ok',
      'returned',
      'withdrawn',
      'in review',
      'first-pass rate',
      'problems',
    ],
    style: { head: [], border: [] },
  });
  for (const s of summaries) {
    table.push([
      s.scope === 'all' ? 'all' : `${scopeLabel(s.scope)} ${s.scope}`,
      s.obliged,
      s.onTime,
      s.late,
      s.missing,
      s.pending,
      percent(s.onTimeRate),
      s.firstPassAccepted,
      s.returned,
      // Summaries stored before withdrawals were counted have none.
      s.withdrawn ?? 0,
      s.awaitingReview,
      percent(s.firstPassRate),
      s.problems.total,
    ]);
  }
  return table.toString();
}

/**
 * Today's late list under the deployment's own deadline rules: from its query API (`GET /late`,
 * whose function is configured with them) where the connection has an API URL — always on the
 * twin; otherwise computed here with the rules in DEADLINE_RULES, read as the functions read it.
 */
async function lateListOf(connection: Connection, reader: DynamoPeriodReader, store: DynamoSummaries, period: Period, scope: string): Promise<LateAnswer> {
  if (connection.apiUrl) {
    const url = new URL('late', connection.apiUrl.endsWith('/') ? connection.apiUrl : `${connection.apiUrl}/`);
    url.searchParams.set('period', period);
    url.searchParams.set('scope', scope);
    const response = await signedFetch(connection, url, { method: 'GET' });
    if (!response.ok) throw new Error(`GET /late: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as LateAnswer;
  }
  const config = loadConfig(z.object({ [ENV.deadlineRules]: DeadlineRulesVariable }));
  return lateFor({ reader: () => reader, summaries: store, rules: config[ENV.deadlineRules], now: () => new Date() }, { period, scope });
}

async function runNightlyOn(connection: Connection, at: string | undefined): Promise<unknown> {
  if (!connection.apiUrl) throw new Error('`evidence nightly` runs the job on the local twin (npm start); in AWS, invoke the nightly-summary function');
  const response = await fetch(`${connection.apiUrl}/2015-03-31/functions/nightly-summary/invocations`, {
    method: 'POST',
    body: JSON.stringify(at ? { at } : {}),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok || response.headers.get('x-amz-function-error'))
    throw new Error(`nightly-summary failed: ${String(body.errorMessage ?? body.message ?? response.status)}`);
  return body;
}

export function registerSummaryCommands(program: Command): void {
  program
    .command('summary')
    .description('the on-time and first-pass rates of a period per scope (from the nightly summary), and who is late now / 按时提交率、一次通过率及逾期名单')
    .option('--period <YYYY-MM>', 'the month (default: the last month that has ended)')
    .option(
      '--scope <scope>',
      'all, province:<code or name>, city:<code or name> (city:360100, city:南昌) or industry:<name> (default: all and every province and city)',
    )
    .option('--json', 'machine-readable output')
    .action(async (options: { period?: string; scope?: string; json?: boolean }) => {
      const period = PeriodSchema.safeParse(options.period ?? lastEndedPeriod(new Date()));
      if (!period.success) throw new Error(`--period ${options.period}: ${period.error.issues[0]?.message}`);
      const scope = options.scope === undefined ? undefined : SummaryScopeSchema.safeParse(options.scope);
      if (scope && !scope.success) throw new Error(`--scope ${options.scope}: ${scope.error.issues[0]?.message}`);
      const connection = connect();
      const reader = readerOf(connection);
      const store = new DynamoSummaries(connection.clients.db, connection.tables.summaries);
      const scopes = scope?.data
        ? [scope.data]
        : [...new Set((await reader.registry()).flatMap(scopesOf).filter((s) => !s.startsWith('industry:')))].sort((a, b) =>
            a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b),
          );
      const summaries = (await Promise.all(scopes.map((s) => store.range(s, period.data, period.data)))).flat();
      const late = await lateListOf(connection, reader, store, period.data, scope?.data ?? 'all');
      if (options.json) {
        console.log(JSON.stringify({ period: period.data, summaries, late }, null, 2));
        return;
      }
      if (summaries.length === 0) {
        console.log(
          `no summary for ${period.data}${scope?.data ? ` in ${scopeLabel(scope.data)} (${scope.data})` : ''} yet: run \`evidence nightly\` (or wait for 02:00 Beijing time)`,
        );
      } else {
        const computed =
          summaries
            .map((s) => s.computedAt)
            .sort()
            .at(-1) ?? '';
        console.log(`Period ${period.data} — nightly summary, figures last changed ${shanghaiTime(computed)}`);
        console.log(summaryTable(summaries));
        const chosen = summaries.find((s) => s.scope === (scope?.data ?? 'all'));
        if (chosen && chosen.problems.byCode.length > 0) {
          const problems = new Table({
            head: ['problem code', 'severity', 'count'],
            style: { head: [], border: [] },
          });
          for (const p of chosen.problems.byCode.slice(0, 15)) problems.push([p.code, p.severity, p.count]);
          console.log(`\nProblems found in ${chosen.scope} (${chosen.problems.total} in ${chosen.attempts} attempt(s)):\n${problems.toString()}`);
        }
      }
      if (late.late.length === 0) {
        console.log(`\nNobody is late for ${period.data} in ${scopeLabel(late.scope)}${late.pending ? ` (${late.pending} still within the deadline)` : ''}.`);
        return;
      }
      const list = new Table({
        head: ['enterprise', 'name', 'city', 'status', 'due by end of', 'late by'],
        style: { head: [], border: [] },
      });
      for (const s of late.late) list.push([s.enterpriseId, s.name, s.cityName ?? divisionLabel(s.city), s.submission, s.lastDay, duration(s.lateBySeconds)]);
      console.log(`\nLate or missing for ${period.data} in ${scopeLabel(late.scope)}, as of now (${late.late.length} of ${late.obliged}):\n${list.toString()}`);
    });

  program
    .command('nightly')
    .description('run nightly-summary now on the local twin (the twin also runs it at 02:00 Asia/Shanghai) / 立即计算每日汇总')
    .option('--at <ISO time>', 'compute as of this instant (default: now)')
    .action(async (options: { at?: string }) => {
      if (options.at && Number.isNaN(Date.parse(options.at))) throw new Error(`--at ${options.at} is not an ISO time such as 2026-04-01T02:00:00+08:00`);
      const at = options.at ? new Date(options.at).toISOString() : undefined;
      const run = (await runNightlyOn(connect(), at)) as {
        periods: string[];
        enterprises: number;
        summaries: { written: number; unchanged: number };
        exports: { written: number; unchanged: number };
        durationMs: number;
        itemsRead: Record<string, number>;
      };
      console.log(
        `nightly-summary: ${run.periods[0]}…${run.periods.at(-1)} for ${run.enterprises} enterprises in ${(run.durationMs / 1000).toFixed(1)} s — summaries ${run.summaries.written} written, ${run.summaries.unchanged} unchanged; exports ${run.exports.written} written, ${run.exports.unchanged} unchanged; items read ${JSON.stringify(run.itemsRead)}`,
      );
    });

  const registry = program.command('registry').description('the registry of obliged enterprises (the denominator of both rates) / 重点排放单位名录');
  registry
    .command('import')
    .description('validate a registry file (CSV or XLSX) and load it; a bad row is reported with its line and nothing is loaded')
    .argument('<file>', 'registry.csv or registry.xlsx')
    .action(async (file: string) => {
      const bytes = readFileSync(file);
      // CSV as Excel on Chinese Windows saves it (GB18030) reads as well as UTF-8.
      const parsed = extname(file).toLowerCase() === '.xlsx' ? await parseRegistryXlsx(bytes) : await parseRegistryCsvBytes(bytes);
      if (!parsed.ok) {
        for (const problem of parsed.problems) console.error(`${file}:${problem.line}: ${problem.column ? `${problem.column}: ` : ''}${problem.message}`);
        throw new Error(`${parsed.problems.length} problem(s); nothing was imported`);
      }
      const connection = connect();
      const progress = countProgress('导入 importing');
      try {
        await new DynamoRegistry(connection.clients.db, connection.tables.registry).putAll(parsed.enterprises, (done, total) => progress.update(done, total));
      } finally {
        progress.stop();
      }
      console.log(`imported ${parsed.enterprises.length} enterprise(s) into the registry`);
    });
  registry
    .command('export')
    .description('write the registry as CSV or XLSX')
    .option('--format <csv|xlsx>', 'file format', 'csv')
    .option('--out <file>', 'write to this file (default: CSV to standard output)')
    .action(async (options: { format: string; out?: string }) => {
      if (options.format !== 'csv' && options.format !== 'xlsx') throw new Error(`--format ${options.format}: csv or xlsx`);
      if (options.format === 'xlsx' && !options.out) throw new Error('--format xlsx needs --out <file>');
      const enterprises = await readerOf(connect()).registry();
      const body = options.format === 'xlsx' ? await registryXlsx(enterprises) : registryCsv(enterprises);
      if (options.out) {
        writeFileSync(options.out, body);
        console.error(`wrote ${enterprises.length} enterprise(s) to ${options.out}`);
      } else process.stdout.write(body);
    });
}
