/** The review queue's messages as a subscriber filters them: attributes by place, level, verdict and schema version. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import type { ReviewMessage } from '#domain/review-message.ts';
import { ReviewMessageSchema } from '#domain/review-message.ts';

const sqs = mockClient(SQSClient);
const QUEUE = 'https://sqs.cn-north-1.amazonaws.com.cn/1/review';
const message: ReviewMessage = {
  type: 'deposit-review',
  schemaVersion: 1,
  attemptId: 'a1',
  attempt: 1,
  enterpriseId: '91360100MA35XXXXXN',
  province: '江西',
  city: '南昌',
  period: '2026-01',
  receivedAt: '2026-03-01T02:00:00.000Z',
  timeliness: { lastDay: '2026-03-12', dueAt: '2026-03-12T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'needs-review',
  stats: { errors: 0, warnings: 1, infos: 0 },
  issues: [],
  files: [],
};

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
});

describe('a review message on the queue', () => {
  it('carries city and province as codes, its level, verdict and schema version as attributes a subscriber filters on', async () => {
    await new SqsReviewQueue(sqs as unknown as SQSClient, QUEUE).send({ ...message, level: 'province' });

    expect(sqs).toReceiveCommandWith(SendMessageCommand, {
      QueueUrl: QUEUE,
      MessageAttributes: expect.objectContaining({
        city: { DataType: 'String', StringValue: '360100' },
        province: { DataType: 'String', StringValue: '360000' },
        level: { DataType: 'String', StringValue: 'province' },
        verdict: { DataType: 'String', StringValue: 'needs-review' },
        schemaVersion: { DataType: 'Number', StringValue: '1' },
      }),
      MessageBody: expect.stringContaining('"schemaVersion":1'),
    });
  });

  it('says city level when the message names none, and leaves out a place it does not know (SQS refuses empty values)', async () => {
    const { province: _p, city: _c, ...unplaced } = message;

    await new SqsReviewQueue(sqs as unknown as SQSClient, QUEUE).send(unplaced);

    const attributes = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageAttributes ?? {};
    expect(attributes.level).toEqual({ DataType: 'String', StringValue: 'city' });
    expect(Object.keys(attributes)).not.toContain('city');
    expect(Object.keys(attributes)).not.toContain('province');
  });

  it('reads a message written before schemaVersion existed as version 1', () => {
    const { schemaVersion: _, ...old } = message;

    expect(ReviewMessageSchema.parse(old).schemaVersion).toBe(1);
  });
});
