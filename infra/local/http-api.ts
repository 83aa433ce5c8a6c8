/**
 * The twin's API Gateway: a node:http server on 127.0.0.1 that turns each request matching a route
 * of PEOPLE_ROUTES into an HTTP API (payload v2) event for functions/<function>/handler.ts, exactly
 * as the stack's people's API does — after the same JWT authorizer (jwt-authorizer.ts: the
 * issuer's keys, issuer, audience, expiry), whose verified claims reach the handler as
 * `requestContext.authorizer.jwt`. A request it refuses gets API Gateway's 401 and never reaches a
 * function; there is no way around it on the twin.
 *
 * The machines' API (MACHINE_ROUTES, IAM/SigV4) is not served here: in the cloud those routes sit
 * on a second API with the IAM authorizer, which the twin does not emulate.
 *
 * It also serves what the site bucket serves in the cloud: the web app (web/dist) at / and its
 * /config.json (the issuer and the web client it signs in with). The nightly exports are not
 * served here: a department gets them as presigned links from `GET /exports`, so no export
 * leaves without a token. Handlers are imported on first use, after the twin has set the
 * functions' environment.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { errorOf } from '#app/outcome.ts';
import { type CspSources, contentSecurityPolicy } from '#resources/web-csp.ts';
import { type ApiRoute, PEOPLE_ROUTES } from '#resources/api-routes.ts';
import { type JwtAuthorizerContext, JwtAuthorizer } from './jwt-authorizer.ts';
import { lambdaContext } from './lambda-context.ts';

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The web app as `npm run build:web` leaves it (npm start and the tests' twin build it first). */
const WEB_DIR = join(ROOT, 'web', 'dist');
/** EVIDENCE_WEB_DIR: another build to serve (the tests build into a folder of their own, so two runs never empty each other's). */
const webDir = () => process.env.EVIDENCE_WEB_DIR ?? WEB_DIR;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface HttpApiOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** The people's routes by default. */
  readonly routes?: readonly ApiRoute[];
  /** The OpenID issuer whose tokens the JWT authorizer accepts (the twin's provider). */
  readonly issuer: string;
  /** The audiences the authorizer accepts (the cloud's `jwtAudience`). */
  readonly audience: readonly string[];
  /** The public client the dashboard signs in as (its config.json). */
  readonly webClientId?: string;
  /** The hosts the web app may reach besides the twin (the issuer, S3): sent as the cloud's content security policy. */
  readonly csp?: CspSources;
  /** The function behind a route: functions/<name>/handler.ts unless given (a test that watches what a handler receives). */
  readonly loadHandler?: (name: ApiRoute['function']) => Promise<ApiHandler>;
  /** Lambda's Invoke API (POST /2015-03-31/functions/<name>/invocations), for functions no route reaches. */
  readonly invoke?: (functionName: string, payload: unknown) => Promise<unknown>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([A-Za-z0-9_-]+)\/invocations$/;

interface CompiledRoute {
  readonly route: ApiRoute;
  readonly pattern: RegExp;
  readonly names: string[];
}

