/**
 * query, built from its dependencies: who the caller is (GET /me), the department API (summaries
 * for a range of periods, the late list of a period, the city league, links to the nightly
 * exports, one enterprise's history and its month template) and receipts (an attempt's signed receipt, the key that
 * verifies it). Every route hands its use case the caller the boundary read from the token; the
 * use case asks shared/domain/access.ts what that caller reaches. `handler.ts` builds it from the
 * environment; tests build it from fakes.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { z } from 'zod';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { KeyFileReceiptSigner } from '#adapters/key-file-receipt-signer.ts';
import { KmsReceiptSigner } from '#adapters/kms-receipt-signer.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { S3Exports } from '#adapters/s3-exports.ts';
import {
  type CallerQueryDeps,
  ExportsRequestSchema,
  exportsFor,
  HistoryRequestSchema,
  historyFor,
  LateRequestSchema,
  LeagueRequestSchema,
  lateForCaller,
  leagueFor,
  meFor,
  SummariesRequestSchema,
  summariesForCaller,
} from '#app/department-queries.ts';
import { issueReceipt, type ReceiptDeps, ReceiptRequestSchema, receiptKeyFor } from '#app/issue-receipt.ts';
import { ok } from '#app/outcome.ts';
import { TemplateParamsSchema, TemplateQuerySchema, templateFor } from '#app/report-template.ts';
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
  /** Where nightly-summary writes its exports: GET /exports presigns links into it. */
  [ENV.exportBucket]: name,
  [ENV.deadlineRules]: DeadlineRulesVariable,
  ...ReceiptSigningConfigSchema.shape,
});
export type QueryConfig = z.infer<typeof QueryConfigSchema>;

export type QueryApiDeps = CallerQueryDeps & ReceiptDeps & { readonly claims: ClaimMapping };

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
    registry: new DynamoRegistry(clients.db, tables.registry),
    exports: new S3Exports(clients.s3, config[ENV.exportBucket]),
    signer: key.kind === 'kms' ? new KmsReceiptSigner(new KMSClient({}), key.keyId) : new KeyFileReceiptSigner(key.path),
    now: () => new Date(),
  };
}

export function makeHandler(deps: QueryApiDeps, observability: Observability) {
  return httpApi({
    observability,
    claims: deps.claims,
    routes: {
      'GET /me': route({ handle: async ({ caller }) => ok(meFor(caller)) }),
      'GET /summaries': route({ query: SummariesRequestSchema, handle: ({ query, caller }) => summariesForCaller(deps, caller, query) }),
      'GET /late': route({ query: LateRequestSchema, handle: ({ query, caller }) => lateForCaller(deps, caller, query) }),
      'GET /league': route({ query: LeagueRequestSchema, handle: ({ query, caller }) => leagueFor(deps, caller, query) }),
      'GET /exports': route({ query: ExportsRequestSchema, handle: ({ query, caller }) => exportsFor(deps, caller, query) }),
      'GET /enterprises/{enterpriseId}/history': route({ params: HistoryRequestSchema, handle: ({ params, caller }) => historyFor(deps, caller, params) }),
      'GET /enterprises/{enterpriseId}/template': route({
        params: TemplateParamsSchema,
        query: TemplateQuerySchema,
        handle: ({ params, query, caller }) => templateFor(deps, caller, params.enterpriseId, query),
      }),
      'GET /attempts/{attemptId}/receipt': route({
        params: ReceiptRequestSchema,
        handle: ({ params, caller }) => issueReceipt(deps, params.attemptId, caller),
      }),
      'GET /receipt-key': route({ handle: async () => ok(await receiptKeyFor(deps)) }),
    },
  });
}
