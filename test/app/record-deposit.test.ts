/**
 * The intake use case over in-memory ports: what is recorded for an upload, whatever the order,
 * the concurrency, the size or the state of its files.
 */
import { describe, expect, it } from 'vitest';
import { type ReportUpload, recordDeposit } from '#app/record-deposit.ts';
import { MAX_ATTEMPTS_PER_RECORD } from '#domain/attempt-size.ts';
import { evidenceKey, reportKey } from '#domain/deposit-key.ts';
import type { Enterprise } from '#domain/registry.ts';
import { demoEnterprises, demoPdf, demoReport } from '#twin/demo.ts';
import { DYNAMODB_ITEM_LIMIT, type FakeIntake, fakeIntake } from '../support/fake-ports.ts';

const enterprise = demoEnterprises(1, '2024-01')[0] as Enterprise;
const PERIOD = '2026-01';

function setUp(): FakeIntake {
  const intake = fakeIntake();
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
  if (options.evidence !== false) {
    intake.store.put(evidenceKey({ ...base, fileName: 'ledger-scan.pdf' }), demoPdf(`ledger ${depositId}`));
    intake.store.put(evidenceKey({ ...base, fileName: 'lab-report.pdf' }), demoPdf(`lab ${depositId}`));
  }
  const key = reportKey({ ...base, fileName: options.fileName ?? 'report.json' });
  const put = intake.store.put(key, report);
  return { key, size: put.size, eTag: put.eTag, versionId: put.versionId, eventTime: options.eventTime ?? '2026-02-10T02:00:00.000Z' };
}

const cleanReport = (seed = 1) => JSON.stringify(demoReport(enterprise, PERIOD, seed));
const codes = (attempt: { validation: { issues: { code: string }[] } }) => attempt.validation.issues.map((i) => i.code);

describe('recording an upload', () => {
  it('records 40 concurrent uploads to one enterprise-period, each once, numbered by receipt time', async () => {
    const intake = setUp();
    const uploads = Array.from({ length: 40 }, (_, i) =>
      deposit(intake, `d${String(i).padStart(2, '0')}`, cleanReport(i + 1), { eventTime: new Date(Date.UTC(2026, 1, 10, 2, 0, 40 - i)).toISOString() }),
    );

    const results = await Promise.all(uploads.map((upload) => recordDeposit(intake.deps, upload)));

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

    const result = await recordDeposit(intake.deps, first);

    expect(result.attempt.files[0]).toMatchObject({ role: 'report', versionId: first.versionId, eTag: first.eTag });
    expect(result.attempt.reportVersion).toBe(first.versionId);
    expect(codes(result.attempt)).toContain('EVD-REPORT-HEADER');
  });

  it('on an unversioned bucket, reports an object that changed since its event instead of validating other bytes', async () => {
    const intake = setUp();
    const first = deposit(intake, 'd1', cleanReport());
    intake.store.put(first.key, cleanReport(2));
    const { versionId: _none, ...unversioned } = first;

    const result = await recordDeposit(intake.deps, unversioned);

    expect(result.outcome).toBe('recorded');
    expect(result.attempt.verdict).toBe('returned');
    expect(codes(result.attempt)).toEqual(['EVD-REPORT-CHANGED']);
    expect(result.attempt.files[0]?.sha256).toBe('');
  });

  it('keeps EVD-KEY-REUSED when two different reports under one key are recorded at once', async () => {
    const intake = setUp();
    const a = deposit(intake, 'd1', cleanReport(1), { eventTime: '2026-02-10T02:00:00.000Z' });
    const b = { ...deposit(intake, 'd1', cleanReport(2), { eventTime: '2026-02-10T02:00:01.000Z', evidence: false }) };

    const [ra, rb] = await Promise.all([recordDeposit(intake.deps, a), recordDeposit(intake.deps, b)]);

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

    const result = await recordDeposit(intake.deps, upload);

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

    const result = await recordDeposit(intake.deps, upload);

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

    const result = await recordDeposit(intake.deps, upload);

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

    const result = await recordDeposit(intake.deps, deposit(intake, 'd1', report));

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

    const result = await recordDeposit(intake.deps, deposit(intake, 'd1', JSON.stringify(json)));

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

    const result = await recordDeposit(intake.deps, extra);
    const again = await recordDeposit(intake.deps, extra);

    expect(result.outcome).toBe('recorded');
    expect(codes(result.attempt)[0]).toBe('EVD-ATTEMPTS-TOO-MANY');
    expect(again.outcome).toBe('duplicate');
    expect(intake.ledger.records.get(`${enterprise.enterpriseId}/${PERIOD}`)?.attempts).toHaveLength(MAX_ATTEMPTS_PER_RECORD);
    expect(intake.ledger.attempts.size).toBe(MAX_ATTEMPTS_PER_RECORD + 1);
  });
});
