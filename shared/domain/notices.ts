/**
 * What a notice says: plain, short text in Chinese (English where the contact asks), every time
 * in Beijing time. One text serves e-mail (subject + body) and group robots (the subject is the
 * first line). Pure: the use case decides whom to tell and when.
 */
import type { Attempt } from './attempt.ts';
import type { Language } from './contacts.ts';
import { divisionLabel } from './provinces.ts';
import type { DueDigest, DueReminder } from './reminders.ts';

export interface Message {
  readonly subject: string;
  readonly text: string;
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-05-10` as 2026年5月10日 / 10 May 2026. */
export function dayText(day: string, lang: Language): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return lang === 'zh' ? `${y}年${m}月${d}日` : `${d} ${MONTHS_EN[m - 1]} ${y}`;
}

/** An instant as Beijing wall time: 2026年5月10日 14:05 / 10 May 2026 14:05. */
export function beijingTimeText(iso: string, lang: Language): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${dayText(shifted.slice(0, 10), lang)} ${shifted.slice(11, 16)}`;
}

export function periodText(period: string, lang: Language): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return lang === 'zh' ? `${y}年${m}月` : `${MONTHS_EN[m - 1]} ${y}`;
}

const FOOTER = {
  zh: '（此消息由碳排放月度存证系统自动发送，请勿回复。）',
  en: '(Sent automatically by the monthly evidence deposit system; please do not reply.)',
};

function deadlineText(lastDay: string, lang: Language): string {
  return lang === 'zh' ? `北京时间${dayText(lastDay, 'zh')} 24:00` : `the end of ${dayText(lastDay, 'en')}, Beijing time (UTC+8)`;
}

function body(lines: readonly (string | undefined | false)[], lang: Language): string {
  return [...lines.filter((l): l is string => typeof l === 'string'), '', FOOTER[lang]].join('\n');
}

export function linkTo(template: string, attemptId: string): string | undefined {
  return template ? template.replaceAll('{attemptId}', encodeURIComponent(attemptId)) : undefined;
}

export function reminderMessage(r: DueReminder, lang: Language, depositLink: string): Message {
  const e = r.enterprise;
  const month = periodText(r.period, lang);
  const deadline = deadlineText(r.lastDay, lang);
  if (lang === 'en') {
    const subject =
      r.reminder.kind === 'opened'
        ? `Deposit for ${month} is open: due by ${dayText(r.lastDay, 'en')}`
        : r.reminder.kind === 'before'
          ? `Reminder: ${r.reminder.days} days left to deposit ${month}`
          : `Overdue: the deposit for ${month} was due by ${dayText(r.lastDay, 'en')}`;
    return {
      subject,
      text: body(
        [
          `${e.name} (${e.enterpriseId}),`,
          '',
          r.reminder.kind === 'overdue'
            ? `We have received no deposit for ${month}. It was due by ${deadline}; please deposit it now — it will be recorded as late.`
            : `Your monthly evidence deposit for ${month} has not been received yet. It is due by ${deadline}.`,
          depositLink && `Deposit here: ${depositLink}`,
        ],
        'en',
      ),
    };
  }
  const subject =
    r.reminder.kind === 'opened'
      ? `【存证提醒】${month}月度存证已开始，截止${dayText(r.lastDay, 'zh')}`
      : r.reminder.kind === 'before'
        ? `【存证提醒】${month}月度存证还有${r.reminder.days}天截止`
        : `【逾期提醒】${month}月度存证已逾期`;
  return {
    subject,
    text: body(
      [
        `${e.name}（${e.enterpriseId}）：`,
        '',
        r.reminder.kind === 'overdue'
          ? `贵单位${month}的月度信息化存证尚未提交，截止时间${deadline}已过。请尽快提交，提交后将记为逾期。`
          : `贵单位${month}的月度信息化存证尚未提交，截止时间为${deadline}。`,
        depositLink && `提交地址：${depositLink}`,
      ],
      'zh',
    ),
  };
}

