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
import { catalogueIndex, memoised, withMemo } from './check-memo.ts';
import { HISTORY_RULES, keysOf, previousMonth, reportedKeys, unitOf } from './history-checks.ts';
import {
  type Band,
  type CrossCheck,
  defaultOf,
  type ExpectedParameter,
  expectedParameters,
  type FacilityFacts,
  type FacilityLike,
  type IndustryCatalogue,
  type IndustryParameter,
  keyLabel,
  type Material,
  typicalOf,
  unitsOf,
} from './industry.ts';
import { INDUSTRIES } from './industries/index.ts';
import type { Finding, Issue } from './issues.ts';
import { PARAMETER_CODES, PARAMETERS, type ParameterCode, requiredParameters } from './parameters.ts';
import { addMonths, hoursInMonth, parsePeriod } from './period.ts';
import { facilitiesOwed, industriesOwed } from './registry.ts';
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

/** `readable(context.evidence)`, once per call. */
function readableOf(context: ResolvedCheckContext): EvidenceFile[] {
  return memoised(context, readable, context.evidence);
}

/** The readable files by name (the first of a name, as `find` reads them). */
function readableByName(_evidence: readonly EvidenceFile[], context: ResolvedCheckContext): ReadonlyMap<string, EvidenceFile> {
  const byName = new Map<string, EvidenceFile>();
  for (const e of readableOf(context)) if (!byName.has(e.fileName)) byName.set(e.fileName, e);
  return byName;
}

/** The names of every file in the folder, readable or not. */
function fileNames(evidence: readonly EvidenceFile[]): ReadonlySet<string> {
  return new Set(evidence.map((e) => e.fileName));
}

/** A file's type as its bytes say (judged once per call, for the type and the extension checks). */
function contentOf(e: EvidenceFile): ReturnType<typeof judgeContent> {
  return judgeContent(e.head as Uint8Array, e.size);
}

/** The blocks power's rules judge, with the unit's registered capacity. */
function powerUnits(context: ResolvedCheckContext): [UnitReport, number | undefined][] {
  return context.report.units
    .filter((unit) => judgedAsPower(context, unit.unitId))
    .map((unit) => [unit, context.enterprise.units.find((u) => u.unitId === unit.unitId)?.capacityMW]);
}

