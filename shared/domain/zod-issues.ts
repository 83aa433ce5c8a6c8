/**
 * The one way a zod failure is told to a person: each problem as `path: message`, joined with
 * "; ". Request bodies, query strings, configuration and receipts all read the same.
 */
import type { z } from 'zod';

export interface IssuesTextOptions {
  /** What a problem with the whole input is called (no path): "request", "(env)", "receipt". */
  readonly whole?: string;
  /** At most this many problems, for a one-line listing. */
  readonly limit?: number;
}

export function zodIssuesText(error: z.ZodError, { whole = '', limit }: IssuesTextOptions = {}): string {
  const issues = limit === undefined ? error.issues : error.issues.slice(0, limit);
  return issues.map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`).join('; ');
}
