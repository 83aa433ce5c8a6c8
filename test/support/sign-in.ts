/**
 * Real tokens from the twin's OpenID provider, got the way a person gets them: the authorization
 * code flow with PKCE through the real sign-in page (fetch, a cookie jar, redirects followed by
 * hand, the login form posted), then the code exchanged at the token endpoint. Nothing is minted
 * on the side, so a test that passes with these tokens passes with the provider's real output.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TokenCache } from '#cli/auth/token-cache.ts';
import { TWIN_PASSWORD } from '#twin/accounts.ts';
import { CLI_CLIENT_ID, TWIN_SCOPES, type WEB_CLIENT_ID, webRedirectUris } from '#twin/oidc.ts';

export interface Tokens {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  /** When the access token expires (ms since the epoch). */
  readonly expiresAt: number;
}

/** What signIn needs of a twin: the issuer, and the API's URL for the web client's redirect. */
export interface IssuerHandle {
  readonly issuer: string;
  readonly apiUrl?: string;
}

export type TwinClientId = typeof CLI_CLIENT_ID | typeof WEB_CLIENT_ID;

/** `{ authorization: 'Bearer …' }`, for fetch. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly device_authorization_endpoint?: string;
  readonly revocation_endpoint?: string;
  readonly end_session_endpoint?: string;
  readonly jwks_uri: string;
}

const discoveries = new Map<string, Promise<Discovery>>();

/** The issuer's discovery document (cached per issuer for the test run). */
export function discover(issuer: string): Promise<Discovery> {
  let found = discoveries.get(issuer);
  if (!found) {
    found = fetch(`${issuer}/.well-known/openid-configuration`).then(async (r) => {
      if (!r.ok) throw new Error(`discovery at ${issuer}: ${r.status}`);
      return (await r.json()) as Discovery;
    });
    discoveries.set(issuer, found);
  }
  return found;
}

interface Form {
  readonly id?: string;
  readonly action: string;
  readonly fields: Record<string, string>;
}

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const unescapeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');

/** The forms of a page, with their inputs' names and values (what a browser would submit). */
export function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, tag = '', inner = '']) => {
    const fields: Record<string, string> = {};
    for (const [input = ''] of inner.matchAll(/<input\b[^>]*>/g)) {
      const name = attribute(input, 'name');
      if (name) fields[name] = unescapeHtml(attribute(input, 'value') ?? '');
    }
    const id = attribute(tag, 'id');
    return { ...(id ? { id } : {}), action: unescapeHtml(attribute(tag, 'action') ?? ''), fields };
  });
}

