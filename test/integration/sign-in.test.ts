/**
 * Signing in on the twin and the twin's API verifying tokens as API Gateway's JWT authorizer does:
 * every seeded account gets real tokens through the real sign-in page (and through the device
 * flow the CLI uses), and the API refuses — with API Gateway's own 401 — no token, garbage, a
 * tampered token, another issuer's token, an expired token and a token for another audience.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalFromClaims } from '#domain/identity.ts';
import { TWIN_ACCOUNTS } from '#twin/accounts.ts';
import { type ApiHandler, TwinHttpApi } from '#twin/http-api.ts';
import { JwtAuthorizer } from '#twin/jwt-authorizer.ts';
import { API_AUDIENCE, TwinOidcProvider } from '#twin/oidc.ts';
import { bearer, completeDeviceSignIn, pollDeviceTokens, refresh, signIn, startDeviceSignIn } from '../support/sign-in.ts';
import { useTwin } from '../support/twin.ts';

const twin = useTwin();
/** Any role may read the receipt key: the route that tells "let in" from "kept out" for everyone. */
const ANY_ROLE_ROUTE = '/receipt-key';

const call = (token?: string, headers: Record<string, string> = token ? bearer(token) : {}) => fetch(`${twin.apiUrl}${ANY_ROLE_ROUTE}`, { headers });

async function expectUnauthorized(response: Response, why?: RegExp) {
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer/);
  if (why) expect(challenge).toMatch(why);
}

/** A twin-like API of its own, in this process, whose query function records the event it is handed. */
async function watchedApi(issuer: string) {
  const events: APIGatewayProxyEventV2[] = [];
  const handler: ApiHandler = async (event) => {
    events.push(event);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"seen":true}' };
  };
  const api = new TwinHttpApi({
    issuer,
    audience: [API_AUDIENCE],
    loadHandler: async () => handler,
  });
  const url = await api.start();
  return { api, url, events };
}

describe('every seeded account signs in through the sign-in page and is let in', () => {
  it.each(TWIN_ACCOUNTS.map((a) => [a.username, a] as const))('%s', async (username, account) => {
    const tokens = await signIn(twin, username);

    const claims = decodeJwt(tokens.accessToken);
    expect(claims).toMatchObject({ iss: twin.issuer, aud: API_AUDIENCE, sub: username, client_id: 'evidence-cli', name: account.name, ...account.claims });
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(tokens.refreshToken).not.toBe('');
    expect((await call(tokens.accessToken)).status).toBe(200);
  });

  it('the web client signs in the same way, back to a redirect URI under the twin API', async () => {
    const tokens = await signIn(twin, 'dept-jiangxi', undefined, 'evidence-web');

    expect(decodeJwt(tokens.accessToken)).toMatchObject({ client_id: 'evidence-web', aud: API_AUDIENCE, evidence_role: 'department' });
    expect(decodeJwt(tokens.idToken)).toMatchObject({ aud: 'evidence-web', name: '江西省生态环境厅', jurisdiction: '360000' });
    expect((await call(tokens.accessToken)).status).toBe(200);
  });

  it('a wrong password is refused on the page, with a plain message', async () => {
    await expect(signIn(twin, 'clerk', 'not-the-password')).rejects.toThrow(/用户名或密码不正确。\/ The username or password is not right/);
    await expect(signIn(twin, 'nobody')).rejects.toThrow(/用户名或密码不正确/);
  });

  it('a refresh token gets a new access token that is let in', async () => {
    const first = await signIn(twin, 'reviewer-jiangxi');
    const renewed = await refresh(twin, first.refreshToken);

    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(decodeJwt(renewed.accessToken)).toMatchObject({ sub: 'reviewer-jiangxi', review_level: 'province' });
    expect((await call(renewed.accessToken)).status).toBe(200);
  });

  it('the token alone, without the Bearer prefix, is accepted as API Gateway accepts it', async () => {
    const { accessToken } = await signIn(twin, 'admin');
    expect((await call(undefined, { authorization: accessToken })).status).toBe(200);
  });
});

describe('the device flow (what `evidence login` does)', () => {
  it('a person opens the link, confirms the code and signs in; the polling device gets tokens that are let in', async () => {
    const started = await startDeviceSignIn(twin);
    expect(started.verificationUriComplete).toContain(started.userCode);
    // Before the person acts, the device hears "pending".
    await expect(pollDeviceTokens(twin, started.deviceCode, { timeoutMs: 0 })).rejects.toThrow(/authorization_pending/);

    await completeDeviceSignIn(started.verificationUriComplete, 'reviewer-nanchang');
    const tokens = await pollDeviceTokens(twin, started.deviceCode);

    expect(decodeJwt(tokens.accessToken)).toMatchObject({ sub: 'reviewer-nanchang', aud: API_AUDIENCE, jurisdiction: '360100' });
    expect((await call(tokens.accessToken)).status).toBe(200);
  });
});

