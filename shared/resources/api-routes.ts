/**
 * The HTTP API, defined once: the CDK stack builds API Gateway routes from this table, the twin's
 * HTTP server routes the same requests to the same handlers (functions/<function>/handler.ts),
 * and the HTTP boundary (shared/lambda/http.ts) refuses a caller whose role the route does not
 * name, so who may call what is written here and nowhere else.
 *
 * Two doors to the same functions:
 * - `people`: the roles that may call the route on the people's API, whose JWT authorizer
 *   verifies the OIDC issuer's tokens (in the cloud API Gateway's; on the twin the twin's).
 *   Which enterprise, city or province the caller then reaches is decided in the use case from
 *   the token's claims (shared/domain/access.ts).
 * - `iam`: the route is also on the machines' API (IAM, SigV4) for integrations and operators,
 *   and which managed policy grants it (infra/stack/access-policies.ts).
 */
import type { Role } from '#domain/identity.ts';

export type ApiFunction = 'query' | 'review' | 'deposit' | 'registry';

export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** API Gateway path syntax: /attempts/{attemptId}/decision */
  readonly path: string;
  readonly function: ApiFunction;
  /** The roles that may call it with a token; empty: not a people's route. */
  readonly people: readonly Role[];
  /** The IAM policy that grants it on the machines' API; absent: not a machines' route. */
  readonly iam?: 'department' | 'reviewer' | 'enterprise';
}

const EVERYONE: readonly Role[] = ['enterprise', 'reviewer', 'department', 'administrator'];
const READERS: readonly Role[] = ['enterprise', 'reviewer', 'department'];
const OVERSIGHT: readonly Role[] = ['reviewer', 'department'];

export const API_ROUTES: readonly ApiRoute[] = [
  // Anyone signed in: who the token says they are.
  { method: 'GET', path: '/me', function: 'query', people: EVERYONE },
  // Enterprises: open a deposit (presigned, write-once uploads), their months and attempts.
  { method: 'POST', path: '/enterprises/{enterpriseId}/deposits', function: 'deposit', people: ['enterprise'] },
  { method: 'GET', path: '/enterprises/{enterpriseId}/history', function: 'query', people: READERS, iam: 'enterprise' },
  // The month's report template (XLSX, pre-filled from the registry): the enterprise's own only.
  { method: 'GET', path: '/enterprises/{enterpriseId}/template', function: 'query', people: ['enterprise'] },
  { method: 'GET', path: '/attempts/{attemptId}', function: 'review', people: READERS, iam: 'reviewer' },
  // Receipts (回执) and the key that verifies them.
  { method: 'GET', path: '/attempts/{attemptId}/receipt', function: 'query', people: READERS, iam: 'department' },
  { method: 'GET', path: '/receipt-key', function: 'query', people: EVERYONE, iam: 'department' },
  // Reviewers: the inbox of their jurisdiction and level, and the decision.
  { method: 'GET', path: '/inbox', function: 'review', people: ['reviewer'] },
  { method: 'POST', path: '/attempts/{attemptId}/decision', function: 'review', people: ['reviewer'] },
  // Departments (and reviewers, who read what their departments read).
  { method: 'GET', path: '/summaries', function: 'query', people: OVERSIGHT, iam: 'department' },
  { method: 'GET', path: '/late', function: 'query', people: OVERSIGHT, iam: 'department' },
  { method: 'GET', path: '/league', function: 'query', people: OVERSIGHT },
  { method: 'GET', path: '/exports', function: 'query', people: OVERSIGHT },
  // Administrators: the registry of obliged enterprises.
  { method: 'GET', path: '/registry', function: 'registry', people: ['administrator'] },
  { method: 'POST', path: '/registry', function: 'registry', people: ['administrator'] },
];

/** "GET /attempts/{attemptId}": how API Gateway, the twin and the HTTP boundary name a route. */
export const routeKeyOf = (route: Pick<ApiRoute, 'method' | 'path'>) => `${route.method} ${route.path}` as const;

export const PEOPLE_ROUTES = API_ROUTES.filter((route) => route.people.length > 0);
export const MACHINE_ROUTES = API_ROUTES.filter((route) => route.iam !== undefined);
