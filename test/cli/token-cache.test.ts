/**
 * The sign-in cache and the session over it: a file only its owner reads, one entry per issuer and
 * client, a token refreshed when it has expired — against a local OpenID provider stand-in
 * (discovery and a token endpoint), through openid-client as `evidence` uses it.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jwtExpiry, Session } from '#cli/auth/session.ts';
import type { SignInSettings } from '#cli/auth/settings.ts';
import { type CachedTokens, configDir, TokenCache } from '#cli/auth/token-cache.ts';
import { EXIT } from '#cli/exit-codes.ts';

const unsignedJwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

/** A token endpoint that refreshes `r1` (and only it) to a new set, and counts what it was asked. */
class FakeIssuer {
  server!: Server;
  issuer = '';
  readonly grants: URLSearchParams[] = [];

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const reply = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.url === '/.well-known/openid-configuration')
        return reply(200, {
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/auth`,
          token_endpoint: `${this.issuer}/token`,
          jwks_uri: `${this.issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      if (request.url === '/token' && request.method === 'POST') {
        let body = '';
        request.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        request.on('end', () => {
          const form = new URLSearchParams(body);
          this.grants.push(form);
          if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'r1')
            return reply(200, { access_token: 'access-2', refresh_token: 'r2', expires_in: 900, token_type: 'Bearer', scope: 'openid evidence' });
          return reply(400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
        });
        return;
      }
      reply(404, { error: 'not_found' });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

const fake = new FakeIssuer();
let dir: string;

beforeAll(() => fake.start());
afterAll(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evidence-tokens-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

const NOW = new Date('2026-03-12T02:00:00Z');
const tokensAt = (issuer: string, clientId: string, extra: Partial<CachedTokens> = {}): CachedTokens => ({
  issuer,
  clientId,
  accessToken: 'access-1',
  refreshToken: 'r1',
  expiresAt: NOW.getTime() + 600_000,
  savedAt: NOW.toISOString(),
  ...extra,
});
const settingsOf = (extra: Partial<SignInSettings> = {}): SignInSettings => ({
  target: 'twin',
  issuer: fake.issuer,
  clientId: 'evidence-cli',
  apiUrl: 'http://127.0.0.1:1/',
  tokenUse: 'access',
  redirectHost: '127.0.0.1',
  scope: 'openid evidence offline_access',
  ...extra,
});

describe('the token cache', () => {
  it('writes tokens.json readable by its owner only (0600, in a 0700 directory)', () => {
    const cache = new TokenCache(join(dir, 'evidence'));

    cache.put(tokensAt('https://issuer.test', 'evidence-cli'));

    expect(cache.path).toBe(join(dir, 'evidence', 'tokens.json'));
    expect(statSync(cache.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'evidence')).mode & 0o777).toBe(0o700);
  });

  it('keeps one entry per issuer and client: the twin’s and the cloud’s sign-ins side by side', () => {
    const cache = new TokenCache(dir);

    cache.put(tokensAt('http://127.0.0.1:4570', 'evidence-cli', { accessToken: 'twin' }));
    cache.put(tokensAt('https://cognito-idp.cn-north-1.amazonaws.com.cn/pool', 'abc123', { accessToken: 'cloud' }));
    cache.put(tokensAt('http://127.0.0.1:4570', 'evidence-cli', { accessToken: 'twin-again' }));

    expect(cache.get('http://127.0.0.1:4570', 'evidence-cli')?.accessToken).toBe('twin-again');
    expect(cache.get('https://cognito-idp.cn-north-1.amazonaws.com.cn/pool', 'abc123')?.accessToken).toBe('cloud');
    expect(cache.get('http://127.0.0.1:4570', 'abc123')).toBeUndefined();
    expect(Object.keys((JSON.parse(readFileSync(cache.path, 'utf8')) as { entries: object }).entries)).toHaveLength(2);
  });

  it('forgets one sign-in, and the file with the last', () => {
    const cache = new TokenCache(dir);
    cache.put(tokensAt('a', 'c'));
    cache.put(tokensAt('b', 'c'));

    expect(cache.delete('a', 'c')).toBe(true);
    expect(cache.delete('a', 'c')).toBe(false);
    expect(cache.get('b', 'c')).toBeDefined();
    expect(cache.delete('b', 'c')).toBe(true);
    expect(() => statSync(cache.path)).toThrow();
  });

  it('reads a damaged file as signed out, and writes a good one over it', () => {
    const cache = new TokenCache(dir);
    writeFileSync(cache.path, '{ not json', { mode: 0o644 });

    expect(cache.get('a', 'c')).toBeUndefined();
    cache.put(tokensAt('a', 'c'));
    expect(cache.get('a', 'c')?.accessToken).toBe('access-1');
    expect(statSync(cache.path).mode & 0o777).toBe(0o600);
  });

  it('lives in EVIDENCE_CONFIG_DIR when set, else in the user’s config directory under evidence/', () => {
    expect(configDir({ EVIDENCE_CONFIG_DIR: '/tmp/x' })).toBe('/tmp/x');
    expect(configDir({})).toMatch(/evidence$/);
  });
});

describe('the session', () => {
  it('without a sign-in: "sign in first", exit 7', async () => {
    const session = new Session(settingsOf(), { cache: new TokenCache(dir), now: () => NOW });

    await expect(session.token()).rejects.toMatchObject({
      exitCode: EXIT.signIn,
      message: expect.stringContaining('请先登录 / sign in first: evidence login'),
    });
  });

  it('sends a token that has not expired as it is, asking the issuer nothing', async () => {
    const cache = new TokenCache(dir);
    cache.put(tokensAt(fake.issuer, 'evidence-cli'));
    const before = fake.grants.length;

    expect(await new Session(settingsOf(), { cache, now: () => NOW }).token()).toBe('access-1');
    expect(fake.grants.length).toBe(before);
  });

  it('refreshes an expired token with the refresh token and keeps the new set, still 0600', async () => {
    const cache = new TokenCache(dir);
    cache.put(tokensAt(fake.issuer, 'evidence-cli', { expiresAt: NOW.getTime() - 1000, idToken: 'id-1' }));

    const token = await new Session(settingsOf(), { cache, now: () => NOW }).token();

    expect(token).toBe('access-2');
    const grant = fake.grants.at(-1);
    expect(grant?.get('grant_type')).toBe('refresh_token');
    expect(grant?.get('client_id')).toBe('evidence-cli');
    expect(cache.get(fake.issuer, 'evidence-cli')).toMatchObject({
      accessToken: 'access-2',
      refreshToken: 'r2',
      // Not returned by the refresh: kept.
      idToken: 'id-1',
      expiresAt: NOW.getTime() + 900_000,
    });
    expect(statSync(cache.path).mode & 0o777).toBe(0o600);
  });

  it('refreshes shortly before the expiry too, not only after', async () => {
    const cache = new TokenCache(dir);
    cache.put(tokensAt(fake.issuer, 'evidence-cli', { expiresAt: NOW.getTime() + 10_000 }));

    expect(await new Session(settingsOf(), { cache, now: () => NOW }).token()).toBe('access-2');
  });

  it('a refresh token the issuer refuses: "the sign-in has expired", sign in first, exit 7', async () => {
    const cache = new TokenCache(dir);
    cache.put(tokensAt(fake.issuer, 'evidence-cli', { expiresAt: NOW.getTime() - 1000, refreshToken: 'revoked' }));

    await expect(new Session(settingsOf(), { cache, now: () => NOW }).token()).rejects.toMatchObject({
      exitCode: EXIT.signIn,
      message: expect.stringContaining('the sign-in has expired'),
    });
  });

  it('sends the ID token where the deployment takes it (EVIDENCE_TOKEN_USE=id), by the ID token’s own expiry', async () => {
    const cache = new TokenCache(dir);
    const idToken = unsignedJwt({ sub: 'clerk', exp: NOW.getTime() / 1000 + 3600 });
    // The access token's expiry does not matter here.
    cache.put(tokensAt(fake.issuer, 'evidence-cli', { idToken, expiresAt: NOW.getTime() - 1000 }));

    expect(await new Session(settingsOf({ tokenUse: 'id' }), { cache, now: () => NOW }).token()).toBe(idToken);
    expect(jwtExpiry(idToken)).toBe(NOW.getTime() + 3_600_000);
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
  });
});
