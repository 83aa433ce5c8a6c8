/**
 * The browser side of the web app's tests: Debian's Chromium driven by playwright-core, a person
 * signing in through the twin's real sign-in page, an axe-core check of what is on screen, and
 * screenshots at desktop and phone widths kept as test artefacts.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { TWIN_PASSWORD } from '#twin/accounts.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const DESKTOP = { width: 1400, height: 1000 } as const;
/** A phone: the page must not scroll sideways at this width. */
export const PHONE = { width: 390, height: 844 } as const;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run installs it)`);
  return chromium.launch({
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
}

/** A fresh browser profile (no session left from another person), with downloads allowed. */
export function newContext(browser: Browser, viewport: { width: number; height: number } = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN' });
}

/**
 * Opens `path` of the twin's web app as a person does: the app sends the browser to the sign-in
 * page, the person types the username and password, and the provider sends the browser back.
 */
export async function openSignedIn(page: Page, apiUrl: string, path: string, username: string, password = TWIN_PASSWORD): Promise<void> {
  await page.goto(`${apiUrl}${path}`);
  await page.getByLabel('用户名 / Username').fill(username);
  await page.getByLabel('密码 / Password').fill(password);
  await page.getByRole('button', { name: '登录 / Sign in' }).click();
  await page.waitForURL((url) => url.origin === apiUrl && !url.searchParams.has('code'), { timeout: 20_000 });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical accessibility violations axe-core finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated by the browser's debugging protocol, which the page's content security policy does
  // not govern (a <script> tag would be refused by script-src 'self', as it should be).
  await page.evaluate(`${AXE_SOURCE}\n;true`);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document)).violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whether the page scrolls sideways (a phone layout must not). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** Keeps a full-page screenshot in test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('test-artifacts', { recursive: true });
  await page.screenshot({ path: `test-artifacts/${name}.png`, fullPage: true });
}
