/**
 * Receipts (回执): `evidence receipt` fetches an attempt's signed receipt through the people's API
 * (as the signed-in person), `evidence receipt-key` the public key that verifies it, and
 * `evidence verify-receipt` checks a receipt offline — with nothing but that public key and,
 * optionally, the deposited files; it needs no sign-in.
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { type PresentedFile, type PublishedReceiptKey, type Receipt, type ReceiptCheck, verifyReceipt } from '#domain/receipt.ts';
import { peopleApi } from '#cli/api-client.ts';
import { UsageError } from '#cli/exit-codes.ts';
import { duration } from '#cli/format.ts';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** A PEM public key, a JWK, or the JSON GET /receipt-key answers. */
export function readPublicKey(path: string): KeyObject {
  const text = readFileSync(path, 'utf8');
  // The JSON GET /receipt-key answers holds a PEM too: only a file that is one starts with it.
  if (text.trimStart().startsWith('-----BEGIN')) return createPublicKey(text);
  const json = JSON.parse(text) as Partial<PublishedReceiptKey> & JsonWebKey;
  if (typeof json.publicKeyPem === 'string') return createPublicKey(json.publicKeyPem);
  return createPublicKey({ key: json, format: 'jwk' });
}

const beijing = (iso: string) =>
  iso
    .replace('T', ' ')
    .replace(/\.\d+\+08:00$/, '')
    .replace(/\+08:00$/, '');

function describeReceipt(r: Receipt): string[] {
  const t = r.timeliness;
  const timely = t.onTime ? '按时 / on time' : `逾期 / LATE by ${duration(t.lateBySeconds)}`;
  const d = r.verdict.decision;
  return [
    `回执 / Receipt  企业 enterprise ${r.enterpriseId}  期间 period ${r.period}  第 ${r.attempt.number ?? '—'} 次提交 / attempt ${r.attempt.number ?? '—'} (${r.attempt.attemptId})`,
    `  接收时间 / received   ${beijing(r.receivedAt.shanghai)} 北京时间 (Beijing)   ${r.receivedAt.utc} UTC`,
    `  截止 / deadline       ${t.lastDay} 当日结束 (end of day, Beijing): ${timely}`,
    `  结论 / verdict        ${r.verdict.current}（机器审核 / machine: ${r.verdict.machine}; ${r.verdict.errors} error(s), ${r.verdict.warnings} warning(s)）`,
    ...(d ? [`  审核决定 / decision   ${d.outcome} (${d.level}) ${beijing(d.decidedAt.shanghai)} 北京时间${d.comment ? ` — ${d.comment}` : ''}`] : []),
    `  回执类型 / kind       ${r.kind}, 签发 / issued ${r.issuedAt}`,
    `  文件 / files          ${r.files.length}`,
  ];
}

export function reportOf(check: ReceiptCheck): string {
  const lines: string[] = [];
  if (check.receipt) {
    lines.push(...describeReceipt(check.receipt));
    lines.push(
      check.signatureValid
        ? `签名 / signature      ✓ 有效 / valid (${check.receipt.signature.alg}, ${check.receipt.signature.keyId})`
        : '签名 / signature      ✗ 无效 / INVALID',
    );
  }
  for (const file of check.files)
    lines.push(`  ${file.matches ? '✓' : '✗'} ${file.fileName}  sha256 ${file.actual}${file.matches ? '  与回执一致 / matches the receipt' : ''}`);
  for (const problem of check.problems) lines.push(`  ✗ ${problem.message.zh}\n    ${problem.message.en}`);
  lines.push(check.valid ? '结果 / result: 回执有效 / RECEIPT VALID' : '结果 / result: 回执无效 / RECEIPT INVALID');
  return lines.join('\n');
}

export function registerReceiptCommands(program: Command): void {
  program
    .command('receipt')
    .description("an attempt's signed receipt, through the API (signed in), as JSON / 获取存证回执")
    .requiredOption('--attempt <id>', 'the attempt id (evidence status shows it)')
    .option('--out <file>', 'write the receipt to this file instead of printing it')
    .option('--json', 'with --out: print where it was saved as JSON (without --out the receipt itself is printed, as JSON)')
    .action(async (options: { attempt: string; out?: string; json?: boolean }) => {
      const receipt = await peopleApi().get<Receipt>(`/attempts/${encodeURIComponent(options.attempt)}/receipt`);
      const json = `${JSON.stringify(receipt, null, 2)}\n`;
      if (!options.out) {
        process.stdout.write(json);
        return;
      }
      writeFileSync(options.out, json);
      if (options.json)
        console.log(JSON.stringify({ out: options.out, kind: receipt.kind, attemptId: receipt.attempt.attemptId, files: receipt.files.length }, null, 2));
      else
        console.log(`回执已保存 / receipt saved: ${options.out} (${receipt.kind}, attempt ${receipt.attempt.number ?? '—'}, ${receipt.files.length} file(s))`);
    });

  program
    .command('receipt-key')
    .description('the public key that verifies receipts, PEM / 验证回执的公钥')
    .option('--out <file>', 'write the PEM to this file instead of printing it')
    .option('--json', 'print the published key as JSON (PEM, fingerprint, key id)')
    .action(async (options: { out?: string; json?: boolean }) => {
      const key = await peopleApi().get<PublishedReceiptKey>('/receipt-key');
      if (options.out) writeFileSync(options.out, key.publicKeyPem);
      if (options.json) {
        console.log(JSON.stringify({ ...key, ...(options.out ? { out: options.out } : {}) }, null, 2));
        return;
      }
      if (!options.out) {
        process.stdout.write(key.publicKeyPem);
        return;
      }
      console.log(`公钥已保存 / public key saved: ${options.out}\n  指纹 / fingerprint (SHA-256 of the DER key): ${key.fingerprint}`);
    });

  program
    .command('verify-receipt')
    .description(
      'check a receipt offline: its signature with the public key, and that each given file has the SHA-256 the receipt records for its name / 离线验证回执',
    )
    .argument('<receipt>', 'the receipt JSON file')
    .argument('[files...]', 'deposited files to check against the receipt, matched by file name')
    .requiredOption('--public-key <file>', 'the public key: PEM, JWK, or the JSON of GET /receipt-key')
    .option('--json', 'machine-readable output')
    .action(async (receiptPath: string, files: string[], options: { publicKey: string; json?: boolean }) => {
      let input: unknown;
      try {
        input = JSON.parse(readFileSync(receiptPath, 'utf8'));
      } catch (error) {
        throw new UsageError(`${receiptPath}: 不是 JSON 或无法读取 / not JSON or not readable: ${(error as Error).message}`);
      }
      const presented: PresentedFile[] = await Promise.all(files.map(async (path) => ({ fileName: basename(path), sha256: await sha256Of(path) })));
      const check = verifyReceipt(input, readPublicKey(options.publicKey), presented);
      if (options.json) {
        const { receipt: _, ...rest } = check;
        console.log(JSON.stringify(rest, null, 2));
      } else console.log(reportOf(check));
      if (!check.valid) process.exitCode = 1;
    });
}
