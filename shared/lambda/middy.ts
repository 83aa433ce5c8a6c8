/**
 * The one middy chain every function uses, in a fixed order: logger (with a fresh state per
 * invocation), metrics flushed after each, then the handler. Attached before `.handler()` so
 * types flow.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export const METRICS_NAMESPACE = 'EvidenceDeposit';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function observability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
  };
}

export function lambda<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>, { logger, metrics }: Observability) {
  return middy<TEvent, TResult>()
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
    .handler(handler);
}
