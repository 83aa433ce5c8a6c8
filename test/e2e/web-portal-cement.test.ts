/**
 * The enterprise portal for another industry than power, in Chromium on the twin: the clerk of a
 * clinker line (九江示范水泥, `clerk-cement`) signs in through the real page, downloads the month's
 * template — written from the cement catalogue: the line's rows per fuel and substitute, the 物料
 * column, the guideline's clinker factor already filled in — fills it with one mistake (the
 * clinker factor of another clinker type), is told before anything is uploaded, in the line's own
 * words (熟料生产线 L1, 熟料过程排放因子), fixes it and deposits; the verdict comes back accepted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastEndedPeriod } from '#domain/rates.ts';
import { EnterpriseSchema } from '#domain/registry.ts';
import { CEMENT_ENTERPRISE, industryEvidence, industryReport } from '#examples/industries.ts';
import { fillTemplate } from '../support/fill-template.ts';
import { useTwin } from '../support/twin.ts';
import { launchBrowser, newContext, openSignedIn, screenshot, seriousViolations } from '../support/web.ts';

const twin = useTwin();
const ENTERPRISE = EnterpriseSchema.parse(CEMENT_ENTERPRISE);
const ID = ENTERPRISE.enterpriseId;
// The month just ended: owed (cement deposits monthly since 2025-07), within its 40 days.
const PERIOD = lastEndedPeriod(new Date());
const dir = mkdtempSync(join(tmpdir(), 'evidence-portal-cement-'));
const evidence = industryEvidence(ENTERPRISE, PERIOD);
let browser: Browser;

beforeAll(async () => {
  await twin.registry.putAll([ENTERPRISE]);
  for (const file of evidence) writeFileSync(join(dir, file.fileName), file.bytes);
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function depositedKeys(): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of [`reports/${ID}/${PERIOD}/`, `evidence/${ID}/${PERIOD}/`]) {
    const listed = await twin.clients.s3.send(new ListObjectsV2Command({ Bucket: twin.resources.bucket, Prefix: prefix }));
    keys.push(...(listed.Contents ?? []).map((o) => o.Key ?? ''));
  }
  return keys;
}

it("takes a clinker line's clerk from the cement template to an accepted deposit, naming a wrong clinker factor before anything is uploaded", async () => {
  const page = await (await newContext(browser)).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openSignedIn(page, twin.apiUrl, '/', 'clerk-cement');
  await page.getByRole('heading', { name: '企业端：月度存证' }).waitFor();
  await page.locator(`tr[data-period="${PERIOD}"]`).waitFor();

  // The template, written from the cement catalogue.
  await page.getByLabel('存证月份').selectOption(PERIOD);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `下载 ${PERIOD} 模板（XLSX）` }).click()]);
  const templatePath = join(dir, 'template.xlsx');
  await download.saveAs(templatePath);
  const template = readFileSync(templatePath);
  const report = industryReport(ENTERPRISE, PERIOD, { evidence });

  // Filled with one mistake: the white clinker's factor (0.550) on a Portland line (0.535).
  const wrong = await fillTemplate(template, report, [{ unitId: 'L1', parameter: 'clinkerProcessFactor', value: 0.55 }], ENTERPRISE);
  const reportPath = join(dir, download.suggestedFilename());
  writeFileSync(reportPath, wrong.bytes);
  const before = await depositedKeys();
  await page.getByLabel('月报文件（XLSX、CSV 或 JSON）').setInputFiles(reportPath);
  await page.getByLabel('证据文件（PDF、JPEG、PNG、OFD，可多选）').setInputFiles(evidence.map((f) => join(dir, f.fileName)));
  const summary = page.getByTestId('precheck-summary');
  await summary.waitFor({ timeout: 30_000 });
  await expect.poll(() => summary.textContent()).toMatch(/预检发现 \d+ 个错误/);
  const mismatch = page.locator('li.issue[data-code="EVD-DEFAULT-MISMATCH"]');
  await mismatch.waitFor();
  const text = (await mismatch.textContent()) ?? '';
  expect(text).toContain(`第 ${wrong.rows.get('L1/clinkerProcessFactor')} 行`);
  expect(text).toContain('熟料过程排放因子');
  expect(text).toContain('0.535');
  expect(await page.getByText('熟料生产线 L1').count()).toBeGreaterThan(0);
  expect(await page.getByRole('button', { name: '提交存证', exact: true }).isDisabled()).toBe(true);
  expect(await depositedKeys()).toEqual(before);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'portal-cement-precheck-desktop');

  // Fixed: the pre-check passes and the deposit is accepted.
  const right = await fillTemplate(template, report, [], ENTERPRISE);
  writeFileSync(reportPath, right.bytes);
  await page.getByLabel('月报文件（XLSX、CSV 或 JSON）').setInputFiles(reportPath);
  await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toBe('预检通过：未发现问题，可以提交。');
  await page.getByRole('button', { name: '提交存证', exact: true }).click();
  const result = page.getByTestId('result');
  await result.waitFor({ timeout: 90_000 });
  expect(await page.getByTestId('verdict').textContent()).toBe('已通过');
  const added = (await depositedKeys()).filter((k) => !before.includes(k)).map((k) => k.split('/').pop());
  expect(added.sort()).toEqual([...evidence.map((f) => f.fileName), download.suggestedFilename()].sort());
  expect(errors).toEqual([]);
});
