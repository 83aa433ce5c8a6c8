/** fast-check generators for reports: valid ones (for round trips) and near-valid ones (for robustness), power's and every industry's. */
import fc from 'fast-check';
import { factorOf, type IndustryCatalogue, type IndustryParameter, parameterKey, unitsOf } from '#domain/industry.ts';
import { INDUSTRIES } from '#domain/industries/index.ts';
import { PARAMETER_CODES, PARAMETERS, type ParameterCode, unitFactor } from '#domain/parameters.ts';
import type { Enterprise, Facility } from '#domain/registry.ts';
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

// ——— every industry ———

/** Every key a facility of the catalogue may report (each per-material parameter with every material of its roles), with its units. */
function catalogueKeys(catalogue: IndustryCatalogue): { key: string; units: Readonly<Record<string, number>>; basis: IndustryParameter['basis'] }[] {
  return catalogue.parameters.flatMap((parameter) =>
    parameter.perMaterial
      ? catalogue.materials
          .filter((m) => parameter.perMaterial?.includes(m.role))
          .map((m) => ({ key: parameterKey(parameter.code, m.code), units: unitsOf(parameter, m).units, basis: parameter.basis }))
      : [{ key: parameter.code, units: parameter.units, basis: parameter.basis }],
  );
}

/** A unit spelling a reader gives back as written (NFKC turns `tCO₂/t` into `tCO2/t`, a different declared unit). */
const stableUnits = (units: Readonly<Record<string, number>>) => Object.keys(units).filter((u) => u.normalize('NFKC') === u && u.trim() === u);

/** The bases a row may declare for a parameter: its own, or either where the guideline allows both. */
const declarable = (basis: IndustryParameter['basis']) => (basis === 'measured-or-default' ? (['measured', 'default'] as const) : ([basis] as const));

function measuredIn(units: Readonly<Record<string, number>>, basis: IndustryParameter['basis'] = 'measured-or-default'): fc.Arbitrary<MeasuredValue> {
  return fc
    .record(
      {
        declaredValue: finite,
        declaredUnit: fc.constantFrom(...stableUnits(units)),
        evidenceFile,
        evidenceSha256: sha256,
        basis: fc.constantFrom(...declarable(basis)),
      },
      { requiredKeys: ['declaredValue', 'declaredUnit'] },
    )
    .map((m) => ({ ...m, value: m.declaredValue * (factorOf(units, m.declaredUnit) ?? Number.NaN) }));
}

/** One facility of a catalogue: its attributes drawn from the catalogue, some of its materials. */
export function facilityOf(catalogue: IndustryCatalogue, unitId: string): fc.Arbitrary<Facility> {
  const attributes = catalogue.attributes.map((a) =>
    ('oneOf' in a.kind ? fc.constantFrom(...Object.keys(a.kind.oneOf)) : fc.integer({ min: 1, max: 10_000 })).map((v) => [a.code, v] as const),
  );
  return fc
    .tuple(fc.tuple(...attributes), catalogue.materials.length > 0 ? fc.subarray(catalogue.materials.map((m) => m.code)) : fc.constant([] as string[]))
    .map(([pairs, materials]) => ({
      unitId,
      industry: catalogue.code,
      ...Object.fromEntries(pairs),
      ...(catalogue.materials.length > 0 ? { materials } : {}),
    }));
}

/** A facility's month: any non-empty set of its catalogue's keys, in any accepted unit, with or without basis and evidence; maybe a lab report. */
function unitOf(catalogue: IndustryCatalogue, unitId: string): fc.Arbitrary<UnitReport> {
  const keys = catalogueKeys(catalogue);
  return fc
    .subarray(keys, { minLength: 1, maxLength: 12 })
    .chain((chosen) =>
      fc.tuple(fc.tuple(...chosen.map((k) => measuredIn(k.units, k.basis).map((m) => [k.key, m] as const))), fc.option(labReport, { nil: undefined })),
    )
    .map(([entries, lab]) => ({ unitId, parameters: Object.fromEntries(entries), ...(lab ? { labReport: lab } : {}), unreadable: [] }));
}

const industryCodes = INDUSTRIES.map((c) => c.code);

/**
 * An enterprise of one or two industries (any of the four), one to three facilities each drawn
 * from its catalogue, and a report of some of them: for every industry's round trip and robustness.
 */
export const industryReportArbitrary: fc.Arbitrary<{ enterprise: Enterprise; report: MonthlyReport }> = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...industryCodes), { minLength: 1, maxLength: 2 }), fc.constantFrom('91360100MA35XXXXXN', '91360100MA35F0001F'), period)
  .chain(([industries, enterpriseId, month]) =>
    fc
      .tuple(
        ...industries.map((code, i) =>
          fc.integer({ min: 1, max: 3 }).chain((n) =>
            fc.tuple(
              ...Array.from({ length: n }, (_, j) => {
                const catalogue = INDUSTRIES.find((c) => c.code === code) as IndustryCatalogue;
                const unitId = `${code.slice(0, 2).toUpperCase()}${i}${j}`;
                return fc.tuple(facilityOf(catalogue, unitId), unitOf(catalogue, unitId));
              }),
            ),
          ),
        ),
      )
      .map((groups) => {
        const pairs = groups.flat();
        const enterprise: Enterprise = {
          enterpriseId,
          name: '示范企业',
          province: '360000',
          city: '360100',
          industry: industries[0] as string,
          industries: industries.map((industry) => ({ industry, obligedFrom: '2000-01' })),
          obligedFrom: '2000-01',
          units: pairs.map(([facility]) => facility),
        };
        return { enterprise, report: { enterpriseId, period: month, units: pairs.map(([, unit]) => unit) } };
      }),
  );
