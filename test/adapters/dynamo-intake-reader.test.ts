/** DynamoIntakeReader against a mocked DynamoDB: one BatchGetItem, parsed into what intake needs. */
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoIntakeReader } from '#adapters/dynamo-intake-reader.ts';
import { withAttempt } from '#domain/attempt.ts';
import { DEMO_ENTERPRISE, demoReport } from '#examples/demo.ts';

const db = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({ region: 'cn-north-1' }));
const reader = new DynamoIntakeReader(client, { registry: 'registry', deposits: 'deposits' });
const id = DEMO_ENTERPRISE.enterpriseId;
const scope = (period: string) => ({ enterpriseId: id, period, province: '江西', city: '南昌', industry: 'power' });
const summary = (attemptId: string, verdict: 'accepted' | 'returned') => ({
  attemptId,
  reportKey: `k/${attemptId}`,
  receivedAt: '2026-02-01T00:00:00Z',
  onTime: true,
  verdict,
  errors: 0,
  warnings: 0,
});
const acceptedRecord = (period: string, attemptId: string) =>
  withAttempt(undefined, scope(period), summary(attemptId, 'accepted'), {
    attemptId,
    receivedAt: '2026-02-01T00:00:00Z',
    report: demoReport(),
    evidence: [{ fileName: 'scan.pdf', sha256: attemptId }],
  });

beforeEach(() => db.reset());

describe('DynamoIntakeReader', () => {
  it('returns the registry entry, the month and the accepted earlier months, newest first', async () => {
    db.on(BatchGetCommand).resolves({
      Responses: {
        registry: [DEMO_ENTERPRISE],
        deposits: [
          acceptedRecord('2026-01', 'jan'),
          withAttempt(undefined, scope('2026-03'), summary('mar', 'returned')),
          withAttempt(undefined, scope('2025-12'), summary('dec', 'returned')),
          acceptedRecord('2026-02', 'feb'),
        ],
      },
    });

    const context = await reader.intakeContext(id, '2026-03', 12);

    expect(context.enterprise?.enterpriseId).toBe(id);
    expect(context.record?.attempts.map((a) => a.attemptId)).toEqual(['mar']);
    // December has no accepted attempt: it is no history.
    expect(context.history.map((m) => [m.period, m.attemptId])).toEqual([
      ['2026-02', 'feb'],
      ['2026-01', 'jan'],
    ]);
  });

  it('asks again for keys DynamoDB left unprocessed, and merges the answers', async () => {
    db.on(BatchGetCommand)
      .resolvesOnce({ Responses: { deposits: [acceptedRecord('2026-02', 'feb')] }, UnprocessedKeys: { registry: { Keys: [{ enterpriseId: id }] } } })
      .resolvesOnce({ Responses: { registry: [DEMO_ENTERPRISE] } });

    const context = await reader.intakeContext(id, '2026-03', 2);

    expect(db).toReceiveCommandTimes(BatchGetCommand, 2);
    expect(db.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems).toEqual({ registry: { Keys: [{ enterpriseId: id }] } });
    expect(context.enterprise?.enterpriseId).toBe(id);
    expect(context.history).toHaveLength(1);
  });

  it('gives nothing for an unregistered enterprise with no records', async () => {
    db.on(BatchGetCommand).resolves({ Responses: { registry: [], deposits: [] } });
    expect(await reader.intakeContext(id, '2026-03', 12)).toEqual({ history: [] });
  });
});
