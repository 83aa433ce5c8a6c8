/** An attempt and its inbox entry, and an in-memory ReviewInbox, for the review session's tests. */
import type { Attempt } from '#domain/attempt.ts';
import { type Issue, summarise } from '#domain/issues.ts';
import type { InboxItem, ReviewInbox } from '#cli/review/backend.ts';

export const warning: Issue = {
  code: 'EVD-ATYPICAL-NCV',
  severity: 'warning',
  category: 'plausibility',
  unitId: '1',
  field: 'ncvAsReceived',
  message: { zh: '低位发热量偏低', en: 'atypical net calorific value' },
};

export const error: Issue = {
  code: 'EVD-CROSS-SUPPLIED-GT-GENERATED',
  severity: 'error',
  category: 'plausibility',
  unitId: '1',
  field: 'powerSupplied',
  message: { zh: '供电量大于发电量', en: 'supplied exceeds generated' },
};

export function attemptWith(issues: readonly Issue[], overrides: Partial<Attempt> = {}): Attempt {
  const validation = summarise(issues);
  return {
    attemptId: 'a1b2c3d4e5f60718',
    enterpriseId: '91360100MA35XXXX1X',
    period: '2026-01',
    depositId: 'd1',
    reportKey: 'reports/91360100MA35XXXX1X/2026-01/d1/report.json',
    reportVersion: 'e1',
    receivedAt: '2026-03-01T02:00:00.000Z',
    timeliness: { lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
    verdict: validation.verdict,
    validation,
    files: [
      {
        role: 'evidence',
        key: 'evidence/91360100MA35XXXX1X/2026-01/d1/lab.pdf',
        fileName: 'lab.pdf',
        size: 90,
        sha256: 'ab'.repeat(32),
        contentType: 'application/pdf',
      },
    ],
    recordedAt: '2026-03-01T02:00:01.000Z',
    ...overrides,
  };
}

/** The inbox entry of an attempt, as GET /inbox lists it. */
export const itemFor = (attempt: Attempt, extra: Partial<InboxItem> = {}): InboxItem => ({
  attemptId: attempt.attemptId,
  attempt: 1,
  enterpriseId: attempt.enterpriseId,
  enterpriseName: '江西示范电厂',
  period: attempt.period,
  province: '360000',
  city: '360100',
  cityCode: '360100',
  industry: 'power',
  receivedAt: attempt.receivedAt,
  onTime: attempt.timeliness.onTime,
  verdict: attempt.verdict,
  errors: attempt.validation.stats.errors,
  warnings: attempt.validation.stats.warnings,
  level: 'city',
  ...extra,
});

/** Items handed out in order, skipping passed ones as the API-backed inbox does; records what the session passed over. */
export class FakeInbox implements ReviewInbox {
  readonly passed: string[] = [];
  /** Called when a look finds nothing, with the seconds it would have waited (tests move a clock). */
  onIdle: (waitSeconds: number) => void = () => undefined;
  looks = 0;

  constructor(private readonly items: readonly InboxItem[]) {}

  async next(waitSeconds: number): Promise<InboxItem | undefined> {
    this.looks++;
    const item = this.items.find((i) => !this.passed.includes(i.attemptId));
    if (!item) this.onIdle(waitSeconds);
    return item;
  }

  pass(item: InboxItem): void {
    this.passed.push(item.attemptId);
  }
}
