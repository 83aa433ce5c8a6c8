/**
 * The rules over a parsed report, keyed by their catalogue code (catalogue.ts holds each check's
 * severity, rationale and messages; history signals are in history-checks.ts). `CHECKS` is the
 * catalogue with each entry's rule, in catalogue order; `runChecks` applies them.
 * Thresholds come from `CheckSettings` (check-settings.ts), never from literals in a rule.
 *
 * Power's rules (EVD-RANGE-*, EVD-CROSS-*, EVD-CPH-*…) judge power units only, as they have since
 * 2022. Every other facility is judged by its industry's catalogue (industries/*.ts): the generic
 * rules (EVD-PARAM-RANGE, EVD-PARAM-ATYPICAL, EVD-DEFAULT-*, EVD-LAB-REPORT-MEASURED…) read its
 * parameters' ranges, defaults and evidence, and each catalogue cross-check is a rule of its code.
 */
import { bandOf, type CheckSettings, DEFAULT_CHECK_SETTINGS } from './check-settings.ts';
import {
  type CheckContext,
  declaredDefault as isDeclaredDefault,
  type EvidenceFile,
  facilityOf,
  judgedAsPower,
  namesFor,
  otherIndustryFacility,
  type ResolvedCheckContext,
  sameFigure,
  takenAsDefault as isTakenAsDefault,
} from './check-context.ts';
import { band, CATALOGUE, type CheckEntry, issueOf } from './catalogue.ts';
import { judgeContent, typeOfExtension } from './file-types.ts';
import { HISTORY_RULES, keysOf, previousMonth, unitIn } from './history-checks.ts';
import {
  type Band,
  type CrossCheck,
  defaultOf,
  expectedParameters,
  type FacilityFacts,
  type FacilityLike,
  type IndustryCatalogue,
  type IndustryParameter,
  keyLabel,
  type Material,
  splitParameterKey,
  typicalOf,
  unitsOf,
} from './industry.ts';
import { INDUSTRIES } from './industries/index.ts';
import type { Finding, Issue } from './issues.ts';
import { PARAMETER_CODES, PARAMETERS, type ParameterCode, requiredParameters } from './parameters.ts';
import { addMonths, hoursInMonth, parsePeriod } from './period.ts';
import { facilitiesOwed } from './registry.ts';
import type { MeasuredValue, MonthlyReport, UnitReport } from './report.ts';

export { checkDefinition, issueOf } from './catalogue.ts';
export type { CheckContext, EvidenceFile, ResolvedCheckContext } from './check-context.ts';

/** A rule: the findings of one check over a parsed report. */
export type Rule = (context: ResolvedCheckContext) => Finding[];

/** A catalogue entry with its rule; entries without one are raised by the stages that read the file. */
export interface CheckDefinition extends CheckEntry {
  readonly run?: Rule;
}

/** The files whose bytes were read: the only ones size, type and hash checks can judge. */
function readable(evidence: readonly EvidenceFile[]): EvidenceFile[] {
  return evidence.filter((e) => e.unreadable === undefined);
}

/** Power's rules: over the blocks of power units (and of blocks the registry does not list, as before there were other industries). */
function forEachUnit(context: ResolvedCheckContext, fn: (unit: UnitReport, capacityMW: number | undefined) => Finding[]): Finding[] {
  return context.report.units
    .filter((unit) => judgedAsPower(context, unit.unitId))
    .flatMap((unit) => fn(unit, context.enterprise.units.find((u) => u.unitId === unit.unitId)?.capacityMW));
}

/** One reported key of another industry's facility, with what its catalogue says of it. */
interface ReportedKey {
  readonly key: string;
  readonly reported: MeasuredValue;
  readonly parameter: IndustryParameter;
  readonly material?: Material;
  /** Canonical unit of the key (a gas material's where it has its own). */
  readonly unit: string;
  /** The guideline's default for this facility and material, if any. */
  readonly fallback: number | undefined;
}

interface OtherFacilityBlock {
  readonly unit: UnitReport;
  readonly facility: FacilityLike;
  readonly catalogue: IndustryCatalogue;
  readonly keys: readonly ReportedKey[];
}

