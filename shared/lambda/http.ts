/**
 * The HTTP boundary of every API function (API Gateway HTTP API, payload v2), in one place:
 * routing (Powertools event-handler's Router), parsing the path, query and body with the route's
 * zod schemas and saying what is wrong, the caller's identity (the principal the JWT authorizer's
 * claims or the IAM authorizer describe) and whether the route admits its role (API_ROUTES says),
 * one table from a use case's refusal to a status, `cache-control: no-store` on every reply, and the 500: logged with its
 * cause, never shown to the caller. An API function is then a short table of routes.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { HttpError, NotFoundError, Router } from '@aws-lambda-powertools/event-handler/http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import type { QueryRefusalCode } from '#app/department-queries.ts';
import { errorOf, type Message, messageText, type Outcome } from '#app/outcome.ts';
import type { AccessRefusalCode } from '#domain/access.ts';
import { type ClaimMapping, type Principal, principalFromClaims } from '#domain/identity.ts';
import type { RefusalCode } from '#domain/review.ts';
import { zodIssuesText } from '#domain/zod-issues.ts';
import { API_ROUTES, routeKeyOf } from '#resources/api-routes.ts';
import { lambda, type Observability } from './middy.ts';

/** What a request that does not parse (or lacks what it must carry) is answered with, by every API. */
export type InvalidRequestCode = 'bad-request';

/** What a request without a verified caller is answered with (401). */
export type UnauthenticatedCode = 'unauthenticated';

/** Every code a use case behind the API may refuse with. */
export type ApiRefusalCode = RefusalCode | QueryRefusalCode | InvalidRequestCode | AccessRefusalCode | UnauthenticatedCode;

/** The one table from refusal to status: a new refusal code does not compile until it has one. */
const STATUS_OF_REFUSAL: Record<ApiRefusalCode, number> = {
  'bad-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'too-long': 400,
  'wrong-level': 403,
  'not-found': 404,
  'already-decided': 409,
  superseded: 409,
  'nothing-to-decide': 409,
  'machine-returned': 409,
  'already-escalated': 409,
  'comment-required': 422,
  'unknown-issue': 422,
};

export interface HttpRequest<Params, Query, Body> {
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  /** Who calls, as the authorizer verified it; the route's roles already admitted it. */
  readonly caller: Principal;
}