/** A browser, as far as sign-in needs one: cookies per host, redirects followed one by one. */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  private cookieHeader(url: URL): string | undefined {
    const cookies = this.jar.get(url.host);
    return cookies && cookies.size > 0 ? [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private keep(url: URL, response: Response): void {
    const cookies = this.jar.get(url.host) ?? new Map<string, string>();
    this.jar.set(url.host, cookies);
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0\b/i.test(line);
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  /**
   * One request and the redirects after it, until a page answers or a redirect leaves for
   * `stopAt` (the client's redirect URI, which no server here serves). Returns the last response
   * and its URL.
   */
  async go(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
    stopAt?: string,
  ): Promise<{ url: string; response: Response; body: string }> {
    let current = new URL(url);
    let method = init.method ?? (init.form ? 'POST' : 'GET');
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hop = 0; hop < 20; hop++) {
      const cookie = this.cookieHeader(current);
      const response = await fetch(current, {
        method,
        redirect: 'manual',
        headers: { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), accept: 'text/html' },
        ...(body ? { body } : {}),
      });
      this.keep(current, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        const next = new URL(location, current);
        if (stopAt && next.href.startsWith(stopAt)) return { url: next.href, response, body: '' };
        current = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url: current.href, response, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits a form of the page (the first, or the one with this id), with fields filled in. */
  submit(page: { url: string; body: string }, fill: Record<string, string> = {}, formId?: string, stopAt?: string) {
    const forms = formsOf(page.body);
    const form = formId ? forms.find((f) => f.id === formId) : forms[0];
    if (!form) throw new Error(`no form${formId ? ` ${formId}` : ''} on ${page.url}: ${page.body.slice(0, 300)}`);
    return this.go(new URL(form.action || page.url, page.url).href, { method: 'POST', form: { ...form.fields, ...fill } }, stopAt);
  }
}

/** Posts the sign-in page's form; throws with the page's message when the sign-in is refused. */
async function logIn(browser: Browser, page: { url: string; body: string; response: Response }, username: string, password: string, stopAt?: string) {
  if (!page.url.includes('/interaction/')) throw new Error(`expected the sign-in page, got ${page.response.status} ${page.url}: ${page.body.slice(0, 300)}`);
  const after = await browser.submit(page, { username, password }, undefined, stopAt);
  if (after.url.includes('/interaction/') && after.response.status === 401) {
    const message = /role="alert">([^<]*)</.exec(after.body)?.[1] ?? 'refused';
    throw new Error(`sign-in as ${username} refused: ${message}`);
  }
  return after;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

function redirectUriOf(twin: IssuerHandle, client: TwinClientId): string {
  if (client === CLI_CLIENT_ID) return 'http://127.0.0.1:53682/callback'; // any loopback port: RFC 8252
  if (!twin.apiUrl) throw new Error('signIn with evidence-web needs the twin apiUrl');
  return webRedirectUris(twin.apiUrl).redirect[1] ?? '';
}

/**
 * Signs a seeded account in through the twin's sign-in page and returns its tokens.
 * Throws when the provider refuses (a wrong password: the page's message).
 */
export async function signIn(twin: IssuerHandle, username: string, password: string = TWIN_PASSWORD, client: TwinClientId = CLI_CLIENT_ID): Promise<Tokens> {
  const discovery = await discover(twin.issuer);
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(12));
  const redirectUri = redirectUriOf(twin, client);
  const authorize = new URL(discovery.authorization_endpoint);
  for (const [k, v] of Object.entries({
    client_id: client,
    response_type: 'code',
    scope: TWIN_SCOPES,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    prompt: 'login',
  }))
    authorize.searchParams.set(k, v);
  const browser = new Browser();
  const loginPage = await browser.go(authorize.href, {}, redirectUri);
  const back = await logIn(browser, loginPage, username, password, redirectUri);
  const callback = new URL(back.url);
  if (!back.url.startsWith(redirectUri))
    throw new Error(`expected a redirect to ${redirectUri}, got ${back.response.status} ${back.url}: ${back.body.slice(0, 300)}`);
  if (callback.searchParams.get('error'))
    throw new Error(`authorization failed: ${callback.searchParams.get('error')} ${callback.searchParams.get('error_description') ?? ''}`);
  if (callback.searchParams.get('state') !== state) throw new Error('the state came back changed');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back.url}`);
  return tokenRequest(discovery.token_endpoint, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: client,
    code_verifier: verifier,
  });
}

/**
 * What a person does with the link `evidence login --flow browser` prints: opens it, signs in on the
 * provider's page, and is sent back to the CLI's loopback redirect, which this then calls (as the
 * browser would) so the CLI receives the code.
 */
export async function completeBrowserSignIn(authorizeUrl: string, username: string, password: string = TWIN_PASSWORD): Promise<void> {
  const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error(`no redirect_uri in ${authorizeUrl}`);
  const browser = new Browser();
  const page = await browser.go(authorizeUrl, {}, redirectUri);
  const back = page.url.startsWith(redirectUri) ? page : await logIn(browser, page, username, password, redirectUri);
  if (!back.url.startsWith(redirectUri)) throw new Error(`expected a redirect to ${redirectUri}, got ${back.response.status} ${back.url}`);
  const delivered = await fetch(back.url);
  if (!delivered.ok) throw new Error(`the CLI's loopback answered ${delivered.status}`);
}

/** A token endpoint request from a public client; the tokens, or an error with the provider's answer. */
export async function tokenRequest(tokenEndpoint: string, form: Record<string, string>): Promise<Tokens> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await response.json()) as {
    access_token?: string;
    id_token?: string;
    refresh_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token) throw new TokenError(body.error ?? `http-${response.status}`, body.error_description ?? '');
  return {
    accessToken: body.access_token,
    idToken: body.id_token ?? '',
    refreshToken: body.refresh_token ?? '',
    expiresAt: Date.now() + (body.expires_in ?? 0) * 1000,
  };
}

