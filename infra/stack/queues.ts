/**
 * The intake and review queues with their dead-letter queues, built by iterating QUEUES in
 * shared/resources/specs.ts (visibility, retention, maxReceiveCount shared with the local twin).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUES, type QueueName } from '#resources/specs.ts';

export interface QueuePair {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

export class Queues extends Construct {
  readonly pairs: Record<QueueName, QueuePair>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = (Object.keys(QUEUES) as QueueName[]).map((name) => [name, this.pair(name)] as const);
    this.pairs = Object.fromEntries(entries) as Record<QueueName, QueuePair>;
  }

  private pair(name: QueueName): QueuePair {
    const spec = QUEUES[name];
    const id = name.charAt(0).toUpperCase() + name.slice(1);
    // SQS-managed SSE: S3 event notifications cannot publish to a queue encrypted with the
    // AWS-managed aws/sqs KMS key, and a customer key would add a key policy for no added control.
    const common = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;
    const deadLetterQueue = new Queue(this, `${id}DeadLetter`, {
      ...common,
      retentionPeriod: Duration.days(spec.deadLetterRetentionDays),
    });
    const queue = new Queue(this, id, {
      ...common,
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(spec.retentionDays),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
    });
    return { queue, deadLetterQueue };
  }
}
