#!/usr/bin/env node
// The `evidence` command: runs the TypeScript CLI through tsx, so there is no build step.
// The AWS SDK warns on every run under Node < 22 that its releases after January 2027 will need
// Node 22; the CLI supports Node ≥ 20 (package.json engines) and keeps that notice out of its
// output. Set before the SDK loads; a value the user set wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { register } = await import('tsx/esm/api');

register();
await import('../cli/main.ts');