/** The token endpoint's refusal (e.g. `authorization_pending` while a device sign-in waits). */
export class TokenError extends Error {
  constructor(
    readonly code: string,
    description: string,
  ) {
    super(`${code}${description ? `: ${description}` : ''}`);
    this.name = 'TokenError';
  }
}

/** Starts a device sign-in for the CLI client (what `evidence login` does first). */
export async function startDeviceSignIn(
  twin: IssuerHandle,
  client: TwinClientId = CLI_CLIENT_ID,
): Promise<{ deviceCode: string; userCode: string; verificationUri: string; verificationUriComplete: string; interval: number; expiresIn: number }> {
  const discovery = await discover(twin.issuer);
  const response = await fetch(discovery.device_authorization_endpoint ?? `${twin.issuer}/device/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client, scope: TWIN_SCOPES }).toString(),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`device authorization: ${response.status} ${JSON.stringify(body)}`);
  return {
    deviceCode: String(body.device_code),
    userCode: String(body.user_code),
    verificationUri: String(body.verification_uri),
    verificationUriComplete: String(body.verification_uri_complete),
    interval: Number(body.interval ?? 5),
    expiresIn: Number(body.expires_in ?? 0),
  };
}

/**
 * What a person does with the link `evidence login` prints: opens it, confirms the code, signs in
 * as `username` on the sign-in page. Resolves once the provider shows its "signed in" page; the
 * device then gets its tokens at its next poll.
 */
export async function completeDeviceSignIn(verificationUriComplete: string, username: string, password: string = TWIN_PASSWORD): Promise<void> {
  const browser = new Browser();
  // The link opens a self-submitting form (the code and the page's xsrf token); a browser posts it.
  const opened = await browser.go(verificationUriComplete);
  const confirmPage = await browser.submit(opened);
  if (!formsOf(confirmPage.body).some((f) => f.id === 'op.deviceConfirmForm'))
    throw new Error(`expected the device confirmation page, got ${confirmPage.response.status}: ${confirmPage.body.slice(0, 300)}`);
  const loginPage = await browser.submit(confirmPage, {}, 'op.deviceConfirmForm');
  const done = await logIn(browser, loginPage, username, password);
  if (done.response.status !== 200 || !done.body.includes('已登录'))
    throw new Error(`the device sign-in did not finish: ${done.response.status} ${done.body.slice(0, 300)}`);
}

/** Polls the token endpoint for a device code, as the CLI does, until tokens or a refusal other than "pending". */
export async function pollDeviceTokens(
  twin: IssuerHandle,
  deviceCode: string,
  { intervalMs = 200, timeoutMs = 10_000, client = CLI_CLIENT_ID as TwinClientId } = {},
) {
  const discovery = await discover(twin.issuer);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await tokenRequest(discovery.token_endpoint, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: deviceCode,
        client_id: client,
      });
    } catch (error) {
      if (!(error instanceof TokenError) || !['authorization_pending', 'slow_down'].includes(error.code) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, error.code === 'slow_down' ? intervalMs * 2 : intervalMs));
    }
  }
}

/** A refresh-token grant for a public client. */
export async function refresh(twin: IssuerHandle, refreshToken: string, client: TwinClientId = CLI_CLIENT_ID): Promise<Tokens> {
  const discovery = await discover(twin.issuer);
  return tokenRequest(discovery.token_endpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client });
}

/**
 * Signs `username` in for the CLI as `evidence login` leaves it: real tokens from the twin, kept in
 * the CLI's token cache under `configDir` (pass it to the CLI as EVIDENCE_CONFIG_DIR).
 */
export async function signInCli(twin: IssuerHandle, username: string, configDir: string): Promise<Tokens> {
  const tokens = await signIn(twin, username);
  new TokenCache(configDir).put({ issuer: twin.issuer, clientId: CLI_CLIENT_ID, ...tokens, scope: TWIN_SCOPES, savedAt: new Date().toISOString() });
  return tokens;
}
