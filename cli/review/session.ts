/**
 * The interactive review loop: take the oldest attempt waiting in the reviewer's inbox, show it,
 * ask for a decision, send it, and go on to the next. It sees the inbox and the review API
 * through ports (cli/review/backend.ts) and the terminal through `ask`/`say`, so tests drive it
 * with fakes and scripted answers. Who decides, at which level, is the reviewer's sign-in: the
 * API reads it from the token; the session only names it in its greeting.
 */
import type { IssueComment, ReviewLevel } from '#domain/attempt.ts';
import type { DecisionOutcome, DecisionRequest } from '#domain/review.ts';
import type { AttemptView, DecideAnswer, InboxItem, ReviewBackend, ReviewInbox } from '#cli/review/backend.ts';
import { attemptScreen, describeAnswer, settledBecause } from '#cli/review/render.ts';
import { CliError, EXIT } from '#cli/exit-codes.ts';

/** Refusals that settle an attempt, whoever settled it: go on to the next. */
const SETTLED: readonly string[] = ['already-decided', 'superseded', 'nothing-to-decide'];

/** How long one look at an empty inbox waits before looking again. */
const POLL_SECONDS = 10;

export interface SessionOptions {
  /** Who is signed in, for the greeting (the API records the token's identity). */
  readonly reviewer: string;
  readonly level: ReviewLevel;
  /** The jurisdiction, for the greeting: 南昌市 (360100). */
  readonly jurisdiction?: string;
  /** Stop after one decision. */
  readonly once: boolean;
  /** Stop when nothing has waited for this many seconds. */
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
  /** One idempotency key per decision, kept across retries of it. */
  newDecisionId(): string;
  readonly now?: () => number;
}

type Next = 'next' | 'quit';

export class ReviewSession {
  private readonly now: () => number;

  constructor(
    private readonly deps: SessionDeps,
    private readonly options: SessionOptions,
  ) {
    this.now = deps.now ?? Date.now;
  }

  private say(text = ''): void {
    this.deps.say(text);
  }

  async run(): Promise<void> {
    const where = this.options.jurisdiction ? `, ${this.options.jurisdiction}` : '';
    this.say(`Reviewing as ${this.options.reviewer} (${this.options.level} level${where}); decisions via ${this.options.decisionsVia}.`);
    let idleSince = this.now();
    for (;;) {
      this.say('Waiting for the next deposit to review… (Ctrl-C to stop)');
      // Never wait past --idle-exit: an empty inbox with --idle-exit 0 ends at once.
      const left = this.options.idleExit === undefined ? POLL_SECONDS : this.options.idleExit - (this.now() - idleSince) / 1000;
      const item = await this.deps.inbox.next(Math.max(0, Math.min(POLL_SECONDS, left)));
      if (!item) {
        if (this.options.idleExit !== undefined && this.now() - idleSince >= this.options.idleExit * 1000) return this.say('Nothing left to review.');
        continue;
      }
      idleSince = this.now();
      const next = await this.review(item);
      if (next === 'quit' || this.options.once) return;
    }
  }

  private async review(item: InboxItem): Promise<Next> {
    const view = await this.deps.backend.show(item.attemptId);
    // Whatever happens next, this session does not offer it again.
    this.deps.inbox.pass(item);
    if (!view) {
      this.say(`attempt ${item.attemptId} is not recorded (or not yours to read); skipping it`);
      return 'next';
    }
    const settled = settledBecause(view);
    if (settled !== undefined) {
      this.say(`attempt ${item.attemptId} of ${item.enterpriseId} ${item.period} needs no review: ${settled}.`);
      return 'next';
    }
    for (const line of attemptScreen(item, view)) this.say(line);
    return this.decideInteractively(item, view);
  }

  private async ask(question: string): Promise<string> {
    return (await this.deps.ask(question)).trim();
  }

  /** The request the reviewer's choice makes, or what the loop does instead. */
  private async requestFor(choice: string, view: AttemptView, decisionId: string): Promise<DecisionRequest | Next | 'again'> {
    const { attempt } = view;
    if (choice === 's' || choice === 'skip') {
      this.say('Skipped; it stays in the inbox for the next session.');
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

  private async decideInteractively(item: InboxItem, view: AttemptView): Promise<Next> {
    const decisionId = this.deps.newDecisionId();
    const canEscalate = this.options.level === 'city';
    const choices =
      view.attempt.validation.verdict === 'returned'
        ? '[r]eturn with comments  [s]kip  [q]uit'
        : `[a]ccept  [r]eturn  ${canEscalate ? '[e]scalate  ' : ''}[s]kip  [q]uit`;
    for (;;) {
      const choice = (await this.ask(`Decision — ${choices}: `)).toLowerCase();
      const request = await this.requestFor(choice, view, decisionId);
      if (request === 'again') continue;
      if (request === 'quit' || request === 'next') return request;
      const answer = await this.deps.backend.decide(item.attemptId, request).catch((error: unknown): DecideAnswer => {
        // A lapsed sign-in ends the session: nothing more can be stored until `evidence login`.
        if (error instanceof CliError && error.exitCode === EXIT.signIn) throw error;
        return { ok: false, code: 'internal', message: (error as Error).message };
      });
      if (answer.ok) {
        this.say(`✓ ${describeAnswer(answer, request.outcome)}.`);
        return 'next';
      }
      if (SETTLED.includes(answer.code)) {
        this.say(`✗ ${answer.message}.`);
        return 'next';
      }
      // Not stored: the reviewer can fix the request (same decisionId, so a retry after a lost
      // reply is recognised) or skip.
      this.say(`✗ not stored (${answer.code}): ${answer.message}`);
    }
  }

  private request(outcome: DecisionOutcome, decisionId: string, comment: string): DecisionRequest {
    return { outcome, comment, issueComments: [], decisionId };
  }
}
