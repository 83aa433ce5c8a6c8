/**
 * The web app in the cloud: the static files of web/dist in a private bucket, served by CloudFront
 * over HTTPS only, with security headers and a content security policy on every response, and
 * config.json (issuer, client, API, token use) written beside the page at deploy from the stack's
 * own values.
 *
 * **AWS China** (partition `aws-cn`, decided by `web.partition` or by the region when the synth
 * knows it):
 * - CloudFront does not serve on its default `*.cloudfront.cn` domain: the province's own domain
 *   (with ICP recordal) and its certificate are required, and the synth refuses a China deployment
 *   without them;
 * - CloudFront there takes no ACM certificate, only a server certificate uploaded to IAM
 *   (`web.certificate.iamCertificateId`);
 * - CloudFormation there has no `AWS::CloudFront::OriginAccessControl`, so the bucket is read
 *   through an origin access identity; elsewhere through origin access control (AWS's
 *   recommendation, and what cdk-nag's CFR7 asks for). Two code paths, each the one its partition
 *   offers; both are asserted in test/infra/web-hosting.test.ts;
 * - no cache policies (CloudFront answers "CachePolicyId can't be set for this region"), so the
 *   behaviour carries the legacy forwarded values and TTLs instead; no IPv6.
 *
 * The site bucket holds only the app: the nightly exports live in their own bucket
 * (export-storage.ts), which no origin identity can read.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  type CfnDistribution,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginAccessIdentity,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  SSLMethod,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { InfraConfigError, type WebConfig } from '../config.ts';
import { acknowledge, wildcardResource } from './nag.ts';

/** The built web app (npm run build:web; npm run synth builds it first). */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** TLS 1.2 or newer, with the current cipher set, for viewers (CloudFront's TLSv1.2_2021). */
const VIEWER_TLS = SecurityPolicyProtocol.TLS_V1_2_2021;

export type Partition = 'aws' | 'aws-cn';

/** What the synth decided about the web app before any resource is built. */
export interface WebPlan {
  readonly partition: Partition;
  readonly domainName?: string;
  readonly certificate?: WebConfig['certificate'];
  /** `https://<domainName>`, when the app has its own domain (the only origin known at synth). */
  readonly origin?: string;
}

/**
 * Decides the partition and refuses, with the reason, what CloudFront would refuse at deploy: a
 * China deployment without its own domain and an IAM certificate, an ACM certificate in China.
 * Called first in the stack, so a bad config fails before anything is built.
 */
export function planWebHosting(scope: Construct, web: WebConfig): WebPlan {
  const region = Stack.of(scope).region;
  const known = !Token.isUnresolved(region);
  const regionPartition: Partition | undefined = known ? (region.startsWith('cn-') ? 'aws-cn' : 'aws') : undefined;
  if (regionPartition && web.partition && regionPartition !== web.partition) {
    throw new InfraConfigError(
      `web.partition is ${web.partition} but the stack deploys to ${region} (${regionPartition}): remove web.partition or deploy to the matching region`,
    );
  }
  const partition = regionPartition ?? web.partition ?? 'aws';
  if (partition === 'aws-cn') {
    if (!web.domainName || !web.certificate) {
      throw new InfraConfigError(
        'web: in AWS China CloudFront does not serve on its default *.cloudfront.cn domain; set web.domainName to the province\'s own domain (with ICP recordal) and web.certificate.iamCertificateId to its certificate uploaded to IAM (README, "The web app in AWS China")',
      );
    }
    if ('acmCertificateArn' in web.certificate) {
      throw new InfraConfigError(
        'web.certificate: CloudFront in AWS China does not take ACM certificates; upload the certificate to IAM (aws iam upload-server-certificate --path /cloudfront/…) and set web.certificate.iamCertificateId',
      );
    }
  }
  return { partition, domainName: web.domainName, certificate: web.certificate, origin: web.domainName ? `https://${web.domainName}` : undefined };
}

/** What web/src/sign-in.ts reads from config.json. */
export interface WebAppSettings {
  readonly issuer: string;
  readonly clientId: string;
  /** The people's API. */
  readonly apiUrl: string;
  /** `id` with Cognito (its ID token carries the groups and attributes), else `access`. */
  readonly tokenUse: 'id' | 'access';
}

// The policy is one definition for the cloud's response headers and the twin's server.
export { contentSecurityPolicy, type CspSources } from '#resources/web-csp.ts';
import { contentSecurityPolicy as policyOf, type CspSources } from '#resources/web-csp.ts';

export interface WebHostingProps {
  readonly plan: WebPlan;
  /** The server access log bucket of the deposit and export buckets. */
  readonly accessLogs: IBucket;
  readonly settings: WebAppSettings;
  readonly csp: CspSources;
  /** How long CloudFront's access logs are kept (the stack's logRetentionDays). */
  readonly logRetentionDays: number;
  /** The built app; default web/dist. */
  readonly siteDirectory?: string;
}

export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<domainName>`, or the distribution's own domain where there is none (outside China). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const { plan } = props;
    const china = plan.partition === 'aws-cn';
    const siteDirectory = props.siteDirectory ?? WEB_DIST;
    if (!existsSync(join(siteDirectory, 'index.html'))) {
      throw new InfraConfigError(`${siteDirectory}/index.html is missing: build the web app first (npm run build:web; npm run synth does it)`);
    }

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web/',
      // Rebuilt from source on every deploy; kept like every bucket of the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudFront's standard logs are delivered with an ACL grant, so this bucket (unlike the
    // others) lets object writers own their objects.
    this.logs = new Bucket(this, 'CdnLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'cdn-logs/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'cdn-logs-expire', expiration: Duration.days(props.logRetentionDays) }],
    });

    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Evidence deposit web app: HSTS, CSP, nosniff, no referrer, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: policyOf(props.csp), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true }],
      },
    });

    const origin = china
      ? S3BucketOrigin.withOriginAccessIdentity(this.bucket, {
          originAccessIdentity: new OriginAccessIdentity(this, 'OriginAccessIdentity', {
            comment: 'Evidence deposit web app (AWS China: no origin access control)',
          }),
        })
      : S3BucketOrigin.withOriginAccessControl(this.bucket);

    const acm = plan.certificate && 'acmCertificateArn' in plan.certificate ? plan.certificate.acmCertificateArn : undefined;
    const iamCertificateId = plan.certificate && 'iamCertificateId' in plan.certificate ? plan.certificate.iamCertificateId : undefined;

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Evidence deposit web app',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        compress: true,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
      },
      ...(acm || iamCertificateId
        ? {
            // The L2 takes ACM certificates only: an IAM certificate (China) goes in as a
            // placeholder whose ARN is swapped for the IAM certificate id below.
            certificate: acm
              ? Certificate.fromCertificateArn(this, 'Certificate', acm)
              : Certificate.fromCertificateArn(this, 'IamCertificate', Lazy.string({ produce: () => iamCertificateId })),
            domainNames: [plan.domainName as string],
            minimumProtocolVersion: VIEWER_TLS,
            sslSupportMethod: SSLMethod.SNI,
          }
        : {}),
      httpVersion: china ? HttpVersion.HTTP2 : HttpVersion.HTTP2_AND_3,
      enableIpv6: !china,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
    });
    const cfn = this.distribution.node.defaultChild as CfnDistribution;
    if (iamCertificateId) {
      cfn.addPropertyDeletionOverride('DistributionConfig.ViewerCertificate.AcmCertificateArn');
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate.IamCertificateId', iamCertificateId);
    }
    if (china) {
      // No cache policies in AWS China: the legacy cache settings, same effect as CachingOptimized
      // (no query string, cookie or header in the key; compressed objects cached).
      cfn.addPropertyDeletionOverride('DistributionConfig.DefaultCacheBehavior.CachePolicyId');
      cfn.addPropertyOverride('DistributionConfig.DefaultCacheBehavior.ForwardedValues', { QueryString: false, Cookies: { Forward: 'none' } });
      cfn.addPropertyOverride('DistributionConfig.DefaultCacheBehavior.MinTTL', 0);
      cfn.addPropertyOverride('DistributionConfig.DefaultCacheBehavior.DefaultTTL', 86_400);
      cfn.addPropertyOverride('DistributionConfig.DefaultCacheBehavior.MaxTTL', 31_536_000);
    }
    this.url = plan.origin ?? `https://${this.distribution.distributionDomainName}`;

    // Hashed chunks (assets/) never change under their name: cached for a year. Not pruned, so a
    // page opened before a deploy can still load its lazy chunks after it.
    const built = Source.asset(siteDirectory, { exclude: ['**/*.map'] });
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [built],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: ['assets/*'],
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      prune: false,
    });
    // The page and its config: revalidated on every load, and invalidated at the edge on deploy.
    const site = new BucketDeployment(this, 'DeploySite', {
      sources: [built, Source.jsonData('config.json', props.settings)],
      destinationBucket: this.bucket,
      exclude: ['assets/*'],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html', '/config.json'],
    });
    site.node.addDependency(assets);

    this.acknowledgeFindings(china, !plan.certificate);
    acknowledgeDeploymentHandler(assets);
  }

  private acknowledgeFindings(china: boolean, defaultCertificate: boolean): void {
    acknowledge(
      this.distribution,
      "The web app is static files and holds no data; every figure comes from the people's API, which only answers a verified token of the configured issuer. Who may use it is decided by sign-in, not by where a clerk or reviewer happens to be (on a trip, on a mobile network).",
      'AwsSolutions-CFR1',
    );
    acknowledge(
      this.distribution,
      china
        ? 'AWS WAF in the China regions is regional only and cannot be attached to a CloudFront distribution. The distribution serves static files; the API behind it is protected by its JWT authorizer and stage throttling.'
        : "The distribution serves static files only (GET/HEAD, no forms, no data); the people's API is protected by its JWT authorizer and stage throttling. A web ACL for CloudFront lives in us-east-1 and costs per rule; a province that wants one attaches it to this distribution.",
      'AwsSolutions-CFR2',
    );
    if (defaultCertificate) {
      acknowledge(
        this.distribution,
        "No web.domainName is configured (outside AWS China only: the synth refuses it in China), so the distribution uses CloudFront's default *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1. Set web.domainName and web.certificate for TLS 1.2 or newer (TLSv1.2_2021).",
        'AwsSolutions-CFR4',
      );
    }
    if (china) {
      acknowledge(
        this.distribution,
        'CloudFormation in the AWS China regions does not offer AWS::CloudFront::OriginAccessControl; the bucket is read through an origin access identity, the only private S3 origin there, and stays closed to everyone else (Block Public Access, TLS-only policy).',
        'AwsSolutions-CFR7',
      );
    }
  }
}

