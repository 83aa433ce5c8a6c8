/**
 * Review on the local twin: real review messages from intake, decisions through the use case
 * against DynamoDB Local, the review queue's visibility timeout, both dead-letter queues — and the
 * reviewers' journey through the twin's HTTP API with real tokens from its OpenID provider: whose
 * inbox an attempt is in, who may decide it, and that it leaves every inbox once decided.
 */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, type Message, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { resolveDeadLetterQueue, SqsDeadLetters } from '#adapters/sqs-dlq.ts';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import { messageText } from '#app/outcome.ts';
import { decideOnAttempt, type ReviewDeps } from '#app/review-decision.ts';
import type { ReviewLevel } from '#domain/attempt.ts';
import type { Principal } from '#domain/identity.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { DecisionRequest } from '#domain/review.ts';
import { type ReviewMessage, ReviewMessageSchema } from '#domain/review-message.ts';
import { DIAGNOSES } from '#cli/commands/dlq.ts';
import { reviewLines } from '#cli/format.ts';
import { type DemoFlaw, demoPdf, demoReport } from '#twin/demo.ts';
import { encodeEventKey, SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { bearer, signIn } from '../support/sign-in.ts';
import { eventually, testEnterprise, useTwin, waitForAttempts } from '../support/twin.ts';

const twin = useTwin();
const PERIOD = '2026-01';
const deps: ReviewDeps = {
  store: new DynamoLedger(twin.clients.db, twin.resources.tables),
  reviewQueue: new SqsReviewQueue(twin.clients.sqs, twin.resources.queues.review.url),
  now: () => new Date(),
};
const REVIEW_URL = twin.resources.queues.review.url;

let seed = 100;
async function deposit(enterprise: Enterprise, flaw: DemoFlaw, at: string) {
  return uploadDeposit(twin.clients.s3, twin.resources.bucket, {
    enterpriseId: enterprise.enterpriseId,
    period: PERIOD,
    report: {
      fileName: 'report.json',
      body: JSON.stringify(demoReport(enterprise, PERIOD, seed++, flaw)),
    },
    evidence: [
      { fileName: 'ledger-scan.pdf', body: demoPdf('ledger') },
      { fileName: 'lab-report.pdf', body: demoPdf(`lab ${seed}`) },
    ],
    reportMetadata: {
      [SIMULATED_RECEIPT_METADATA]: new Date(at).toISOString(),
    },
  });
}

/** The next review message for one enterprise (optionally at a level), held as a reviewer holds it. */
async function takeReviewMessage(enterpriseId: string, level?: 'province'): Promise<{ message: Message; review: ReviewMessage }> {
  return eventually(
    async () => {
      const { Messages = [] } = await twin.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: REVIEW_URL,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          AttributeNames: ['All'],
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      let found: { message: Message; review: ReviewMessage } | undefined;
      for (const message of Messages) {
        const parsed = ReviewMessageSchema.safeParse(JSON.parse(message.Body ?? '{}'));
        const mine = !found && parsed.success && parsed.data.enterpriseId === enterpriseId && parsed.data.level === level;
        if (mine) found = { message, review: parsed.data };
        // Other test files share the queue: hand theirs straight back.
        else
          await twin.clients.sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: REVIEW_URL,
              ReceiptHandle: message.ReceiptHandle ?? '',
              VisibilityTimeout: 0,
            }),
          );
      }
      return found;
    },
    `a review message for ${enterpriseId}${level ? ` at ${level} level` : ''}`,
  );
}

/** A reviewer of 南昌 (city level) or of 江西 (province level), as a verified token would describe them. */
function reviewer(name: string, level: ReviewLevel): Principal {
  return level === 'city'
    ? { role: 'reviewer', subject: name, name, level, jurisdiction: { kind: 'city', code: '360100', province: '360000' } }
    : { role: 'reviewer', subject: name, name, level, jurisdiction: { kind: 'province', code: '360000' } };
}

