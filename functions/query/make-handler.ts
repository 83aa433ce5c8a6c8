/**
 * query, built from its dependencies: the department API (summaries for a range of periods, the
 * late list of a period, one enterprise's history) and receipts (an attempt's signed receipt, the
 * key that verifies it). `handler.ts` builds it from the environment; tests build it from fakes.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { z } from 'zod';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { KeyFileReceiptSigner } from '#adapters/key-file-receipt-signer.ts';
import { KmsReceiptSigner } from '#adapters/kms-receipt-signer.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { HistoryRequestSchema, historyFor, LateRequestSchema, lateFor, type QueryDeps, SummariesRequestSchema, summariesFor } from '#app/department-queries.ts';
import { issueReceipt, type ReceiptDeps, ReceiptRequestSchema, receiptKeyFor } from '#app/issue-receipt.ts';
import { ok } from '#app/outcome.ts';
import type { ClaimMapping } from '#domain/identity.ts';
import type { AwsClients } from '#lambda/clients.ts';
import { ClaimMappingVariable, DeadlineRulesVariable, ReceiptSigningConfigSchema, receiptSigningKeyOf } from '#lambda/config.ts';
import { httpApi, route } from '#lambda/http.ts';
import type { Observability } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';

const name = z.string().min(1);

export const QueryConfigSchema = z.object({
  [ENV.identityClaims]: ClaimMappingVariable,
  [ENV.depositsTable]: name,
  [ENV.attemptsTable]: name,
  [ENV.registryTable]: name,
  [ENV.summariesTable]: name,
  [ENV.deadlineRules]: DeadlineRulesVariable,
  ...ReceiptSigningConfigSchema.shape,
});
export type QueryConfig = z.infer<typeof QueryConfigSchema>;

export type QueryApiDeps = QueryDeps & ReceiptDeps & { readonly claims: ClaimMapping };

export function queryDeps(config: QueryConfig, clients: AwsClients): QueryApiDeps {
  const key = receiptSigningKeyOf(config);
  const tables = {
    deposits: config[ENV.depositsTable],
    attempts: config[ENV.attemptsTable],
    registry: config[ENV.registryTable],
  };
  return {
    claims: config[ENV.identityClaims],
    reader: () => new DynamoPeriodReader(clients.db, tables),
    summaries: new DynamoSummaries(clients.db, config[ENV.summariesTable]),
    rules: config[ENV.deadlineRules],
    attempts: new DynamoLedger(clients.db, tables),
    signer: key.kind === 'kms' ? new KmsReceiptSigner(new KMSClient({}), key.keyId) : new KeyFileReceiptSigner(key.path),
    now: () => new Date(),
  };
}

export function makeHandler(deps: QueryApiDeps, observability: Observability) {
  return httpApi({
    observability,
    claims: deps.claims,
    routes: {
      'GET /summaries': route({ query: SummariesRequestSchema, handle: ({ query }) => summariesFor(deps, query) }),
      'GET /late': route({ query: LateRequestSchema, handle: async ({ query }) => ok(await lateFor(deps, query)) }),
      'GET /enterprises/{enterpriseId}/history': route({ params: HistoryRequestSchema, handle: ({ params }) => historyFor(deps, params) }),
      'GET /attempts/{attemptId}/receipt': route({ params: ReceiptRequestSchema, handle: ({ params }) => issueReceipt(deps, params.attemptId) }),
      'GET /receipt-key': route({ handle: async () => ok(await receiptKeyFor(deps)) }),
    },
  });
}
