/**
 * Builds the stack the way `cdk synth` does (cdk.json context, cdk-nag plugin, esbuild bundling)
 * for the assertion tests. Bundling is kept on: with it skipped (`aws:cdk:bundling-stacks: []`)
 * CDK fingerprints the whole project root, node_modules included, which is slower than esbuild.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { type BuiltApp, buildApp } from '#infra/stack/app-builder.ts';

const CDK_JSON = fileURLToPath(new URL('../../cdk.json', import.meta.url));

export const REVIEWER_ARN = 'arn:aws:iam::123456789012:role/ReviewerShandong';
export const DEPARTMENT_ARN = 'arn:aws:iam::123456789012:user/departments/ShandongDEE';

export interface BuildOptions {
  /**
   * Run CDK's built-in CloudFormation schema validation as `cdk synth` does. Off by default in the
   * assertion tests: it is most of synth time and asserts nothing they check.
   */
  readonly cfnValidation?: boolean;
  /** Merged over cdk.json's `evidenceDeposit` context. */
  readonly config?: Record<string, unknown>;
}

export interface BuiltStack extends BuiltApp {
  readonly template: Template;
  readonly assembly: CloudAssembly;
}

export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> }).context;
}

export function buildStack(options: BuildOptions = {}): BuiltStack {
  const base = cdkJsonContext();
  const context: Record<string, unknown> = {
    ...base,
    evidenceDeposit: {
      ...(base.evidenceDeposit as object),
      reviewerPrincipalArns: [REVIEWER_ARN],
      departmentPrincipalArns: [DEPARTMENT_ARN],
      ...options.config,
    },
  };
  const built = buildApp({
    context,
    builtinCloudFormationValidation: options.cfnValidation ?? false,
    outdir: mkdtempSync(join(tmpdir(), 'evidence-cdk-')),
  });
  const assembly = built.app.synth();
  return { ...built, assembly, template: Template.fromStack(built.stack) };
}
