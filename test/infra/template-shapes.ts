/**
 * "Resource shape" extracted from a synthesized template, and the same shape computed from
 * shared/resources/specs.ts, in one normalised form. The cloud side (twin-parity.test.ts) compares
 * template shape to spec shape; the twin side can compare what the emulators report to the same
 * spec shape with these functions, so both sides are judged against one definition.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { DEPOSIT_BUCKET_NOTIFICATION, type KeySpec, QUEUES, type QueueName, type QueueSpec, TABLES, type TableName, type TableSpec } from '#resources/specs.ts';

export interface KeyShape {
  readonly name: string;
  readonly keyType: 'HASH' | 'RANGE';
}
export interface IndexShape {
  readonly indexName: string;
  readonly keySchema: readonly KeyShape[];
  readonly projection: { readonly type: string; readonly attributes: readonly string[] };
}
export interface TableShape {
  readonly keySchema: readonly KeyShape[];
  /** Sorted by name: every attribute a key or index names, with its type. */
  readonly attributes: readonly { name: string; type: string }[];
  /** Sorted by indexName. */
  readonly indexes: readonly IndexShape[];
}
export interface QueueShape {
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  readonly maxReceiveCount: number;
  readonly deadLetterRetentionSeconds: number;
}
export interface NotificationShape {
  readonly events: readonly string[];
  readonly prefix: string;
  readonly queue: QueueName;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };
type CfnKey = { AttributeName: string; KeyType: 'HASH' | 'RANGE' };
type CfnIndex = { IndexName: string; KeySchema: CfnKey[]; Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] } };

