/**
 * How every function is bundled, in one place for the stack (evidence-function.ts) and the
 * cold-start benchmark (test/bench/cold-start.ts): esbuild, ESM for Node, minified, a linked
 * source map, everything inside (the AWS SDK too), and code splitting, so a module the handler
 * imports only on first use (the XLSX reader and the GB18030 decoder, shared/domain/workbook.ts)
 * lands in a chunk of its own that a cold start never reads.
 *
 * NodejsFunction always hands esbuild `--outfile`, and esbuild splits only into an `--outdir`
 * ("Must use "outdir" when code splitting is enabled"), so `bundling.esbuildArgs` cannot turn
 * splitting on. The stack therefore lets NodejsFunction bundle as usual and, in its afterBundling
 * hook, runs split-bundle.mjs over the same entry with these options: index.mjs is rebuilt with
 * its chunks beside it in chunks/.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Some bundled CommonJS dependencies call `require` for Node built-ins; an ESM bundle has no
 * `require`, so the banner recreates it (in every output file: each chunk is a module of its own).
 */
export const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export const MAIN_FIELDS = ['module', 'main'] as const;

/** esbuild's build options (JS API names) for a function's bundle, bar entry and output. */
export function bundleOptions(target: string) {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target,
    mainFields: [...MAIN_FIELDS],
    banner: { js: REQUIRE_SHIM },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
  } as const;
}

/** The script that rebuilds a bundle with code splitting (plain JavaScript: it runs under plain node). */
export const SPLIT_BUNDLE_SCRIPT = fileURLToPath(new URL('./split-bundle.mjs', import.meta.url));

const shellQuoted = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** `node` and its arguments to bundle `entry` into `outdir` (index.mjs + chunks/) with code splitting. */
export function splitBundleArgv(entry: string, outdir: string, target: string): string[] {
  const options = Buffer.from(JSON.stringify(bundleOptions(target))).toString('base64');
  return [process.execPath, SPLIT_BUNDLE_SCRIPT, entry, outdir, options];
}

/** The same, as one shell command (NodejsFunction's command hooks run in a shell). */
export function splitBundleCommand(entry: string, outdir: string, target: string): string {
  return splitBundleArgv(entry, outdir, target).map(shellQuoted).join(' ');
}

/**
 * The files of a split bundle that a cold start reads: index.mjs and the chunks it imports
 * statically, transitively (`import{…}from"./…"`, `export*from"./…"`, `import"./…"`) — not those
 * behind an `import("./…")`, which load on first use. Paths relative to `assetDir`.
 */
export function loadedAtColdStart(assetDir: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(assetDir, file), 'utf8');
    for (const [, path] of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\.?\/[^"']+\.mjs)["']/g)) {
      visit(posix.join(posix.dirname(file), path as string));
    }
  };
  visit('index.mjs');
  return [...seen];
}
