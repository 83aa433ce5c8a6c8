/**
 * A function run once a day at a Beijing time (EventBridge Scheduler, Asia/Shanghai): nightly-summary
 * at 02:00, reconcile at 01:00 so an upload whose S3 event was lost is recorded before the night's
 * rates. Two failure paths end in one dead-letter queue: Scheduler's own retries cover a failed
 * Invoke call, and Lambda's asynchronous-invocation retries cover a run that started and faulted
 * (Scheduler invokes Lambda asynchronously, so its retry policy never sees handler errors). A run
 * repeated by a retry is harmless for both: each writes only what changed, or what is missing.
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
export const RECONCILE_CRON = { minute: '0', hour: '1' } as const;
const RETRY_ATTEMPTS = 2;
/** A run that could not start within 6 h is stale for the morning (and tomorrow's run covers it); let the alarm speak. */
const MAX_EVENT_AGE = Duration.hours(6);

export interface DailyScheduleProps {
  readonly target: IFunction;
  /** The function's name, for descriptions and acknowledgements. */
  readonly name: string;
  readonly cron: { readonly minute: string; readonly hour: string };
  readonly description: string;
  /** The construct id of the schedule itself (kept stable: it names the deployed resource). */
  readonly scheduleId: string;
}

export class DailySchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, { target, name, cron, description, scheduleId }: DailyScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetter', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.deadLetterQueue,
      `This queue is itself the dead-letter destination of the ${name} schedule and of the function's asynchronous invocations; a DLQ for a DLQ would only move the same failure one hop further. Its depth is alarmed.`,
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
      description: `EventBridge Scheduler: invoke ${name}, dead-letter to its queue`,
    });
    this.schedule = new Schedule(this, scheduleId, {
      description,
      schedule: ScheduleExpression.cron({ ...cron, timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new LambdaInvoke(target, {
        role,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: RETRY_ATTEMPTS,
        maxEventAge: MAX_EVENT_AGE,
      }),
    });
    acknowledge(
      role,
      `lambda:InvokeFunction on the ${name} function and its versions/aliases (the ":*" suffix CDK grants): one function, invoke only.`,
      wildcardResource(role, `${target.functionArn}:*`),
    );
  }
}