type Raw = Record<string, string | undefined>;

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, T> {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  handle(request: HttpRequest<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<Outcome<T, ApiRefusalCode>>;
  /** The status of an answer: 200 unless said (201 for something just created). */
  readonly status?: (value: T) => number;
}

export interface Route {
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  handle(request: HttpRequest<unknown, unknown, unknown>): Promise<Outcome<unknown, ApiRefusalCode>>;
  readonly status?: (value: unknown) => number;
}

/** A route of the table, typed by its schemas. */
export function route<P extends z.ZodType = z.ZodType<Raw>, Q extends z.ZodType = z.ZodType<Raw>, B extends z.ZodType = z.ZodType<unknown>, T = unknown>(
  spec: RouteSpec<P, Q, B, T>,
): Route {
  return spec as unknown as Route;
}

/** "GET /attempts/{attemptId}", as API Gateway and shared/resources/api-routes.ts name a route. */
export type RouteKey = `${'GET' | 'POST'} /${string}`;

export interface HttpApiOptions {
  readonly routes: Readonly<Record<RouteKey, Route>>;
  /** Which token claims carry the role, credit code, level and jurisdiction (the deployment's issuer's names). */
  readonly claims: ClaimMapping;
  readonly observability: Observability;
}

const AuthorizerSchema = z.object({
  requestContext: z.object({
    authorizer: z
      .object({
        jwt: z.object({ claims: z.record(z.string(), z.unknown()) }).optional(),
        iam: z.object({ userArn: z.string().min(1) }).optional(),
      })
      .optional(),
  }),
});

type CallerReading = { readonly ok: true; readonly caller: Principal } | { readonly ok: false; readonly status: 401 | 403; readonly message: Message };

/**
 * The caller the authorizer verified: a person from the JWT authorizer's claims, a machine from
 * the IAM authorizer's principal. Neither: the route was reached without an authorizer, which the
 * stack and the twin never allow, so it is refused rather than trusted.
 */
export function callerOf(event: unknown, claims: ClaimMapping): CallerReading {
  const parsed = AuthorizerSchema.safeParse(event);
  const authorizer = parsed.success ? parsed.data.requestContext.authorizer : undefined;
  if (authorizer?.jwt) {
    const reading = principalFromClaims(authorizer.jwt.claims, claims);
    return reading.ok ? { ok: true, caller: reading.principal } : { ok: false, status: 403, message: reading.message };
  }
  if (authorizer?.iam) return { ok: true, caller: { role: 'machine', subject: authorizer.iam.userArn, name: authorizer.iam.userArn } };
  return { ok: false, status: 401, message: { zh: '请先登录（缺少有效的访问令牌）', en: 'sign in first: the request carries no valid access token' } };
}

/** Whether the route admits the caller's role: API_ROUTES names the people's roles and the machines' door. */
function admits(key: string, caller: Principal): boolean {
  const route = API_ROUTES.find((r) => routeKeyOf(r) === key);
  if (!route) return false;
  return caller.role === 'machine' ? route.iam !== undefined : route.people.includes(caller.role);
}

const reply = (statusCode: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status: statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/** The body as JSON; undefined for a body that is not JSON, which the route's schema then refuses. */
function bodyOf(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return {};
  try {
    return JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
  } catch {
    return undefined;
  }
}

/** API Gateway's `/attempts/{attemptId}` as the Router writes it: `/attempts/:attemptId`. */
const routerPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1') as `/${string}`;

export function httpApi({ routes, claims, observability }: HttpApiOptions) {
  const invalidRequest: InvalidRequestCode = 'bad-request';
  const { logger, metrics } = observability;
  const invalid = (message: string) => reply(STATUS_OF_REFUSAL[invalidRequest], { error: invalidRequest, message });
  const app = new Router({ logger });

  for (const [key, spec] of Object.entries(routes)) {
    if (!API_ROUTES.some((r) => routeKeyOf(r) === key)) throw new Error(`${key} is not a route of shared/resources/api-routes.ts`);
    const [method, path = '/'] = key.split(' ');
    const register = method === 'POST' ? app.post.bind(app) : app.get.bind(app);
    register(routerPath(path), async ({ event, params }) => {
      const request = event as APIGatewayProxyEventV2;
      const who = callerOf(request, claims);
      if (!who.ok)
        return reply(
          who.status,
          { error: who.status === 401 ? 'unauthenticated' : 'forbidden', message: messageText(who.message) },
          who.status === 401 ? { 'www-authenticate': 'Bearer' } : {},
        );
      if (!admits(key, who.caller))
        return reply(STATUS_OF_REFUSAL.forbidden, {
          error: 'forbidden',
          message: messageText({ zh: `角色 ${who.caller.role} 无权使用 ${key}`, en: `the role ${who.caller.role} may not call ${key}` }),
        });
      const parsedParams = (spec.params ?? z.unknown()).safeParse(params);
      if (!parsedParams.success) return invalid(zodIssuesText(parsedParams.error, { whole: 'path' }));
      const parsedQuery = (spec.query ?? z.unknown()).safeParse(request.queryStringParameters ?? {});
      if (!parsedQuery.success) return invalid(zodIssuesText(parsedQuery.error, { whole: 'query' }));
      const parsedBody = (spec.body ?? z.unknown()).safeParse(spec.body ? bodyOf(request) : undefined);
      if (!parsedBody.success) return invalid(zodIssuesText(parsedBody.error, { whole: 'body' }));
      const outcome = await spec.handle({ params: parsedParams.data, query: parsedQuery.data, body: parsedBody.data, caller: who.caller });
      if (!outcome.ok) return reply(STATUS_OF_REFUSAL[outcome.refusal.code], { error: outcome.refusal.code, message: messageText(outcome.refusal.message) });
      return reply(spec.status?.(outcome.value) ?? 200, outcome.value);
    });
  }

  // Every error the Router meets comes here, so its own default (a stack in dev mode) never answers.
  app.errorHandler(Error, async (error, { event }) => {
    // A malformed escape in the path (`%E0%A4%A`) is the caller's text, not a fault.
    if (error instanceof URIError) return invalid('path: 路径中有无效的转义序列 / the path has a malformed percent-escape');
    if (error instanceof NotFoundError)
      return reply(404, { error: 'no-route', message: `没有这个接口 / no route ${(event as APIGatewayProxyEventV2).routeKey ?? ''}`.trim() });
    if (error instanceof HttpError)
      return reply(error.statusCode, { error: error.statusCode === 400 ? invalidRequest : `http-${error.statusCode}`, message: error.message });
    return internal(error, event as APIGatewayProxyEventV2);
  });

  // Faults (throttles, timeouts) reach the caller as a 500 without internals; a caller retries
  // with the same request, which the use cases recognise.
  const internal = (cause: unknown, event: APIGatewayProxyEventV2): Response => {
    logger.error('request failed', { routeKey: event.routeKey, error: errorOf(cause) });
    return reply(500, {
      error: 'internal',
      message: '请求未能完成，已记入日志；请以相同请求重试 / the request failed and has been logged; retry with the same request',
      requestId: event.requestContext?.requestId,
    });
  };

  const resolve = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext?.http?.method;
    // A body on a GET is ignored, as API Gateway's routes do; a Web Request refuses to carry one.
    const routed = method === 'GET' || method === 'HEAD' ? { ...event, body: undefined } : event;
    try {
      return await app.resolve(routed, context);
    } catch (error) {
      // What the Router cannot take at all (not an HTTP API v2 event).
      return webReply(internal(error, event));
    }
  };

  return lambda(async (event: APIGatewayProxyEventV2, context: Context) => {
    const result = await resolve(event, context);
    const statusCode = result.statusCode ?? 200;
    metrics.addDimension('route', event.routeKey ?? 'unknown');
    metrics.addMetric(statusCode >= 500 ? 'ApiFaults' : 'ApiRequests', MetricUnit.Count, 1);
    return { ...result, statusCode, headers: { ...result.headers, 'cache-control': 'no-store' } };
  }, observability);
}

async function webReply(response: Response): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { statusCode: response.status, headers, body: await response.text() };
}