/** Power's rules: over the blocks of power units (and of blocks the registry does not list, as before there were other industries). */
function forEachUnit(context: ResolvedCheckContext, fn: (unit: UnitReport, capacityMW: number | undefined) => Finding[]): Finding[] {
  return memoised(context, powerUnits, context).flatMap(([unit, capacityMW]) => fn(unit, capacityMW));
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
function blocksOf(context: ResolvedCheckContext): OtherFacilityBlock[] {
  return context.report.units.flatMap((unit): OtherFacilityBlock[] => {
    const other = otherIndustryFacility(context, unit.unitId);
    if (!other) return [];
    const { facility, catalogue } = other;
    const known = catalogueIndex(catalogue).keys;
    const keys = reportedKeys(context, unit).flatMap((key): ReportedKey[] => {
      const reported = unit.parameters[key];
      const entry = known.get(key);
      if (!reported || !entry) return [];
      const { parameter, material: m } = entry;
      const canonical = unitsOf(parameter, m).unit;
      const fallback = defaultOf(parameter, facility, m?.code);
      return [m ? { key, reported, parameter, material: m, unit: canonical, fallback } : { key, reported, parameter, unit: canonical, fallback }];
    });
    return [{ unit, facility, catalogue, keys }];
  });
}

/** `blocksOf(context)`, once per call: every rule over other industries' facilities reads them. */
function otherFacilities(context: ResolvedCheckContext): readonly OtherFacilityBlock[] {
  return memoised(context, blocksOf, context);
}

/** Every key the block's catalogue expects of its facility (`expectedParameters`), once per call. */
function expectedOf(block: OtherFacilityBlock): ExpectedParameter[] {
  return expectedParameters(block.catalogue, block.facility);
}

function expectedKeysOf(block: OtherFacilityBlock, context: ResolvedCheckContext): ReadonlySet<string> {
  return new Set(memoised(context, expectedOf, block).map((e) => e.key));
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

/** The FacilityFacts a catalogue cross-check judges: the block's values, its registered materials, the month's days. */
function factsOf(block: OtherFacilityBlock, context: ResolvedCheckContext): FacilityFacts {
  const { unit, facility, catalogue } = block;
  const index = catalogueIndex(catalogue);
  const registered = (facility.materials ?? []).map((code) => index.materials.get(code)).filter((m): m is Material => m !== undefined);
  return {
    facility,
    value: (key) => unit.parameters[key]?.value,
    materials: (role) => (role === undefined ? registered : registered.filter((m) => m.role === role)),
    days: hoursInMonth(context.report.period) / 24,
  };
}

/** The same, with last month's block for a check that reads history (steel's stock continuity). */
function factsWithHistoryOf(block: OtherFacilityBlock, context: ResolvedCheckContext): FacilityFacts {
  const facts = memoised(context, factsOf, block);
  const before = unitOf(context, previousMonth(context), block.unit.unitId);
  return before ? { ...facts, previous: { value: (key: string) => before.parameters[key]?.value, period: addMonths(context.report.period, -1) } } : facts;
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
        check.judge(memoised(context, check.history ? factsWithHistoryOf : factsOf, block), checkBand, tolerance).map((f) => {
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
    // Another industry's facility: every required key of its catalogue, per registered material —
    // when the industry is owed that month. A block deposited before its obligation starts (a works
    // reporting its new cement line early) is judged for what it holds, not returned for what it lacks.
    ...otherFacilities(context)
      .filter((block) => industriesOwed(context.enterprise, context.report.period).includes(block.catalogue.code))
      .flatMap((block) =>
        memoised(context, expectedOf, block)
          .filter((e) => e.required && !block.unit.parameters[e.key] && !block.unit.unreadable.includes(e.key))
          .map((e) => ({
            unitId: block.unit.unitId,
            field: e.key,
            expected: `a value in ${unitsOf(e.parameter, e.material).unit}`,
            found: '(absent)',
            ...namesFor(context, block.unit.unitId, e.key),
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
      const expected = memoised(context, expectedKeysOf, block);
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
      .filter((unit) => unit.labReport && !unit.labReport.evidenceFile)
      .flatMap((unit) => {
        // A power coal unit is named as it always was (燃煤机组 / Coal unit); another industry's facility by its level.
        const other = otherIndustryFacility(context, unit.unitId);
        const level =
          fuelOf(context, unit.unitId) === 'coal'
            ? { zh: '燃煤机组', en: 'Coal unit' }
            : other?.catalogue.labReport === 'when-measured'
              ? other.catalogue.level
              : undefined;
        if (!level) return [];
        return [
          {
            unitId: unit.unitId,
            field: 'labReportNo',
            row: unit.labReport?.row,
            expected: 'the lab report scan in the evidence folder',
            found: unit.labReport?.reportNo ?? '',
            level: { zh: level.zh, en: level.en },
          },
        ];
      }),
  'EVD-EVIDENCE-TOO-MANY': (context) => {
    const { settings } = context;
    const named = memoised(context, evidenceFileNamesOf, context.report).length;
    return named > settings.evidence.maxFiles ? [{ field: 'evidenceFile', expected: String(settings.evidence.maxFiles), found: String(named) }] : [];
  },
  'EVD-EVIDENCE-UNREADABLE': ({ evidence }) =>
    evidence
      .filter((e) => e.unreadable !== undefined)
      .map((e) => ({ field: e.fileName, expected: 'a file the validator and reviewers can read', found: e.unreadable })),
  'EVD-EVIDENCE-EMPTY': (context) =>
    readableOf(context)
      .filter((e) => e.size === 0)
      .map((e) => ({ field: e.fileName, expected: 'a non-empty file', found: '0 bytes' })),
  'EVD-EVIDENCE-TOO-LARGE': (context) => {
    const { maxBytes } = context.settings.evidence;
    return readableOf(context)
      .filter((e) => e.size > maxBytes)
      .map((e) => ({ field: e.fileName, expected: `${maxBytes} bytes`, found: `${e.size} bytes` }));
  },
  'EVD-EVIDENCE-TYPE': (context) => {
    const { allowedTypes } = context.settings.evidence;
    return readableOf(context).flatMap((e) => {
      if (!e.head || e.size === 0) return [];
      const judged = memoised(context, contentOf, e);
      if (judged.refusal === undefined && (allowedTypes as readonly string[]).includes(judged.type)) return [];
      return [{ field: e.fileName, expected: allowedTypes.join(', '), found: judged.refusal ?? judged.type }];
    });
  },
  'EVD-EVIDENCE-EXTENSION': (context) => {
    const { allowedTypes } = context.settings.evidence;
    return readableOf(context).flatMap((e) => {
      if (!e.head || e.size === 0) return [];
      const { type, refusal } = memoised(context, contentOf, e);
      if (refusal !== undefined || !(allowedTypes as readonly string[]).includes(type)) return [];
      const claimed = typeOfExtension(e.fileName);
      return claimed === type ? [] : [{ field: e.fileName, expected: `.${type === 'jpeg' ? 'jpg' : type}`, found: type }];
    });
  },
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
    const checked = new Set(memoised(context, evidenceFileNamesOf, report).slice(0, settings.evidence.maxFiles));
    return report.units.flatMap((unit) =>
      memoised(context, referencedEvidence, unit)
        .filter((ref) => checked.has(ref.fileName) && !memoised(context, fileNames, evidence).has(ref.fileName))
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
      memoised(context, referencedEvidence, unit).flatMap((ref) => {
        const file = memoised(context, readableByName, context.evidence).get(ref.fileName);
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
  const resolved = withMemo<ResolvedCheckContext>({ ...context, settings: context.settings ?? DEFAULT_CHECK_SETTINGS, history: context.history ?? [] });
  return CHECKS.flatMap((check) => (check.run ? check.run(resolved).map((finding) => issueOf(check.code, finding)) : []));
}
