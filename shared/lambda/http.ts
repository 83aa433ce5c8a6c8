/**
 * HTTP API (payload v2) plumbing shared by the API functions: one route table keyed by routeKey,
 * JSON replies, and one place that maps named errors to status codes. Callers never see a stack.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type Route = (event: APIGatewayProxyEventV2) => Promise<unknown>;

const STATUS_BY_ERROR: Record<string, number> = {
  BadRequestError: 400,
  NotFoundError: 404,
  ConflictError: 409,
};

export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    },
    body: JSON.stringify(body),
  };
}

/** Routes by `routeKey` ("GET /late"), as API Gateway sets it from the matched route. */
export function router(routes: Record<string, Route>, logger: Logger) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = routes[event.routeKey];
    if (!route)
      return json(404, {
        error: 'not-found',
        message: `no route ${event.routeKey}`,
      });
    try {
      return json(200, await route(event));
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const status = STATUS_BY_ERROR[name];
      if (status)
        return json(status, {
          error: name
            .replace(/Error$/, '')
            .replace(/([a-z])([A-Z])/g, '$1-$2')
            .toLowerCase(),
          message: (error as Error).message,
        });
      logger.error('request failed', {
        routeKey: event.routeKey,
        error: error as Error,
      });
      return json(500, {
        error: 'internal',
        message: 'the request failed; it has been logged',
        requestId: event.requestContext?.requestId,
      });
    }
  };
}
