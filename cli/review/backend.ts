/**
 * Where a reviewer's decisions go: the HTTP API when the connection has one (the twin's server, or
 * EVIDENCE_API_URL in the cloud, signed with the caller's AWS credentials); without it the CLI
 * calls the same use case directly against the tables, which only the twin's open access allows.
 */
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import { messageText } from '#app/outcome.ts';
import { decideOnAttempt } from '#app/review-decision.ts';
import { type AttemptView, showAttempt } from '#app/show-attempt.ts';
import type { DecisionRequest, RefusalCode } from '#domain/review.ts';
import type { Connection } from '#cli/connection.ts';
import { apiBackend } from '#cli/review/api-client.ts';

/** An attempt as a reviewer sees it: which of the month's attempts it is, and what replaced it. */
export type { AttemptView };

export type DecideAnswer =
  | { readonly ok: true; readonly status: 'recorded' | 'replayed'; readonly verdict: string; readonly attemptNumber: number }
  | { readonly ok: false; readonly code: RefusalCode | 'bad-request' | 'internal' | string; readonly message: string };

/** Where decisions go: the API, or the use case itself on the twin. */
export interface ReviewBackend {
  readonly via: 'api' | 'direct';
  show(attemptId: string): Promise<AttemptView | undefined>;
  decide(attemptId: string, request: DecisionRequest): Promise<DecideAnswer>;
}

export function directBackend(connection: Connection): ReviewBackend {
  if (!connection.reviewQueueUrl) throw new Error('no review queue is configured (REVIEW_QUEUE_URL)');
  const store = new DynamoLedger(connection.clients.db, connection.tables);
  const deps = { store, reviewQueue: new SqsReviewQueue(connection.clients.sqs, connection.reviewQueueUrl), now: () => new Date() };
  return {
    via: 'direct',
    async show(attemptId) {
      const shown = await showAttempt({ attempts: store }, attemptId);
      return shown.ok ? shown.value : undefined;
    },
    async decide(attemptId, request) {
      const result = await decideOnAttempt(deps, attemptId, request);
      if (!result.ok) return { ok: false, code: result.refusal.code, message: messageText(result.refusal.message) };
      const { status, attempt, attemptNumber } = result.value;
      return { ok: true, status, verdict: attempt.verdict, attemptNumber };
    },
  };
}

export function backendFor(connection: Connection): ReviewBackend {
  if (connection.apiUrl) return apiBackend(connection, connection.apiUrl);
  if (connection.target !== 'twin') throw new Error('set EVIDENCE_API_URL: in the cloud decisions go through the review API');
  return directBackend(connection);
}