/** The blocks of registered facilities of industries other than power, each key read with its catalogue. */
function otherFacilities(context: ResolvedCheckContext): OtherFacilityBlock[] {
  return context.report.units.flatMap((unit): OtherFacilityBlock[] => {
    const other = otherIndustryFacility(context, unit.unitId);
    if (!other) return [];
    const { facility, catalogue } = other;
    const keys = keysOf(unit).flatMap((key): ReportedKey[] => {
      const reported = unit.parameters[key];
      const { code, material } = splitParameterKey(key);
      const parameter = catalogue.parameters.find((p) => p.code === code);
      const m = material === undefined ? undefined : catalogue.materials.find((x) => x.code === material);
      if (!reported || !parameter || (material !== undefined && !m)) return [];
      return [
        { key, reported, parameter, ...(m ? { material: m } : {}), unit: unitsOf(parameter, m).unit, fallback: defaultOf(parameter, facility, material) },
      ];
    });
    return [{ unit, facility, catalogue, keys }];
  });
}

const declaredDefault = (k: ReportedKey) => isDeclaredDefault(k.parameter, k.reported);
const takenAsDefault = (k: ReportedKey) => isTakenAsDefault(k.parameter, k.reported, k.fallback);

/** Where and how to name a key's finding. */
function at(context: ResolvedCheckContext, block: OtherFacilityBlock, k: ReportedKey): Finding {
  return {
    unitId: block.unit.unitId,
    field: k.key,
    ...(k.reported.row !== undefined ? { row: k.reported.row } : {}),
    ...namesFor(context, block.unit.unitId, k.key),
  };
}

const show = (band: Band, unit: string) => `${band.min}–${band.max} ${unit}`;

/** EVD-DEFAULT-MISMATCH (a default read in a text or an implementation) or EVD-DEFAULT-UNCONFIRMED (an estimate). */
function defaultRule(estimate: boolean): Rule {
  return (context) =>
    otherFacilities(context).flatMap((block) =>
      block.keys.flatMap((k): Finding[] => {
        const certainty = k.parameter.default?.certainty;
        if (k.parameter.defaultJudgedBy || certainty === undefined || (certainty === 'est') !== estimate) return [];
        if (!declaredDefault(k) || k.fallback === undefined || sameFigure(k.reported.value, k.fallback)) return [];
        return [{ ...at(context, block, k), expected: `${k.fallback} ${k.unit}`, found: `${k.reported.value} ${k.unit}` }];
      }),
    );
}

/** The FacilityFacts a catalogue cross-check judges: the block's values, its registered materials, the month's days, last month's block. */
function factsOf(context: ResolvedCheckContext, block: OtherFacilityBlock, check: CrossCheck): FacilityFacts {
  const { unit, facility, catalogue } = block;
  const registered = (facility.materials ?? []).map((code) => catalogue.materials.find((m) => m.code === code)).filter((m): m is Material => m !== undefined);
  const before = check.history ? unitIn(previousMonth(context), unit.unitId) : undefined;
  return {
    facility,
    value: (key) => unit.parameters[key]?.value,
    materials: (role) => (role === undefined ? registered : registered.filter((m) => m.role === role)),
    days: hoursInMonth(context.report.period) / 24,
    ...(before ? { previous: { value: (key: string) => before.parameters[key]?.value, period: addMonths(context.report.period, -1) } } : {}),
  };
}

/** The rule of one catalogue cross-check: its band, tolerance and switch from the industry's settings. */
function crossCheckRule(catalogue: IndustryCatalogue, check: CrossCheck): Rule {
  return (context) => {
    const tuned = context.settings.industries[catalogue.code]?.crossChecks[check.code];
    if (tuned?.enabled === false) return [];
    const min = tuned?.min ?? check.band?.min;
    const max = tuned?.max ?? check.band?.max;
    const checkBand = min === undefined && max === undefined ? undefined : { min: min ?? Number.NEGATIVE_INFINITY, max: max ?? Number.POSITIVE_INFINITY };
    const tolerance = tuned?.tolerance ?? check.tolerance;
    return otherFacilities(context)
      .filter((block) => block.catalogue.code === catalogue.code)
      .flatMap((block) =>
        check.judge(factsOf(context, block, check), checkBand, tolerance).map((f) => {
          const row = block.unit.parameters[f.key]?.row;
          return {
            unitId: block.unit.unitId,
            field: f.key,
            ...(row !== undefined ? { row } : {}),
            expected: f.expected,
            found: f.found,
            ...namesFor(context, block.unit.unitId, f.key),
          };
        }),
      );
  };
}

