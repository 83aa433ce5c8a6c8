/**
 * The HTTP API, defined once: the CDK stack builds API Gateway routes from this table and the
 * twin's HTTP server routes the same requests to the same handlers (functions/<function>/handler.ts).
 * `access` says which principals may call a route in the cloud (IAM authorization).
 */
export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** API Gateway path syntax: /attempts/{attemptId}/decision */
  readonly path: string;
  readonly function: 'query' | 'review';
  readonly access: 'department' | 'reviewer' | 'enterprise';
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/summaries', function: 'query', access: 'department' },
  { method: 'GET', path: '/late', function: 'query', access: 'department' },
  { method: 'GET', path: '/enterprises/{enterpriseId}/history', function: 'query', access: 'department' },
  // Receipts (回执) and the key that verifies them; departments' and reviewers' routes in the cloud.
  { method: 'GET', path: '/attempts/{attemptId}/receipt', function: 'query', access: 'department' },
  { method: 'GET', path: '/receipt-key', function: 'query', access: 'department' },
  { method: 'GET', path: '/attempts/{attemptId}', function: 'review', access: 'reviewer' },
  { method: 'POST', path: '/attempts/{attemptId}/decision', function: 'review', access: 'reviewer' },
];