/** The decision's outcome, read flat: the decision stored, or `status: "refused"` with the refusal in one line. */
const decide = async (
  attemptId: string,
  { reviewer: name, level = 'city', ...request }: { reviewer: string; level?: ReviewLevel } & Pick<DecisionRequest, 'outcome'> & Partial<DecisionRequest>,
) => {
  const outcome = await decideOnAttempt(deps, attemptId, { comment: '', issueComments: [], ...request }, reviewer(name, level));
  return outcome.ok
    ? outcome.value
    : {
        status: 'refused' as const,
        refusal: {
          code: outcome.refusal.code,
          message: messageText(outcome.refusal.message),
        },
      };
};

describe('a returned deposit and its re-deposit', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('records the reviewer’s comments on the return, and the re-deposit becomes attempt 2 after it', async () => {
    await deposit(enterprise, 'supplied-exceeds-generated', '2026-03-01T10:00:00+08:00');
    const { message, review } = await takeReviewMessage(enterprise.enterpriseId);

    const returned = await decide(review.attemptId, {
      outcome: 'return',
      reviewer: 'li.wei',
      issueComments: [
        {
          code: 'EVD-CROSS-SUPPLIED-GT-GENERATED',
          unitId: '1',
          comment: '供电量不应大于发电量，请核对',
        },
      ],
    });
    await twin.clients.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: REVIEW_URL,
        ReceiptHandle: message.ReceiptHandle ?? '',
      }),
    );
    await deposit(enterprise, 'none', '2026-03-03T10:00:00+08:00');
    const attempts = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 2);
    const [record] = await twin.ledger.depositsOf(enterprise.enterpriseId, PERIOD);

    expect(returned).toMatchObject({
      status: 'recorded',
      attemptNumber: 1,
      attempt: {
        verdict: 'returned',
        decision: { outcome: 'return', reviewer: 'li.wei' },
      },
    });
    expect(record?.attempts.map((a) => [a.attemptId, a.verdict])).toEqual([
      [review.attemptId, 'returned'],
      [expect.not.stringMatching(review.attemptId), 'accepted'],
    ]);
    const first = attempts.find((a) => a.attemptId === review.attemptId);
    expect(reviewLines(first as NonNullable<typeof first>).join('\n')).toContain('on EVD-CROSS-SUPPLIED-GT-GENERATED unit 1: 供电量不应大于发电量，请核对');
  });

  it('refuses to accept the returned attempt: it was both returned by validation and decided', async () => {
    const [record] = await twin.ledger.depositsOf(enterprise.enterpriseId, PERIOD);

    const again = await decide(record?.attempts[0]?.attemptId ?? '', {
      outcome: 'accept',
      reviewer: 'wang.fang',
      comment: 'fine',
    });

    expect(again).toMatchObject({
      status: 'refused',
      refusal: {
        code: 'already-decided',
        message: expect.stringContaining('already returned by li.wei'),
      },
    });
  });
});

describe('a deposit that needs review', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('is accepted by a reviewer: the decision is on the attempt, the record’s verdict is final, the message is gone', async () => {
    await deposit(enterprise, 'atypical-ncv', '2026-03-01T10:00:00+08:00');
    const { message, review } = await takeReviewMessage(enterprise.enterpriseId);

    const result = await decide(review.attemptId, {
      outcome: 'accept',
      reviewer: 'li.wei',
      comment: '化验报告证实为低热值煤',
    });
    await twin.clients.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: REVIEW_URL,
        ReceiptHandle: message.ReceiptHandle ?? '',
      }),
    );

    expect(result.status).toBe('recorded');
    expect(message.MessageAttributes).toMatchObject({
      city: { DataType: 'String', StringValue: '360100' },
      province: { DataType: 'String', StringValue: '360000' },
      level: { DataType: 'String', StringValue: 'city' },
      verdict: { DataType: 'String', StringValue: 'needs-review' },
      schemaVersion: { DataType: 'Number', StringValue: '1' },
    });
    const [attempt] = await twin.ledger.attemptsOf(enterprise.enterpriseId, PERIOD);
    expect(attempt).toMatchObject({
      verdict: 'accepted',
      validation: { verdict: 'needs-review' },
      decision: {
        outcome: 'accept',
        reviewer: 'li.wei',
        level: 'city',
        comment: '化验报告证实为低热值煤',
      },
    });
    const [record] = await twin.ledger.depositsOf(enterprise.enterpriseId, PERIOD);
    expect(record?.attempts[0]).toMatchObject({
      verdict: 'accepted',
      decidedAt: attempt?.decision?.decidedAt,
    });
    // Accepted by a reviewer, it is the month the next months' history checks compare with.
    expect(record?.accepted).toMatchObject({
      attemptId: attempt?.attemptId,
      report: attempt?.report,
    });
  });
});

