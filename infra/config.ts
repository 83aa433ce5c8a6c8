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
import { ClaimMappingSchema } from '#domain/identity.ts';
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

/**
 * Cognito accepts plain HTTP only for `http://localhost` (its documented exception for testing;
 * 127.0.0.1 is refused), and matches a redirect URI exactly, port included.
 */
const RedirectUrl = z
  .url()
  .refine(
    (url) => /^https:\/\//.test(url) || /^http:\/\/localhost(:\d+)?(\/|$)/.test(url),
    "a callback or logout URL is https://…, or http://localhost:<port>/… for the CLI on the user's own machine",
  );

/** Any subset of ClaimMapping (shared/domain/identity.ts), validated here and again at cold start. */
const ClaimsSubset = z
  .record(z.string(), z.unknown())
  .optional()
  .superRefine((value, ctx) => {
    for (const issue of ClaimMappingSchema.safeParse(value ?? {}).error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });

const CognitoSchema = z
  .object({
    /**
     * The hosted sign-in page's prefix: `https://<prefix>.auth.<region>.amazoncognito.com`, unique
     * in the region. Default: `evidence-<environmentName>-<account id>`.
     */
    domainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'domainPrefix is 1-63 of a-z 0-9 -, not starting or ending with -')
      .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'domainPrefix may not contain aws, amazon or cognito')
      .optional(),
    /** Where the hosted sign-in page may send the code: the web app's page, the CLI's http://localhost:<port>/callback. */
    callbackUrls: z.array(RedirectUrl).min(1, "cognito.callbackUrls names at least one redirect URL (the CLI's http://localhost:<port>/callback)"),
    logoutUrls: z.array(RedirectUrl).default([]),
    /**
     * PLUS (default) turns on threat protection (compromised credentials, adaptive authentication)
     * in enforcing mode; ESSENTIALS costs less per monthly active user and has none.
     */
    featurePlan: z.enum(['PLUS', 'ESSENTIALS']).default('PLUS'),
  })
  .strict();

/**
 * Who signs people in: a province's own OpenID Connect provider (issuer + audience), or an Amazon
 * Cognito user pool the stack creates (`cognito`) where the region offers Cognito (AWS China's
 * regions do not). Exactly one of the two.
 */
const IdentitySchema = z
  .object({
    /** The provider's issuer, exactly as its tokens' `iss` reads (Keycloak: https://<host>/realms/<realm>). */
    issuer: z.url({ protocol: /^https$/, error: "identity.issuer is an https:// URL, exactly as the tokens' iss claim reads" }).optional(),
    /** The tokens' `aud` values the API accepts: the client id(s) of the CLI and the web app. */
    audience: z.array(z.string().min(1)).min(1, 'identity.audience names at least one client id').optional(),
    /** Which claims carry role, credit code, level, jurisdiction, name (defaults: evidence_role, credit_code, review_level, jurisdiction, name). */
    claims: ClaimsSubset,
    cognito: CognitoSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const own = value.issuer !== undefined || value.audience !== undefined || value.claims !== undefined;
    if (value.cognito && own) {
      ctx.addIssue({
        code: 'custom',
        message: 'give either issuer + audience (your own OIDC provider) or cognito (the stack creates a user pool), not both',
      });
    } else if (!value.cognito && !own) {
      ctx.addIssue({
        code: 'custom',
        message: 'say who signs people in: issuer + audience (your own OIDC provider, e.g. a Keycloak realm) or cognito: { callbackUrls: [...] }',
      });
    } else if (!value.cognito) {
      if (value.issuer === undefined) ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'an own OIDC provider needs its issuer' });
      if (value.audience === undefined) ctx.addIssue({ code: 'custom', path: ['audience'], message: 'an own OIDC provider needs the audience (client ids)' });
    }
  })
  .transform(
    (value): IdentityConfig =>
      value.cognito
        ? { kind: 'cognito', cognito: value.cognito }
        : { kind: 'oidc', issuer: value.issuer ?? '', audience: value.audience ?? [], claims: value.claims },
  );

