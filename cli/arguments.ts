/**
 * Parsers for the CLI's arguments, as commander `argParser`s: each returns the value or throws
 * commander's InvalidArgumentError with a reason in Chinese and English, so a bad argument is one
 * line and exit code 2 before anything connects or uploads. Pure: unit-tested in test/cli/.
 */
import { InvalidArgumentError } from 'commander';
import { parseDepositKey, reportKey } from '#domain/deposit-key.ts';
import { PeriodSchema } from '#domain/period.ts';
import { creditCodeCheckChar } from '#domain/registry.ts';

const CREDIT_CODE_CHARSET = /^[0-9A-HJ-NPQRTUWXY]*$/;

/** A unified social credit code (统一社会信用代码), GB 32100: 18 characters, the last a check character. Lower case is read as upper. */
export function creditCodeArg(value: string): string {
  const code = value.trim().toUpperCase();
  if (code.length !== 18)
    throw new InvalidArgumentError(
      `统一社会信用代码应为 18 位，这里是 ${code.length} 位 / a unified social credit code has 18 characters, this has ${code.length}`,
    );
  if (!CREDIT_CODE_CHARSET.test(code))
    throw new InvalidArgumentError('含有代码中不用的字符（I、O、S、V、Z 等）/ it holds characters credit codes do not use (I, O, S, V, Z, punctuation)');
  const check = creditCodeCheckChar(code.slice(0, 17));
  if (check !== code.charAt(17))
    throw new InvalidArgumentError(
      `校验码应为 ${check}，不是 ${code.charAt(17)}：请核对代码 / the check character should be ${check}, not ${code.charAt(17)}: check the code for a typo`,
    );
  return code;
}

export function periodArg(value: string): string {
  const parsed = PeriodSchema.safeParse(value.trim());
  if (!parsed.success) throw new InvalidArgumentError(`期间应写作 YYYY-MM，如 2026-03 / ${parsed.error.issues[0]?.message ?? 'a period is YYYY-MM'}`);
  return parsed.data;
}

/**
 * A deposit id, judged by the same rule intake applies to the key (deposit-key.ts): the id is
 * placed in an otherwise valid key, so only its own fault can be reported.
 */
export function depositIdArg(value: string): string {
  // A separator would move the rest of the key: say so, rather than what the key then looks like.
  if (/[/\\]/.test(value)) throw new InvalidArgumentError('提交编号不能含 / 或 \\ / a deposit id cannot hold / or \\ (1-64 of A-Z a-z 0-9 . _ -)');
  const reading = parseDepositKey(reportKey({ enterpriseId: '000000000000000000', period: '2026-01', depositId: value, fileName: 'report.csv' }));
  if (!reading.ok) throw new InvalidArgumentError(`提交编号只能含 1–64 个字母、数字、. _ - / ${reading.reason}`);
  return value;
}

/** Seconds to wait: a positive number up to an hour (fractions too: tests wait less than a second). */
export function timeoutArg(value: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(seconds > 0 && seconds <= 3600)) throw new InvalidArgumentError('应为不超过 3600 的正秒数 / expected a positive number of seconds up to 3600, e.g. 30');
  return seconds;
}

/** An ISO 8601 time with its offset, e.g. 2026-03-12T23:59:00+08:00. */
export function isoTimeArg(value: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(value.trim());
  const time = new Date(value.trim());
  // Date rolls 2026-02-31 over into March: the day must exist in its month.
  const [, year, month, day] = match ?? [];
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (!match || Number.isNaN(time.getTime()) || Number(day) < 1 || Number(day) > daysInMonth)
    throw new InvalidArgumentError('应为带时区的 ISO 时间 / expected an ISO time with its offset, e.g. 2026-03-12T23:59:00+08:00');
  return time;
}
