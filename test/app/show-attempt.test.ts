/**
 * An attempt for whoever may read it, on in-memory ports: the month's attempts with who decided,
 * a link per file to the recorded version, and "not found" for anyone outside its reach.
 */
import { describe, expect, it } from 'vitest';
import type { AttemptPageReader, FileLinks, MonthDecision } from '#app/ports.ts';
import { showAttempt } from '#app/show-attempt.ts';
import { type Attempt, type DepositFile, type EnterprisePeriod, summaryOf } from '#domain/attempt.ts';
import { summarise } from '#domain/issues.ts';
import { principalOf } from '../support/fake-ports.ts';

const ENTERPRISE = '91360100MA35XXXXXN';
const evidence: DepositFile = {
  role: 'evidence',
  key: `evidence/${ENTERPRISE}/2026-01/d2/lab.pdf`,
  fileName: 'lab.pdf',
  size: 10,
  sha256: 'ab',
  versionId: 'v7',
  contentType: 'application/pdf',
};
const lost: DepositFile = {
  role: 'evidence',
  key: `evidence/${ENTERPRISE}/2026-01/d2/scan.pdf`,
  fileName: 'scan.pdf',
  size: 0,
  sha256: '',
  unreadable: 'archived',
};
const base = (attemptId: string, receivedAt: string, files: DepositFile[] = []): Attempt => ({
  attemptId,
  enterpriseId: ENTERPRISE,
  period: '2026-01',
  depositId: attemptId,
  reportKey: `reports/${ENTERPRISE}/2026-01/${attemptId}/report.json`,
  reportVersion: 'e',
  receivedAt,
  timeliness: { lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'needs-review',
  validation: summarise([{ code: 'EVD-ATYPICAL-NCV', severity: 'warning', category: 'plausibility', message: { zh: '偏低', en: 'atypical' } }]),
  files,
  recordedAt: receivedAt,
});
const first = base('a1', '2026-03-01T00:00:00.000Z');
const second = base('a2', '2026-03-02T00:00:00.000Z', [evidence, lost]);
const returned = {
  decisionId: 'x',
  outcome: 'return' as const,
  reviewer: '南昌市审核员',
  reviewerId: 'reviewer-nanchang',
  level: 'city' as const,
  decidedAt: '2026-03-01T08:00:00.000Z',
  comment: '补充化验报告',
  issueComments: [],
};
const record: EnterprisePeriod = {
  enterpriseId: ENTERPRISE,
  period: '2026-01',
  province: '360000',
  city: '360100',
  industry: 'power',
  attempts: [{ ...summaryOf(first), verdict: 'returned', decidedAt: returned.decidedAt }, summaryOf(second)],
  version: 3,
};

const attempts: AttemptPageReader = {
  findAttempt: async (id) => [first, second].find((a) => a.attemptId === id),
  getDeposit: async () => record,
  monthDecisions: async (): Promise<MonthDecision[]> => [{ attemptId: 'a1', decision: returned }, { attemptId: 'a2' }],
};
const links: FileLinks = { linkTo: async (file) => `https://bucket/${file.key}?versionId=${file.versionId ?? ''}` };
const names = { namesOf: async () => new Map([[ENTERPRISE, '江西示范发电']]) };

describe('an attempt for its reader', () => {
  it("shows the month's attempts with who decided, and links each readable file by the version it recorded", async () => {
    const shown = await showAttempt({ attempts, links, names }, 'a2', principalOf('reviewer-nanchang'));

    expect(shown).toMatchObject({
      ok: true,
      value: {
        attemptNumber: 2,
        attempts: 2,
        enterpriseName: '江西示范发电',
        attempt: { attemptId: 'a2' },
        history: [
          {
            attempt: 1,
            attemptId: 'a1',
            verdict: 'returned',
            decision: { outcome: 'return', reviewer: '南昌市审核员', level: 'city', decidedAt: returned.decidedAt },
          },
          { attempt: 2, attemptId: 'a2', verdict: 'needs-review' },
        ],
        files: [
          { fileName: 'lab.pdf', versionId: 'v7', contentType: 'application/pdf', url: `https://bucket/${evidence.key}?versionId=v7` },
          { fileName: 'scan.pdf', unreadable: 'archived' },
        ],
      },
    });
    expect(shown.ok && shown.value.files[1]).not.toHaveProperty('url');
    expect(shown.ok && shown.value.history[1]).not.toHaveProperty('decision');
  });

  it('names the attempt that supersedes an earlier one', async () => {
    await expect(showAttempt({ attempts, links }, 'a1', principalOf('clerk'))).resolves.toMatchObject({ ok: true, value: { supersededBy: 'a2' } });
  });

  it.each([
    ['the enterprise itself', 'clerk'],
    ['its city’s reviewer', 'reviewer-nanchang'],
    ['its province’s reviewer', 'reviewer-jiangxi'],
    ['its city’s department', 'dept-nanchang'],
  ])('shows it to %s', async (_, username) => {
    await expect(showAttempt({ attempts, links }, 'a2', principalOf(username))).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['another enterprise', 'clerk-jiujiang'],
    ['another city’s reviewer', 'reviewer-jiujiang'],
    ['another province’s reviewer', 'reviewer-hunan'],
    ['another province’s department', 'dept-hunan'],
    ['the registry’s administrator', 'admin'],
  ])('answers %s as if there were no such attempt', async (_, username) => {
    await expect(showAttempt({ attempts, links }, 'a2', principalOf(username))).resolves.toEqual({
      ok: false,
      refusal: { code: 'not-found', message: { zh: '没有编号为 a2 的提交记录', en: 'no attempt a2 is recorded' } },
    });
  });
});
