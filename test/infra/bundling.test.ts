/**
 * The stack exactly as `cdk synth` builds it today: validate-deposit always, each other function
 * only if its handler file exists, and every bundle an ESM, minified, source-mapped build made by
 * the local esbuild.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, handlerExists } from '../../infra/stack/functions.ts';
import { type BuiltStack, buildStack } from './build-stack.ts';

const PREFIX: Record<(typeof FUNCTION_NAMES)[number], string> = {
  'validate-deposit': 'FunctionsValidateDeposit',
  'nightly-summary': 'FunctionsNightlySummary',
  query: 'FunctionsQuery',
  review: 'FunctionsReview',
};

describe('the stack as synthesized from the handlers that exist', () => {
  let built: BuiltStack;
  let template: Template;

  beforeAll(() => {
    built = buildStack();
    template = built.template;
  });

  const functionIds = () =>
    Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }));

  it('always has validate-deposit', () => {
    expect(functionIds().some((id) => id.startsWith(PREFIX['validate-deposit']))).toBe(true);
  });

  it.each(FUNCTION_NAMES.filter((n) => n !== 'validate-deposit'))('has %s exactly when its handler file exists', (name) => {
    expect(functionIds().some((id) => id.startsWith(PREFIX[name]))).toBe(handlerExists(name));
  });

  it('has the schedule only with nightly-summary and the API only with query or review', () => {
    // + reconcile's daily schedule, always there.
    expect(Object.keys(template.findResources('AWS::Scheduler::Schedule')).length).toBe((handlerExists('nightly-summary') ? 1 : 0) + 1);
    expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Api')).length).toBe(handlerExists('query') || handlerExists('review') ? 1 : 0);
  });

  it('bundles validate-deposit as minified ESM with a require shim and a source map, SDK included', () => {
    const [fn] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(PREFIX['validate-deposit']));
    if (!fn) throw new Error('validate-deposit is missing');
    const s3Key = (fn[1] as { Properties: { Code: { S3Key: string } } }).Properties.Code.S3Key;
    const assetDir = join(built.assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    // Minified: a few hundred very long lines (license comments and template literals keep some breaks).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
  });
});
