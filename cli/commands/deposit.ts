/**
 * Enterprise commands: `evidence deposit` and `evidence status`.
 *
 * `deposit` checks everything it can before it uploads a byte: the arguments (cli/arguments.ts),
 * the files, the report's format, and the report itself with the pipeline's own checks
 * (cli/precheck.ts). A report that would be returned for its own content is not uploaded unless
 * --force. Its exit code is the verdict (cli/exit-codes.ts).
 */
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { newDepositId, uploadDeposit } from '#adapters/deposit-uploader.ts';
import { type Attempt, attemptNumber } from '#domain/attempt.ts';
import { parseDepositKey, reportKey } from '#domain/deposit-key.ts';
import { SIMULATED_RECEIPT_METADATA } from '#resources/twin-state.ts';
import { creditCodeArg, depositIdArg, isoTimeArg, periodArg, timeoutArg } from '#cli/arguments.ts';
import { type Connection, connect } from '#cli/connection.ts';
import { CliError, EXIT, exitCodeOf, UsageError } from '#cli/exit-codes.ts';
import { attemptBlock, issueLine, issuesByUnit } from '#cli/format.ts';
import { formatRefusalOf, inspectEvidence, inspectReport, type LocalFile, type Precheck, precheckDeposit, type RegistryLookup } from '#cli/precheck.ts';
import { bytes, paint, uploadProgress } from '#cli/terminal.ts';

function ledgerOf(connection: Connection): DynamoLedger {
  return new DynamoLedger(connection.clients.db, { deposits: connection.tables.deposits, attempts: connection.tables.attempts });
}

async function waitForAttempt(ledger: DynamoLedger, enterpriseId: string, period: string, reportKey: string, timeoutMs: number): Promise<Attempt | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await ledger.attemptsOf(enterpriseId, period)).find((a) => a.reportKey === reportKey);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

/** The registry entry, when this caller may read the registry; a denied or missing table only skips the checks that need it. */
async function lookUpRegistry(connection: Connection, enterpriseId: string): Promise<RegistryLookup> {
  if (!connection.tables.registry) return { readable: false, reason: 'no registry table configured' };
  try {
    const enterprise = await new DynamoRegistry(connection.clients.db, connection.tables.registry).get(enterpriseId);
    return enterprise ? { readable: true, enterprise } : { readable: true };
  } catch (error) {
    return { readable: false, reason: (error as Error).name || (error as Error).message };
  }
}

interface DepositOptions {
  enterprise: string;
  period: string;
  depositId?: string;
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
  const depositId = options.depositId ?? newDepositId(now);
  for (const file of [report, ...evidence]) {
    const layout = parseDepositKey(reportKey({ enterpriseId: options.enterprise, period: options.period, depositId, fileName: file.fileName }));
    if (!layout.ok) throw new UsageError(`${file.path}: 文件名不可用 / this file name cannot be used: ${layout.reason}`);
  }

