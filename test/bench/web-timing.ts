/**
 * Benchmark: time to first figures of each page of the web app on the twin, in Debian's Chromium.
 * Each person signs in once through the real sign-in page; then each page is opened again (the
 * tab keeps its token) and timed from navigation until its first figures are on screen: the
 * portal's months, the workbench's inbox counts, the dashboard's on-time rate. Median of 7 loads
 * per page after one warm-up. Run: npm run bench -- web-timing   (not part of npm test)
 */
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { DEMO_ENTERPRISE } from '#examples/enterprise.ts';
import { scratchDir } from '#twin/emulators.ts';
import { demoPdf, demoReport } from '#twin/demo.ts';
import { SIMULATED_RECEIPT_METADATA } from '#resources/twin-state.ts';
import { LocalTwin } from '#twin/twin.ts';
import { build } from 'vite';
import { join } from 'node:path';
import { launchBrowser, newContext, openSignedIn } from '../support/web.ts';
import { benchName, median, PROJECT_ROOT, writeResult } from './lib.ts';

const LOADS = 7;
const PAGES = [
  { page: 'portal', username: 'clerk', path: '/', figures: 'tr[data-period]' },
  { page: 'workbench', username: 'reviewer-nanchang', path: '/', figures: '[data-testid="counts"]' },
  { page: 'dashboard', username: 'dept-jiangxi', path: '/', figures: '[data-testid="on-time-rate"]' },
] as const;

const webDir = scratchDir('evidence-bench-web-');
await build({ configFile: join(PROJECT_ROOT, 'web/vite.config.ts'), logLevel: 'error', build: { outDir: webDir, emptyOutDir: true } });
process.env.EVIDENCE_WEB_DIR = webDir;
const dataDir = scratchDir('evidence-bench-');
const twin = await LocalTwin.start({ dataDir, retryDelaySeconds: 1 });
const browser = await launchBrowser();
try {
  // Something on every page: the example enterprise, one deposit waiting for review, last night's figures.
  await new DynamoRegistry(twin.clients.db, twin.resources.tables.registry).putAll([{ ...DEMO_ENTERPRISE, obligedFrom: '2026-01' }]);
  await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
    enterpriseId: DEMO_ENTERPRISE.enterpriseId,
    period: '2026-09',
    report: { fileName: 'report.json', body: JSON.stringify(demoReport(DEMO_ENTERPRISE, '2026-09', 7, 'atypical-ncv')) },
    evidence: [
      { fileName: 'ledger-scan.pdf', body: demoPdf('ledger') },
      { fileName: 'lab-report.pdf', body: demoPdf('lab') },
    ],
    reportMetadata: { [SIMULATED_RECEIPT_METADATA]: '2026-10-20T02:00:00.000Z' },
  });
  await twin.waitForIdle(60_000);
  await fetch(`${twin.apiUrl}/2015-03-31/functions/nightly-summary/invocations`, { method: 'POST', body: JSON.stringify({}) });

  const figures: Record<string, { medianMs: number; samplesMs: number[] }> = {};
  for (const { page: name, username, path, figures: selector } of PAGES) {
    const page = await (await newContext(browser)).newPage();
    await openSignedIn(page, twin.apiUrl, path, username);
    await page.locator(selector).first().waitFor({ timeout: 30_000 });
    const samples: number[] = [];
    for (let i = 0; i <= LOADS; i++) {
      const started = performance.now();
      await page.goto(`${twin.apiUrl}${path}`);
      await page.locator(selector).first().waitFor({ timeout: 30_000 });
      if (i > 0) samples.push(Math.round(performance.now() - started));
    }
    figures[name] = { medianMs: median(samples), samplesMs: samples };
    await page.context().close();
  }
  const line = PAGES.map(({ page }) => `${page} ${figures[page]?.medianMs} ms`).join(', ');
  writeResult(benchName(import.meta.url), `web time to first figures (median of ${LOADS}, signed in): ${line}`, { pages: figures });
} finally {
  await browser.close();
  await twin.stop();
}
