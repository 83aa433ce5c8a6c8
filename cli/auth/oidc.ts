/**
 * The CLI's side of OpenID Connect, through openid-client (a certified relying party): discovery,
 * the device authorization grant (RFC 8628), authorization code + PKCE with a loopback redirect
 * (RFC 8252), refresh and revocation. The CLI is a public client: no secret, `none` auth.
 * Plain http is allowed only for an issuer on this machine (the twin's provider on 127.0.0.1).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { type SignInSettings, resourceParameters } from '#cli/auth/settings.ts';
import type { CachedTokens } from '#cli/auth/token-cache.ts';
import { CliError, EXIT } from '#cli/exit-codes.ts';

export type { Configuration } from 'openid-client';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The issuer is on this machine: plain http is acceptable there, nowhere else. */
export const isLoopback = (url: URL) => LOOPBACK.has(url.hostname);

/** The issuer's metadata and the CLI's client, from the issuer's discovery document. */
export async function discover(settings: Pick<SignInSettings, 'issuer' | 'clientId'>): Promise<client.Configuration> {
  const issuer = new URL(settings.issuer);
  try {
    return await client.discovery(
      issuer,
      settings.clientId,
      { token_endpoint_auth_method: 'none' },
      client.None(),
      isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : {},
    );
  } catch (error) {
    throw new CliError(`无法连接登录服务 / cannot reach the sign-in service at ${settings.issuer}: ${(error as Error).message}`, EXIT.error);
  }
}

/** The cache entry a token response makes; a refresh that returns no new refresh token keeps the old one. */
export function tokensFrom(
  settings: Pick<SignInSettings, 'issuer' | 'clientId'>,
  response: client.TokenEndpointResponse,
  now: Date,
  previous?: CachedTokens,
): CachedTokens {
  const refreshToken = response.refresh_token ?? previous?.refreshToken;
  const idToken = response.id_token ?? previous?.idToken;
  return {
    issuer: settings.issuer,
    clientId: settings.clientId,
    accessToken: response.access_token,
    ...(idToken ? { idToken } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    ...(typeof response.expires_in === 'number' ? { expiresAt: now.getTime() + response.expires_in * 1000 } : {}),
    ...(response.scope ? { scope: response.scope } : previous?.scope ? { scope: previous.scope } : {}),
    savedAt: now.toISOString(),
  };
}

/** What the device grant shows the person: where to go and what to type. */
export interface DeviceCode {
  readonly verificationUri: string;
  readonly verificationUriComplete?: string;
  readonly userCode: string;
  readonly expiresInSeconds: number;
}

/** Why a sign-in ended without tokens, each with its own exit code. */
function loginFailure(error: unknown): never {
  if (error instanceof CliError) throw error;
  const code = error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError ? error.error : undefined;
  if (code === 'access_denied') throw new CliError('登录被拒绝 / the sign-in was declined at the issuer: nothing was saved', EXIT.signInDenied);
  if (code === 'expired_token' || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')))
    throw new CliError(
      '登录码已过期，请重新运行 evidence login / the sign-in code expired before it was approved: run `evidence login` again',
      EXIT.signInExpired,
    );
  throw new CliError(`登录失败 / sign-in failed: ${code ?? (error as Error).message}`, EXIT.error);
}

export async function deviceLogin(
  config: client.Configuration,
  settings: SignInSettings,
  show: (code: DeviceCode) => void,
  options: { readonly signal?: AbortSignal; readonly now?: () => Date } = {},
): Promise<CachedTokens> {
  const resource = resourceParameters(settings);
  try {
    const response = await client.initiateDeviceAuthorization(config, { scope: settings.scope, ...resource });
    show({
      verificationUri: response.verification_uri,
      ...(response.verification_uri_complete ? { verificationUriComplete: response.verification_uri_complete } : {}),
      userCode: response.user_code,
      expiresInSeconds: response.expires_in,
    });
    const tokens = await client.pollDeviceAuthorizationGrant(config, response, resource, options.signal ? { signal: options.signal } : {});
    return tokensFrom(settings, tokens, options.now?.() ?? new Date());
  } catch (error) {
    loginFailure(error);
  }
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="zh"><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:4em"><h1>${title}</h1><p>${text}</p></body></html>`;

/** A loopback redirect listener: the port the issuer sends the browser back to, and the callback it brings. */
async function loopbackListener(
  port: number,
  host: SignInSettings['redirectHost'],
): Promise<{ redirectUri: string; callback: Promise<URL>; close: () => void }> {
  let deliver: (url: URL) => void = () => undefined;
  const callback = new Promise<URL>((resolve) => {
    deliver = resolve;
  });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (url.pathname !== '/callback') {
      response.writeHead(404).end();
      return;
    }
    const failed = url.searchParams.has('error');
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        failed
          ? PAGE('登录未完成 / Sign-in not completed', '请回到终端查看原因 / see the terminal for why.')
          : PAGE('已登录 / Signed in', '可以关闭此页，回到终端 / you can close this page and return to the terminal.'),
      );
    deliver(url);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new CliError(`无法监听 127.0.0.1:${port} / cannot listen on 127.0.0.1:${port}: ${error.message}`, EXIT.usage)));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  // `localhost` may resolve to ::1 in the person's browser: listen there too, on the same port.
  const v6 = host === 'localhost' ? await listenAlso(server, bound) : undefined;
  return {
    redirectUri: `http://${host}:${bound}/callback`,
    callback,
    close: () => {
      server.close();
      v6?.close();
    },
  };
}

