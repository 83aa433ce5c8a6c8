/**
 * Who may see and do what, decided once, from the caller's principal (shared/domain/identity.ts)
 * and the place of what is asked for — never from a request body. Pure.
 *
 * - An enterprise reaches only its own deposits.
 * - A reviewer sees the attempts in its jurisdiction and decides only those waiting at its level:
 *   a city reviewer its city's first-level reviews, a provincial reviewer its province's
 *   escalated ones (so after an escalation only a provincial reviewer decides).
 * - A department reads only its jurisdiction (its province, or its city).
 * - An administrator keeps the registry and reads no deposits.
 * - A machine (IAM) caller was authorised route by route by its identity policy, which is the
 *   whole of that decision (an enterprise's own policy puts its tag in the path).
 *
 * What lies outside a caller's reach is answered as if it did not exist where the caller names it
 * only by an opaque id (an attempt: 404), and as forbidden where the caller named the place itself
 * (an enterprise's path, a scope: 403).
 */
import type { ReviewLevel } from './attempt.ts';
import { type Jurisdiction, type Principal, scopeOfJurisdiction } from './identity.ts';
import { inProvince, placeCodes, resolveScope } from './provinces.ts';

/** Where a deposit belongs: its enterprise and the enterprise's province and city (codes). */
export interface Place {
  readonly enterpriseId: string;
  readonly province: string;
  readonly city: string;
}

export type AccessRefusalCode = 'forbidden';

export type Ruling = { readonly ok: true } | { readonly ok: false; readonly code: AccessRefusalCode; readonly message: { zh: string; en: string } };

const allowed: Ruling = { ok: true };
const forbidden = (zh: string, en: string): Ruling => ({ ok: false, code: 'forbidden', message: { zh, en } });

export function withinJurisdiction(jurisdiction: Jurisdiction, where: { readonly province: string; readonly city: string }): boolean {
  const place = placeCodes(where);
  return jurisdiction.kind === 'province'
    ? inProvince(place.city, jurisdiction.code) || place.province === jurisdiction.code
    : place.city === jurisdiction.code;
}

/** Whether the caller may read this enterprise's deposits, attempts and receipts. */
export function mayRead(principal: Principal, place: Place): boolean {
  switch (principal.role) {
    case 'enterprise':
      return principal.enterpriseId === place.enterpriseId;
    case 'reviewer':
    case 'department':
      return withinJurisdiction(principal.jurisdiction, place);
    case 'administrator':
      return false;
    case 'machine':
      return true;
  }
}

/** mayRead as a ruling, for a route whose path names the enterprise. */
export function readRuling(principal: Principal, place: Place): Ruling {
  if (mayRead(principal, place)) return allowed;
  return principal.role === 'enterprise'
    ? forbidden(`只能查看本企业（${principal.enterpriseId}）的存证`, `an enterprise sees only its own deposits (${principal.enterpriseId})`)
    : forbidden(`企业 ${place.enterpriseId} 不在您的管辖范围内`, `enterprise ${place.enterpriseId} is outside your jurisdiction`);
}

/** What is waiting for a decision: the level it waits at and the reviewer who escalated it, if any. */
export interface Pending {
  readonly level: ReviewLevel;
  /** The escalating reviewer's subject (`sub`): names are not unique, subjects are. */
  readonly escalatedBy?: string;
}

/**
 * Whether this caller may decide (accept, return, escalate) an attempt waiting at `pending`. The
 * domain's own rules (final decisions, supersession, comments) follow in shared/domain/review.ts.
 */
export function decideRuling(principal: Principal, place: Place, pending: Pending): Ruling {
  if (principal.role !== 'reviewer') return forbidden('只有审核人可以作出审核决定', 'only a reviewer decides on an attempt');
  if (!withinJurisdiction(principal.jurisdiction, place))
    return forbidden(`企业 ${place.enterpriseId} 不在您的管辖范围内`, `enterprise ${place.enterpriseId} is outside your jurisdiction`);
  if (principal.level !== pending.level)
    return pending.level === 'province'
      ? forbidden('该提交已上报省级审核，只能由省级审核人决定', 'this attempt was escalated: only a provincial reviewer decides it now')
      : forbidden('该提交尚在市级审核，省级审核人只审核上报的提交', 'this attempt awaits city review: a provincial reviewer decides only escalated attempts');
  // A provincial reviewer who escalated (there is no level above) must not then decide it alone.
  if (pending.escalatedBy !== undefined && pending.escalatedBy === principal.subject && principal.level !== 'province')
    return forbidden('上报人不能决定自己上报的提交', 'the reviewer who escalated an attempt does not decide it');
  return allowed;
}

/**
 * The summary scope a caller reads: its jurisdiction's when it names none, the one it names when
 * that lies within its jurisdiction (a province's department may read each of its cities).
 * Machines read any scope.
 */
export function scopeRuling(
  principal: Principal,
  requested: string | undefined,
): { readonly ok: true; readonly scope: string } | Extract<Ruling, { ok: false }> {
  if (principal.role === 'machine') return { ok: true, scope: requested ?? 'all' };
  if (principal.role !== 'department' && principal.role !== 'reviewer')
    return { ok: false, code: 'forbidden', message: { zh: '只有主管部门和审核人可以查看汇总', en: 'only departments and reviewers read summaries' } };
  const own = scopeOfJurisdiction(principal.jurisdiction);
  if (requested === undefined) return { ok: true, scope: own };
  const resolved = resolveScope(requested);
  const scope = 'scope' in resolved ? resolved.scope : requested;
  const [kind, code = ''] = scope.split(':');
  const inside = scope === own || (kind === 'city' && principal.jurisdiction.kind === 'province' && inProvince(code, principal.jurisdiction.code));
  if (inside) return { ok: true, scope };
  return {
    ok: false,
    code: 'forbidden',
    message: { zh: `范围 ${requested} 超出您的管辖范围（${own}）`, en: `scope ${requested} is outside your jurisdiction (${own})` },
  };
}
