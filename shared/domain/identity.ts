/**
 * Who a person is, read from the claims of a token the API's JWT authorizer verified (in the
 * cloud API Gateway's, on the twin the twin's: the same checks). Pure: claims and the deployment's
 * claim mapping go in, a principal or the reason there is none comes out.
 *
 * Issuers name things differently — Cognito puts roles in `cognito:groups` and attributes under
 * `custom:`, Keycloak in a roles claim a mapper names — so the claim names and the values that
 * mean each role are configuration (ClaimMapping), never code.
 */
import { z } from 'zod';
import { type ReviewLevel, ReviewLevelSchema } from './attempt.ts';
import { cityCodeOf, divisionName, provinceCodeOf, provinceOfCity } from './provinces.ts';
import { isValidCreditCode } from './registry.ts';

/** The people-facing roles. */
export const RoleSchema = z.enum(['enterprise', 'reviewer', 'department', 'administrator']);
export type Role = z.infer<typeof RoleSchema>;

/** A GB/T 2260 code: a province (`360000`) or a prefecture-level city (`360100`). */
export type Jurisdiction = { readonly kind: 'province'; readonly code: string } | { readonly kind: 'city'; readonly code: string; readonly province: string };

interface Person {
  /** The issuer's stable id for the person (`sub`). */
  readonly subject: string;
  /** What the person is called, for decisions and logs (name, else preferred_username, else sub). */
  readonly name: string;
}

/** A caller: a person with a role, or a machine that IAM (SigV4) authorised route by route. */
export type Principal =
  | (Person & { readonly role: 'enterprise'; readonly enterpriseId: string })
  | (Person & { readonly role: 'reviewer'; readonly level: ReviewLevel; readonly jurisdiction: Jurisdiction })
  | (Person & { readonly role: 'department'; readonly jurisdiction: Jurisdiction })
  | (Person & { readonly role: 'administrator' })
  /** An IAM principal (an operator, an integration): its identity policy names the routes it may call. */
  | { readonly role: 'machine'; readonly subject: string; readonly name: string };

export type PrincipalRole = Principal['role'];

/** Which claims carry what. Defaults are the twin's issuer's names. */
export const ClaimMappingSchema = z
  .object({
    /** The claim holding the role (a string, or a list such as `cognito:groups`). */
    role: z.string().min(1).default('evidence_role'),
    /** The claim value that means each role, where the issuer's differ (e.g. a group `evidence-reviewers`). */
    roleValues: z.partialRecord(RoleSchema, z.string().min(1)).default({}),
    /** The enterprise's unified social credit code. */
    enterpriseId: z.string().min(1).default('credit_code'),
    /** A reviewer's level: `city` or `province` (or 市级 / 省级). */
    level: z.string().min(1).default('review_level'),
    /** A reviewer's or department's jurisdiction: a GB/T 2260 code or a place's name. */
    jurisdiction: z.string().min(1).default('jurisdiction'),
    /** The person's display name. */
    name: z.string().min(1).default('name'),
  })
  .strict();
export type ClaimMapping = z.infer<typeof ClaimMappingSchema>;
export const DEFAULT_CLAIM_MAPPING: ClaimMapping = ClaimMappingSchema.parse({});

/** Claims as a verified token carries them, or as API Gateway hands them on (every value a string). */
export type Claims = Readonly<Record<string, unknown>>;

export type PrincipalReading = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly message: { zh: string; en: string } };

/**
 * A claim's values. API Gateway's JWT authorizer passes every claim as a string, a list as
 * `[a b c]`; a verified token on its own carries a JSON array. Both read the same.
 */
export function claimValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return claimValues(parsed);
    } catch {
      // API Gateway's form, `[a b]`: space-separated.
    }
    return text
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return text ? [text] : [];
}

const first = (claims: Claims, name: string) => claimValues(claims[name])[0];

/** A jurisdiction as written in a claim: a code (`360100`) or a name (`南昌市`, `江西`). */
export function jurisdictionOf(written: string): Jurisdiction | undefined {
  const text = written.trim();
  // A code names its own level: 360000 a province, 360100 a city (a county's code is neither).
  const isCode = /^\d{6}$/.test(text);
  const province = isCode ? (text.endsWith('0000') ? provinceCodeOf(text) : undefined) : provinceCodeOf(text);
  if (province) return { kind: 'province', code: province };
  const city = isCode ? (text.endsWith('00') && divisionName(text) ? cityCodeOf(text) : undefined) : cityCodeOf(text);
  if (city) return { kind: 'city', code: city, province: provinceOfCity(city) };
  return undefined;
}