/** The same listener on ::1 as well, where the machine has IPv6 loopback; none where it has not. */
async function listenAlso(server: ReturnType<typeof createServer>, port: number): Promise<ReturnType<typeof createServer> | undefined> {
  const twin = createServer((request, response) => server.emit('request', request, response));
  return new Promise((resolve) => {
    twin.once('error', () => resolve(undefined));
    twin.listen(port, '::1', () => resolve(twin));
  });
}

export interface BrowserLoginOptions {
  /** The loopback port (0: any free one; a fixed one for issuers that want an exact redirect URI, e.g. Cognito). */
  readonly port: number;
  /** Shows the URL to open; opens it in a browser too unless told not to. */
  readonly open: (url: URL) => void;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/** Authorization code + PKCE (S256) through the person's browser, back to a listener on 127.0.0.1. */
export async function browserLogin(config: client.Configuration, settings: SignInSettings, options: BrowserLoginOptions): Promise<CachedTokens> {
  const listener = await loopbackListener(options.port, settings.redirectHost);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  try {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: listener.redirectUri,
      scope: settings.scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      // OpenID Connect Core §11: offline_access (a refresh token) is granted only with consent asked for.
      ...(settings.scope.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
      ...resourceParameters(settings),
    });
    options.open(url);
    const timeoutMs = options.timeoutMs ?? 5 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), timeoutMs);
    });
    try {
      const callback = await Promise.race([listener.callback, expired]);
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, resourceParameters(settings));
      return tokensFrom(settings, tokens, options.now?.() ?? new Date());
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    loginFailure(error);
  } finally {
    listener.close();
  }
}

/** A new token set from the refresh token; undefined when the issuer will not refresh it (expired, revoked). */
export async function refreshTokens(
  config: client.Configuration,
  settings: SignInSettings,
  cached: CachedTokens,
  now = new Date(),
): Promise<CachedTokens | undefined> {
  if (!cached.refreshToken) return undefined;
  try {
    const response = await client.refreshTokenGrant(config, cached.refreshToken, resourceParameters(settings));
    return tokensFrom(settings, response, now, cached);
  } catch (error) {
    if (error instanceof client.ResponseBodyError) return undefined;
    throw new CliError(`无法刷新登录 / cannot refresh the sign-in at ${settings.issuer}: ${(error as Error).message}`, EXIT.error);
  }
}

/**
 * Revokes the sign-in where the issuer offers revocation (RFC 7009); false when it does not. The
 * refresh token is what matters: revoking it ends the grant, and no new access token can be had.
 * A JWT access token is self-contained and most issuers cannot revoke it (`unsupported_token_type`):
 * it is tried only when there is no refresh token, and lapses on its own otherwise.
 */
export async function revokeTokens(config: client.Configuration, cached: CachedTokens): Promise<boolean> {
  if (!config.serverMetadata().revocation_endpoint) return false;
  if (cached.refreshToken) {
    await client.tokenRevocation(config, cached.refreshToken, { token_type_hint: 'refresh_token' });
    return true;
  }
  try {
    await client.tokenRevocation(config, cached.accessToken, { token_type_hint: 'access_token' });
    return true;
  } catch (error) {
    if (error instanceof client.ResponseBodyError && error.error === 'unsupported_token_type') return false;
    throw error;
  }
}

/** The issuer offers the device grant (its discovery names a device authorization endpoint). */
export const offersDeviceGrant = (config: client.Configuration) => Boolean(config.serverMetadata().device_authorization_endpoint);
