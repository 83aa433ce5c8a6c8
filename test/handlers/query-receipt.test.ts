/**
 * The query function built by makeHandler with fake ports: a receipt through the route table, a
 * 404 for an unknown attempt, how bad requests and refusals are answered, and a cold start that
 * fails unless exactly one receipt signing key is named. The caller is an IAM principal (a
 * machine reads every scope); what each person's role reaches is test/handlers/query-routes.test.ts.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DepartmentReader, ReceiptSigner, SummaryRange } from '#app/ports.ts';
import type { Attempt } from '#domain/attempt.ts';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import { DEFAULT_CLAIM_MAPPING } from '#domain/identity.ts';
import { verifyReceipt } from '#domain/receipt.ts';
import { makeHandler, type QueryApiDeps, QueryConfigSchema, queryDeps } from '#functions/query/make-handler.ts';
import { ConfigError, loadConfig, ReceiptSigningConfigSchema, receiptSigningKeyOf } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { demoCreditCode } from '#twin/demo.ts';

const base = { DEPOSITS_TABLE: 'd', ATTEMPTS_TABLE: 'a', REGISTRY_TABLE: 'r', SUMMARIES_TABLE: 's', EXPORT_BUCKET: 'x', AWS_REGION: 'cn-north-1' };

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const signer: ReceiptSigner = {
  sign: async (bytes) => ({ keyId: 'k', alg: 'ECDSA_SHA_256', value: sign('sha256', bytes, { key: privateKey, dsaEncoding: 'der' }).toString('base64') }),
  publicKeyPem: async () => publicKey.export({ format: 'pem', type: 'spki' }).toString(),
};
const attempt: Attempt = {
  attemptId: 'a1b2c3d4e5f60718',
  enterpriseId: 'E',
  period: '2026-01',
  depositId: 'd1',
  reportKey: 'reports/E/2026-01/d1/report.json',
  reportVersion: 'e1',
  receivedAt: '2026-02-05T02:00:00.000Z',
  timeliness: { lastDay: '2026-02-10', dueAt: '2026-02-10T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'accepted',
  validation: { valid: true, verdict: 'accepted', stats: { errors: 0, warnings: 0, infos: 0 }, issues: [] },
  files: [],
  recordedAt: '2026-02-05T02:00:01.000Z',
};
const emptyLedger: DepartmentReader = { registry: async () => [], recordsOf: async () => [], historyOf: async () => [], enterprise: async () => undefined };
const summaries: SummaryRange & { asked: unknown[] } = {
  asked: [],
  async range(scope, from, to) {
    this.asked.push([scope, from, to]);
    return [];
  },
};
const deps: QueryApiDeps = {
  claims: DEFAULT_CLAIM_MAPPING,
  reader: () => emptyLedger,
  summaries,
  rules: DEFAULT_DEADLINE_RULES,
  attempts: {
    findAttempt: async (id) => (id === attempt.attemptId ? attempt : undefined),
    getDeposit: async () => undefined,
    getAttempt: async () => undefined,
  },
  registry: { get: async () => undefined },
  exports: { linksUnder: async () => [] },
  signer,
  now: () => new Date('2026-03-20T00:00:00Z'),
};
const handler = makeHandler(deps, observability('query')) as (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const context = { functionName: 'query', awsRequestId: 'r1' } as Context;

/** An HTTP API v2 event as API Gateway (and the twin) sends it for a GET from behind the IAM authorizer. */
function event(routeKey: string, rawPath: string, query: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers: { host: 'api.example' },
    isBase64Encoded: false,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: {
      requestId: 'r1',
      routeKey,
      http: { method: 'GET', path: rawPath },
      authorizer: { iam: { userArn: 'arn:aws-cn:iam::123456789012:user/operator' } },
    } as unknown as APIGatewayProxyEventV2['requestContext'],
  };
}
const get = (routeKey: string, rawPath: string, query?: Record<string, string>) => handler(event(routeKey, rawPath, query), context);
const bodyOf = (reply: APIGatewayProxyStructuredResultV2) => JSON.parse(reply.body ?? '{}') as Record<string, unknown>;