describe('two decisions on one attempt', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('lets exactly one of two concurrent decisions through and refuses the other, naming the winner', async () => {
    await deposit(enterprise, 'atypical-ncv', '2026-03-01T10:00:00+08:00');
    const [attempt] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    const id = attempt?.attemptId ?? '';

    const results = await Promise.all([
      decide(id, { outcome: 'accept', reviewer: 'li.wei', comment: 'ok' }),
      decide(id, {
        outcome: 'return',
        reviewer: 'wang.fang',
        comment: 'please re-test',
      }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['recorded', 'refused']);
    const winner = results.find((r) => r.status === 'recorded');
    const loser = results.find((r) => r.status === 'refused');
    const winnerName = winner?.status === 'recorded' ? winner.attempt.decision?.reviewer : '';
    expect(loser).toMatchObject({
      refusal: {
        code: 'already-decided',
        message: expect.stringContaining(`by ${winnerName}`),
      },
    });
    const [stored] = await twin.ledger.attemptsOf(enterprise.enterpriseId, PERIOD);
    expect(stored?.decision?.reviewer).toBe(winnerName);
  });

  it('treats the same decision delivered twice as one decision', async () => {
    const other = testEnterprise();
    await twin.registry.putAll([other]);
    await deposit(other, 'atypical-ncv', '2026-03-01T10:00:00+08:00');
    const [attempt] = await waitForAttempts(twin.ledger, other.enterpriseId, PERIOD, 1);
    const request = {
      outcome: 'accept' as const,
      reviewer: 'li.wei',
      comment: 'ok',
      decisionId: 'cli-7f3a',
    };

    const first = await decide(attempt?.attemptId ?? '', request);
    const second = await decide(attempt?.attemptId ?? '', request);

    expect([first.status, second.status]).toEqual(['recorded', 'replayed']);
    const [record] = await twin.ledger.depositsOf(other.enterpriseId, PERIOD);
    expect(record?.version).toBe(2);
  });
});

describe('escalation to provincial review', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('re-queues the attempt for the province, where only a province-level reviewer can decide', async () => {
    await deposit(enterprise, 'atypical-ncv', '2026-03-01T10:00:00+08:00');
    const city = await takeReviewMessage(enterprise.enterpriseId);

    const escalated = await decide(city.review.attemptId, {
      outcome: 'escalate',
      reviewer: 'li.wei',
      comment: '需要省级化验专家判断',
    });
    await twin.clients.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: REVIEW_URL,
        ReceiptHandle: city.message.ReceiptHandle ?? '',
      }),
    );
    const province = await takeReviewMessage(enterprise.enterpriseId, 'province');
    const byCity = await decide(city.review.attemptId, {
      outcome: 'accept',
      reviewer: 'zhao.min',
      comment: 'ok',
    });
    const byProvince = await decide(city.review.attemptId, {
      outcome: 'accept',
      reviewer: 'chen.jie',
      level: 'province',
      comment: '省级复核通过',
    });
    await twin.clients.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: REVIEW_URL,
        ReceiptHandle: province.message.ReceiptHandle ?? '',
      }),
    );

    expect(escalated).toMatchObject({
      status: 'recorded',
      attempt: {
        verdict: 'needs-review',
        escalation: { toLevel: 'province', reviewer: 'li.wei' },
      },
    });
    expect(province.review).toMatchObject({
      attemptId: city.review.attemptId,
      level: 'province',
      escalation: { reviewer: 'li.wei', comment: '需要省级化验专家判断' },
    });
    expect(byCity).toMatchObject({
      status: 'refused',
      refusal: { code: 'forbidden' },
    });
    expect(byProvince).toMatchObject({
      status: 'recorded',
      attempt: {
        verdict: 'accepted',
        decision: { level: 'province', reviewer: 'chen.jie' },
      },
    });
    const [record] = await twin.ledger.depositsOf(enterprise.enterpriseId, PERIOD);
    expect(record?.attempts[0]).toMatchObject({
      escalated: true,
      verdict: 'accepted',
    });
  });
});

