/**
 * Every function as `cdk synth` bundles it: an ESM, minified, source-mapped build made by the
 * local esbuild, with the AWS SDK inside, split so that what a handler imports only on first use
 * (the XLSX reader, the GB18030 decoder) sits in chunks a cold start does not read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { loadedAtColdStart } from '#infra/stack/bundle.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltStack, buildStack } from './build-stack.ts';

const PREFIX = {
  'validate-deposit': 'FunctionsValidateDeposit',
  'nightly-summary': 'FunctionsNightlySummary',
  query: 'FunctionsQuery',
  review: 'FunctionsReview',
  reconcile: 'FunctionsReconcile',
  deposit: 'FunctionsDeposit',
  registry: 'FunctionsRegistry',
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

  it('puts exceljs and iconv-lite in chunks of validate-deposit that its cold start does not load', () => {
    const assetDir = assetDirOf('validate-deposit');
    const chunks = readdirSync(join(assetDir, 'chunks')).filter((f) => f.endsWith('.mjs'));
    const holding = (marker: RegExp) => chunks.filter((f) => marker.test(readFileSync(join(assetDir, 'chunks', f), 'utf8')));
    // Strings the libraries carry in any build: exceljs's workbook XML namespace, iconv-lite's GB18030 table name.
    const exceljs = holding(/schemas\.openxmlformats\.org\/spreadsheetml\/2006\/main/);
    const iconv = holding(/gb18030/i).filter((f) => /iconv|Encoding not recognized/.test(readFileSync(join(assetDir, 'chunks', f), 'utf8')));
    expect(exceljs.length).toBeGreaterThan(0);
    expect(iconv.length).toBeGreaterThan(0);
    const coldStart = loadedAtColdStart(assetDir);
    // The chunks holding code index.mjs shares with the lazy ones (the SDK's core) load with it.
    expect(coldStart.length).toBeGreaterThan(1);
    expect(coldStart.filter((f) => exceljs.some((c) => f.endsWith(c)) || iconv.some((c) => f.endsWith(c)))).toEqual([]);
    for (const file of coldStart) expect(existsSync(join(assetDir, file))).toBe(true);
    const bytes = coldStart.reduce((sum, f) => sum + readFileSync(join(assetDir, f)).length, 0);
    // The cold-start target for validate-deposit (README, "Cold start").
    expect(bytes).toBeLessThanOrEqual(1.2 * 1024 * 1024);
  });

  it('gives every chunk the require shim and a source map', () => {
    const assetDir = assetDirOf('validate-deposit');
    for (const f of readdirSync(join(assetDir, 'chunks')).filter((name) => name.endsWith('.mjs'))) {
      expect(readFileSync(join(assetDir, 'chunks', f), 'utf8').startsWith('import { createRequire as __createRequire }')).toBe(true);
      expect(existsSync(join(assetDir, 'chunks', `${f}.map`))).toBe(true);
    }
  });
});
