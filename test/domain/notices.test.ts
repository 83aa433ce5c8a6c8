/** The texts people receive: short, Chinese unless the contact asks for English, times in Beijing time. */
import { describe, expect, it } from 'vitest';
import type { Attempt } from '#domain/attempt.ts';
import { attemptRecordedMessage, beijingTimeText, decisionMessage, reminderMessage } from '#domain/notices.ts';
import type { DueReminder } from '#domain/reminders.ts';
import { demoCreditCode } from '#twin/demo.ts';

const enterprise = {
  enterpriseId: demoCreditCode(7),
  name: '南昌第7发电有限公司',
  province: '360000',
  city: '360100',
  industry: 'power',
  units: [{ unitId: '1', fuel: 'coal' as const, capacityMW: 600 }],
  obligedFrom: '2025-01',
};
const reminder = (r: DueReminder['reminder']): DueReminder => ({
  id: 'x',
  reminder: r,
  enterprise,
  period: '2026-03',
  lastDay: '2026-05-10',
  dueAt: '2026-05-10T16:00:00.000Z',
});

const attempt = {
  attemptId: '0123456789abcdef',
  enterpriseId: enterprise.enterpriseId,
  period: '2026-03',
  receivedAt: '2026-05-10T15:59:00.000Z',
  timeliness: { lastDay: '2026-05-10', dueAt: '2026-05-10T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'returned',
  validation: {
    verdict: 'needs-review',
    issues: [{ code: 'CHK-NCV-ATYPICAL', severity: 'warning', unitId: '1', message: { zh: '低位发热量不在常见范围', en: 'NCV outside the typical range' } }],
  },
  decision: {
    decisionId: 'd1',
    outcome: 'return',
    reviewer: '王芳',
    level: 'city',
    decidedAt: '2026-05-12T01:30:00.000Z',
    comment: '请核对化验报告',
    issueComments: [{ code: 'CHK-NCV-ATYPICAL', unitId: '1', comment: '附CMA报告原件' }],
  },
} as unknown as Attempt;

describe('notice texts', () => {
  it('writes Beijing wall time: 15:59 UTC on 10 May is 23:59 on 10 May, 16:00 UTC is 00:00 on 11 May', () => {
    expect(beijingTimeText('2026-05-10T15:59:00Z', 'zh')).toBe('2026年5月10日 23:59');
    expect(beijingTimeText('2026-05-10T16:00:00Z', 'en')).toBe('11 May 2026 00:00');
  });

  it('reminds in Chinese with the last day at 24:00 Beijing time, and in English when asked', () => {
    const zh = reminderMessage(reminder({ kind: 'before', days: 3 }), 'zh', 'https://evidence.example.cn/');
    expect(zh.subject).toBe('【存证提醒】2026年3月月度存证还有3天截止');
    expect(zh.text).toContain('南昌第7发电有限公司（');
    expect(zh.text).toContain('截止时间为北京时间2026年5月10日 24:00');
    expect(zh.text).toContain('提交地址：https://evidence.example.cn/');
    const en = reminderMessage(reminder({ kind: 'overdue' }), 'en', '');
    expect(en.subject).toBe('Overdue: the deposit for March 2026 was due by 10 May 2026');
    expect(en.text).toContain('the end of 10 May 2026, Beijing time (UTC+8)');
    expect(en.text).not.toContain('Deposit here');
  });

  it('tells the machine verdict with its issues and the receipt link when an attempt is recorded', () => {
    const m = attemptRecordedMessage(attempt, enterprise.name, 'zh', 'https://x/attempts/0123456789abcdef/receipt');
    expect(m.subject).toBe('【存证回执】2026年3月存证已收到：待审核');
    expect(m.text).toContain('北京时间2026年5月10日 23:59收到，按时提交');
    expect(m.text).toContain('CHK-NCV-ATYPICAL [机组 1]: 低位发热量不在常见范围');
    expect(m.text).toContain('回执：https://x/attempts/0123456789abcdef/receipt');
  });

  it("passes on a return with the reviewer's comments", () => {
    const m = decisionMessage(attempt, enterprise.name, 'en');
    expect(m?.subject).toBe('Deposit for March 2026 returned: please correct and deposit again');
    expect(m?.text).toContain("Reviewer's comment: 请核对化验报告");
    expect(m?.text).toContain('CHK-NCV-ATYPICAL [unit 1]: 附CMA报告原件');
    expect(m?.text).toContain('12 May 2026 09:30 Beijing time');
  });
});
