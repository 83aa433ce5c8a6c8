/**
 * Who the API says the signed-in person is (GET /me) and how `evidence whoami` prints it. Also
 * what other commands need of it: the enterprise a clerk deposits for, a reviewer's name and level.
 */
import { divisionLabel } from '#domain/provinces.ts';
import type { ApiClient } from '#cli/api-client.ts';

/** GET /me, as far as the CLI reads it (the API may say more). */
export interface Me {
  readonly role: 'enterprise' | 'reviewer' | 'department' | 'administrator' | 'machine';
  readonly subject?: string;
  readonly name?: string;
  readonly enterpriseId?: string;
  readonly level?: 'city' | 'province';
  readonly jurisdiction?: { readonly kind: 'province' | 'city'; readonly code: string; readonly province?: string } | string;
  /** What the role may call, where the API lists it (routes, or words such as `deposit`). */
  readonly may?: readonly unknown[];
  readonly [more: string]: unknown;
}

/** The API's answer may wrap the principal (`{ principal: … }`) or be it. */
export async function whoAmI(api: ApiClient): Promise<Me> {
  const answer = await api.get<Me & { principal?: Me }>('/me');
  return answer.principal ? { ...answer, ...answer.principal } : answer;
}

const ROLE: Record<string, string> = {
  enterprise: '重点排放单位 / enterprise',
  reviewer: '审核人 / reviewer',
  department: '主管部门 / department',
  administrator: '管理员 / administrator',
  machine: '机器 / machine (IAM)',
};

function jurisdictionText(jurisdiction: Me['jurisdiction']): string | undefined {
  if (!jurisdiction) return undefined;
  const code = typeof jurisdiction === 'string' ? jurisdiction : jurisdiction.code;
  return `${divisionLabel(code)} (${code})`;
}

function permissionText(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    const { method, path, route } = entry as { method?: string; path?: string; route?: string };
    if (route) return route;
    if (method && path) return `${method} ${path}`;
  }
  return JSON.stringify(entry);
}

/** `evidence whoami`'s lines. */
export function meLines(me: Me, where: { readonly issuer: string; readonly target: string; readonly validUntil?: string }): string[] {
  const jurisdiction = jurisdictionText(me.jurisdiction);
  const may = me.may ?? (me.permissions as unknown[] | undefined) ?? (me.routes as unknown[] | undefined);
  return [
    `已登录 / signed in: ${me.name ?? me.subject ?? '—'}${me.subject && me.subject !== me.name ? ` (${me.subject})` : ''}`,
    `  角色 / role            ${ROLE[me.role] ?? me.role}`,
    ...(me.enterpriseId ? [`  统一社会信用代码 / credit code  ${me.enterpriseId}`] : []),
    ...(me.level ? [`  审核级别 / level       ${me.level === 'province' ? '省级 / province' : '市级 / city'}`] : []),
    ...(jurisdiction ? [`  管辖范围 / jurisdiction ${jurisdiction}`] : []),
    ...(Array.isArray(may) && may.length > 0 ? [`  可用 / may              ${may.map(permissionText).join(', ')}`] : []),
    `  登录服务 / issuer      ${where.issuer} (${where.target === 'twin' ? '本地孪生 / local twin' : '云端 / cloud'})`,
    ...(where.validUntil ? [`  令牌有效至 / token valid until ${where.validUntil} (自动刷新 / refreshed when needed)`] : []),
  ];
}