/**
 * BucketDeployment's handler is a CDK-owned singleton function that runs only during deployment:
 * it copies the site from the CDK asset bucket into the site bucket and invalidates the changed
 * paths. Its grants are CDK's own (read the staged asset objects, read/write/delete the site
 * bucket's objects, cloudfront:CreateInvalidation/GetInvalidation on *), acknowledged by their
 * exact ids as computed from its policy, so a new grant would resurface.
 */
function acknowledgeDeploymentHandler(deployment: BucketDeployment): void {
  const stack = Stack.of(deployment);
  const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  const policy = deployment.handlerRole.node.tryFindChild('DefaultPolicy') as Policy | undefined;
  if (!handler || !policy) return;
  const document = stack.resolve(policy.document.toJSON()) as { Statement: { Action: string | string[]; Resource: unknown }[] };
  const ids = new Set<string>();
  for (const statement of document.Statement) {
    for (const action of [statement.Action].flat()) if (action.includes('*')) ids.add(`AwsSolutions-IAM5[Action::${action}]`);
    for (const resource of [statement.Resource].flat()) {
      const id = wildcardResource(deployment, resource as string);
      if (id.includes('*')) ids.add(id);
    }
  }
  acknowledge(
    handler,
    "CDK-owned deployment function (aws-s3-deployment): runs only while CloudFormation deploys, copies the built web app from CDK's asset bucket into the site bucket and invalidates index.html and config.json at the edge. Its wildcards are CDK's grants: object actions on the staged assets and on the site bucket's objects (nothing else of the account), and CloudFront invalidation, which CDK grants on *.",
    ...ids,
  );
  acknowledge(
    handler,
    'CDK-owned deployment function: AWSLambdaBasicExecutionRole only lets it write its own CloudWatch logs.',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  );
  acknowledge(
    handler,
    'CDK-owned deployment function: aws-cdk-lib pins its runtime (it bundles the AWS CLI layer it runs with) and moves it forward with each release; it runs only during deployments.',
    'AwsSolutions-L1',
  );
}
