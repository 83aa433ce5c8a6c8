/**
 * The reviewer workbench in Chromium on the twin: the example enterprise (the clerk's) deposits a
 * report that needs review; 南昌's city reviewer signs in through the real sign-in page, finds it in
 * the inbox by enterprise, opens it, previews the evidence PDF (pdf.js draws it into a canvas, and
 * was not loaded before the preview opened), and returns it with a comment on the issue, by
 * keyboard. The attempt leaves the inbox, the decision is recorded under the reviewer's name, the
 * clerk reads it, a second tab of the same reviewer is refused plainly, and 江西's provincial
 * reviewer neither has it in the inbox nor is offered the decision. axe-core finds no serious
 * violation on either screen; at 390 px nothing scrolls sideways.
 */
import { gzipSync } from 'node:zlib';
import { GetBucketCorsCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import type { Enterprise } from '#domain/registry.ts';
import { EXAMPLE_ENTERPRISE_ID } from '#twin/accounts.ts';
import { demoPdf, demoReport } from '#twin/demo.ts';
import { SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { bearer, signIn } from '../support/sign-in.ts';
import { testEnterprise, useTwin, waitForAttempts } from '../support/twin.ts';
import { launchBrowser, newContext, openSignedIn, PHONE, screenshot, scrollsSideways, seriousViolations } from '../support/web.ts';

const twin = useTwin();
// Months no other test file deposits for the example enterprise: two earlier ones to compare, and the one to review.
const EARLIER = ['2023-07', '2023-08'] as const;
const PERIOD = '2023-09';
const ENTERPRISE: Enterprise = testEnterprise({ enterpriseId: EXAMPLE_ENTERPRISE_ID, name: '江西示范发电有限公司', city: '南昌', obligedFrom: '2023-01' });
const RETURN_COMMENT = '低位发热量 12.5 明显偏低，请补交本月化验报告原件';

let browser: Browser;
let attemptId: string;
let corsNote = '';

/** A one-page PDF with a filled rectangle: something pdf.js really draws (the demo PDFs have no page). */
function onePagePdf(label: string): Uint8Array {
  const content = `0.05 0.37 0.42 rg 20 20 260 160 re f\n% ${label}\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
  ];
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(text);
}

async function deposit(period: string, seed: number, flaw: 'none' | 'atypical-ncv', receivedAt: string) {
  await uploadDeposit(twin.clients.s3, twin.resources.bucket, {
    enterpriseId: ENTERPRISE.enterpriseId,
    period,
    report: { fileName: 'report.json', body: JSON.stringify(demoReport(ENTERPRISE, period, seed, flaw)) },
    evidence: [
      { fileName: 'ledger-scan.pdf', body: onePagePdf(`ledger ${period}`) },
      { fileName: 'lab-report.pdf', body: demoPdf(`lab ${period} ${seed}`) },
    ],
    reportMetadata: { [SIMULATED_RECEIPT_METADATA]: receivedAt },
  });
  const [attempt] = await waitForAttempts(twin.ledger, ENTERPRISE.enterpriseId, period, 1);
  if (!attempt) throw new Error(`no attempt for ${period}`);
  return attempt;
}

/**
 * pdf.js fetches the PDF from the bucket, another origin than the page: the bucket must allow it
 * (CORS). The twin's own configuration is used when it has one; without it this test says so and
 * sets the rule a browser needs, so the rest of the journey is still proven.
 */
async function ensureBucketCors(): Promise<void> {
  try {
    const { CORSRules = [] } = await twin.clients.s3.send(new GetBucketCorsCommand({ Bucket: twin.resources.bucket }));
    if (CORSRules.some((rule) => rule.AllowedMethods?.includes('GET'))) return;
  } catch {
    // No configuration: NoSuchCORSConfiguration.
  }
  corsNote = 'the twin bucket had no CORS rule for GET: this test set one';
  console.warn(corsNote);
  await twin.clients.s3.send(
    new PutBucketCorsCommand({
      Bucket: twin.resources.bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: ['*'],
            AllowedMethods: ['GET', 'HEAD'],
            AllowedHeaders: ['*'],
            ExposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag'],
          },
        ],
      },
    }),
  );
}

beforeAll(async () => {
  browser = await launchBrowser();
  await twin.registry.putAll([ENTERPRISE]);
  await ensureBucketCors();
  await deposit(EARLIER[0], 711, 'none', '2023-08-20T02:00:00.000Z');
  await deposit(EARLIER[1], 712, 'none', '2023-09-20T02:00:00.000Z');
  const attempt = await deposit(PERIOD, 713, 'atypical-ncv', '2023-10-20T02:00:00.000Z');
  expect(attempt.verdict).toBe('needs-review');
  attemptId = attempt.attemptId;
}, 150_000);
afterAll(() => browser?.close());

/** The inbox narrowed to the example enterprise, loaded. */
async function filterByEnterprise(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '审核端：待审列表' }).waitFor();
  await page.getByLabel('企业（统一社会信用代码）').fill(ENTERPRISE.enterpriseId);
  await page.getByRole('button', { name: '应用筛选' }).click();
  await page.getByTestId('counts').waitFor();
}

/** Non-white pixels the canvas holds: pdf.js drew the page when there are many. */
function drawnPixels(page: Page): Promise<number> {
  return page.getByTestId('pdf-canvas').evaluate((canvas: HTMLCanvasElement) => {
    if (canvas.width === 0 || canvas.height === 0) return 0;
    const { data } = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 200 && (data[i + 3] ?? 0) > 0) drawn++;
    return drawn;
  });
}

async function waitForDrawing(page: Page): Promise<number> {
  const deadline = Date.now() + 20_000;
  let drawn = 0;
  while (Date.now() < deadline) {
    // A preview that failed says why: fail with it rather than wait.
    const failed = page.getByTestId('preview').getByRole('alert');
    if ((await failed.count()) > 0) throw new Error(`the preview failed: ${await failed.textContent()}`);
    const canvas = page.getByTestId('pdf-canvas');
    if ((await canvas.count()) > 0 && (await canvas.isVisible())) {
      drawn = await drawnPixels(page);
      if (drawn >= 1000) return drawn;
    }
    await page.waitForTimeout(100);
  }
  return drawn;
}

const isPdfJs = (url: string) => /\/assets\/(pdf-render-[^/]*\.js|pdf\.worker[^/]*\.m?js)$/.test(new URL(url).pathname);

it('on a phone: the inbox and the attempt with its preview fit 390 px', async () => {
  const page = await (await newContext(browser, PHONE)).newPage();
  await openSignedIn(page, twin.apiUrl, '/', 'reviewer-nanchang');
  await filterByEnterprise(page);
  const row = page.locator(`tr[data-attempt="${attemptId}"]`);
  await row.waitFor();
  expect(await scrollsSideways(page)).toBe(false);
  await screenshot(page, 'workbench-inbox-phone');
  await row.getByRole('button').click();
  await page.getByRole('heading', { level: 2, name: new RegExp(PERIOD) }).waitFor();
  await page.getByRole('button', { name: '预览 ledger-scan.pdf' }).first().click();
  expect(await waitForDrawing(page)).toBeGreaterThan(1000);
  expect(await scrollsSideways(page)).toBe(false);
  await screenshot(page, 'workbench-attempt-phone');
  // Switched to English, the page and the API's issue messages are in English.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Unit 1' }).waitFor();
  const ncv = page.locator('li.wb-issue', { hasText: '12.5' }).first();
  expect(await ncv.textContent()).toMatch(/Found.*12\.5/);
  expect(await ncv.textContent()).not.toMatch(/[\u4e00-\u9fff]/);
  expect(await page.getByRole('heading', { name: 'Decision' }).count()).toBe(1);
  await page.getByRole('button', { name: '中文' }).click();
}, 90_000);

it('a provincial reviewer neither has the city’s attempt in the inbox nor is offered its decision', async () => {
  const page = await (await newContext(browser)).newPage();
  await openSignedIn(page, twin.apiUrl, '/', 'reviewer-jiangxi');
  await filterByEnterprise(page);
  expect(await page.locator(`tr[data-attempt="${attemptId}"]`).count()).toBe(0);
  // A link to it (a colleague's) opens the attempt to read, without the form: it waits at city level.
  await page.goto(`${twin.apiUrl}/?attempt=${attemptId}`);
  await page.getByRole('heading', { level: 2, name: new RegExp(PERIOD) }).waitFor();
  expect(await page.getByTestId('not-yours').textContent()).toBe('此提交不在您的审核级别（市级），您不能决定');
  expect(await page.getByTestId('decision-form').count()).toBe(0);
}, 90_000);

it('the city reviewer finds the attempt, previews its evidence and returns it with a comment, which the clerk reads', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  const requested: string[] = [];
  const scripts: Promise<number>[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (request) => requested.push(request.url()));
  // The page's own JavaScript, gzipped as a CDN would serve it: what the budget counts.
  page.on('response', (response) => {
    if (new URL(response.url()).origin === twin.apiUrl && /\.m?js$/.test(new URL(response.url()).pathname))
      scripts.push(
        response.body().then(
          (body) => gzipSync(body).length,
          () => 0,
        ),
      );
  });
  await openSignedIn(page, twin.apiUrl, '/', 'reviewer-nanchang');
  await filterByEnterprise(page);
  const row = page.locator(`tr[data-attempt="${attemptId}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain('江西示范发电有限公司');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'workbench-inbox-desktop');

  await row.getByRole('button', { name: /打开/ }).click();
  await page.getByRole('heading', { level: 2, name: new RegExp(`江西示范发电有限公司 · ${PERIOD}`) }).waitFor();
  // The issue in Chinese, under its unit and severity, with found and expected.
  const issue = page.locator('li.wb-issue', { hasText: '12.5' }).first();
  expect(await page.getByRole('heading', { name: '机组 1' }).count()).toBe(1);
  expect(await page.getByRole('heading', { name: /^警告/ }).count()).toBeGreaterThan(0);
  expect(await issue.textContent()).toMatch(/实际.*12\.5/);
  // The earlier months side by side for the flagged parameter.
  const recent = page.getByTestId('recent-months');
  await recent.waitFor();
  const header = await recent.locator('thead').textContent();
  for (const month of EARLIER) expect(header).toContain(month);
  expect(header).toContain(`${PERIOD}（本次）`);
  expect(await recent.locator('tbody').textContent()).toContain('12.5');

  // pdf.js comes with the first preview, not before: neither its chunk nor its code in another one.
  expect(requested.filter(isPdfJs)).toEqual([]);
  expect(await page.evaluate(() => 'pdfjsLib' in globalThis)).toBe(false);
  const pageWeight = (await Promise.all(scripts)).reduce((sum, n) => sum + n, 0);
  expect(pageWeight).toBeGreaterThan(10_000);
  expect(pageWeight).toBeLessThan(100_000);
  await issue.getByRole('button', { name: '预览 ledger-scan.pdf' }).click();
  expect(await waitForDrawing(page)).toBeGreaterThan(1000);
  expect(await page.evaluate(() => 'pdfjsLib' in globalThis)).toBe(true);
  const loaded = requested.filter(isPdfJs).map((url) => new URL(url).pathname);
  expect(loaded.some((p) => p.includes('pdf-render-'))).toBe(true);
  expect(loaded.some((p) => p.includes('pdf.worker'))).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'workbench-attempt-desktop');

  // A second tab of the same reviewer, left open on the attempt while the first decides.
  const stale = await context.newPage();
  await stale.goto(`${twin.apiUrl}/?attempt=${attemptId}`);
  await stale.getByTestId('decision-form').waitFor({ timeout: 20_000 });

  // The decision by keyboard: choose "return", Tab to the issue's comment, type, submit.
  await page.getByLabel('退回企业修改').focus();
  await page.keyboard.press('Space');
  expect(await page.getByLabel('退回企业修改').isChecked()).toBe(true);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.labels?.[0]?.textContent ?? '')).toMatch(/^意见：机组 1 · /);
  await page.keyboard.type(RETURN_COMMENT);
  await page.keyboard.press('Tab'); // the next issue's comment, or the overall one
  await page.getByRole('button', { name: '提交决定' }).focus();
  await page.keyboard.press('Enter');
  // Back in the inbox, with the decision said, and the attempt gone from it.
  expect(await page.getByTestId('notice').textContent()).toBe(`已退回：江西示范发电有限公司 ${PERIOD}`);
  await page.getByTestId('counts').waitFor();
  expect(await page.locator(`tr[data-attempt="${attemptId}"]`).count()).toBe(0);

  // Recorded under the token's name, with the comment on the issue.
  const reviewer = await signIn(twin, 'reviewer-nanchang');
  const shown = (await (await fetch(`${twin.apiUrl}/attempts/${attemptId}`, { headers: bearer(reviewer.accessToken) })).json()) as {
    attempt: {
      verdict: string;
      decision?: { outcome: string; reviewer: string; level: string; comment: string; issueComments: { code: string; comment: string }[] };
    };
  };
  expect(shown.attempt.verdict).toBe('returned');
  expect(shown.attempt.decision).toMatchObject({ outcome: 'return', reviewer: '南昌市审核员', level: 'city' });
  expect(shown.attempt.decision?.issueComments.map((c) => c.comment)).toContain(RETURN_COMMENT);

  // The stale tab tries to accept: refused plainly, in Chinese, with who decided what.
  await stale.getByLabel('通过', { exact: true }).check();
  for (const reason of await stale.getByLabel(/^理由：/).all()) await reason.fill('化验报告已核对');
  await stale.getByRole('button', { name: '提交决定' }).click();
  const refusal = await stale.getByTestId('decision-problem').textContent();
  expect(refusal).toMatch(/^未能记录决定：该提交已有审核决定：/);
  expect(refusal).toContain('南昌市审核员（市级）');
  expect(refusal).toContain('退回，审核决定不可更改');
  expect(refusal).not.toMatch(/already|decided by/);

  // The clerk reads the decision and the comment (through the API: see the final report for the portal page).
  const clerk = await signIn(twin, 'clerk');
  const seen = (await (await fetch(`${twin.apiUrl}/attempts/${attemptId}`, { headers: bearer(clerk.accessToken) })).json()) as typeof shown;
  expect(seen.attempt.decision).toMatchObject({ outcome: 'return', reviewer: '南昌市审核员' });
  expect(seen.attempt.decision?.issueComments.map((c) => c.comment)).toContain(RETURN_COMMENT);

  // …and sees it in the portal, signed in as a person in a browser of their own.
  const clerkPage = await (await newContext(browser)).newPage();
  clerkPage.on('pageerror', (error) => errors.push(error.message));
  await openSignedIn(clerkPage, twin.apiUrl, '/', 'clerk');
  await clerkPage.getByRole('button', { name: /^显示全部/ }).click();
  await clerkPage
    .locator(`tr[data-period="${PERIOD}"]`)
    .getByRole('button', { name: `查看 ${PERIOD} 结果` })
    .click();
  const decision = clerkPage.getByTestId('decision');
  await decision.waitFor();
  expect(await decision.textContent()).toContain('南昌市审核员');
  expect(await decision.textContent()).toContain(RETURN_COMMENT);
  expect(errors).toEqual([]);
}, 120_000);
