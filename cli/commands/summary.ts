/**
 * Department commands, through the people's API as the signed-in person: `evidence summary`
 * (GET /summaries: last night's rates; GET /late: who is late now), `evidence registry
 * import|export` (POST/GET /registry, administrators). `evidence nightly` runs the job on the
 * local twin (operators).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import pMap from 'p-map';
import type { LateAnswer, SummariesAnswer } from '#app/department-queries.ts';
import type { RegistryAnswer, RegistryLoadAnswer } from '#app/registry-admin.ts';
import type { StoredSummary } from '#app/ports.ts';
import { citiesOf } from '#domain/league.ts';
import { PeriodSchema } from '#domain/period.ts';
import { divisionLabel, scopeLabel } from '#domain/provinces.ts';
import { lastEndedPeriod, SummaryScopeSchema } from '#domain/rates.ts';
import type { Enterprise } from '#domain/registry.ts';
import { parseRegistryCsvBytes, parseRegistryXlsx, registryCsv, registryXlsx } from '#domain/registry-file.ts';
import { type ApiClient, peopleApi } from '#cli/api-client.ts';
import { whoAmI } from '#cli/auth/who.ts';
import { type Connection, connect } from '#cli/connection.ts';
import { CliError, EXIT, UsageError } from '#cli/exit-codes.ts';
import { duration, shanghaiTime } from '#cli/format.ts';
import { countProgress } from '#cli/terminal.ts';

const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

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

/** The scopes `summary` shows without --scope: the caller's own, and each city of a province. */
async function defaultScopes(api: ApiClient): Promise<(string | undefined)[]> {
  const me = await whoAmI(api);
  const jurisdiction = typeof me.jurisdiction === 'object' ? me.jurisdiction : undefined;
  if (!jurisdiction) return [undefined];
  const own = `${jurisdiction.kind}:${jurisdiction.code}`;
  return jurisdiction.kind === 'province' ? [own, ...citiesOf(jurisdiction.code).map((city) => `city:${city}`)] : [own];
}

