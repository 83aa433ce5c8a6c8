/**
 * query: the department API behind API Gateway (HTTP API, payload v2): summaries for a range of
 * periods, the late list of a period, one enterprise's history.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { historyFor, lateFor, type QueryDeps, summariesFor } from '#app/department-queries.ts';
import { type AwsClients, createAwsClients } from '#lambda/clients.ts';
import { DeadlineRulesVariable, loadConfig } from '#lambda/config.ts';
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
});
export type QueryConfig = z.infer<typeof QueryConfigSchema>;

export function queryDeps(config: QueryConfig, clients: AwsClients): QueryDeps {
  const tables = {
    deposits: config[ENV.depositsTable],
    attempts: config[ENV.attemptsTable],
    registry: config[ENV.registryTable],
  };
  return {
    reader: () => new DynamoPeriodReader(clients.db, tables),
    summaries: new DynamoSummaries(clients.db, config[ENV.summariesTable]),
    rules: config[ENV.deadlineRules],
    now: () => new Date(),
  };
}

export function makeHandler(deps: QueryDeps, obs: Observability) {
  const query = (e: APIGatewayProxyEventV2) => e.queryStringParameters ?? {};
  const route = router(
    {
      'GET /summaries': (e) => summariesFor(deps, query(e)),
      'GET /late': (e) => lateFor(deps, query(e)),
      'GET /enterprises/{enterpriseId}/history': (e) => historyFor(deps, e.pathParameters ?? {}),
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
