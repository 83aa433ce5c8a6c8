/**
 * The interactive review loop: take the next review message, show the attempt, ask for a
 * decision, and only once the decision is stored (or the attempt turns out settled) delete the
 * message. It sees the queue through the ReviewInbox port and the terminal through `ask`/`say`,
 * so tests drive it with a fake inbox and scripted answers.
 */
import type { HeldReview, ReviewInbox } from '#app/ports.ts';
import type { DepositFile, EnterprisePeriod, IssueComment, ReviewLevel } from '#domain/attempt.ts';
import type { DecisionOutcome, DecisionRequest } from '#domain/review.ts';
import type { ReviewMessage } from '#domain/review-message.ts';
import { QUEUES } from '#resources/specs.ts';
import type { AttemptView, DecideAnswer, ReviewBackend } from '#cli/review/backend.ts';
import { attemptScreen, describeAnswer, settledBecause } from '#cli/review/render.ts';

/** Refusals that end a message's life: what it asked for is settled, whoever settled it. */
const SETTLED: readonly string[] = ['already-decided', 'superseded', 'nothing-to-decide'];

/** How long one receive waits for a message (SQS long polling; 20 s is its maximum). */
const RECEIVE_WAIT_SECONDS = 10;

export interface SessionOptions {
  readonly reviewer: string;
  readonly level: ReviewLevel;
  /** Only this enterprise's messages; others are handed back. */
  readonly enterprise?: string;
  /** Stop after one decision. */
  readonly once: boolean;
  /** Stop when nothing has arrived for this many seconds. */
  readonly idleExit?: number;
  /** Where decisions go, as the greeting names it. */
  readonly decisionsVia: string;
}

export interface SessionDeps {
  readonly inbox: ReviewInbox;
  readonly backend: ReviewBackend;
  /** Asks the reviewer; resolves with the line typed. */
  ask(question: string): Promise<string>;
  /** Prints one line (or several joined by newlines). */
  say(text: string): void;
  /** The enterprise's recorded months, for the history lines. */
  history(enterpriseId: string): Promise<readonly EnterprisePeriod[]>;
  /** A download link for the version of an evidence file the attempt recorded. */
  evidenceLink(file: DepositFile): Promise<string>;
  /** One idempotency key per decision, kept across retries of it. */
  newDecisionId(): string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How often a held message's visibility is extended while the reviewer reads. */
  readonly heartbeatMs?: number;
}

type Next = 'next' | 'quit';

