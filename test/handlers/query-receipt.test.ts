/**
 * The query function's receipt routes and signing-key configuration: a receipt through the route
 * table, a 404 for an unknown attempt, and a cold start that fails unless exactly one key is named.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AttemptLookup, ReceiptSigner } from '#app/ports.ts';
import type { Attempt } from '#domain/attempt.ts';
import { verifyReceipt } from '#domain/receipt.ts';
import { ConfigError, loadConfig, ReceiptSigningConfigSchema, receiptSigningKeyOf } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';

const base = { DEPOSITS_TABLE: 'd', ATTEMPTS_TABLE: 'a', REGISTRY_TABLE: 'r', SUMMARIES_TABLE: 's', AWS_REGION: 'cn-north-1' };
Object.assign(process.env, base, { RECEIPT_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'query-receipt-')), 'key.pem') });
const { makeHandler, queryDeps, QueryConfigSchema } = await import('#functions/query/handler.ts');

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const signer: ReceiptSigner = {
  sign: async (bytes) => ({ keyId: 'k', alg: 'ECDSA_SHA_256', value: sign('sha256', bytes, { key: privateKey, dsaEncoding: 'der' }).toString('base64') }),
  publicKeyPem: async () => publicKey.export({ format: 'pem', type: 'spki' }).toString(),
};
const attempt: Attempt = {
  attemptId: 'a1b2c3d4e5f60718', enterpriseId: 'E', period: '2026-01', depositId: 'd1', reportKey: 'reports/E/2026-01/d1/report.json', reportVersion: 'e1',
  receivedAt: '2026-02-05T02:00:00.000Z', timeliness: { lastDay: '2026-02-10', dueAt: '2026-02-10T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'accepted', validation: { valid: true, verdict: 'accepted', stats: { errors: 0, warnings: 0, infos: 0 }, issues: [] }, files: [], recordedAt: '2026-02-05T02:00:01.000Z',
};
const attempts: AttemptLookup = { findAttempt: async (id) => (id === attempt.attemptId ? attempt : undefined), getDeposit: async () => undefined };
const deps = { ...queryDeps(loadConfig(QueryConfigSchema, process.env), { db: {} as never, s3: {} as never, sqs: {} as never }), attempts, signer };
const handler = makeHandler(deps, observability('query'));
const context = { functionName: 'query', awsRequestId: 'r1' } as Context;

const get = async (routeKey: string, pathParameters?: Record<string, string>) =>
  (await handler({ routeKey, rawPath: '', pathParameters, requestContext: { requestId: 'r1' } } as unknown as APIGatewayProxyEventV2, context)) as APIGatewayProxyStructuredResultV2;

describe('GET /attempts/{attemptId}/receipt and GET /receipt-key', () => {
  it('answers a receipt that verifies with the key GET /receipt-key publishes', async () => {
    const receipt = await get('GET /attempts/{attemptId}/receipt', { attemptId: attempt.attemptId });
    const key = await get('GET /receipt-key');

    expect(receipt.statusCode).toBe(200);
    expect(key.statusCode).toBe(200);
    const { publicKeyPem } = JSON.parse(key.body ?? '{}') as { publicKeyPem: string };
    expect(verifyReceipt(JSON.parse(receipt.body ?? '{}'), publicKeyPem)).toMatchObject({ valid: true });
  });

  it('answers 404 for an attempt that is not recorded', async () => {
    const response = await get('GET /attempts/{attemptId}/receipt', { attemptId: 'ffffffffffffffff' });
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ error: 'not-found', message: 'no attempt ffffffffffffffff is recorded' });
  });
});

describe('the receipt signing key configuration', () => {
  it('names a KMS key in the cloud and a key file on the twin', () => {
    expect(receiptSigningKeyOf(loadConfig(ReceiptSigningConfigSchema, { RECEIPT_KEY_ID: 'arn:aws-cn:kms:cn-north-1:1:key/k' }))).toEqual({ kind: 'kms', keyId: 'arn:aws-cn:kms:cn-north-1:1:key/k' });
    expect(receiptSigningKeyOf(loadConfig(ReceiptSigningConfigSchema, { RECEIPT_KEY_FILE: '/tmp/k.pem' }))).toEqual({ kind: 'file', path: '/tmp/k.pem' });
  });

  it('fails the cold start when neither or both are set', () => {
    const clients = { db: {} as never, s3: {} as never, sqs: {} as never };
    expect(() => queryDeps(loadConfig(QueryConfigSchema, base), clients)).toThrow(ConfigError);
    expect(() => queryDeps(loadConfig(QueryConfigSchema, { ...base, RECEIPT_KEY_ID: 'k', RECEIPT_KEY_FILE: '/tmp/k.pem' }), clients)).toThrow(/not both/);
  });
});
