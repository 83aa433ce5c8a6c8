/**
 * The twin's resources, as the emulators report them, against the shared definitions the CDK
 * stack is built from (test/infra/ checks the synthesized template against the same ones).
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { QUEUES, type QueueName, TABLES, type TableName } from '#resources/specs.ts';
import { createTableInput } from '#twin/provision.ts';
import { useTwin } from '../support/twin.ts';

const twin = useTwin();
const byName = <T extends { AttributeName?: string; IndexName?: string }>(a: T, b: T) =>
  (a.AttributeName ?? a.IndexName ?? '').localeCompare(b.AttributeName ?? b.IndexName ?? '');

describe('the twin matches the shared resource definitions', () => {
  it.each(Object.keys(TABLES) as TableName[])('table %s has the keys and indexes of its definition', async (name) => {
    const { Table } = await twin.clients.dynamodb.send(new DescribeTableCommand({ TableName: twin.resources.tables[name] }));
    const expected = createTableInput(name, TABLES[name]);

    expect(Table?.KeySchema).toEqual(expected.KeySchema);
    expect([...(Table?.AttributeDefinitions ?? [])].sort(byName)).toEqual([...(expected.AttributeDefinitions ?? [])].sort(byName));
    expect(
      (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })).sort(byName),
    ).toEqual((expected.GlobalSecondaryIndexes ?? []).map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })).sort(byName));
  });

  it.each(Object.keys(QUEUES) as QueueName[])('queue %s has the timeouts and redrive policy of its definition', async (name) => {
    const handle = twin.resources.queues[name];
    const { Attributes = {} } = await twin.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: handle.url, AttributeNames: ['All'] }));

    expect(Number(Attributes.VisibilityTimeout)).toBe(QUEUES[name].visibilityTimeoutSeconds);
    expect(Number(Attributes.MessageRetentionPeriod)).toBe(QUEUES[name].retentionDays * 86_400);
    expect(JSON.parse(Attributes.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: handle.deadLetterArn, maxReceiveCount: QUEUES[name].maxReceiveCount });
  });
});