export function digestMessage(d: DueDigest, lang: Language): Message {
  const city = divisionLabel(d.cityName);
  const lines: string[] = [];
  let late = 0;
  let missing = 0;
  for (const p of d.periods) {
    late += p.late.length;
    missing += p.missing.length;
    lines.push('');
    lines.push(
      lang === 'zh' ? `${periodText(p.period, 'zh')}（截止${dayText(p.lastDay, 'zh')}）` : `${periodText(p.period, 'en')} (due by ${dayText(p.lastDay, 'en')})`,
    );
    for (const s of p.missing) lines.push(lang === 'zh' ? `  未提交  ${s.name}（${s.enterpriseId}）` : `  missing  ${s.name} (${s.enterpriseId})`);
    for (const s of p.late) {
      const days = Math.ceil(s.lateBySeconds / 86400);
      lines.push(lang === 'zh' ? `  逾期${days}天提交  ${s.name}（${s.enterpriseId}）` : `  late by ${days} day(s)  ${s.name} (${s.enterpriseId})`);
    }
  }
  return lang === 'zh'
    ? {
        subject: `【逾期日报】${city}：${missing}家未提交，${late}家逾期提交（${dayText(d.day, 'zh')}）`,
        text: body([`${city}生态环境部门：`, `截至北京时间${dayText(d.day, 'zh')}，本市逾期情况如下：`, ...lines], 'zh'),
      }
    : {
        subject: `Overdue digest for ${city}: ${missing} missing, ${late} late (${dayText(d.day, 'en')})`,
        text: body([`To the department of ${city}:`, `As of ${dayText(d.day, 'en')} (Beijing time), these enterprises are overdue:`, ...lines], 'en'),
      };
}

const VERDICT = {
  accepted: { zh: '通过', en: 'accepted' },
  returned: { zh: '退回（请更正后重新提交）', en: 'returned (please correct and deposit again)' },
  'needs-review': { zh: '待审核', en: 'waiting for review' },
} as const;

type NoticeAttempt = Pick<
  Attempt,
  'attemptId' | 'enterpriseId' | 'period' | 'receivedAt' | 'timeliness' | 'verdict' | 'validation' | 'decision' | 'escalation'
>;

function issueLines(attempt: NoticeAttempt, lang: Language): string[] {
  const issues = attempt.validation.issues.slice(0, 5);
  const more = attempt.validation.issues.length - issues.length;
  return [
    ...issues.map((i) => `  - ${i.code}${i.unitId ? ` [${lang === 'zh' ? '机组' : 'unit'} ${i.unitId}]` : ''}: ${i.message[lang]}`),
    ...(more > 0 ? [lang === 'zh' ? `  …另有${more}项` : `  …and ${more} more`] : []),
  ];
}

/** An attempt was recorded: its receipt time, timeliness, the machine's verdict, the receipt. */
export function attemptRecordedMessage(attempt: NoticeAttempt, name: string, lang: Language, receiptLink?: string): Message {
  const month = periodText(attempt.period, lang);
  const verdict = VERDICT[attempt.validation.verdict][lang];
  const late = !attempt.timeliness.onTime;
  if (lang === 'en')
    return {
      subject: `Deposit received for ${month}: ${verdict}`,
      text: body(
        [
          `${name} (${attempt.enterpriseId}),`,
          '',
          `Your deposit for ${month} was received at ${beijingTimeText(attempt.receivedAt, 'en')} Beijing time${late ? ', after the deadline (late)' : ', on time'}.`,
          `Result of the checks: ${verdict}.`,
          ...(attempt.validation.issues.length > 0 ? ['Issues:', ...issueLines(attempt, 'en')] : []),
          receiptLink && `Receipt: ${receiptLink}`,
          `Attempt: ${attempt.attemptId}`,
        ],
        'en',
      ),
    };
  return {
    subject: `【存证回执】${month}存证已收到：${verdict}`,
    text: body(
      [
        `${name}（${attempt.enterpriseId}）：`,
        '',
        `贵单位${month}的存证已于北京时间${beijingTimeText(attempt.receivedAt, 'zh')}收到，${late ? '已超过截止时间（逾期）' : '按时提交'}。`,
        `系统校验结果：${verdict}。`,
        ...(attempt.validation.issues.length > 0 ? ['问题：', ...issueLines(attempt, 'zh')] : []),
        receiptLink && `回执：${receiptLink}`,
        `存证编号：${attempt.attemptId}`,
      ],
      'zh',
    ),
  };
}