describe('a superseded attempt', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('cannot be decided once the enterprise has re-deposited', async () => {
    await deposit(enterprise, 'atypical-ncv', '2026-03-01T10:00:00+08:00');
    await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    await deposit(enterprise, 'none', '2026-03-02T10:00:00+08:00');
    const attempts = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 2);
    const [record] = await twin.ledger.depositsOf(enterprise.enterpriseId, PERIOD);
    const first = record?.attempts[0]?.attemptId ?? '';

    const result = await decide(first, {
      outcome: 'accept',
      reviewer: 'li.wei',
      comment: 'ok',
    });

    expect(attempts).toHaveLength(2);
    expect(result).toMatchObject({
      status: 'refused',
      refusal: {
        code: 'superseded',
        message: expect.stringContaining('superseded by attempt 2'),
      },
    });
  });
});

describe('a reviewer who takes too long', () => {
  const enterprise = testEnterprise();
  beforeAll(() => twin.registry.putAll([enterprise]));

  it('loses the message to the next reviewer once its visibility timeout passes, and the later decision stands alone', async () => {
    await deposit(enterprise, 'atypical-ncv', '2026-03-01T10:00:00+08:00');
    const slow = await takeReviewMessage(enterprise.enterpriseId);
    // Stands in for the 300 s review timeout running out.
    await twin.clients.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: REVIEW_URL,
        ReceiptHandle: slow.message.ReceiptHandle ?? '',
        VisibilityTimeout: 1,
      }),
    );

    const fast = await takeReviewMessage(enterprise.enterpriseId);
    const fastDecision = await decide(fast.review.attemptId, {
      outcome: 'return',
      reviewer: 'wang.fang',
      comment: '请补充化验报告',
    });
    await twin.clients.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: REVIEW_URL,
        ReceiptHandle: fast.message.ReceiptHandle ?? '',
      }),
    );
    const slowDecision = await decide(slow.review.attemptId, {
      outcome: 'accept',
      reviewer: 'li.wei',
      comment: 'ok',
    });

    expect(fast.message.MessageId).toBe(slow.message.MessageId);
    expect(Number(fast.message.Attributes?.ApproximateReceiveCount)).toBeGreaterThan(Number(slow.message.Attributes?.ApproximateReceiveCount));
    expect(fastDecision.status).toBe('recorded');
    expect(slowDecision).toMatchObject({
      status: 'refused',
      refusal: {
        code: 'already-decided',
        message: expect.stringContaining('wang.fang'),
      },
    });
  });
});

