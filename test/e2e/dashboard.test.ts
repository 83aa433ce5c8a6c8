/**
 * The dashboard in a real headless Chromium (Debian's package, driven by playwright-core) against
 * the twin: the department signs in on the twin's OpenID provider's page, the figures on screen
 * must be the API's, and a screenshot is kept as an artifact.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeNightly, NIGHT, seedCity } from '../integration/rates-fixture.ts';
import { TWIN_PASSWORD } from '#twin/accounts.ts';
import { bearer, signIn } from '../support/sign-in.ts';
import { useTwin } from '../support/twin.ts';

const CHROMIUM = '/usr/bin/chromium';
const twin = useTwin();
let browser: Browser;
let fixture: Awaited<ReturnType<typeof seedCity>>;
/** 江西's department: the API refuses the dashboard's requests without a token. */
let token: string;
const authorised = () => ({ headers: bearer(token) });

const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run installs it)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // 新余 is this file's own city on the shared twin, one of 江西's, whose department reads it.
  fixture = await seedCity(twin, '新余市');
  ({ accessToken: token } = await signIn(twin, 'dept-jiangxi'));
  await invokeNightly(twin, NIGHT);
});

/** Opens the dashboard as a person does: the page sends the browser to the sign-in page, which sends it back. */
async function openSignedIn(page: Page, path: string, username = 'dept-jiangxi'): Promise<void> {
  await page.goto(`${twin.apiUrl}${path}`);
  await page.getByLabel('用户名 / Username').fill(username);
  await page.getByLabel('密码 / Password').fill(TWIN_PASSWORD);
  await page.getByRole('button', { name: '登录 / Sign in' }).click();
  await page.waitForURL((url) => url.origin === twin.apiUrl && !url.searchParams.has('code'), { timeout: 20_000 });
}

afterAll(async () => {
  await browser?.close();
});

describe('the dashboard', () => {
  it('shows the API’s rates, counts, problems and late list for the chosen scope, and draws the charts', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await openSignedIn(page, `/?scope=${encodeURIComponent(fixture.scope)}&period=2026-01`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.ready === 'error', undefined, { timeout: 20_000 });

    expect(await page.getByTestId('status').textContent()).not.toMatch(/Error/);
    expect(await page.evaluate(() => document.body.dataset.period)).toBe('2026-01');
    const api = (await (await fetch(`${twin.apiUrl}/summaries?scope=${encodeURIComponent(fixture.scope)}`, authorised())).json()) as {
      summaries: {
        period: string;
        onTimeRate: number | null;
        firstPassRate: number | null;
        obliged: number;
        problems: { total: number; byCode: { code: string; count: number }[] };
      }[];
    };
    const january = api.summaries.find((s) => s.period === '2026-01');
    const late = (await (await fetch(`${twin.apiUrl}/late?period=2026-01&scope=${encodeURIComponent(fixture.scope)}`, authorised())).json()) as {
      late: { enterpriseId: string }[];
    };

    expect(await page.getByTestId('on-time-rate').textContent()).toBe(percent(january?.onTimeRate));
    expect(await page.getByTestId('first-pass-rate').textContent()).toBe(percent(january?.firstPassRate));
    expect(await page.getByTestId('on-time-rate').textContent()).toBe('60.0%');
    expect(await page.getByTestId('obliged').textContent()).toBe(String(january?.obliged));
    expect(await page.getByTestId('problems-total').textContent()).toBe(String(january?.problems.total));
    expect(await page.locator('#problem-rows tr td:first-child').allTextContents()).toEqual(january?.problems.byCode.map((p) => p.code));
    expect(await page.locator('#late-rows tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.enterpriseId))).toEqual(
      late.late.map((s) => s.enterpriseId),
    );
    expect(await page.locator('#late-rows tr').count()).toBe(2);
    // Chart.js drew into each canvas (a blank canvas has no non-transparent pixel).
    for (const id of ['on-time-chart', 'first-pass-chart', 'problems-chart']) {
      const drawn = await page.evaluate((canvasId) => {
        const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        return Array.prototype.some.call(data, (v: number, i: number) => i % 4 === 3 && v > 0);
      }, id);
      expect(drawn, `${id} has something drawn`).toBe(true);
    }
    expect(errors).toEqual([]);

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({
      path: 'test-artifacts/dashboard.png',
      fullPage: true,
    });
    await page.close();
  });

  it('offers every scope of the period’s export and follows a change of scope', async () => {
    const page = await browser.newPage();
    // No scope asked: the page opens on the signed-in department's own jurisdiction.
    await openSignedIn(page, '/?period=2026-01');
    await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 20_000 });
    expect(await page.locator('#scope').inputValue()).toBe('province:360000');
    expect(await page.getByTestId('who').textContent()).toContain('江西省');

    expect(await page.locator('#scope option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toContain(fixture.scope);
    await page.selectOption('#scope', fixture.scope);
    await page.waitForFunction((scope) => document.body.dataset.ready === 'true' && document.body.dataset.scope === scope, fixture.scope, { timeout: 20_000 });
    expect(await page.getByTestId('obliged').textContent()).toBe('5');
    // The export links are the API's presigned ones for this scope: they download its own files only.
    const href = await page.locator('#export-enterprises').getAttribute('href');
    expect(href).toContain('scopes/city-');
    const csv = await (await fetch(href ?? '')).text();
    expect(csv).toContain(fixture.enterprises.onTime.enterpriseId);
    expect(csv).toContain(fixture.enterprises.missing.enterpriseId);
    await page.close();
  });
});