/** A reviewer decided: accepted, or returned with the reviewer's comments. */
export function decisionMessage(attempt: NoticeAttempt, name: string, lang: Language, receiptLink?: string): Message | undefined {
  const d = attempt.decision;
  if (!d) return undefined;
  const month = periodText(attempt.period, lang);
  const accepted = d.outcome === 'accept';
  const comments = [
    ...(d.comment ? [lang === 'zh' ? `审核意见：${d.comment}` : `Reviewer's comment: ${d.comment}`] : []),
    ...d.issueComments.map(
      (c) => `  - ${c.code}${c.unitId ? ` [${lang === 'zh' ? '机组' : 'unit'} ${c.unitId}]` : ''}${c.field ? ` ${c.field}` : ''}: ${c.comment}`,
    ),
  ];
  if (lang === 'en')
    return {
      subject: accepted ? `Deposit for ${month} accepted by the reviewer` : `Deposit for ${month} returned: please correct and deposit again`,
      text: body(
        [
          `${name} (${attempt.enterpriseId}),`,
          '',
          `The ${d.level} reviewer ${accepted ? 'accepted' : 'returned'} your deposit for ${month} (attempt ${attempt.attemptId}) at ${beijingTimeText(d.decidedAt, 'en')} Beijing time.`,
          ...comments,
          !accepted && 'Please correct the deposit and deposit it again.',
          receiptLink && `Receipt: ${receiptLink}`,
        ],
        'en',
      ),
    };
  return {
    subject: accepted ? `【审核结果】${month}存证审核通过` : `【审核结果】${month}存证被退回，请更正后重新提交`,
    text: body(
      [
        `${name}（${attempt.enterpriseId}）：`,
        '',
        `贵单位${month}的存证（编号${attempt.attemptId}）已于北京时间${beijingTimeText(d.decidedAt, 'zh')}经${d.level === 'city' ? '市级' : '省级'}审核${accepted ? '通过' : '退回'}。`,
        ...comments,
        !accepted && '请按审核意见更正后重新提交。',
        receiptLink && `回执：${receiptLink}`,
      ],
      'zh',
    ),
  };
}

export function escalationMessage(attempt: NoticeAttempt, name: string, lang: Language): Message | undefined {
  const x = attempt.escalation;
  if (!x) return undefined;
  const month = periodText(attempt.period, lang);
  return lang === 'zh'
    ? {
        subject: `【审核进度】${month}存证已转省级审核`,
        text: body(
          [
            `${name}（${attempt.enterpriseId}）：`,
            '',
            `贵单位${month}的存证（编号${attempt.attemptId}）已于北京时间${beijingTimeText(x.escalatedAt, 'zh')}由市级审核转交省级审核，无需操作，请等待审核结果。`,
          ],
          'zh',
        ),
      }
    : {
        subject: `Deposit for ${month} passed to provincial review`,
        text: body(
          [
            `${name} (${attempt.enterpriseId}),`,
            '',
            `Your deposit for ${month} (attempt ${attempt.attemptId}) was passed from city to provincial review at ${beijingTimeText(x.escalatedAt, 'en')} Beijing time. Nothing to do; the decision will follow.`,
          ],
          'en',
        ),
      };
}

export function inboxAgeMessage(scope: string, waiting: number, oldestSince: string, maxAgeHours: number, lang: Language): Message {
  const place = divisionLabel(scope.split(':')[1] ?? scope);
  return lang === 'zh'
    ? {
        subject: `【待审提醒】${place}有${waiting}份存证等待审核超过${maxAgeHours}小时`,
        text: body(
          [
            `${place}审核人员：`,
            '',
            `待审核列表中有${waiting}份存证已等待超过${maxAgeHours}小时，最早一份自北京时间${beijingTimeText(oldestSince, 'zh')}起等待。请及时审核。`,
          ],
          'zh',
        ),
      }
    : {
        subject: `${waiting} deposit(s) in ${place}'s inbox waiting over ${maxAgeHours} hours`,
        text: body(
          [
            `To the reviewers of ${place}:`,
            '',
            `${waiting} deposit(s) in your inbox have waited over ${maxAgeHours} hours; the oldest since ${beijingTimeText(oldestSince, 'en')} Beijing time. Please review them.`,
          ],
          'en',
        ),
      };
}
