/**
 * The web app in the cloud: a private bucket behind CloudFront, HTTPS only, security headers with
 * a content security policy naming the people's API, the issuer and the deposit bucket, config.json
 * written at deploy from the stack's own values, and the deposit bucket open (CORS) to the web
 * origin. In AWS China: an origin access identity (no AWS::CloudFront::OriginAccessControl there),
 * the province's domain with its IAM certificate, no cache policy; refused at synth without a
 * domain and certificate. Three synths: the cdk.json default (Cognito, no domain), a domain with
 * an ACM certificate, and China.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInfraConfig } from '#infra/config.ts';
import { EvidenceDepositStack } from '#infra/stack/evidence-deposit-stack.ts';
import { contentSecurityPolicy } from '#infra/stack/web-hosting.ts';
import { type BuiltStack, buildStack, cdkJsonContext } from './build-stack.ts';

type Resources = Record<string, { Properties: Record<string, any>; Type: string }>;
const resources = (template: Template, type: string) => template.findResources(type) as Resources;
const only = (template: Template, type: string) => {
  const found = Object.entries(resources(template, type));
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const distributionConfig = (template: Template) => only(template, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;
const logicalIdOf = (value: any): string => value?.Ref ?? value?.['Fn::GetAtt']?.[0];

/** The CSP header as CloudFormation will render it: literal parts, with each token as its reference. */
function cspOf(template: Template): string {
  const [, policy] = only(template, 'AWS::CloudFront::ResponseHeadersPolicy');
  const csp = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy;
  expect(csp.Override).toBe(true);
  return flatten(csp.ContentSecurityPolicy);
}

