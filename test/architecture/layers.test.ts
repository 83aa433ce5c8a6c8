/**
 * The layers of docs/architecture (README "Layers"), enforced: every `.ts` and `.mjs` file's
 * imports — static, `export … from`, dynamic `import('…')`, type-only included — are read with the
 * TypeScript compiler's own scanner and resolved the way Node and tsc resolve them (package.json
 * `imports` aliases, relative paths, packages, built-ins). Each rule lists the offending imports
 * as `file → specifier`, so a failure says exactly what to move.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Generated, installed or scratch trees: not the project's source. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'cdk.out', '.twin', 'test-artifacts', 'bench-results']);

type Target =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'package'; readonly name: string };

interface Import {
  /** Project-relative, `/`-separated. */
  readonly from: string;
  readonly specifier: string;
  readonly target: Target;
}

const toPosix = (path: string) => path.split(sep).join('/');

function sourceFiles(dir = ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) found.push(...sourceFiles(join(dir, entry.name)));
    } else if (/\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      found.push(toPosix(relative(ROOT, join(dir, entry.name))));
    }
  }
  return found;
}

/** package.json `imports`: `#domain/*` → `shared/domain/`. */
const ALIASES: readonly { readonly prefix: string; readonly folder: string }[] = Object.entries(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { imports: Record<string, string> }).imports,
).map(([pattern, target]) => ({ prefix: pattern.replace(/\*$/, ''), folder: posix.normalize(target.replace(/\*$/, '')) }));

const BUILTINS = new Set(builtinModules);

function resolveSpecifier(from: string, specifier: string): Target {
  if (specifier.startsWith('#')) {
    const alias = ALIASES.find((a) => specifier.startsWith(a.prefix));
    if (!alias) throw new Error(`${from}: ${specifier} matches no package.json imports alias`);
    return { kind: 'file', path: posix.normalize(alias.folder + specifier.slice(alias.prefix.length)) };
  }
  if (specifier.startsWith('.')) return { kind: 'file', path: posix.normalize(posix.join(posix.dirname(from), specifier)) };
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || BUILTINS.has(bare.split('/')[0] as string)) return { kind: 'builtin', name: bare };
  const parts = specifier.split('/');
  return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string) };
}

function importsOf(file: string): Import[] {
  // preProcessFile is the compiler's import scanner: declarations, re-exports, import types and
  // dynamic import() calls with a literal specifier.
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles.map(({ fileName }) => ({ from: file, specifier: fileName, target: resolveSpecifier(file, fileName) }));
}

const FILES = sourceFiles();
const IMPORTS = FILES.flatMap(importsOf);

const inside = (folder: string) => (path: string) => path === folder || path.startsWith(`${folder}/`);
const described = (imports: readonly Import[]) => imports.map((i) => `${i.from} → ${i.specifier}`).sort();
const filesImported = (fromFolder: string, ...forbidden: string[]) =>
  described(
    IMPORTS.filter((i) => inside(fromFolder)(i.from) && i.target.kind === 'file' && forbidden.some((f) => inside(f)((i.target as { path: string }).path))),
  );

/** What the pure domain may use from the outside: parsers and schema libraries, no AWS and no I/O. */
const DOMAIN_PACKAGES = new Set(['zod', 'csv-parse', 'exceljs', 'iconv-lite', 'yauzl', 'jsonc-parser', 'canonicalize', '@date-fns/tz']);
/** Receipts are hashed and verified in the domain; hashing is computation, not I/O. */
const DOMAIN_BUILTINS = new Set(['crypto']);

describe('the layers', () => {
  it('scans the whole tree (a sanity check on the scanner itself)', () => {
    expect(FILES).toContain('shared/domain/checks.ts');
    expect(FILES).toContain('infra/local/emulator-worker.mjs');
    expect(IMPORTS.some((i) => i.from === 'shared/app/record-deposit.ts' && i.specifier === '#domain/validate.ts')).toBe(true);
  });

  it('shared/domain imports nothing of the project outside shared/domain', () => {
    expect(described(IMPORTS.filter((i) => inside('shared/domain')(i.from) && i.target.kind === 'file' && !inside('shared/domain')(i.target.path)))).toEqual(
      [],
    );
  });

  it('shared/domain uses only its parsing libraries and node:crypto (no AWS SDK, no file system, no network)', () => {
    const outside = IMPORTS.filter(
      (i) =>
        inside('shared/domain')(i.from) &&
        ((i.target.kind === 'package' && !DOMAIN_PACKAGES.has(i.target.name)) || (i.target.kind === 'builtin' && !DOMAIN_BUILTINS.has(i.target.name))),
    );
    expect(described(outside)).toEqual([]);
  });

  it('shared/app (use cases) sees ports, never adapters, functions, infra or the CLI', () => {
    expect(filesImported('shared/app', 'shared/adapters', 'functions', 'infra', 'cli')).toEqual([]);
  });

  it('shared/adapters import no function, infra or CLI code', () => {
    expect(filesImported('shared/adapters', 'functions', 'infra', 'cli')).toEqual([]);
  });

  it('infra/stack takes names from shared/resources, never from a use case', () => {
    expect(filesImported('infra/stack', 'shared/app')).toEqual([]);
  });

  it('cli/ and infra/local/ do not import each other', () => {
    expect([...filesImported('cli', 'infra/local'), ...filesImported('infra/local', 'cli')]).toEqual([]);
  });

  it('shared/domain has no import cycle', () => {
    const graph = new Map<string, string[]>();
    for (const i of IMPORTS) {
      if (!inside('shared/domain')(i.from) || i.target.kind !== 'file' || !inside('shared/domain')(i.target.path)) continue;
      graph.set(i.from, [...(graph.get(i.from) ?? []), i.target.path]);
    }
    expect(cyclesIn(graph)).toEqual([]);
  });

  it('a relative import never climbs out of an aliased folder or into one: it uses the alias', () => {
    // The deepest alias folder holding a path (infra/local/x is #twin, not #infra).
    const rootOf = (path: string) =>
      ALIASES.filter((a) => inside(a.folder.replace(/\/$/, ''))(path))
        .sort((a, b) => b.folder.length - a.folder.length)
        .map((a) => a.folder)[0];
    const climbing = IMPORTS.filter((i) => i.specifier.startsWith('../') && i.target.kind === 'file' && rootOf(i.from) !== rootOf(i.target.path));
    expect(described(climbing)).toEqual([]);
  });
});

/** Tarjan's strongly connected components: each cycle once, as its files in sorted order. */
function cyclesIn(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles.sort();
}
