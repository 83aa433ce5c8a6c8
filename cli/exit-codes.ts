/**
 * What `evidence` exits with. Scripts branch on the verdict of a deposit without parsing text, as
 * they do with `gh` and the AWS CLI: 0 is success (a deposit accepted), 1 a fault, 2 a usage
 * error, and one code for each other verdict. Listed in `evidence --help`.
 */
import type { Verdict } from '#domain/issues.ts';

export const EXIT = {
  /** The command did what was asked; for `deposit`: the deposit was accepted. */
  ok: 0,
  /** A fault: the twin or AWS could not be reached, a request failed. */
  error: 1,
  /** An argument, option or file that cannot be used; nothing was uploaded. */
  usage: 2,
  /** The deposit was returned (退回): errors in it. */
  returned: 3,
  /** The deposit waits for a reviewer (待审核): warnings in it. */
  needsReview: 4,
  /** No verdict within --timeout: the deposit was uploaded; ask `evidence status` later. */
  timedOut: 5,
  /** Refused before upload: the report would be returned for its own content, or is in a format that is not read. */
  refused: 6,
  /**
   * Not signed in, or the sign-in has lapsed and could not be refreshed (the API answered 401):
   * a usage error of its own kind — run `evidence login`, then the same command again.
   */
  signIn: 7,
  /** The API refused the caller (403): the role, enterprise or jurisdiction signed in may not do this. */
  forbidden: 8,
  /** The API knows no such thing (404): an attempt, an enterprise, a route. */
  notFound: 9,
  /** The API refused the request as it stands (409 conflicts with what is recorded, 412, 422). */
  conflict: 10,
  /** `evidence login`: the person declined the sign-in at the issuer (access_denied). */
  signInDenied: 11,
  /** `evidence login`: the code or the browser sign-in expired before it was approved. */
  signInExpired: 12,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeOf(verdict: Verdict): ExitCode {
  return verdict === 'accepted' ? EXIT.ok : verdict === 'returned' ? EXIT.returned : EXIT.needsReview;
}

export const EXIT_CODES_HELP = `
Exit codes / 退出码:
  0  success; deposit: accepted (通过)
  1  fault: the twin or AWS could not be reached, a request failed (故障)
  2  usage error: a bad argument, option or file; nothing uploaded (用法错误)
  3  deposit: returned, it has errors (退回)
  4  deposit: needs review, it has warnings (待审核)
  5  deposit: no verdict within --timeout; uploaded, check with \`evidence status\` (超时)
  6  deposit: refused before upload, the report would be returned or its format is not read (上传前拒绝)
  7  not signed in, or the sign-in lapsed: run \`evidence login\` (请先登录)
  8  forbidden: your role or jurisdiction may not do this (无权操作)
  9  not found (未找到)
  10 refused by the API: conflicts with what is recorded (请求被拒绝)
  11 login: sign-in declined (登录被拒绝)
  12 login: the code expired before it was approved (登录已过期)
  verify-receipt exits 1 for a receipt that does not verify.`;

/** A failure the user is told about in one line (no stack), with the code to exit with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Something the user gave that cannot be used: exits 2 before anything is uploaded. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}
