/**
 * Where a person signs in and which API their token opens. With a local twin running, its state
 * file (.twin/twin.json) names the twin's OpenID provider (`identity`) and HTTP API; otherwise the
 * environment does, for the cloud:
 *
 * - EVIDENCE_ISSUER      the OIDC issuer (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool id>)
 * - EVIDENCE_CLIENT_ID   the public client the CLI signs in as (no secret)
 * - EVIDENCE_API_URL     the people's HTTP API (the stack's output)
 * - EVIDENCE_TOKEN_USE   `access` (default) or `id`: which token the API's JWT authorizer takes
 *                        (Cognito deployments send the ID token, which carries the groups and attributes)
 * - EVIDENCE_SCOPE       scopes to ask for (default `openid profile offline_access`; Cognito: `openid profile`)
 * - EVIDENCE_AUDIENCE    the API's audience, sent as the `resource` indicator when it is a URL
 */
import { z } from 'zod';
import { readTwinState } from '#cli/twin.ts';
import { UsageError } from '#cli/exit-codes.ts';

export type TokenUse = 'access' | 'id';

export interface SignInSettings {
  /** Where the settings came from: the running twin's state file, or the environment. */
  readonly target: 'twin' | 'cloud';
  readonly issuer: string;
  readonly clientId: string;
  /** The people's API, with a trailing slash (paths resolve under its stage). */
  readonly apiUrl: string;
  readonly tokenUse: TokenUse;
  readonly scope: string;
  /** The API's audience; sent as `resource` (RFC 8707) when it is an absolute URL. */
  readonly audience?: string;
  /**
   * The host of the browser sign-in's loopback redirect. The twin's client takes RFC 8252's
   * 127.0.0.1; Cognito accepts plain http only for `localhost`, and the deployment docs register
   * `http://localhost:<port>/callback` with Keycloak too, so the cloud's default is localhost.
   */
  readonly redirectHost: '127.0.0.1' | 'localhost';
}

const DEFAULT_SCOPE = 'openid profile offline_access';
/** The twin's provider puts the role claims under its own scope, `evidence`. */
const TWIN_SCOPE = 'openid profile evidence offline_access';

const EnvSchema = z.object({
  EVIDENCE_ISSUER: z.string().url(),
  EVIDENCE_CLIENT_ID: z.string().min(1),
  EVIDENCE_API_URL: z.string().url(),
  EVIDENCE_TOKEN_USE: z.enum(['access', 'id']).default('access'),
  EVIDENCE_SCOPE: z.string().min(1).optional(),
  EVIDENCE_AUDIENCE: z.string().min(1).optional(),
  EVIDENCE_REDIRECT_HOST: z.enum(['127.0.0.1', 'localhost']).default('localhost'),
});

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The sign-in settings, or a usage error saying what to set. */
export function signInSettings(env: NodeJS.ProcessEnv = process.env): SignInSettings {
  const twin = readTwinState();
  if (twin) {
    const { identity } = twin;
    if (!identity || !twin.apiUrl)
      throw new UsageError(
        '本地孪生环境没有登录服务：请用新版 npm start 重启 / the running twin has no OpenID provider or API in its state file: restart it with a current `npm start`',
      );
    return {
      target: 'twin',
      issuer: identity.issuer,
      clientId: identity.clients.cli,
      apiUrl: withSlash(twin.apiUrl),
      tokenUse: env.EVIDENCE_TOKEN_USE === 'id' ? 'id' : 'access',
      scope: env.EVIDENCE_SCOPE ?? TWIN_SCOPE,
      audience: identity.audience,
      redirectHost: '127.0.0.1',
    };
  }
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success)
    throw new UsageError(
      `没有运行中的本地孪生环境，也未设置登录参数 / no local twin is running (npm start) and the sign-in settings are not set: ${parsed.error.issues
        .map((i) => i.path.join('.'))
        .join(', ')} (EVIDENCE_ISSUER, EVIDENCE_CLIENT_ID, EVIDENCE_API_URL; EVIDENCE_TOKEN_USE=id for Cognito)`,
    );
  const e = parsed.data;
  return {
    target: 'cloud',
    issuer: e.EVIDENCE_ISSUER,
    clientId: e.EVIDENCE_CLIENT_ID,
    apiUrl: withSlash(e.EVIDENCE_API_URL),
    tokenUse: e.EVIDENCE_TOKEN_USE,
    redirectHost: e.EVIDENCE_REDIRECT_HOST,
    scope: e.EVIDENCE_SCOPE ?? DEFAULT_SCOPE,
    ...(e.EVIDENCE_AUDIENCE ? { audience: e.EVIDENCE_AUDIENCE } : {}),
  };
}

/** The `resource` parameter to send, when the audience is a URL (oidc-provider issues JWT access tokens for a resource). */
export function resourceParameters(settings: Pick<SignInSettings, 'audience'>): Record<string, string> {
  if (!settings.audience) return {};
  return URL.canParse(settings.audience) ? { resource: settings.audience } : {};
}
