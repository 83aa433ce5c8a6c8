/**
 * Reviewer commands, all through the people's API as the signed-in reviewer:
 * `evidence review` (interactive: the inbox oldest first, decide, next), `evidence review inbox`
 * (the inbox as a list, for scripts), `evidence review show` (one attempt) and
 * `evidence review decide` (one decision). Who decides and at which level is the sign-in's, never
 * an option. This file wires commander options to the session (cli/review/session.ts) and the API
 * (cli/review/api-client.ts); the DLQ commands are operators' and register themselves in cli/main.ts.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { IssueComment } from '#domain/attempt.ts';
import { divisionLabel } from '#domain/provinces.ts';
import { type ApiClient, peopleApi } from '#cli/api-client.ts';
import { creditCodeArg, periodArg } from '#cli/arguments.ts';
import { signInSettings } from '#cli/auth/settings.ts';
import { type Me, whoAmI } from '#cli/auth/who.ts';
import { CliError, EXIT, UsageError } from '#cli/exit-codes.ts';
import { duration, shanghaiTime } from '#cli/format.ts';
import { ApiReviewInbox, apiBackend, inboxPage } from '#cli/review/api-client.ts';
import type { InboxFilters } from '#cli/review/backend.ts';
import { attemptScreen, describeAnswer, settledBecause } from '#cli/review/render.ts';
import { ReviewSession } from '#cli/review/session.ts';

/** `CODE=comment` or `CODE@unit=comment` or `CODE@unit/field=comment`. */
export function parseIssueComment(text: string): IssueComment {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`--issue-comment ${text}: 应写作 / expected CODE[@unit[/field]]=comment`);
  const [code = '', where = ''] = text.slice(0, eq).split('@');
  const [unitId, field] = where.split('/');
  return { code, ...(unitId ? { unitId } : {}), ...(field ? { field } : {}), comment: text.slice(eq + 1) };
}

function secondsArg(value: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(seconds >= 0)) throw new InvalidArgumentError('应为秒数 / expected a number of seconds, e.g. 30');
  return seconds;
}

function limitArg(value: string): number {
  const limit = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= 200)) throw new InvalidArgumentError('应为 1–200 / expected 1 to 200');
  return limit;
}

/** The signed-in person, who must be a reviewer. */
async function reviewerOf(api: ApiClient): Promise<Me & { role: 'reviewer' }> {
  const me = await whoAmI(api);
  if (me.role !== 'reviewer')
    throw new CliError(`只有审核人可以审核，您登录的角色是 ${me.role} / only a reviewer reviews: you are signed in as ${me.role}`, EXIT.forbidden);
  return me as Me & { role: 'reviewer' };
}

const jurisdictionOf = (me: Me) => {
  const code = typeof me.jurisdiction === 'string' ? me.jurisdiction : me.jurisdiction?.code;
  return code ? `${divisionLabel(code)} ${code}` : undefined;
};

interface ReviewOptions {
  enterprise?: string;
  period?: string;
  city?: string;
  once?: boolean;
  idleExit?: number;
}

const filtersOf = (options: ReviewOptions): InboxFilters => ({
  ...(options.enterprise ? { enterpriseId: options.enterprise } : {}),
  ...(options.period ? { period: options.period } : {}),
  ...(options.city ? { city: options.city } : {}),
});

async function reviewInteractively(options: ReviewOptions): Promise<void> {
  const settings = signInSettings();
  const api = peopleApi(settings);
  const me = await reviewerOf(api);
  // Node's own line reader: answers piped in or typed in a terminal (the tmux test) read alike.
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const jurisdiction = jurisdictionOf(me);
    const session = new ReviewSession(
      {
        inbox: new ApiReviewInbox(api, filtersOf(options)),
        backend: apiBackend(api),
        ask: (question) => rl.question(question),
        say: (text) => process.stdout.write(`${text}\n`),
        newDecisionId: randomUUID,
      },
      {
        reviewer: me.name ?? me.subject ?? 'reviewer',
        level: me.level ?? 'city',
        ...(jurisdiction ? { jurisdiction } : {}),
        once: options.once ?? false,
        ...(options.idleExit !== undefined ? { idleExit: options.idleExit } : {}),
        decisionsVia: settings.apiUrl,
      },
    );
    await session.run();
  } finally {
    rl.close();
  }
}

