/**
 * Creates the twin's bucket, tables and queues from the same definitions the CDK stack uses
 * (shared/resources/specs.ts). Physical names are fixed here only because there is no
 * CloudFormation on the twin to name them.
 */
import { CreateTableCommand, type CreateTableCommandInput, DescribeTableCommand, type DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES, type QueueName, TABLES, type TableName, type TableSpec } from '#resources/specs.ts';
import type { QueueHandle, TwinResources } from '#resources/twin-state.ts';

export const TWIN_BUCKET = 'evidence-deposits';
export const TWIN_EXPORTS_BUCKET = 'evidence-exports';

// The shapes live in shared/resources, where the CLI reads them from the twin's state file.
export type { QueueHandle, TwinResources };

export function createTableInput(tableName: string, spec: TableSpec): CreateTableCommandInput {
  const keys = [
    spec.partitionKey,
    ...(spec.sortKey ? [spec.sortKey] : []),
    ...spec.indexes.flatMap((i) => [i.partitionKey, ...(i.sortKey ? [i.sortKey] : [])]),
  ];
  const attributes = [...new Map(keys.map((k) => [k.name, k])).values()];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    KeySchema: [
      { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    ...(spec.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: spec.indexes.map((i) => ({
            IndexName: i.indexName,
            KeySchema: [
              { AttributeName: i.partitionKey.name, KeyType: 'HASH' as const },
              ...(i.sortKey ? [{ AttributeName: i.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: {
              ProjectionType: i.projection.type,
              ...(i.projection.type === 'INCLUDE' ? { NonKeyAttributes: [...i.projection.attributes] } : {}),
            },
          })),
        }
      : {}),
  };
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${url} has no ARN`);
  return arn;
}

const DAY = 24 * 60 * 60;

/**
 * A kept data dir already has the bucket and tables: creating them again is refused, and that is
 * what was wanted. A table kept from an older definition gets the indexes added since
 * (addMissingIndexes); other changes (keys, projections) are not migrated: `--fresh` rebuilds it.
 */
async function unlessExists(create: () => Promise<unknown>, existsError: string): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!(error instanceof Error && error.name === existsError)) throw error;
  }
}

/**
 * Creates the indexes of `spec` that a kept table lacks (a data dir from before the index), one at
 * a time as DynamoDB allows, and waits until each is active. Returns the names it created.
 */
export async function addMissingIndexes(db: DynamoDBClient, tableName: string, spec: TableSpec): Promise<string[]> {
  const created: string[] = [];
  const input = createTableInput(tableName, spec);
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
    if ((Table?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === index.IndexName)) continue;
    await db.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: input.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    for (let tries = 0; tries < 300; tries++) {
      const { Table: now } = await db.send(new DescribeTableCommand({ TableName: tableName }));
      if (now?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.IndexName)?.IndexStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    created.push(index.IndexName as string);
  }
  return created;
}

/**
 * The web portal uploads straight into the deposit bucket with the API's presigned PUTs, and the
 * workbench previews evidence with presigned GETs: the browser on the twin's web origin (the API
 * address) calls s3rver on another port, so the bucket must allow it. Any origin on the twin: it
 * listens on 127.0.0.1 only, and a presigned link is the authority, not the origin; the cloud
 * bucket names the site's origin. The headers are exactly those the presigned uploads carry
 * (s3-upload-links.ts), plus x-amz-meta-* for metadata; ETag is exposed so a client can read it.
 * Set on every start (idempotent), so a kept data dir gets it too.
 */
export const TWIN_DEPOSIT_CORS = [
  {
    AllowedOrigins: ['*'],
    AllowedMethods: ['GET', 'HEAD', 'PUT'],
    AllowedHeaders: ['content-type', 'if-none-match', 'x-amz-checksum-sha256', 'x-amz-meta-*'],
    ExposeHeaders: ['ETag'],
    MaxAgeSeconds: 600,
  },
];

/**
 * The department dashboard reads its scope's nightly summary.json (every enterprise's standing)
 * through the presigned GET that `GET /exports` hands out: reading only, from any origin, for the
 * same reason as above.
 */
export const TWIN_EXPORTS_CORS = [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'], MaxAgeSeconds: 600 }];

export async function provision(clients: { s3: S3Client; db: DynamoDBClient; sqs: SQSClient }): Promise<TwinResources> {
  for (const bucket of [TWIN_BUCKET, TWIN_EXPORTS_BUCKET]) {
    await unlessExists(() => clients.s3.send(new CreateBucketCommand({ Bucket: bucket })), 'BucketAlreadyExists');
  }
  await clients.s3.send(new PutBucketCorsCommand({ Bucket: TWIN_BUCKET, CORSConfiguration: { CORSRules: TWIN_DEPOSIT_CORS } }));
  await clients.s3.send(new PutBucketCorsCommand({ Bucket: TWIN_EXPORTS_BUCKET, CORSConfiguration: { CORSRules: TWIN_EXPORTS_CORS } }));
  const tables = Object.fromEntries(Object.keys(TABLES).map((name) => [name, name])) as Record<TableName, string>;
  for (const [name, spec] of Object.entries(TABLES) as [TableName, TableSpec][]) {
    await unlessExists(() => clients.db.send(new CreateTableCommand(createTableInput(tables[name], spec))), 'ResourceInUseException');
    await addMissingIndexes(clients.db, tables[name], spec);
  }
  const queues = {} as Record<QueueName, QueueHandle>;
  for (const [name, spec] of Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]) {
    const dlq = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: String(spec.deadLetterRetentionDays * DAY) } }),
    );
    const deadLetterUrl = dlq.QueueUrl as string;
    const deadLetterArn = await queueArn(clients.sqs, deadLetterUrl);
    const queue = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(spec.retentionDays * DAY),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: spec.maxReceiveCount }),
        },
      }),
    );
    const url = queue.QueueUrl as string;
    queues[name] = { url, arn: await queueArn(clients.sqs, url), deadLetterUrl, deadLetterArn };
  }
  return { bucket: TWIN_BUCKET, exportsBucket: TWIN_EXPORTS_BUCKET, tables, queues };
}
