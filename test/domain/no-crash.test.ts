import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvidenceFile } from '#domain/checks.ts';
import { readNumber } from '#domain/numbers.ts';
import { type DepositToValidate, readReport, validateDeposit } from '#domain/validate.ts';
import { writeCsv, writeJson } from '#domain/report-writers.ts';
import { ValidationReportSchema } from '#domain/issues.ts';
import type { Enterprise } from '#domain/registry.ts';
import { allParameterNames } from '#domain/vocabulary.ts';
import { DEMO_ENTERPRISE } from '#examples/enterprise.ts';
import { INDUSTRY_ENTERPRISES } from '#examples/industries.ts';
import { industryReportArbitrary, reportLikeJson, validReport } from './arbitraries.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const ZIP = [0x50, 0x4b, 0x03, 0x04];

const csvCell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    '"',
    '""',
    '"a,b"',
    '1,234.5',
    '１２３',
    '45%',
    'coalConsumed',
    '燃煤消耗量',
    't',
    '91360100MA35XXXXXN',
    '2026-03',
    'labReportNo',
    '\r',
    '\n',
  ),
);
const csvText = fc
  .array(fc.array(csvCell, { maxLength: 10 }), { maxLength: 12 })
  .map((rows) =>
    [['enterpriseId', 'period', 'unitId', 'parameter', 'value', 'unit', 'evidenceFile', 'evidenceSha256'], ...rows].map((r) => r.join(',')).join('\n'),
  );

const evidence: fc.Arbitrary<EvidenceFile[]> = fc.array(
  fc.record({
    fileName: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('unit1-ledger.pdf', 'a.ofd')),
    key: fc.constant('evidence/x'),
    size: fc.nat(),
    sha256: fc.stringMatching(/^[a-f0-9]{64}$/),
    head: fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ maxLength: 64 }).map((b) => new Uint8Array([...ZIP, ...b])),
    ),
  }),
  { maxLength: 4 },
);

function deposit(
  fileName: string,
  bytes: Uint8Array,
  files: EvidenceFile[],
  history: DepositToValidate['history'] = [],
  enterprise: Enterprise = DEMO_ENTERPRISE,
): DepositToValidate {
  return {
    key: { kind: 'report', enterpriseId: enterprise.enterpriseId, period: '2026-03', depositId: 'd1', fileName },
    reportSize: bytes.length,
    reportBytes: bytes,
    enterprise,
    evidence: files,
    receivedAt: new Date('2026-04-10T02:00:00Z'),
    history,
  };
}

async function validatesWithoutThrowing(d: DepositToValidate): Promise<void> {
  const { validation } = await validateDeposit(d);
  expect(ValidationReportSchema.safeParse(validation).success).toBe(true);
}

