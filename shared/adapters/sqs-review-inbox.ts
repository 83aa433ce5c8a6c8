/** The review queue as a reviewer reads it, through SQS: receive one, hold it, hand it back or delete it. */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { HeldReview, ReviewInbox } from '#app/ports.ts';
import { ReviewMessageSchema } from '#domain/review-message.ts';

function readBody(body: string | undefined): { ok: true; json: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, json: JSON.parse(body ?? 'null') };
  } catch {
    return { ok: false, problem: `not JSON: ${(body ?? '').slice(0, 80)}` };
  }
}

export class SqsReviewInbox implements ReviewInbox {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async receive(waitSeconds: number): Promise<HeldReview | undefined> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const [message] = Messages;
    if (!message) return undefined;
    const held = { messageId: message.MessageId ?? '', receiptHandle: message.ReceiptHandle ?? '' };
    const body = readBody(message.Body);
    if (!body.ok) return { ...held, ok: false, problem: body.problem };
    const parsed = ReviewMessageSchema.safeParse(body.json);
    return parsed.success
      ? { ...held, ok: true, review: parsed.data }
      : { ...held, ok: false, problem: parsed.error.issues[0]?.message ?? 'not a review message' };
  }

  async extend(held: HeldReview, seconds: number): Promise<void> {
    await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: held.receiptHandle, VisibilityTimeout: seconds }));
  }

  async handBack(held: HeldReview): Promise<void> {
    await this.extend(held, 0);
  }

  async delete(held: HeldReview): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: held.receiptHandle }));
  }
}
