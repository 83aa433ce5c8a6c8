/**
 * `npm run bench -- web`: the web app's page weight per area (JS gzipped: the entry, the role's
 * area and their static imports; what loads on first use listed apart), from a fresh Vite build
 * into a temporary folder (test/bench/web-weights.ts, the same figures web-budget.test.ts holds to
 * 250 KB). Time to first figures on the twin is not measured here yet.
 */
import { AREAS, BUDGET_GZIP_BYTES, kb, measureWebWeights, withLazy } from './web-weights.ts';
import { benchName, writeResult } from './lib.ts';

const weights = await measureWebWeights();
const rows = AREAS.map((name) => {
  const area = weights.areas.find((a) => a.area === name)!;
  const lazyFiles = withLazy(weights, area).filter((file) => file.endsWith('.js') && !area.files.includes(file));
  return { area: name, gzipBytes: area.gzipBytes, rawBytes: area.rawBytes, files: area.files, lazyFiles };
});
console.log('| area | JS gzipped (page) | raw | files | chunks reachable later (lazy, other areas) |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.area} | ${kb(row.gzipBytes)} | ${kb(row.rawBytes)} | ${row.files.length} | ${row.lazyFiles.length} chunks |`);
console.log(`all JS chunks together: ${kb(weights.allGzipBytes)} gzipped; pdf.js in ${weights.pdfJsFiles.join(', ')}`);
writeResult(
  benchName(import.meta.url),
  `web page weight (JS gzipped, budget ${kb(BUDGET_GZIP_BYTES)}): ${rows.map((r) => `${r.area} ${kb(r.gzipBytes)}`).join(', ')}`,
  { budgetGzipBytes: BUDGET_GZIP_BYTES, areas: rows, allGzipBytes: weights.allGzipBytes, pdfJsFiles: weights.pdfJsFiles },
);
