import { describe, expect, it } from 'vitest';
import { ClaimMappingSchema, claimValues, jurisdictionOf, principalFromClaims } from '#domain/identity.ts';

const COGNITO = ClaimMappingSchema.parse({
  role: 'cognito:groups',
  roleValues: { reviewer: 'evidence-reviewers' },
  enterpriseId: 'custom:credit_code',
  level: 'custom:review_level',
  jurisdiction: 'custom:jurisdiction',
});

describe('claim values', () => {
  it('reads a list the way API Gateway passes it on: a string "[a b]"', () => {
    expect(claimValues('[enterprise reviewer]')).toEqual(['enterprise', 'reviewer']);
  });

  it('reads a JSON array, a JSON array in a string, a number and a plain string', () => {
    expect(claimValues(['a', 'b'])).toEqual(['a', 'b']);
    expect(claimValues('["a","b"]')).toEqual(['a', 'b']);
    expect(claimValues(360100)).toEqual(['360100']);
    expect(claimValues(' reviewer ')).toEqual(['reviewer']);
    expect(claimValues(undefined)).toEqual([]);
    expect(claimValues({ nested: true })).toEqual([]);
  });
});

describe('jurisdictions', () => {
  it('reads a province and a city by code and by name', () => {
    expect(jurisdictionOf('360000')).toEqual({ kind: 'province', code: '360000' });
    expect(jurisdictionOf('江西省')).toEqual({ kind: 'province', code: '360000' });
    expect(jurisdictionOf('360100')).toEqual({ kind: 'city', code: '360100', province: '360000' });
    expect(jurisdictionOf('南昌')).toEqual({ kind: 'city', code: '360100', province: '360000' });
  });

  it('names no jurisdiction for a county code or an unknown place', () => {
    expect(jurisdictionOf('360102')).toBeUndefined();
    expect(jurisdictionOf('亚特兰蒂斯')).toBeUndefined();
  });
});

describe('a principal from the claims', () => {
  it('makes an enterprise from its role and credit code', () => {
    const reading = principalFromClaims({ sub: 'u1', name: '填报员', evidence_role: 'enterprise', credit_code: '91360100ma35xxxxxn' });
    expect(reading).toEqual({ ok: true, principal: { role: 'enterprise', subject: 'u1', name: '填报员', enterpriseId: '91360100MA35XXXXXN' } });
  });

  it('refuses an enterprise token whose credit code fails its check character', () => {
    const reading = principalFromClaims({ sub: 'u1', evidence_role: 'enterprise', credit_code: '91360100MA35XXXXX1' });
    expect(reading.ok).toBe(false);
  });

  it('makes a city reviewer and a provincial reviewer, and refuses a level that does not fit the jurisdiction', () => {
    expect(principalFromClaims({ sub: 'r', evidence_role: 'reviewer', review_level: 'city', jurisdiction: '南昌市' })).toMatchObject({
      ok: true,
      principal: { role: 'reviewer', level: 'city', jurisdiction: { kind: 'city', code: '360100' } },
    });
    expect(principalFromClaims({ sub: 'r', evidence_role: 'reviewer', review_level: '省级', jurisdiction: '360000' })).toMatchObject({
      ok: true,
      principal: { role: 'reviewer', level: 'province', jurisdiction: { kind: 'province', code: '360000' } },
    });
    const mismatch = principalFromClaims({ sub: 'r', evidence_role: 'reviewer', review_level: 'province', jurisdiction: '360100' });
    expect(mismatch.ok).toBe(false);
  });

  it('refuses a reviewer without a level and a department without a jurisdiction, naming the claim', () => {
    const noLevel = principalFromClaims({ sub: 'r', evidence_role: 'reviewer', jurisdiction: '360100' });
    const noPlace = principalFromClaims({ sub: 'd', evidence_role: 'department' });
    expect(noLevel.ok ? '' : noLevel.message.en).toContain('review_level');
    expect(noPlace.ok ? '' : noPlace.message.en).toContain('jurisdiction');
  });

  it('refuses a token that grants no role of this system, and one without a subject', () => {
    expect(principalFromClaims({ sub: 'x', evidence_role: 'superuser' }).ok).toBe(false);
    expect(principalFromClaims({ evidence_role: 'administrator' }).ok).toBe(false);
  });

  it("reads Cognito's groups and custom attributes through the deployment's claim mapping", () => {
    const reading = principalFromClaims(
      { sub: 'c', 'cognito:groups': '[evidence-reviewers other]', 'custom:review_level': 'city', 'custom:jurisdiction': '360400', 'cognito:username': 'x' },
      COGNITO,
    );
    expect(reading).toMatchObject({ ok: true, principal: { role: 'reviewer', level: 'city', jurisdiction: { code: '360400' } } });
  });

  it('does not take a role by its plain name when the mapping renames it', () => {
    expect(principalFromClaims({ sub: 'c', 'cognito:groups': '[reviewer]', 'custom:review_level': 'city', 'custom:jurisdiction': '360400' }, COGNITO).ok).toBe(
      false,
    );
  });
});
