/**
 * What the reviewer's session works over: the API's inbox of the caller's jurisdiction and level
 * (GET /inbox, oldest first, from the ledger) and the review API (GET /attempts/{id},
 * POST /attempts/{id}/decision). Who decides, at which level, comes from the reviewer's token,
 * never from the request. Ports here, so the session's tests drive it with fakes; the API-backed
 * implementations are in cli/review/api-client.ts.
 */
import type { InboxItem } from '#app/review-inbox.ts';
import type { AttemptView } from '#app/show-attempt.ts';
import type { DecisionRequest, RefusalCode } from '#domain/review.ts';
import type { ExitCode } from '#cli/exit-codes.ts';

/** An attempt as a reviewer sees it: its number and month, who decided what, a link to each file. */
export type { AttemptView, DecisionRequest, InboxItem };

export type DecideAnswer =
  | { readonly ok: true; readonly status: 'recorded' | 'replayed'; readonly verdict: string; readonly attemptNumber: number }
  | {
      readonly ok: false;
      readonly code: RefusalCode | 'bad-request' | 'forbidden' | 'internal' | string;
      readonly message: string;
      /** What a one-shot command exits with for it (cli/exit-codes.ts). */
      readonly exitCode?: ExitCode;
    };

/** Where decisions go: the review API. */
export interface ReviewBackend {
  show(attemptId: string): Promise<AttemptView | undefined>;
  decide(attemptId: string, request: DecisionRequest): Promise<DecideAnswer>;
}

/** Filters the inbox is read with (the API applies them). */
export interface InboxFilters {
  readonly enterpriseId?: string;
  readonly period?: string;
  readonly city?: string;
}

/**
 * The attempts waiting for this reviewer, one at a time. The ledger holds no lease, so nothing is
 * held while a reviewer reads: a second reviewer deciding the same attempt is told who decided.
 */
export interface ReviewInbox {
  /** The oldest waiting attempt this session has not passed over; undefined after waiting up to `waitSeconds` for one. */
  next(waitSeconds: number): Promise<InboxItem | undefined>;
  /** Not to be offered again in this session (decided, skipped, settled). */
  pass(item: InboxItem): void;
}
