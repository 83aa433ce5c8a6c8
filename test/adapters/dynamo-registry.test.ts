/** The registry adapter writes in batches of 25 and says how far it has got (the import's progress). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { demoEnterprises } from '#twin/demo.ts';

const db = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  db.reset();
});

describe('writing the registry', () => {
  it('writes 60 entries in three batches and reports 25, 50 and 60 written, retrying what was left unprocessed', async () => {
    const enterprises = demoEnterprises(60, '2024-01');
    let calls = 0;
    db.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => {
      calls++;
      // The first request leaves one item unprocessed, as DynamoDB does under load.
      const items = input.RequestItems.registry ?? [];
      return calls === 1 ? { UnprocessedItems: { registry: items.slice(0, 1) } } : {};
    });
    const progress: [number, number][] = [];

    await new DynamoRegistry(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' })), 'registry').putAll(enterprises, (done, total) =>
      progress.push([done, total]),
    );

    expect(progress).toEqual([
      [25, 60],
      [50, 60],
      [60, 60],
    ]);
    expect(db).toReceiveCommandTimes(BatchWriteCommand, 4);
  });
});
