/**
 * Enterprise commands: `evidence deposit` and `evidence status`, through the people's API as the
 * signed-in clerk (`evidence login`).
 *
 * `deposit` checks everything it can before it uploads a byte: the arguments (cli/arguments.ts),
 * the files, the report's format, and the report itself with the pipeline's own checks
 * (cli/precheck.ts, run here). A report that would be returned for its own content is not uploaded
 * unless --force. Then it opens the deposit (POST /enterprises/{id}/deposits), PUTs each file to
 * the presigned URL it was given, and waits for the verdict in the enterprise's history. Its exit
 * code is the verdict (cli/exit-codes.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { parseDepositKey, reportKey } from '#domain/deposit-key.ts';
import { type ApiClient, peopleApi } from '#cli/api-client.ts';
import { creditCodeArg, isoTimeArg, periodArg, timeoutArg } from '#cli/arguments.ts';
import { signInSettings } from '#cli/auth/settings.ts';
import { whoAmI } from '#cli/auth/who.ts';
import { attemptBlock, issueLine, issuesByUnit } from '#cli/format.ts';
import { CliError, EXIT, exitCodeOf, UsageError } from '#cli/exit-codes.ts';
import { fullAttempts, historyOf, openDeposit, registryLookup, simulatedReceiptHeader, uploadFiles, waitForAttempt } from '#cli/deposit-api.ts';
import { formatRefusalOf, inspectEvidence, inspectReport, type LocalFile, type Precheck, precheckDeposit } from '#cli/precheck.ts';
import { bytes, paint, uploadProgress } from '#cli/terminal.ts';

/** A placeholder deposit id for the pre-check's keys when none is given (the API names the real one): 20260312T101500Z-1a2b3c. */
function provisionalDepositId(now: Date): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** The enterprise to act for: the one given, else the signed-in clerk's own (from GET /me). */
async function enterpriseOf(api: ApiClient, given: string | undefined): Promise<string> {
  if (given) return given;
  const me = await whoAmI(api);
  if (me.role !== 'enterprise' || !me.enterpriseId)
    throw new UsageError(`请用 --enterprise 指定企业 / give --enterprise <creditCode>: you are signed in as ${me.role}, not as an enterprise`);
  return me.enterpriseId;
}

interface DepositOptions {
  enterprise?: string;
  period: string;
  at?: Date;
  wait: boolean;
  timeout: number;
  force?: boolean;
  json?: boolean;
}

/** Two files of one name would be one key: the second upload would be refused as an overwrite. */
function refuseDuplicateNames(files: readonly LocalFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.fileName)) throw new UsageError(`两个文件同名 ${file.fileName}：请改名 / two files are named ${file.fileName}: rename one`);
    seen.add(file.fileName);
  }
}

function precheckText(precheck: Precheck, registryNote: string): string {
  const { stats, issues } = precheck.validation;
  const lines = [
    `预检 / pre-check: ${stats.errors} error(s), ${stats.warnings} warning(s), ${stats.infos} note(s); ${registryNote}`,
    ...(issues.length > 0 ? [issuesByUnit(issues)] : []),
  ];
  return lines.join('\n');
}

