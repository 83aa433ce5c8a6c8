/**
 * The intake use case over in-memory ports: what is recorded for an upload, whatever the order,
 * the concurrency, the size or the state of its files.
 */
import { describe, expect, it } from 'vitest';
import { type IntakeDeps, type IntakeResult, maxEvidenceWaits, type ReportUpload, recordDeposit } from '#app/record-deposit.ts';
import { DEFAULT_CHECK_SETTINGS } from '#domain/check-settings.ts';
import { MAX_ATTEMPTS_PER_RECORD } from '#domain/attempt-size.ts';
import { evidenceKey, reportKey } from '#domain/deposit-key.ts';
import type { Enterprise } from '#domain/registry.ts';
import { demoEnterprises, demoPdf, demoReport } from '#twin/demo.ts';
import { DYNAMODB_ITEM_LIMIT, type FakeIntake, fakeIntake } from '../support/fake-ports.ts';

const enterprise = demoEnterprises(1, '2024-01')[0] as Enterprise;
const PERIOD = '2026-01';

function setUp(overrides: Partial<IntakeDeps> = {}): FakeIntake {
  const intake = fakeIntake(overrides);
  intake.registry.enterprises.set(enterprise.enterpriseId, enterprise);
  return intake;
}

/** Puts a deposit folder (evidence, then the report) and returns the event the report's PUT announces. */
function deposit(
  intake: FakeIntake,
  depositId: string,
  report: string | Uint8Array,
  options: { fileName?: string; eventTime?: string; evidence?: boolean } = {},
): ReportUpload {
  const base = { enterpriseId: enterprise.enterpriseId, period: PERIOD, depositId };
  if (options.evidence !== false) putEvidence(intake, depositId);
  const key = reportKey({ ...base, fileName: options.fileName ?? 'report.json' });
  const put = intake.store.put(key, report);
  return { key, size: put.size, eTag: put.eTag, versionId: put.versionId, eventTime: options.eventTime ?? '2026-02-10T02:00:00.000Z' };
}

/** The evidence files the demo report names, put into the deposit folder. */
function putEvidence(intake: FakeIntake, depositId: string): void {
  const base = { enterpriseId: enterprise.enterpriseId, period: PERIOD, depositId };
  intake.store.put(evidenceKey({ ...base, fileName: 'ledger-scan.pdf' }), demoPdf(`ledger ${depositId}`));
  intake.store.put(evidenceKey({ ...base, fileName: 'lab-report.pdf' }), demoPdf(`lab ${depositId}`));
}

/** Records an upload intake does not wait for (the tests' receipts are long past the evidence grace). */
async function recordNow(deps: IntakeDeps, upload: ReportUpload): Promise<IntakeResult> {
  const result = await recordDeposit(deps, upload);
  if (result.outcome === 'deferred') throw new Error(`intake waited for ${result.missing.join(', ')}`);
  return result;
}

const cleanReport = (seed = 1) => JSON.stringify(demoReport(enterprise, PERIOD, seed));
const codes = (attempt: { validation: { issues: { code: string }[] } }) => attempt.validation.issues.map((i) => i.code);