describe('GET /attempts/{attemptId}/receipt and GET /receipt-key', () => {
  it('answers a receipt that verifies with the key GET /receipt-key publishes', async () => {
    const receipt = await get('GET /attempts/{attemptId}/receipt', `/attempts/${attempt.attemptId}/receipt`);
    const key = await get('GET /receipt-key', '/receipt-key');

    expect(receipt.statusCode).toBe(200);
    expect(key.statusCode).toBe(200);
    const { publicKeyPem } = bodyOf(key) as { publicKeyPem: string };
    expect(verifyReceipt(bodyOf(receipt), publicKeyPem)).toMatchObject({ valid: true });
  });

  it('answers 404 for an attempt that is not recorded', async () => {
    const response = await get('GET /attempts/{attemptId}/receipt', '/attempts/ffffffffffffffff/receipt');
    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toMatchObject({ error: 'not-found', message: expect.stringContaining('no attempt ffffffffffffffff is recorded') });
  });
});

describe('the department routes', () => {
  it('parses the query string and asks for the range it names', async () => {
    const reply = await get('GET /summaries', '/summaries', { scope: 'city:南昌', from: '2025-12', to: '2026-02' });

    expect(reply.statusCode).toBe(200);
    // city:南昌 is answered as its division code, city:360100 (summaries stored under names are read too).
    expect(bodyOf(reply)).toEqual({ scope: 'city:360100', from: '2025-12', to: '2026-02', summaries: [] });
    expect(summaries.asked).toContainEqual(['city:360100', '2025-12', '2026-02']);
  });

  it.each([
    ['a scope that is not one', { scope: 'town:x' }, /scope/],
    ['a city that does not exist', { scope: 'city:南仓' }, /未知的城市 \/ unknown city: 南仓/],
    ['a range that runs backwards', { from: '2026-03', to: '2026-01' }, /after/],
  ])('answers %s with 400 bad-request and the reason', async (_, query, reason) => {
    const reply = await get('GET /summaries', '/summaries', query);

    expect(reply.statusCode).toBe(400);
    expect(bodyOf(reply)).toEqual({ error: 'bad-request', message: expect.stringMatching(reason) });
    expect(reply.headers).toMatchObject({ 'cache-control': 'no-store' });
  });

  it('answers 404 for an enterprise neither the registry nor the ledger knows', async () => {
    const unknown = demoCreditCode(99_999_999, '369800');
    const reply = await get('GET /enterprises/{enterpriseId}/history', `/enterprises/${unknown}/history`);

    expect(reply.statusCode).toBe(404);
    expect(bodyOf(reply)).toMatchObject({ error: 'not-found', message: expect.stringMatching(new RegExp(`登记册.* / no enterprise ${unknown}`)) });
  });

  it('answers a fault with 500, its request id and no internals', async () => {
    const failing = makeHandler(
      { ...deps, reader: () => ({ ...emptyLedger, recordsOf: async () => Promise.reject(new Error('secret table detail')) }) },
      observability('query'),
    );

    const reply = (await failing(event('GET /late', '/late'), context)) as APIGatewayProxyStructuredResultV2;

    expect(reply.statusCode).toBe(500);
    expect(bodyOf(reply)).toMatchObject({ error: 'internal', requestId: 'r1' });
    expect(reply.body).not.toContain('secret');
  });
});

describe('the receipt signing key configuration', () => {
  it('names a KMS key in the cloud and a key file on the twin', () => {
    expect(receiptSigningKeyOf(loadConfig(ReceiptSigningConfigSchema, { RECEIPT_KEY_ID: 'arn:aws-cn:kms:cn-north-1:1:key/k' }))).toEqual({
      kind: 'kms',
      keyId: 'arn:aws-cn:kms:cn-north-1:1:key/k',
    });
    expect(receiptSigningKeyOf(loadConfig(ReceiptSigningConfigSchema, { RECEIPT_KEY_FILE: '/tmp/k.pem' }))).toEqual({ kind: 'file', path: '/tmp/k.pem' });
  });

  it('fails the cold start when neither or both are set', () => {
    const clients = { db: {} as never, s3: {} as never, sqs: {} as never };
    expect(() => queryDeps(loadConfig(QueryConfigSchema, base), clients)).toThrow(ConfigError);
    expect(() => queryDeps(loadConfig(QueryConfigSchema, { ...base, RECEIPT_KEY_ID: 'k', RECEIPT_KEY_FILE: '/tmp/k.pem' }), clients)).toThrow(/not both/);
  });
});
