/**
 * SDK clients, created once per container. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local twin is reached: no handler has
 * a local mode.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface AwsClients {
  readonly s3: S3Client;
  readonly db: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
}

/**
 * Resolve each command's middleware stack once per client rather than on every send: the
 * per-request stack resolution is a measurable share of a busy function's CPU. Not for the
 * DynamoDB document client, which refuses it (its commands carry their own marshalling).
 */
export const CACHED_MIDDLEWARE = { cacheMiddleware: true } as const;

export function createAwsClients(): AwsClients {
  return {
    s3: new S3Client({ ...CACHED_MIDDLEWARE }),
    db: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    sqs: new SQSClient({ ...CACHED_MIDDLEWARE }),
  };
}
