/**
 * Dead-letter queues for operators: look at what is in one without consuming it, and put it back
 * on its source queue once the cause is fixed.
 *
 * SQS has no "peek": a message is read by receiving it. Listing receives with a short visibility
 * timeout and hands every message straight back (visibility 0), so consumers see them again at
 * once, and a crashed listing returns them within seconds. Redrive uses StartMessageMoveTask, as
 * the console does; where a queue service lacks it, messages are copied and then deleted, one at
 * a time, so a failure leaves a duplicate (the consumers are idempotent) but never a loss.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

export interface DeadLetterQueue {
  readonly name: string;
  readonly sourceUrl: string;
  readonly sourceArn: string;
  readonly deadLetterUrl: string;
  readonly deadLetterArn: string;
  readonly maxReceiveCount: number;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** Receives before and after it was dead-lettered (SQS keeps counting). */
  readonly receiveCount: number;
  readonly firstSentAt: string;
  readonly sourceArn?: string;
  readonly reason: string;
}

export interface RedriveResult {
  readonly method: 'move-task' | 'copy';
  readonly moved: number;
  readonly status: string;
}

/** Why the consumer could not handle a body, if that can be told from the body alone. */
export type BodyDiagnosis = (body: string) => string | undefined;

const PEEK_VISIBILITY_SECONDS = 20;

/** A source queue's dead-letter queue, from its redrive policy: the same lookup on the twin and in AWS. */
export async function resolveDeadLetterQueue(sqs: SQSClient, name: string, sourceUrl: string): Promise<DeadLetterQueue> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: sourceUrl,
      AttributeNames: ['QueueArn', 'RedrivePolicy'],
    }),
  );
  if (!Attributes.RedrivePolicy || !Attributes.QueueArn) throw new Error(`queue ${name} (${sourceUrl}) has no dead-letter queue`);
  const policy = JSON.parse(Attributes.RedrivePolicy) as {
    deadLetterTargetArn: string;
    maxReceiveCount: number | string;
  };
  const [, , , , account, queueName] = policy.deadLetterTargetArn.split(':');
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({
      QueueName: queueName,
      ...(account ? { QueueOwnerAWSAccountId: account } : {}),
    }),
  );
  if (!QueueUrl) throw new Error(`dead-letter queue ${policy.deadLetterTargetArn} not found`);
  return {
    name,
    sourceUrl,
    sourceArn: Attributes.QueueArn,
    deadLetterUrl: QueueUrl,
    deadLetterArn: policy.deadLetterTargetArn,
    maxReceiveCount: Number(policy.maxReceiveCount),
  };
}

function diagnose(queue: DeadLetterQueue, message: Message, bodyDiagnosis: BodyDiagnosis): string {
  const count = Number(message.Attributes?.ApproximateReceiveCount ?? 0);
  const received = `received ${count} time(s) without being deleted (${queue.name} moves a message here after ${queue.maxReceiveCount})`;
  const why = bodyDiagnosis(message.Body ?? '');
  return why ? `${why}; ${received}` : `${received}: the consumer failed on it each time — see its logs for message ${message.MessageId}`;
}

export class SqsDeadLetters {
  constructor(private readonly sqs: SQSClient) {}

  async depth(queue: DeadLetterQueue): Promise<number> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.deadLetterUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  /** Every visible message with the likely reason, all left on the queue. */
  async list(queue: DeadLetterQueue, bodyDiagnosis: BodyDiagnosis = () => undefined, limit = 200): Promise<DeadLetter[]> {
    const held = new Map<string, Message>();
    try {
      for (let round = 0; held.size < limit && round < limit; round++) {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.deadLetterUrl,
            MaxNumberOfMessages: 10,
            // A 1 s long poll asks every SQS server, so an empty answer means empty.
            WaitTimeSeconds: 1,
            VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
            // Both spellings: newer SQS reads the second, older emulators only the first.
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) break;
        for (const m of Messages) held.set(m.MessageId ?? '', m);
      }
    } finally {
      await this.release(queue.deadLetterUrl, [...held.values()]);
    }
    return [...held.values()]
      .map((m) => ({
        messageId: m.MessageId ?? '',
        body: m.Body ?? '',
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
        firstSentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString(),
        ...(m.Attributes?.DeadLetterQueueSourceArn ? { sourceArn: m.Attributes.DeadLetterQueueSourceArn } : {}),
        reason: diagnose(queue, m, bodyDiagnosis),
      }))
      .sort((a, b) => a.firstSentAt.localeCompare(b.firstSentAt));
  }

  /** Moves everything back to the source queue and waits (up to `timeoutMs`) for the move to finish. */
  async redrive(queue: DeadLetterQueue, timeoutMs = 30_000): Promise<RedriveResult> {
    let taskHandle: string | undefined;
    try {
      ({ TaskHandle: taskHandle } = await this.sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: queue.deadLetterArn,
          DestinationArn: queue.sourceArn,
        }),
      ));
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (!/UnsupportedOperation|InvalidAction|UnknownOperation|NotImplemented/i.test(name)) throw error;
      return this.copyBack(queue);
    }
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { Results = [] } = await this.sqs.send(
        new ListMessageMoveTasksCommand({
          SourceArn: queue.deadLetterArn,
          MaxResults: 10,
        }),
      );
      // A finished task no longer shows its handle: the newest task is ours (one runs at a time).
      const task = Results.find((t) => t.TaskHandle === taskHandle) ?? [...Results].sort((a, b) => (b.StartedTimestamp ?? 0) - (a.StartedTimestamp ?? 0))[0];
      if (task && task.Status !== 'RUNNING') {
        if (task.Status === 'FAILED') throw new Error(`redrive of ${queue.name} failed: ${task.FailureReason ?? 'no reason given'}`);
        return {
          method: 'move-task',
          moved: Number(task.ApproximateNumberOfMessagesMoved ?? 0),
          status: task.Status ?? 'COMPLETED',
        };
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return { method: 'move-task', moved: 0, status: 'RUNNING' };
  }

  /** The fallback: send a copy, then delete the original; a crash in between duplicates, never loses. */
  async copyBack(queue: DeadLetterQueue): Promise<RedriveResult> {
    let moved = 0;
    for (;;) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.deadLetterUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 60,
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) return { method: 'copy', moved, status: 'COMPLETED' };
      for (const m of Messages) {
        await this.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.sourceUrl,
            MessageBody: m.Body ?? '',
            ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
          }),
        );
        await this.sqs.send(
          new DeleteMessageCommand({
            QueueUrl: queue.deadLetterUrl,
            ReceiptHandle: m.ReceiptHandle ?? '',
          }),
        );
        moved++;
      }
    }
  }

  private async release(queueUrl: string, messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((m, j) => ({
            Id: String(j),
            ReceiptHandle: m.ReceiptHandle ?? '',
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  }
}
