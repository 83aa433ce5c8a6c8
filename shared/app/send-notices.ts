/**
 * The notices run (functions/reminders, scheduled daily, Asia/Shanghai): deadline reminders to
 * enterprises that have deposited nothing, each city department's overdue digest, reviewers whose
 * inbox holds an attempt waiting too long, and the news of each attempt recorded, decided or
 * escalated since it was last told.
 *
 * What is due is decided by the domain from what the ledger holds at `now`; every notice is
 * claimed in the notices table under a stable id before it goes, so a re-run, a retry or two
 * overlapping runs send it once. One notice per channel: a robot that fails is retried, then
 * recorded as dead-lettered, and the e-mail beside it still goes.
 */
import type { Attempt } from '#domain/attempt.ts';
import { type Contact, type NoticeTarget, targetsOf } from '#domain/contacts.ts';
import type { DeadlineRules } from '#domain/deadline.ts';
import { inboxKeyOf } from '#domain/inbox.ts';
import {
  attemptRecordedMessage,
  decisionMessage,
  digestMessage,
  escalationMessage,
  inboxAgeMessage,
  linkTo,
  type Message,
  reminderMessage,
} from '#domain/notices.ts';
import type { Period } from '#domain/period.ts';
import type { RatedRecord } from '#domain/rates.ts';
import type { Enterprise } from '#domain/registry.ts';
import { beijingDay, dueDigests, dueReminders, type NoticeSettings, reminderPeriods } from '#domain/reminders.ts';
import { mapLimit } from './map-limit.ts';
import { errorOf } from './outcome.ts';
import type { AttemptReader, ContactBook, InboxReader, NoticeChannel, NoticeEvents, NoticeLog, PeriodReader, PendingNotice } from './ports.ts';

export interface NoticeDeps {
  /** A fresh reader per run (its counts are the run's). */
  readonly reader: () => Pick<PeriodReader, 'registry' | 'recordsOf'>;
  readonly attempts: AttemptReader;
  readonly events: NoticeEvents;
  readonly inbox: Pick<InboxReader, 'page'>;
  readonly contacts: ContactBook;
  readonly log: NoticeLog;
  readonly channel: NoticeChannel;
  readonly rules: DeadlineRules;
  readonly settings: NoticeSettings;
  /** The pause between tries (tests pass a short one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface NoticeRun {
  readonly at: string;
  readonly reminders: number;
  readonly digests: number;
  readonly inboxAlerts: number;
  /** Attempts whose news was told (or had no one to tell). */
  readonly events: number;
  readonly sent: number;
  /** Notices claimed before (by an earlier run): not sent again. */
  readonly alreadySent: number;
  readonly deadLettered: readonly string[];
}

/** One piece of news for one contact, before it is split by channel. */
interface Outgoing {
  readonly id: string;
  readonly kind: string;
  readonly recipient: string;
  readonly contact: Contact;
  readonly message: (lang: Contact['language']) => Message | undefined;
}

const targetKey = (target: NoticeTarget) => target.channel;

