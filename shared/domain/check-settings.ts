/**
 * The tunable thresholds of the check catalogue. Ranges and bands are auditor practice, not
 * MEE rule (see domain.md), so a province can tighten or loosen them without a code change:
 * pass a partial object through `CheckSettingsSchema.parse` and every omitted value keeps its
 * default. Rules (the 0.03085 default, the 40-day window) are here too, because the rule has
 * changed before (0.03356 → 0.03085) and may change again.
 */
import { z } from 'zod';
import { type IndustryCatalogue, parameterKey } from './industry.ts';
import { INDUSTRIES, industryCatalogue } from './industries/index.ts';
import { DEFAULT_CARBON_PER_HEAT, PARAMETER_CODES, PARAMETERS, type ParameterCode } from './parameters.ts';

const BandSchema = z.object({ min: z.number(), max: z.number() });
export type Band = z.infer<typeof BandSchema>;

const ParameterBandsSchema = z.partialRecord(z.enum(PARAMETER_CODES), BandSchema);

function defaultBands(pick: 'range' | 'typical'): Partial<Record<ParameterCode, Band>> {
  const bands: Partial<Record<ParameterCode, Band>> = {};
  for (const code of PARAMETER_CODES) {
    const band = PARAMETERS[code][pick];
    if (band) bands[code] = { min: band.min, max: band.max };
  }
  return bands;
}

/**
 * Month-over-month change bands of the industries other than power (power's are
 * `history.changeBands`): a clinker line's output moves by more than ±40 % only when the kiln
 * stopped (industries.md, an estimate: a warning only).
 */
const DEFAULT_INDUSTRY_CHANGE_BANDS: Readonly<Record<string, Readonly<Record<string, number>>>> = { cement: { clinkerOutput: 0.4 } };

/** The industries tuned under `industries` (power's thresholds are the top-level fields, kept since 2022). */
const TUNED_INDUSTRIES = INDUSTRIES.filter((i) => i.code !== 'power');

const CrossCheckSettingSchema = z.object({
  min: z.number().optional(),
  max: z.number().optional(),
  tolerance: z.number().min(0).optional(),
  enabled: z.boolean().optional(),
});

const IndustrySettingsSchema = z.object({
  /** Outside is an error (EVD-PARAM-RANGE), by key (`ncv[coke]`) or by parameter code (`ncv`). */
  ranges: z.record(z.string(), BandSchema).optional(),
  /** Outside (within the range) is a warning (EVD-PARAM-ATYPICAL), by key or parameter code. */
  typical: z.record(z.string(), BandSchema).optional(),
  /** Each cross-check's band, tolerance, or `enabled: false` to switch it off, by its code. */
  crossChecks: z.record(z.string(), CrossCheckSettingSchema).optional(),
  /** Relative month-over-month change beyond which a value is flagged (EVD-HIST-ABRUPT-CHANGE), by key or code. */
  changeBands: z.record(z.string(), z.number().positive()).optional(),
});
export type IndustrySettingsInput = z.input<typeof IndustrySettingsSchema>;

/** Every key and parameter code an industry's facilities may report (`ncv`, `ncv[coke]`). */
function keysOf(catalogue: IndustryCatalogue): Set<string> {
  const keys = new Set<string>();
  for (const p of catalogue.parameters) {
    keys.add(p.code);
    if (p.perMaterial) for (const m of catalogue.materials.filter((x) => p.perMaterial?.includes(x.role))) keys.add(parameterKey(p.code, m.code));
  }
  return keys;
}

/** An industry's thresholds as the catalogue holds them, with `override` merged over them (each band or entry replaced, the rest kept). */
function resolveIndustry(catalogue: IndustryCatalogue, override: IndustrySettingsInput = {}) {
  const ranges: Record<string, Band> = {};
  const typical: Record<string, Band> = {};
  for (const p of catalogue.parameters) {
    if (p.range) ranges[p.code] = { min: p.range.min, max: p.range.max };
    if (p.typical) typical[p.code] = { min: p.typical.min, max: p.typical.max };
    for (const [material, band] of Object.entries(p.typicalByMaterial ?? {})) typical[parameterKey(p.code, material)] = { min: band.min, max: band.max };
  }
  const crossChecks: Record<string, { min?: number; max?: number; tolerance?: number; enabled: boolean }> = {};
  for (const c of catalogue.crossChecks) {
    const given = override.crossChecks?.[c.code] ?? {};
    const min = given.min ?? c.band?.min;
    const max = given.max ?? c.band?.max;
    const tolerance = given.tolerance ?? c.tolerance;
    crossChecks[c.code] = {
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(tolerance !== undefined ? { tolerance } : {}),
      enabled: given.enabled ?? true,
    };
  }
  return {
    ranges: { ...ranges, ...override.ranges },
    typical: { ...typical, ...override.typical },
    crossChecks,
    changeBands: { ...DEFAULT_INDUSTRY_CHANGE_BANDS[catalogue.code], ...override.changeBands },
  };
}
export type IndustrySettings = ReturnType<typeof resolveIndustry>;

