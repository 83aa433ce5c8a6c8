import { describe, expect, it } from 'vitest';
import { decideRuling, mayRead, type Place, scopeRuling } from '#domain/access.ts';
import { type Principal, principalFromClaims } from '#domain/identity.ts';
import { asAccount } from '#test/support/api-events.ts';
import { EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID } from '#twin/accounts.ts';

function principal(username: string): Principal {
  const caller = asAccount(username);
  if (typeof caller === 'string' || !('claims' in caller)) throw new Error('a person');
  const reading = principalFromClaims(caller.claims);
  if (!reading.ok) throw new Error(reading.message.en);
  return reading.principal;
}

const NANCHANG: Place = { enterpriseId: EXAMPLE_ENTERPRISE_ID, province: '360000', city: '360100' };
const JIUJIANG: Place = { enterpriseId: JIUJIANG_ENTERPRISE_ID, province: '360000', city: '360400' };
// An old record spelt its places; the rules read them as codes.
const NANCHANG_SPELT: Place = { enterpriseId: EXAMPLE_ENTERPRISE_ID, province: '江西', city: '南昌市' };
const MACHINE: Principal = { role: 'machine', subject: 'arn:aws:iam::1:role/x', name: 'arn:aws:iam::1:role/x' };

describe('who may read an enterprise', () => {
  it.each([
    ['clerk', NANCHANG, true],
    ['clerk', JIUJIANG, false],
    ['clerk-jiujiang', JIUJIANG, true],
    ['reviewer-nanchang', NANCHANG, true],
    ['reviewer-nanchang', NANCHANG_SPELT, true],
    ['reviewer-nanchang', JIUJIANG, false],
    ['reviewer-jiangxi', JIUJIANG, true],
    ['reviewer-hunan', NANCHANG, false],
    ['dept-jiangxi', JIUJIANG, true],
    ['dept-nanchang', JIUJIANG, false],
    ['dept-hunan', NANCHANG, false],
    ['admin', NANCHANG, false],
  ] as const)('%s reading %o: %s', (username, place, expected) => {
    expect(mayRead(principal(username), place)).toBe(expected);
  });

  it('lets a machine read any enterprise: its IAM policy decided', () => {
    expect(mayRead(MACHINE, JIUJIANG)).toBe(true);
  });
});

describe('who may decide', () => {
  it('lets the city reviewer decide its city’s first-level review, and no one else', () => {
    const cityLevel = { level: 'city' } as const;
    expect(decideRuling(principal('reviewer-nanchang'), NANCHANG, cityLevel).ok).toBe(true);
    expect(decideRuling(principal('reviewer-jiujiang'), NANCHANG, cityLevel).ok).toBe(false);
    expect(decideRuling(principal('reviewer-jiangxi'), NANCHANG, cityLevel).ok).toBe(false);
    expect(decideRuling(principal('dept-nanchang'), NANCHANG, cityLevel).ok).toBe(false);
    expect(decideRuling(principal('clerk'), NANCHANG, cityLevel).ok).toBe(false);
  });

  it('after an escalation only a provincial reviewer of that province decides', () => {
    const escalated = { level: 'province', escalatedBy: 'reviewer-nanchang' } as const;
    expect(decideRuling(principal('reviewer-nanchang'), NANCHANG, escalated)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(decideRuling(principal('reviewer-hunan'), NANCHANG, escalated).ok).toBe(false);
    expect(decideRuling(principal('reviewer-jiangxi'), NANCHANG, escalated).ok).toBe(true);
  });
});

describe('which summaries a caller reads', () => {
  it('gives a department its own jurisdiction when it names none', () => {
    expect(scopeRuling(principal('dept-jiangxi'), undefined)).toEqual({ ok: true, scope: 'province:360000' });
    expect(scopeRuling(principal('dept-nanchang'), undefined)).toEqual({ ok: true, scope: 'city:360100' });
  });

  it('lets a province read each of its cities, by code or name, and no other place', () => {
    expect(scopeRuling(principal('dept-jiangxi'), 'city:九江')).toEqual({ ok: true, scope: 'city:360400' });
    expect(scopeRuling(principal('dept-jiangxi'), 'city:430100').ok).toBe(false);
    expect(scopeRuling(principal('dept-jiangxi'), 'all').ok).toBe(false);
    expect(scopeRuling(principal('dept-jiangxi'), 'industry:power').ok).toBe(false);
  });

  it('keeps a city department to its city', () => {
    expect(scopeRuling(principal('dept-nanchang'), 'city:360100').ok).toBe(true);
    expect(scopeRuling(principal('dept-nanchang'), 'province:360000').ok).toBe(false);
    expect(scopeRuling(principal('dept-nanchang'), 'city:360400').ok).toBe(false);
  });

  it('refuses enterprises and administrators, and lets a machine read any scope', () => {
    expect(scopeRuling(principal('clerk'), undefined).ok).toBe(false);
    expect(scopeRuling(principal('admin'), undefined).ok).toBe(false);
    expect(scopeRuling(MACHINE, undefined)).toEqual({ ok: true, scope: 'all' });
  });
});