async function deposit(reportPath: string, evidencePaths: string[], options: DepositOptions): Promise<void> {
  const say = (text: string) => {
    if (!options.json) console.log(text);
  };
  const report = await inspectReport(reportPath);
  const evidence = await Promise.all(evidencePaths.map(inspectEvidence));
  refuseDuplicateNames([report, ...evidence]);
  const refusal = formatRefusalOf(report);
  if (refusal) {
    if (options.json) console.log(JSON.stringify({ uploaded: false, refused: 'format', issue: refusal }, null, 2));
    else console.log(issueLine(refusal));
    throw new CliError(
      `${report.fileName}: 不能读取这种格式，请另存为 XLSX 或 CSV 后再提交 / this format cannot be read: save it as XLSX or CSV and deposit that. Nothing was uploaded.`,
      EXIT.refused,
    );
  }
  const now = new Date();
  // The API names the deposit folder; the pre-check's keys need one of the same shape.
  const checkId = provisionalDepositId(now);
  // Judged with a well-formed enterprise id: the names are the question here.
  for (const file of [report, ...evidence]) {
    const layout = parseDepositKey(
      reportKey({ enterpriseId: options.enterprise ?? '000000000000000000', period: options.period, depositId: checkId, fileName: file.fileName }),
    );
    if (!layout.ok) throw new UsageError(`${file.path}: 文件名不可用 / this file name cannot be used: ${layout.reason}`);
  }

  const settings = signInSettings();
  if (options.at && settings.target !== 'twin')
    throw new UsageError('--at 只用于本地孪生环境 / --at only works on the local twin; in the cloud the receipt time is always the S3 event time');
  const api = peopleApi(settings);
  const enterpriseId = await enterpriseOf(api, options.enterprise);
  const registry = await registryLookup(api, enterpriseId);
  const precheck = await precheckDeposit({
    enterpriseId,
    period: options.period,
    depositId: checkId,
    report,
    evidence,
    registry,
    receivedAt: options.at ?? now,
  });
  const registryNote = registry.readable
    ? 'registry entry checked (已核对名录)'
    : `registry not readable here (${registry.reason}): checks that need it skipped (未读取名录，相关检查略过)`;
  const { validation } = precheck;
  if (validation.issues.length > 0 || !options.json) say(precheckText(precheck, registryNote));
  if (validation.stats.errors > 0 && !options.force) {
    if (options.json)
      console.log(JSON.stringify({ uploaded: false, refused: 'precheck', precheck: { registryChecked: precheck.registryChecked, ...validation } }, null, 2));
    throw new CliError(
      `未上传：此报告会被退回，请修正上述错误（或用 --force 仍然上传）/ not uploaded: the pipeline would return this report for the errors above; fix them, or deposit anyway with --force`,
      EXIT.refused,
    );
  }
  if (validation.stats.errors > 0) say(paint('--force: uploading a report the pipeline will return (仍然上传)', 'yellow'));

  const opened = await openDeposit(api, {
    enterpriseId,
    period: options.period,
    report,
    evidence,
  });
  const progress = uploadProgress();
  const started = Date.now();
  try {
    await uploadFiles(opened, [report, ...evidence], {
      onProgress: (p) => progress.update(p),
      ...(options.at ? { reportHeaders: simulatedReceiptHeader(options.at) } : {}),
    });
  } finally {
    progress.stop();
  }
  const total = [report, ...evidence].reduce((sum, file) => sum + file.size, 0);
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  const reportUpload = opened.uploads.find((u) => u.role === 'report');
  const evidenceKeys = opened.uploads.filter((u) => u.role !== 'report').map((u) => u.key);
  for (const key of evidenceKeys) say(`evidence → ${key}`);
  say(`report   → ${reportUpload?.key ?? ''}`);
  say(`  ${bytes(total)} in ${seconds.toFixed(1)} s (${bytes(Math.round(total / seconds))}/s) 已上传 / uploaded`);
  const result = {
    uploaded: true,
    target: settings.target,
    enterpriseId,
    depositId: opened.depositId,
    reportKey: reportUpload?.key ?? '',
    evidenceKeys,
    precheck: { registryChecked: precheck.registryChecked, ...validation },
  };
  if (!options.wait) {
    if (options.json) console.log(JSON.stringify(result, null, 2));
    return;
  }
  const page = await waitForAttempt(api, enterpriseId, result.reportKey, options.timeout * 1000);
  if (!page) {
    if (options.json) console.log(JSON.stringify({ ...result, verdict: null, timedOut: true }, null, 2));
    else
      console.log(
        `no result yet after ${options.timeout} s; check later with: evidence status --enterprise ${enterpriseId} --period ${options.period} (尚无结果，请稍后查询)`,
      );
    process.exitCode = EXIT.timedOut;
    return;
  }
  const { attempt } = page;
  process.exitCode = exitCodeOf(attempt.verdict);
  if (options.json) {
    console.log(JSON.stringify({ ...result, verdict: attempt.verdict, attempt }, null, 2));
    return;
  }
  console.log(attemptBlock(attempt, page.attemptNumber));
}

