/**
 * The registry of key emitting enterprises, maintained by departments: the denominator of both
 * rates. An enterprise is identified by its unified social credit code (统一社会信用代码).
 */
import { z } from 'zod';
import { type Period, PeriodSchema } from './period.ts';

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

export const EnterpriseSchema = z.object({
  enterpriseId: EnterpriseIdSchema,
  name: z.string().min(1),
  province: z.string().min(1),
  city: z.string().min(1),
  industry: z.string().min(1).default('power'),
  units: z.array(GeneratingUnitSchema).min(1),
  /** First period the enterprise must deposit. */
  obligedFrom: PeriodSchema,
  /** Last period the enterprise must deposit; absent while the obligation lasts. */
  obligedUntil: PeriodSchema.optional(),
});

export type Enterprise = z.infer<typeof EnterpriseSchema>;
export type GeneratingUnit = z.infer<typeof GeneratingUnitSchema>;

export function isObliged(enterprise: Enterprise, period: Period): boolean {
  return period >= enterprise.obligedFrom && (enterprise.obligedUntil === undefined || period <= enterprise.obligedUntil);
}
