/**
 * Rebuilds a function's bundle with esbuild code splitting: `node split-bundle.mjs <entry>
 * <outdir> <options>`, options being bundle.ts's `bundleOptions` as base64 JSON. Writes
 * <outdir>/index.mjs (the handler's module) and <outdir>/chunks/*.mjs (modules it imports only
 * on first use, and code they share with it), each with its source map; a single-file index.mjs
 * already there (NodejsFunction's own build) is replaced. Why a script: see bundle.ts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const [entry, outdir, encoded] = process.argv.slice(2);
if (!entry || !outdir || !encoded) {
  console.error('usage: node split-bundle.mjs <entry> <outdir> <base64 JSON esbuild options>');
  process.exit(2);
}
const options = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
for (const file of ['index.mjs', 'index.mjs.map']) rmSync(join(outdir, file), { force: true });
await build({
  ...options,
  entryPoints: { index: entry },
  outdir,
  splitting: true,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
