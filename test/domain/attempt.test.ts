import { describe, expect, it } from 'vitest';
import { type AttemptSummary, attemptNumber, withAttempt } from '#domain/attempt.ts';
import { parseDepositKey } from '#domain/deposit-key.ts';
import { creditCodeCheckChar, isValidCreditCode } from '#domain/registry.ts';

const scope = { enterpriseId: 'E', period: '2026-01', province: '江西', city: '南昌', industry: 'power' };
const summary = (attemptId: string, receivedAt: string): AttemptSummary => ({
  attemptId, reportKey: `reports/E/2026-01/${attemptId}/r.csv`, receivedAt, onTime: true, verdict: 'accepted', errors: 0, warnings: 0,
});

describe('the enterprise-period record', () => {
  it('orders attempts by receipt time whatever order they were processed in', () => {
    const late = summary('b', '2026-02-10T00:00:02Z');
    const early = summary('a', '2026-02-10T00:00:01Z');
    const record = withAttempt(withAttempt(undefined, scope, late), scope, early);
    expect(record.attempts.map((a) => a.attemptId)).toEqual(['a', 'b']);
    expect(attemptNumber(record, 'a')).toBe(1);
    expect(record.version).toBe(2);
  });

  it('is unchanged when the same attempt is added again', () => {
    const record = withAttempt(undefined, scope, summary('a', '2026-02-10T00:00:01Z'));
    expect(withAttempt(record, scope, summary('a', '2026-02-10T00:00:01Z'))).toBe(record);
  });
});

describe('the object key layout', () => {
  const id = `91360100MA35ABCDE${creditCodeCheckChar('91360100MA35ABCDE')}`;

  it('reads enterprise, period, deposit id and file name from a report key', () => {
    expect(parseDepositKey(`reports/${id}/2026-01/20260301T000000Z-ab12/report.csv`)).toEqual({
      ok: true,
      key: { kind: 'report', enterpriseId: id, period: '2026-01', depositId: '20260301T000000Z-ab12', fileName: 'report.csv' },
    });
  });

  it.each([
    ['a traversal segment', `reports/${id}/2026-01/../report.csv`],
    ['a month 13', `reports/${id}/2026-13/d1/report.csv`],
    ['a nested file', `reports/${id}/2026-01/d1/sub/report.csv`],
    ['a lower-case credit code', `reports/${id.toLowerCase()}/2026-01/d1/report.csv`],
    ['another root', `uploads/${id}/2026-01/d1/report.csv`],
  ])('refuses %s with a reason', (_name, key) => {
    const reading = parseDepositKey(key);
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.reason).not.toBe('');
  });
});

describe('unified social credit codes', () => {
  it('accepts a code whose GB 32100 check character matches and refuses one that does not', () => {
    // A published example code.
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
  });
});
