/**
 * What Lambda's SQS event source mapping does, for the twin: long-poll a queue, hand batches to
 * a handler as SQS events, delete what succeeded, and leave failures for the queue's redrive
 * policy (after maxReceiveCount receives they move to the DLQ). One difference, for speed:
 * a failed message is made visible again after `retryDelaySeconds` instead of the full
 * visibility timeout.
 *
 * A message sent with DelaySeconds (intake handing back a report whose evidence is still
 * uploading) is held by the queue itself — local-aws-sqs honours per-message delays as SQS does —
 * so the poller never sees it early; its message attributes reach the handler as Lambda's do.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';
import { VALIDATE_DEPOSIT_TIMEOUT_SECONDS } from '#resources/specs.ts';

/** How long a poller rests after finding the queue empty. */
const IDLE_PAUSE_MS = 100;

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface SqsEventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: SqsHandler;
  readonly functionName: string;
  readonly batchSize: number;
  readonly retryDelaySeconds: number;
  /** Batches handled at once (Lambda scales out; the twin runs a few pollers). */
  readonly concurrency: number;
  readonly onError?: (error: unknown) => void;
}

/** Message attributes as Lambda's SQS event spells them (camel case, list fields present). */
function toRecordAttributes(attributes: Record<string, MessageAttributeValue> = {}): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? 'String',
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
        stringListValues: value.StringListValues ?? [],
        binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      },
    ]),
  );
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'twin',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: toRecordAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

export class SqsEventSource {
  private running = false;
  private loops: Promise<void>[] = [];
  private inFlight = 0;

  constructor(private readonly options: SqsEventSourceOptions) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Batches being handled right now. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async loop(): Promise<void> {
    const { sqs, queueUrl, queueArn, batchSize } = this.options;
    while (this.running) {
      try {
        // local-aws-sqs holds a long poll open until the batch is full or the wait is over, where
        // SQS answers as soon as anything is there; a short poll (it gathers for 40 ms) and a
        // pause when the queue is empty come closer to Lambda's event source.
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        if (!Messages || Messages.length === 0) {
          await new Promise((r) => setTimeout(r, IDLE_PAUSE_MS));
          continue;
        }
        this.inFlight++;
        try {
          await this.deliver(Messages.map((m) => toRecord(m, queueArn)));
        } finally {
          this.inFlight--;
        }
      } catch (error) {
        if (this.running) {
          this.options.onError?.(error);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  }

  private async deliver(records: SQSRecord[]): Promise<void> {
    const { sqs, queueUrl, handler, functionName, retryDelaySeconds } = this.options;
    let failed: Set<string>;
    try {
      const response = await handler({ Records: records }, lambdaContext(functionName, { timeoutMs: VALIDATE_DEPOSIT_TIMEOUT_SECONDS * 1000 }));
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      // A thrown handler fails the whole batch, as on Lambda.
      this.options.onError?.(error);
      failed = new Set(records.map((r) => r.messageId));
    }
    const succeeded = records.filter((r) => !failed.has(r.messageId));
    const retried = records.filter((r) => failed.has(r.messageId));
    if (succeeded.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: succeeded.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) }),
      );
    }
    if (retried.length > 0) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: retried.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle, VisibilityTimeout: retryDelaySeconds })),
        }),
      );
    }
  }
}