async function status(options: { enterprise?: string; period?: string; json?: boolean }): Promise<void> {
  const api = peopleApi();
  const enterpriseId = await enterpriseOf(api, options.enterprise);
  const history = await historyOf(api, enterpriseId);
  const records = history.periods.filter((p) => !options.period || p.period === options.period);
  const attempts = await fullAttempts(api, records);
  const periods = records.map((record) => ({
    ...record,
    attempts: record.attempts.map((summary) => ({ ...summary, ...(attempts.get(summary.attemptId) ?? {}), attempt: summary.attempt })),
  }));
  if (options.json) {
    console.log(JSON.stringify({ enterpriseId, periods }, null, 2));
    return;
  }
  if (periods.length === 0) {
    console.log(`no deposits recorded for ${enterpriseId}${options.period ? ` in ${options.period}` : ''} (没有存证记录)`);
    return;
  }
  console.log(`Enterprise ${enterpriseId}${history.enterprise?.name ? ` ${history.enterprise.name}` : ''}`);
  for (const record of records) {
    console.log(`\n${record.period}: ${record.attempts.length} attempt(s)`);
    for (const [i, summary] of record.attempts.entries()) {
      const attempt = attempts.get(summary.attemptId);
      if (attempt) console.log(attemptBlock(attempt, summary.attempt));
      // Deposit folders are write-once: a correction is a new deposit folder (a new depositId), never the same keys again.
      if (attempt?.verdict === 'returned' && i === record.attempts.length - 1)
        console.log(
          `  to correct: deposit again into a new folder — evidence deposit --period ${record.period} <report> <evidence…> picks a new deposit id; uploaded files cannot be replaced (更正：重新存证到新的存证文件夹，evidence deposit 自动生成新的存证编号；已上传的文件不可覆盖)`,
        );
    }
  }
}

export function registerDepositCommands(program: Command): void {
  program
    .command('deposit')
    .description(
      'deposit a month as the signed-in enterprise: check the report here, upload the evidence files, then the report (which starts validation) / 提交月度存证：本地预检、上传佐证材料、最后上传报告',
    )
    .requiredOption('--period <YYYY-MM>', 'the month deposited (存证月份)', periodArg)
    .option('--enterprise <creditCode>', 'unified social credit code (统一社会信用代码; default: the enterprise you signed in as)', creditCodeArg)
    .option('--at <ISO time>', 'local twin only: the receipt time to simulate (replays history)', isoTimeArg)
    .option('--no-wait', 'do not wait for the validation result')
    .option('--timeout <seconds>', 'how long to wait for the result, in seconds (up to 3600)', timeoutArg, 30)
    .option('--force', 'upload even when the pre-check finds errors (the pipeline will return it); never for a format that is not read')
    .option('--json', 'machine-readable output: pre-check, keys, verdict and the attempt')
    .argument('<report>', 'the monthly report: .csv, .xlsx or .json (not .xls, .ods, .et, .numbers or PDF: save those as XLSX or CSV)')
    .argument('[evidence...]', 'evidence files: stamped ledger scans, lab reports (PDF, JPEG, PNG, OFD)')
    .action((report: string, evidence: string[], options: DepositOptions) => deposit(report, evidence, options));

  program
    .command('status')
    .description("an enterprise's attempts: receipt time, timeliness, verdict and every issue / 查询存证记录")
    .option('--enterprise <creditCode>', 'unified social credit code (default: the enterprise you signed in as)', creditCodeArg)
    .option('--period <YYYY-MM>', 'only this month', periodArg)
    .option('--json', 'machine-readable output (the full validation reports)')
    .action(status);
}