describe('dead-letter queues', () => {
  const deadLetters = new SqsDeadLetters(twin.clients.sqs);

  it('lists an intake message with its reason, leaves it there, and redrives it to validate-deposit', async () => {
    const enterprise = testEnterprise();
    await twin.registry.putAll([enterprise]);
    const uploaded = await deposit(enterprise, 'none', '2026-03-01T10:00:00+08:00');
    await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    // An S3 event for another version of the report, as if validate-deposit had failed on it 3 times.
    const event = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: '2026-03-02T02:00:00.000Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:TEST' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'c',
            bucket: {
              name: twin.resources.bucket,
              ownerIdentity: { principalId: 'P' },
              arn: `arn:aws:s3:::${twin.resources.bucket}`,
            },
            object: {
              key: encodeEventKey(uploaded.reportKey),
              size: 100,
              eTag: `dlq-${enterprise.enterpriseId}`,
              sequencer: '0B',
            },
          },
        },
      ],
    };
    const queue = await resolveDeadLetterQueue(twin.clients.sqs, 'intake', twin.resources.queues.intake.url);
    await twin.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.deadLetterUrl,
        MessageBody: JSON.stringify(event),
      }),
    );

    // Another test file's poison message may hold the DLQ's messages briefly: look until ours shows.
    const listed = await eventually(
      async () => (await deadLetters.list(queue, DIAGNOSES.intake)).find((m) => m.body.includes(`dlq-${enterprise.enterpriseId}`)),
      'our intake DLQ message',
      45_000,
    );
    const stillThere = (await deadLetters.list(queue, DIAGNOSES.intake)).some((m) => m.messageId === listed.messageId);
    await eventually(
      async () => {
        await deadLetters.redrive(queue);
        return (await twin.ledger.attemptsOf(enterprise.enterpriseId, PERIOD)).length >= 2 ? true : undefined;
      },
      'the redriven upload recorded as attempt 2',
      45_000,
    );

    expect(listed.reason).toContain(`S3 event for ${uploaded.reportKey}: validate-deposit failed on it`);
    expect(stillThere).toBe(true);
  });

  it('lists review messages with their reasons and redrives them to the review queue', async () => {
    const enterprise = testEnterprise();
    const queue = await resolveDeadLetterQueue(twin.clients.sqs, 'review', REVIEW_URL);
    const review: ReviewMessage = {
      type: 'deposit-review',
      schemaVersion: 1,
      attemptId: 'feedfacecafe0001',
      attempt: 1,
      enterpriseId: enterprise.enterpriseId,
      period: PERIOD,
      receivedAt: '2026-03-01T02:00:00.000Z',
      timeliness: {
        lastDay: '2026-03-12',
        dueAt: '2026-03-12T16:00:00.000Z',
        onTime: true,
        lateBySeconds: 0,
      },
      verdict: 'needs-review',
      stats: { errors: 0, warnings: 1, infos: 0 },
      issues: [],
      files: [],
    };
    await twin.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.deadLetterUrl,
        MessageBody: JSON.stringify(review),
      }),
    );
    await twin.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.deadLetterUrl,
        MessageBody: JSON.stringify({
          type: 'deposit-review',
          marker: enterprise.enterpriseId,
        }),
      }),
    );

    const listed = await deadLetters.list(queue, DIAGNOSES.review);
    const result = await deadLetters.redrive(queue);
    const back = await takeReviewMessage(enterprise.enterpriseId);
    await twin.clients.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: REVIEW_URL,
        ReceiptHandle: back.message.ReceiptHandle ?? '',
      }),
    );

    expect(listed.map((m) => m.reason)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`review of attempt 1 (feedfacecafe0001) of ${enterprise.enterpriseId} ${PERIOD}: no reviewer settled it`),
        expect.stringMatching(/^not a review message: attemptId: /),
      ]),
    );
    expect(result).toMatchObject({ method: 'move-task', status: 'COMPLETED' });
    expect(result.moved).toBeGreaterThanOrEqual(2);
    expect(back.review.attemptId).toBe('feedfacecafe0001');
    // Other test files share the DLQ (and may add to it meanwhile): ours must be gone from it.
    const left = await deadLetters.list(queue, DIAGNOSES.review);
    expect(left.filter((m) => m.body.includes(enterprise.enterpriseId))).toEqual([]);
  });
});

