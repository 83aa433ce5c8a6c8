/** The review inbox over a mocked SQS client: one message at a time, parsed, held, handed back or deleted. */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsReviewInbox } from '#adapters/sqs-review-inbox.ts';
import { attemptWith, messageFor, warning } from './review-fixtures.ts';

const sqs = mockClient(SQSClient);
const QUEUE = 'https://sqs.cn-north-1.amazonaws.com.cn/1/review';
const review = messageFor(attemptWith([warning]));

describe('SqsReviewInbox', () => {
  const inbox = new SqsReviewInbox(new SQSClient({ region: 'cn-north-1' }), QUEUE);
  beforeEach(() => sqs.reset());

  it('receives one message by long polling and hands back the review it carries', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm1', ReceiptHandle: 'h1', Body: JSON.stringify(review) }] });

    const held = await inbox.receive(10);

    expect(held).toEqual({ messageId: 'm1', receiptHandle: 'h1', ok: true, review });
    expect(sqs).toReceiveCommandWith(ReceiveMessageCommand, { QueueUrl: QUEUE, MaxNumberOfMessages: 1, WaitTimeSeconds: 10 });
  });

  it('answers undefined when the wait ends with no message', async () => {
    sqs.on(ReceiveMessageCommand).resolves({});

    expect(await inbox.receive(10)).toBeUndefined();
  });

  it('says why a body is no review message, whether it is not JSON or not the schema', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'm2', ReceiptHandle: 'h2', Body: '{"type":"deposit-review"' }] })
      .resolvesOnce({ Messages: [{ MessageId: 'm3', ReceiptHandle: 'h3', Body: JSON.stringify({ ...review, attemptId: 7 }) }] });

    const notJson = await inbox.receive(10);
    const notReview = await inbox.receive(10);

    expect(notJson).toEqual({ messageId: 'm2', receiptHandle: 'h2', ok: false, problem: 'not JSON: {"type":"deposit-review"' });
    expect(notReview).toMatchObject({ messageId: 'm3', ok: false, problem: expect.stringContaining('string') });
  });

  it('extends, hands back (visibility 0) and deletes by the receipt handle', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    sqs.on(DeleteMessageCommand).resolves({});
    const held = { messageId: 'm1', receiptHandle: 'h1', ok: true as const, review };

    await inbox.extend(held, 300);
    await inbox.handBack(held);
    await inbox.delete(held);

    expect(sqs).toReceiveNthCommandWith(ChangeMessageVisibilityCommand, 1, { QueueUrl: QUEUE, ReceiptHandle: 'h1', VisibilityTimeout: 300 });
    expect(sqs).toReceiveNthCommandWith(ChangeMessageVisibilityCommand, 2, { QueueUrl: QUEUE, ReceiptHandle: 'h1', VisibilityTimeout: 0 });
    expect(sqs).toReceiveCommandWith(DeleteMessageCommand, { QueueUrl: QUEUE, ReceiptHandle: 'h1' });
  });
});
