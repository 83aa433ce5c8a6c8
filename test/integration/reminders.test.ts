/**
 * Reminders and notices on the twin: deposits go through the real pipeline (S3 → intake →
 * validate-deposit → ledger), the notices run (the reminders function's own deps, as of chosen
 * instants) sends through real SMTP to the twin's mail server and real HTTP to its robot sink,
 * and what arrived is read back from them.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { DynamoContactBook } from '#adapters/dynamo-notices.ts';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import { decideOnAttempt } from '#app/review-decision.ts';
import { type NoticeRun, runNotices } from '#app/send-notices.ts';
import type { Principal } from '#domain/identity.ts';
import type { Enterprise } from '#domain/registry.ts';
import { ENV } from '#resources/env.ts';
import { RemindersConfigSchema, remindersDeps } from '#functions/reminders/make-handler.ts';
import { demoPdf, demoReport, type DemoFlaw } from '#twin/demo.ts';
import { TwinMailServer } from '#twin/mail-server.ts';
import { SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { WebhookSink } from '#twin/webhook-sink.ts';
import { eventually, testEnterprise, useTwin } from '../support/twin.ts';

const twin = useTwin();
const robots = new WebhookSink();
const mail = new TwinMailServer(robots);
const PERIOD = '2025-03';
// 2025-03 opens 00:00 Beijing 1 April (31 March 16:00 UTC) and is due by the end of 10 May.
const AT = {
  opened: '2025-04-01T01:00:00Z',
  stillOpened: '2025-04-20T01:00:00Z',
  tenDays: '2025-05-01T01:00:00Z',
  threeDays: '2025-05-08T01:00:00Z',
  overdue: '2025-05-11T01:00:00Z',
  afterLate: '2025-05-13T01:00:00Z',
} as const;

let e: { deposited: Enterprise; never: Enterprise; late: Enterprise; failingRobot: Enterprise };

const contact = (name: string, webhook?: string) => ({
  emails: [`${name}@plant.example.cn`],
  language: 'zh' as const,
  ...(webhook ? { webhook: { robot: 'wecom' as const, url: webhook } } : {}),
});

function deposit(enterprise: Enterprise, at: string, flaw: DemoFlaw = 'none') {
  return uploadDeposit(twin.clients.s3, twin.resources.bucket, {
    enterpriseId: enterprise.enterpriseId,
    period: PERIOD,
    report: { fileName: 'report.json', body: JSON.stringify(demoReport(enterprise, PERIOD, 7, flaw)) },
    evidence: [
      { fileName: 'ledger-scan.pdf', body: demoPdf(`ledger ${enterprise.enterpriseId}`) },
      { fileName: 'lab-report.pdf', body: demoPdf(`lab ${enterprise.enterpriseId}`) },
    ],
    reportMetadata: { [SIMULATED_RECEIPT_METADATA]: new Date(at).toISOString() },
  });
}

const deps = () =>
  remindersDeps(
    RemindersConfigSchema.parse({
      [ENV.depositsTable]: twin.resources.tables.deposits,
      [ENV.attemptsTable]: twin.resources.tables.attempts,
      [ENV.registryTable]: twin.resources.tables.registry,
      [ENV.noticesTable]: twin.resources.tables.notices,
      [ENV.contactsTable]: twin.resources.tables.contacts,
      [ENV.noticeChannels]: JSON.stringify({
        from: 'evidence <noreply@evidence-twin.local>',
        mail: { transport: 'smtp', ...mail.smtpHost, requireTls: false },
      }),
      [ENV.noticeSettings]: JSON.stringify({ retryDelayMs: 20, receiptLink: `${twin.apiUrl}/attempts/{attemptId}/receipt` }),
    }),
    twin.clients,
  );

const run = (at: string): Promise<NoticeRun> => runNotices(deps(), new Date(at));
const mailsTo = (address: string) => mail.mails.filter((m) => m.to.includes(address));
const subjects = (address: string) => mailsTo(address).map((m) => m.subject);

beforeAll(async () => {
  await robots.start();
  await mail.start();
  const make = (name: string, webhook?: string) =>
    testEnterprise({ province: '江西', city: '上饶', name: `上饶${name}电厂`, obligedFrom: PERIOD, obligedUntil: PERIOD, contacts: contact(name, webhook) });
  e = {
    deposited: make('deposited'),
    never: make('never', `${robots.url}/wecom/send?key=never`),
    late: make('late'),
    // Its robot answers 500 every time: retried, then dead-lettered; its e-mail still goes.
    failingRobot: make('failing', `${robots.url}/status/500/wecom/send?key=failing`),
  };
  await twin.registry.putAll(Object.values(e));
  await new DynamoContactBook(twin.clients.db, twin.resources.tables.contacts).putAll([
    { scope: 'city:361100', audience: 'department', emails: ['dept-361100@sthjt.example.cn'], language: 'zh' },
    { scope: 'city:361100', audience: 'reviewers', emails: ['reviewers-361100@sthjt.example.cn'], language: 'en' },
  ]);
  // An hour after the window opens, with a warning (it waits for a reviewer); the other late, on 12 May.
  await deposit(e.deposited, '2025-03-31T17:00:00Z', 'atypical-ncv');
  await deposit(e.late, '2025-05-12T02:00:00Z');
  for (const x of [e.deposited, e.late])
    await eventually(async () => ((await twin.ledger.attemptsOf(x.enterpriseId, PERIOD)).length > 0 ? true : undefined), `${x.name}'s attempt`);
});

afterAll(async () => {
  await mail.stop();
  await robots.stop();
});

describe('a month of reminders, run at several instants: twice at once, then again', () => {
  it('sends each reminder once, to those who have not deposited by then, and the news of each attempt', async () => {
    for (const at of Object.values(AT)) {
      // Two overlapping runs at one instant (a retried schedule beside a manual run) claim each notice once between them.
      await Promise.all([run(at), run(at)]);
      const again = await run(at);
      // The second run at the same instant finds everything claimed: nothing goes twice.
      expect(again.sent, at).toBe(0);
    }
    expect(subjects('never@plant.example.cn')).toEqual([
      '【存证提醒】2025年3月月度存证已开始，截止2025年5月10日',
      '【存证提醒】2025年3月月度存证还有10天截止',
      '【存证提醒】2025年3月月度存证还有3天截止',
      '【逾期提醒】2025年3月月度存证已逾期',
    ]);
    // Deposited an hour after the window opened, before the first run: no reminder, only its receipt.
    expect(subjects('deposited@plant.example.cn')).toEqual(['【存证回执】2025年3月存证已收到：待审核']);
    // Reminded until it deposited (late, on 12 May), then told it was received, late.
    expect(subjects('late@plant.example.cn')).toEqual([
      '【存证提醒】2025年3月月度存证已开始，截止2025年5月10日',
      '【存证提醒】2025年3月月度存证还有10天截止',
      '【存证提醒】2025年3月月度存证还有3天截止',
      '【逾期提醒】2025年3月月度存证已逾期',
      '【存证回执】2025年3月存证已收到：通过',
    ]);
    const receipt = mailsTo('late@plant.example.cn').at(-1)?.text ?? '';
    expect(receipt).toContain('已超过截止时间（逾期）');
    expect(receipt).toContain('北京时间2025年5月12日 10:00');
    expect(receipt).toMatch(new RegExp(`${twin.apiUrl}/attempts/[0-9a-f]{16}/receipt`));
    expect(mailsTo('never@plant.example.cn')[0]?.text).toContain('截止时间为北京时间2025年5月10日 24:00');

    // The robot of `never` got the same four reminders, as WeCom text messages.
    const neverRobot = robots.messages.filter((m) => m.path === '/wecom/send' && m.query.key === 'never');
    expect(neverRobot.map((m) => (m.body as { msgtype: string }).msgtype)).toEqual(['text', 'text', 'text', 'text']);
    expect(JSON.stringify(neverRobot[3]?.body)).toContain('【逾期提醒】');

    // The department's digest: on 11 May three missing; on 13 May two missing and one late.
    const digests = mailsTo('dept-361100@sthjt.example.cn');
    expect(digests.map((m) => m.subject)).toEqual([
      '【逾期日报】上饶市：3家未提交，0家逾期提交（2025年5月11日）',
      '【逾期日报】上饶市：2家未提交，1家逾期提交（2025年5月13日）',
    ]);
    expect(digests[1]?.text).toContain(`逾期2天提交  ${e.late.name}（${e.late.enterpriseId}）`);
    expect(digests[1]?.text).toContain(`未提交  ${e.never.name}`);
    // The reviewers (in English, as they asked): A's attempt has waited over 72 hours from 20 April on, once a day.
    const alerts = mailsTo('reviewers-361100@sthjt.example.cn');
    expect(alerts.length).toBe(5);
    expect(alerts[0]?.subject).toBe("1 deposit(s) in 上饶市's inbox waiting over 72 hours");
  });

  it('retries a failing robot, then records its notice as dead-lettered, and the e-mail beside it still went', async () => {
    expect(subjects('failing@plant.example.cn')).toHaveLength(4);
    const failed = robots.messages.filter((m) => m.query.key === 'failing');
    // Four reminders, three tries each, every one answered 500.
    expect(failed).toHaveLength(12);
    expect(failed.every((m) => m.status === 500)).toBe(true);
    const { Item } = await twin.clients.db.send(
      new GetCommand({ TableName: twin.resources.tables.notices, Key: { noticeId: `reminder:${PERIOD}:${e.failingRobot.enterpriseId}:opened:webhook` } }),
    );
    expect(Item).toMatchObject({ status: 'dead-lettered', tries: 3, channel: 'webhook' });
    expect(String(Item?.error)).toContain('HTTP 500');
    const { Item: email } = await twin.clients.db.send(
      new GetCommand({ TableName: twin.resources.tables.notices, Key: { noticeId: `reminder:${PERIOD}:${e.failingRobot.enterpriseId}:opened:email` } }),
    );
    expect(email).toMatchObject({ status: 'sent', tries: 1 });
    // A later run does not try the dead-lettered one again (it waits for an operator), nor send anything twice.
    const later = await run(AT.afterLate);
    expect(later.sent).toBe(0);
    expect(robots.messages.filter((m) => m.query.key === 'failing')).toHaveLength(12);
  });

  it("sends the enterprise the reviewer's comments when its deposit is returned", async () => {
    const [attempt] = await twin.ledger.attemptsOf(e.deposited.enterpriseId, PERIOD);
    const reviewer: Principal = {
      role: 'reviewer',
      subject: 'wang.fang',
      name: '王芳',
      level: 'city',
      jurisdiction: { kind: 'city', code: '361100', province: '360000' },
    };
    const decided = await decideOnAttempt(
      { store: twin.ledger, reviewQueue: new SqsReviewQueue(twin.clients.sqs, twin.resources.queues.review.url), now: () => new Date('2025-05-20T02:00:00Z') },
      attempt?.attemptId ?? '',
      {
        outcome: 'return',
        comment: '1号机组收到基低位发热量明显偏低，请核对化验报告',
        issueComments: [{ code: attempt?.validation.issues[0]?.code ?? 'X', unitId: '1', comment: '请附CMA化验报告原件扫描件' }],
      },
      reviewer,
    );
    expect(decided.ok).toBe(true);
    // Before the decision's instant, nothing about it exists yet.
    await run('2025-05-19T01:00:00Z');
    expect(subjects('deposited@plant.example.cn').filter((s) => s.startsWith('【审核结果】'))).toEqual([]);
    await run('2025-05-21T01:00:00Z');
    await run('2025-05-21T01:00:00Z');
    const returned = mailsTo('deposited@plant.example.cn').filter((m) => m.subject.startsWith('【审核结果】'));
    expect(returned.map((m) => m.subject)).toEqual(['【审核结果】2025年3月存证被退回，请更正后重新提交']);
    expect(returned[0]?.text).toContain('经市级审核退回');
    expect(returned[0]?.text).toContain('审核意见：1号机组收到基低位发热量明显偏低，请核对化验报告');
    expect(returned[0]?.text).toContain('[机组 1]');
    expect(returned[0]?.text).toContain('请附CMA化验报告原件扫描件');
    expect(returned[0]?.text).toContain('北京时间2025年5月20日 10:00');
  });
});
