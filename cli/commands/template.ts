/**
 * `evidence template --enterprise <credit code> [--period YYYY-MM]`: the month's report template
 * (月报模板) — downloaded through the API (GET /enterprises/{id}/template, as the signed-in
 * enterprise), or, with `--registry <file>`, written offline from a registry entry (the JSON of
 * one enterprise, or a list of them). Either way it is shared/domain/report-template.ts that
 * writes it: every registered facility of every industry owed that month (generating units,
 * clinker lines, potlines, steel processes), each parameter its catalogue expects, the material
 * column, the guideline's defaults and the 取值方式 / 填报要求 columns where the industry has them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PeriodSchema } from '#domain/period.ts';
import { lastEndedPeriod } from '#domain/rates.ts';
import { type Enterprise, EnterpriseSchema, isObliged } from '#domain/registry.ts';
import { templateFileName, templateRows, writeTemplate } from '#domain/report-template.ts';
import type { TemplateAnswer } from '#app/report-template.ts';
import { peopleApi } from '#cli/api-client.ts';
import { UsageError } from '#cli/exit-codes.ts';

/** The registry entry of `enterpriseId` in a JSON file holding one entry or a list of them. */
export function registryEntry(path: string, enterpriseId: string): Enterprise {
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const entries = Array.isArray(data) ? data : [data];
  const found = entries.find((e) => typeof e === 'object' && e !== null && (e as { enterpriseId?: unknown }).enterpriseId === enterpriseId);
  if (!found) throw new UsageError(`${path}: 没有企业 ${enterpriseId} / no entry for enterprise ${enterpriseId}`);
  const parsed = EnterpriseSchema.safeParse(found);
  if (!parsed.success)
    throw new UsageError(
      `${path}: 企业 ${enterpriseId} 的登记信息无效 / invalid registry entry: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data as Enterprise;
}

export function registerTemplateCommand(program: Command): void {
  program
    .command('template')
    .description("the month's report template (XLSX) for an enterprise, through the API or from a registry file / 下载月报模板")
    .requiredOption('--enterprise <id>', 'the unified social credit code')
    .option('--period <YYYY-MM>', 'the month (default: the last month that has ended)')
    .option('--registry <file>', 'write it offline from this registry entry (JSON: one enterprise or a list)')
    .option('--out <file>', 'where to save it (default: the template file name, 月报模板_<id>_<period>.xlsx)')
    .option('--json', 'print where it was saved as JSON')
    .action(async (options: { enterprise: string; period?: string; registry?: string; out?: string; json?: boolean }) => {
      if (options.period !== undefined && !PeriodSchema.safeParse(options.period).success)
        throw new UsageError(`--period ${options.period}: 月份写作 YYYY-MM / a period is written YYYY-MM`);
      let fileName: string;
      let bytes: Uint8Array;
      let rows: number | undefined;
      if (options.registry) {
        const enterprise = registryEntry(options.registry, options.enterprise);
        const period = options.period ?? lastEndedPeriod(new Date());
        if (!isObliged(enterprise, period)) throw new UsageError(`${period} 不在本企业的报告义务期内 / ${period} is outside the enterprise's obligation`);
        fileName = templateFileName(enterprise.enterpriseId, period);
        bytes = await writeTemplate(enterprise, period);
        rows = templateRows(enterprise, period).length;
      } else {
        const query = options.period ? `?period=${encodeURIComponent(options.period)}` : '';
        const answer = await peopleApi().get<TemplateAnswer>(`/enterprises/${encodeURIComponent(options.enterprise)}/template${query}`);
        fileName = answer.fileName;
        bytes = new Uint8Array(Buffer.from(answer.base64, 'base64'));
      }
      const out = options.out ?? fileName;
      writeFileSync(out, bytes);
      if (options.json) console.log(JSON.stringify({ out, fileName, bytes: bytes.length, ...(rows !== undefined ? { rows } : {}) }, null, 2));
      else console.log(`模板已保存 / template saved: ${out} (${bytes.length} bytes${rows !== undefined ? `, ${rows} rows` : ''})`);
    });
}
