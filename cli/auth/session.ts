/**
 * The signed-in person's token, as every people's command sends it: read from the cache, refreshed
 * with the refresh token when it has expired (or when the API answered 401), never printed.
 * Which token goes to the API is the deployment's choice (EVIDENCE_TOKEN_USE): the access token,
 * or the ID token for Cognito, whose ID token carries the groups and attributes.
 */
import type { Configuration } from 'openid-client';
import { discover, refreshTokens } from '#cli/auth/oidc.ts';
import type { SignInSettings } from '#cli/auth/settings.ts';
import { type CachedTokens, TokenCache } from '#cli/auth/token-cache.ts';
import { CliError, EXIT } from '#cli/exit-codes.ts';

/** What the API client needs: a token to send, and one more after a 401. */
export interface TokenSource {
  /** A token that has not expired, refreshed first if need be; throws "sign in first" when there is none. */
  token(): Promise<string>;
  /** A freshly refreshed token, or undefined when the sign-in cannot be refreshed. */
  refresh(): Promise<string | undefined>;
}

export const signInFirst = (why?: string) => new CliError(`${why ? `${why}; ` : ''}请先登录 / sign in first: evidence login`, EXIT.signIn);

/** Refresh this long before the expiry the issuer gave: a request must not reach the API with a token about to lapse. */
const EXPIRY_SKEW_MS = 30_000;

/** The `exp` of a JWT, in ms; undefined when it is not a JWT or has none. Read only to know when to refresh, never trusted. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export interface SessionDeps {
  readonly cache?: TokenCache;
  readonly discover?: (settings: SignInSettings) => Promise<Configuration>;
  readonly now?: () => Date;
}

export class Session implements TokenSource {
  private readonly cache: TokenCache;
  private readonly now: () => Date;
  private readonly discoverConfig: (settings: SignInSettings) => Promise<Configuration>;
  private config?: Promise<Configuration>;

  constructor(
    readonly settings: SignInSettings,
    deps: SessionDeps = {},
  ) {
    this.cache = deps.cache ?? new TokenCache();
    this.now = deps.now ?? (() => new Date());
    this.discoverConfig = deps.discover ?? ((s) => discover(s));
  }

  /** The cached sign-in for this issuer and client. */
  cached(): CachedTokens | undefined {
    return this.cache.get(this.settings.issuer, this.settings.clientId);
  }

  /** The token to send, out of a token set. */
  private pick(tokens: CachedTokens): string {
    if (this.settings.tokenUse === 'access') return tokens.accessToken;
    if (!tokens.idToken) throw signInFirst('登录未取得 ID 令牌 / the sign-in holds no ID token (EVIDENCE_TOKEN_USE=id)');
    return tokens.idToken;
  }

  private expired(tokens: CachedTokens): boolean {
    const expiresAt = this.settings.tokenUse === 'id' && tokens.idToken ? jwtExpiry(tokens.idToken) : (tokens.expiresAt ?? jwtExpiry(tokens.accessToken));
    return expiresAt !== undefined && expiresAt - EXPIRY_SKEW_MS <= this.now().getTime();
  }

  async token(): Promise<string> {
    const cached = this.cached();
    if (!cached) throw signInFirst('尚未登录 / not signed in');
    if (!this.expired(cached)) return this.pick(cached);
    const refreshed = await this.refresh();
    if (!refreshed) throw signInFirst('登录已过期 / the sign-in has expired');
    return refreshed;
  }

  async refresh(): Promise<string | undefined> {
    const cached = this.cached();
    if (!cached?.refreshToken) return undefined;
    this.config ??= this.discoverConfig(this.settings);
    const renewed = await refreshTokens(await this.config, this.settings, cached, this.now());
    if (!renewed) return undefined;
    this.cache.put(renewed);
    return this.pick(renewed);
  }
}