describe('recording an upload', () => {
  it('records 40 concurrent uploads to one enterprise-period, each once, numbered by receipt time', async () => {
    const intake = setUp();
    const uploads = Array.from({ length: 40 }, (_, i) =>
      deposit(intake, `d${String(i).padStart(2, '0')}`, cleanReport(i + 1), { eventTime: new Date(Date.UTC(2026, 1, 10, 2, 0, 40 - i)).toISOString() }),
    );

    const results = await Promise.all(uploads.map((upload) => recordNow(intake.deps, upload)));

    expect(results.every((r) => r.outcome === 'recorded')).toBe(true);
    expect(intake.ledger.conflicts).toBeGreaterThan(0);
    const record = intake.ledger.records.get(`${enterprise.enterpriseId}/${PERIOD}`);
    expect(record?.attempts).toHaveLength(40);
    const byReceipt = [...uploads].sort((a, b) => a.eventTime.localeCompare(b.eventTime)).map((u) => u.key);
    expect(record?.attempts.map((a) => a.reportKey)).toEqual(byReceipt);
    expect(intake.ledger.attempts.size).toBe(40);
  });

  it('validates the version the event announced, not a later upload to the same key', async () => {
    const intake = setUp();
    const first = deposit(intake, 'd1', 'not, a, report\n', { fileName: 'report.csv' });
    // A second, valid report to the same key before the first event is processed.
    intake.store.put(first.key, 'enterpriseId,period,unitId,parameter,value,unit\n');

    const result = await recordNow(intake.deps, first);

    expect(result.attempt.files[0]).toMatchObject({ role: 'report', versionId: first.versionId, eTag: first.eTag });
    expect(result.attempt.reportVersion).toBe(first.versionId);
    expect(codes(result.attempt)).toContain('EVD-REPORT-HEADER');
  });

  it('on an unversioned bucket, reports an object that changed since its event instead of validating other bytes', async () => {
    const intake = setUp();
    const first = deposit(intake, 'd1', cleanReport());
    intake.store.put(first.key, cleanReport(2));
    const { versionId: _none, ...unversioned } = first;

    const result = await recordNow(intake.deps, unversioned);

    expect(result.outcome).toBe('recorded');
    expect(result.attempt.verdict).toBe('returned');
    expect(codes(result.attempt)).toEqual(['EVD-REPORT-CHANGED']);
    expect(result.attempt.files[0]?.sha256).toBe('');
  });

  it('keeps EVD-KEY-REUSED when two different reports under one key are recorded at once', async () => {
    const intake = setUp();
    const a = deposit(intake, 'd1', cleanReport(1), { eventTime: '2026-02-10T02:00:00.000Z' });
    const b = { ...deposit(intake, 'd1', cleanReport(2), { eventTime: '2026-02-10T02:00:01.000Z', evidence: false }) };

    const [ra, rb] = await Promise.all([recordNow(intake.deps, a), recordNow(intake.deps, b)]);

    const reused = [ra, rb].filter((r) => codes(r.attempt).includes('EVD-KEY-REUSED'));
    expect(reused).toHaveLength(1);
    expect(intake.ledger.attempts.size).toBe(2);
    // The stored attempt carries it too, not only the result.
    const stored = [...intake.ledger.attempts.values()].filter((x) => codes(x).includes('EVD-KEY-REUSED'));
    expect(stored).toHaveLength(1);
  });

  it('records a report that is gone before it is read as a returned attempt, not a fault', async () => {
    const intake = setUp();
    const upload = deposit(intake, 'd1', cleanReport());
    intake.store.faults.set(upload.key, 'missing');

    const result = await recordNow(intake.deps, upload);

    expect(result.outcome).toBe('recorded');
    expect(codes(result.attempt)).toEqual(['EVD-REPORT-UNREADABLE']);
    expect(result.attempt.validation.issues[0]?.found).toContain('gone');
    expect(intake.reviewQueue.sent).toHaveLength(1);
  });

  it.each([
    ['archived', 'archive storage class'],
    ['customer-encrypted', 'SSE-C'],
    ['access-denied', 'denied'],
  ] as const)('records an evidence file that is %s as unreadable, named, and not as missing', async (reason, words) => {
    const intake = setUp();
    const upload = deposit(intake, 'd1', cleanReport());
    intake.store.faults.set(evidenceKey({ enterpriseId: enterprise.enterpriseId, period: PERIOD, depositId: 'd1', fileName: 'lab-report.pdf' }), reason);

    const result = await recordNow(intake.deps, upload);

    const unreadable = result.attempt.validation.issues.filter((i) => i.code === 'EVD-EVIDENCE-UNREADABLE');
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]).toMatchObject({ field: 'lab-report.pdf' });
    expect(unreadable[0]?.found).toContain(words);
    expect(codes(result.attempt)).not.toContain('EVD-EVIDENCE-MISSING');
    expect(result.attempt.files.find((f) => f.fileName === 'lab-report.pdf')?.unreadable).toContain(words);
  });

  it('records the version and the content type of every evidence file it read', async () => {
    const intake = setUp();
    const upload = deposit(intake, 'd1', cleanReport());

    const result = await recordNow(intake.deps, upload);

    const evidence = result.attempt.files.filter((f) => f.role === 'evidence');
    expect(evidence).toHaveLength(2);
    for (const file of evidence) expect(file).toMatchObject({ versionId: expect.stringMatching(/^v\d+$/), contentType: 'application/pdf' });
  });

  it('fits a report with thousands of units into one ledger item and keeps the whole attempt beside the deposit', async () => {
    const intake = setUp();
    const big = { ...enterprise, units: Array.from({ length: 330 }, (_, i) => ({ unitId: `U${i}`, fuel: 'coal' as const, capacityMW: 600 })) };
    intake.registry.enterprises.set(enterprise.enterpriseId, big);
    const report = JSON.stringify(demoReport(big, PERIOD, 1));
    expect(report.length).toBeGreaterThan(250_000);
    expect(report.length).toBeLessThan(2 * 1024 * 1024);

    const result = await recordNow(intake.deps, deposit(intake, 'd1', report));

    expect(result.outcome).toBe('recorded');
    const stored = [...intake.ledger.attempts.values()][0];
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThan(DYNAMODB_ITEM_LIMIT);
    expect(stored?.report).toBeUndefined();
    expect(stored?.detailKey).toMatch(/^validation\//);
    const detail = JSON.parse(intake.store.written.get(stored?.detailKey ?? '') ?? '{}');
    expect(detail.report.units).toHaveLength(330);
    expect(detail.validation.stats).toEqual(stored?.validation.stats);
  });

  it('records a 150,000-character cell as an attempt that fits its item', async () => {
    const intake = setUp();
    const json = demoReport(enterprise, PERIOD, 1);
    const first = json.units[0];
    if (first) first.unitId = 'X'.repeat(150_000);

    const result = await recordNow(intake.deps, deposit(intake, 'd1', JSON.stringify(json)));

    expect(result.outcome).toBe('recorded');
    expect(result.attempt.verdict).toBe('returned');
    expect(Buffer.byteLength(JSON.stringify(result.attempt))).toBeLessThan(DYNAMODB_ITEM_LIMIT);
  });

  it(`records uploads beyond ${MAX_ATTEMPTS_PER_RECORD} to one enterprise-period as attempts of their own, the record no longer growing`, async () => {
    const intake = setUp();
    const report = 'x'.repeat(10);
    for (let i = 0; i < MAX_ATTEMPTS_PER_RECORD; i++) {
      await recordDeposit(
        intake.deps,
        deposit(intake, `d${i}`, report, { fileName: 'report.csv', evidence: false, eventTime: new Date(Date.UTC(2026, 1, 10, 0, 0, i)).toISOString() }),
      );
    }
    const extra = deposit(intake, 'extra', report, { fileName: 'report.csv', evidence: false, eventTime: '2026-02-11T00:00:00.000Z' });

    const result = await recordNow(intake.deps, extra);
    const again = await recordNow(intake.deps, extra);

    expect(result.outcome).toBe('recorded');
    expect(codes(result.attempt)[0]).toBe('EVD-ATTEMPTS-TOO-MANY');
    expect(again.outcome).toBe('duplicate');
    expect(intake.ledger.records.get(`${enterprise.enterpriseId}/${PERIOD}`)?.attempts).toHaveLength(MAX_ATTEMPTS_PER_RECORD);
    expect(intake.ledger.attempts.size).toBe(MAX_ATTEMPTS_PER_RECORD + 1);
  });
});

