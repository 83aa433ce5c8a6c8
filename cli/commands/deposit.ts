/** Enterprise commands: `evidence deposit` and `evidence status`. */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { type Attempt, attemptNumber } from '#domain/attempt.ts';
import { parseDepositKey } from '#domain/deposit-key.ts';
import { PeriodSchema } from '#domain/period.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { SIMULATED_RECEIPT_METADATA } from '#resources/twin-state.ts';
import { type Connection, connect } from '../connection.ts';
import { attemptBlock } from '../format.ts';

function ledgerOf(connection: Connection): DynamoLedger {
  return new DynamoLedger(connection.clients.db, { deposits: connection.tables.deposits, attempts: connection.tables.attempts });
}

/** Streamed from disk; hashed first, so S3 can verify each file and keep its SHA-256 for intake. */
async function fileToUpload(path: string) {
  const size = statSync(path).size;
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return { fileName: basename(path), body: createReadStream(path), size, sha256: hash.digest('hex') };
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

export function registerDepositCommands(program: Command): void {
  program
    .command('deposit')
    .description('deposit a month: upload the evidence files, then the report (which starts validation)')
    .requiredOption('--enterprise <creditCode>', 'unified social credit code (18 characters)')
    .requiredOption('--period <YYYY-MM>', 'the month deposited')
    .option('--deposit-id <id>', 'folder id for this attempt (default: time-based, unique)')
    .option('--at <ISO time>', 'local twin only: the receipt time to simulate (replays history)')
    .option('--no-wait', 'do not wait for the validation result')
    .option('--timeout <seconds>', 'how long to wait for the result', '30')
    .argument('<report>', 'the monthly report: .csv, .xlsx or .json')
    .argument('[evidence...]', 'evidence files: stamped ledger scans, lab reports (PDF, JPEG, PNG, OFD)')
    .action(
      async (
        report: string,
        evidence: string[],
        options: { enterprise: string; period: string; depositId?: string; at?: string; wait: boolean; timeout: string },
      ) => {
        const period = PeriodSchema.safeParse(options.period);
        if (!period.success) throw new Error(`--period ${options.period}: ${period.error.issues[0]?.message}`);
        const connection = connect();
        if (options.at && connection.target !== 'twin')
          throw new Error('--at only works on the local twin; in the cloud the receipt time is always the S3 event time');
        if (options.at && Number.isNaN(Date.parse(options.at))) throw new Error(`--at ${options.at} is not an ISO time such as 2026-03-12T23:59:00+08:00`);
        const uploaded = await uploadDeposit(connection.clients.s3, connection.bucket, {
          enterpriseId: options.enterprise,
          period: options.period,
          report: await fileToUpload(report),
          evidence: await Promise.all(evidence.map(fileToUpload)),
          ...(options.depositId ? { depositId: options.depositId } : {}),
          ...(options.at ? { reportMetadata: { [SIMULATED_RECEIPT_METADATA]: new Date(options.at).toISOString() } } : {}),
        });
        for (const key of uploaded.evidenceKeys) console.log(`evidence → s3://${connection.bucket}/${key}`);
        console.log(`report   → s3://${connection.bucket}/${uploaded.reportKey}`);
        const layout = parseDepositKey(uploaded.reportKey);
        if (!layout.ok) console.log(`note: this key does not follow the layout (${layout.reason}); it will be recorded as unattributed`);
        if (!options.wait || !layout.ok) return;
        const ledger = ledgerOf(connection);
        const attempt = await waitForAttempt(ledger, options.enterprise, options.period, uploaded.reportKey, Number(options.timeout) * 1000);
        if (!attempt) {
          console.log(
            `no result yet after ${options.timeout} s; check later with: evidence status --enterprise ${options.enterprise} --period ${options.period}`,
          );
          process.exitCode = 2;
          return;
        }
        const [record] = await ledger.depositsOf(options.enterprise, options.period);
        console.log(attemptBlock(attempt, record ? attemptNumber(record, attempt.attemptId) : 0));
      },
    );

  program
    .command('status')
    .description("show an enterprise's attempts: receipt time, timeliness, verdict and every issue")
    .requiredOption('--enterprise <creditCode>', 'unified social credit code')
    .option('--period <YYYY-MM>', 'only this month')
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
        console.log(`no deposits recorded for ${options.enterprise}${options.period ? ` in ${options.period}` : ''}`);
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
