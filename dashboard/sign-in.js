// Sign-in for the dashboard: OpenID Connect authorization code with PKCE against the deployment's
// issuer (on the twin its own OpenID provider), with oauth4webapi (the library openid-client is
// built on) doing the protocol. The page's config.json names the issuer, the client and the API.
// Tokens live in sessionStorage: gone when the tab closes, never in a cookie the API would trust.
import * as oauth from './vendor/oauth4webapi.js';

const STORE = 'evidence.sign-in';
const PENDING = 'evidence.sign-in.pending';

/** config.json: { issuer, clientId, apiUrl? } — written beside the page by whoever serves it. */
export async function loadConfig() {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return response.json();
}

async function server(config) {
  const issuer = new URL(config.issuer);
  // The twin's issuer is http://127.0.0.1: allowed there only.
  const options = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options });
  return { as: await oauth.processDiscoveryResponse(issuer, response), options };
}

// The page's folder (`/` on the twin), as the client registered it, whichever file of it was opened.
const redirectUri = () => new URL('.', location.href).href;

/** The access token to send, signing in (a redirect to the issuer) when there is none or it has expired. */
export async function accessToken(config) {
  const stored = JSON.parse(sessionStorage.getItem(STORE) ?? 'null');
  if (stored && stored.issuer === config.issuer && stored.expiresAt > Date.now() + 30_000) return stored.accessToken;
  const { as, options } = await server(config);
  const client = { client_id: config.clientId };
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  const here = new URL(location.href);
  if (pending && here.searchParams.has('state')) {
    sessionStorage.removeItem(PENDING);
    const params = oauth.validateAuthResponse(as, client, here, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.verifier, options);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    sessionStorage.setItem(
      STORE,
      JSON.stringify({ issuer: config.issuer, accessToken: tokens.access_token, expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000 }),
    );
    // Back to the address the person asked for, without the code in it.
    history.replaceState(null, '', pending.returnTo);
    return tokens.access_token;
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo: location.href }));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid profile');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  location.assign(url.href);
  // The page is leaving for the sign-in page.
  return new Promise(() => {});
}

export function signOut() {
  sessionStorage.removeItem(STORE);
}