/** Every catalogue cross-check's rule, by its code. */
const CROSS_CHECK_RULES: Readonly<Record<string, Rule>> = Object.fromEntries(
  INDUSTRIES.flatMap((catalogue) => catalogue.crossChecks.map((check) => [check.code, crossCheckRule(catalogue, check)])),
);

function value(unit: UnitReport, code: ParameterCode): number | undefined {
  return unit.parameters[code]?.value;
}

function rangeRule(code: ParameterCode): Rule {
  const p = PARAMETERS[code];
  return (context) => {
    const range = band(context.settings.ranges[code]);
    return forEachUnit(context, (unit) => {
      const v = value(unit, code);
      return v !== undefined && (v < range.min || v > range.max)
        ? [{ unitId: unit.unitId, field: code, row: unit.parameters[code]?.row, expected: `${range.min}–${range.max} ${p.unit}`, found: `${v} ${p.unit}` }]
        : [];
    });
  };
}

function typicalRule(code: ParameterCode): Rule {
  const p = PARAMETERS[code];
  return (context) => {
    const typical = band(context.settings.typical[code]);
    const range = context.settings.ranges[code] ?? typical;
    const { default: fallback, formerDefaults, equalWithin } = context.settings.carbonPerHeat;
    // A default is not a measurement, so it is not "atypical"; the default checks judge it.
    const isDefault = (v: number) => code === 'carbonPerHeat' && [fallback, ...formerDefaults].some((d) => near(v, d, equalWithin));
    return forEachUnit(context, (unit) => {
      const v = value(unit, code);
      return v !== undefined && !isDefault(v) && v >= range.min && v <= range.max && (v < typical.min || v > typical.max)
        ? [{ unitId: unit.unitId, field: code, row: unit.parameters[code]?.row, expected: `${typical.min}–${typical.max} ${p.unit}`, found: `${v} ${p.unit}` }]
        : [];
    });
  };
}

function fuelOf(context: ResolvedCheckContext, unitId: string): 'coal' | 'gas' | undefined {
  return context.enterprise.units.find((u) => u.unitId === unitId)?.fuel;
}

function near(a: number, b: number, within: number): boolean {
  return Math.abs(a - b) <= within;
}

/** `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.M.D` or `YYYY年M月D日` → days since epoch (UTC), or undefined. */
export function readIssueDate(text: string): number | undefined {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.normalize('NFKC').replace(/\s+/g, ''));
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime() / 86_400_000;
}

