/** The review API as the reviewer's CLI calls it: GET /inbox, GET /attempts/{id} and POST /attempts/{id}/decision. */
import { type ApiClient, ApiRefusal } from '#cli/api-client.ts';
import { EXIT } from '#cli/exit-codes.ts';
import type { AttemptView, DecideAnswer, DecisionRequest, InboxFilters, InboxItem, ReviewBackend, ReviewInbox } from '#cli/review/backend.ts';
import type { InboxAnswer } from '#app/review-inbox.ts';

/** What POST /attempts/{id}/decision answers when it stores (or recognises) a decision. */
interface DecisionReply {
  readonly status?: 'recorded' | 'replayed';
  readonly verdict?: string;
  readonly attemptNumber?: number;
}

/** Refusals a reviewer can act on are answers; not being signed in, or a fault, is thrown. */
const isAnswerable = (error: unknown): error is ApiRefusal => error instanceof ApiRefusal && error.exitCode !== EXIT.signIn && error.status < 500;

export function apiBackend(api: ApiClient): ReviewBackend {
  return {
    async show(attemptId) {
      try {
        return await api.get<AttemptView>(`/attempts/${encodeURIComponent(attemptId)}`);
      } catch (error) {
        if (error instanceof ApiRefusal && error.status === 404) return undefined;
        throw error;
      }
    },
    async decide(attemptId, request: DecisionRequest): Promise<DecideAnswer> {
      try {
        const body = await api.post<DecisionReply>(`/attempts/${encodeURIComponent(attemptId)}/decision`, request);
        return { ok: true, status: body?.status ?? 'recorded', verdict: body?.verdict ?? '', attemptNumber: body?.attemptNumber ?? 0 };
      } catch (error) {
        if (isAnswerable(error)) return { ok: false, code: error.code, message: error.detail, exitCode: error.exitCode };
        throw error;
      }
    },
  };
}

/** One page of the inbox, as `evidence review inbox` prints it. */
export function inboxPage(api: ApiClient, filters: InboxFilters & { readonly limit?: number; readonly cursor?: string }): Promise<InboxAnswer> {
  return api.get<InboxAnswer>('/inbox', {
    enterprise: filters.enterpriseId,
    period: filters.period,
    city: filters.city,
    limit: filters.limit,
    cursor: filters.cursor,
  });
}

/** The inbox read page by page, oldest first, skipping what this session passed over. */
export class ApiReviewInbox implements ReviewInbox {
  private readonly passed = new Set<string>();

  constructor(
    private readonly api: ApiClient,
    private readonly filters: InboxFilters = {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async next(waitSeconds: number): Promise<InboxItem | undefined> {
    let cursor: string | undefined;
    do {
      const page = await inboxPage(this.api, { ...this.filters, limit: 50, ...(cursor ? { cursor } : {}) });
      const item = page.items.find((i) => !this.passed.has(i.attemptId));
      if (item) return item;
      cursor = page.cursor;
    } while (cursor);
    // Nothing new: wait as a long poll would, then say so.
    await this.sleep(waitSeconds * 1000);
    return undefined;
  }

  pass(item: InboxItem): void {
    this.passed.add(item.attemptId);
  }
}