function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) return (value['Fn::Join'][1] as any[]).map(flatten).join(value['Fn::Join'][0]);
  if (value?.Ref) return `{${value.Ref}}`;
  if (value?.['Fn::GetAtt']) return `{${value['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}

const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

/** config.json as deployed: the staged file with each deploy-time marker replaced by its CloudFormation value. */
function deployedConfig(built: BuiltStack): Record<string, unknown> {
  const deployments = Object.values(resources(built.template, 'Custom::CDKBucketDeployment')).filter((d) => d.Properties.SourceMarkers);
  expect(deployments).toHaveLength(1);
  const markers: Record<string, any> = Object.assign({}, ...deployments[0]!.Properties.SourceMarkers);
  const dir = built.assembly.directory;
  const staged = readdirSync(dir).filter((name) => name.startsWith('asset.') && existsSync(join(dir, name, 'config.json')));
  expect(staged.length).toBeGreaterThan(0);
  let text = readFileSync(join(dir, staged[0]!, 'config.json'), 'utf8');
  for (const [marker, value] of Object.entries(markers)) text = text.split(marker).join(flatten(value));
  return JSON.parse(text) as Record<string, unknown>;
}

describe('the web app on the cdk.json default (Cognito, outside China, no own domain)', () => {
  let built: BuiltStack;
  beforeAll(() => {
    built = buildStack();
  }, 300_000);

  it('serves a private, TLS-only, logged site bucket through origin access control', () => {
    const { template } = built;
    const config = distributionConfig(template);
    const [oacId] = only(template, 'AWS::CloudFront::OriginAccessControl');
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(resources(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual({});
    const siteId = logicalIdOf(config.Origins[0].DomainName);
    expect(siteId).toMatch(/^WebSite/);
    const site = resources(template, 'AWS::S3::Bucket')[siteId]!.Properties;
    expect(site.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(site.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(site.LoggingConfiguration.LogFilePrefix).toBe('web/');
    const policy = Object.values(resources(template, 'AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket.Ref === siteId)!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    expect(statements.find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBeDefined();
    const read = statements.find((s) => s.Effect === 'Allow')!;
    expect(read.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(read.Action).toBe('s3:GetObject');
    // The site bucket is not the export bucket: no origin identity can read an export.
    const exportId = Object.keys(resources(template, 'AWS::S3::Bucket')).find((id) => id.startsWith('ExportsBucket'));
    expect(exportId).toBeDefined();
    expect(exportId).not.toBe(siteId);
  });

  it('redirects HTTP to HTTPS, opens index.html at the root, logs every request and has no own certificate to name', () => {
    const config = distributionConfig(built.template);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(logicalIdOf(config.Logging.Bucket)).toMatch(/^WebCdnLogs/);
    expect(config.Aliases).toBeUndefined();
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
  });

  it('sends HSTS, nosniff, no referrer, DENY framing and a CSP naming the API, the Cognito issuer and the deposit bucket', () => {
    const [, policy] = only(built.template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });

    const csp = cspOf(built.template);
    expect(directive(csp, 'default-src')).toBe("default-src 'self'");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'worker-src')).toBe("worker-src 'self' blob:");
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const connect = directive(csp, 'connect-src')!;
    expect(connect).toMatch(/^connect-src 'self' https:\/\/\{PeopleApi[0-9A-F]{8}\}\.execute-api\.\{AWS::Region\}\.\{AWS::URLSuffix\}\//);
    expect(connect).toContain('https://cognito-idp.{AWS::Region}.{AWS::URLSuffix}');
    expect(connect).toMatch(/https:\/\/\{IdentityUserPoolDomain[0-9A-F]+\}\.auth\.\{AWS::Region\}\.amazoncognito\.com/);
    expect(connect).toMatch(/https:\/\/\{DepositStorageDeposits[0-9A-F]+\.RegionalDomainName\}/);
    expect(directive(csp, 'img-src')).toMatch(/^img-src 'self' data: blob: https:\/\/\{DepositStorageDeposits[0-9A-F]+\.RegionalDomainName\}/);
  });

  it("writes config.json beside the page with the stack's issuer, client, people's API and token use", () => {
    const config = deployedConfig(built);
    expect(Object.keys(config).sort()).toEqual(['apiUrl', 'clientId', 'issuer', 'tokenUse']);
    expect(config.tokenUse).toBe('id');
    expect(config.clientId).toMatch(/^\{IdentityUserPoolAppClient[0-9A-F]+\}$/);
    expect(config.issuer).toMatch(/^https:\/\/cognito-idp\.\{AWS::Region\}\.amazonaws\.com\/\{IdentityUserPool[0-9A-F]+\}$/);
    expect(config.apiUrl).toMatch(/^https:\/\/\{PeopleApi[0-9A-F]{8}\}\.execute-api\.\{AWS::Region\}\.\{AWS::URLSuffix\}\/$/);
  });

  it('deploys the built web/dist: hashed assets cached for a year, the page and config.json revalidated and invalidated at the edge', () => {
    const deployments = Object.values(resources(built.template, 'Custom::CDKBucketDeployment')).map((d) => d.Properties);
    const assets = deployments.find((d) => d.Include?.includes('assets/*'))!;
    const site = deployments.find((d) => d.SourceMarkers)!;
    expect(assets.SystemMetadata['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(assets.Prune).toBe(false);
    expect(site.SystemMetadata['cache-control']).toBe('no-cache');
    expect(site.Exclude).toEqual(['assets/*']);
    expect(site.DistributionPaths).toEqual(['/', '/index.html', '/config.json']);
  });

  it('adds no CORS to the deposit bucket when no web origin is known at synth', () => {
    const deposits = Object.entries(resources(built.template, 'AWS::S3::Bucket')).find(([id]) => id.startsWith('DepositStorageDeposits'))![1];
    expect(deposits.Properties.CorsConfiguration).toBeUndefined();
  });
});

describe("the web app on the province's own domain (ACM certificate, outside China)", () => {
  let built: BuiltStack;
  const domainName = 'evidence.example.gov.cn';
  const acmCertificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234';
  beforeAll(() => {
    built = buildStack({ config: { web: { domainName, certificate: { acmCertificateArn } } } });
  }, 300_000);

  it('serves on the domain with its certificate, SNI and TLS 1.2 (TLSv1.2_2021)', () => {
    const config = distributionConfig(built.template);
    expect(config.Aliases).toEqual([domainName]);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: acmCertificateArn, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
  });

  it('lets the web origin PUT to and GET from the deposit bucket (CORS), exposing ETag', () => {
    const deposits = Object.entries(resources(built.template, 'AWS::S3::Bucket')).find(([id]) => id.startsWith('DepositStorageDeposits'))![1];
    expect(deposits.Properties.CorsConfiguration.CorsRules).toEqual([
      {
        AllowedOrigins: [`https://${domainName}`],
        AllowedMethods: ['GET', 'HEAD', 'PUT'],
        AllowedHeaders: ['content-type', 'if-none-match', 'x-amz-checksum-sha256', 'x-amz-meta-*', 'content-length'],
        ExposedHeaders: ['ETag'],
        MaxAge: 3600,
      },
    ]);
  });

  it("lets the web origin call the people's API (CORS) and sign in with Cognito (callback and logout URL)", () => {
    const people = Object.entries(resources(built.template, 'AWS::ApiGatewayV2::Api')).find(([id]) => id.startsWith('PeopleApi'))![1];
    expect(people.Properties.CorsConfiguration.AllowOrigins).toEqual([`https://${domainName}`]);
    const [, client] = only(built.template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.CallbackURLs).toEqual(['http://localhost:8400/callback', `https://${domainName}/`]);
    expect(client.Properties.LogoutURLs).toEqual([`https://${domainName}/`]);
  });
});

