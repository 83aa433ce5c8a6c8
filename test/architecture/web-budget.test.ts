/**
 * Fast: each page (the entry, the role's area and what they import statically) stays within
 * 250 KB of JS gzipped, and the PDF viewer (pdf.js) is never part of a page: only a dynamic import
 * that the workbench makes when a preview opens. Builds the app with Vite's JS API into a
 * temporary folder (web/dist is left alone); `npm run bench -- web` prints the same figures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AREAS, BUDGET_GZIP_BYTES, kb, measureWebWeights, type WebWeights, withLazy } from '#test/bench/web-weights.ts';

describe('the web app page weight (JS gzipped, per area)', () => {
  let weights: WebWeights;
  beforeAll(async () => {
    weights = await measureWebWeights();
  }, 180_000);

  it.each(AREAS)(`the %s page loads at most ${kb(BUDGET_GZIP_BYTES)} of JS gzipped before it shows`, (area) => {
    const weight = weights.areas.find((a) => a.area === area)!;
    expect(weight.files.length).toBeGreaterThan(1);
    console.info(`${area}: ${kb(weight.gzipBytes)} gzipped (${kb(weight.rawBytes)} raw) in ${weight.files.length} files`);
    expect(weight.gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('pdf.js is in the build, in no page, and reached by the workbench only through a dynamic import', () => {
    expect(weights.pdfJsFiles.length).toBeGreaterThan(0);
    for (const area of weights.areas) {
      expect(
        area.files.filter((file) => weights.pdfJsFiles.includes(file)),
        area.area,
      ).toEqual([]);
    }
    const workbench = weights.areas.find((a) => a.area === 'workbench')!;
    expect(weights.pdfJsFiles.every((file) => withLazy(weights, workbench).includes(file))).toBe(true);
  });
});