const IndustriesSettingsSchema = z
  .record(z.string(), IndustrySettingsSchema)
  .default({})
  .superRefine((industries, ctx) => {
    for (const [code, settings] of Object.entries(industries)) {
      const catalogue = industryCatalogue(code);
      if (code === 'power') {
        ctx.addIssue({ code: 'custom', path: [code], message: "power's thresholds are the top-level ranges, typical and history.changeBands" });
        continue;
      }
      if (!catalogue) {
        ctx.addIssue({ code: 'custom', path: [code], message: `unknown industry "${code}" (known: ${TUNED_INDUSTRIES.map((i) => i.code).join(', ')})` });
        continue;
      }
      const keys = keysOf(catalogue);
      for (const field of ['ranges', 'typical', 'changeBands'] as const)
        for (const key of Object.keys(settings[field] ?? {}))
          if (!keys.has(key)) ctx.addIssue({ code: 'custom', path: [code, field, key], message: `no ${catalogue.en} parameter "${key}"` });
      for (const check of Object.keys(settings.crossChecks ?? {}))
        if (!catalogue.crossChecks.some((c) => c.code === check))
          ctx.addIssue({ code: 'custom', path: [code, 'crossChecks', check], message: `no ${catalogue.en} cross-check ${check}` });
    }
  })
  .transform((industries) => Object.fromEntries(TUNED_INDUSTRIES.map((catalogue) => [catalogue.code, resolveIndustry(catalogue, industries[catalogue.code])])));

/** An industry's band of a key: set for the key itself (`ncv[coke]`), else for its parameter (`ncv`). */
export function bandOf(bands: Readonly<Record<string, Band>> | undefined, key: string, code: string): Band | undefined {
  return bands?.[key] ?? bands?.[code];
}

