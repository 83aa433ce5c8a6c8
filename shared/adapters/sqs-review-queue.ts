/** The review queue, through SQS. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReviewMessage } from '#domain/review-message.ts';
import type { ReviewQueue } from '#app/ports.ts';

export class SqsReviewQueue implements ReviewQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: ReviewMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        // Attributes let a reviewer tool filter without parsing the body.
        MessageAttributes: {
          attemptId: { DataType: 'String', StringValue: message.attemptId },
          enterpriseId: { DataType: 'String', StringValue: message.enterpriseId },
          period: { DataType: 'String', StringValue: message.period },
          verdict: { DataType: 'String', StringValue: message.verdict },
        },
      }),
    );
  }
}
