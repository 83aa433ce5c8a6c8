import { describe, expect, it } from 'vitest';
import { type AcceptedMonth, acceptedMonthOf, type AttemptSummary, attemptNumber, priorMonthOf, withAttempt } from '#domain/attempt.ts';
import { DEMO_ENTERPRISE, demoReport } from '#examples/demo.ts';
import { parseDepositKey } from '#domain/deposit-key.ts';
import { creditCodeCheckChar, isValidCreditCode } from '#domain/registry.ts';

const scope = { enterpriseId: 'E', period: '2026-01', province: '江西', city: '南昌', industry: 'power' };
const summary = (attemptId: string, receivedAt: string): AttemptSummary => ({
  attemptId,
  reportKey: `reports/E/2026-01/${attemptId}/r.csv`,
  receivedAt,
  onTime: true,
  verdict: 'accepted',
  errors: 0,
  warnings: 0,
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

describe("the record's accepted month (the next months' history)", () => {
  const report = demoReport();
  const accepted = (attemptId: string, receivedAt: string): AcceptedMonth => ({
    attemptId,
    receivedAt,
    report,
    evidence: [{ fileName: 'a.pdf', sha256: attemptId }],
  });

  it('keeps the latest accepted attempt by receipt, whatever order they were processed in', () => {
    const later = accepted('b', '2026-02-10T00:00:02Z');
    const earlier = accepted('a', '2026-02-10T00:00:01Z');
    const record = withAttempt(withAttempt(undefined, scope, summary('b', later.receivedAt), later), scope, summary('a', earlier.receivedAt), earlier);
    expect(record.accepted?.attemptId).toBe('b');
    expect(priorMonthOf(record)).toEqual({ period: '2026-01', attemptId: 'b', report, evidence: later.evidence });
  });

  it('is kept when a later attempt is not accepted', () => {
    const first = withAttempt(undefined, scope, summary('a', '2026-02-10T00:00:01Z'), accepted('a', '2026-02-10T00:00:01Z'));
    const next = withAttempt(first, scope, { ...summary('b', '2026-02-11T00:00:00Z'), verdict: 'returned' });
    expect(next.accepted?.attemptId).toBe('a');
  });

  it('is taken only from an accepted attempt with a parsed report, with its evidence hashes', () => {
    const files = [
      { role: 'report' as const, key: 'r', fileName: 'r.csv', size: 1, sha256: 'r' },
      { role: 'evidence' as const, key: 'e', fileName: 'scan.pdf', size: 1, sha256: 'e' },
    ];
    const base = { attemptId: 'a', receivedAt: '2026-02-10T00:00:01Z', report, files };
    expect(acceptedMonthOf({ ...base, verdict: 'accepted' })).toEqual({
      attemptId: 'a',
      receivedAt: base.receivedAt,
      report,
      evidence: [{ fileName: 'scan.pdf', sha256: 'e' }],
    });
    expect(acceptedMonthOf({ ...base, verdict: 'needs-review' })).toBeUndefined();
    const { report: _, ...unread } = base;
    expect(acceptedMonthOf({ ...unread, verdict: 'accepted' })).toBeUndefined();
    expect(DEMO_ENTERPRISE.enterpriseId).toBe(report.enterpriseId);
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