export async function runNotices(deps: NoticeDeps, now: Date): Promise<NoticeRun> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const counts = { sent: 0, alreadySent: 0, deadLettered: [] as string[] };

  /** Claims, tries and settles each channel's notice; never throws for a channel that failed. */
  async function deliver(outgoing: Outgoing): Promise<void> {
    const message = outgoing.message(outgoing.contact.language);
    if (!message) return;
    for (const target of targetsOf(outgoing.contact)) {
      const noticeId = `${outgoing.id}:${targetKey(target)}`;
      const claimed = await deps.log.claim({
        noticeId,
        kind: outgoing.kind,
        recipient: outgoing.recipient,
        channel: target.channel,
        subject: message.subject,
        text: message.text,
        createdAt: new Date().toISOString(),
      });
      if (!claimed) {
        counts.alreadySent++;
        continue;
      }
      let lastError = '';
      let tries = 0;
      for (; tries < deps.settings.maxTries; ) {
        tries++;
        try {
          await deps.channel.deliver(target, message);
          lastError = '';
          break;
        } catch (error) {
          lastError = errorOf(error).message;
          if (tries < deps.settings.maxTries) await sleep(deps.settings.retryDelayMs * 2 ** (tries - 1));
        }
      }
      const at = new Date().toISOString();
      if (lastError === '') {
        await deps.log.settle(noticeId, { status: 'sent', at, tries });
        counts.sent++;
      } else {
        await deps.log.settle(noticeId, { status: 'dead-lettered', at, tries, error: lastError.slice(0, 1000) });
        counts.deadLettered.push(noticeId);
      }
    }
  }

  const reader = deps.reader();
  const registry = await reader.registry();
  const periods = reminderPeriods(now);
  const records = new Map<Period, readonly RatedRecord[]>(await mapLimit(periods, 4, async (p) => [p, await reader.recordsOf(p)] as const));
  const inputs = { registry, records, rules: deps.rules, settings: deps.settings, now };

  const outgoing: Outgoing[] = [];
  const reminders = dueReminders(inputs);
  for (const r of reminders) {
    if (!r.enterprise.contacts) continue;
    outgoing.push({
      id: r.id,
      kind: `reminder-${r.reminder.kind}`,
      recipient: r.enterprise.enterpriseId,
      contact: r.enterprise.contacts,
      message: (lang) => reminderMessage(r, lang, deps.settings.depositLink),
    });
  }

  const departments = new Map((await deps.contacts.jurisdictions('department')).map((c) => [c.scope, c]));
  const digests = dueDigests(inputs);
  for (const d of digests) {
    const contact = departments.get(d.scope);
    if (contact) outgoing.push({ id: d.id, kind: 'digest', recipient: d.scope, contact, message: (lang) => digestMessage(d, lang) });
  }

  let inboxAlerts = 0;
  const oldEnough = now.getTime() - deps.settings.inboxMaxAgeHours * 3600_000;
  for (const contact of await deps.contacts.jurisdictions('reviewers')) {
    const [level, code] = contact.scope.split(':') as ['city' | 'province', string];
    const page = await deps.inbox.page({ inbox: inboxKeyOf(level, code), limit: 100 });
    // inboxSince is `<receivedAt>#<attemptId>` (shared/domain/inbox.ts): oldest first.
    const waitingSince = page.rows.map((row) => row.inboxSince.split('#')[0] ?? '').filter((since) => Date.parse(since) <= oldEnough);
    const oldest = waitingSince[0];
    if (!oldest) continue;
    inboxAlerts++;
    outgoing.push({
      id: `inbox:${contact.scope}:${beijingDay(now)}`,
      kind: 'inbox-age',
      recipient: contact.scope,
      contact,
      message: (lang) => inboxAgeMessage(contact.scope, waitingSince.length, oldest, deps.settings.inboxMaxAgeHours, lang),
    });
  }

  await mapLimit(outgoing, 8, deliver);

  // The news of attempts: told once each, cleared from the index only once every notice settled.
  const enterprises = new Map<string, Enterprise>(registry.map((e) => [e.enterpriseId, e]));
  const pending = await deps.events.pending(now);
  await mapLimit(pending, 4, async (p: PendingNotice) => {
    const enterprise = enterprises.get(p.location.enterpriseId);
    if (enterprise?.contacts) {
      const attempt = await deps.attempts.getAttempt(p.location.enterpriseId, p.location.period, p.location.attemptId);
      if (attempt) for (const news of newsOf(attempt, enterprise, enterprise.contacts, deps.settings, now)) await deliver(news);
    }
    await deps.events.told(p);
  });

  return {
    at: now.toISOString(),
    reminders: reminders.length,
    digests: digests.length,
    inboxAlerts,
    events: pending.length,
    sent: counts.sent,
    alreadySent: counts.alreadySent,
    deadLettered: counts.deadLettered,
  };
}

/** What the enterprise is told of one attempt: that it was recorded, and any decision or escalation made by `now`. */
function newsOf(attempt: Attempt, enterprise: Enterprise, contact: Contact, settings: NoticeSettings, now: Date): Outgoing[] {
  const receipt = linkTo(settings.receiptLink, attempt.attemptId);
  const by = (iso: string | undefined) => iso !== undefined && Date.parse(iso) <= now.getTime();
  const news: Outgoing[] = [
    {
      id: `attempt:${attempt.attemptId}`,
      kind: 'attempt-recorded',
      recipient: enterprise.enterpriseId,
      contact,
      message: (lang) => attemptRecordedMessage(attempt, enterprise.name, lang, receipt),
    },
  ];
  if (attempt.escalation && by(attempt.escalation.escalatedAt))
    news.push({
      id: `escalation:${attempt.escalation.decisionId}`,
      kind: 'escalation',
      recipient: enterprise.enterpriseId,
      contact,
      message: (lang) => escalationMessage(attempt, enterprise.name, lang),
    });
  if (attempt.decision && by(attempt.decision.decidedAt))
    news.push({
      id: `decision:${attempt.decision.decisionId}`,
      kind: `decision-${attempt.decision.outcome}`,
      recipient: enterprise.enterpriseId,
      contact,
      message: (lang) => decisionMessage(attempt, enterprise.name, lang, receipt),
    });
  return news;
}