/** The evidence file types a deposit may carry, recognised by content (see file-types.ts). */
export const EVIDENCE_TYPES = ['pdf', 'jpeg', 'png', 'ofd'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const CheckSettingsSchema = z.object({
  /** Plausible ranges: outside is an error. Overrides merge over the catalogue's defaults. */
  ranges: ParameterBandsSchema.default({}).transform((r) => ({ ...defaultBands('range'), ...r })),
  /** Typical ranges: outside (but plausible) is a warning. */
  typical: ParameterBandsSchema.default({}).transform((t) => ({ ...defaultBands('typical'), ...t })),
  /** Auxiliary power rate, % of generation. */
  auxiliaryRatePercent: BandSchema.default({ min: 3, max: 10 }),
  /** Net coal consumption of coal units, gce/kWh. */
  netCoalRate: BandSchema.default({ min: 260, max: 360 }),
  /** Generation may exceed capacity × hours by this fraction before it is an error (meter rounding). */
  capacityTolerance: z.number().min(0).default(0.0001),
  carbonPerHeat: z
    .object({
      /** The value a unit must use when it did not measure (rule). */
      default: z.number().positive().default(DEFAULT_CARBON_PER_HEAT),
      /** Former defaults that are no longer allowed (rule: 0.03356 until 2023). */
      formerDefaults: z.array(z.number().positive()).default([0.03356]),
      /** Two carbon-per-heat values closer than this are "the same value". */
      equalWithin: z.number().min(0).default(0.000005),
      /** Largest relative gap between the declared value and carbon ÷ NCV from the same lab report. */
      consistencyTolerance: z.number().min(0).default(0.05),
    })
    .default({ default: DEFAULT_CARBON_PER_HEAT, formerDefaults: [0.03356], equalWithin: 0.000005, consistencyTolerance: 0.05 }),
  ncvComposition: z
    .object({
      /** Oxygen is not deposited; a typical as-received value stands in for it in the Mendeleev estimate. */
      assumedOxygenPercent: z.number().min(0).max(40).default(7),
      /** Largest relative gap between the declared NCV and the estimate from C, H, S and moisture. */
      tolerance: z.number().min(0).default(0.15),
    })
    .default({ assumedOxygenPercent: 7, tolerance: 0.15 }),
  /** Largest gap, in percentage points, between the declared load factor and generation ÷ (capacity × hours). */
  loadFactorTolerancePoints: z.number().min(0).default(10),
  /** The lab report must be issued between the start of the month and this many days after its end (rule: 40). */
  labReportWindowDays: z.number().int().min(0).default(40),
  evidence: z
    .object({
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(200 * 1024 * 1024),
      /** Distinct evidence files one report may name; intake reads at most this many. */
      maxFiles: z.number().int().positive().default(100),
      allowedTypes: z.array(z.enum(EVIDENCE_TYPES)).default([...EVIDENCE_TYPES]),
    })
    .default({ maxBytes: 200 * 1024 * 1024, maxFiles: 100, allowedTypes: [...EVIDENCE_TYPES] }),
  /**
   * How long intake waits for evidence a report names but its deposit folder does not hold yet,
   * counted from the report's receipt (its S3 event time). `aws s3 sync`, GUI clients and browsers
   * upload a folder in parallel, so the report often lands before its evidence; within this grace
   * intake re-checks instead of recording an attempt (0: record at once, as before).
   */
  evidenceGraceSeconds: z.number().int().min(0).max(3600).default(120),
  /** Seconds between those re-checks (an SQS DelaySeconds, so at most 900). */
  evidenceRecheckSeconds: z.number().int().min(1).max(900).default(20),
  /**
   * The largest report table read. A month is one row per unit and parameter (a few hundred rows
   * in eight columns); far beyond that a file is generated or hostile, and an XLSX sheet's extent
   * is checked before the workbook is opened, since a spreadsheet reader allocates every row up to
   * the last one.
   */
  report: z
    .object({
      maxRows: z.number().int().positive().default(5000),
      maxColumns: z.number().int().positive().default(50),
    })
    .default({ maxRows: 5000, maxColumns: 50 }),
  history: z
    .object({
      /** How many earlier months the pipeline reads (bounded, so the query stays small). */
      lookbackMonths: z.number().int().min(1).max(60).default(12),
      /**
       * A unit is flagged when it repeats at least this many non-zero values of the previous month
       * and at least `identicalMinShare` of the values it reports: a copied month repeats nearly
       * everything, while a steady coal supply repeats only a few lab values (H, S to two decimals).
       */
      identicalMinParameters: z.number().int().min(1).default(3),
      identicalMinShare: z.number().min(0).max(1).default(0.5),
      /** Relative month-over-month change beyond which a value is flagged, per parameter (0.2 = ±20%). */
      changeBands: z
        .partialRecord(z.enum(PARAMETER_CODES), z.number().positive())
        .default({ ncvAsReceived: 0.2, carbonAsReceived: 0.2, carbonPerHeat: 0.1, hydrogen: 0.4, moisture: 0.6 }),
      /** Carbon content identical for this many consecutive months (this one included) is flagged. */
      constantCarbonMonths: z.number().int().min(2).default(3),
    })
    .default({
      lookbackMonths: 12,
      identicalMinParameters: 3,
      identicalMinShare: 0.5,
      changeBands: { ncvAsReceived: 0.2, carbonAsReceived: 0.2, carbonPerHeat: 0.1, hydrogen: 0.4, moisture: 0.6 },
      constantCarbonMonths: 3,
    }),
  /**
   * The thresholds of the other industries, by industry code, merged over their catalogues
   * (industries/*.ts): `ranges` and `typical` bands by key or parameter code, each cross-check's
   * band, tolerance or `enabled`, and month-over-month `changeBands`. A province tunes the
   * estimates here without a code change; a key or check the industry does not have is refused.
   */
  industries: IndustriesSettingsSchema,
});

/** Resolved settings, every value present. */
export type CheckSettings = z.output<typeof CheckSettingsSchema>;
/** What a caller may write: any subset. */
export type CheckSettingsInput = z.input<typeof CheckSettingsSchema>;

export const DEFAULT_CHECK_SETTINGS: CheckSettings = CheckSettingsSchema.parse({});