describe('reviewers signed in, through the HTTP API', () => {
  const enterprise = testEnterprise();
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    await twin.registry.putAll([enterprise]);
    for (const user of ['reviewer-nanchang', 'reviewer-jiujiang', 'reviewer-jiangxi']) tokens.set(user, (await signIn(twin, user)).accessToken);
  });

  const call = async (user: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${twin.apiUrl}${path}`, {
      method,
      headers: { ...bearer(tokens.get(user) ?? ''), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** The attempt ids of this test's enterprise in the user's inbox. */
  const inboxOf = async (user: string) => {
    const { status, body } = await call(user, 'GET', `/inbox?enterprise=${enterprise.enterpriseId}`);
    expect(status).toBe(200);
    return (body.items as { attemptId: string; level: string }[]).map((item) => `${item.attemptId}@${item.level}`);
  };

  it("puts a deposit needing review in 南昌's inbox only; escalated, in 江西's; decided by the province, in none", async () => {
    await deposit(enterprise, 'atypical-ncv', '2026-03-01T10:00:00+08:00');
    const [attempt] = await waitForAttempts(twin.ledger, enterprise.enterpriseId, PERIOD, 1);
    const id = attempt?.attemptId ?? '';

    const waiting = await eventually(
      async () => ((await inboxOf('reviewer-nanchang')).length > 0 ? inboxOf('reviewer-nanchang') : undefined),
      'the city inbox',
    );
    const [jiujiangBefore, jiangxiBefore] = [await inboxOf('reviewer-jiujiang'), await inboxOf('reviewer-jiangxi')];
    const page = await call('reviewer-nanchang', 'GET', `/attempts/${id}`);
    const hidden = await call('reviewer-jiujiang', 'GET', `/attempts/${id}`);

    const escalated = await call('reviewer-nanchang', 'POST', `/attempts/${id}/decision`, {
      outcome: 'escalate',
      comment: '需要省级化验专家判断',
      reviewer: 'someone.else',
      level: 'province',
    });
    const [nanchangAfter, jiangxiAfter] = [await inboxOf('reviewer-nanchang'), await inboxOf('reviewer-jiangxi')];
    const byCity = await call('reviewer-nanchang', 'POST', `/attempts/${id}/decision`, { outcome: 'accept', comment: '市级通过' });
    const byProvince = await call('reviewer-jiangxi', 'POST', `/attempts/${id}/decision`, { outcome: 'accept', comment: '省级复核通过' });
    const finally_ = await Promise.all(['reviewer-nanchang', 'reviewer-jiujiang', 'reviewer-jiangxi'].map(inboxOf));

    expect(waiting).toEqual([`${id}@city`]);
    expect(jiujiangBefore).toEqual([]);
    expect(jiangxiBefore).toEqual([]);
    expect(page).toMatchObject({
      status: 200,
      body: {
        attempt: { attemptId: id },
        history: [{ attempt: 1, attemptId: id, verdict: 'needs-review' }],
        files: expect.arrayContaining([expect.objectContaining({ fileName: 'lab-report.pdf', url: expect.stringContaining('lab-report.pdf') })]),
      },
    });
    expect(hidden).toMatchObject({ status: 404, body: { error: 'not-found' } });
    expect(escalated).toMatchObject({
      status: 201,
      body: { escalation: { reviewer: '南昌市审核员', reviewerId: 'reviewer-nanchang', toLevel: 'province' } },
    });
    expect(nanchangAfter).toEqual([]);
    expect(jiangxiAfter).toEqual([`${id}@province`]);
    expect(byCity).toMatchObject({ status: 403, body: { error: 'forbidden', message: expect.stringContaining('only a provincial reviewer decides it now') } });
    expect(byProvince).toMatchObject({
      status: 201,
      body: { verdict: 'accepted', decision: { reviewer: '江西省审核员', reviewerId: 'reviewer-jiangxi', level: 'province' } },
    });
    expect(finally_).toEqual([[], [], []]);
  });

  it('answers a request without a token 401', async () => {
    const response = await fetch(`${twin.apiUrl}/inbox`);

    expect(response.status).toBe(401);
  });
});