const LEVELS: Record<string, ReviewLevel> = { city: 'city', province: 'province', 市级: 'city', 省级: 'province' };

const missing = (claim: string, what: { zh: string; en: string }): { ok: false; message: { zh: string; en: string } } => ({
  ok: false,
  message: { zh: `令牌缺少${what.zh}（声明 ${claim}）`, en: `the token carries no ${what.en} (claim ${claim})` },
});

/** The principal a verified token's claims describe, by the deployment's mapping. */
export function principalFromClaims(claims: Claims, mapping: ClaimMapping = DEFAULT_CLAIM_MAPPING): PrincipalReading {
  const subject = first(claims, 'sub');
  if (!subject) return missing('sub', { zh: '主体', en: 'subject' });
  const name = first(claims, mapping.name) ?? first(claims, 'preferred_username') ?? subject;
  const held = new Set(claimValues(claims[mapping.role]));
  // The first role, in RoleSchema's order, that the token holds: a person with two roles signs in as each separately.
  const role = RoleSchema.options.find((r) => held.has(mapping.roleValues[r] ?? r));
  if (!role)
    return {
      ok: false,
      message: {
        zh: `令牌未授予本系统的角色（声明 ${mapping.role}）`,
        en: `the token grants no role of this system (claim ${mapping.role}: enterprise, reviewer, department or administrator)`,
      },
    };
  const person = { subject, name };
  switch (role) {
    case 'enterprise': {
      const enterpriseId = first(claims, mapping.enterpriseId)?.toUpperCase();
      if (!enterpriseId) return missing(mapping.enterpriseId, { zh: '统一社会信用代码', en: 'credit code' });
      if (!isValidCreditCode(enterpriseId))
        return {
          ok: false,
          message: { zh: `令牌中的统一社会信用代码 ${enterpriseId} 无效`, en: `the token's credit code ${enterpriseId} is not a valid credit code` },
        };
      return { ok: true, principal: { ...person, role, enterpriseId } };
    }
    case 'reviewer': {
      const written = first(claims, mapping.level);
      const level = written === undefined ? undefined : (LEVELS[written] ?? ReviewLevelSchema.safeParse(written).data);
      if (!level) return missing(mapping.level, { zh: '审核级别（city 或 province）', en: 'review level (city or province)' });
      const jurisdiction = jurisdictionFrom(claims, mapping);
      if (!jurisdiction.ok) return jurisdiction;
      if (jurisdiction.value.kind !== level)
        return {
          ok: false,
          message: {
            zh: `审核级别 ${level} 与管辖范围 ${jurisdiction.value.code} 不符（市级审核人管辖一个市，省级审核人管辖一个省）`,
            en: `review level ${level} does not match jurisdiction ${jurisdiction.value.code} (a city reviewer has a city, a provincial reviewer a province)`,
          },
        };
      return { ok: true, principal: { ...person, role, level, jurisdiction: jurisdiction.value } };
    }
    case 'department': {
      const jurisdiction = jurisdictionFrom(claims, mapping);
      if (!jurisdiction.ok) return jurisdiction;
      return { ok: true, principal: { ...person, role, jurisdiction: jurisdiction.value } };
    }
    case 'administrator':
      return { ok: true, principal: { ...person, role } };
  }
}

function jurisdictionFrom(claims: Claims, mapping: ClaimMapping): { ok: true; value: Jurisdiction } | { ok: false; message: { zh: string; en: string } } {
  const written = first(claims, mapping.jurisdiction);
  if (!written) return missing(mapping.jurisdiction, { zh: '管辖范围', en: 'jurisdiction' });
  const jurisdiction = jurisdictionOf(written);
  if (!jurisdiction)
    return {
      ok: false,
      message: { zh: `令牌中的管辖范围 ${written} 不是省或地级市`, en: `the token's jurisdiction ${written} names no province or prefecture-level city` },
    };
  return { ok: true, value: jurisdiction };
}

/** The scope (as summaries are keyed) a jurisdiction reads: `province:360000`, `city:360100`. */
export function scopeOfJurisdiction(jurisdiction: Jurisdiction): string {
  return `${jurisdiction.kind}:${jurisdiction.code}`;
}
