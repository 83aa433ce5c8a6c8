/** The web app's shell in Chromium: sign-in through the real page, the role's area, the area switch, the language switch, no serious accessibility violation. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newContext, openSignedIn, seriousViolations } from '../support/web.ts';
import { useTwin } from '../support/twin.ts';

const twin = useTwin();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

it('signs in and opens the role’s area', async () => {
  const page = await (await newContext(browser)).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The twin sends the cloud's content security policy: nothing the app does may be refused by it.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  const served = await page.request.get(`${twin.apiUrl}/`);
  expect(served.headers()['content-security-policy']).toContain("script-src 'self'");
  await openSignedIn(page, twin.apiUrl, '/', 'reviewer-nanchang');
  await page.getByRole('heading', { level: 2 }).waitFor();
  expect(await page.getByTestId('who').textContent()).toContain('南昌市审核员');
  expect(await page.getByRole('heading', { level: 2 }).textContent()).toContain('审核端');
  await page.getByRole('button', { name: '管理端' }).click();
  await page.getByRole('heading', { name: /管理端/ }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: /Department dashboard/ }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});
