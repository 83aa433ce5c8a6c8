/**
 * review with DynamoDB and SQS mocked, built by makeHandler from its configuration and clients,
 * called as API Gateway's JWT authorizer hands it requests (test/support/api-events.ts): what the
 * handler asks of them for a decision, an attempt and the inbox, who is answered what, and how it
 * answers refusals, replays, races and faults.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler, ReviewConfigSchema, reviewDeps } from '#functions/review/make-handler.ts';
import { createAwsClients } from '#lambda/clients.ts';
import { loadConfig } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { type Attempt, type EnterprisePeriod, summaryOf } from '#domain/attempt.ts';
import { summarise } from '#domain/issues.ts';
import { apiGatewayEvent, asAccount, type Caller } from '../support/api-events.ts';

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const context = { functionName: 'review', awsRequestId: 'r1' } as Context;
const REVIEW_QUEUE = 'https://sqs.cn-north-1.amazonaws.com.cn/1/review';

const validation = summarise([
  {
    code: 'EVD-ATYPICAL-NCV',
    severity: 'warning',
    category: 'plausibility',
    unitId: '1',
    field: 'ncvAsReceived',
    message: { zh: '偏低', en: 'atypical' },
  },
]);
const attempt: Attempt = {
  attemptId: 'a1b2c3d4e5f60718',
  enterpriseId: '91360100MA35XXXX1X',
  period: '2026-01',
  depositId: 'd1',
  reportKey: 'reports/91360100MA35XXXX1X/2026-01/d1/report.json',
  reportVersion: 'e1',
  receivedAt: '2026-03-01T02:00:00.000Z',
  timeliness: {
    lastDay: '2026-03-12',
    dueAt: '2026-03-12T16:00:00.000Z',
    onTime: true,
    lateBySeconds: 0,
  },
  verdict: 'needs-review',
  validation,
  files: [
    {
      role: 'evidence',
      key: 'evidence/91360100MA35XXXX1X/2026-01/d1/lab.pdf',
      fileName: '化验报告.pdf',
      size: 10,
      sha256: 'ab',
      versionId: 'v3',
      contentType: 'application/pdf',
    },
  ],
  recordedAt: '2026-03-01T02:00:01.000Z',
};
const record: EnterprisePeriod = {
  enterpriseId: attempt.enterpriseId,
  period: '2026-01',
  province: '江西',
  city: '南昌',
  industry: 'power',
  attempts: [summaryOf(attempt)],
  version: 1,
};
const attemptKey = {
  enterpriseId: attempt.enterpriseId,
  attemptRef: `2026-01#${attempt.attemptId}`,
};

const config = loadConfig(ReviewConfigSchema, {
  DEPOSITS_TABLE: 'deposits-table',
  ATTEMPTS_TABLE: 'attempts-table',
  REVIEW_QUEUE_URL: REVIEW_QUEUE,
  DEPOSIT_BUCKET: 'deposit-bucket',
  REGISTRY_TABLE: 'registry-table',
});
const clients = createAwsClients({ region: 'cn-north-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const handler = makeHandler(reviewDeps(config, clients), observability('review')) as (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const NANCHANG = asAccount('reviewer-nanchang');

function post(body: unknown, caller: Caller = NANCHANG): APIGatewayProxyEventV2 {
  return apiGatewayEvent({ routeKey: 'POST /attempts/{attemptId}/decision', params: { attemptId: attempt.attemptId }, body, caller });
}

function get(attemptId: string, caller: Caller = NANCHANG): APIGatewayProxyEventV2 {
  return apiGatewayEvent({ routeKey: 'GET /attempts/{attemptId}', params: { attemptId }, caller });
}

function inbox(query: Record<string, string> = {}, caller: Caller = NANCHANG): APIGatewayProxyEventV2 {
  return apiGatewayEvent({ routeKey: 'GET /inbox', ...(Object.keys(query).length > 0 ? { query } : {}), caller });
}

function stored(current: Attempt = attempt, currentRecord: EnterprisePeriod = record) {
  // The month's decisions (GET /attempts) and any other Query: none, unless a test says.
  db.on(QueryCommand).resolves({ Items: [] });
  db.on(QueryCommand, { IndexName: 'byAttemptId' }).resolves({
    Items: [attemptKey],
  });
  db.on(GetCommand, { TableName: 'attempts-table' }).resolves({
    Item: { ...current, ...attemptKey },
  });
  db.on(GetCommand, { TableName: 'deposits-table' }).resolves({
    Item: currentRecord,
  });
  db.on(BatchGetCommand).resolves({ Responses: { 'registry-table': [{ enterpriseId: attempt.enterpriseId, name: '南昌测试电厂' }] } });
}

const bodyOf = (reply: APIGatewayProxyStructuredResultV2) => JSON.parse(reply.body ?? '{}') as Record<string, unknown>;

beforeEach(() => {
  db.reset();
  sqs.reset();
});

describe('POST /attempts/{attemptId}/decision', () => {
  it('stores an accept on the attempt and its record in one conditional transaction and answers 201', async () => {
    stored();
    db.on(TransactWriteCommand).resolves({});

    const reply = await handler(
      post({
        outcome: 'accept',
        reviewer: 'li.wei',
        comment: 'lab report confirms the coal',
      }),
      context,
    );

    expect(reply.statusCode).toBe(201);
    expect(bodyOf(reply)).toMatchObject({
      status: 'recorded',
      verdict: 'accepted',
      attemptNumber: 1,
      decision: { outcome: 'accept', reviewer: '南昌市审核员', reviewerId: 'reviewer-nanchang', level: 'city' },
    });
    expect(db).toReceiveCommandWith(TransactWriteCommand, {
      TransactItems: [
        expect.objectContaining({
          Update: expect.objectContaining({
            TableName: 'attempts-table',
            Key: attemptKey,
            ConditionExpression: expect.stringContaining('attribute_not_exists(#decision)'),
          }),
        }),
        expect.objectContaining({
          Put: expect.objectContaining({
            TableName: 'deposits-table',
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': 1 },
            Item: expect.objectContaining({
              version: 2,
              attempts: [expect.objectContaining({ verdict: 'accepted' })],
            }),
          }),
        }),
      ],
    });
  });

  it("records the token's reviewer and level, whatever the body claims", async () => {
    stored();
    db.on(TransactWriteCommand).resolves({});

    const reply = await handler(post({ outcome: 'accept', reviewer: 'someone.else', level: 'province', comment: 'ok' }), context);

    expect(reply.statusCode).toBe(201);
    expect(bodyOf(reply)).toMatchObject({
      decision: { reviewer: '南昌市审核员', reviewerId: 'reviewer-nanchang', level: 'city' },
    });
  });

  it('answers a reviewer of another city 404, as if there were no such attempt, and writes nothing', async () => {
    stored();

    const reply = await handler(post({ outcome: 'accept', comment: 'ok' }, asAccount('reviewer-jiujiang')), context);

    expect(reply.statusCode).toBe(404);
    expect(bodyOf(reply)).toMatchObject({ error: 'not-found' });
    expect(db).not.toReceiveCommand(TransactWriteCommand);
  });

  it('refuses a provincial reviewer an attempt still at city level with 403 and the plain reason', async () => {
    stored();

    const reply = await handler(post({ outcome: 'accept', comment: 'ok' }, asAccount('reviewer-jiangxi')), context);

    expect(reply.statusCode).toBe(403);
    expect(bodyOf(reply)).toEqual({ error: 'forbidden', message: expect.stringContaining('a provincial reviewer decides only escalated attempts') });
    expect(db).not.toReceiveCommand(TransactWriteCommand);
  });

  it('refuses an enterprise, a department and a request without a token before reading anything', async () => {
    const replies = await Promise.all([
      handler(post({ outcome: 'accept', comment: 'ok' }, asAccount('clerk')), context),
      handler(post({ outcome: 'accept', comment: 'ok' }, asAccount('dept-nanchang')), context),
      handler(post({ outcome: 'accept', comment: 'ok' }, 'anonymous'), context),
    ]);

    expect(replies.map((r) => r.statusCode)).toEqual([403, 403, 401]);
    expect(db).not.toReceiveCommand(QueryCommand);
  });

  it('refuses a second decision with 409, naming the first, and writes nothing', async () => {
    const decision = {
      decisionId: 'x',
      outcome: 'return' as const,
      reviewer: 'wang.fang',
      level: 'city' as const,
      decidedAt: '2026-03-15T01:00:00.000Z',
      comment: '补充化验报告',
      issueComments: [],
    };
    stored({ ...attempt, verdict: 'returned', decision });

    const reply = await handler(post({ outcome: 'accept', reviewer: 'li.wei', comment: 'ok' }), context);

    expect(reply.statusCode).toBe(409);
    expect(bodyOf(reply)).toEqual({
      error: 'already-decided',
      message: expect.stringContaining('already returned by wang.fang (city)'),
    });
    expect(db).not.toReceiveCommand(TransactWriteCommand);
  });

  it('answers a redelivered request with the stored decision (200), not a refusal', async () => {
    const decision = {
      decisionId: 'client-key-1',
      outcome: 'accept' as const,
      reviewer: 'li.wei',
      level: 'city' as const,
      decidedAt: '2026-03-15T01:00:00.000Z',
      comment: 'ok',
      issueComments: [],
    };
    stored({ ...attempt, verdict: 'accepted', decision });

    const reply = await handler(
      post({
        outcome: 'accept',
        reviewer: 'li.wei',
        comment: 'ok',
        decisionId: 'client-key-1',
      }),
      context,
    );

    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toMatchObject({
      status: 'replayed',
      decision: { decidedAt: '2026-03-15T01:00:00.000Z' },
    });
    expect(db).not.toReceiveCommand(TransactWriteCommand);
  });

  it('loses a race to a concurrent decision cleanly: re-reads and refuses with the winner named', async () => {
    const winner = {
      decisionId: 'w',
      outcome: 'return' as const,
      reviewer: 'wang.fang',
      level: 'city' as const,
      decidedAt: '2026-03-15T01:00:00.000Z',
      comment: 'no',
      issueComments: [],
    };
    db.on(QueryCommand).resolves({ Items: [attemptKey] });
    db.on(GetCommand, { TableName: 'attempts-table' })
      .resolvesOnce({ Item: attempt })
      .resolves({
        Item: { ...attempt, verdict: 'returned', decision: winner },
      });
    db.on(GetCommand, { TableName: 'deposits-table' }).resolves({
      Item: record,
    });
    db.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    const reply = await handler(post({ outcome: 'accept', reviewer: 'li.wei', comment: 'ok' }), context);

    expect(reply.statusCode).toBe(409);
    expect(bodyOf(reply).message).toContain('wang.fang');
  });

  it('escalates: stores the escalation, re-queues the attempt for the province, and notes it is queued', async () => {
    stored();
    db.on(TransactWriteCommand).resolves({});
    db.on(UpdateCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });

    const reply = await handler(
      post({
        outcome: 'escalate',
        reviewer: 'li.wei',
        comment: 'province lab expert please',
      }),
      context,
    );

    expect(reply.statusCode).toBe(201);
    expect(bodyOf(reply)).toMatchObject({
      verdict: 'needs-review',
      escalation: { fromLevel: 'city', toLevel: 'province' },
    });
    expect(sqs).toReceiveCommandWith(SendMessageCommand, {
      QueueUrl: REVIEW_QUEUE,
      MessageBody: expect.stringContaining('"level":"province"'),
    });
    expect(db).toReceiveCommandWith(UpdateCommand, {
      TableName: 'attempts-table',
      UpdateExpression: 'SET escalationQueuedAt = :at',
    });
  });

  it('refuses a return without any comment with 422 and the reason', async () => {
    stored();

    const reply = await handler(post({ outcome: 'return', reviewer: 'li.wei' }), context);

    expect(reply.statusCode).toBe(422);
    expect(bodyOf(reply).error).toBe('comment-required');
  });

  it('rejects an unknown outcome with 400', async () => {
    expect(bodyOf(await handler(post({ outcome: 'approve' }), context))).toMatchObject({ error: 'bad-request', message: expect.stringContaining('outcome') });
  });

  it('answers a fault with 500 and no internals, so the caller retries', async () => {
    db.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException: secret table detail'));

    const reply = await handler(post({ outcome: 'accept', reviewer: 'li.wei', comment: 'ok' }), context);

    expect(reply.statusCode).toBe(500);
    expect(reply.body).not.toContain('secret');
  });
});

describe('GET /attempts/{attemptId}', () => {
  it('shows the attempt with its number and whether a later attempt supersedes it', async () => {
    const later = {
      ...summaryOf(attempt),
      attemptId: 'ffff000011112222',
      receivedAt: '2026-03-02T00:00:00.000Z',
    };
    stored(attempt, {
      ...record,
      attempts: [summaryOf(attempt), later],
      version: 2,
    });

    const reply = await handler(get(attempt.attemptId), context);

    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toMatchObject({
      attemptNumber: 1,
      attempts: 2,
      supersededBy: 'ffff000011112222',
      attempt: { attemptId: attempt.attemptId, verdict: 'needs-review' },
    });
  });

  it('links each file to the version the attempt recorded, as a download of its detected type, and lists the month', async () => {
    stored();
    db.on(QueryCommand, { TableName: 'attempts-table', KeyConditionExpression: 'enterpriseId = :e AND begins_with(attemptRef, :p)' }).resolves({
      Items: [{ attemptId: attempt.attemptId }],
    });

    const reply = await handler(get(attempt.attemptId), context);
    const body = bodyOf(reply) as { files: { url: string }[]; history: unknown[]; enterpriseName: string };
    const url = new URL(body.files[0]?.url ?? '');

    expect(reply.statusCode).toBe(200);
    expect(body.enterpriseName).toBe('南昌测试电厂');
    expect(body.history).toEqual([expect.objectContaining({ attempt: 1, attemptId: attempt.attemptId, verdict: 'needs-review' })]);
    expect(url.pathname).toContain('/evidence/91360100MA35XXXX1X/2026-01/d1/lab.pdf');
    expect(url.searchParams.get('versionId')).toBe('v3');
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(url.searchParams.get('response-content-disposition')).toContain('attachment');
  });

  it.each([
    ['another city’s reviewer', 'reviewer-jiujiang'],
    ['another province’s department', 'dept-hunan'],
    ['another enterprise', 'clerk-jiujiang'],
  ])('answers %s 404, as if there were no such attempt', async (_, username) => {
    stored();

    const reply = await handler(get(attempt.attemptId, asAccount(username)), context);

    expect(reply.statusCode).toBe(404);
    expect(reply.body).not.toContain('化验报告');
  });

  it('answers 404 for an attempt nobody recorded', async () => {
    db.on(QueryCommand).resolves({ Items: [] });

    expect((await handler(get('0000000000000000'), context)).statusCode).toBe(404);
  });
});

describe('GET /inbox', () => {
  const waiting = {
    enterpriseId: attempt.enterpriseId,
    period: '2026-01',
    province: '360000',
    city: '360100',
    industry: 'power',
    inbox: 'city#360100',
    inboxSince: `2026-03-01T02:00:00.000Z#${attempt.attemptId}`,
    inboxAttempt: {
      attemptId: attempt.attemptId,
      attempt: 1,
      receivedAt: '2026-03-01T02:00:00.000Z',
      onTime: true,
      verdict: 'needs-review',
      errors: 0,
      warnings: 1,
      level: 'city',
      cityCode: '360100',
    },
  };

  it("reads the caller's city inbox from the byInbox index, oldest first, with the filters as a FilterExpression", async () => {
    db.on(QueryCommand, { IndexName: 'byInbox', ProjectionExpression: 'inboxAttempt.cityCode' }).resolves({
      Items: [{ inboxAttempt: { cityCode: '360100' } }],
    });
    db.on(QueryCommand, { IndexName: 'byInbox', Limit: 100 }).resolves({ Items: [waiting] });
    db.on(BatchGetCommand).resolves({ Responses: { 'registry-table': [{ enterpriseId: attempt.enterpriseId, name: '南昌测试电厂' }] } });

    const reply = await handler(inbox({ late: 'false', severity: 'warnings', period: '2026-01' }), context);

    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toEqual({
      inbox: { level: 'city', jurisdiction: '360100' },
      items: [
        {
          attemptId: attempt.attemptId,
          attempt: 1,
          enterpriseId: attempt.enterpriseId,
          enterpriseName: '南昌测试电厂',
          period: '2026-01',
          province: '360000',
          city: '360100',
          cityCode: '360100',
          industry: 'power',
          receivedAt: '2026-03-01T02:00:00.000Z',
          onTime: true,
          verdict: 'needs-review',
          errors: 0,
          warnings: 1,
          level: 'city',
        },
      ],
      counts: { total: 1, byCity: { '360100': 1 } },
    });
    expect(db).toReceiveCommandWith(QueryCommand, {
      TableName: 'deposits-table',
      IndexName: 'byInbox',
      KeyConditionExpression: 'inbox = :inbox',
      FilterExpression: '#period = :period AND inboxAttempt.warnings > :none AND inboxAttempt.onTime = :onTime',
      ExpressionAttributeValues: { ':inbox': 'city#360100', ':period': '2026-01', ':none': 0, ':onTime': true },
    });
  });

  it("reads a provincial reviewer's province inbox, narrowed to a city they name", async () => {
    db.on(QueryCommand).resolves({ Items: [] });

    const reply = await handler(inbox({ city: '南昌' }, asAccount('reviewer-jiangxi')), context);

    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toMatchObject({ inbox: { level: 'province', jurisdiction: '360000' }, items: [], counts: { total: 0, byCity: {} } });
    expect(db).toReceiveCommandWith(QueryCommand, {
      IndexName: 'byInbox',
      FilterExpression: 'inboxAttempt.cityCode = :city',
      ExpressionAttributeValues: { ':inbox': 'province#360000', ':city': '360100' },
    });
  });

  it('hands out a cursor for a full page and starts the next page after it', async () => {
    db.on(QueryCommand).resolves({
      Items: [waiting],
      LastEvaluatedKey: { inbox: 'city#360100', inboxSince: waiting.inboxSince, enterpriseId: waiting.enterpriseId, period: '2026-01' },
    });
    db.on(QueryCommand, { ProjectionExpression: 'inboxAttempt.cityCode' }).resolves({ Items: [] });
    db.on(BatchGetCommand).resolves({ Responses: {} });

    const first = bodyOf(await handler(inbox({ limit: '1' }), context));
    const cursor = String(first.cursor);
    await handler(inbox({ limit: '1', cursor }), context);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(db).toReceiveCommandWith(QueryCommand, {
      IndexName: 'byInbox',
      ExclusiveStartKey: { inbox: 'city#360100', inboxSince: waiting.inboxSince, enterpriseId: waiting.enterpriseId, period: '2026-01' },
    });
  });

  it.each([
    ['a city outside the jurisdiction', { city: '360400' }, 403],
    ['a place that is no city', { city: 'nowhere' }, 400],
    ['a severity it does not know', { severity: 'infos' }, 400],
    ['a limit over 200', { limit: '201' }, 400],
    ['a cursor it did not give', { cursor: 'abc' }, 400],
    ['a period that is no month', { period: '2026-13' }, 400],
  ])('answers %s with %i', async (_, query, status) => {
    db.on(QueryCommand).resolves({ Items: [] });

    expect((await handler(inbox(query), context)).statusCode).toBe(status);
  });

  it('refuses anyone but a reviewer with 403', async () => {
    const replies = await Promise.all(['clerk', 'dept-jiangxi', 'admin'].map((u) => handler(inbox({}, asAccount(u)), context)));

    expect(replies.map((r) => r.statusCode)).toEqual([403, 403, 403]);
  });
});

describe('what a caller may send', () => {
  /** The parts of DynamoDB's limits a decision can run into: 400 KB per item, 2,048 bytes per partition key. */
  function dynamoLike() {
    db.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => {
      const id = String(input.ExpressionAttributeValues[':a']);
      if (id === '' || Buffer.byteLength(id) > 2048)
        throw Object.assign(new Error('One or more parameter values are not valid'), { name: 'ValidationException' });
      return { Items: id === attempt.attemptId ? [attemptKey] : [] };
    });
    db.on(GetCommand, { TableName: 'attempts-table' }).resolves({
      Item: { ...attempt, ...attemptKey },
    });
    db.on(GetCommand, { TableName: 'deposits-table' }).resolves({
      Item: record,
    });
    db.on(TransactWriteCommand).callsFake((input: { TransactItems: { Update?: { ExpressionAttributeValues: object } }[] }) => {
      const values = input.TransactItems[0]?.Update?.ExpressionAttributeValues;
      if (Buffer.byteLength(JSON.stringify({ ...attempt, ...values })) > 400 * 1024)
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ValidationError', Message: 'Item size has exceeded the maximum allowed size' }, { Code: 'None' }],
        });
      return {};
    });
    db.on(UpdateCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
  }

  function postTo(attemptId: string, body: unknown): APIGatewayProxyEventV2 {
    return apiGatewayEvent({ routeKey: 'POST /attempts/{attemptId}/decision', params: { attemptId }, body, caller: NANCHANG });
  }

  it('refuses a comment over 2,000 characters with 400, saying the limit in Chinese and English, and writes nothing', async () => {
    dynamoLike();

    const reply = await handler(post({ outcome: 'accept', reviewer: 'li.wei', comment: '查'.repeat(2_001) }), context);

    expect(reply.statusCode).toBe(400);
    expect(bodyOf(reply)).toEqual({
      error: 'bad-request',
      message: expect.stringMatching(/意见最多 2000 个字符.*a comment is at most 2,000 characters/),
    });
    expect(db).not.toReceiveCommand(TransactWriteCommand);
  });

  it('answers 400, not 500, if DynamoDB still finds the attempt item too large for the decision', async () => {
    stored();
    db.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ValidationError', Message: 'Item size to update has exceeded the maximum allowed size' }, { Code: 'None' }],
      }),
    );

    const reply = await handler(post({ outcome: 'accept', reviewer: 'li.wei', comment: 'ok' }), context);

    expect(reply.statusCode).toBe(400);
    expect(bodyOf(reply)).toMatchObject({
      error: 'too-long',
      message: expect.stringMatching(/意见过长.*too long/),
    });
  });

  it('stores a comment of exactly 2,000 characters', async () => {
    dynamoLike();

    const reply = await handler(post({ outcome: 'accept', reviewer: 'li.wei', comment: '查'.repeat(2_000) }), context);

    expect(reply.statusCode).toBe(201);
  });

  it.each([
    ['a 500,000-character comment', attempt.attemptId, { outcome: 'accept', reviewer: 'li.wei', comment: '查'.repeat(500_000) }],
    [
      '200 issue comments of 2,000 characters each',
      attempt.attemptId,
      {
        outcome: 'accept',
        reviewer: 'li.wei',
        comment: 'ok',
        issueComments: Array.from({ length: 200 }, () => ({ code: 'EVD-ATYPICAL-NCV', comment: '查'.repeat(2_000) })),
      },
    ],
    ['an attempt id longer than any key', 'a'.repeat(3_000), { outcome: 'accept', reviewer: 'li.wei', comment: 'ok' }],
  ])('answers %s with 400, not a 500 that says retry', async (_, attemptId, body) => {
    dynamoLike();

    const reply = await handler(postTo(attemptId, body), context);

    expect(reply.statusCode).toBe(400);
    expect(bodyOf(reply).message).toMatch(/[\u4e00-\u9fff].*\/ [a-z]/);
  });

  it('answers a malformed escape in the path with 400 when no router decoded it', async () => {
    dynamoLike();
    const event = post({ outcome: 'accept', reviewer: 'li.wei', comment: 'ok' });

    const reply = await handler(
      {
        ...event,
        rawPath: '/attempts/%E0%A4%A/decision',
        pathParameters: {},
        requestContext: { ...event.requestContext, http: { ...event.requestContext.http, path: '/attempts/%E0%A4%A/decision' } },
      },
      context,
    );

    expect(reply.statusCode).toBe(400);
  });

  it('answers nothing a caller sends with a 500', async () => {
    const decisionLike = fc.record(
      {
        outcome: fc.constantFrom('accept', 'return', 'escalate', 'approve'),
        reviewer: fc.string({ maxLength: 300 }),
        level: fc.constantFrom('city', 'province', 'nation'),
        comment: fc.oneof(
          fc.string({ maxLength: 3_000, unit: 'binary' }),
          fc.nat({ max: 300_000 }).map((length) => '查'.repeat(length)),
        ),
        issueComments: fc.array(
          fc.record(
            { code: fc.constantFrom('EVD-ATYPICAL-NCV', ''), unitId: fc.constantFrom('1', '2'), comment: fc.string({ maxLength: 50 }) },
            { requiredKeys: ['code', 'comment'] },
          ),
          { maxLength: 3 },
        ),
        decisionId: fc.string({ maxLength: 200 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), decisionLike), async (body) => {
        db.reset();
        sqs.reset();
        dynamoLike();
        const reply = await handler(post(body), context);
        expect(reply.statusCode).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the HTTP boundary', () => {
  it('marks every reply no-store: a decision, a refusal, a bad request, an unknown attempt and a fault', async () => {
    stored();
    db.on(TransactWriteCommand).resolves({});
    const created = await handler(post({ outcome: 'accept', reviewer: 'li.wei', comment: 'ok' }), context);
    const refusedReturn = await handler(post({ outcome: 'return', reviewer: 'li.wei' }), context);
    const invalid = await handler(post({ outcome: 'approve' }), context);
    db.reset();
    db.on(QueryCommand).resolves({ Items: [] });
    const unknown = await handler(get('0000000000000000'), context);
    db.on(QueryCommand).rejects(new Error('throttled'));
    const fault = await handler(get(attempt.attemptId), context);

    const replies = [created, refusedReturn, invalid, unknown, fault];
    expect(replies.map((r) => r.statusCode)).toEqual([201, 422, 400, 404, 500]);
    for (const reply of replies)
      expect(reply.headers).toMatchObject({
        'cache-control': 'no-store',
        'content-type': 'application/json; charset=utf-8',
      });
  });

  it('answers a refusal in Chinese and English', async () => {
    stored();

    const reply = await handler(post({ outcome: 'return', reviewer: 'li.wei' }), context);

    expect(bodyOf(reply)).toEqual({
      error: 'comment-required',
      message: expect.stringMatching(/^退回须告诉企业要改什么.* \/ a return must tell the enterprise/),
    });
  });

  it('answers a route this API does not have with 404', async () => {
    const reply = await handler({ ...get(attempt.attemptId), rawPath: '/nowhere', routeKey: 'GET /nowhere' }, context);

    expect(reply.statusCode).toBe(404);
    expect(bodyOf(reply)).toMatchObject({ error: 'no-route' });
  });
});