describe('the API refuses, as API Gateway does, before any function runs', () => {
  it('no token → 401', async () => {
    await expectUnauthorized(await call());
  });

  it('`Bearer garbage` → 401', async () => {
    await expectUnauthorized(await call(undefined, { authorization: 'Bearer garbage' }), /invalid_token/);
  });

  it('a tampered token (one claim changed, the signature kept) → 401', async () => {
    const { accessToken } = await signIn(twin, 'clerk');
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = [header, Buffer.from(JSON.stringify({ ...claims, evidence_role: 'administrator' })).toString('base64url'), signature].join('.');

    await expectUnauthorized(await call(tampered), /signature/);
    // The untampered token still works: it is the change that is refused.
    expect((await call(accessToken)).status).toBe(200);
  });

  it('an ID token (same issuer, same keys, but for the client, not the API) → 401: not a valid audience', async () => {
    const { idToken } = await signIn(twin, 'dept-nanchang');
    expect(decodeJwt(idToken).aud).toBe('evidence-cli');

    await expectUnauthorized(await call(idToken), /audience/);
  });

  describe('a token from another issuer', () => {
    let other: TwinOidcProvider;
    beforeAll(async () => {
      // Same accounts, same clients, its own keys and its own issuer URL.
      other = await TwinOidcProvider.start();
    });
    afterAll(() => other.stop());

    it('→ 401', async () => {
      const { accessToken } = await signIn(other, 'admin');
      expect(decodeJwt(accessToken)).toMatchObject({ iss: other.issuer, aud: API_AUDIENCE, evidence_role: 'administrator' });

      await expectUnauthorized(await call(accessToken), /invalid_token/);
    });
  });

  describe('an expired token', () => {
    let shortLived: TwinOidcProvider;
    let watched: Awaited<ReturnType<typeof watchedApi>>;
    beforeAll(async () => {
      // A provider whose access tokens live one second, and an API that trusts it.
      shortLived = await TwinOidcProvider.start({ accessTokenTtlSeconds: 1 });
      watched = await watchedApi(shortLived.issuer);
    });
    afterAll(async () => {
      await watched.api.stop();
      await shortLived.stop();
    });

    it('is let in while it lives and refused (401) once its exp has passed', async () => {
      const { accessToken } = await signIn(shortLived, 'clerk');
      const { exp = 0 } = decodeJwt(accessToken);
      const get = () => fetch(`${watched.url}${ANY_ROLE_ROUTE}`, { headers: bearer(accessToken) });
      expect((await get()).status).toBe(200);

      // exp is in whole seconds: wait until the clock is past it (at most ~2 s).
      await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
      await expectUnauthorized(await get(), /expired/);
    });
  });
});

describe('what reaches the function', () => {
  let watched: Awaited<ReturnType<typeof watchedApi>>;
  beforeAll(async () => {
    watched = await watchedApi(twin.issuer);
  });
  afterAll(() => watched.api.stop());

  it('the claims as API Gateway passes them: every value a string, under requestContext.authorizer.jwt, no route scopes', async () => {
    const { accessToken } = await signIn(twin, 'reviewer-nanchang');

    const response = await fetch(`${watched.url}${ANY_ROLE_ROUTE}`, { headers: bearer(accessToken) });

    expect(response.status).toBe(200);
    const jwt = (watched.events.at(-1) as APIGatewayProxyEventV2WithJWTAuthorizer | undefined)?.requestContext.authorizer.jwt;
    expect(jwt?.scopes).toBeNull();
    const claims = jwt?.claims ?? {};
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
    expect(claims).toMatchObject({
      iss: twin.issuer,
      aud: API_AUDIENCE,
      sub: 'reviewer-nanchang',
      client_id: 'evidence-cli',
      scope: 'evidence',
      evidence_role: 'reviewer',
      review_level: 'city',
      jurisdiction: '360100',
      name: '南昌市审核员',
      exp: expect.stringMatching(/^\d{10}$/),
      iat: expect.stringMatching(/^\d{10}$/),
    });
    // And the HTTP boundary reads the person from them.
    expect(principalFromClaims(claims)).toEqual({
      ok: true,
      principal: {
        subject: 'reviewer-nanchang',
        name: '南昌市审核员',
        role: 'reviewer',
        level: 'city',
        jurisdiction: { kind: 'city', code: '360100', province: '360000' },
      },
    });
  });

  it('a refused request never reaches it', async () => {
    const before = watched.events.length;
    await expectUnauthorized(await fetch(`${watched.url}${ANY_ROLE_ROUTE}`));
    expect(watched.events.length).toBe(before);
  });
});

describe('the provider keeps its keys in the data dir', () => {
  it('a token issued before a restart still verifies after it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'evidence-oidc-'));
    try {
      const first = await TwinOidcProvider.start({ dataDir });
      const { accessToken } = await signIn(first, 'clerk');
      const port = new URL(first.issuer).port;
      await first.stop();
      // Let this process's fetch see the old server's sockets close (a restarted twin is a new process).
      await new Promise((r) => setTimeout(r, 100));

      const again = await TwinOidcProvider.start({ dataDir, port: Number(port) });
      try {
        expect(again.issuer).toBe(first.issuer);
        const verified = await new JwtAuthorizer({ issuer: again.issuer, audience: [API_AUDIENCE] }).authorize(`Bearer ${accessToken}`);
        expect(verified.ok ? 'verified' : verified.reply.headers['www-authenticate']).toBe('verified');
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
