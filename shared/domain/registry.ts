/**
 * The registry of key emitting enterprises, maintained by departments: the denominator of both
 * rates. An enterprise is identified by its unified social credit code (统一社会信用代码).
 */
import { z } from 'zod';
import { ContactSchema } from './contacts.ts';
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

export const GeneratingUnitSchema = z.object({
  unitId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'unitId is 1-32 letters, digits, - or _'),
  fuel: z.enum(['coal', 'gas']),
  capacityMW: z.number().positive(),
});

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
  industry: z.string().min(1).default('power'),
  units: z.array(GeneratingUnitSchema).min(1),
  /** First period the enterprise must deposit. */
  obligedFrom: PeriodSchema,
  /** Last period the enterprise must deposit; absent while the obligation lasts. */
  obligedUntil: PeriodSchema.optional(),
  /** Who hears reminders and notices (e-mail, a group robot, the language); none: nobody is told. */
  contacts: ContactSchema.optional(),
});

export const EnterpriseSchema = z.preprocess(withDivisionCodes, EnterpriseFieldsSchema);

export type Enterprise = z.infer<typeof EnterpriseFieldsSchema>;
export type GeneratingUnit = z.infer<typeof GeneratingUnitSchema>;

export function isObliged(enterprise: Enterprise, period: Period): boolean {
  return period >= enterprise.obligedFrom && (enterprise.obligedUntil === undefined || period <= enterprise.obligedUntil);
}