describe('a report uploaded before its evidence', () => {
  const RECEIVED = '2026-02-10T02:00:00.000Z';
  const at = (seconds: number) => new Date(Date.parse(RECEIVED) + seconds * 1000);
  const { evidenceGraceSeconds: GRACE, evidenceRecheckSeconds: RECHECK } = DEFAULT_CHECK_SETTINGS;

  /** A clock the test moves, as the re-announced event arrives later. */
  function withClock(seconds: number) {
    const clock = { now: at(seconds) };
    const intake = setUp({ now: () => clock.now });
    return { intake, clock };
  }

  it('records nothing yet and hands the same event back to intake, with its own receipt time', async () => {
    const { intake } = withClock(3);
    const upload = deposit(intake, 'd1', cleanReport(), { eventTime: RECEIVED, evidence: false });

    const result = await recordDeposit(intake.deps, upload);

    expect(result).toEqual({ outcome: 'deferred', delaySeconds: RECHECK, waited: 1, missing: ['ledger-scan.pdf', 'lab-report.pdf'] });
    expect(intake.ledger.attempts.size).toBe(0);
    expect(intake.ledger.records.size).toBe(0);
    expect(intake.reviewQueue.sent).toEqual([]);
    expect(intake.requeue.handedBack).toEqual([{ upload, delaySeconds: RECHECK, waited: 1 }]);
    expect(intake.requeue.handedBack[0]?.upload.eventTime).toBe(RECEIVED);
  });

  it('gets the verdict its files deserve once the evidence is there, received at the report’s own time, as the first attempt', async () => {
    const { intake, clock } = withClock(1);
    const upload = deposit(intake, 'd1', cleanReport(), { eventTime: RECEIVED, evidence: false });
    expect((await recordDeposit(intake.deps, upload)).outcome).toBe('deferred');
    putEvidence(intake, 'd1');
    clock.now = at(1 + RECHECK);

    const result = await recordNow(intake.deps, { ...upload, evidenceWaits: 1 });

    expect(result.outcome).toBe('recorded');
    expect(result.attemptNumber).toBe(1);
    expect(result.attempt.receivedAt).toBe(RECEIVED);
    expect(result.attempt.recordedAt).toBe(at(1 + RECHECK).toISOString());
    expect(codes(result.attempt)).not.toContain('EVD-EVIDENCE-MISSING');
    expect(result.attempt.files.filter((f) => f.role === 'evidence').map((f) => f.fileName)).toEqual(['lab-report.pdf', 'ledger-scan.pdf']);
    expect(result.attempt.verdict).toBe('accepted');
    expect(intake.requeue.handedBack).toHaveLength(1);
  });

  it('shortens the last wait to what is left of the grace', async () => {
    const { intake } = withClock(GRACE - 7.5);
    const result = await recordDeposit(intake.deps, { ...deposit(intake, 'd1', cleanReport(), { eventTime: RECEIVED, evidence: false }), evidenceWaits: 5 });
    expect(result).toMatchObject({ outcome: 'deferred', delaySeconds: 8, waited: 6 });
  });

  it('records the attempt as returned with EVD-EVIDENCE-MISSING once the grace is over, and no longer waits', async () => {
    const { intake } = withClock(GRACE);
    const upload = { ...deposit(intake, 'd1', cleanReport(), { eventTime: RECEIVED, evidence: false }), evidenceWaits: 6 };

    const result = await recordNow(intake.deps, upload);

    expect(result.outcome).toBe('recorded');
    expect(result.attempt.verdict).toBe('returned');
    expect(result.attempt.receivedAt).toBe(RECEIVED);
    expect(result.attempt.validation.issues.filter((i) => i.code === 'EVD-EVIDENCE-MISSING').map((i) => i.found)).toEqual(
      expect.arrayContaining(['ledger-scan.pdf', 'lab-report.pdf']),
    );
    expect(intake.reviewQueue.sent).toHaveLength(1);
    expect(intake.requeue.handedBack).toEqual([]);
  });

  it('waits a bounded number of times even when the event time lies ahead of the clock', async () => {
    const { intake } = withClock(-3600);
    const upload = deposit(intake, 'd1', cleanReport(), { eventTime: RECEIVED, evidence: false });
    const limit = maxEvidenceWaits(GRACE, RECHECK);

    expect((await recordDeposit(intake.deps, { ...upload, evidenceWaits: limit - 1 })).outcome).toBe('deferred');
    expect((await recordNow(intake.deps, { ...upload, evidenceWaits: limit })).attempt.verdict).toBe('returned');
  });

  it('treats a re-check that finds its attempt recorded as a duplicate, so two re-announcements (a crash) record once', async () => {
    const { intake, clock } = withClock(2);
    const upload = deposit(intake, 'd1', cleanReport(), { eventTime: RECEIVED, evidence: false });
    // The first delivery re-announced, then crashed before its message was deleted: delivered again, it re-announces again.
    await recordDeposit(intake.deps, upload);
    await recordDeposit(intake.deps, upload);
    expect(intake.requeue.handedBack).toHaveLength(2);
    putEvidence(intake, 'd1');
    clock.now = at(2 + RECHECK);

    const [first, second] = await Promise.all(
      intake.requeue.handedBack.map(({ upload: again, waited }) => recordNow(intake.deps, { ...again, evidenceWaits: waited })),
    );

    expect([first?.outcome, second?.outcome].sort()).toEqual(['duplicate', 'recorded']);
    expect(intake.ledger.attempts.size).toBe(1);
    expect(intake.ledger.records.get(`${enterprise.enterpriseId}/${PERIOD}`)?.attempts).toHaveLength(1);
  });

  it('does not wait when every named file is there, when the grace is 0, or without a queue to hand back to', async () => {
    const complete = withClock(1).intake;
    expect((await recordNow(complete.deps, deposit(complete, 'd1', cleanReport(), { eventTime: RECEIVED }))).attempt.verdict).toBe('accepted');

    const noGrace = setUp({ now: () => at(1), settings: { ...DEFAULT_CHECK_SETTINGS, evidenceGraceSeconds: 0 } });
    expect((await recordNow(noGrace.deps, deposit(noGrace, 'd1', cleanReport(), { eventTime: RECEIVED, evidence: false }))).attempt.verdict).toBe('returned');

    const noQueue = fakeIntake({ now: () => at(1) });
    const { requeue: _unused, ...withoutRequeue } = noQueue.deps;
    noQueue.registry.enterprises.set(enterprise.enterpriseId, enterprise);
    expect((await recordNow(withoutRequeue, deposit(noQueue, 'd1', cleanReport(), { eventTime: RECEIVED, evidence: false }))).attempt.verdict).toBe('returned');
    expect([...complete.requeue.handedBack, ...noGrace.requeue.handedBack, ...noQueue.requeue.handedBack]).toEqual([]);
  });
});
