/** An attempt and its review message, and an in-memory ReviewInbox, for the review session's tests. */
import type { HeldReview, ReviewInbox } from '#app/ports.ts';
import type { Attempt } from '#domain/attempt.ts';
import { type Issue, summarise } from '#domain/issues.ts';
import { type ReviewMessage, reviewMessageOf } from '#domain/review-message.ts';

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

export const messageFor = (attempt: Attempt, extra: Partial<ReviewMessage> = {}): ReviewMessage => ({
  ...reviewMessageOf(attempt, 1, { enterpriseName: '江西示范电厂', province: '江西', city: '南昌' }),
  ...extra,
});

/** Messages handed out in order; records what the session did with each (extended, handed back, deleted). */
export class FakeInbox implements ReviewInbox {
  readonly handedBack: string[] = [];
  readonly deleted: string[] = [];
  readonly extended: [string, number][] = [];
  /** Called when a receive finds nothing, with the seconds it would have waited (tests move a clock). */
  onIdle: (waitSeconds: number) => void = () => undefined;
  private next = 0;

  constructor(private readonly messages: readonly (ReviewMessage | { malformed: string })[]) {}

  async receive(waitSeconds: number): Promise<HeldReview | undefined> {
    const i = this.next++;
    const message = this.messages[i];
    if (!message) {
      this.onIdle(waitSeconds);
      return undefined;
    }
    const held = { messageId: `m${i}`, receiptHandle: `h${i}` };
    return 'malformed' in message ? { ...held, ok: false, problem: message.malformed } : { ...held, ok: true, review: message };
  }

  async extend(held: HeldReview, seconds: number): Promise<void> {
    this.extended.push([held.messageId, seconds]);
  }

  async handBack(held: HeldReview): Promise<void> {
    this.handedBack.push(held.messageId);
  }

  async delete(held: HeldReview): Promise<void> {
    this.deleted.push(held.messageId);
  }
}
