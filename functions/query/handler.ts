/**
 * query: the department API behind API Gateway (HTTP API, payload v2): summaries for a range of
 * periods, the late list of a period, one enterprise's history; an attempt's signed receipt and the
 * key that verifies it.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { KMSClient } from '@aws-sdk/client-kms';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { DynamoDecisions } from '#adapters/dynamo-decisions.ts';
import { KeyFileReceiptSigner } from '#adapters/key-file-receipt-signer.ts';
import { KmsReceiptSigner } from '#adapters/kms-receipt-signer.ts';
import { historyFor, lateFor, type QueryDeps, summariesFor } from '#app/department-queries.ts';
import { type ReceiptDeps, receiptFor, receiptKeyFor } from '#app/issue-receipt.ts';
import { type AwsClients, createAwsClients } from '#lambda/clients.ts';
import { DeadlineRulesVariable, loadConfig, ReceiptSigningConfigSchema, receiptSigningKeyOf } from '#lambda/config.ts';
import { router } from '#lambda/http.ts';
import { lambda, type Observability, observability } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';

const name = z.string().min(1);

export const QueryConfigSchema = z.object({
  [ENV.depositsTable]: name,
  [ENV.attemptsTable]: name,
  [ENV.registryTable]: name,
  [ENV.summariesTable]: name,
  [ENV.deadlineRules]: DeadlineRulesVariable,
  ...ReceiptSigningConfigSchema.shape,
});
export type QueryConfig = z.infer<typeof QueryConfigSchema>;

export function queryDeps(config: QueryConfig, clients: AwsClients): QueryDeps & ReceiptDeps {
  const key = receiptSigningKeyOf(config);
  const tables = {
    deposits: config[ENV.depositsTable],
    attempts: config[ENV.attemptsTable],
    registry: config[ENV.registryTable],
  };
  return {
    reader: () => new DynamoPeriodReader(clients.db, tables),
    summaries: new DynamoSummaries(clients.db, config[ENV.summariesTable]),
    rules: config[ENV.deadlineRules],
    attempts: new DynamoDecisions(clients.db, tables),
    signer: key.kind === 'kms' ? new KmsReceiptSigner(new KMSClient({}), key.keyId) : new KeyFileReceiptSigner(key.path),
    now: () => new Date(),
  };
}

export function makeHandler(deps: QueryDeps & ReceiptDeps, obs: Observability) {
  const query = (e: APIGatewayProxyEventV2) => e.queryStringParameters ?? {};
  const route = router(
    {
      'GET /summaries': (e) => summariesFor(deps, query(e)),
      'GET /late': (e) => lateFor(deps, query(e)),
      'GET /enterprises/{enterpriseId}/history': (e) => historyFor(deps, e.pathParameters ?? {}),
      'GET /attempts/{attemptId}/receipt': (e) => receiptFor(deps, e.pathParameters ?? {}),
      'GET /receipt-key': () => receiptKeyFor(deps),
    },
    obs.logger,
  );
  return lambda(async (event: APIGatewayProxyEventV2) => {
    const response = await route(event);
    obs.metrics.addDimension('route', event.routeKey);
    obs.metrics.addMetric(response.statusCode && response.statusCode >= 500 ? 'ApiFaults' : 'ApiRequests', MetricUnit.Count, 1);
    return response;
  }, obs);
}

export const handler = makeHandler(queryDeps(loadConfig(QueryConfigSchema), createAwsClients()), observability('query'));
