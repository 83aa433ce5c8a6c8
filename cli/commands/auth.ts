/**
 * Signing in: `evidence login` (the device authorization grant when the issuer offers it, else the
 * browser with PKCE and a loopback redirect), `evidence logout` and `evidence whoami`. The OIDC
 * work is in cli/auth/; this file wires it to commander and the terminal.
 */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ApiClient } from '#cli/api-client.ts';
import { browserLogin, type DeviceCode, deviceLogin, discover, offersDeviceGrant, revokeTokens } from '#cli/auth/oidc.ts';
import { jwtExpiry, Session } from '#cli/auth/session.ts';
import { signInSettings } from '#cli/auth/settings.ts';
import { type CachedTokens, TokenCache } from '#cli/auth/token-cache.ts';
import { type Me, meLines, whoAmI } from '#cli/auth/who.ts';
import { UsageError } from '#cli/exit-codes.ts';
import { shanghaiTime } from '#cli/format.ts';
import { spinner } from '#cli/terminal.ts';

function portArg(value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new InvalidArgumentError('应为 0–65535 的端口 / expected a port 0–65535 (0: any free port)');
  return port;
}

function flowArg(value: string): 'device' | 'browser' {
  if (value !== 'device' && value !== 'browser') throw new InvalidArgumentError('应为 device 或 browser / expected device or browser');
  return value;
}

/** Opens a URL in the person's browser, quietly: if none opens, the printed URL is there. */
function openInBrowser(url: URL): void {
  const [command, ...args] =
    process.platform === 'darwin' ? ['open', url.href] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url.href] : ['xdg-open', url.href];
  try {
    const child = spawn(command ?? 'xdg-open', args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the URL is printed.
  }
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.max(0, Math.floor(seconds % 60))).padStart(2, '0')}`;

/** When the token the API takes lapses (it is refreshed then), for people to read. */
function validUntil(tokens: CachedTokens, tokenUse: 'access' | 'id'): string | undefined {
  const at = tokenUse === 'id' && tokens.idToken ? jwtExpiry(tokens.idToken) : (tokens.expiresAt ?? jwtExpiry(tokens.accessToken));
  return at === undefined ? undefined : shanghaiTime(new Date(at).toISOString());
}

interface LoginOptions {
  flow?: 'device' | 'browser';
  browser: boolean;
  port: number;
  json?: boolean;
}

async function login(options: LoginOptions): Promise<void> {
  const settings = signInSettings();
  const config = await discover(settings);
  const device = options.flow === 'device' || (options.flow === undefined && offersDeviceGrant(config));
  if (device && !offersDeviceGrant(config))
    throw new UsageError(`${settings.issuer} 不支持设备码登录 / does not offer the device authorization grant: use --flow browser`);
  let tokens: CachedTokens;
  if (device) {
    let wait = spinner('');
    let timer: NodeJS.Timeout | undefined;
    const show = (code: DeviceCode) => {
      const link = code.verificationUriComplete ?? code.verificationUri;
      console.log('请在浏览器中打开以下链接并登录 / open this link in a browser and sign in:');
      console.log(`  ${link}`);
      console.log(`确认码 / code: ${code.userCode}${code.verificationUriComplete ? `  (或打开 / or open ${code.verificationUri} 并输入 / and type it)` : ''}`);
      const until = Date.now() + code.expiresInSeconds * 1000;
      const text = () => `等待批准 / waiting for approval… ${clock((until - Date.now()) / 1000)} 后过期 / left`;
      wait = spinner(text());
      timer = setInterval(() => wait.update(text()), 1000);
      timer.unref();
    };
    try {
      tokens = await deviceLogin(config, settings, show);
    } finally {
      clearInterval(timer);
      wait.stop();
    }
  } else {
    const wait = spinner('等待浏览器登录 / waiting for the browser sign-in…');
    try {
      tokens = await browserLogin(config, settings, {
        port: options.port,
        open: (url) => {
          wait.stop();
          console.log('请在浏览器中登录 / sign in in your browser:');
          console.log(`  ${url.href}`);
          if (options.browser) openInBrowser(url);
        },
      });
    } finally {
      wait.stop();
    }
  }
  new TokenCache().put(tokens);
  const session = new Session(settings);
  // The API's word on who this is: also proves the token opens the API.
  let me: Me | undefined;
  try {
    me = await whoAmI(new ApiClient(settings.apiUrl, session));
  } catch (error) {
    console.error(`evidence: 已登录，但 API 未确认身份 / signed in, but the API did not confirm who you are: ${(error as Error).message}`);
  }
  if (options.json) {
    console.log(JSON.stringify({ signedIn: true, issuer: settings.issuer, clientId: settings.clientId, me: me ?? null }, null, 2));
    return;
  }
  console.log(me ? `已登录 / signed in as ${me.name ?? me.subject ?? ''} (${me.role})` : '已登录 / signed in');
}

async function logout(options: { json?: boolean }): Promise<void> {
  const cache = new TokenCache();
  const settings = signInSettings();
  const cached = cache.get(settings.issuer, settings.clientId);
  let revoked = false;
  let revokeProblem: string | undefined;
  if (cached) {
    try {
      revoked = await revokeTokens(await discover(settings), cached);
    } catch (error) {
      // Forgotten here all the same: the tokens lapse on their own.
      revokeProblem = (error as Error).message;
    }
    cache.delete(settings.issuer, settings.clientId);
  }
  if (options.json) {
    console.log(JSON.stringify({ signedOut: Boolean(cached), revoked, issuer: settings.issuer, ...(revokeProblem ? { revokeProblem } : {}) }, null, 2));
    return;
  }
  if (!cached) console.log(`未登录 / not signed in at ${settings.issuer}`);
  else
    console.log(
      `已退出 / signed out of ${settings.issuer}${revoked ? ' — 令牌已吊销 / tokens revoked' : revokeProblem ? ` — 未能吊销 / could not revoke (${revokeProblem}); 本地已删除 / forgotten here` : ''}`,
    );
}

async function whoami(options: { json?: boolean }): Promise<void> {
  const settings = signInSettings();
  const session = new Session(settings);
  const me = await whoAmI(new ApiClient(settings.apiUrl, session));
  if (options.json) {
    console.log(JSON.stringify(me, null, 2));
    return;
  }
  const cached = session.cached();
  const until = cached ? validUntil(cached, settings.tokenUse) : undefined;
  for (const line of meLines(me, { issuer: settings.issuer, target: settings.target, ...(until ? { validUntil: until } : {}) })) console.log(line);
}

export function registerAuthCommands(program: Command): void {
  program
    .command('login')
    .description('sign in (OpenID Connect): a code to approve in any browser, or this machine’s browser; the tokens are kept in your config directory / 登录')
    .option(
      '--flow <device|browser>',
      'device: a link and a code to approve (default when the issuer offers it); browser: sign in in a browser here (PKCE)',
      flowArg,
    )
    .option('--no-browser', 'browser flow: only print the URL, do not open a browser')
    .option(
      '--port <port>',
      'browser flow: the loopback port for the redirect (0: any free port; fix it where the issuer wants an exact redirect URI)',
      portArg,
      0,
    )
    .option('--json', 'machine-readable output (after signing in)')
    .action(login);

  program
    .command('logout')
    .description('sign out: revoke the tokens where the issuer offers it, and forget them here / 退出登录')
    .option('--json', 'machine-readable output')
    .action(logout);

  program
    .command('whoami')
    .description('who you are signed in as, by the API: role, name, credit code, review level, jurisdiction / 当前登录身份')
    .option('--json', 'machine-readable output (the API’s answer)')
    .action(whoami);
}
