/**
 * A twin data dir kept from before the reviewers' inbox: its deposits table gains the byInbox
 * index at start, and its records awaiting review are put into the inbox, on DynamoDB Local.
 */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { TABLES } from '#resources/specs.ts';
import { addMissingIndexes, createTableInput } from '#twin/provision.ts';
import { backfillInbox } from '#twin/recover.ts';
import { uniqueEnterpriseId, useTwin } from '../support/twin.ts';

const twin = useTwin();

describe('a data dir from before the inbox', () => {
  it('gets the indexes added since, once', async () => {
    const name = `legacy-deposits-${Date.now()}`;
    const older = { ...TABLES.deposits, indexes: TABLES.deposits.indexes.filter((i) => i.indexName !== 'byInbox') };
    await twin.clients.dynamodb.send(new CreateTableCommand(createTableInput(name, older)));
    try {
      expect(await addMissingIndexes(twin.clients.dynamodb, name, TABLES.deposits)).toEqual(['byInbox']);
      const { Table } = await twin.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['byInbox', 'byPeriod']);
      expect(await addMissingIndexes(twin.clients.dynamodb, name, TABLES.deposits)).toEqual([]);
    } finally {
      await twin.clients.dynamodb.send(new DeleteTableCommand({ TableName: name }));
    }
  });

  it('puts a month awaiting review into its city’s inbox, and leaves a decided month out', async () => {
    const table = twin.resources.tables.deposits;
    const summary = (verdict: string, extra: Record<string, unknown> = {}) => ({
      attemptId: `a${Math.random().toString(16).slice(2, 10)}`,
      reportKey: 'reports/x/2022-02/d1/report.csv',
      receivedAt: '2022-03-01T02:00:00.000Z',
      onTime: true,
      verdict,
      errors: 0,
      warnings: 1,
      ...extra,
    });
    const waiting = {
      enterpriseId: uniqueEnterpriseId(),
      period: '2022-02',
      province: '江西',
      city: '南昌',
      industry: 'power',
      attempts: [summary('needs-review')],
      version: 3,
    };
    const decided = {
      ...waiting,
      enterpriseId: uniqueEnterpriseId(),
      attempts: [summary('accepted', { decidedAt: '2022-03-02T00:00:00.000Z', machineVerdict: 'needs-review' })],
    };
    for (const item of [waiting, decided]) await twin.clients.db.send(new PutCommand({ TableName: table, Item: item }));

    expect(await backfillInbox(twin.clients, twin.resources)).toBeGreaterThanOrEqual(1);

    const inbox = await twin.clients.db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'byInbox',
        KeyConditionExpression: 'inbox = :inbox',
        ExpressionAttributeValues: { ':inbox': 'city#360100' },
      }),
    );
    const ids = (inbox.Items ?? []).map((item) => item.enterpriseId);
    expect(ids).toContain(waiting.enterpriseId);
    expect(ids).not.toContain(decided.enterpriseId);
    const stored = await twin.clients.db.send(new GetCommand({ TableName: table, Key: { enterpriseId: waiting.enterpriseId, period: '2022-02' } }));
    // The record itself is untouched: same version, same attempts.
    expect(stored.Item).toMatchObject({ version: 3, attempts: waiting.attempts, inboxSince: `2022-03-01T02:00:00.000Z#${waiting.attempts[0]?.attemptId}` });
    expect(await backfillInbox(twin.clients, twin.resources)).toBe(0);
  });
});