function compile(route: ApiRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function apiEvent(
  request: IncomingMessage,
  url: URL,
  match: CompiledRoute,
  params: Record<string, string>,
  body: Buffer,
  jwt?: JwtAuthorizerContext,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  const query: Record<string, string> = {};
  // API Gateway joins repeated query parameters with commas.
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const routeKey = `${match.route.method} ${match.route.path}`;
  const isText = body.length === 0 || /json|text|x-www-form-urlencoded/.test(headers['content-type'] ?? 'application/json');
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(match.names.length > 0 ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'twin',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'twin',
      http: {
        method: match.route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(jwt ? { authorizer: { jwt } } : {}),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}

export class TwinHttpApi {
  private readonly handlers = new Map<string, Promise<ApiHandler>>();
  private readonly routes: CompiledRoute[];
  private readonly authorizer: JwtAuthorizer;
  private server?: Server;

  constructor(private readonly options: HttpApiOptions) {
    this.routes = (options.routes ?? PEOPLE_ROUTES).map(compile);
    this.authorizer = new JwtAuthorizer({ issuer: options.issuer, audience: options.audience });
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the twin HTTP API is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
        // As API Gateway does when the integration fails: the cause stays in the function's log.
        response.end(JSON.stringify({ message: 'Internal Server Error' }));
        console.error('[twin http-api]', error);
      });
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handlerOf(name: ApiRoute['function']): Promise<ApiHandler> {
    let loaded = this.handlers.get(name);
    if (!loaded) {
      loaded = this.options.loadHandler
        ? this.options.loadHandler(name)
        : import(`../../functions/${name}/handler.ts`).then((m: { handler: ApiHandler }) => m.handler);
      this.handlers.set(name, loaded);
    }
    return loaded;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    for (const compiled of this.routes) {
      const found = compiled.pattern.exec(url.pathname);
      if (!found || compiled.route.method !== request.method) continue;
      const params = Object.fromEntries(compiled.names.map((n, i) => [n, decodeURIComponent(found[i + 1] ?? '')]));
      const body = await readBody(request);
      // The authorizer first, as API Gateway runs it: a refused request never reaches the function.
      const authorization = await this.authorizer.authorize(request.headers.authorization);
      if (!authorization.ok) return send(response, authorization.reply);
      const event = apiEvent(request, url, compiled, params, body, authorization.jwt);
      const handler = await this.handlerOf(compiled.route.function);
      return send(
        response,
        await handler(event, lambdaContext(compiled.route.function, { requestId: event.requestContext.requestId, memoryMB: 512, timeoutMs: 10_000 })),
      );
    }
    const invoked = INVOKE_PATH.exec(url.pathname);
    if (invoked && request.method === 'POST' && this.options.invoke) return this.sendInvoke(response, invoked[1] ?? '', await readBody(request));
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 404, 'application/json', JSON.stringify({ message: 'Not Found' }));
    if (url.pathname === '/config.json')
      return sendText(
        response,
        200,
        CONTENT_TYPES['.json'] as string,
        JSON.stringify({ issuer: this.options.issuer, clientId: this.options.webClientId ?? 'evidence-web', apiUrl: '' }),
      );
    return sendStatic(response, url.pathname, this.options.csp ? contentSecurityPolicy(this.options.csp) : undefined);
  }

  private async sendInvoke(response: ServerResponse, functionName: string, body: Buffer): Promise<void> {
    let payload: unknown = {};
    try {
      payload = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return sendText(response, 400, 'application/json', JSON.stringify({ message: 'the payload is not JSON' }));
    }
    try {
      const result = await this.options.invoke?.(functionName, payload);
      sendText(response, 200, 'application/json', JSON.stringify(result ?? null));
    } catch (error) {
      // Lambda answers 200 with X-Amz-Function-Error when the function itself failed.
      response.writeHead(200, {
        'content-type': 'application/json',
        'x-amz-function-error': 'Unhandled',
      });
      const { name, message } = errorOf(error);
      response.end(JSON.stringify({ errorType: name, errorMessage: message }));
    }
  }
}

function send(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  // HTTP API payload v2: a result without statusCode is a 200 JSON body.
  if (typeof result === 'string' || result === null || typeof result !== 'object' || !('statusCode' in result)) {
    sendText(response, 200, 'application/json', typeof result === 'string' ? result : JSON.stringify(result));
    return;
  }
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  response.writeHead(result.statusCode ?? 200, {
    ...(result.headers as Record<string, string> | undefined),
    ...(result.cookies?.length ? { 'set-cookie': result.cookies } : {}),
  });
  response.end(body);
}

function sendText(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(body);
}

async function sendStatic(response: ServerResponse, pathname: string, csp?: string): Promise<void> {
  const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  const root = webDir();
  const candidate = join(root, relative);
  const file = candidate.startsWith(root + sep) ? candidate : undefined;
  if (!file) return sendText(response, 404, 'text/plain', 'not found');
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      // The headers CloudFront adds in the cloud (infra/stack/web-hosting.ts), so the browser tests run under them.
      ...(csp ? { 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' } : {}),
    });
    response.end(body);
  } catch {
    sendText(response, 404, 'text/plain', 'not found');
  }
}
