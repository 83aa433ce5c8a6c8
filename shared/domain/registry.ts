/**
 * The registry of key emitting enterprises, maintained by departments: the denominator of both
 * rates. An enterprise is identified by its unified social credit code (统一社会信用代码).
 */
import { z } from 'zod';
import { ContactSchema } from './contacts.ts';
import { INDUSTRY_CODES, industryCatalogue, isIndustryCode } from './industries/index.ts';
import { type Period, PeriodSchema } from './period.ts';
import { cityCodeOf, divisionOfCreditCode, inProvince, provinceCodeOf, provinceOfCity } from './provinces.ts';

const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The GB 32100 check character for the first 17 characters, or undefined if they are malformed. */
export function creditCodeCheckChar(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17.charAt(i));
    if (value < 0) return undefined;
    sum += value * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  }
  return CREDIT_CODE_CHARSET.charAt((31 - (sum % 31)) % 31);
}

export function isValidCreditCode(code: string): boolean {
  return code.length === 18 && creditCodeCheckChar(code.slice(0, 17)) === code.charAt(17);
}

export const EnterpriseIdSchema = z
  .string()
  .refine(isValidCreditCode, 'enterpriseId must be an 18-character unified social credit code with a valid GB 32100 check character');

/**
 * One facility at its industry's reporting level (industries/*.ts): a generating unit (fuel,
 * capacity), a clinker line (type, design t/d), a potline series (current, cells), a steel
 * process. `unitId` is its id in every report (the 机组 column), `industry` names its catalogue,
 * `materials` the fuels, substitutes or stock lines it reports per material (codes of its
 * catalogue); the other attributes are the catalogue's. A facility written before facilities had
 * an industry (`{ unitId, fuel, capacityMW }`) is a power unit.
 */
export const FacilitySchema = z
  .object({
    unitId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'unitId is 1-32 letters, digits, - or _'),
    industry: z.string().default('power'),
    materials: z.array(z.string()).optional(),
  })
  .catchall(z.unknown())
  .superRefine((facility, ctx) => {
    const catalogue = industryCatalogue(facility.industry);
    if (!catalogue) {
      ctx.addIssue({ code: 'custom', path: ['industry'], message: `unknown industry "${facility.industry}" (known: ${INDUSTRY_CODES.join(', ')})` });
      return;
    }
    const attributes = catalogue.facilitySchema.safeParse(facility);
    if (!attributes.success)
      for (const issue of attributes.error.issues)
        ctx.addIssue({ code: 'custom', path: issue.path, message: `${catalogue.en} ${catalogue.level.en.toLowerCase()}: ${issue.message}` });
    for (const [i, material] of (facility.materials ?? []).entries())
      if (!catalogue.materials.some((m) => m.code === material))
        ctx.addIssue({
          code: 'custom',
          path: ['materials', i],
          message: `unknown ${catalogue.en} material "${material}" (known: ${catalogue.materials.map((m) => m.code).join(', ')})`,
        });
  })
  // A material listed twice (import refuses it; an entry stored before it did) counts once: its
  // lines would otherwise be expected, checked and reported twice.
  .transform((facility) =>
    facility.materials && new Set(facility.materials).size !== facility.materials.length
      ? { ...facility, materials: [...new Set(facility.materials)] }
      : facility,
  );

/** A registered facility; power's attributes are typed because power's rules read them. */
export type Facility = {
  readonly unitId: string;
  /** Always set by the schema; absent in an entry built by hand (a test, an older caller): power. */
  readonly industry?: string;
  readonly materials?: readonly string[];
  readonly fuel?: 'coal' | 'gas';
  readonly capacityMW?: number;
} & { readonly [attribute: string]: unknown };

/** The months one industry of an enterprise must deposit. */
export const ObligationSchema = z.object({
  industry: z.string().refine(isIndustryCode, { message: `industry is one of ${INDUSTRY_CODES.join(', ')}` }),
  /** First period the industry's facilities must be deposited. */
  obligedFrom: PeriodSchema,
  /** Last period; absent while the obligation lasts. */
  obligedUntil: PeriodSchema.optional(),
});
export type Obligation = z.infer<typeof ObligationSchema>;

/**
 * An entry written before enterprises had several industries (`industry`, `obligedFrom`,
 * `obligedUntil` at the top, units without an industry) reads as one obligation of that
 * industry; the top-level fields are then the envelope of the obligations (first industry, first
 * month, last month), kept because the ledger, scopes and older clients read them.
 */
export function withObligations(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const record = input as Record<string, unknown>;
  const legacyIndustry = typeof record.industry === 'string' && record.industry !== '' ? record.industry : 'power';
  const industries = Array.isArray(record.industries)
    ? record.industries
    : [{ industry: legacyIndustry, obligedFrom: record.obligedFrom, ...(record.obligedUntil !== undefined ? { obligedUntil: record.obligedUntil } : {}) }];
  const obligations = industries.filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null);
  const froms = obligations.map((o) => o.obligedFrom).filter((p): p is string => typeof p === 'string');
  const untils = obligations.map((o) => o.obligedUntil);
  const first = typeof obligations[0]?.industry === 'string' ? (obligations[0].industry as string) : legacyIndustry;
  const units = Array.isArray(record.units)
    ? record.units.map((u) => (typeof u === 'object' && u !== null && !('industry' in u) ? { ...u, industry: obligations.length === 1 ? first : 'power' } : u))
    : record.units;
  return {
    ...record,
    industries,
    units,
    industry: first,
    obligedFrom: froms.length > 0 ? [...froms].sort()[0] : record.obligedFrom,
    ...(untils.length > 0 && untils.every((u) => typeof u === 'string')
      ? { obligedUntil: [...(untils as string[])].sort().at(-1) }
      : { obligedUntil: undefined }),
  };
}

