/**
 * A problem found in a deposit. The shape follows Frictionless Data's validation report: a typed
 * code, where it is (unit, field, row, cell), what was expected and what was found, and a message
 * a Chinese-speaking reviewer and an English-speaking engineer can both read.
 */
import { z } from 'zod';

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const CategorySchema = z.enum(['intake', 'completeness', 'conformity', 'plausibility', 'history', 'evidence']);
export type Category = z.infer<typeof CategorySchema>;

export const IssueSchema = z.object({
  code: z.string(),
  severity: SeveritySchema,
  category: CategorySchema,
  unitId: z.string().optional(),
  field: z.string().optional(),
  /** 1-based line in a CSV (header is line 1) or row in the XLSX sheet. */
  row: z.number().int().optional(),
  /** Spreadsheet-style cell reference (e.g. E7) where it applies. */
  cell: z.string().optional(),
  expected: z.string().optional(),
  found: z.string().optional(),
  message: z.object({ zh: z.string(), en: z.string() }),
});
export type Issue = z.infer<typeof IssueSchema>;

/**
 * Longest `found`, `expected` and `field` text an issue keeps, in characters: an attempt (with up
 * to 200 issues and their two messages) must stay well inside DynamoDB's 400 KB item, whatever a
 * hostile cell holds.
 */
export const MAX_ISSUE_TEXT = 300;
/** Longest unit id an issue keeps: registered unit ids are a few characters. */
export const MAX_ISSUE_UNIT_ID = 100;

/**
 * `text` cut to at most `max` characters (code points, so no character is split), the cut marked
 * with the full length in both languages: `…(共 150000 字符 / 150000 characters)`.
 */
export function boundedText(text: string, max: number = MAX_ISSUE_TEXT): string {
  // UTF-16 length ≥ code points: most texts are decided without splitting them.
  if (text.length <= max) return text;
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  const marker = `…(共 ${characters.length} 字符 / ${characters.length} characters)`;
  return characters.slice(0, Math.max(0, max - marker.length)).join('') + marker;
}

/** Where and what, before the catalogue turns it into an Issue. */
export interface Finding {
  unitId?: string;
  field?: string;
  row?: number;
  cell?: string;
  expected?: string | number;
  found?: string | number;
  /**
   * The texts as the Chinese message shows them, where they differ from the stored (English,
   * machine-readable) ones: a column list reads 统一社会信用代码、月份 there, not enterpriseId, period.
   */
  zh?: { field?: string; expected?: string; found?: string };
  /** The facility's level in its industry, as the messages name it (机组 / Unit when absent). */
  level?: { zh: string; en: string };
  /** The field's names where it is another industry's parameter (熟料产量 / clinker output). */
  fieldName?: { zh: string; en: string };
}

export const VerdictSchema = z.enum(['accepted', 'needs-review', 'returned']);
export type Verdict = z.infer<typeof VerdictSchema>;

export const ValidationReportSchema = z.object({
  valid: z.boolean(),
  verdict: VerdictSchema,
  stats: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }),
  issues: z.array(IssueSchema),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

/** Errors block acceptance; warnings need a reviewer's judgement; infos only inform. */
export function summarise(issues: readonly Issue[]): ValidationReport {
  const count = (s: Severity) => issues.filter((i) => i.severity === s).length;
  const stats = { errors: count('error'), warnings: count('warning'), infos: count('info') };
  const verdict: Verdict = stats.errors > 0 ? 'returned' : stats.warnings > 0 ? 'needs-review' : 'accepted';
  return { valid: stats.errors === 0, verdict, stats, issues: [...issues] };
}
