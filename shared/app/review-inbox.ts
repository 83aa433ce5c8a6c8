/**
 * A reviewer's inbox: the attempts waiting at the caller's level in the caller's jurisdiction,
 * oldest first, read from the ledger's byInbox index (shared/domain/inbox.ts says what waits
 * where). A city reviewer reads its city's inbox; a provincial reviewer its province's escalated
 * attempts, optionally one city's. Filters narrow it; pages go on from an opaque cursor; the counts
 * say how many wait in all, by city, whatever the filters.
 */
import type { ReviewLevel } from '#domain/attempt.ts';
import type { Principal } from '#domain/identity.ts';
import { inboxKeyOf } from '#domain/inbox.ts';
import { cityCodeOf, inProvince } from '#domain/provinces.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { EnterpriseNames, InboxPosition, InboxReader, InboxRow } from './ports.ts';

export const INBOX_PAGE = { default: 50, max: 200 } as const;

export interface InboxRequest {
  /** A city's code or name: only its attempts (a province's reviewer narrowing; a city's own is no narrowing). */
  readonly city?: string;
  readonly enterpriseId?: string;
  readonly period?: string;
  readonly severity?: 'errors' | 'warnings';
  readonly late?: boolean;
  readonly limit?: number;
  /** From the previous page's answer. */
  readonly cursor?: string;
}

/** One waiting attempt, as the inbox lists it. */
export interface InboxItem {
  readonly attemptId: string;
  /** Its number within its month. */
  readonly attempt: number;
  readonly enterpriseId: string;
  readonly enterpriseName?: string;
  readonly period: string;
  readonly province: string;
  readonly city: string;
  /** The city's GB/T 2260 code. */
  readonly cityCode: string;
  readonly industry: string;
  readonly receivedAt: string;
  readonly onTime: boolean;
  readonly verdict: string;
  readonly errors: number;
  readonly warnings: number;
  /** The level it waits at. */
  readonly level: ReviewLevel;
  readonly escalatedAt?: string;
}

export interface InboxAnswer {
  /** Whose inbox this is: the level and the jurisdiction's code. */
  readonly inbox: { readonly level: ReviewLevel; readonly jurisdiction: string };
  readonly items: readonly InboxItem[];
  /** How many wait in this inbox in all, and per city code, whatever the filters. */
  readonly counts: { readonly total: number; readonly byCity: Readonly<Record<string, number>> };
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly cursor?: string;
}

export interface InboxDeps {
  readonly inbox: InboxReader;
  readonly names?: EnterpriseNames;
}

export type InboxRefusalCode = 'forbidden' | 'bad-request';

/** The cursor is opaque to callers: the position, base64url JSON, read back with its shape checked. */
export function encodeCursor(position: InboxPosition): string {
  return Buffer.from(JSON.stringify([position.inboxSince, position.enterpriseId, position.period])).toString('base64url');
}

export function decodeCursor(cursor: string): InboxPosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 256)) return undefined;
    const [inboxSince, enterpriseId, period] = value as [string, string, string];
    return { inboxSince, enterpriseId, period };
  } catch {
    return undefined;
  }
}

export async function reviewInbox(deps: InboxDeps, caller: Principal, request: InboxRequest): Promise<Outcome<InboxAnswer, InboxRefusalCode>> {
  if (caller.role !== 'reviewer') return refused('forbidden', '只有审核人有待审列表', 'only a reviewer has an inbox');
  const { level, jurisdiction } = caller;
  let city: string | undefined;
  if (request.city !== undefined) {
    city = cityCodeOf(request.city);
    if (!city) return refused('bad-request', `city: ${request.city} 不是地级市`, `city: ${request.city} names no prefecture-level city`);
    const inside = jurisdiction.kind === 'city' ? city === jurisdiction.code : inProvince(city, jurisdiction.code);
    if (!inside)
      return refused(
        'forbidden',
        `城市 ${request.city} 不在您的管辖范围（${jurisdiction.code}）内`,
        `city ${request.city} is outside your jurisdiction (${jurisdiction.code})`,
      );
    // A city reviewer's own city narrows nothing.
    if (jurisdiction.kind === 'city') city = undefined;
  }
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  if (request.cursor !== undefined && !after) return refused('bad-request', 'cursor: 不是本接口给出的游标', 'cursor: not a cursor this API gave');
  const inbox = inboxKeyOf(level, jurisdiction.code);
  const [page, counts] = await Promise.all([
    deps.inbox.page({
      inbox,
      ...(city ? { city } : {}),
      ...(request.enterpriseId ? { enterpriseId: request.enterpriseId } : {}),
      ...(request.period ? { period: request.period } : {}),
      ...(request.severity ? { severity: request.severity } : {}),
      ...(request.late !== undefined ? { late: request.late } : {}),
      limit: Math.min(request.limit ?? INBOX_PAGE.default, INBOX_PAGE.max),
      ...(after ? { after } : {}),
    }),
    deps.inbox.countsByCity(inbox),
  ]);
  const names = deps.names && page.rows.length > 0 ? await deps.names.namesOf(page.rows.map((r) => r.enterpriseId)) : new Map<string, string>();
  const byCity = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
  return ok({
    inbox: { level, jurisdiction: jurisdiction.code },
    items: page.rows.map((row) => itemOf(row, names.get(row.enterpriseId))),
    counts: { total: [...counts.values()].reduce((sum, n) => sum + n, 0), byCity },
    ...(page.next ? { cursor: encodeCursor(page.next) } : {}),
  });
}

function itemOf(row: InboxRow, enterpriseName: string | undefined): InboxItem {
  const { attempt } = row;
  return {
    attemptId: attempt.attemptId,
    attempt: attempt.attempt,
    enterpriseId: row.enterpriseId,
    ...(enterpriseName ? { enterpriseName } : {}),
    period: row.period,
    province: row.province,
    city: row.city,
    cityCode: attempt.cityCode,
    industry: row.industry,
    receivedAt: attempt.receivedAt,
    onTime: attempt.onTime,
    verdict: attempt.verdict,
    errors: attempt.errors,
    warnings: attempt.warnings,
    level: attempt.level,
    ...(attempt.escalatedAt ? { escalatedAt: attempt.escalatedAt } : {}),
  };
}