export type CognitoConfig = z.infer<typeof CognitoSchema>;
export type IdentityConfig =
  | { readonly kind: 'cognito'; readonly cognito: CognitoConfig }
  | { readonly kind: 'oidc'; readonly issuer: string; readonly audience: readonly string[]; readonly claims?: Record<string, unknown> };

/**
 * Where the web app is served: CloudFront in front of a private bucket. In AWS China CloudFront does
 * not serve on its default *.cloudfront.cn domain, so there the province's own domain (with ICP
 * recordal) and its certificate are required; CloudFront in China takes only certificates uploaded to
 * IAM (no ACM). Elsewhere both are optional (the distribution's *.cloudfront.net domain).
 */
const WebSchema = z
  .object({
    /** The web app's host name, e.g. evidence.sthjt.jiangxi.gov.cn (a CNAME to the distribution). */
    domainName: z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'web.domainName is a lower-case host name such as evidence.example.gov.cn (no scheme, no path)',
      )
      .optional(),
    certificate: z
      .union([
        z
          .object({
            /** An ACM certificate in us-east-1 (CloudFront outside China). */
            acmCertificateArn: z
              .string()
              .regex(
                /^arn:aws(-us-gov)?:acm:us-east-1:\d{12}:certificate\/[\w-]+$/,
                'web.certificate.acmCertificateArn is an ACM certificate ARN in us-east-1 (CloudFront reads certificates there)',
              ),
          })
          .strict(),
        z
          .object({
            /** A server certificate uploaded to IAM (`aws iam upload-server-certificate --path /cloudfront/…`): its ServerCertificateId. */
            iamCertificateId: z
              .string()
              .regex(/^\w{16,128}$/, 'web.certificate.iamCertificateId is the ServerCertificateId IAM printed on upload, e.g. ASCACKCEVSQ6C2EXAMPLE'),
          })
          .strict(),
      ])
      .optional(),
    /**
     * `aws-cn` for AWS China (origin access identity, IAM certificate, no cache policies). Derived
     * from the region when the synth knows it (CDK_DEFAULT_REGION); say it here for an
     * environment-agnostic synth of a China deployment.
     */
    partition: z.enum(['aws', 'aws-cn']).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.domainName && !value.certificate)
      ctx.addIssue({
        code: 'custom',
        path: ['certificate'],
        message: `web.domainName ${value.domainName} needs its certificate (acmCertificateArn, or iamCertificateId in AWS China)`,
      });
    if (value.certificate && !value.domainName)
      ctx.addIssue({ code: 'custom', path: ['domainName'], message: 'web.certificate is for a domain: set web.domainName too' });
  });

export type WebConfig = z.infer<typeof WebSchema>;

/** CloudWatch Logs accepts only these retention values. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const InfraConfigSchema = z
  .object({
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
    /** Who signs people in for the people's API (see IdentitySchema). */
    identity: IdentitySchema,
    /**
     * Origins (https://…) of the web app that may call the people's API from a browser (CORS
     * preflight). Empty: no CORS, the CLI needs none.
     */
    webOrigins: z
      .array(
        z
          .url()
          .refine((url) => /^https:\/\/[^/]+$|^http:\/\/localhost(:\d+)?$/.test(url), 'an origin is https://host[:port] (no path), or http://localhost:<port>'),
      )
      .default([]),
    /** Subscribed to the alarm topic when set; leave empty to wire the topic to your own paging. */
    alarmEmail: z.email().optional(),
    /** Where the web app is served (see WebSchema); required in AWS China: `{ domainName, certificate: { iamCertificateId } }`. */
    web: WebSchema.default({}),
  })
  .superRefine((value, ctx) => {
    if (value.web.partition === 'aws-cn' && value.identity.kind === 'cognito') {
      ctx.addIssue({
        code: 'custom',
        path: ['identity', 'cognito'],
        message:
          "Amazon Cognito user pools are not offered in AWS China (web.partition aws-cn): set identity.issuer and identity.audience to the province's own OpenID Connect provider",
      });
    }
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
