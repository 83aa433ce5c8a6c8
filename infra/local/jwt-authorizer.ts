/**
 * API Gateway HTTP API's JWT authorizer, as the twin's HTTP API runs it in front of every people's
 * route (infra/stack/people-api.ts configures the cloud's: issuer, audience, identity source
 * `$request.header.Authorization`, no route scopes). Its documented workflow, step by step
 * ("Control access to HTTP APIs with JWT authorizers in API Gateway"):
 *
 * 1. The identity source holds the token alone or prefixed with `Bearer `.
 * 2. The token is decoded; 3. its algorithm and signature are checked with a public key from the
 *    issuer's `jwks_uri` (from its discovery document). Only RSA algorithms are accepted; the
 *    header's `kid` must name a key of the set. Keys are cached (API Gateway: up to two hours;
 *    jose refetches on an unknown `kid`).
 * 4. Claims: `iss` equals the configured issuer; `aud` is one of the audiences — or, only when
 *    the token has no `aud`, `client_id` is; `exp` after now, `nbf` and `iat` before now (no leeway
 *    is documented, none is given); `scope`/`scp` must hold one of the route's scopes when the
 *    route names any (ours name none).
 *
 * Any failure is a 401 `{"message":"Unauthorized"}` with a `www-authenticate` header saying why,
 * before any function runs. On success the claims reach the function as API Gateway passes them:
 * every value a string (see apiGatewayClaims).
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** The algorithms API Gateway verifies ("currently only RSA-based algorithms are supported"). */
export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;

export interface JwtAuthorizerOptions {
  /** Must equal the token's `iss` exactly. */
  readonly issuer: string;
  /** A token's `aud` (or, without one, its `client_id`) must be one of these. */
  readonly audience: readonly string[];
  /** The key set; by default the issuer's discovery document's `jwks_uri`. */
  readonly jwks?: JWTVerifyGetKey;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/** What API Gateway puts in `requestContext.authorizer.jwt`. */
export interface JwtAuthorizerContext {
  readonly claims: Record<string, string>;
  /** The token's scopes when the route requires scopes; null when it requires none (as API Gateway sends it). */
  readonly scopes: string[] | null;
}

export type Authorization = { readonly ok: true; readonly jwt: JwtAuthorizerContext } | { readonly ok: false; readonly reply: UnauthorizedReply };

export interface UnauthorizedReply {
  readonly statusCode: 401;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** API Gateway's answer to a request its authorizer refuses. */
export function unauthorized(description?: string): UnauthorizedReply {
  return {
    statusCode: 401,
    headers: {
      'content-type': 'application/json',
      // As API Gateway words it (see its JWT troubleshooting page); without a token, the bare challenge.
      'www-authenticate': description === undefined ? 'Bearer' : `Bearer scope="" error="invalid_token" error_description="${description.replace(/"/g, "'")}"`,
    },
    body: JSON.stringify({ message: 'Unauthorized' }),
  };
}

/**
 * A claim value as API Gateway hands it to the function: strings as they are, numbers and
 * booleans as their text (`exp` → `"1612061676"`), arrays as `[a b c]` (space-separated, no
 * quotes: the form shared/domain/identity.ts `claimValues` reads), objects as `map[k:v …]` with
 * the keys in order (the Go-style text API Gateway has been seen to send for nested claims;
 * no function here reads one).
 */
export function apiGatewayClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map(apiGatewayClaimValue).join(' ')}]`;
  if (typeof value === 'object')
    return `map[${Object.keys(value)
      .sort()
      .map((key) => `${key}:${apiGatewayClaimValue((value as Record<string, unknown>)[key])}`)
      .join(' ')}]`;
  return String(value);
}

export function apiGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, apiGatewayClaimValue(value)]));
}

/** The token's scopes: `scope` (space-separated, RFC 8693) or `scp` (a list or a string). */
export function scopesOf(payload: JWTPayload): string[] {
  const written = payload.scope ?? payload.scp;
  if (Array.isArray(written)) return written.filter((s): s is string => typeof s === 'string');
  return typeof written === 'string' ? written.split(' ').filter(Boolean) : [];
}

export class JwtAuthorizer {
  private keys?: Promise<JWTVerifyGetKey>;

  constructor(private readonly options: JwtAuthorizerOptions) {}

  /** The issuer's key set, found through its discovery document; a failed look is tried again next time. */
  private keySet(): Promise<JWTVerifyGetKey> {
    if (this.options.jwks) return Promise.resolve(this.options.jwks);
    if (!this.keys) {
      this.keys = (async () => {
        const response = await fetch(`${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
        if (!response.ok) throw new Error(`the issuer's discovery document answered ${response.status}`);
        const { jwks_uri } = (await response.json()) as { jwks_uri?: string };
        if (!jwks_uri) throw new Error('the discovery document names no jwks_uri');
        return createRemoteJWKSet(new URL(jwks_uri), { cacheMaxAge: 2 * 60 * 60 * 1000 });
      })();
      this.keys.catch(() => {
        this.keys = undefined;
      });
    }
    return this.keys;
  }

  /**
   * Verifies the identity source (the Authorization header's value) for a route requiring
   * `routeScopes` (none: any valid token).
   */
  async authorize(identitySource: string | undefined, routeScopes: readonly string[] = []): Promise<Authorization> {
    const refuse = (description?: string): Authorization => ({ ok: false, reply: unauthorized(description) });
    const source = identitySource?.trim();
    if (!source) return refuse();
    const token = /^bearer\s+/i.test(source) ? source.replace(/^bearer\s+/i, '') : source;
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return refuse('the token could not be decoded');
    }
    if (!kid) return refuse('the token has no kid');
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.keySet();
    } catch (error) {
      // API Gateway refuses too when it cannot reach the issuer's keys.
      return refuse(`the issuer's keys could not be fetched (${(error as Error).message})`);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [...RSA_ALGORITHMS],
        issuer: this.options.issuer,
        requiredClaims: ['exp'],
        ...(this.options.now ? { currentDate: this.options.now() } : {}),
      }));
    } catch (error) {
      return refuse(describe(error));
    }
    const now = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now) return refuse('the token was issued in the future');
    const audiences = payload.aud === undefined ? undefined : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    // API Gateway reads client_id only when the token has no aud at all.
    const presented = audiences ?? (typeof payload.client_id === 'string' ? [payload.client_id] : []);
    if (!presented.some((a) => this.options.audience.includes(a))) return refuse('the token does not have a valid audience');
    const scopes = scopesOf(payload);
    if (routeScopes.length > 0 && !scopes.some((s) => routeScopes.includes(s))) return refuse('the token does not have the required scope');
    return { ok: true, jwt: { claims: apiGatewayClaims(payload), scopes: routeScopes.length > 0 ? scopes : null } };
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'the token does not have a valid issuer';
    if (error.claim === 'nbf') return 'the token is not valid yet';
    return `the token's ${error.claim} claim is not valid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with an RSA algorithm';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the token kid';
  return 'the token is not valid';
}