const DAY = 86_400;
const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function resources(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The one resource of `type` whose logical id is `prefix` + CDK's 8-character hash. */
function resourceByIdPrefix(template: Template, type: string, prefix: string): [string, Resource] {
  const matches = Object.entries(resources(template, type)).filter(([id]) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  if (matches.length !== 1) throw new Error(`expected one ${type} with logical id ${prefix}…, found ${matches.length}`);
  return matches[0] as [string, Resource];
}

// ---- from specs ---------------------------------------------------------------------------

function keysFromSpec(partitionKey: KeySpec, sortKey?: KeySpec): KeyShape[] {
  return [{ name: partitionKey.name, keyType: 'HASH' }, ...(sortKey ? [{ name: sortKey.name, keyType: 'RANGE' as const }] : [])];
}

export function tableShapeFromSpec(spec: TableSpec): TableShape {
  const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const attributes = new Map<string, string>();
  for (const key of keys) if (key) attributes.set(key.name, key.type);
  return {
    keySchema: keysFromSpec(spec.partitionKey, spec.sortKey),
    attributes: [...attributes].map(([name, type]) => ({ name, type })).sort(byName),
    indexes: spec.indexes
      .map((index) => ({
        indexName: index.indexName,
        keySchema: keysFromSpec(index.partitionKey, index.sortKey),
        projection: { type: index.projection.type, attributes: index.projection.type === 'INCLUDE' ? [...index.projection.attributes].sort() : [] },
      }))
      .sort((a, b) => a.indexName.localeCompare(b.indexName)),
  };
}

export function queueShapeFromSpec(spec: QueueSpec): QueueShape {
  return {
    visibilityTimeoutSeconds: spec.visibilityTimeoutSeconds,
    retentionSeconds: spec.retentionDays * DAY,
    maxReceiveCount: spec.maxReceiveCount,
    deadLetterRetentionSeconds: spec.deadLetterRetentionDays * DAY,
  };
}

export function notificationShapeFromSpec(): NotificationShape {
  return { events: [...DEPOSIT_BUCKET_NOTIFICATION.events], prefix: DEPOSIT_BUCKET_NOTIFICATION.prefix, queue: DEPOSIT_BUCKET_NOTIFICATION.queue };
}

// ---- from a template ------------------------------------------------------------------------

export function tableShape(resource: Resource): TableShape {
  const props = resource.Properties ?? {};
  const keys = (list: CfnKey[]) => list.map((k) => ({ name: k.AttributeName, keyType: k.KeyType }));
  const attributes = (props.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]) ?? [];
  const indexes = (props.GlobalSecondaryIndexes as CfnIndex[] | undefined) ?? [];
  return {
    keySchema: keys(props.KeySchema as CfnKey[]),
    attributes: attributes.map((a) => ({ name: a.AttributeName, type: a.AttributeType })).sort(byName),
    indexes: indexes
      .map((i) => ({
        indexName: i.IndexName,
        keySchema: keys(i.KeySchema),
        projection: { type: i.Projection?.ProjectionType ?? 'ALL', attributes: [...(i.Projection?.NonKeyAttributes ?? [])].sort() },
      }))
      .sort((a, b) => a.indexName.localeCompare(b.indexName)),
  };
}

/** Every ledger table's shape, by its name in TABLES (construct id `Ledger/<Name>`). */
export function tableShapes(template: Template): Record<TableName, TableShape> {
  const entries = (Object.keys(TABLES) as TableName[]).map((name) => {
    const [, resource] = resourceByIdPrefix(template, 'AWS::DynamoDB::Table', `Ledger${pascal(name)}`);
    return [name, tableShape(resource)] as const;
  });
  return Object.fromEntries(entries) as Record<TableName, TableShape>;
}

/** Every queue's shape, by its name in QUEUES, following its redrive policy to its DLQ. */
export function queueShapes(template: Template): Record<QueueName, QueueShape> {
  const queues = resources(template, 'AWS::SQS::Queue');
  const entries = (Object.keys(QUEUES) as QueueName[]).map((name) => {
    const [, queue] = resourceByIdPrefix(template, 'AWS::SQS::Queue', `Queues${pascal(name)}`);
    const props = queue.Properties ?? {};
    const redrive = props.RedrivePolicy as { maxReceiveCount: number; deadLetterTargetArn: { 'Fn::GetAtt': [string, string] } };
    const dlqId = redrive.deadLetterTargetArn['Fn::GetAtt'][0];
    const dlq = queues[dlqId];
    if (!dlq) throw new Error(`queue ${name}: dead-letter target ${dlqId} is not in the template`);
    return [
      name,
      {
        visibilityTimeoutSeconds: props.VisibilityTimeout as number,
        retentionSeconds: props.MessageRetentionPeriod as number,
        maxReceiveCount: redrive.maxReceiveCount,
        deadLetterRetentionSeconds: dlq.Properties?.MessageRetentionPeriod as number,
      },
    ] as const;
  });
  return Object.fromEntries(entries) as Record<QueueName, QueueShape>;
}

/** The deposit bucket's queue notifications, with each target queue named as in QUEUES. */
export function notificationShapes(template: Template): NotificationShape[] {
  const queueNameById = new Map<string, QueueName>();
  for (const name of Object.keys(QUEUES) as QueueName[]) {
    queueNameById.set(resourceByIdPrefix(template, 'AWS::SQS::Queue', `Queues${pascal(name)}`)[0], name);
  }
  const notifications = Object.values(resources(template, 'Custom::S3BucketNotifications'));
  return notifications.flatMap((resource) => {
    const config = resource.Properties?.NotificationConfiguration as {
      QueueConfigurations?: {
        Events: string[];
        Filter?: { Key: { FilterRules: { Name: string; Value: string }[] } };
        QueueArn: { 'Fn::GetAtt': [string, string] };
      }[];
    };
    return (config.QueueConfigurations ?? []).map((q) => {
      const queue = queueNameById.get(q.QueueArn['Fn::GetAtt'][0]);
      if (!queue) throw new Error(`notification targets a queue not in QUEUES: ${q.QueueArn['Fn::GetAtt'][0]}`);
      const prefix = q.Filter?.Key.FilterRules.find((rule) => rule.Name.toLowerCase() === 'prefix')?.Value ?? '';
      return { events: q.Events, prefix, queue };
    });
  });
}
