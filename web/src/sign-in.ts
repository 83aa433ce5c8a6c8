/**
 * Sign-in: OpenID Connect authorization code with PKCE against the deployment's issuer (on the
 * twin its own OpenID provider), with oauth4webapi (the library openid-client is built on) doing
 * the protocol. config.json beside the page names the issuer, the client and the API. Tokens live
 * in sessionStorage: gone when the tab closes, never in a cookie the API would trust.
 */
import * as oauth from 'oauth4webapi';

const STORE = 'evidence.sign-in';
const PENDING = 'evidence.sign-in.pending';

export interface WebConfig {
  readonly issuer: string;
  readonly clientId: string;
  /** The people's API; empty: the page's own origin (the twin). */
  readonly apiUrl: string;
  /** Which token the API takes: `access` (default) or `id` (Cognito). */
  readonly tokenUse?: 'access' | 'id';
  readonly scope?: string;
}

export async function loadConfig(): Promise<WebConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as WebConfig;
}

async function server(config: WebConfig) {
  const issuer = new URL(config.issuer);
  // The twin's issuer is http://127.0.0.1: allowed there only.
  const options = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options });
  return { as: await oauth.processDiscoveryResponse(issuer, response), options };
}

// The page's folder (`/` on the twin), as the client registered it, whichever file of it was opened.
const redirectUri = () => new URL('.', location.href).href;

interface Stored {
  readonly issuer: string;
  readonly token: string;
  readonly expiresAt: number;
}

/** The token to send, signing in (a redirect to the issuer) when there is none or it has expired. */
export async function bearerToken(config: WebConfig): Promise<string> {
  const stored = JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as Stored | null;
  if (stored && stored.issuer === config.issuer && stored.expiresAt > Date.now() + 30_000) return stored.token;
  const { as, options } = await server(config);
  const client = { client_id: config.clientId };
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  const here = new URL(location.href);
  if (pending && here.searchParams.has('state')) {
    sessionStorage.removeItem(PENDING);
    const params = oauth.validateAuthResponse(as, client, here, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.verifier, options);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    const token = config.tokenUse === 'id' ? (oauth.getValidatedIdTokenClaims(tokens) ? (tokens.id_token as string) : '') : tokens.access_token;
    sessionStorage.setItem(STORE, JSON.stringify({ issuer: config.issuer, token, expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000 } satisfies Stored));
    // Back to the address the person asked for, without the code in it.
    history.replaceState(null, '', pending.returnTo);
    return token;
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo: location.href }));
  const url = new URL(as.authorization_endpoint as string);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope ?? 'openid profile');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  location.assign(url.href);
  // The page is leaving for the sign-in page.
  return new Promise(() => {});
}

export function forgetToken(): void {
  sessionStorage.removeItem(STORE);
}

/** Signs out at the issuer too (RP-initiated logout) when it offers it, then back to the page. */
export async function signOut(config: WebConfig): Promise<void> {
  forgetToken();
  const { as } = await server(config);
  if (!as.end_session_endpoint) return location.assign(redirectUri());
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', redirectUri());
  location.assign(url.href);
}
