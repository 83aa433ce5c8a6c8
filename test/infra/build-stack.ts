/**
 * Builds the stack the way `cdk synth` does (cdk.json context, cdk-nag plugin, esbuild bundling)
 * for the assertion tests. Bundling is kept on: with it skipped (`aws:cdk:bundling-stacks: []`)
 * CDK fingerprints the whole project root, node_modules included, which is slower than esbuild.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
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

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB_INDEX = join(ROOT, 'web/dist/index.html');
const WEB_LOCK = join(ROOT, 'web/.dist-building');

/**
 * The stack deploys web/dist (WebHosting), so it must exist: built once, by whichever test worker
 * gets there first (a lock file keeps parallel workers from building into the same folder at once;
 * the others wait for it). An existing build is used as it is.
 */
export function ensureWebBuilt(): void {
  if (existsSync(WEB_INDEX)) return;
  let lock: number | undefined;
  try {
    lock = openSync(WEB_LOCK, 'wx');
  } catch {
    // Another worker builds; a lock older than 5 minutes is left over from a killed run.
    const deadline = Date.now() + 180_000;
    while (existsSync(WEB_LOCK) && Date.now() < deadline && Date.now() - (statSync(WEB_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) < 300_000)
      sleep(500);
    if (existsSync(WEB_INDEX)) return;
    rmSync(WEB_LOCK, { force: true });
    lock = openSync(WEB_LOCK, 'wx');
  }
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts'], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    closeSync(lock);
    rmSync(WEB_LOCK, { force: true });
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Where test/support/global-synth.ts left the default synthesis's template. */
export const DEFAULT_TEMPLATE_ENV = 'EVIDENCE_DEFAULT_TEMPLATE';

/**
 * The template of the stack as cdk.json configures it (with the reviewer and department ARNs
 * above): synthesized once for the unit project by its global setup, else here.
 */
export function defaultTemplate(): Template {
  const file = process.env[DEFAULT_TEMPLATE_ENV];
  return file ? Template.fromJSON(JSON.parse(readFileSync(file, 'utf8'))) : buildStack().template;
}

export function buildStack(options: BuildOptions = {}): BuiltStack {
  ensureWebBuilt();
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
