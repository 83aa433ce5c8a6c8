/**
 * GET /enterprises/{enterpriseId}/template: the clerk gets its own month's template as an XLSX
 * written from the registry (its units), base64 in JSON; another enterprise's is refused (403),
 * so are the roles the route does not name, an unregistered enterprise (404) and a month
 * outside the obligation or malformed (400).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DepartmentReader } from '#app/ports.ts';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import { DEFAULT_CLAIM_MAPPING } from '#domain/identity.ts';
import type { Enterprise } from '#domain/registry.ts';
import { makeHandler, type QueryApiDeps } from '#functions/query/make-handler.ts';
import { observability } from '#lambda/middy.ts';
import { apiGatewayEvent, asAccount } from '#test/support/api-events.ts';
import { EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID } from '#twin/accounts.ts';

const NANCHANG: Enterprise = {
  enterpriseId: EXAMPLE_ENTERPRISE_ID,
  name: '江西示范发电',
  province: '360000',
  city: '360100',
  industry: 'power',
  units: [
    { unitId: '1', fuel: 'coal', capacityMW: 600 },
    { unitId: 'G3', fuel: 'gas', capacityMW: 400 },
  ],
  obligedFrom: '2025-01',
};

const reader: DepartmentReader = {
  registry: async () => [NANCHANG],
  recordsOf: async () => [],
  historyOf: async () => [],
  enterprise: async (id) => (id === NANCHANG.enterpriseId ? NANCHANG : undefined),
};
const deps = {
  claims: DEFAULT_CLAIM_MAPPING,
  reader: () => reader,
  rules: DEFAULT_DEADLINE_RULES,
  now: () => new Date('2026-03-20T00:00:00+08:00'),
} as unknown as QueryApiDeps;
const handler = makeHandler(deps, observability('query')) as (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const context = { functionName: 'query', awsRequestId: 'r1' } as Context;
const ROUTE = 'GET /enterprises/{enterpriseId}/template';

async function template(account: string, enterpriseId: string, query?: Record<string, string>) {
  const reply = await handler(apiGatewayEvent({ routeKey: ROUTE, caller: asAccount(account), params: { enterpriseId }, ...(query ? { query } : {}) }), context);
  return { status: reply.statusCode, body: JSON.parse(reply.body ?? '{}') as Record<string, string> };
}

describe(ROUTE, () => {
  it('gives the clerk its month’s template: the credit code, the month and each registered unit with its fuel’s parameters', async () => {
    const { status, body } = await template('clerk', EXAMPLE_ENTERPRISE_ID, { period: '2026-02' });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      fileName: `月报模板_${EXAMPLE_ENTERPRISE_ID}_2026-02.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(body.base64 as string, 'base64') as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    workbook.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1, 7)));
    expect(rows[0]).toEqual(['统一社会信用代码', '月份', '机组', '参数', '数值', '单位']);
    expect(new Set(rows.slice(1).map((r) => `${r[0]} ${r[1]} ${r[2]}`))).toEqual(
      new Set([`${EXAMPLE_ENTERPRISE_ID} 2026-02 1`, `${EXAMPLE_ENTERPRISE_ID} 2026-02 G3`]),
    );
    expect(rows).toContainEqual([EXAMPLE_ENTERPRISE_ID, '2026-02', 'G3', '燃气消耗量', undefined, '10^4Nm3']);
    expect(rows.some((r) => r[2] === 'G3' && r[3] === '燃煤消耗量')).toBe(false);
  });

  it('is the last ended month’s when no period is asked for', async () => {
    expect((await template('clerk', EXAMPLE_ENTERPRISE_ID)).body.fileName).toBe(`月报模板_${EXAMPLE_ENTERPRISE_ID}_2026-02.xlsx`);
  });

  it.each([
    ['clerk', JIUJIANG_ENTERPRISE_ID, {}, 403],
    ['reviewer-nanchang', EXAMPLE_ENTERPRISE_ID, {}, 403],
    ['dept-nanchang', EXAMPLE_ENTERPRISE_ID, {}, 403],
    ['admin', EXAMPLE_ENTERPRISE_ID, {}, 403],
    ['clerk', EXAMPLE_ENTERPRISE_ID, { period: '2024-12' }, 400],
    ['clerk', EXAMPLE_ENTERPRISE_ID, { period: '2026-2' }, 400],
  ])('refuses %s for %s %o (%i)', async (account, enterpriseId, query, expected) => {
    expect((await template(account, enterpriseId, query)).status).toBe(expected);
  });

  it('answers 404 to an enterprise the registry does not hold', async () => {
    const { status, body } = await template('clerk-jiujiang', JIUJIANG_ENTERPRISE_ID);
    expect(status).toBe(404);
    expect(body.message).toContain('not in the registry');
  });
});
