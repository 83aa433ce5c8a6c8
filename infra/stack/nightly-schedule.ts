/**
 * Runs nightly-summary at 02:00 Beijing time. Two failure paths end in the same dead-letter queue:
 * Scheduler's own retries cover a failed Invoke call, and Lambda's asynchronous-invocation retries
 * cover a function that started and faulted (Scheduler invokes Lambda asynchronously, so its retry
 * policy never sees handler errors).
 */
import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, wildcardResource } from './nag.ts';

export const NIGHTLY_CRON = { minute: '0', hour: '2' } as const;
const RETRY_ATTEMPTS = 2;
/** A summary that could not run by 08:00 Beijing time is stale for the morning; let the alarm speak. */
const MAX_EVENT_AGE = Duration.hours(6);

export interface NightlyScheduleProps {
  readonly target: IFunction;
}

export class NightlySchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, { target }: NightlyScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetter', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.deadLetterQueue,
      "This queue is itself the dead-letter destination of the nightly schedule and of the function's asynchronous invocations; a DLQ for a DLQ would only move the same failure one hop further. Its depth is alarmed.",
      'AwsSolutions-SQS3',
    );

    target.configureAsyncInvoke({
      retryAttempts: RETRY_ATTEMPTS,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    // Our own role rather than CDK's shared one: the confused-deputy condition is explicit and the
    // acknowledgement below sits on a role that does nothing else.
    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invoke nightly-summary, dead-letter to its queue',
    });
    this.schedule = new Schedule(this, 'Nightly', {
      description: 'nightly-summary at 02:00 Asia/Shanghai',
      schedule: ScheduleExpression.cron({ ...NIGHTLY_CRON, timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new LambdaInvoke(target, {
        role,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: RETRY_ATTEMPTS,
        maxEventAge: MAX_EVENT_AGE,
      }),
    });
    acknowledge(
      role,
      'lambda:InvokeFunction on the nightly-summary function and its versions/aliases (the ":*" suffix CDK grants): one function, invoke only.',
      wildcardResource(role, `${target.functionArn}:*`),
    );
  }
}
