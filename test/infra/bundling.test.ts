/**
 * Every function as `cdk synth` bundles it: an ESM, minified, source-mapped build made by the
 * local esbuild, with the AWS SDK inside.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltStack, buildStack } from './build-stack.ts';

const PREFIX = {
  'validate-deposit': 'FunctionsValidateDeposit',
  'nightly-summary': 'FunctionsNightlySummary',
  query: 'FunctionsQuery',
  review: 'FunctionsReview',
  reconcile: 'FunctionsReconcile',
} as const;

describe('the bundles the stack deploys', () => {
  let built: BuiltStack;
  let template: Template;

  beforeAll(() => {
    built = buildStack();
    template = built.template;
  });

  const assetDirOf = (name: keyof typeof PREFIX): string => {
    const [fn] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(PREFIX[name]));
    if (!fn) throw new Error(`${name} is missing`);
    const s3Key = (fn[1] as { Properties: { Code: { S3Key: string } } }).Properties.Code.S3Key;
    return join(built.assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
  };

  it.each(Object.keys(PREFIX) as (keyof typeof PREFIX)[])('builds %s from its handler on Node 24', (name) => {
    expect(existsSync(join(assetDirOf(name), 'index.mjs'))).toBe(true);
  });

  it('bundles validate-deposit as minified ESM with a require shim and a source map, SDK included', () => {
    const assetDir = assetDirOf('validate-deposit');
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    // Minified: a few hundred very long lines (license comments and template literals keep some breaks).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
  });
});
