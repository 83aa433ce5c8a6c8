/**
 * Configuration is read from the environment once, at cold start, and validated: a missing or
 * malformed variable fails the init with every problem named, not halfway through an event.
 */
import { z } from 'zod';
import { type CheckSettings, CheckSettingsSchema, DEFAULT_CHECK_SETTINGS } from '#domain/check-settings.ts';
import { DEFAULT_DEADLINE_RULES, type DeadlineRules, DeadlineRulesSchema } from '#domain/deadline.ts';
import { type ClaimMapping, ClaimMappingSchema, DEFAULT_CLAIM_MAPPING } from '#domain/identity.ts';
import { zodIssuesText } from '#domain/zod-issues.ts';
import { ENV } from '#resources/env.ts';
import { errorOf } from '#app/outcome.ts';
import { DEFAULT_RECONCILE_LOOKBACK_DAYS } from '#app/reconcile-deposits.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const name = z.string().min(1);

export const DeadlineRulesVariable = z
  .string()
  .optional()
  .transform((text, ctx): DeadlineRules => {
    if (text === undefined || text.trim() === '') return DEFAULT_DEADLINE_RULES;
    try {
      return DeadlineRulesSchema.parse(JSON.parse(text));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${ENV.deadlineRules} is not valid deadline rules JSON: ${errorOf(error).message}` });
      return z.NEVER;
    }
  });

/** ENV.identityClaims: the issuer's claim names; the twin issuer's defaults when unset. */
export const ClaimMappingVariable = z
  .string()
  .optional()
  .transform((text, ctx): ClaimMapping => {
    if (text === undefined || text.trim() === '') return DEFAULT_CLAIM_MAPPING;
    try {
      return ClaimMappingSchema.parse(JSON.parse(text));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${ENV.identityClaims} is not a valid claim mapping (JSON): ${errorOf(error).message}` });
      return z.NEVER;
    }
  });

export const CheckSettingsVariable = z
  .string()
  .optional()
  .transform((text, ctx): CheckSettings => {
    if (text === undefined || text.trim() === '') return DEFAULT_CHECK_SETTINGS;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${ENV.checkSettings} is not JSON: ${errorOf(error).message}` });
      return z.NEVER;
    }
    const parsed = CheckSettingsSchema.safeParse(json);
    if (!parsed.success) {
      const problems = zodIssuesText(parsed.error);
      ctx.addIssue({ code: 'custom', message: `${ENV.checkSettings} has invalid thresholds — ${problems}` });
      return z.NEVER;
    }
    return parsed.data;
  });

export const IntakeConfigSchema = z.object({
  [ENV.depositBucket]: name,
  [ENV.depositsTable]: name,
  [ENV.attemptsTable]: name,
  [ENV.registryTable]: name,
  [ENV.reviewQueueUrl]: z.url(),
  [ENV.deadlineRules]: DeadlineRulesVariable,
  [ENV.checkSettings]: CheckSettingsVariable,
  /**
   * Intake's own queue, where a report whose evidence is still uploading is handed back for a
   * later look (the stack sets it with the SendMessage grant). Unset: such a report is recorded at
   * once, evidence missing.
   */
  [ENV.intakeQueueUrl]: z.url().optional(),
  /** Set by Lambda; written into the S3 event records intake re-announces. */
  AWS_REGION: name.optional(),
});
export type IntakeConfig = z.infer<typeof IntakeConfigSchema>;

export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = zodIssuesText(parsed.error, { whole: '(env)' });
    throw new ConfigError(`invalid configuration — ${problems}`);
  }
  return parsed.data;
}

/**
 * Which key signs receipts: a KMS key (cloud) or a key file (twin), exactly one. Spread into a
 * function's schema and check the pair with `receiptSigningKeyOf`.
 */
export const ReceiptSigningConfigSchema = z.object({
  [ENV.receiptKeyId]: name.optional(),
  [ENV.receiptKeyFile]: name.optional(),
});
export type ReceiptSigningConfig = z.infer<typeof ReceiptSigningConfigSchema>;

export type ReceiptSigningKey = { readonly kind: 'kms'; readonly keyId: string } | { readonly kind: 'file'; readonly path: string };

export function receiptSigningKeyOf(config: ReceiptSigningConfig): ReceiptSigningKey {
  const keyId = config[ENV.receiptKeyId];
  const path = config[ENV.receiptKeyFile];
  if (keyId && path) throw new ConfigError(`invalid configuration — set ${ENV.receiptKeyId} or ${ENV.receiptKeyFile}, not both`);
  if (keyId) return { kind: 'kms', keyId };
  if (path) return { kind: 'file', path };
  throw new ConfigError(`invalid configuration — ${ENV.receiptKeyId} (KMS) or ${ENV.receiptKeyFile} (key file) must name the receipt signing key`);
}

/** reconcile: lists the deposit bucket, reads attempt keys, announces to intake. */
export const ReconcileConfigSchema = z.object({
  [ENV.depositBucket]: name,
  [ENV.attemptsTable]: name,
  [ENV.intakeQueueUrl]: z.url(),
  [ENV.reconcileLookbackDays]: z.coerce.number().int().min(1).max(3650).default(DEFAULT_RECONCILE_LOOKBACK_DAYS),
  /** Set by Lambda; written into the S3 event records announced. */
  AWS_REGION: name,
});
export type ReconcileConfig = z.infer<typeof ReconcileConfigSchema>;
