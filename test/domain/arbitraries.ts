/** fast-check generators for reports: valid ones (for round trips) and near-valid ones (for robustness). */
import fc from 'fast-check';
import { PARAMETER_CODES, PARAMETERS, type ParameterCode, unitFactor } from '#domain/parameters.ts';
import type { MeasuredValue, MonthlyReport, UnitReport } from '#domain/report.ts';

const sha256 = fc.stringMatching(/^[a-f0-9]{64}$/);
const evidenceFile = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,30}\.(pdf|png|jpg|ofd)$/),
  fc.constantFrom('1号机组台账.pdf', '化验报告（3月）.pdf', '电量结算单 2026-03.png'),
);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((x) => (Object.is(x, -0) ? 0 : x));
const period = fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);

function measured(code: ParameterCode): fc.Arbitrary<MeasuredValue> {
  return fc
    .record(
      { declaredValue: finite, declaredUnit: fc.constantFrom(...Object.keys(PARAMETERS[code].units)), evidenceFile, evidenceSha256: sha256 },
      { requiredKeys: ['declaredValue', 'declaredUnit'] },
    )
    .map((m) => ({ ...m, value: m.declaredValue * (unitFactor(code, m.declaredUnit) ?? Number.NaN) }));
}

const parameters = fc
  .subarray([...PARAMETER_CODES], { minLength: 1 })
  .chain((codes) => fc.tuple(...codes.map((code) => measured(code).map((m) => [code, m] as const))))
  .map((entries) => Object.fromEntries(entries) as UnitReport['parameters']);

const labReport = fc.record(
  {
    reportNo: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,15}$/),
    issuedOn: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    evidenceFile,
    evidenceSha256: sha256,
  },
  { requiredKeys: ['reportNo'] },
);

/** Any report the readers must carry without loss. */
export const validReport: fc.Arbitrary<MonthlyReport> = fc
  .record({
    enterpriseId: fc.constantFrom('91360100MA35XXXXXN', '91360100MA35F0001F'),
    period,
    units: fc.uniqueArray(fc.record({ unitId: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), parameters, labReport: fc.option(labReport, { nil: undefined }) }), {
      minLength: 1,
      maxLength: 4,
      selector: (u) => u.unitId,
    }),
  })
  .map((r) => ({
    ...r,
    units: r.units.map((u) => ({ unitId: u.unitId, parameters: u.parameters, ...(u.labReport ? { labReport: u.labReport } : {}), unreadable: [] })),
  }));

const anyUnit = fc.oneof(...PARAMETER_CODES.flatMap((c) => Object.keys(PARAMETERS[c].units)).map((u) => fc.constant(u)), fc.string({ maxLength: 8 }));

/** JSON that is shaped like a report but with anything in the slots. */
export const reportLikeJson: fc.Arbitrary<unknown> = fc.record({
  enterpriseId: fc.oneof(fc.constant('91360100MA35XXXXXN'), fc.string({ maxLength: 20 })),
  period: fc.oneof(period, fc.string({ maxLength: 10 })),
  units: fc.array(
    fc.record({
      unitId: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
      parameters: fc.dictionary(
        fc.oneof(fc.constantFrom(...PARAMETER_CODES, 'labReportNo', '燃煤消耗量', '__proto__', 'constructor'), fc.string({ maxLength: 10 })),
        fc.record(
          {
            value: fc.oneof(fc.double(), fc.string({ maxLength: 12 }), fc.constant(null), fc.constantFrom('1,234.5', '１２３', '45%', '', ' ', '1e400', '-0')),
            unit: anyUnit,
            evidenceFile: fc.oneof(evidenceFile, fc.string({ maxLength: 300 }), fc.constant('a/b.pdf')),
            evidenceSha256: fc.oneof(sha256, fc.string({ maxLength: 70 })),
          },
          { requiredKeys: ['value', 'unit'] },
        ),
        { maxKeys: 6 },
      ),
      labReport: fc.option(fc.record({ reportNo: fc.string({ maxLength: 10 }), issuedOn: fc.string({ maxLength: 12 }) }), { nil: undefined }),
    }),
    { maxLength: 4 },
  ),
});