describe('no input crashes the readers or the validator', () => {
  it('random bytes as CSV, JSON or XLSX give a validation report', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('r.csv', 'r.json', 'r.xlsx'),
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 512 }),
          fc.uint8Array({ maxLength: 512 }).map((b) => new Uint8Array([...ZIP, ...b])),
        ),
        evidence,
        async (fileName, bytes, files) => validatesWithoutThrowing(deposit(fileName, bytes, files)),
      ),
      { numRuns: 150 },
    );
  });

  it('random CSV-ish text gives a validation report', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, evidence, async (text, files) => validatesWithoutThrowing(deposit('r.csv', utf8(text), files))),
      { numRuns: 200 },
    );
  });

  it('random JSON, and JSON shaped like a report with anything in it, give a validation report', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          reportLikeJson.map((v) => JSON.stringify(v)),
        ),
        evidence,
        async (text, files) => validatesWithoutThrowing(deposit('r.json', utf8(text), files)),
      ),
      { numRuns: 200 },
    );
  });

  it('any valid report, with any earlier months as history, gives a validation report', async () => {
    await fc.assert(
      fc.asyncProperty(validReport, fc.array(validReport, { maxLength: 3 }), evidence, async (report, earlier, files) => {
        const history = earlier.map((r) => ({ period: r.period, report: r, evidence: files.map(({ fileName, sha256 }) => ({ fileName, sha256 })) }));
        await validatesWithoutThrowing(deposit('r.csv', utf8(writeCsv(report)), files, history));
      }),
      { numRuns: 100 },
    );
  });

  describe('with an enterprise of the new industries (cement, aluminium, steel), or of two', () => {
    // Names of every industry (per-material keys and their Chinese names), units, materials and bases in the cells.
    const names = [...allParameterNames().keys()];
    const industryCell = fc.oneof(
      csvCell,
      fc.constantFrom(...names),
      fc.constantFrom('L1', 'P1', 'ENT', 'IRON', 'COK', '入窑煤', '焦炭', '高炉煤气', '实测', '缺省值', '选填', '10^4Nm3', 'tCO2/t', 'GJ/10^4Nm3'),
    );
    const industryCsv = fc
      .tuple(
        fc.constantFrom(
          ['enterpriseId', 'period', 'unitId', 'parameter', 'material', 'value', 'unit', 'basis', 'evidenceFile', 'requirement'],
          ['统一社会信用代码', '月份', '设施', '熟料产量(t)', '净消耗量[焦炭](t)', '取值方式', 'netConsumed[bfg]'],
          ['参数', '单位', 'L1', 'IRON'],
        ),
        fc.array(fc.array(industryCell, { maxLength: 10 }), { maxLength: 12 }),
      )
      .map(([header, rows]) => [header, ...rows].map((r) => r.join(',')).join('\n'));
    const registered = fc.oneof(
      fc.constantFrom(...INDUSTRY_ENTERPRISES),
      industryReportArbitrary.map(({ enterprise }) => enterprise),
    );

    it('random CSV-ish text in every layout gives a validation report', async () => {
      await fc.assert(
        fc.asyncProperty(industryCsv, registered, evidence, async (text, enterprise, files) =>
          validatesWithoutThrowing(deposit('r.csv', utf8(text), files, [], enterprise)),
        ),
        { numRuns: 200 },
      );
    });

    it('JSON shaped like a report with any industry’s keys gives a validation report', async () => {
      const json = fc.record({
        enterpriseId: fc.constantFrom('91360100MA35XXXXXN', '91360400MA35CEM014'),
        period: fc.constant('2026-03'),
        units: fc.array(
          fc.record({
            unitId: fc.constantFrom('L1', 'L2', 'P1', 'ENT', 'IRON', 'X'),
            parameters: fc.dictionary(
              fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 10 })),
              fc.record(
                {
                  value: fc.oneof(fc.double(), fc.string({ maxLength: 8 }), fc.constant(null)),
                  unit: fc.string({ maxLength: 8 }),
                  basis: fc.string({ maxLength: 6 }),
                },
                { requiredKeys: ['value', 'unit'] },
              ),
              { maxKeys: 8 },
            ),
          }),
          { maxLength: 3 },
        ),
      });
      await fc.assert(
        fc.asyncProperty(json, registered, evidence, async (value, enterprise, files) =>
          validatesWithoutThrowing(deposit('r.json', utf8(JSON.stringify(value)), files, [], enterprise)),
        ),
        { numRuns: 150 },
      );
    });

    it('any report of any industry, with any earlier months as history, gives a validation report', async () => {
      await fc.assert(
        fc.asyncProperty(
          industryReportArbitrary,
          fc.array(industryReportArbitrary, { maxLength: 2 }),
          evidence,
          async ({ enterprise, report }, earlier, files) => {
            const history = earlier.map(({ report: r }) => ({
              period: r.period,
              report: r,
              evidence: files.map(({ fileName, sha256 }) => ({ fileName, sha256 })),
            }));
            await validatesWithoutThrowing(deposit('r.csv', utf8(writeCsv(report)), files, history, enterprise));
            // Its facilities' figures judged against another industry's registry entry: still a report.
            await validatesWithoutThrowing(deposit('r.json', utf8(writeJson(report)), files, history, DEMO_ENTERPRISE));
          },
        ),
        { numRuns: 100 },
      );
    });
  });

  it('readReport returns issues, never throws, for a truncated valid workbook', async () => {
    const { writeXlsx } = await import('#domain/report-writers.ts');
    await fc.assert(
      fc.asyncProperty(validReport, fc.double({ min: 0, max: 1, noNaN: true }), async (report, cut) => {
        const bytes = await writeXlsx(report);
        const read = await readReport('r.xlsx', bytes.subarray(0, Math.floor(bytes.length * cut)));
        expect(read.report !== undefined || read.issues.length > 0).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('readNumber reads any string as a finite number, empty or invalid', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[-+]?[0-9０-９,.]{0,12}(e[-+]?[0-9]{1,4})?%?$/)),
        fc.boolean(),
        (raw, percent) => {
          const reading = readNumber(raw, percent);
          if (reading.kind === 'number') expect(Number.isFinite(reading.value)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
