/**
 * The people's API as every people's command calls it: one fetch wrapper that sends the signed-in
 * person's token as `Authorization: Bearer …`, refreshes it once when the API answers 401, and
 * turns the API's refusals (`{ error, message }`) into CliErrors with the exit code scripts branch
 * on (cli/exit-codes.ts). No token is ever printed: errors carry the route, the status and the
 * API's own message, never a header.
 */
import { type Message, messageText } from '#app/outcome.ts';
import { Session, signInFirst, type TokenSource } from '#cli/auth/session.ts';
import { type SignInSettings, signInSettings } from '#cli/auth/settings.ts';
import { CliError, EXIT, type ExitCode } from '#cli/exit-codes.ts';

/** A refusal from the API: the status, the API's code (`already-decided`, `forbidden`, …) and its message. */
export class ApiRefusal extends CliError {
  constructor(
    message: string,
    exitCode: ExitCode,
    readonly status: number,
    readonly code: string,
    /** The API's own message (中文 / English), without the route. */
    readonly detail: string,
  ) {
    super(message, exitCode);
    this.name = 'ApiRefusal';
  }
}

/** The exit code of an API status: what a script can tell apart. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 401) return EXIT.signIn;
  if (status === 403) return EXIT.forbidden;
  if (status === 404) return EXIT.notFound;
  if (status === 409 || status === 412 || status === 422) return EXIT.conflict;
  if (status === 400 || status === 413) return EXIT.usage;
  return EXIT.error;
}

const WHAT: Record<number, string> = {
  400: '请求无效 / bad request',
  403: '无权操作 / forbidden',
  404: '未找到 / not found',
  409: '与记录冲突 / refused',
  412: '已存在 / already exists',
  422: '请求被拒绝 / refused',
};

/** Anything that looks like a bearer token or a JWT, blanked: a message must never carry one. */
export function redact(text: string): string {
  return text.replace(/Bearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]').replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]');
}

/** The CliError for a refused request, from its status and body. */
export function refusalOf(method: string, path: string, status: number, text: string): ApiRefusal {
  let code = `http-${status}`;
  let message = text.trim().slice(0, 500);
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: string | Message };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
    else if (body.message && typeof body.message === 'object') message = messageText(body.message);
  } catch {
    // Not JSON (a gateway's own page): the start of it, as it came.
  }
  const exitCode = exitCodeOfStatus(status);
  const detail = redact(message || `HTTP ${status}`);
  if (status === 401) return new ApiRefusal(signInFirst('登录已失效 / the API did not accept the sign-in').message, exitCode, status, code, detail);
  const what = WHAT[status] ?? `HTTP ${status}`;
  return new ApiRefusal(redact(`${method} ${path}: ${what} (${code})${message ? ` — ${message}` : ''}`), exitCode, status, code, detail);
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
}

export class ApiClient {
  private readonly base: string;

  constructor(
    apiUrl: string,
    private readonly tokens: TokenSource,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  }

  /** The URL of a route's path under the API's base (its stage included). */
  urlOf(path: string, query: RequestOptions['query'] = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    return url;
  }

  private async send(method: string, url: URL, token: string, body: unknown): Promise<Response> {
    try {
      return await this.fetchImpl(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        redact(`无法连接 API / cannot reach the API at ${url.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`),
        EXIT.error,
      );
    }
  }

  /** The answer to a request, parsed; a refusal throws an ApiRefusal. One refresh and retry after a 401. */
  async request<T>(method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.urlOf(path, options.query);
    let response = await this.send(method, url, await this.tokens.token(), options.body);
    if (response.status === 401) {
      const refreshed = await this.tokens.refresh();
      if (refreshed) {
        await response.body?.cancel();
        response = await this.send(method, url, refreshed, options.body);
      }
    }
    const text = await response.text();
    if (!response.ok) throw refusalOf(method, `/${path.replace(/^\//, '')}`, response.status, text);
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      throw new CliError(`${method} ${path}: API 返回的不是 JSON / the API answered something that is not JSON (HTTP ${response.status})`, EXIT.error);
    }
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }
}

/** The client every people's command uses: the twin's or the cloud's API, as the signed-in person. */
export function peopleApi(settings: SignInSettings = signInSettings()): ApiClient {
  return new ApiClient(settings.apiUrl, new Session(settings));
}