export class ReviewSession {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly deps: SessionDeps,
    private readonly options: SessionOptions,
  ) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private say(text = ''): void {
    this.deps.say(text);
  }

  private isMine(review: ReviewMessage): boolean {
    if (this.options.enterprise && review.enterpriseId !== this.options.enterprise) return false;
    return (review.level ?? 'city') === this.options.level;
  }

  async run(): Promise<void> {
    this.say(`Reviewing as ${this.options.reviewer} (${this.options.level} level); decisions via ${this.options.decisionsVia}.`);
    let idleSince = this.now();
    for (;;) {
      this.say('Waiting for the next deposit to review… (Ctrl-C to stop)');
      const held = await this.deps.inbox.receive(RECEIVE_WAIT_SECONDS);
      if (!held) {
        if (this.options.idleExit !== undefined && this.now() - idleSince > this.options.idleExit * 1000) return this.say('Nothing left to review.');
        continue;
      }
      if (!held.ok) {
        // Left alone: after the queue's maxReceiveCount it lands in the DLQ, where `evidence dlq` shows why.
        this.say(`skipping a malformed review message ${held.messageId}: ${held.problem}`);
        continue;
      }
      if (!this.isMine(held.review)) {
        // Another reviewer's: hand it back, and pause so two filters do not spin on each other's messages.
        await this.deps.inbox.handBack(held);
        await this.sleep(1000);
        continue;
      }
      idleSince = this.now();
      const next = await this.review(held, held.review);
      if (next === 'quit' || this.options.once) return;
    }
  }

  private async review(held: HeldReview, review: ReviewMessage): Promise<Next> {
    const view = await this.deps.backend.show(review.attemptId);
    if (!view) {
      this.say(`attempt ${review.attemptId} is not in the ledger; leaving its message for the DLQ`);
      return 'next';
    }
    const settled = settledBecause(view);
    if (settled !== undefined) {
      this.say(`attempt ${review.attemptId} of ${review.enterpriseId} ${review.period} needs no review: ${settled}. Removing its message.`);
      await this.deps.inbox.delete(held);
      return 'next';
    }
    await this.show(review, view);
    // Keep the message while the reviewer reads: another reviewer must not get it meanwhile.
    const heartbeat = setInterval(
      () => void this.deps.inbox.extend(held, QUEUES.review.visibilityTimeoutSeconds).catch(() => undefined),
      this.deps.heartbeatMs ?? 60_000,
    );
    try {
      return await this.decideInteractively(held, review, view);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async show(review: ReviewMessage, view: AttemptView): Promise<void> {
    const history = await this.deps.history(review.enterpriseId);
    const evidence = [];
    // One at a time, in the attempt's order: the links print in the order the files were recorded.
    for (const file of view.attempt.files) evidence.push({ file, url: await this.deps.evidenceLink(file) });
    for (const line of attemptScreen(review, view, history, evidence)) this.say(line);
  }

  private async ask(question: string): Promise<string> {
    return (await this.deps.ask(question)).trim();
  }

  /** The request the reviewer's choice makes, or what the loop does instead. */
  private async requestFor(choice: string, view: AttemptView, decisionId: string): Promise<DecisionRequest | Next | 'again'> {
    const { attempt } = view;
    if (choice === 's' || choice === 'skip') {
      this.say(`Skipped; the deposit returns to the queue in ${QUEUES.review.visibilityTimeoutSeconds / 60} minutes.`);
      return 'next';
    }
    if (choice === 'q' || choice === 'quit') return 'quit';
    if (choice === 'a' || choice === 'accept') {
      const prompt = attempt.validation.stats.warnings > 0 ? 'Why are the warnings acceptable? ' : 'Comment (optional): ';
      return this.request('accept', decisionId, await this.ask(prompt));
    }
    if (choice === 'r' || choice === 'return') {
      const issueComments: IssueComment[] = [];
      for (const issue of attempt.validation.issues.filter((i) => i.severity !== 'info')) {
        const where = [issue.unitId ? `unit ${issue.unitId}` : '', issue.field ?? ''].filter(Boolean).join(' ');
        const comment = await this.ask(`Comment on ${issue.code}${where ? ` (${where})` : ''} — Enter to skip: `);
        if (comment)
          issueComments.push({ code: issue.code, ...(issue.unitId ? { unitId: issue.unitId } : {}), ...(issue.field ? { field: issue.field } : {}), comment });
      }
      return { ...this.request('return', decisionId, await this.ask('Overall comment to the enterprise: ')), issueComments };
    }
    if (choice === 'e' || choice === 'escalate') return this.request('escalate', decisionId, await this.ask('What should the provincial reviewer look at? '));
    return 'again';
  }

  private async decideInteractively(held: HeldReview, review: ReviewMessage, view: AttemptView): Promise<Next> {
    const decisionId = this.deps.newDecisionId();
    const choices =
      view.attempt.validation.verdict === 'returned' ? '[r]eturn with comments  [s]kip  [q]uit' : '[a]ccept  [r]eturn  [e]scalate  [s]kip  [q]uit';
    for (;;) {
      const choice = (await this.ask(`Decision — ${choices}: `)).toLowerCase();
      const request = await this.requestFor(choice, view, decisionId);
      if (request === 'again') continue;
      if (request === 'quit') {
        await this.deps.inbox.handBack(held);
        return 'quit';
      }
      if (request === 'next') return 'next';
      const answer = await this.deps.backend
        .decide(review.attemptId, request)
        .catch((error: unknown): DecideAnswer => ({ ok: false, code: 'internal', message: (error as Error).message }));
      if (answer.ok) {
        await this.deps.inbox.delete(held);
        this.say(`✓ ${describeAnswer(answer, request.outcome)}; message removed.`);
        return 'next';
      }
      if (SETTLED.includes(answer.code)) {
        await this.deps.inbox.delete(held);
        this.say(`✗ ${answer.message}. Message removed.`);
        return 'next';
      }
      // Not stored: the message stays; the reviewer can fix the request (same decisionId, so a
      // retry after a lost reply is recognised) or skip.
      this.say(`✗ not stored (${answer.code}): ${answer.message}`);
    }
  }

  private request(outcome: DecisionOutcome, decisionId: string, comment: string): DecisionRequest {
    return { outcome, reviewer: this.options.reviewer, level: this.options.level, comment, issueComments: [], decisionId };
  }
}
