/** Where a record waits for a reviewer (shared/domain/inbox.ts), computed from the record alone. */
import { describe, expect, it } from 'vitest';
import type { AttemptSummary, EnterprisePeriod } from '#domain/attempt.ts';
import { inboxEntryOf, inboxKeyOf } from '#domain/inbox.ts';

const summary = (overrides: Partial<AttemptSummary> = {}): AttemptSummary => ({
  attemptId: 'a1',
  reportKey: 'reports/x/2026-01/d1/report.json',
  receivedAt: '2026-03-01T02:00:00.000Z',
  onTime: true,
  verdict: 'needs-review',
  errors: 0,
  warnings: 2,
  ...overrides,
});
const recordOf = (attempts: AttemptSummary[], place: Partial<Pick<EnterprisePeriod, 'province' | 'city'>> = {}): EnterprisePeriod => ({
  enterpriseId: '91360100MA35XXXXXN',
  period: '2026-01',
  province: '360000',
  city: '360100',
  industry: 'power',
  attempts,
  version: attempts.length,
  ...place,
});

describe('the inbox a record waits in', () => {
  it('puts an undecided attempt that needs review in its city’s inbox, sorted by receipt time then id', () => {
    expect(inboxEntryOf(recordOf([summary()]))).toEqual({
      inbox: 'city#360100',
      inboxSince: '2026-03-01T02:00:00.000Z#a1',
      inboxAttempt: {
        attemptId: 'a1',
        attempt: 1,
        receivedAt: '2026-03-01T02:00:00.000Z',
        onTime: true,
        verdict: 'needs-review',
        errors: 0,
        warnings: 2,
        level: 'city',
        cityCode: '360100',
      },
    });
  });

  it('moves an escalated, undecided attempt to its province’s inbox', () => {
    const entry = inboxEntryOf(recordOf([summary({ escalated: true, escalatedAt: '2026-03-02T00:00:00.000Z' })]));

    expect(entry).toMatchObject({ inbox: 'province#360000', inboxAttempt: { level: 'province', cityCode: '360100', escalatedAt: '2026-03-02T00:00:00.000Z' } });
  });

  it('takes a record that spells its place by name to the same inbox as one by code', () => {
    expect(inboxEntryOf(recordOf([summary()], { province: '江西', city: '南昌' }))?.inbox).toBe(inboxKeyOf('city', '360100'));
  });

  it.each([
    ['decided', [summary({ verdict: 'accepted', decidedAt: '2026-03-03T00:00:00.000Z', machineVerdict: 'needs-review' })]],
    ['decided after an escalation', [summary({ escalated: true, verdict: 'returned', decidedAt: '2026-03-03T00:00:00.000Z' })]],
    ['accepted by the machine', [summary({ verdict: 'accepted', warnings: 0 })]],
    ['returned by the machine for errors', [summary({ verdict: 'returned', errors: 1 })]],
    [
      'superseded by an attempt that was accepted',
      [summary(), summary({ attemptId: 'a2', receivedAt: '2026-03-02T00:00:00.000Z', verdict: 'accepted', warnings: 0 })],
    ],
    ['without any attempt', []],
  ])('leaves a record %s in no inbox', (_, attempts) => {
    expect(inboxEntryOf(recordOf(attempts))).toBeUndefined();
  });

  it('lists the latest attempt, numbered within its month, when a re-deposit needs review again', () => {
    const entry = inboxEntryOf(
      recordOf([summary({ verdict: 'returned', decidedAt: 'x' }), summary({ attemptId: 'a2', receivedAt: '2026-03-05T00:00:00.000Z' })]),
    );

    expect(entry).toMatchObject({ inboxSince: '2026-03-05T00:00:00.000Z#a2', inboxAttempt: { attemptId: 'a2', attempt: 2 } });
  });

  it('leaves a record whose city is no city code in no inbox: no city reviewer could see it first', () => {
    expect(inboxEntryOf(recordOf([summary()], { province: '', city: '' }))).toBeUndefined();
    expect(inboxEntryOf(recordOf([summary()], { province: '360000', city: '360000' }))).toBeUndefined();
  });
});
