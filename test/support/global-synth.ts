/**
 * The unit project's one synthesis of the stack as cdk.json configures it: most CDK assertion
 * files ask the same questions of the same template, and each synthesis bundles every function
 * with esbuild (15–20 s on two cores). Synthesized once here, written to a file, and read by
 * `defaultTemplate()` (test/infra/build-stack.ts); files that need another configuration, the
 * app itself or cdk-nag's report still synthesize their own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildStack, DEFAULT_TEMPLATE_ENV } from '../infra/build-stack.ts';

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'evidence-template-'));
  const file = join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(buildStack().template.toJSON()));
  // Workers inherit the environment the project's setup leaves.
  process.env[DEFAULT_TEMPLATE_ENV] = file;
  project.provide('defaultTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    defaultTemplate: string;
  }
}
