/** The review API as the CLI calls it: GET /attempts/{id} and POST /attempts/{id}/decision. */
import { type Message, messageText } from '#app/outcome.ts';
import type { Connection } from '#cli/connection.ts';
import type { AttemptView, ReviewBackend } from '#cli/review/backend.ts';
import { signedFetch } from '#cli/signed-fetch.ts';

/** What POST /attempts/{id}/decision answers, on success or refusal. */
interface DecisionReply {
  status?: 'recorded' | 'replayed';
  verdict?: string;
  attemptNumber?: number;
  error?: string;
  /** Plain, or in both languages. */
  message?: string | Message;
}

function refusalText(message: DecisionReply['message'], status: number): string {
  if (typeof message === 'string') return message;
  return message ? messageText(message) : `HTTP ${status}`;
}

export function apiBackend(connection: Pick<Connection, 'target'>, apiUrl: string, fetchApi: typeof signedFetch = signedFetch): ReviewBackend {
  const at = (path: string) => new URL(path.replace(/^\//, ''), apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  return {
    via: 'api',
    async show(attemptId) {
      const response = await fetchApi(connection, at(`/attempts/${encodeURIComponent(attemptId)}`), { method: 'GET' });
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`GET /attempts/${attemptId}: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as AttemptView;
    },
    async decide(attemptId, request) {
      const response = await fetchApi(connection, at(`/attempts/${encodeURIComponent(attemptId)}/decision`), { method: 'POST', body: JSON.stringify(request) });
      const body = (await response.json().catch(() => ({}))) as DecisionReply;
      if (response.ok) return { ok: true, status: body.status ?? 'recorded', verdict: body.verdict ?? '', attemptNumber: body.attemptNumber ?? 0 };
      return { ok: false, code: body.error ?? `http-${response.status}`, message: refusalText(body.message, response.status) };
    },
  };
}