function isoDay(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** The rule of each catalogue entry that judges a parsed report, by code. */
export const RULES: Readonly<Record<string, Rule>> = {
  'EVD-UNIT-MISSING': (context) =>
    facilitiesOwed(context.enterprise, context.report.period)
      .filter((u) => !context.report.units.some((r) => r.unitId === u.unitId))
      .map((u) => {
        const names = namesFor(context, u.unitId);
        return { unitId: u.unitId, expected: `a block of rows for this ${names.level?.en.toLowerCase() ?? 'unit'}`, found: '(none)', ...names };
      }),
  'EVD-UNIT-UNKNOWN': ({ report, enterprise }) =>
    report.units
      .filter((r) => !enterprise.units.some((u) => u.unitId === r.unitId))
      .map((r) => ({ unitId: r.unitId, expected: enterprise.units.map((u) => u.unitId).join(', '), found: r.unitId })),
  'EVD-PARAM-MISSING': (context) => [
    ...context.report.units.flatMap((unit) => {
      const registered = facilityOf(context, unit.unitId);
      if (!registered?.fuel || !judgedAsPower(context, unit.unitId)) return [];
      return requiredParameters(registered.fuel)
        .filter((code) => !unit.parameters[code] && !unit.unreadable.includes(code))
        .map((code) => ({ unitId: unit.unitId, field: code, expected: `a value in ${PARAMETERS[code].unit}`, found: '(absent)' }));
    }),
    // Another industry's facility: every required key of its catalogue, per registered material.
    ...otherFacilities(context).flatMap(({ unit, facility, catalogue }) =>
      expectedParameters(catalogue, facility)
        .filter((e) => e.required && !unit.parameters[e.key] && !unit.unreadable.includes(e.key))
        .map((e) => ({
          unitId: unit.unitId,
          field: e.key,
          expected: `a value in ${unitsOf(e.parameter, e.material).unit}`,
          found: '(absent)',
          ...namesFor(context, unit.unitId, e.key),
        })),
    ),
  ],
  'EVD-LAB-REPORT-MISSING': ({ report, enterprise }) =>
    report.units
      .filter((unit) => enterprise.units.find((u) => u.unitId === unit.unitId)?.fuel === 'coal' && !unit.labReport)
      .map((unit) => ({ unitId: unit.unitId, field: 'labReportNo', expected: 'a lab report number', found: '(absent)' })),
  'EVD-LAB-REPORT-MEASURED': (context) =>
    otherFacilities(context).flatMap((block): Finding[] => {
      if (block.catalogue.labReport !== 'when-measured' || block.unit.labReport) return [];
      const measured = block.keys.filter((k) => k.parameter.composition && !takenAsDefault(k));
      if (measured.length === 0) return [];
      return [
        {
          unitId: block.unit.unitId,
          field: 'labReportNo',
          expected: 'a lab report number (CMA/CNAS) for the measured composition',
          found: measured.map((k) => k.key).join(', '),
          zh: { found: measured.map((k) => keyLabel(block.catalogue, k.key, 'zh') ?? k.key).join('、') },
          ...namesFor(context, block.unit.unitId),
        },
      ];
    }),
  'EVD-PARAM-EXTRA': (context) => [
    ...context.report.units.flatMap((unit) => {
      const registered = facilityOf(context, unit.unitId);
      if (!registered?.fuel || !judgedAsPower(context, unit.unitId)) return [];
      const required = requiredParameters(registered.fuel);
      return PARAMETER_CODES.filter((code) => unit.parameters[code] && !required.includes(code)).map((code) => ({
        unitId: unit.unitId,
        field: code,
        row: unit.parameters[code]?.row,
        expected: `parameters of a ${registered.fuel} unit`,
        found: code,
      }));
    }),
    // Another industry's facility: a key its catalogue does not expect of it (a material the registry does not list for it).
    ...otherFacilities(context).flatMap((block) => {
      const expected = new Set(expectedParameters(block.catalogue, block.facility).map((e) => e.key));
      const level = block.catalogue.level.en.toLowerCase();
      return block.keys
        .filter((k) => !expected.has(k.key))
        .map((k) => ({
          ...at(context, block, k),
          expected:
            k.material !== undefined
              ? `the materials registered for this ${level}: ${(block.facility.materials ?? []).join(', ') || '(none)'}`
              : `parameters of this ${level}`,
          found: k.key,
        }));
    }),
  ],
  'EVD-EVIDENCE-LEDGER-MISSING': (context) => [
    ...context.report.units
      .filter((unit) => judgedAsPower(context, unit.unitId))
      .flatMap((unit) =>
        PARAMETER_CODES.filter((code) => unit.parameters[code] && !unit.parameters[code]?.evidenceFile).map((code) => ({
          unitId: unit.unitId,
          field: code,
          row: unit.parameters[code]?.row,
          expected: 'a stamped ledger scan in the evidence folder',
          found: '(none)',
          zh: { expected: '盖章台账扫描件' },
        })),
      ),
    // Another industry's parameter needs the material its catalogue names; a default needs none.
    ...otherFacilities(context).flatMap((block) =>
      block.keys
        .filter((k) => k.parameter.evidence !== undefined && !k.reported.evidenceFile && !takenAsDefault(k))
        .map((k) => ({
          ...at(context, block, k),
          expected: `${k.parameter.evidence?.en} in the evidence folder`,
          found: '(none)',
          zh: { expected: k.parameter.evidence?.zh ?? '' },
        })),
    ),
  ],
  'EVD-EVIDENCE-LAB-MISSING': (context) =>
    context.report.units
      .filter((unit) => fuelOf(context, unit.unitId) === 'coal' && unit.labReport && !unit.labReport.evidenceFile)
      .map((unit) => ({
        unitId: unit.unitId,
        field: 'labReportNo',
        row: unit.labReport?.row,
        expected: 'the lab report scan in the evidence folder',
        found: unit.labReport?.reportNo ?? '',
      })),
  'EVD-EVIDENCE-TOO-MANY': ({ report, settings }) => {
    const named = evidenceFileNamesOf(report).length;
    return named > settings.evidence.maxFiles ? [{ field: 'evidenceFile', expected: String(settings.evidence.maxFiles), found: String(named) }] : [];
  },
  'EVD-EVIDENCE-UNREADABLE': ({ evidence }) =>
    evidence
      .filter((e) => e.unreadable !== undefined)
      .map((e) => ({ field: e.fileName, expected: 'a file the validator and reviewers can read', found: e.unreadable })),
  'EVD-EVIDENCE-EMPTY': ({ evidence }) =>
    readable(evidence)
      .filter((e) => e.size === 0)
      .map((e) => ({ field: e.fileName, expected: 'a non-empty file', found: '0 bytes' })),
  'EVD-EVIDENCE-TOO-LARGE': ({ evidence, settings }) =>
    readable(evidence)
      .filter((e) => e.size > settings.evidence.maxBytes)
      .map((e) => ({ field: e.fileName, expected: `${settings.evidence.maxBytes} bytes`, found: `${e.size} bytes` })),
  'EVD-EVIDENCE-TYPE': ({ evidence, settings }) =>
    readable(evidence).flatMap((e) => {
      if (!e.head || e.size === 0) return [];
      const judged = judgeContent(e.head, e.size);
      if (judged.refusal === undefined && (settings.evidence.allowedTypes as readonly string[]).includes(judged.type)) return [];
      return [{ field: e.fileName, expected: settings.evidence.allowedTypes.join(', '), found: judged.refusal ?? judged.type }];
    }),
  'EVD-EVIDENCE-EXTENSION': ({ evidence, settings }) =>
    readable(evidence).flatMap((e) => {
      if (!e.head || e.size === 0) return [];
      const { type, refusal } = judgeContent(e.head, e.size);
      if (refusal !== undefined || !(settings.evidence.allowedTypes as readonly string[]).includes(type)) return [];
      const claimed = typeOfExtension(e.fileName);
      return claimed === type ? [] : [{ field: e.fileName, expected: `.${type === 'jpeg' ? 'jpg' : type}`, found: type }];
    }),
  'EVD-LAB-REPORT-DATE-FORMAT': (context) =>
    context.report.units.flatMap((unit) => {
      const issuedOn = unit.labReport?.issuedOn;
      return issuedOn !== undefined && readIssueDate(issuedOn) === undefined
        ? [
            {
              unitId: unit.unitId,
              field: 'labReportIssuedOn',
              expected: 'YYYY-MM-DD',
              found: issuedOn.slice(0, 40) || '(empty)',
              ...namesFor(context, unit.unitId),
            },
          ]
        : [];
    }),
  'EVD-LAB-REPORT-DATE': (context) => {
    const { report, settings } = context;
    const { year, month } = parsePeriod(report.period);
    const first = Date.UTC(year, month - 1, 1) / 86_400_000;
    const last = Date.UTC(year, month, 0) / 86_400_000 + settings.labReportWindowDays;
    return report.units.flatMap((unit) => {
      const issuedOn = unit.labReport?.issuedOn;
      const day = issuedOn === undefined ? undefined : readIssueDate(issuedOn);
      return day !== undefined && (day < first || day > last)
        ? [
            {
              unitId: unit.unitId,
              field: 'labReportIssuedOn',
              expected: `${isoDay(first)} – ${isoDay(last)}`,
              found: isoDay(day),
              ...namesFor(context, unit.unitId),
            },
          ]
        : [];
    });
  },
  'EVD-RANGE-COAL': rangeRule('coalConsumed'),
  'EVD-RANGE-GAS': rangeRule('gasConsumed'),
  'EVD-RANGE-NCV': rangeRule('ncvAsReceived'),
  'EVD-ATYPICAL-NCV': typicalRule('ncvAsReceived'),
  'EVD-RANGE-CARBON': rangeRule('carbonAsReceived'),
  'EVD-RANGE-CPH': rangeRule('carbonPerHeat'),
  'EVD-ATYPICAL-CPH': typicalRule('carbonPerHeat'),
  'EVD-RANGE-H': rangeRule('hydrogen'),
  'EVD-RANGE-S': rangeRule('sulfur'),
  'EVD-RANGE-MT': rangeRule('moisture'),
  'EVD-RANGE-PURCHASED': rangeRule('purchasedElectricity'),
  'EVD-RANGE-GENERATED': rangeRule('powerGenerated'),
  'EVD-RANGE-SUPPLIED': rangeRule('powerSupplied'),
  'EVD-RANGE-HEAT': rangeRule('heatSupplied'),
  'EVD-RANGE-HOURS': rangeRule('operatingHours'),
  'EVD-RANGE-LOAD': rangeRule('loadFactor'),
  'EVD-PARAM-RANGE': (context) =>
    otherFacilities(context).flatMap((block) => {
      const ranges = context.settings.industries[block.catalogue.code]?.ranges;
      return block.keys.flatMap((k): Finding[] => {
        if (k.parameter.codes?.range) return [];
        const range = bandOf(ranges, k.key, k.parameter.code) ?? k.parameter.range;
        const v = k.reported.value;
        return range && (v < range.min || v > range.max) ? [{ ...at(context, block, k), expected: show(range, k.unit), found: `${v} ${k.unit}` }] : [];
      });
    }),
  'EVD-PARAM-ATYPICAL': (context) =>
    otherFacilities(context).flatMap((block) => {
      const tuned = context.settings.industries[block.catalogue.code];
      return block.keys.flatMap((k): Finding[] => {
        // A default is not a measurement, so it is not "atypical"; the default checks judge it.
        if (k.parameter.codes?.typical || takenAsDefault(k) || (k.fallback !== undefined && sameFigure(k.reported.value, k.fallback))) return [];
        const typical = bandOf(tuned?.typical, k.key, k.parameter.code) ?? typicalOf(k.parameter, k.material?.code);
        const range = bandOf(tuned?.ranges, k.key, k.parameter.code) ?? k.parameter.range ?? band(undefined);
        const v = k.reported.value;
        return typical && v >= range.min && v <= range.max && (v < typical.min || v > typical.max)
          ? [{ ...at(context, block, k), expected: show(typical, k.unit), found: `${v} ${k.unit}` }]
          : [];
      });
    }),
  'EVD-CPH-DEFAULT-WITH-LAB': (context) =>
    forEachUnit(context, (unit) => {
      const cph = value(unit, 'carbonPerHeat');
      const { default: fallback, equalWithin } = context.settings.carbonPerHeat;
      return cph !== undefined && unit.labReport && near(cph, fallback, equalWithin)
        ? [
            {
              unitId: unit.unitId,
              field: 'carbonPerHeat',
              row: unit.parameters.carbonPerHeat?.row,
              expected: 'the measured value from the lab report',
              found: `${cph} tC/GJ`,
            },
          ]
        : [];
    }),
  'EVD-CPH-FORMER-DEFAULT': (context) =>
    forEachUnit(context, (unit) => {
      const cph = value(unit, 'carbonPerHeat');
      const { default: fallback, formerDefaults, equalWithin } = context.settings.carbonPerHeat;
      return cph !== undefined && formerDefaults.some((f) => near(cph, f, equalWithin))
        ? [{ unitId: unit.unitId, field: 'carbonPerHeat', row: unit.parameters.carbonPerHeat?.row, expected: `${fallback} tC/GJ`, found: `${cph} tC/GJ` }]
        : [];
    }),
  'EVD-DEFAULT-MISMATCH': defaultRule(false),
  'EVD-DEFAULT-UNCONFIRMED': defaultRule(true),
  'EVD-DEFAULT-WITH-LAB': (context) =>
    otherFacilities(context).flatMap((block) =>
      !block.unit.labReport
        ? []
        : block.keys
            .filter((k) => k.parameter.composition && k.parameter.basis === 'measured-or-default' && !k.parameter.defaultJudgedBy && takenAsDefault(k))
            .map((k) => ({ ...at(context, block, k), expected: 'the measured value from the lab report', found: `${k.reported.value} ${k.unit}` })),
    ),
  'EVD-CROSS-CPH-CARBON-NCV': (context) =>
    forEachUnit(context, (unit) => {
      const cph = value(unit, 'carbonPerHeat');
      const carbon = value(unit, 'carbonAsReceived');
      const ncv = value(unit, 'ncvAsReceived');
      const { default: fallback, formerDefaults, equalWithin, consistencyTolerance } = context.settings.carbonPerHeat;
      if (cph === undefined || carbon === undefined || ncv === undefined || ncv <= 0 || carbon <= 0) return [];
      // A default is not a measurement; the default checks speak for it.
      if ([fallback, ...formerDefaults].some((d) => near(cph, d, equalWithin))) return [];
      const derived = carbon / 100 / ncv;
      return Math.abs(cph - derived) / derived > consistencyTolerance
        ? [
            {
              unitId: unit.unitId,
              field: 'carbonPerHeat',
              row: unit.parameters.carbonPerHeat?.row,
              expected: `${derived.toFixed(5)} tC/GJ ± ${consistencyTolerance * 100}%`,
              found: `${cph} tC/GJ`,
            },
          ]
        : [];
    }),
  'EVD-CROSS-NCV-COMPOSITION': (context) =>
    forEachUnit(context, (unit) => {
      const ncv = value(unit, 'ncvAsReceived');
      const c = value(unit, 'carbonAsReceived');
      const h = value(unit, 'hydrogen');
      const mt = value(unit, 'moisture');
      const s = value(unit, 'sulfur') ?? 0;
      if (ncv === undefined || c === undefined || h === undefined || mt === undefined) return [];
      const { assumedOxygenPercent: o, tolerance } = context.settings.ncvComposition;
      const estimate = (339 * c + 1030 * h - 108.9 * (o - s) - 25.1 * (9 * h + mt)) / 1000;
      if (estimate <= 0) return [];
      return Math.abs(ncv - estimate) / estimate > tolerance
        ? [
            {
              unitId: unit.unitId,
              field: 'ncvAsReceived',
              row: unit.parameters.ncvAsReceived?.row,
              expected: `${estimate.toFixed(2)} GJ/t ± ${tolerance * 100}%`,
              found: `${ncv} GJ/t`,
            },
          ]
        : [];
    }),
  'EVD-CROSS-SUPPLIED-GT-GENERATED': (context) =>
    forEachUnit(context, (unit) => {
      const generated = value(unit, 'powerGenerated');
      const supplied = value(unit, 'powerSupplied');
      return generated !== undefined && supplied !== undefined && supplied > generated
        ? [{ unitId: unit.unitId, field: 'powerSupplied', expected: `${generated} MWh`, found: `${supplied} MWh` }]
        : [];
    }),
  'EVD-CROSS-AUX-RATE': (context) =>
    forEachUnit(context, (unit) => {
      const generated = value(unit, 'powerGenerated');
      const supplied = value(unit, 'powerSupplied');
      if (generated === undefined || supplied === undefined || generated <= 0 || supplied > generated) return [];
      const { min, max } = context.settings.auxiliaryRatePercent;
      const rate = (1 - supplied / generated) * 100;
      return rate < min || rate > max ? [{ unitId: unit.unitId, field: 'powerSupplied', expected: `${min}–${max}%`, found: `${rate.toFixed(2)}%` }] : [];
    }),
  'EVD-CROSS-HOURS-GT-MONTH': (context) =>
    forEachUnit(context, (unit) => {
      const hours = value(unit, 'operatingHours');
      const limit = hoursInMonth(context.report.period);
      return hours !== undefined && hours > limit ? [{ unitId: unit.unitId, field: 'operatingHours', expected: `${limit} h`, found: `${hours} h` }] : [];
    }),
  'EVD-CROSS-ZERO-HOURS-OUTPUT': (context) =>
    forEachUnit(context, (unit) => {
      if (value(unit, 'operatingHours') !== 0) return [];
      return (['powerGenerated', 'powerSupplied', 'loadFactor'] as const)
        .filter((code) => (value(unit, code) ?? 0) > 0)
        .map((code) => ({ unitId: unit.unitId, field: code, expected: '0', found: String(value(unit, code)) }));
    }),
  'EVD-CROSS-GEN-GT-CAPACITY': (context) =>
    forEachUnit(context, (unit, capacityMW) => {
      const generated = value(unit, 'powerGenerated');
      const hours = value(unit, 'operatingHours');
      if (generated === undefined || hours === undefined || capacityMW === undefined) return [];
      const limit = capacityMW * hours;
      return generated > limit * (1 + context.settings.capacityTolerance)
        ? [{ unitId: unit.unitId, field: 'powerGenerated', expected: `≤ ${limit} MWh`, found: `${generated} MWh` }]
        : [];
    }),
  'EVD-CROSS-LOAD-FACTOR': (context) =>
    forEachUnit(context, (unit, capacityMW) => {
      const factor = value(unit, 'loadFactor');
      const generated = value(unit, 'powerGenerated');
      const hours = value(unit, 'operatingHours');
      if (factor === undefined || generated === undefined || hours === undefined || capacityMW === undefined || hours <= 0) return [];
      const derived = (generated / (capacityMW * hours)) * 100;
      const tolerance = context.settings.loadFactorTolerancePoints;
      return Math.abs(factor - derived) > tolerance
        ? [
            {
              unitId: unit.unitId,
              field: 'loadFactor',
              row: unit.parameters.loadFactor?.row,
              expected: `${derived.toFixed(2)}% ± ${tolerance} points`,
              found: `${factor}%`,
            },
          ]
        : [];
    }),
  'EVD-CROSS-NET-COAL-RATE': (context) =>
    forEachUnit(context, (unit) => {
      const coal = value(unit, 'coalConsumed');
      const ncv = value(unit, 'ncvAsReceived');
      const supplied = value(unit, 'powerSupplied');
      if (coal === undefined || ncv === undefined || supplied === undefined || supplied <= 0 || coal <= 0) return [];
      const { min, max } = context.settings.netCoalRate;
      // t × GJ/t ÷ 29.271 GJ/tce = tce; tce ÷ MWh = kgce/kWh; × 1000 = gce/kWh.
      const rate = ((coal * ncv) / 29.271 / supplied) * 1000;
      return rate < min || rate > max
        ? [{ unitId: unit.unitId, field: 'coalConsumed', expected: `${min}–${max} gce/kWh`, found: `${rate.toFixed(1)} gce/kWh` }]
        : [];
    }),
  ...CROSS_CHECK_RULES,
  'EVD-EVIDENCE-MISSING': (context) => {
    const { report, evidence, settings } = context;
    const checked = new Set(evidenceFilesToRead(report, settings));
    return report.units.flatMap((unit) =>
      referencedEvidence(unit)
        .filter((ref) => checked.has(ref.fileName) && !evidence.some((e) => e.fileName === ref.fileName))
        .map((ref) => ({
          unitId: unit.unitId,
          field: ref.field,
          row: ref.row,
          expected: 'a file in the evidence folder',
          found: ref.fileName,
          ...namesFor(context, unit.unitId, ref.field),
        })),
    );
  },
  'EVD-EVIDENCE-HASH-MISMATCH': (context) =>
    context.report.units.flatMap((unit) =>
      referencedEvidence(unit).flatMap((ref) => {
        const file = readable(context.evidence).find((e) => e.fileName === ref.fileName);
        return file && ref.sha256 && file.sha256 !== ref.sha256
          ? [{ unitId: unit.unitId, field: ref.fileName, row: ref.row, expected: ref.sha256, found: file.sha256, ...namesFor(context, unit.unitId) }]
          : [];
      }),
    ),
  ...HISTORY_RULES,
};

export const CHECKS: readonly CheckDefinition[] = CATALOGUE.map((entry) => {
  const run = RULES[entry.code];
  return run ? { ...entry, run } : entry;
});

interface EvidenceReference {
  readonly field: string;
  readonly fileName: string;
  readonly sha256?: string;
  readonly row?: number;
}

/** The evidence a unit block names, power's keys first in their catalogue order (as before), then every other key as reported. */
export function referencedEvidence(unit: UnitReport): EvidenceReference[] {
  const refs: EvidenceReference[] = [];
  for (const code of keysOf(unit)) {
    const v = unit.parameters[code];
    if (v?.evidenceFile) refs.push({ field: code, fileName: v.evidenceFile, sha256: v.evidenceSha256, row: v.row });
  }
  if (unit.labReport?.evidenceFile) {
    refs.push({ field: 'labReportNo', fileName: unit.labReport.evidenceFile, sha256: unit.labReport.evidenceSha256, row: unit.labReport.row });
  }
  return refs;
}

/**
 * The evidence files a report names, each once, in report order: the files intake reads. Files in
 * the folder that no row names are not read (finding them would take a listing per deposit).
 */
export function evidenceFileNamesOf(report: Pick<MonthlyReport, 'units'>): string[] {
  return [...new Set(report.units.flatMap((unit) => referencedEvidence(unit).map((ref) => ref.fileName)))];
}

/** The named files intake reads: the first `evidence.maxFiles` (EVD-EVIDENCE-TOO-MANY reports the rest). */
export function evidenceFilesToRead(report: Pick<MonthlyReport, 'units'>, settings: CheckSettings): string[] {
  return evidenceFileNamesOf(report).slice(0, settings.evidence.maxFiles);
}

/** Runs every rule of the catalogue over a parsed report. */
export function runChecks(context: CheckContext): Issue[] {
  const resolved: ResolvedCheckContext = { ...context, settings: context.settings ?? DEFAULT_CHECK_SETTINGS, history: context.history ?? [] };
  return CHECKS.flatMap((check) => (check.run ? check.run(resolved).map((finding) => issueOf(check.code, finding)) : []));
}
