import { describe, expect, it } from 'vitest';
import { CheckSettingsSchema, DEFAULT_CHECK_SETTINGS } from '#domain/check-settings.ts';
import { CHECKS, type CheckContext, type EvidenceFile, issueOf, runChecks } from '#domain/checks.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import type { MonthlyReport } from '#domain/report.ts';
import { writeCsvBytes } from '#domain/report-writers.ts';
import { validateDeposit } from '#domain/validate.ts';
import { DEMO_ENTERPRISE, demoEvidence, demoReport, sha256Hex } from '#examples/demo.ts';

const evidenceOf = (period: string): EvidenceFile[] =>
  demoEvidence(period).map((f) => ({
    fileName: f.fileName,
    key: `evidence/${f.fileName}`,
    size: f.bytes.length,
    sha256: sha256Hex(f.bytes),
    head: f.bytes.subarray(0, 4096),
  }));

function context(report: MonthlyReport, extra: Partial<CheckContext> = {}): CheckContext {
  return { report, enterprise: DEMO_ENTERPRISE, evidence: evidenceOf(report.period), ...extra };
}

function withValue(report: MonthlyReport, unitId: string, code: keyof MonthlyReport['units'][number]['parameters'], value: number): MonthlyReport {
  const copy = structuredClone(report);
  const unit = copy.units.find((u) => u.unitId === unitId);
  const p = unit?.parameters[code];
  if (p) Object.assign(p, { value, declaredValue: value });
  return copy;
}

const codes = (issues: { code: string }[]) => [...new Set(issues.map((i) => i.code))].sort();
const prior = (report: MonthlyReport): PriorMonth => ({ period: report.period, report, evidence: evidenceOf(report.period) });

describe('the check catalogue', () => {
  it('gives every entry a unique stable EVD- code, a rationale and messages in Chinese and English', () => {
    const all = CHECKS.map((c) => c.code);
    expect(new Set(all).size).toBe(all.length);
    for (const check of CHECKS) {
      expect(check.code).toMatch(/^EVD-[A-Z0-9]+(-[A-Z0-9]+)*$/);
      expect(check.rationale.length).toBeGreaterThan(20);
      expect(check.message.zh).toMatch(/[\u4e00-\u9fff]/);
      // Plain text, with the symbols a formula needs (CO₂, a minus sign in a balance).
      expect(check.message.en).toMatch(/^[\x20-\x7e×÷±≤≥–—−₂]+$/);
      for (const template of [check.message.zh, check.message.en]) {
        for (const placeholder of template.match(/\{(\w+)\}/g) ?? [])
          expect(['{level}', '{unitId}', '{field}', '{expected}', '{found}', '{row}']).toContain(placeholder);
      }
    }
  });

  it('finds nothing wrong with the valid demo deposit', () => {
    expect(runChecks(context(demoReport()))).toEqual([]);
  });

  it('fills an issue with where and what, and names the parameter in both languages', () => {
    const issue = issueOf('EVD-RANGE-NCV', { unitId: '1', field: 'ncvAsReceived', row: 3, cell: 'E3', expected: '10–30 GJ/t', found: '35 GJ/t' });
    expect(issue).toMatchObject({
      code: 'EVD-RANGE-NCV',
      severity: 'error',
      category: 'plausibility',
      unitId: '1',
      field: 'ncvAsReceived',
      row: 3,
      cell: 'E3',
    });
    expect(issue.message.zh).toBe('机组 1 的收到基低位发热量 (ncvAsReceived)为 35 GJ/t，超出合理范围 10–30 GJ/t');
    expect(issue.message.en).toBe('Unit 1: net calorific value, as received (ncvAsReceived) is 35 GJ/t, outside the plausible range 10–30 GJ/t');
  });

  it('points a cell-level problem in a CSV at its row and cell', async () => {
    const bytes = new TextEncoder().encode(new TextDecoder().decode(writeCsvBytes(demoReport())).replace(',coalConsumed,115779.2,', ',coalConsumed,lots,'));
    const { validation } = await validateDeposit({
      key: { kind: 'report', enterpriseId: DEMO_ENTERPRISE.enterpriseId, period: '2026-03', depositId: 'd', fileName: 'r.csv' },
      reportSize: bytes.length,
      reportBytes: bytes,
      enterprise: DEMO_ENTERPRISE,
      evidence: evidenceOf('2026-03'),
      receivedAt: new Date('2026-04-02T00:00:00Z'),
    });
    expect(validation.issues).toEqual([
      expect.objectContaining({ code: 'EVD-PARAM-NOT-NUMBER', unitId: '1', field: 'coalConsumed', row: 2, cell: 'E2', found: 'lots' }),
    ]);
  });
});