/** Registry entries go up in batches: one request each, a bar counting them. */
const REGISTRY_BATCH = 500;

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
      'all, province:<code or name>, city:<code or name> (city:360100, city:南昌), industry:<code or name> (industry:cement, industry:水泥熟料) or a province or city narrowed to one (city:南昌|industry:cement) (default: all and every province and city)',
    )
    .option('--json', 'machine-readable output')
    .action(async (options: { period?: string; scope?: string; json?: boolean }) => {
      const period = PeriodSchema.safeParse(options.period ?? lastEndedPeriod(new Date()));
      if (!period.success) throw new UsageError(`--period ${options.period}: ${period.error.issues[0]?.message}`);
      const scope = options.scope === undefined ? undefined : SummaryScopeSchema.safeParse(options.scope);
      if (scope && !scope.success) throw new UsageError(`--scope ${options.scope}: ${scope.error.issues[0]?.message}`);
      const api = peopleApi();
      const scopes = scope?.data ? [scope.data] : await defaultScopes(api);
      const [answers, late] = await Promise.all([
        pMap(scopes, (s) => api.get<SummariesAnswer>('/summaries', { scope: s, from: period.data, to: period.data }), { concurrency: 4 }),
        api.get<LateAnswer>('/late', { scope: scopes[0], period: period.data }),
      ]);
      const summaries: StoredSummary[] = answers.flatMap((a) => a.summaries);
      const chosenScope = answers[0]?.scope ?? scope?.data ?? 'all';
      if (options.json) {
        console.log(JSON.stringify({ period: period.data, summaries, late }, null, 2));
        return;
      }
      if (summaries.length === 0) {
        console.log(
          `no summary for ${period.data} in ${scopeLabel(chosenScope)} (${chosenScope}) yet: run \`evidence nightly\` (or wait for 02:00 Beijing time) / 尚无汇总`,
        );
      } else {
        const computed =
          summaries
            .map((s) => s.computedAt)
            .sort()
            .at(-1) ?? '';
        console.log(`Period ${period.data} — nightly summary, figures last changed ${shanghaiTime(computed)}`);
        console.log(summaryTable(summaries));
        const chosen = summaries.find((s) => s.scope === chosenScope);
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

  const registry = program
    .command('registry')
    .description('the registry of obliged enterprises (the denominator of both rates), for administrators / 重点排放单位名录（管理员）');
  registry
    .command('import')
    .description(
      'validate a registry file (CSV or XLSX) here and load it through the API; a bad row is reported with its line and nothing is loaded / 导入名录',
    )
    .argument('<file>', 'registry.csv or registry.xlsx')
    .option('--json', 'machine-readable output')
    .action(async (file: string, options: { json?: boolean }) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        throw new UsageError(`${file}: 无法读取 / cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      // CSV as Excel on Chinese Windows saves it (GB18030) reads as well as UTF-8.
      const parsed = extname(file).toLowerCase() === '.xlsx' ? await parseRegistryXlsx(bytes) : await parseRegistryCsvBytes(bytes);
      if (!parsed.ok) {
        for (const problem of parsed.problems) console.error(`${file}:${problem.line}: ${problem.column ? `${problem.column}: ` : ''}${problem.message}`);
        throw new UsageError(`${parsed.problems.length} 处问题，未导入 / ${parsed.problems.length} problem(s); nothing was imported`);
      }
      const api = peopleApi();
      const progress = countProgress('导入 importing');
      const total = { imported: 0, unchanged: 0 };
      try {
        for (let start = 0; start < parsed.enterprises.length; start += REGISTRY_BATCH) {
          const batch: readonly Enterprise[] = parsed.enterprises.slice(start, start + REGISTRY_BATCH);
          const answer = await api.post<RegistryLoadAnswer>('/registry', { enterprises: batch });
          if (answer.refused.length > 0) {
            for (const row of answer.refused) console.error(`${file}: ${row.message}`);
            throw new CliError(
              `API 拒绝了 ${answer.refused.length} 行；已导入此前的 ${total.imported} 条 / the API refused ${answer.refused.length} row(s); ${total.imported} entries before them were imported`,
              EXIT.conflict,
            );
          }
          total.imported += answer.imported;
          total.unchanged += answer.unchanged;
          progress.update(Math.min(start + REGISTRY_BATCH, parsed.enterprises.length), parsed.enterprises.length);
        }
      } finally {
        progress.stop();
      }
      if (options.json) console.log(JSON.stringify({ file, ...total }, null, 2));
      else
        console.log(
          `imported ${total.imported} enterprise(s) into the registry, ${total.unchanged} unchanged / 已导入 ${total.imported} 条，${total.unchanged} 条未变`,
        );
    });
  registry
    .command('export')
    .description('write the registry as CSV or XLSX, from the API / 导出名录')
    .option('--format <csv|xlsx>', 'file format', 'csv')
    .option('--province <code or name>', 'only this province (360000, 江西)')
    .option('--out <file>', 'write to this file (default: CSV to standard output)')
    .action(async (options: { format: string; province?: string; out?: string }) => {
      if (options.format !== 'csv' && options.format !== 'xlsx') throw new UsageError(`--format ${options.format}: csv or xlsx`);
      if (options.format === 'xlsx' && !options.out) throw new UsageError('--format xlsx needs --out <file>');
      const answer = await peopleApi().get<RegistryAnswer>('/registry', { format: 'json', province: options.province });
      if (answer.format !== 'json') throw new CliError('the API answered the registry in another format than asked', EXIT.error);
      // The API names each division beside its code; the file keeps the registry's own fields.
      const enterprises: Enterprise[] = answer.enterprises.map(({ provinceName: _p, cityName: _c, ...enterprise }) => enterprise);
      const body = options.format === 'xlsx' ? await registryXlsx(enterprises) : registryCsv(enterprises);
      if (options.out) {
        writeFileSync(options.out, body);
        console.error(`wrote ${enterprises.length} enterprise(s) to ${options.out}`);
      } else process.stdout.write(body);
    });
}
