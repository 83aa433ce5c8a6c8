/**
 * HTTP API (payload v2) events as API Gateway hands them to a function behind its JWT or IAM
 * authorizer, for handler tests: the claims as the authorizer passes them on (every value a
 * string, a list as `[a b]`), so a handler test reads the caller exactly as in the cloud.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type TwinAccount, twinAccount } from '#twin/accounts.ts';

export type Caller = { readonly claims: Record<string, string> } | { readonly iam: string } | 'anonymous';

/** A seeded twin account's claims, as API Gateway's JWT authorizer passes them. */
export function asAccount(username: string): Caller {
  const account = twinAccount(username) as TwinAccount;
  if (!account) throw new Error(`no twin account ${username}`);
  return { claims: { sub: account.username, name: account.name, ...account.claims } };
}

export interface ApiEventSpec {
  /** "GET /attempts/{attemptId}" */
  readonly routeKey: string;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly caller: Caller;
}

export function apiGatewayEvent({ routeKey, params = {}, query, body, caller }: ApiEventSpec): APIGatewayProxyEventV2 {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const authorizer =
    caller === 'anonymous' ? undefined : 'claims' in caller ? { jwt: { claims: caller.claims, scopes: null } } : { iam: { userArn: caller.iam } };
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers: { 'content-type': 'application/json' },
    ...(query ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'test' },
      requestId: 'request-1',
      routeKey,
      stage: '$default',
      time: '01/Dec/2026:00:00:00 +0000',
      timeEpoch: 0,
      ...(authorizer ? { authorizer } : {}),
    },
  } as APIGatewayProxyEventV2;
}
