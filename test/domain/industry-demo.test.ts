import { describe, expect, it } from 'vitest';
import type { EvidenceFile } from '#domain/checks.ts';
import { evidenceKey } from '#domain/deposit-key.ts';
import { EVIDENCE_HEAD_BYTES } from '#domain/file-types.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import { periodRange } from '#domain/period.ts';
import { type Enterprise, EnterpriseSchema, isValidCreditCode } from '#domain/registry.ts';
import { writeCsvBytes, writeJson, writeXlsx } from '#domain/report-writers.ts';
import { validateDeposit } from '#domain/validate.ts';
import { sha256Hex } from '#examples/demo.ts';
import { INDUSTRY_ENTERPRISES, industryEvidence, industryReport } from '#examples/industries.ts';
import { demoIndustryEnterprises, demoIndustryReport, INDUSTRY_FLAWS, type IndustryFlaw, TWIN_EVIDENCE_NAMES } from '#twin/demo.ts';

const MONTHS = periodRange('2025-07', '2026-06');
const FORMATS = ['csv', 'xlsx', 'json'] as const;

async function bytesOf(report: ReturnType<typeof industryReport>, format: (typeof FORMATS)[number]): Promise<Uint8Array> {
  if (format === 'csv') return writeCsvBytes(report);
  if (format === 'xlsx') return writeXlsx(report);
  return new TextEncoder().encode(writeJson(report));
}

/** Validates `months` of one enterprise in order, each with the accepted months before it as history; the verdicts and codes per month. */
async function year(
  enterprise: Enterprise,
  build: (period: string) => { report: ReturnType<typeof industryReport>; files: { fileName: string; bytes: Uint8Array }[] },
  months: readonly string[] = MONTHS,
) {
  const history: PriorMonth[] = [];
  const outcomes: { period: string; verdict: string; codes: string[] }[] = [];
  for (const [i, period] of months.entries()) {
    const { report, files } = build(period);
    const format = FORMATS[i % FORMATS.length] ?? 'csv';
    const bytes = await bytesOf(report, format);
    const evidence: EvidenceFile[] = files.map((f) => ({
      fileName: f.fileName,
      key: evidenceKey({ enterpriseId: enterprise.enterpriseId, period, depositId: 'd1', fileName: f.fileName }),
      size: f.bytes.length,
      sha256: sha256Hex(f.bytes),
      head: f.bytes.subarray(0, EVIDENCE_HEAD_BYTES),
    }));
    const [y, m] = period.split('-').map(Number) as [number, number];
    const { validation, report: parsed } = await validateDeposit({
      key: { kind: 'report', enterpriseId: enterprise.enterpriseId, period, depositId: 'd1', fileName: `report.${format}` },
      reportSize: bytes.length,
      reportBytes: bytes,
      enterprise,
      evidence,
      history,
      receivedAt: new Date(Date.UTC(y, m, 10, 2)),
    });
    outcomes.push({ period, verdict: validation.verdict, codes: [...new Set(validation.issues.map((issue) => issue.code))] });
    if (parsed && validation.verdict === 'accepted')
      history.push({ period, report: parsed, evidence: evidence.map(({ fileName, sha256 }) => ({ fileName, sha256 })) });
  }
  return outcomes;
}

const accepted = MONTHS.map((period) => ({ period, verdict: 'accepted', codes: [] }));

describe('the industry demo enterprises (examples/industries.ts)', () => {
  it.each(INDUSTRY_ENTERPRISES.map((e) => [e.name, e] as const))('%s is a valid registry entry with a valid credit code', (_name, enterprise) => {
    // Act
    const parsed = EnterpriseSchema.safeParse(enterprise);
    // Assess
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(isValidCreditCode(enterprise.enterpriseId)).toBe(true);
    expect(parsed.data?.province).toBe('360000');
  });

  it.each(INDUSTRY_ENTERPRISES.map((e) => [e.name, e] as const))(
    '%s: twelve clean months in a row (2025-07 … 2026-06), each judged with the months before it, are all accepted',
    async (_name, enterprise) => {
      // Act
      const outcomes = await year(enterprise, (period) => {
        const files = industryEvidence(enterprise, period);
        return { report: industryReport(enterprise, period, { evidence: files }), files };
      });
      // Assess
      expect(outcomes).toEqual(accepted);
    },
  );

  it('opens every steel stock line with the closing stock of the month before', () => {
    const steel = INDUSTRY_ENTERPRISES.find((e) => e.industry === 'steel') as Enterprise;
    for (const [previous, period] of MONTHS.slice(1).map((p, i) => [MONTHS[i] as string, p] as const)) {
      const before = industryReport(steel, previous);
      const now = industryReport(steel, period);
      for (const unit of now.units)
        for (const [key, v] of Object.entries(unit.parameters).filter(([k]) => k.startsWith('openingStock[')))
          expect(v.value, `${period} ${unit.unitId} ${key}`).toBe(
            before.units.find((u) => u.unitId === unit.unitId)?.parameters[key.replace('openingStock', 'closingStock')]?.value,
          );
    }
  });
});

describe("the twin's industry enterprises (infra/local/demo.ts)", () => {
  it.each(demoIndustryEnterprises().map((e) => [e.name, e] as const))(
    '%s: twelve clean months with the twin’s two evidence files are all accepted',
    async (_name, enterprise) => {
      // Act
      const outcomes = await year(enterprise, (period) => {
        const files = industryEvidence(enterprise, period, TWIN_EVIDENCE_NAMES);
        return { report: demoIndustryReport(enterprise, period, 'none', files), files };
      });
      // Assess
      expect(outcomes).toEqual(accepted);
    },
  );
});

/** What each of the twin's industry mistakes is reported as, the month after a clean one. */
const FLAW_CODES: Record<Exclude<IndustryFlaw, 'none'>, string> = {
  'wrong-clinker-factor': 'EVD-DEFAULT-MISMATCH',
  'missing-clinker-output': 'EVD-PARAM-MISSING',
  'plant-electricity': 'EVD-CEM-POWER-RATE',
  'stock-not-continued': 'EVD-STEEL-STOCK-CONTINUITY',
  'coke-unbalanced': 'EVD-STEEL-MASS-BALANCE',
  'hot-metal-ratio': 'EVD-STEEL-HOT-METAL-RATIO',
  'missing-ac-power': 'EVD-PARAM-MISSING',
  'older-anode-default': 'EVD-DEFAULT-MISMATCH',
  'atypical-anode-effect': 'EVD-PARAM-ATYPICAL',
};

describe("the twin's industry mistakes", () => {
  const cases = demoIndustryEnterprises().flatMap((enterprise) =>
    (INDUSTRY_FLAWS[enterprise.industry as keyof typeof INDUSTRY_FLAWS] ?? []).map((flaw) => [`${enterprise.name} ${flaw}`, enterprise, flaw] as const),
  );
  it.each(cases)('%s is reported as its one code', async (_name, enterprise, flaw) => {
    // Act
    const outcomes = await year(
      enterprise,
      (period) => {
        const files = industryEvidence(enterprise, period, TWIN_EVIDENCE_NAMES);
        return { report: demoIndustryReport(enterprise, period, period === '2026-03' ? flaw : 'none', files), files };
      },
      ['2026-02', '2026-03'],
    );
    // Assess
    expect(outcomes.map((o) => o.codes)).toEqual([[], [FLAW_CODES[flaw]]]);
  });
});
