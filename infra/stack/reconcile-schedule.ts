/**
 * Runs reconcile daily at 01:00 Beijing time, an hour before nightly-summary, so an upload whose
 * S3 event was lost is recorded before the night's rates are computed. As for the nightly job,
 * two failure paths end in one dead-letter queue: Scheduler's retries cover a failed Invoke call,
 * Lambda's asynchronous-invocation retries cover a run that started and faulted. A run repeated
 * by a retry is harmless: intake deduplicates by attempt id.
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

export const RECONCILE_CRON = { minute: '0', hour: '1' } as const;
const RETRY_ATTEMPTS = 2;
/** Lambda's longest asynchronous event age; tomorrow's run covers the same 45 days anyway. */
const MAX_EVENT_AGE = Duration.hours(6);

export interface ReconcileScheduleProps {
  readonly target: IFunction;
}

export class ReconcileSchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, { target }: ReconcileScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetter', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.deadLetterQueue,
      "This queue is itself the dead-letter destination of the reconcile schedule and of the function's asynchronous invocations; a DLQ for a DLQ would only move the same failure one hop further. Its depth is alarmed.",
      'AwsSolutions-SQS3',
    );

    target.configureAsyncInvoke({
      retryAttempts: RETRY_ATTEMPTS,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invoke reconcile, dead-letter to its queue',
    });
    this.schedule = new Schedule(this, 'Daily', {
      description: 'reconcile (bucket against ledger, last 45 days) at 01:00 Asia/Shanghai',
      schedule: ScheduleExpression.cron({ ...RECONCILE_CRON, timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new LambdaInvoke(target, {
        role,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: RETRY_ATTEMPTS,
        maxEventAge: MAX_EVENT_AGE,
      }),
    });
    acknowledge(
      role,
      'lambda:InvokeFunction on the reconcile function and its versions/aliases (the ":*" suffix CDK grants): one function, invoke only.',
      wildcardResource(role, `${target.functionArn}:*`),
    );
  }
}
