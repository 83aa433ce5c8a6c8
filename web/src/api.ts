/** The people's API with the signed-in person's token; one retry through sign-in after a 401. */
import { type Api, ApiError } from './app-context.ts';
import { bearerToken, forgetToken, type WebConfig } from './sign-in.ts';

export function apiOf(config: WebConfig): Api {
  const base = config.apiUrl.replace(/\/$/, '');
  return {
    async json<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
      const send = async () =>
        fetch(`${base}${path}`, {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${await bearerToken(config)}`,
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        });
      let response = await send();
      if (response.status === 401) {
        // Expired or revoked: sign in again (a redirect), then the page starts over.
        forgetToken();
        response = await send();
      }
      const text = await response.text();
      const body = text ? (JSON.parse(text) as { error?: string; message?: string }) : {};
      if (!response.ok) throw new ApiError(response.status, body.error ?? `http-${response.status}`, body.message ?? `HTTP ${response.status}`);
      return body as T;
    },
  };
}
