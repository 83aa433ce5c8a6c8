/**
 * The inbox's side of the ledger with DynamoDB mocked: every write of a record carries its inbox
 * attributes (or drops them), and the byInbox reader pages, filters and counts by Query only.
 */
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoInbox } from '#adapters/dynamo-inbox.ts';
import { depositItemOf, DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { type Attempt, type EnterprisePeriod, summaryOf } from '#domain/attempt.ts';
import { summarise } from '#domain/issues.ts';
import { recordWithRuling } from '#domain/review.ts';

const db = mockClient(DynamoDBDocumentClient);
const tables = { deposits: 'deposits-table', attempts: 'attempts-table' };

const attempt: Attempt = {
  attemptId: 'a1b2c3d4e5f60718',
  enterpriseId: '91360100MA35XXXXXN',
  period: '2026-01',
  depositId: 'd1',
  reportKey: 'reports/91360100MA35XXXXXN/2026-01/d1/report.json',
  reportVersion: 'e1',
  receivedAt: '2026-03-01T02:00:00.000Z',
  timeliness: { lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'needs-review',
  validation: summarise([{ code: 'EVD-ATYPICAL-NCV', severity: 'warning', category: 'plausibility', message: { zh: '偏低', en: 'atypical' } }]),
  files: [],
  recordedAt: '2026-03-01T02:00:01.000Z',
};
const record: EnterprisePeriod = {
  enterpriseId: attempt.enterpriseId,
  period: '2026-01',
  province: '360000',
  city: '360100',
  industry: 'power',
  attempts: [summaryOf(attempt)],
  version: 1,
};
const escalation = {
  decisionId: 'e',
  reviewer: '南昌市审核员',
  reviewerId: 'reviewer-nanchang',
  fromLevel: 'city' as const,
  toLevel: 'province' as const,
  escalatedAt: '2026-03-02T00:00:00.000Z',
  comment: '请省级判断',
};
const decision = {
  decisionId: 'd',
  outcome: 'accept' as const,
  reviewer: '江西省审核员',
  reviewerId: 'reviewer-jiangxi',
  level: 'province' as const,
  decidedAt: '2026-03-03T00:00:00.000Z',
  comment: 'ok',
  issueComments: [],
};

const putItemOf = (call: number) => {
  const input = db.commandCalls(TransactWriteCommand)[call]?.args[0].input as { TransactItems: { Put?: { Item: Record<string, unknown> } }[] };
  return input.TransactItems[1]?.Put?.Item;
};

beforeEach(() => {
  db.reset();
});

describe('the ledger writes each record with its place in the inbox', () => {
  it("puts a new record that needs review into its city's inbox, in intake's transaction", async () => {
    db.on(TransactWriteCommand).resolves({});

    await new DynamoLedger(db as unknown as DynamoDBDocumentClient, tables).recordAttempt(attempt, record, undefined);

    expect(putItemOf(0)).toMatchObject({
      inbox: 'city#360100',
      inboxSince: `2026-03-01T02:00:00.000Z#${attempt.attemptId}`,
      inboxAttempt: { attemptId: attempt.attemptId, level: 'city', cityCode: '360100' },
      version: 1,
    });
  });

  it("moves it to the province's inbox with the escalation, and out of every inbox with the decision", async () => {
    db.on(TransactWriteCommand).resolves({});
    const ledger = new DynamoLedger(db as unknown as DynamoDBDocumentClient, tables);
    const escalated = recordWithRuling(record, attempt.attemptId, { kind: 'escalate', escalation });
    const decided = recordWithRuling(escalated, attempt.attemptId, { kind: 'decide', decision, verdict: 'accepted' });

    await ledger.recordRuling(attempt, { kind: 'escalate', escalation }, escalated, 1);
    await ledger.recordRuling({ ...attempt, escalation }, { kind: 'decide', decision, verdict: 'accepted' }, decided, 2);

    expect(putItemOf(0)).toMatchObject({ inbox: 'province#360000', inboxAttempt: { level: 'province', escalatedAt: escalation.escalatedAt } });
    // A Put replaces the item whole: without the attributes, the record leaves the sparse index.
    expect(putItemOf(1)).not.toHaveProperty('inbox');
    expect(putItemOf(1)).not.toHaveProperty('inboxSince');
    expect(putItemOf(1)).not.toHaveProperty('inboxAttempt');
  });

  it('writes no inbox attributes on a record accepted by the machine', () => {
    expect(depositItemOf({ ...record, attempts: [{ ...summaryOf(attempt), verdict: 'accepted', warnings: 0 }] })).not.toHaveProperty('inbox');
  });
});

describe('the inbox reader', () => {
  const item = (n: number) => ({
    enterpriseId: `E${n}`,
    period: '2026-01',
    province: '360000',
    city: '360100',
    industry: 'power',
    inbox: 'city#360100',
    inboxSince: `2026-03-0${n}T00:00:00.000Z#a${n}`,
    inboxAttempt: { attemptId: `a${n}`, cityCode: '360100' },
  });
  const inbox = () => new DynamoInbox(db as unknown as DynamoDBDocumentClient, 'deposits-table');

  it('ends a full page at its last row and starts the next one after it, though the Query read further', async () => {
    db.on(QueryCommand).resolves({ Items: [item(1), item(2), item(3)] });

    const page = await inbox().page({ inbox: 'city#360100', limit: 2 });

    expect(page.rows.map((r) => r.enterpriseId)).toEqual(['E1', 'E2']);
    expect(page.next).toEqual({ inboxSince: item(2).inboxSince, enterpriseId: 'E2', period: '2026-01' });
  });

  it('reads on while the filters leave the page short, and says there is no more at the end', async () => {
    db.on(QueryCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: { inbox: 'city#360100', inboxSince: 'x', enterpriseId: 'E0', period: '2026-01' } })
      .resolvesOnce({ Items: [item(1)] });

    const page = await inbox().page({ inbox: 'city#360100', limit: 2, enterpriseId: 'E1' });

    expect(page).toEqual({ rows: [expect.objectContaining({ enterpriseId: 'E1' })] });
    expect(db).toReceiveCommandTimes(QueryCommand, 2);
    expect(db).toReceiveCommandWith(QueryCommand, { ExclusiveStartKey: { inbox: 'city#360100', inboxSince: 'x', enterpriseId: 'E0', period: '2026-01' } });
  });

  it('counts a whole inbox by city over every page, reading only the city', async () => {
    db.on(QueryCommand)
      .resolvesOnce({ Items: [{ inboxAttempt: { cityCode: '360100' } }, { inboxAttempt: { cityCode: '360400' } }], LastEvaluatedKey: { k: 1 } })
      .resolvesOnce({ Items: [{ inboxAttempt: { cityCode: '360100' } }] });

    const counts = await inbox().countsByCity('province#360000');

    expect([...counts]).toEqual([
      ['360100', 2],
      ['360400', 1],
    ]);
    expect(db).toReceiveCommandWith(QueryCommand, { IndexName: 'byInbox', ProjectionExpression: 'inboxAttempt.cityCode' });
  });
});
