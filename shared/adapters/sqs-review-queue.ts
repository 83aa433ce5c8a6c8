/**
 * The review queue, through SQS: notifications and integrations subscribe to it (reviewers read
 * the inbox). Its message attributes are what a subscriber filters on without parsing the body
 * (an EventBridge Pipe's filter, a Lambda event source's filter criteria): where the attempt
 * belongs (GB/T 2260 codes), the level it waits at, the verdict, and the body's schema version.
 */
import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReviewQueue } from '#app/ports.ts';
import { placeCodes } from '#domain/provinces.ts';
import type { ReviewMessage } from '#domain/review-message.ts';

const text = (value: string | undefined): MessageAttributeValue | undefined => (value ? { DataType: 'String', StringValue: value } : undefined);

/** The attributes of a review message; SQS refuses an empty string value, so an unknown place is left out. */
export function reviewMessageAttributes(message: ReviewMessage): Record<string, MessageAttributeValue> {
  const place = placeCodes({ province: message.province ?? '', city: message.city ?? '' });
  const attributes: Record<string, MessageAttributeValue | undefined> = {
    attemptId: text(message.attemptId),
    enterpriseId: text(message.enterpriseId),
    period: text(message.period),
    verdict: text(message.verdict),
    level: text(message.level ?? 'city'),
    province: text(place.province),
    city: text(place.city),
    schemaVersion: { DataType: 'Number', StringValue: String(message.schemaVersion) },
  };
  return Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, MessageAttributeValue] => entry[1] !== undefined));
}

export class SqsReviewQueue implements ReviewQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: ReviewMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), MessageAttributes: reviewMessageAttributes(message) }),
    );
  }
}
