/**
 * The enterprise portal in Chromium on the twin, the clerk's whole month: signs in through the
 * real page, sees the month owed with its deadline, downloads the template, fills it (exceljs,
 * as Excel would) with one value out of range and leaves out one evidence file; the page names
 * both — the cell and what was expected, the file — before anything is uploaded (the bucket's
 * folders stay empty). Fixed, the deposit goes straight to the bucket through the presigned PUTs
 * (so the twin's bucket CORS is proven by the browser itself), with per-file progress; the
 * verdict comes back, the receipt downloads and `evidence verify-receipt` accepts it with the
 * deposited files. axe-core finds no serious or critical violation on any screen; at 390 px the
 * page does not scroll sideways.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deadlineFor, DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import { lastEndedPeriod } from '#domain/rates.ts';
import { DEMO_ENTERPRISE, declareHashes, demoEvidence, demoReport } from '#examples/demo.ts';
import { fillTemplate } from '../support/fill-template.ts';
import { bearer, signIn } from '../support/sign-in.ts';
import { useTwin } from '../support/twin.ts';
import { launchBrowser, newContext, openSignedIn, PHONE, screenshot, scrollsSideways, seriousViolations } from '../support/web.ts';

const run = promisify(execFile);
const twin = useTwin();
const ID = DEMO_ENTERPRISE.enterpriseId;
// The month just ended: owed, and within its 40 days whenever the test runs.
const PERIOD = lastEndedPeriod(new Date());
const dir = mkdtempSync(join(tmpdir(), 'evidence-portal-'));
const evidence = demoEvidence(PERIOD);
const LEFT_OUT = 'heat-ledger.jpg';
let browser: Browser;

beforeAll(async () => {
  await twin.registry.putAll([DEMO_ENTERPRISE]);
  for (const file of evidence) writeFileSync(join(dir, file.fileName), file.bytes);
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function objectsUnder(prefix: string): Promise<string[]> {
  const listed = await twin.clients.s3.send(new ListObjectsV2Command({ Bucket: twin.resources.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '');
}
const depositedKeys = async () => [...(await objectsUnder(`reports/${ID}/${PERIOD}/`)), ...(await objectsUnder(`evidence/${ID}/${PERIOD}/`))];

async function noSeriousViolations(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

it('takes the clerk from the month owed to a verified receipt, telling of a mistake before anything is uploaded', async () => {
  const page = await (await newContext(browser)).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openSignedIn(page, twin.apiUrl, '/', 'clerk');
  await page.getByRole('heading', { name: '企业端：月度存证' }).waitFor();

  // The month owed: its deadline in Beijing time and the days left.
  const deadline = deadlineFor(PERIOD, DEMO_ENTERPRISE, DEFAULT_DEADLINE_RULES);
  const row = page.locator(`tr[data-period="${PERIOD}"]`);
  await row.waitFor();
  const daysLeft = Math.ceil((Date.parse(deadline.dueAt) - Date.now()) / 86_400_000);
  expect(await row.textContent()).toContain(deadline.lastDay);
  expect(await row.textContent()).toMatch(new RegExp(`剩余 (${daysLeft}|${daysLeft - 1}) 天|今天截止`));
  // Every month since obligedFrom is listed on asking, the old ones overdue (another test may have deposited some).
  await page.getByRole('button', { name: /^显示全部 \d+ 个月份/ }).click();
  expect(await page.locator('tr[data-period="2024-01"]').textContent()).toMatch(/未存证（已逾期）|已通过|已退回|审核中/);
  await noSeriousViolations(page);
  await page.getByRole('button', { name: '只显示最近 6 个月份' }).click();
  expect(await page.locator('tr[data-period="2024-01"]').count()).toBe(0);
  await screenshot(page, 'portal-months-desktop');

  // The template, as the clerk downloads it.
  await page.getByLabel('存证月份').selectOption(PERIOD);
  const [templateDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `下载 ${PERIOD} 模板（XLSX）` }).click()]);
  const templateName = templateDownload.suggestedFilename();
  expect(templateName).toBe(`月报模板_${ID}_${PERIOD}.xlsx`);
  const templatePath = join(dir, 'template.xlsx');
  await templateDownload.saveAs(templatePath);
  const report = declareHashes(demoReport(PERIOD, evidence), evidence);

  // Filled with one mistake: unit 1 ran 900 hours in a month of at most 744.
  const wrong = await fillTemplate(readFileSync(templatePath), report, [{ unitId: '1', parameter: 'operatingHours', value: 900 }]);
  const reportPath = join(dir, templateName);
  writeFileSync(reportPath, wrong.bytes);
  const hoursRow = wrong.rows.get('1/operatingHours');
  const before = await depositedKeys();

  await page.getByLabel('月报文件（XLSX、CSV 或 JSON）').setInputFiles(reportPath);
  await page
    .getByLabel('证据文件（PDF、JPEG、PNG、OFD，可多选）')
    .setInputFiles(evidence.filter((f) => f.fileName !== LEFT_OUT).map((f) => join(dir, f.fileName)));
  const summary = page.getByTestId('precheck-summary');
  await summary.waitFor({ timeout: 30_000 });
  await expect.poll(() => summary.textContent()).toMatch(/预检发现 \d+ 个错误/);
  const hours = page.locator('li.issue[data-code="EVD-RANGE-HOURS"]');
  await hours.waitFor();
  const hoursText = (await hours.textContent()) ?? '';
  expect(hoursText).toContain(`第 ${hoursRow} 行，E 列`);
  expect(hoursText).toContain('运行小时数');
  expect(hoursText).toContain('900');
  expect(hoursText).toMatch(/应为/);
  expect(await page.getByTestId('missing-evidence').textContent()).toContain(LEFT_OUT);
  expect(await page.getByRole('button', { name: '提交存证', exact: true }).isDisabled()).toBe(true);
  // Nothing went to the bucket.
  expect(await depositedKeys()).toEqual(before);
  await noSeriousViolations(page);
  await screenshot(page, 'portal-precheck-desktop');

  // The same issue in English when switched.
  await page.getByRole('button', { name: 'English' }).click();
  await expect.poll(() => hours.textContent()).toContain(`row ${hoursRow}, column E`);
  expect(await hours.textContent()).toMatch(/Unit 1/);
  await page.getByRole('button', { name: '中文' }).click();
  await expect.poll(() => hours.textContent()).toContain(`第 ${hoursRow} 行`);

  // Fixed and complete: the pre-check passes.
  const right = await fillTemplate(readFileSync(templatePath), report);
  writeFileSync(reportPath, right.bytes);
  await page.getByLabel('月报文件（XLSX、CSV 或 JSON）').setInputFiles(reportPath);
  await page.getByLabel('证据文件（PDF、JPEG、PNG、OFD，可多选）').setInputFiles(join(dir, LEFT_OUT));
  await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toBe('预检通过：未发现问题，可以提交。');
  expect(await page.getByTestId('missing-evidence').count()).toBe(0);

  // The deposit: every file straight to the bucket with its progress, then the verdict.
  await page.getByRole('button', { name: '提交存证', exact: true }).click();
  const upload = page.getByTestId('upload');
  await upload.waitFor();
  const bars = page.locator('progress[data-file]');
  await expect.poll(() => bars.count()).toBe(evidence.length + 1);
  expect(await page.getByLabel(new RegExp(`^${templateName.replace(/[.]/g, '\\.')}：\\d+%$`)).count()).toBe(1);
  const result = page.getByTestId('result');
  await result.waitFor({ timeout: 90_000 });
  expect(await page.getByTestId('verdict').textContent()).toBe('已通过');
  expect(await result.textContent()).toContain('按时提交');
  expect(await result.textContent()).toContain('未发现问题');
  const keys = await depositedKeys();
  expect(
    keys
      .filter((k) => !before.includes(k))
      .map((k) => k.split('/').pop())
      .sort(),
  ).toEqual([...evidence.map((f) => f.fileName), templateName].sort());
  await noSeriousViolations(page);
  await screenshot(page, 'portal-result-desktop');

  // The receipt, verified offline with the published key and the files deposited.
  const [receiptDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载回执（JSON）' }).click()]);
  const receiptPath = join(dir, 'receipt.json');
  await receiptDownload.saveAs(receiptPath);
  const { accessToken } = await signIn(twin, 'clerk');
  const key = (await (await fetch(`${twin.apiUrl}/receipt-key`, { headers: bearer(accessToken) })).json()) as { publicKeyPem: string };
  // As PEM: the command takes the key's JSON for a PEM when the JSON contains "-----BEGIN" (cli/commands/receipt.ts).
  writeFileSync(join(dir, 'receipt-key.pem'), key.publicKeyPem);
  const files = [reportPath, ...evidence.map((f) => join(dir, f.fileName))];
  const verified = await run('node', ['bin/evidence.js', 'verify-receipt', receiptPath, ...files, '--public-key', join(dir, 'receipt-key.pem'), '--json'], {
    cwd: process.cwd(),
    timeout: 60_000,
  });
  const check = JSON.parse(verified.stdout) as { valid: boolean; signatureValid: boolean; files: { fileName: string; matches: boolean }[] };
  expect(check).toMatchObject({ valid: true, signatureValid: true });
  expect(check.files.map((f) => [f.fileName, f.matches])).toEqual(files.map((path) => [path.split('/').pop(), true]));

  // The month now stands accepted, on time.
  await expect.poll(() => row.textContent()).toContain('已通过 · 按时');
  expect(errors).toEqual([]);
});

it('lets a browser on the web origin upload to and read from the twin’s deposit bucket (CORS)', async () => {
  const url = `${twin.endpoints.s3}/${twin.resources.bucket}/reports/${ID}/${PERIOD}/x/report.xlsx`;
  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: twin.apiUrl,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type,if-none-match,x-amz-checksum-sha256,x-amz-meta-note',
    },
  });
  expect(preflight.status).toBe(200);
  expect(preflight.headers.get('access-control-allow-methods')).toMatch(/PUT/);
  const get = await fetch(url, { method: 'OPTIONS', headers: { origin: twin.apiUrl, 'access-control-request-method': 'GET' } });
  expect(get.status).toBe(200);
  const refused = await fetch(url, { method: 'OPTIONS', headers: { origin: twin.apiUrl, 'access-control-request-method': 'DELETE' } });
  expect(refused.status).toBe(403);
});

it('reads well on a phone: the months and the result, no sideways scroll', async () => {
  const page = await (await newContext(browser, PHONE)).newPage();
  await openSignedIn(page, twin.apiUrl, '/', 'clerk');
  await page.getByRole('heading', { name: '企业端：月度存证' }).waitFor();
  await page.locator(`tr[data-period="${PERIOD}"]`).waitFor();
  expect(await scrollsSideways(page)).toBe(false);
  await noSeriousViolations(page);
  await screenshot(page, 'portal-months-phone');
  await page.getByRole('button', { name: `查看 ${PERIOD} 结果` }).click();
  await page.getByTestId('result').waitFor();
  expect(await scrollsSideways(page)).toBe(false);
  await noSeriousViolations(page);
  await screenshot(page, 'portal-result-phone');
});
