/**
 * The registry function built by makeHandler over the real DynamoRegistry adapter on a mocked
 * DynamoDB client, called as the seeded accounts: the administrator reads (JSON, CSV) and loads
 * (200, or 422 with every bad row and nothing written); every other role is refused (403).
 */
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler, RegistryConfigSchema, registryDeps } from '#functions/registry/make-handler.ts';
import { createAwsClients } from '#lambda/clients.ts';
import { loadConfig } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { apiGatewayEvent, asAccount, type Caller } from '#test/support/api-events.ts';
import { EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID } from '#twin/accounts.ts';

const STORED = {
  enterpriseId: EXAMPLE_ENTERPRISE_ID,
  name: '江西示范发电',
  province: '360000',
  city: '360100',
  industry: 'power',
  units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
  obligedFrom: '2025-01',
};

describe('GET and POST /registry', () => {
  const db = mockClient(DynamoDBDocumentClient);
  const config = loadConfig(RegistryConfigSchema, { REGISTRY_TABLE: 'registry' });
  const handler = makeHandler(registryDeps(config, createAwsClients({ region: 'cn-north-1' })), observability('registry')) as (
    event: APIGatewayProxyEventV2,
    context: Context,
  ) => Promise<APIGatewayProxyStructuredResultV2>;
  const context = { functionName: 'registry', awsRequestId: 'r1' } as Context;

  beforeEach(() => {
    db.reset();
    db.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({
      Items: input.ExpressionAttributeValues[':p'] === '360000' ? [STORED] : [],
    }));
    db.on(BatchWriteCommand).resolves({});
  });

  async function call(routeKey: string, caller: Caller, options: { query?: Record<string, string>; body?: unknown } = {}) {
    const reply = await handler(apiGatewayEvent({ routeKey, caller, ...options }), context);
    return { status: reply.statusCode, body: JSON.parse(reply.body ?? '{}') as Record<string, unknown> };
  }

  it('answers the administrator one province’s registry as JSON, read by the byProvince index', async () => {
    const { status, body } = await call('GET /registry', asAccount('admin'), { query: { province: '江西' } });

    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'json', province: '360000', count: 1, enterprises: [{ enterpriseId: EXAMPLE_ENTERPRISE_ID, cityName: '南昌市' }] });
    expect(db).toHaveReceivedCommandWith(QueryCommand, { TableName: 'registry', IndexName: 'byProvince', ExpressionAttributeValues: { ':p': '360000' } });
  });

  it('answers the registry as the CSV sheet the import reads, with Chinese headers', async () => {
    const { status, body } = await call('GET /registry', asAccount('admin'), { query: { province: '360000', format: 'csv' } });

    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'csv', fileName: 'registry-360000.csv', csv: expect.stringContaining('统一社会信用代码,企业名称') });
    expect(body.csv).toContain(`${EXAMPLE_ENTERPRISE_ID},江西示范发电,江西省,南昌市,360100,power,1:coal:600,2025-01,`);
  });

  it('loads new entries and leaves unchanged ones unwritten', async () => {
    const added = { ...STORED, enterpriseId: JIUJIANG_ENTERPRISE_ID, name: '九江第4发电', city: '九江' };

    const { status, body } = await call('POST /registry', asAccount('admin'), { body: { enterprises: [STORED, added] } });

    expect(status).toBe(200);
    expect(body).toEqual({ imported: 1, unchanged: 1, refused: [] });
    expect(db).toHaveReceivedCommandTimes(BatchWriteCommand, 1);
    expect(db).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: { registry: [{ PutRequest: { Item: expect.objectContaining({ enterpriseId: JIUJIANG_ENTERPRISE_ID, city: '360400' }) } }] },
    });
  });

  it('answers 422 with every bad row of a CSV sheet and writes nothing', async () => {
    const csv = `统一社会信用代码,企业名称,所在城市,机组,应报起始月\n${JIUJIANG_ENTERPRISE_ID},九江第4发电,九江,1:coal:300,2025-01\n${JIUJIANG_ENTERPRISE_ID},重复,九江,1:coal:300,2025-01\n`;

    const { status, body } = await call('POST /registry', asAccount('admin'), { body: { csv } });

    expect(status).toBe(422);
    expect(body).toMatchObject({ imported: 0, refused: [{ row: 3, column: 'enterpriseId', message: expect.stringContaining('already on line 2') }] });
    expect(db).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('answers 400 to a body that is neither entries nor a sheet', async () => {
    expect((await call('POST /registry', asAccount('admin'), { body: { rows: [] } })).status).toBe(400);
  });

  it.each(['clerk', 'reviewer-jiangxi', 'dept-jiangxi'])('refuses %s both routes (403) and touches no table', async (account) => {
    expect((await call('GET /registry', asAccount(account))).status).toBe(403);
    expect((await call('POST /registry', asAccount(account), { body: { enterprises: [STORED] } })).status).toBe(403);
    expect(db).not.toHaveReceivedCommand(QueryCommand);
    expect(db).not.toHaveReceivedCommand(BatchWriteCommand);
  });
});
