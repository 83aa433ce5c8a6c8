/**
 * GET /enterprises/{enterpriseId}/template?period=YYYY-MM: the month's report template for the
 * enterprise itself, written from its registry entry (the facilities of every industry owed that
 * month — generating units, clinker lines, potlines, steel processes — and the parameters each
 * one's catalogue expects; shared/domain/report-template.ts), so the file the clerk fills is the
 * file intake reads.
 * JSON like every answer of the API: the XLSX travels base64-encoded with its name and type.
 */
import { z } from 'zod';
import { readRuling } from '#domain/access.ts';
import type { Principal } from '#domain/identity.ts';
import { PeriodSchema } from '#domain/period.ts';
import { lastEndedPeriod } from '#domain/rates.ts';
import { EnterpriseIdSchema, isObliged } from '#domain/registry.ts';
import { TEMPLATE_CONTENT_TYPE, templateFileName, writeTemplate } from '#domain/report-template.ts';
import type { QueryDeps, QueryRefusalCode } from './department-queries.ts';
import { ok, type Outcome, refused } from './outcome.ts';

export const TemplateParamsSchema = z.object({ enterpriseId: EnterpriseIdSchema });
/** `period` absent: the last month that has ended (Asia/Shanghai), the one usually being filled. */
export const TemplateQuerySchema = z.object({ period: PeriodSchema.optional() });

export interface TemplateAnswer {
  readonly fileName: string;
  readonly contentType: string;
  readonly base64: string;
}

export async function templateFor(
  deps: Pick<QueryDeps, 'reader' | 'now'>,
  caller: Principal,
  enterpriseId: string,
  request: z.infer<typeof TemplateQuerySchema>,
): Promise<Outcome<TemplateAnswer, QueryRefusalCode>> {
  // Only the enterprise itself: the route names no other role, and its token's credit code must be the path's.
  const own = readRuling(caller, { enterpriseId, province: '', city: '' });
  if (caller.role !== 'enterprise' || !own.ok)
    return own.ok
      ? refused('forbidden', '只有企业本身可以下载月报模板', 'only the enterprise itself downloads its template')
      : { ok: false, refusal: { code: own.code, message: own.message } };
  const enterprise = await deps.reader().enterprise(enterpriseId);
  if (!enterprise)
    return refused(
      'not-found',
      `企业 ${enterpriseId} 不在重点排放单位名录中，请联系主管部门登记`,
      `enterprise ${enterpriseId} is not in the registry of obliged enterprises: ask your department to register it`,
    );
  const period = request.period ?? lastEndedPeriod(deps.now());
  if (!isObliged(enterprise, period))
    return refused(
      'bad-request',
      `${period} 不在本企业的报告义务期内（自 ${enterprise.obligedFrom} 起）`,
      `${period} is outside the enterprise's obligation (from ${enterprise.obligedFrom})`,
    );
  const bytes = await writeTemplate(enterprise, period);
  return ok({ fileName: templateFileName(enterpriseId, period), contentType: TEMPLATE_CONTENT_TYPE, base64: Buffer.from(bytes).toString('base64') });
}
