/**
 * The twin's JWT authorizer, rule by rule, with tokens signed here by a key set of its own: the
 * claims as API Gateway passes them on (strings), and each check of API Gateway's documented
 * workflow refusing what it refuses. The real provider's tokens are in test/integration/sign-in.test.ts.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimValues } from '#domain/identity.ts';
import { apiGatewayClaims, apiGatewayClaimValue, JwtAuthorizer, scopesOf, unauthorized } from '#twin/jwt-authorizer.ts';

const ISSUER = 'https://issuer.example';
const NOW = new Date('2026-12-01T00:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

let sign: (claims: JWTPayload, header?: { alg?: string; kid?: string | null }) => Promise<string>;
let authorizer: JwtAuthorizer;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const { privateKey: ecKey, publicKey: ecPublic } = await generateKeyPair('ES256');
  const jwks = createLocalJWKSet({
    keys: [
      { ...(await exportJWK(publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ecPublic)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ],
  });
  authorizer = new JwtAuthorizer({ issuer: ISSUER, audience: ['evidence-api'], jwks, now: () => NOW });
  sign = async (claims, { alg = 'RS256', kid = alg === 'ES256' ? 'ec-1' : 'rsa-1' } = {}) =>
    new SignJWT({ iss: ISSUER, aud: 'evidence-api', sub: 'clerk', iat: nowSeconds - 10, exp: nowSeconds + 600, ...claims })
      .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
      .sign(alg === 'ES256' ? ecKey : privateKey);
});

const refusal = async (token: string) => {
  const result = await authorizer.authorize(`Bearer ${token}`);
  return result.ok ? 'let in' : result.reply.headers['www-authenticate'];
};

describe('claims as API Gateway passes them to the function', () => {
  it('turns every claim into a string: numbers and booleans as their text, lists as [a b], objects as map[k:v]', () => {
    expect(
      apiGatewayClaims({
        sub: 'clerk',
        exp: 1796169081,
        email_verified: true,
        groups: ['evidence-reviewers', 'staff'],
        address: { locality: '南昌', country: 'CN' },
      }),
    ).toEqual({
      sub: 'clerk',
      exp: '1796169081',
      email_verified: 'true',
      groups: '[evidence-reviewers staff]',
      address: 'map[country:CN locality:南昌]',
    });
  });

  it('writes lists in the form the identity reader takes apart again', () => {
    expect(claimValues(apiGatewayClaimValue(['reviewer', 'department']))).toEqual(['reviewer', 'department']);
    expect(apiGatewayClaimValue([])).toBe('[]');
  });

  it('reads scopes from scope (space-separated) or scp (a list)', () => {
    expect(scopesOf({ scope: 'evidence openid' })).toEqual(['evidence', 'openid']);
    expect(scopesOf({ scp: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(scopesOf({})).toEqual([]);
  });

  it('hands the claims on under jwt with scopes null when the route requires none', async () => {
    const result = await authorizer.authorize(`Bearer ${await sign({ evidence_role: 'enterprise', scope: 'evidence' })}`);

    expect(result).toEqual({
      ok: true,
      jwt: {
        claims: expect.objectContaining({ iss: ISSUER, aud: 'evidence-api', evidence_role: 'enterprise', exp: String(nowSeconds + 600), scope: 'evidence' }),
        scopes: null,
      },
    });
  });
});

describe('what the authorizer refuses, with API Gateway’s 401', () => {
  it('answers {"message":"Unauthorized"} with a Bearer challenge', () => {
    expect(unauthorized('the token has expired')).toEqual({
      statusCode: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer scope="" error="invalid_token" error_description="the token has expired"' },
      body: '{"message":"Unauthorized"}',
    });
  });

  it('no identity source at all', async () => {
    expect(await authorizer.authorize(undefined)).toEqual({ ok: false, reply: unauthorized() });
    expect((await authorizer.authorize('  ')).ok).toBe(false);
  });

  it('accepts the token with or without the Bearer prefix', async () => {
    const token = await sign({});
    expect((await authorizer.authorize(token)).ok).toBe(true);
    expect((await authorizer.authorize(`Bearer ${token}`)).ok).toBe(true);
  });

  it.each<[string, JWTPayload, RegExp]>([
    ['another issuer', { iss: 'https://elsewhere.example' }, /valid issuer/],
    ['another audience', { aud: 'another-api' }, /valid audience/],
    ['an aud that is not ours even with our client_id (aud is read when present)', { aud: 'another-api', client_id: 'evidence-api' }, /valid audience/],
    ['an expired token', { exp: nowSeconds - 1 }, /expired/],
    ['a token that expires this very second', { exp: nowSeconds }, /expired/],
    ['a token not valid yet (nbf)', { nbf: nowSeconds + 60 }, /not valid yet/],
    ['a token issued in the future (iat)', { iat: nowSeconds + 60 }, /future/],
    ['a token without exp', { exp: undefined }, /exp/],
  ])('%s', async (_, claims, why) => {
    expect(await refusal(await sign(claims))).toMatch(why);
  });

  it('lets in a token without aud whose client_id is an audience, as API Gateway does', async () => {
    expect(await refusal(await sign({ aud: undefined, client_id: 'evidence-api' }))).toBe('let in');
    expect(await refusal(await sign({ aud: undefined, client_id: 'evidence-cli' }))).toMatch(/valid audience/);
  });

  it('lets in an aud list holding one of the audiences', async () => {
    expect(await refusal(await sign({ aud: ['other', 'evidence-api'] }))).toBe('let in');
  });

  it('refuses a token that is not RSA-signed, even by a key of the set', async () => {
    expect(await refusal(await sign({}, { alg: 'ES256' }))).toMatch(/RSA/);
  });

  it('refuses a token whose header names no kid, or a kid not in the set', async () => {
    expect(await refusal(await sign({}, { kid: null }))).toMatch(/no kid/);
    expect(await refusal(await sign({}, { kid: 'rotated-away' }))).toMatch(/kid/);
  });

  it('refuses a changed payload under the old signature', async () => {
    const [header, payload, signature] = (await sign({ evidence_role: 'enterprise' })).split('.');
    const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), evidence_role: 'administrator' })).toString(
      'base64url',
    );
    expect(await refusal([header, changed, signature].join('.'))).toMatch(/signature/);
  });

  it('refuses what is not a JWT', async () => {
    expect(await refusal('garbage')).toMatch(/decoded/);
  });

  it('requires one of the route’s scopes when the route names any, and then passes the token’s scopes on', async () => {
    const token = await sign({ scope: 'evidence read' });
    expect(await authorizer.authorize(`Bearer ${token}`, ['admin'])).toMatchObject({ ok: false });
    expect(await authorizer.authorize(`Bearer ${token}`, ['read'])).toMatchObject({ ok: true, jwt: { scopes: ['evidence', 'read'] } });
  });
});
