/**
 * The twin's OpenID provider: oidc-provider (a certified OpenID Connect implementation) on
 * 127.0.0.1, with the seeded accounts of accounts.ts, so people sign in on the twin exactly as
 * they will against the cloud's issuer (Cognito, Keycloak, a government sign-on) and the twin's
 * API verifies the tokens exactly as API Gateway's JWT authorizer does (jwt-authorizer.ts).
 *
 * - Access tokens are JWTs for one resource server, the API (`aud` = API_AUDIENCE), signed RS256
 *   (API Gateway accepts RSA only), carrying the account's role claims, `name`,
 *   `preferred_username` and `client_id`. The API is every client's default resource, so a client
 *   need not send `resource`.
 * - Signing and cookie keys are generated once and kept in the data dir (`oidc-keys.json`), so
 *   tokens issued before a restart still verify after it. Sessions, grants and refresh tokens
 *   live in oidc-provider's in-memory adapter and are lost at a restart: one signs in again.
 * - The sign-in page is the twin's own (a username and password form checked against the seeded
 *   accounts), not oidc-provider's devInteractions, which would let anyone in as anyone. Consent
 *   is granted in the same step: both clients are the system's own.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type ClientMetadata, type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { TWIN_ACCOUNTS, TWIN_PASSWORD, type TwinAccount } from './accounts.ts';

/** The API's audience: the resource indicator access tokens are issued for, and what the authorizer accepts. */
export const API_AUDIENCE = 'evidence-api';
/** The API as a resource indicator (RFC 8707 wants an absolute URI); its tokens' `aud` is API_AUDIENCE. */
export const API_RESOURCE = 'urn:evidence:api';
/** The resource scope the API offers (API Gateway's routes require none; it says what the token is for). */
export const API_SCOPE = 'evidence';
export const CLI_CLIENT_ID = 'evidence-cli';
export const WEB_CLIENT_ID = 'evidence-web';
/** The CLI's redirect for the authorization-code flow: any port on the loopback interface (RFC 8252 §7.3). */
export const CLI_REDIRECT_URI = 'http://127.0.0.1/callback';
/** The scopes the twin's clients ask for: the OIDC profile and the role claims (custom scope `evidence`). */
export const TWIN_SCOPES = 'openid profile evidence offline_access';
/** Access tokens live 15 minutes, as Cognito's default is longer but a government sign-on's seldom is. */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** Where the web app returns after sign-in and sign-out (the web app is served by the twin's API). */
export function webRedirectUris(apiUrl: string): { redirect: string[]; postLogout: string[] } {
  return { redirect: [`${apiUrl}/`, `${apiUrl}/signed-in`], postLogout: [`${apiUrl}/`, `${apiUrl}/signed-out`] };
}

export interface OidcProviderOptions {
  /** Where the keys are kept (the twin's data dir); absent: fresh keys in memory (tests of other issuers). */
  readonly dataDir?: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** The twin's API base URL, under which the web client's redirect URIs lie. */
  readonly apiUrl?: string;
  /** Seconds an access token lives (tests use 1–2 s to see one expire). */
  readonly accessTokenTtlSeconds?: number;
  /** Accounts to serve; the seeded ones by default. */
  readonly accounts?: readonly TwinAccount[];
}

interface KeptKeys {
  readonly signing: JWK[];
  readonly cookies: string[];
}

/** RS256 keys made once per data dir: a restart must not invalidate tokens the CLI has cached. */
async function keysIn(dataDir: string | undefined): Promise<KeptKeys> {
  const file = dataDir ? join(dataDir, 'oidc-keys.json') : undefined;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeptKeys;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const keys: KeptKeys = {
    signing: [{ ...jwk, kid: `twin-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' }],
    cookies: [randomBytes(32).toString('base64url')],
  };
  if (file && dataDir) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  }
  return keys;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const PAGE_STYLE =
  'body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#222}' +
  'label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}' +
  'button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}.error{color:#b00020}.hint{color:#555;font-size:.9rem}';

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head>
<body>${body}</body></html>`;
}

function loginPage(uid: string, clientName: string, username = '', error?: string): string {
  return page(
    '登录 / Sign in',
    `<h1>登录 <span lang="en">/ Sign in</span></h1>
<p class="hint">存证系统本地孪生环境 · ${escapeHtml(clientName)}<br><span lang="en">Evidence deposit twin · ${escapeHtml(clientName)}</span></p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="username">用户名 / Username</label>
<input id="username" type="text" name="username" value="${escapeHtml(username)}" autocomplete="username" autofocus required>
<label for="password">密码 / Password</label>
<input id="password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">登录 / Sign in</button>
</form>
<p class="hint">账户见 npm start 的输出或 README / the accounts are printed by npm start and listed in the README.</p>`,
  );
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(html);
}

/** A running provider: its issuer URL and how to stop it. */
export class TwinOidcProvider {
  private constructor(
    readonly provider: Provider,
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  static async start(options: OidcProviderOptions = {}): Promise<TwinOidcProvider> {
    const accounts = options.accounts ?? TWIN_ACCOUNTS;
    const findAccount = (username: string) => accounts.find((a) => a.username === username) ?? undefined;
    const keys = await keysIn(options.dataDir);
    const ttl = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;

    // The issuer names its port, so the port is chosen before the provider is made.
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const issuer = `http://127.0.0.1:${port}`;

    const web = options.apiUrl ? webRedirectUris(options.apiUrl) : undefined;
    const configuration: Configuration = {
      clients: [
        {
          client_id: CLI_CLIENT_ID,
          client_name: '存证命令行 / evidence CLI',
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: [CLI_REDIRECT_URI],
        } satisfies ClientMetadata,
        ...(web
          ? [
              {
                client_id: WEB_CLIENT_ID,
                client_name: '存证网页 / evidence web app',
                application_type: 'web',
                token_endpoint_auth_method: 'none',
                grant_types: ['authorization_code', 'refresh_token'],
                response_types: ['code'],
                redirect_uris: web.redirect,
                post_logout_redirect_uris: web.postLogout,
              } satisfies ClientMetadata,
            ]
          : []),
      ],
      jwks: { keys: keys.signing },
      cookies: { keys: keys.cookies },
      // The claims a token or userinfo may carry, by scope; the role claims under their own scope.
      claims: {
        openid: ['sub'],
        profile: ['name', 'preferred_username'],
        [API_SCOPE]: ['evidence_role', 'credit_code', 'review_level', 'jurisdiction'],
      },
      scopes: ['openid', 'offline_access', 'profile', API_SCOPE],
      // ID tokens carry the scopes' claims too: the web app shows who is signed in without userinfo.
      conformIdTokenClaims: false,
      async findAccount(_ctx, id) {
        const account = findAccount(id);
        if (!account) return undefined;
        return {
          accountId: account.username,
          claims: () => ({ sub: account.username, name: account.name, preferred_username: account.username, ...account.claims }),
        };
      },
      features: {
        devInteractions: { enabled: false },
        deviceFlow: { enabled: true, userCodeInputSource, userCodeConfirmSource, successSource },
        revocation: { enabled: true },
        rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => API_RESOURCE,
          // The code's resource carries over to the token request even though `openid` is asked for.
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, resource) => {
            if (resource !== API_RESOURCE) throw new errors.InvalidTarget(`只有 ${API_RESOURCE} / the only resource is ${API_RESOURCE}`);
            return { scope: API_SCOPE, audience: API_AUDIENCE, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
          },
        },
      },
      // What API Gateway passes on as claims: the role claims and who the person is.
      extraTokenClaims(_ctx, token) {
        const account = 'accountId' in token && typeof token.accountId === 'string' ? findAccount(token.accountId) : undefined;
        if (!account) return undefined;
        return { name: account.name, preferred_username: account.username, ...account.claims };
      },
      // Refresh tokens for every client allowed the grant, without making people consent to offline_access.
      issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      pkce: { required: () => true },
      // A browser may call the token endpoint only from the web client's own origin (the twin's API).
      clientBasedCORS: (_ctx, origin, client) => client.clientId === WEB_CLIENT_ID && (web?.redirect ?? []).some((uri) => new URL(uri).origin === origin),
      ttl: {
        AccessToken: ttl,
        IdToken: ttl,
        AuthorizationCode: 60,
        DeviceCode: 600,
        Interaction: 3600,
        RefreshToken: 14 * 24 * 3600,
        Session: 14 * 24 * 3600,
        Grant: 14 * 24 * 3600,
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      renderError(ctx, out) {
        ctx.type = 'html';
        ctx.body = page(
          '出错了 / Error',
          `<h1>出错了 <span lang="en">/ Something went wrong</span></h1><pre>${escapeHtml(
            Object.entries(out)
              .map(([k, v]) => `${k}: ${String(v)}`)
              .join('\n'),
          )}</pre>`,
        );
      },
    };

    const provider = new Provider(issuer, configuration);
    const callback = provider.callback();
    const twin = new TwinOidcProvider(provider, server, issuer);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const path = new URL(request.url ?? '/', issuer).pathname;
      const handled = path.startsWith('/interaction/') ? twin.interaction(request, response, path, findAccount) : Promise.resolve(callback(request, response));
      handled.catch((error: unknown) => {
        console.error('[twin oidc]', error);
        if (!response.headersSent) sendHtml(response, 500, page('出错了 / Error', '<p>登录服务出错 / the sign-in service failed</p>'));
        else response.end();
      });
    });
    return twin;
  }

  /** The sign-in page: GET shows the form, POST checks the password; consent is granted with the sign-in. */
  private async interaction(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    findAccount: (username: string) => TwinAccount | undefined,
  ): Promise<void> {
    const details = await this.provider.interactionDetails(request, response);
    const client = await this.provider.Client.find(String(details.params.client_id));
    const clientName = client?.clientName ?? String(details.params.client_id);
    if (request.method === 'GET' && details.prompt.name === 'login') return sendHtml(response, 200, loginPage(details.uid, clientName));
    if (request.method === 'GET' && details.prompt.name === 'consent') {
      const accountId = details.session?.accountId;
      if (!accountId) return sendHtml(response, 400, loginPage(details.uid, clientName));
      const grantId = await this.grant(accountId, String(details.params.client_id), String(details.params.scope ?? ''), details.grantId);
      return this.provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (request.method === 'POST' && path.endsWith('/login')) {
      const form = await readForm(request);
      const username = (form.get('username') ?? '').trim();
      const account = findAccount(username);
      if (!account || form.get('password') !== TWIN_PASSWORD)
        return sendHtml(response, 401, loginPage(details.uid, clientName, username, '用户名或密码不正确。/ The username or password is not right.'));
      const grantId = await this.grant(account.username, String(details.params.client_id), String(details.params.scope ?? ''), details.grantId);
      return this.provider.interactionFinished(
        request,
        response,
        { login: { accountId: account.username }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    }
    sendHtml(response, 404, page('找不到 / Not found', '<p>没有这个页面 / no such page</p>'));
  }

  /** A grant of what the first-party client asked: its OIDC scopes and the API's scope. */
  private async grant(accountId: string, clientId: string, scope: string, existing?: string): Promise<string> {
    const found = existing ? await this.provider.Grant.find(existing) : undefined;
    const grant = found && found.accountId === accountId ? found : new this.provider.Grant({ accountId, clientId });
    if (scope) grant.addOIDCScope(scope);
    grant.addResourceScope(API_RESOURCE, API_SCOPE);
    return grant.save();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function userCodeInputSource(ctx: KoaContextWithOIDC, form: string, _out?: unknown, err?: unknown): Promise<void> {
  const message = err
    ? '<p class="error" role="alert">代码不正确或已过期，请重试。/ The code is not right or has expired; try again.</p>'
    : '<p>请输入命令行显示的代码。/ Enter the code the command line shows.</p>';
  ctx.type = 'html';
  ctx.body = page(
    '设备登录 / Device sign-in',
    `<h1>设备登录 <span lang="en">/ Device sign-in</span></h1>${message}${form.replace('<input\n', '<label for="user_code">代码 / Code</label><input id="user_code"\n')}<button type="submit" form="op.deviceInputForm">继续 / Continue</button>`,
  );
}

async function userCodeConfirmSource(
  ctx: KoaContextWithOIDC,
  form: string,
  client: { clientName?: string; clientId: string },
  _info: unknown,
  userCode: string,
): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    '确认设备 / Confirm the device',
    `<h1>确认设备 <span lang="en">/ Confirm the device</span></h1>
<p>${escapeHtml(client.clientName ?? client.clientId)} 请求登录。请确认命令行显示的代码是：<br><span lang="en">asks to sign in. Check that the command line shows this code:</span></p>
<p><code style="font-size:2em">${escapeHtml(userCode)}</code></p>${form}
<button type="submit" form="op.deviceConfirmForm">继续 / Continue</button>`,
  );
}

async function successSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    '已登录 / Signed in',
    '<h1>已登录 <span lang="en">/ Signed in</span></h1><p>可以关闭此页，回到命令行。/ You may close this page and return to the command line.</p>',
  );
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    '退出 / Sign out',
    `<h1>退出登录？ <span lang="en">/ Sign out?</span></h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">退出 / Sign out</button> <button type="submit" form="op.logoutForm">取消 / Stay signed in</button>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('已退出 / Signed out', '<h1>已退出 <span lang="en">/ Signed out</span></h1>');
}
