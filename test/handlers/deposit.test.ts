/**
 * The deposit function built by makeHandler over its real adapters — the registry on a mocked
 * DynamoDB client, links presigned by the real S3 presigner (it needs no network) — called as the
 * seeded accounts: the enterprise opens a deposit for its own credit code (201), never another's
 * (403), only when registered (404), and no other role may (403).
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DepositConfigSchema, depositDeps, makeHandler } from '#functions/deposit/make-handler.ts';
import { createAwsClients } from '#lambda/clients.ts';
import { ConfigError, loadConfig } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { apiGatewayEvent, asAccount, type Caller } from '#test/support/api-events.ts';
import { EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID } from '#twin/accounts.ts';

const SHA = 'ab'.repeat(32);
const ROUTE = 'POST /enterprises/{enterpriseId}/deposits';

describe('POST /enterprises/{enterpriseId}/deposits', () => {
  const db = mockClient(DynamoDBDocumentClient);
  const config = loadConfig(DepositConfigSchema, { DEPOSIT_BUCKET: 'deposits', REGISTRY_TABLE: 'registry' });
  const clients = createAwsClients({ region: 'cn-north-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const handler = makeHandler(
    { ...depositDeps(config, clients), newDepositId: () => '20260301T020000Z-abcdef', now: () => new Date('2026-03-01T02:00:00.000Z') },
    observability('deposit'),
  ) as (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  const context = { functionName: 'deposit', awsRequestId: 'r1' } as Context;

  beforeEach(() => {
    db.reset();
    db.on(GetCommand).callsFake((input: { Key: { enterpriseId: string } }) =>
      input.Key.enterpriseId === EXAMPLE_ENTERPRISE_ID || input.Key.enterpriseId === JIUJIANG_ENTERPRISE_ID
        ? {
            Item: {
              enterpriseId: input.Key.enterpriseId,
              name: '江西示范发电',
              province: '360000',
              city: input.Key.enterpriseId === EXAMPLE_ENTERPRISE_ID ? '360100' : '360400',
              industry: 'power',
              units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
              obligedFrom: '2025-01',
            },
          }
        : {},
    );
  });

  const body = {
    period: '2026-02',
    report: { fileName: 'report.csv', size: 812, sha256: SHA },
    evidence: [{ fileName: 'unit1-ledger.pdf', size: 4096, sha256: SHA }],
  };
  async function open(caller: Caller, enterpriseId: string, given: unknown = body) {
    const reply = await handler(apiGatewayEvent({ routeKey: ROUTE, params: { enterpriseId }, body: given, caller }), context);
    return { status: reply.statusCode, body: JSON.parse(reply.body ?? '{}') as Record<string, unknown> };
  }

  it('answers 201 with presigned write-once PUTs, evidence first, each signed with If-None-Match and the declared SHA-256', async () => {
    // Act
    const { status, body: answer } = await open(asAccount('clerk'), EXAMPLE_ENTERPRISE_ID);

    // Assess
    expect(status).toBe(201);
    expect(answer).toMatchObject({ depositId: '20260301T020000Z-abcdef', period: '2026-02', expiresAt: '2026-03-01T02:15:00.000Z' });
    const uploads = answer.uploads as { role: string; key: string; url: string; headers: Record<string, string> }[];
    expect(uploads.map((u) => u.role)).toEqual(['evidence', 'report']);
    const report = uploads[1];
    expect(report?.key).toBe(`reports/${EXAMPLE_ENTERPRISE_ID}/2026-02/20260301T020000Z-abcdef/report.csv`);
    expect(report?.headers).toEqual({ 'content-type': 'text/csv', 'if-none-match': '*', 'x-amz-checksum-sha256': Buffer.from(SHA, 'hex').toString('base64') });
    const url = new URL(report?.url ?? '');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual([
      'content-length',
      'content-type',
      'host',
      'if-none-match',
      'x-amz-checksum-sha256',
    ]);
    // The checksum is a signed header, not a query parameter a client could leave off.
    expect([...url.searchParams.keys()].some((k) => k.toLowerCase() === 'x-amz-checksum-sha256')).toBe(false);
    expect(db).toHaveReceivedCommandWith(GetCommand, { TableName: 'registry', Key: { enterpriseId: EXAMPLE_ENTERPRISE_ID } });
  });

  it('refuses an enterprise another’s credit code (403) without reading the registry', async () => {
    const { status, body: answer } = await open(asAccount('clerk'), JIUJIANG_ENTERPRISE_ID);

    expect(status).toBe(403);
    expect(answer).toMatchObject({ error: 'forbidden' });
    expect(db).not.toHaveReceivedCommand(GetCommand);
  });

  it('answers 404 with a plain message for an enterprise the registry does not hold', async () => {
    const unregistered = asAccount('clerk');
    const id = '91360100MA35XXXXXN';
    db.on(GetCommand).resolves({});

    const { status, body: answer } = await open(unregistered, id);

    expect(status).toBe(404);
    expect(answer.message).toContain('not in the registry of obliged enterprises');
  });

  it.each(['reviewer-nanchang', 'dept-jiangxi', 'admin'])('refuses %s by role (403)', async (account) => {
    expect((await open(asAccount(account), EXAMPLE_ENTERPRISE_ID)).status).toBe(403);
  });

  it.each([
    ['a malformed period', { ...body, period: '2026-13' }, /period/],
    ['a SHA-256 that is neither hex nor base64', { ...body, report: { ...body.report, sha256: 'xyz' } }, /sha256/],
    ['a report named .xls', { ...body, report: { ...body.report, fileName: 'report.xls' } }, /save as XLSX or CSV/],
  ])('answers %s with 400 and the reason', async (_, given, reason) => {
    const { status, body: answer } = await open(asAccount('clerk'), EXAMPLE_ENTERPRISE_ID, given);

    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: 'bad-request', message: expect.stringMatching(reason) });
  });

  it('fails the cold start without the bucket or the registry table', () => {
    expect(() => loadConfig(DepositConfigSchema, { REGISTRY_TABLE: 'r' })).toThrow(ConfigError);
    expect(loadConfig(DepositConfigSchema, { REGISTRY_TABLE: 'r', DEPOSIT_BUCKET: 'b' })).toMatchObject({ DEPOSIT_BUCKET: 'b' });
  });
});
