/**
 * cdk-nag AwsSolutionsChecks passes with nothing left unacknowledged.
 *
 * How cdk-nag 3 reports: it is a CDK policy-validation plugin (`Validations.of(app).addPlugins`),
 * not an Aspect. It runs inside `app.synth()`, writes `validation-report.json` into the cloud
 * assembly, and throws `ValidationFailed` when an error-level finding is unacknowledged. It adds
 * no annotations, so `Annotations.fromStack(...).findError('*', /AwsSolutions-/)` would find
 * nothing (and, with the plugin registered, re-synthesizes and throws); the control case below
 * proves that, so nobody relies on it by mistake.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltStack, buildStack } from './build-stack.ts';

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingResources: { constructPath?: string }[] }[] }[];
}

function findingsIn(report: ValidationReport): string[] {
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? '?'}`)),
  );
}

const VARIANTS: [string, Record<string, unknown> | undefined][] = [
  ['with a Cognito user pool (cdk.json)', undefined],
  [
    'with a Cognito user pool on the Essentials plan',
    { identity: { cognito: { callbackUrls: ['http://localhost:8400/callback'], featurePlan: 'ESSENTIALS' } } },
  ],
  [
    "with the province's own OIDC provider and a web origin",
    { identity: { issuer: 'https://sso.example.gov.cn/realms/jiangxi', audience: ['evidence-cli'] }, webOrigins: ['https://evidence.example.gov.cn'] },
  ],
  [
    "in AWS China: the province's own OIDC provider, its domain with an IAM certificate, an origin access identity",
    {
      identity: { issuer: 'https://sso.example.gov.cn/realms/jiangxi', audience: ['evidence-web'] },
      web: { domainName: 'evidence.sthjt.jiangxi.gov.cn', certificate: { iamCertificateId: 'ASCACKCEVSQ6C2EXAMPLE' }, partition: 'aws-cn' },
    },
  ],
];

describe.each(VARIANTS)('cdk-nag AwsSolutionsChecks on the evidence deposit stack %s', (_name, config) => {
  let built: BuiltStack;

  beforeAll(() => {
    built = buildStack({ cfnValidation: true, config });
  });

  it('synthesis leaves no finding in the validation report, error or warning', () => {
    const report = JSON.parse(readFileSync(join(built.assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
    expect(findingsIn(report)).toEqual([]);
  });

  it('re-running the rule pack over the synthesized tree finds nothing unacknowledged', () => {
    const { violations } = built.nag.validateScope(built.app);
    expect(violations.map((v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it('every acknowledgement carries a reason a reviewer can read', () => {
    const reasons = built.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.values(m.data as Record<string, string>));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(60);
  });
});

describe('the nag mechanism itself (control)', () => {
  it('fails synthesis on an unacknowledged finding, and reports it through validation, not annotations', () => {
    const app = new App();
    const stack = new Stack(app, 'Control');
    new Bucket(stack, 'Unlogged');
    const nag = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(nag);
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
    // The same findings exist in the plugin's report, yet no construct carries an error annotation
    // (Annotations.fromStack would re-synthesize and throw, so the metadata is read directly).
    expect(nag.validateScope(app).violations.map((v) => v.ruleName)).toContain('AwsSolutions-S1');
    const errorAnnotations = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:error'));
    expect(errorAnnotations).toEqual([]);
  });
});