describe('the web app in AWS China (web.partition aws-cn)', () => {
  const domainName = 'evidence.sthjt.jiangxi.gov.cn';
  const iamCertificateId = 'ASCACKCEVSQ6C2EXAMPLE';
  const china = {
    identity: { issuer: 'https://sso.example.gov.cn/realms/jiangxi', audience: ['evidence-web', 'evidence-cli'] },
    web: { domainName, certificate: { iamCertificateId }, partition: 'aws-cn' },
  };
  let built: BuiltStack;
  beforeAll(() => {
    built = buildStack({ config: china });
  }, 300_000);

  it('reads the bucket through an origin access identity: AWS::CloudFront::OriginAccessControl is not in CloudFormation there', () => {
    const { template } = built;
    expect(resources(template, 'AWS::CloudFront::OriginAccessControl')).toEqual({});
    const [oaiId] = only(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity');
    const config = distributionConfig(template);
    expect(JSON.stringify(config.Origins[0].S3OriginConfig.OriginAccessIdentity)).toContain(oaiId);
    expect(config.Origins[0].OriginAccessControlId).toBeUndefined();
    const siteId = logicalIdOf(config.Origins[0].DomainName);
    const policy = Object.values(resources(template, 'AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket.Ref === siteId)!;
    const read = (policy.Properties.PolicyDocument.Statement as any[]).find((s) => s.Effect === 'Allow')!;
    expect(read.Principal).toEqual({ CanonicalUser: { 'Fn::GetAtt': [oaiId, 'S3CanonicalUserId'] } });
  });

  it("serves on the province's domain with its IAM certificate, SNI and TLS 1.2; no cache policy, no IPv6", () => {
    const config = distributionConfig(built.template);
    expect(config.Aliases).toEqual([domainName]);
    expect(config.ViewerCertificate).toEqual({ IamCertificateId: iamCertificateId, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    expect(config.DefaultCacheBehavior.CachePolicyId).toBeUndefined();
    expect(config.DefaultCacheBehavior.ForwardedValues).toEqual({ QueryString: false, Cookies: { Forward: 'none' } });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.IPV6Enabled).toBe(false);
  });

  it("names the province's issuer in the CSP and in config.json, with access tokens", () => {
    expect(directive(cspOf(built.template), 'connect-src')).toContain('https://sso.example.gov.cn');
    const config = deployedConfig(built);
    expect(config).toMatchObject({ issuer: 'https://sso.example.gov.cn/realms/jiangxi', clientId: 'evidence-web', tokenUse: 'access' });
  });

  it('wires the domain into the deposit bucket CORS and the API CORS', () => {
    const deposits = Object.entries(resources(built.template, 'AWS::S3::Bucket')).find(([id]) => id.startsWith('DepositStorageDeposits'))![1];
    expect(deposits.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins).toEqual([`https://${domainName}`]);
    const people = Object.entries(resources(built.template, 'AWS::ApiGatewayV2::Api')).find(([id]) => id.startsWith('PeopleApi'))![1];
    expect(people.Properties.CorsConfiguration.AllowOrigins).toEqual([`https://${domainName}`]);
  });
});

describe('refusals at synth (no bundling: they fail before any function is built)', () => {
  const oidc = { issuer: 'https://sso.example.gov.cn/realms/jiangxi', audience: ['evidence-web'] };
  const stackIn = (region: string | undefined, overrides: Record<string, unknown>) => {
    const config = parseInfraConfig({ ...(cdkJsonContext().evidenceDeposit as object), ...overrides });
    return () => new EvidenceDepositStack(new App(), 'Web', { config, env: region ? { account: '123456789012', region } : undefined });
  };

  it('refuses a China region without the own domain and certificate, saying why', () => {
    expect(stackIn('cn-north-1', { identity: oidc })).toThrow(/cloudfront\.cn.*web\.domainName.*ICP recordal.*iamCertificateId/);
  });

  it('refuses web.partition aws-cn without a domain, also in an environment-agnostic synth', () => {
    expect(stackIn(undefined, { identity: oidc, web: { partition: 'aws-cn' } })).toThrow(/AWS China.*web\.domainName/);
  });

  it('refuses an ACM certificate in China (CloudFront there takes IAM certificates only)', () => {
    const web = { domainName: 'evidence.example.gov.cn', certificate: { acmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' } };
    expect(stackIn('cn-northwest-1', { identity: oidc, web })).toThrow(/does not take ACM certificates.*iamCertificateId/);
  });

  it('refuses a partition that contradicts the region, and Cognito with aws-cn', () => {
    expect(stackIn('eu-west-1', { identity: oidc, web: { partition: 'aws-cn' } })).toThrow(/web\.partition is aws-cn but the stack deploys to eu-west-1/);
    expect(() =>
      parseInfraConfig({
        ...(cdkJsonContext().evidenceDeposit as object),
        web: { partition: 'aws-cn', domainName: 'a.example.cn', certificate: { iamCertificateId: 'ASCACKCEVSQ6C2EXAMPLE' } },
      }),
    ).toThrow(/Cognito user pools are not offered in AWS China/);
  });

  it('refuses a domain without a certificate and a certificate without a domain', () => {
    expect(() => parseInfraConfig({ ...(cdkJsonContext().evidenceDeposit as object), web: { domainName: 'evidence.example.gov.cn' } })).toThrow(
      /needs its certificate/,
    );
    expect(() =>
      parseInfraConfig({ ...(cdkJsonContext().evidenceDeposit as object), web: { certificate: { iamCertificateId: 'ASCACKCEVSQ6C2EXAMPLE' } } }),
    ).toThrow(/set web\.domainName too/);
  });
});

describe('the content security policy (pure)', () => {
  it('lists each source once and allows no inline script, no eval, no plugin, no framing', () => {
    const csp = contentSecurityPolicy({ connect: ['https://api.example', 'https://b.example'], images: ['https://b.example', 'https://b.example'] });
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https://b.example; font-src 'self' data:; connect-src 'self' https://api.example https://b.example; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
  });
});
