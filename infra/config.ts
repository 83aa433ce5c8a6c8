/**
 * The deployment's knobs, read once from cdk.json context (key `evidenceDeposit`) and validated
 * with zod, so a typo in a principal ARN or an unknown lock mode fails `cdk synth` with every
 * problem named instead of surfacing as a half-applied CloudFormation rollback.
 *
 * Override per deploy with `cdk deploy -c evidenceDeposit='{"environmentName":"prod",...}'`
 * (a JSON string) or by editing cdk.json.
 */
import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { CheckSettingsSchema } from '#domain/check-settings.ts';
import { DEFAULT_DEADLINE_RULES, DeadlineRulesSchema } from '#domain/deadline.ts';
import { zodIssuesText } from '#domain/zod-issues.ts';

export const CONFIG_CONTEXT_KEY = 'evidenceDeposit';

/**
 * Same-account IAM roles or users only: HTTP APIs have no resource policy, so IAM-authorised
 * callers must hold an identity policy in this account, which the stack attaches by name.
 */
const IamPrincipalArn = z
  .string()
  .regex(
    /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/,
    'a principal is an IAM role or user ARN, e.g. arn:aws-cn:iam::123456789012:role/ReviewerShandong',
  );

/** CloudWatch Logs accepts only these retention values. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const InfraConfigSchema = z.object({
  /** Becomes the stack name suffix and a tag; lower-case so it is valid in every resource name. */
  environmentName: z.string().regex(/^[a-z][a-z0-9-]{1,19}$/, 'environmentName is 2-20 of a-z 0-9 - starting with a letter'),
  /** Handed to validate-deposit as DEADLINE_RULES; same schema the function parses at cold start. */
  deadlineRules: DeadlineRulesSchema.default(DEFAULT_DEADLINE_RULES),
  /**
   * Handed to validate-deposit as CHECK_SETTINGS: any subset of the check thresholds
   * (shared/domain/check-settings.ts), validated here at synth and again at cold start. Only the
   * subset is passed on (Lambda allows 4 KB of environment in all).
   */
  checkSettings: z
    .record(z.string(), z.unknown())
    .optional()
    .superRefine((value, ctx) => {
      for (const issue of CheckSettingsSchema.safeParse(value ?? {}).error?.issues ?? []) {
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      }
    }),
  /** MEE rule: originals kept at least 5 years. Applied as the bucket's default Object Lock retention. */
  retentionYears: z.number().int().min(5).max(100).default(5),
  /**
   * GOVERNANCE by default: it stops every principal in this stack (none holds
   * s3:BypassGovernanceRetention) from deleting or overwriting a locked version, yet a first deploy
   * with test data can still be cleaned up by an administrator. COMPLIANCE cannot be lifted by
   * anyone, root included, until retention ends: switch to it once the province has accepted the
   * deployment.
   */
  objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'),
  reviewerPrincipalArns: z.array(IamPrincipalArn).default([]),
  departmentPrincipalArns: z.array(IamPrincipalArn).default([]),
  /**
   * Caps validate-deposit during the month-end surge: used both as reserved concurrency and as the
   * SQS event source's maximum concurrency, so the poller never invokes into throttles (which would
   * burn receive counts and push healthy messages to the DLQ).
   */
  intakeConcurrency: z.number().int().min(2).max(1000).default(5),
  logRetentionDays: z
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`)
    .default(365),
  apiThrottle: z
    .object({ rateLimit: z.number().int().min(1).max(10_000), burstLimit: z.number().int().min(1).max(5_000) })
    .default({ rateLimit: 20, burstLimit: 40 }),
  /** Subscribed to the alarm topic when set; leave empty to wire the topic to your own paging. */
  alarmEmail: z.email().optional(),
});

export type InfraConfig = z.infer<typeof InfraConfigSchema>;

export class InfraConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InfraConfigError';
  }
}

export function parseInfraConfig(raw: unknown): InfraConfig {
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  const parsed = InfraConfigSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const problems = zodIssuesText(parsed.error, { whole: '(config)' });
    throw new InfraConfigError(`invalid "${CONFIG_CONTEXT_KEY}" context — ${problems}`);
  }
  return parsed.data;
}

/** Reads the `evidenceDeposit` context (cdk.json or `-c`) of the given app or stack. */
export function loadInfraConfig(scope: IConstruct): InfraConfig {
  return parseInfraConfig(scope.node.tryGetContext(CONFIG_CONTEXT_KEY));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InfraConfigError(`"${CONFIG_CONTEXT_KEY}" context passed with -c is not JSON: ${(error as Error).message}`);
  }
}