/**
 * Province and city as GB/T 2260 codes, however they were written: a stored record from before
 * the registry carried codes (`province: '江西', city: '南昌'`) reads as `360000` / `360100`.
 * Where the city is known, its province is the city's; an empty one falls back to the credit
 * code's registering division. A spelling that names no division is kept as written, so an old
 * record never stops a nightly run: it forms a scope of its own, as it did before (import refuses
 * such spellings, see registry-file.ts).
 */
export function withDivisionCodes(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const record = input as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const registered = divisionOfCreditCode(text(record.enterpriseId).toUpperCase());
  const statedProvince = provinceCodeOf(text(record.province));
  const city = text(record.city) ? cityCodeOf(text(record.city), statedProvince) : registered.city;
  const province = city
    ? statedProvince && inProvince(city, statedProvince)
      ? statedProvince
      : provinceOfCity(city)
    : (statedProvince ?? (text(record.province) ? undefined : registered.province));
  return { ...record, province: province ?? record.province, city: city ?? record.city };
}

const EnterpriseFieldsSchema = z.object({
  enterpriseId: EnterpriseIdSchema,
  name: z.string().min(1),
  /** GB/T 2260 province code, e.g. 360000 (江西省). */
  province: z.string().min(1),
  /** GB/T 2260 city (prefecture-level) code, e.g. 360100 (南昌市). */
  city: z.string().min(1),
  /** Its industries, each with the months it must deposit (an enterprise may have more than one). */
  industries: z.array(ObligationSchema).min(1),
  /** Its facilities at each industry's reporting level (units, lines, potlines, processes). */
  units: z.array(FacilitySchema).min(1),
  /** The first industry (the envelope: see withObligations). */
  industry: z.string().min(1),
  /** First period any industry must deposit. */
  obligedFrom: PeriodSchema,
  /** Last period any must deposit; absent while one lasts. */
  obligedUntil: PeriodSchema.optional(),
  /** Who hears reminders and notices (e-mail, a group robot, the language); none: nobody is told. */
  contacts: ContactSchema.optional(),
});

export const EnterpriseSchema = z.preprocess(
  (input) => withObligations(withDivisionCodes(input)),
  EnterpriseFieldsSchema.superRefine((enterprise, ctx) => {
    const industries = enterprise.industries.map((o) => o.industry);
    enterprise.industries.forEach((o, i) => {
      if (industries.indexOf(o.industry) !== i)
        ctx.addIssue({ code: 'custom', path: ['industries', i, 'industry'], message: `industry ${o.industry} is listed twice` });
      if (!enterprise.units.some((u) => u.industry === o.industry))
        ctx.addIssue({ code: 'custom', path: ['industries', i], message: `industry ${o.industry} has no facility` });
    });
    enterprise.units.forEach((u, i) => {
      if (!industries.includes(u.industry))
        ctx.addIssue({
          code: 'custom',
          path: ['units', i, 'industry'],
          message: `facility ${u.unitId} is ${u.industry}, an industry the enterprise is not registered for`,
        });
      if (enterprise.units.findIndex((x) => x.unitId === u.unitId) !== i)
        ctx.addIssue({ code: 'custom', path: ['units', i, 'unitId'], message: `facility id ${u.unitId} is used twice` });
    });
  }),
);

/**
 * A registry entry. `industries` and each facility's `industry` are always set by the schema; an
 * entry built by hand without them (tests, older callers) reads as one power obligation.
 */
export type Enterprise = Omit<z.infer<typeof EnterpriseFieldsSchema>, 'units' | 'industries'> & {
  readonly units: readonly Facility[];
  readonly industries?: readonly Obligation[];
};

/** The facility's industry (power for an entry built without one). */
export const industryOf = (facility: Pick<Facility, 'industry'>): string => facility.industry ?? 'power';

/** The enterprise's obligations (its envelope as one, for an entry built without them). */
export function obligationsOf(enterprise: Pick<Enterprise, 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>): readonly Obligation[] {
  return (
    enterprise.industries ?? [
      { industry: enterprise.industry, obligedFrom: enterprise.obligedFrom, ...(enterprise.obligedUntil ? { obligedUntil: enterprise.obligedUntil } : {}) },
    ]
  );
}

function obligedIn(obligation: Pick<Obligation, 'obligedFrom' | 'obligedUntil'>, period: Period): boolean {
  return period >= obligation.obligedFrom && (obligation.obligedUntil === undefined || period <= obligation.obligedUntil);
}

/** The industries whose facilities the enterprise must deposit for the period. */
export function industriesOwed(enterprise: Pick<Enterprise, 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>, period: Period): string[] {
  return obligationsOf(enterprise)
    .filter((o) => obligedIn(o, period))
    .map((o) => o.industry);
}

export function isObliged(enterprise: Pick<Enterprise, 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>, period: Period): boolean {
  return industriesOwed(enterprise, period).length > 0;
}

/** The facilities a month's report must cover: those of the industries owed that month (all, when none is). */
export function facilitiesOwed(enterprise: Enterprise, period: Period): readonly Facility[] {
  const owed = industriesOwed(enterprise, period);
  return owed.length === 0 ? enterprise.units : enterprise.units.filter((u) => owed.includes(industryOf(u)));
}
