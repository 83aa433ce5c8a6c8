/**
 * The web app's page weight per area: builds web/ with Vite's JS API into a temporary folder with
 * a manifest, then, for each area (portal, workbench, dashboard), sums the gzipped JS a person of
 * that role downloads before the area shows: the entry (index.html's script) and the area's chunk,
 * with every chunk they import statically. Dynamic imports (the PDF viewer, the XLSX parser) are
 * listed apart: they load on first use. Used by test/architecture/web-budget.test.ts and by
 * `npm run bench -- web`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { PROJECT_ROOT } from './lib.ts';

export const AREAS = ['portal', 'workbench', 'dashboard'] as const;
export type Area = (typeof AREAS)[number];

/** The budget the tests hold: JS gzipped per page (entry + area + their static imports). */
export const BUDGET_GZIP_BYTES = 250 * 1024;

interface ManifestChunk {
  readonly file: string;
  readonly src?: string;
  readonly name?: string;
  readonly isEntry?: boolean;
  readonly isDynamicEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface AreaWeight {
  readonly area: Area;
  /** Files loaded before the area shows (entry, area chunk, static imports). */
  readonly files: readonly string[];
  /** Manifest keys (source modules) of those files. */
  readonly modules: readonly string[];
  readonly gzipBytes: number;
  readonly rawBytes: number;
  /** Chunks the area (or the entry) imports dynamically: not in the page weight. */
  readonly lazy: readonly string[];
}

export interface WebWeights {
  readonly areas: readonly AreaWeight[];
  /** Every JS chunk, gzipped: what a person could download at most. */
  readonly allGzipBytes: number;
  /** The JS files that hold pdf.js (found by a string of its own), wherever the bundler put it. */
  readonly pdfJsFiles: readonly string[];
  readonly manifest: Manifest;
  readonly outDir: string;
}

/** Builds the app into a temporary folder (web/dist is left alone) and measures it; removes the folder unless `keep`. */
export async function measureWebWeights(options: { keep?: boolean } = {}): Promise<WebWeights> {
  const outDir = mkdtempSync(join(tmpdir(), 'evidence-web-'));
  try {
    await build({
      configFile: join(PROJECT_ROOT, 'web/vite.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true, manifest: true, sourcemap: false },
    });
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
    const gzip = new Map<string, { gz: number; raw: number }>();
    const sizeOf = (file: string) => {
      let size = gzip.get(file);
      if (!size) {
        const bytes = readFileSync(join(outDir, file));
        size = { gz: gzipSync(bytes, { level: 9 }).length, raw: bytes.length };
        gzip.set(file, size);
      }
      return size;
    };
    const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
    if (!entry) throw new Error('the web build has no entry in its manifest');
    const areas = AREAS.map((area): AreaWeight => {
      const chunk = areaChunk(manifest, area);
      const modules = staticClosure(manifest, [entry, chunk]);
      const files = [...new Set(modules.map((key) => manifest[key]!.file))].filter((file) => file.endsWith('.js'));
      const lazy = [...new Set(modules.flatMap((key) => manifest[key]!.dynamicImports ?? []))].filter((key) => !modules.includes(key));
      return {
        area,
        files,
        modules,
        gzipBytes: files.reduce((sum, file) => sum + sizeOf(file).gz, 0),
        rawBytes: files.reduce((sum, file) => sum + sizeOf(file).raw, 0),
        lazy,
      };
    });
    const allJs = [...new Set(Object.values(manifest).map((c) => c.file))].filter((file) => file.endsWith('.js'));
    const pdfJsFiles = allJs.filter((file) => readFileSync(join(outDir, file), 'utf8').includes(PDFJS_MARKER));
    return { areas, allGzipBytes: allJs.reduce((sum, file) => sum + sizeOf(file).gz, 0), pdfJsFiles, manifest, outDir };
  } finally {
    if (!options.keep) rmSync(outDir, { recursive: true, force: true });
  }
}

/** The manifest key of an area's own chunk: the dynamic entry under src/<area>/. */
function areaChunk(manifest: Manifest, area: Area): string {
  const keys = Object.keys(manifest).filter((key) => manifest[key]!.isDynamicEntry && key.startsWith(`src/${area}/`));
  const own = keys.find((key) => /\/index\.tsx?$/.test(key)) ?? keys.find((key) => manifest[key]!.name === area) ?? keys[0];
  if (!own) throw new Error(`no chunk for the ${area} area in the web build (expected a dynamic import of src/${area}/…)`);
  return own;
}

/** The given chunks and everything they import statically, transitively. */
function staticClosure(manifest: Manifest, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  for (const root of roots) visit(root);
  return [...seen];
}

/** A message of pdf.js's own (pdfjs-dist/build/pdf.mjs), kept by minification: where it is, pdf.js is. */
const PDFJS_MARKER = 'Setting up fake worker';

/** The files a person downloads when the area's lazy chunks load too (the page, then every dynamic import, transitively). */
export function withLazy(weights: WebWeights, area: AreaWeight): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = weights.manifest[key];
    for (const next of [...(chunk?.imports ?? []), ...(chunk?.dynamicImports ?? [])]) visit(next);
  };
  for (const key of area.modules) visit(key);
  return [...seen].map((key) => weights.manifest[key]!.file);
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
