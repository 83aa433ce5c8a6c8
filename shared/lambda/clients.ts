/**
 * SDK clients, created once per container — and the one place anything in this tree builds them
 * (functions, the local twin, the CLI). Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local twin is reached: no handler has
 * a local mode. The twin itself and the CLI pointed at it pass the endpoints explicitly.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface AwsClients {
  readonly s3: S3Client;
  readonly db: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
}

/** The document client's own low-level client too: what table creation and other raw calls need. */
export interface AwsClientsWithDynamoDb extends AwsClients {
  readonly dynamodb: DynamoDBClient;
}

/** Where and as whom to connect, when not from the environment (the twin, the CLI pointed at it). */
export interface AwsClientOptions {
  readonly endpoints?: { readonly s3: string; readonly dynamodb: string; readonly sqs: string };
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** S3-only settings, e.g. path-style addressing and checksums for an emulator. */
  readonly s3?: Pick<S3ClientConfig, 'forcePathStyle' | 'requestChecksumCalculation' | 'responseChecksumValidation'>;
}

/**
 * Resolve each command's middleware stack once per client rather than on every send: the
 * per-request stack resolution is a measurable share of a busy function's CPU. Not for the
 * DynamoDB document client, which refuses it (its commands carry their own marshalling).
 */
export const CACHED_MIDDLEWARE = { cacheMiddleware: true } as const;

export function createAwsClients(options: AwsClientOptions = {}): AwsClientsWithDynamoDb {
  const common = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
  };
  const dynamodb = new DynamoDBClient({ ...common, ...(options.endpoints ? { endpoint: options.endpoints.dynamodb } : {}) });
  return {
    s3: new S3Client({ ...common, ...CACHED_MIDDLEWARE, ...options.s3, ...(options.endpoints ? { endpoint: options.endpoints.s3 } : {}) }),
    dynamodb,
    db: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    sqs: new SQSClient({ ...common, ...CACHED_MIDDLEWARE, ...(options.endpoints ? { endpoint: options.endpoints.sqs } : {}) }),
  };
}