async function listInbox(options: ReviewOptions & { limit?: number; cursor?: string; json?: boolean }): Promise<void> {
  const api = peopleApi();
  const page = await inboxPage(api, {
    ...filtersOf(options),
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
  if (options.json) {
    console.log(JSON.stringify(page, null, 2));
    return;
  }
  const whose = `${page.inbox.level} ${divisionLabel(page.inbox.jurisdiction)} (${page.inbox.jurisdiction})`;
  if (page.items.length === 0) {
    console.log(
      `待审列表为空 / nothing waits in the ${whose} inbox${options.enterprise || options.period || options.city ? ' for these filters' : ''} (${page.counts.total} in all)`,
    );
    return;
  }
  const table = new Table({
    head: ['attempt id', 'enterprise', 'name', 'city', 'period', '#', 'received', 'timeliness', 'errors', 'warnings'],
    style: { head: [], border: [] },
  });
  for (const i of page.items)
    table.push([
      i.attemptId,
      i.enterpriseId,
      i.enterpriseName ?? '',
      divisionLabel(i.cityCode),
      i.period,
      i.attempt,
      shanghaiTime(i.receivedAt),
      i.onTime ? 'on time' : 'late',
      i.errors,
      i.warnings,
    ]);
  console.log(`待审 / waiting in the ${whose} inbox, oldest first (${page.items.length} shown, ${page.counts.total} in all):\n${table.toString()}`);
  if (page.cursor) console.log(`more: evidence review inbox --cursor ${page.cursor}`);
}

async function showOne(options: { attempt: string; json?: boolean }): Promise<void> {
  const view = await apiBackend(peopleApi()).show(options.attempt);
  if (!view) throw new CliError(`未找到 / not found: no attempt ${options.attempt} you may read`, EXIT.notFound);
  if (options.json) {
    console.log(JSON.stringify(view, null, 2));
    return;
  }
  for (const line of attemptScreen({ level: view.attempt.escalation ? 'province' : 'city' }, view)) console.log(line);
  const settled = settledBecause(view);
  if (settled) console.log(`needs no review: ${settled}`);
  else if (!view.attempt.timeliness.onTime) console.log(`late by ${duration(view.attempt.timeliness.lateBySeconds)}`);
}

interface DecideOptions {
  attempt: string;
  accept?: boolean;
  return?: boolean;
  escalate?: boolean;
  comment: string;
  issueComment?: IssueComment[];
  decisionId?: string;
  json?: boolean;
}

async function decideOnce(options: DecideOptions): Promise<void> {
  const outcomes = (['accept', 'return', 'escalate'] as const).filter((o) => options[o]);
  const [outcome] = outcomes;
  if (outcomes.length !== 1 || !outcome)
    throw new UsageError('请只给出 --accept、--return、--escalate 之一 / give exactly one of --accept, --return, --escalate');
  const answer = await apiBackend(peopleApi()).decide(options.attempt, {
    outcome,
    comment: options.comment.trim(),
    issueComments: options.issueComment ?? [],
    decisionId: options.decisionId ?? randomUUID(),
  });
  if (options.json) console.log(JSON.stringify(answer, null, 2));
  if (!answer.ok) throw new CliError(`未记录 / decision refused (${answer.code}): ${answer.message}`, answer.exitCode ?? EXIT.conflict);
  if (!options.json) console.log(describeAnswer(answer, outcome));
}

const collect = (value: string, previous: IssueComment[] = []) => [...previous, parseIssueComment(value)];

export function registerReviewCommands(program: Command): void {
  const review = program
    .command('review')
    .description('review deposits waiting in your inbox (your jurisdiction and level, oldest first): read the issues and evidence, decide / 审核待审存证')
    .option('--enterprise <creditCode>', 'only this enterprise', creditCodeArg)
    .option('--period <YYYY-MM>', 'only this month', periodArg)
    .option('--city <code or name>', 'provincial reviewers: only this city')
    .option('--once', 'stop after one decision')
    .option('--idle-exit <seconds>', 'stop when nothing has waited for this long', secondsArg)
    .action(reviewInteractively);

  review
    .command('inbox')
    .description('list what waits in your inbox, oldest first (filters as for review) / 待审列表')
    .option('--limit <n>', 'at most this many (1–200, default 50)', limitArg)
    .option('--cursor <cursor>', 'the next page, as the previous page named it')
    .option('--json', 'machine-readable output (the API’s answer)')
    // The filters belong to `review` (commander hands them to the parent wherever they appear).
    .action((_: unknown, command: Command) => listInbox(command.optsWithGlobals()));

  review
    .command('show')
    .description('one attempt as a reviewer sees it: issues, the month’s attempts, links to its files / 查看提交')
    .requiredOption('--attempt <id>', 'the attempt id (from the inbox or evidence status)')
    .option('--json', 'machine-readable output (the API’s answer)')
    .action((options: { attempt: string; json?: boolean }) => showOne(options));

  review
    .command('decide')
    .description('record one decision as the signed-in reviewer (scripts) / 记录审核决定')
    .requiredOption('--attempt <id>', 'the attempt id (from the inbox or evidence status)')
    .option('--accept', 'the deposit passes (explain any warnings with --comment)')
    .option('--return', 'the enterprise must re-deposit (give --comment and/or --issue-comment)')
    .option('--escalate', 'hand it to provincial review (say why with --comment)')
    .option('--comment <text>', 'comment to the enterprise (or to the province when escalating)', '')
    .option('--issue-comment <CODE[@unit[/field]]=text>', 'a comment on one issue; repeatable', collect)
    .option('--decision-id <id>', 'idempotency key: repeating the command with it is not a second decision (default: a new one)')
    .option('--json', 'print the answer as JSON')
    .action((options: DecideOptions) => decideOnce(options));
}