  const connection = connect();
  if (options.at && connection.target !== 'twin')
    throw new UsageError('--at 只用于本地孪生环境 / --at only works on the local twin; in the cloud the receipt time is always the S3 event time');
  const registry = await lookUpRegistry(connection, options.enterprise);
  const precheck = await precheckDeposit({
    enterpriseId: options.enterprise,
    period: options.period,
    depositId,
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

  const progress = uploadProgress();
  const started = Date.now();
  let uploaded: Awaited<ReturnType<typeof uploadDeposit>>;
  try {
    uploaded = await uploadDeposit(
      connection.clients.s3,
      connection.bucket,
      {
        enterpriseId: options.enterprise,
        period: options.period,
        depositId,
        report: { fileName: report.fileName, body: createReadStream(report.path), size: report.size, sha256: report.sha256 },
        evidence: evidence.map((file) => ({ fileName: file.fileName, body: createReadStream(file.path), size: file.size, sha256: file.sha256 })),
        ...(options.at ? { reportMetadata: { [SIMULATED_RECEIPT_METADATA]: options.at.toISOString() } } : {}),
      },
      now,
      { onProgress: (p) => progress.update(p) },
    );
  } finally {
    progress.stop();
  }
  const total = [report, ...evidence].reduce((sum, file) => sum + file.size, 0);
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  for (const key of uploaded.evidenceKeys) say(`evidence → s3://${connection.bucket}/${key}`);
  say(`report   → s3://${connection.bucket}/${uploaded.reportKey}`);
  say(`  ${bytes(total)} in ${seconds.toFixed(1)} s (${bytes(Math.round(total / seconds))}/s) 已上传 / uploaded`);
  const result = {
    uploaded: true,
    target: connection.target,
    bucket: connection.bucket,
    depositId: uploaded.depositId,
    reportKey: uploaded.reportKey,
    evidenceKeys: uploaded.evidenceKeys,
    precheck: { registryChecked: precheck.registryChecked, ...validation },
  };
  if (!options.wait) {
    if (options.json) console.log(JSON.stringify(result, null, 2));
    return;
  }
  const ledger = ledgerOf(connection);
  const attempt = await waitForAttempt(ledger, options.enterprise, options.period, uploaded.reportKey, options.timeout * 1000);
  if (!attempt) {
    if (options.json) console.log(JSON.stringify({ ...result, verdict: null, timedOut: true }, null, 2));
    else
      console.log(
        `no result yet after ${options.timeout} s; check later with: evidence status --enterprise ${options.enterprise} --period ${options.period} (尚无结果，请稍后查询)`,
      );
    process.exitCode = EXIT.timedOut;
    return;
  }
  process.exitCode = exitCodeOf(attempt.verdict);
  if (options.json) {
    console.log(JSON.stringify({ ...result, verdict: attempt.verdict, attempt }, null, 2));
    return;
  }
  const [record] = await ledger.depositsOf(options.enterprise, options.period);
  console.log(attemptBlock(attempt, record ? attemptNumber(record, attempt.attemptId) : 0));
}

export function registerDepositCommands(program: Command): void {
  program
    .command('deposit')
    .description(
      'deposit a month: check the report here, upload the evidence files, then the report (which starts validation) / 提交月度存证：本地预检、上传佐证材料、最后上传报告',
    )
    .requiredOption('--enterprise <creditCode>', 'unified social credit code (统一社会信用代码, 18 characters with its check character)', creditCodeArg)
    .requiredOption('--period <YYYY-MM>', 'the month deposited (存证月份)', periodArg)
    .option('--deposit-id <id>', 'folder id for this attempt: 1-64 of A-Z a-z 0-9 . _ - (default: time-based, unique)', depositIdArg)
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
    .description("show an enterprise's attempts: receipt time, timeliness, verdict and every issue / 查询存证记录")
    .requiredOption('--enterprise <creditCode>', 'unified social credit code (18 characters)', creditCodeArg)
    .option('--period <YYYY-MM>', 'only this month', periodArg)
    .option('--json', 'machine-readable output (the full validation reports)')
    .action(async (options: { enterprise: string; period?: string; json?: boolean }) => {
      const connection = connect();
      const ledger = ledgerOf(connection);
      const [records, attempts] = await Promise.all([
        ledger.depositsOf(options.enterprise, options.period),
        ledger.attemptsOf(options.enterprise, options.period),
      ]);
      const periods = records.map((record) => ({
        period: record.period,
        attempts: record.attempts.map((summary, i) => ({ attempt: i + 1, ...(attempts.find((a) => a.attemptId === summary.attemptId) ?? summary) })),
      }));
      if (options.json) {
        console.log(JSON.stringify({ enterpriseId: options.enterprise, periods }, null, 2));
        return;
      }
      if (periods.length === 0) {
        console.log(`no deposits recorded for ${options.enterprise}${options.period ? ` in ${options.period}` : ''} (没有存证记录)`);
        return;
      }
      console.log(`Enterprise ${options.enterprise}`);
      for (const record of records) {
        console.log(`\n${record.period}: ${record.attempts.length} attempt(s)`);
        for (const [i, summary] of record.attempts.entries()) {
          const attempt = attempts.find((a) => a.attemptId === summary.attemptId);
          if (attempt) console.log(attemptBlock(attempt, i + 1));
          // Deposit folders are write-once: a correction is a new deposit folder (a new depositId), never the same keys again.
          if (attempt?.verdict === 'returned' && i === record.attempts.length - 1)
            console.log(
              `  to correct: deposit again into a new folder — evidence deposit --enterprise ${record.enterpriseId} --period ${record.period} <report> <evidence…> picks a new deposit id; uploaded files cannot be replaced (更正：重新存证到新的存证文件夹，evidence deposit 自动生成新的存证编号；已上传的文件不可覆盖)`,
            );
        }
      }
    });
}
