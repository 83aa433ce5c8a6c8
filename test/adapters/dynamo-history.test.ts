import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoHistory } from '#adapters/dynamo-history.ts';
import { demoReport } from '../../examples/demo.ts';

const db = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));

const attempt = (period: string, attemptId: string, receivedAt: string, verdict = 'accepted') => ({
  enterpriseId: '91360100MA35XXXXXN',
  attemptRef: `${period}#${attemptId}`,
  attemptId,
  period,
  receivedAt,
  verdict,
  report: demoReport(period),
  files: [
    { role: 'report', key: `reports/x/${period}/d/r.csv`, fileName: 'r.csv', size: 10, sha256: 'a'.repeat(64) },
    { role: 'evidence', key: `evidence/x/${period}/d/s.pdf`, fileName: 's.pdf', size: 10, sha256: 'b'.repeat(64) },
  ],
});

describe('DynamoHistory', () => {
  beforeEach(() => db.reset());

  it('queries one enterprise by a key range over the look-back window, keeping accepted attempts only', async () => {
    // Prepare
    db.on(QueryCommand).resolves({ Items: [] });
    // Act
    await new DynamoHistory(client, 'attempts').acceptedMonths('91360100MA35XXXXXN', '2026-03', 12);
    // Assess
    expect(db).toReceiveCommandWith(QueryCommand, {
      TableName: 'attempts',
      KeyConditionExpression: '#enterpriseId = :enterpriseId AND #attemptRef BETWEEN :from AND :to',
      FilterExpression: '#verdict IN (:v0)',
      ExpressionAttributeValues: { ':enterpriseId': '91360100MA35XXXXXN', ':from': '2025-03#', ':to': '2026-02#~', ':v0': 'accepted' },
    });
  });

  it('follows pages and keeps the latest accepted attempt per period, newest period first, with its evidence hashes', async () => {
    // Prepare
    db.on(QueryCommand)
      .resolvesOnce({ Items: [attempt('2026-01', 'a1', '2026-02-05T00:00:00Z'), attempt('2026-02', 'b1', '2026-03-02T00:00:00Z')], LastEvaluatedKey: { enterpriseId: 'x', attemptRef: '2026-02#b1' } })
      .resolvesOnce({ Items: [attempt('2026-02', 'b2', '2026-03-09T00:00:00Z')] });
    // Act
    const months = await new DynamoHistory(client, 'attempts').acceptedMonths('91360100MA35XXXXXN', '2026-03', 12);
    // Assess
    expect(db).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(months.map((m) => [m.period, m.attemptId])).toEqual([['2026-02', 'b2'], ['2026-01', 'a1']]);
    expect(months[0]?.evidence).toEqual([{ fileName: 's.pdf', sha256: 'b'.repeat(64) }]);
    expect(months[0]?.report.units).toHaveLength(3);
  });

  it('skips attempts recorded without a parsed report', async () => {
    const { report: _report, ...withoutReport } = attempt('2026-02', 'c1', '2026-03-02T00:00:00Z');
    db.on(QueryCommand).resolves({ Items: [withoutReport] });
    expect(await new DynamoHistory(client, 'attempts').acceptedMonths('91360100MA35XXXXXN', '2026-03', 3)).toEqual([]);
  });
});