describe('thresholds are configurable', () => {
  it('a tighter NCV range set in the settings turns an accepted value into an error', () => {
    const report = demoReport();
    const settings = CheckSettingsSchema.parse({ ranges: { ncvAsReceived: { min: 10, max: 21 } } });
    expect(codes(runChecks(context(report)))).toEqual([]);
    expect(codes(runChecks(context(report, { settings })))).toEqual(['EVD-RANGE-NCV']);
    // Only the overridden range changes; the others keep their defaults.
    expect(settings.ranges.carbonAsReceived).toEqual(DEFAULT_CHECK_SETTINGS.ranges.carbonAsReceived);
  });

  it('a wider auxiliary-rate band accepts a rate the default band flags', () => {
    const report = withValue(demoReport(), '3', 'powerSupplied', 0.88 * (demoReport().units[2]?.parameters.powerGenerated?.value ?? 0));
    expect(codes(runChecks(context(report)))).toEqual(['EVD-CROSS-AUX-RATE']);
    expect(codes(runChecks(context(report, { settings: CheckSettingsSchema.parse({ auxiliaryRatePercent: { min: 2, max: 15 } }) })))).toEqual([]);
  });

  it('a changed carbon-per-heat default is what the default check looks for', () => {
    const report = withValue(demoReport(), '1', 'carbonPerHeat', 0.0295);
    const settings = CheckSettingsSchema.parse({ carbonPerHeat: { default: 0.0295 } });
    expect(codes(runChecks(context(report, { settings })))).toEqual(['EVD-CPH-DEFAULT-WITH-LAB']);
  });

  it('evidence types can be restricted, e.g. to PDF only', () => {
    const settings = CheckSettingsSchema.parse({ evidence: { allowedTypes: ['pdf'] } });
    const found = runChecks(context(demoReport(), { settings })).filter((i) => i.code === 'EVD-EVIDENCE-TYPE');
    expect(found.map((i) => i.field).sort()).toEqual(['heat-ledger.jpg', 'purchased-electricity.png', 'unit3-gas-settlement.ofd']);
  });
});

describe('history-aware signals', () => {
  const march = demoReport('2026-03');
  const february = demoReport('2026-02');

  it('ignore months that are not earlier than the report', () => {
    const copy = { ...structuredClone(march), period: '2026-03' };
    expect(runChecks(context(march, { history: [prior(copy), prior(demoReport('2026-04'))] }))).toEqual([]);
  });

  it('look for copied values in the month immediately before only, but for reused lab reports in every earlier month', () => {
    const januaryWithMarchValues = { ...structuredClone(march), period: '2026-01' };
    expect(codes(runChecks(context(march, { history: [prior(januaryWithMarchValues)] })))).toEqual(['EVD-HIST-LAB-REPORT-REUSED']);
  });

  it('flag a month copied from the previous one, unit by unit', () => {
    const copied = structuredClone(march);
    const feb1 = february.units[0];
    if (copied.units[0] && feb1) copied.units[0].parameters = structuredClone(feb1.parameters);
    // The copied rows still declare February's file hashes; only the history signals matter here.
    const issues = runChecks(context(copied, { history: [prior(february)] })).filter((i) => i.category === 'history');
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-HIST-IDENTICAL-MONTH', unitId: '1', expected: '2026-02' })]);
  });

  it('flag a change beyond the band, and the band is configurable per parameter', () => {
    const report = withValue(march, '2', 'sulfur', 2.2);
    const history = [prior(february)];
    expect(codes(runChecks(context(report, { history })))).toEqual([]);
    const settings = CheckSettingsSchema.parse({ history: { changeBands: { sulfur: 0.5 } } });
    const issues = runChecks(context(report, { history, settings }));
    expect(issues).toEqual([expect.objectContaining({ code: 'EVD-HIST-ABRUPT-CHANGE', unitId: '2', field: 'sulfur', found: '2.2 (+100.0%)' })]);
  });

  it('flag carbon constant only after the configured number of months', () => {
    const same = (r: MonthlyReport) => withValue(r, '1', 'carbonAsReceived', 56);
    const history = [prior(same(february))];
    expect(codes(runChecks(context(same(march), { history })))).toEqual([]);
    const settings = CheckSettingsSchema.parse({ history: { constantCarbonMonths: 2 } });
    expect(codes(runChecks(context(same(march), { history, settings })))).toEqual(['EVD-HIST-CARBON-CONSTANT']);
  });

  it('match lab report numbers regardless of full-width characters and spaces', () => {
    const report = structuredClone(march);
    const lab = report.units[0]?.labReport;
    if (lab) lab.reportNo = 'ＪＸ-LAB-2026-02-U1 ';
    expect(codes(runChecks(context(report, { history: [prior(february)] })))).toEqual(['EVD-HIST-LAB-REPORT-REUSED']);
  });
});

describe('the catalogue and its rules', () => {
  it('gives every rule a catalogue entry, and keeps the catalogue order for CHECKS', async () => {
    const { CATALOGUE } = await import('#domain/catalogue.ts');
    const { RULES } = await import('#domain/checks.ts');
    const codes = CATALOGUE.map((entry) => entry.code);
    expect(Object.keys(RULES).filter((code) => !codes.includes(code))).toEqual([]);
    expect(CHECKS.map((c) => c.code)).toEqual(codes);
    expect(
      CHECKS.filter((c) => c.run)
        .map((c) => c.code)
        .sort(),
    ).toEqual(Object.keys(RULES).sort());
  });

  it('lists each code once', async () => {
    const { CATALOGUE } = await import('#domain/catalogue.ts');
    const codes = CATALOGUE.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
