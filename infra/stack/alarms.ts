/**
 * The four things that must wake someone: a message parked in a dead-letter queue, a function
 * error, intake falling behind, and the nightly summary not having succeeded for 26 hours (a
 * missed 02:00 run plus two hours' grace).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Intake normally drains in seconds; 15 minutes of backlog means the consumer is stuck or starved. */
export const INTAKE_OLDEST_MESSAGE_SECONDS = 15 * 60;
export const NIGHTLY_GRACE_HOURS = 26;

export interface AlarmsProps {
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly intakeQueue: IQueue;
  readonly nightlySummary: IFunction;
  readonly alarmEmail?: string;
}

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    // CloudWatch cannot publish to a topic encrypted with the AWS-managed aws/sns key, so the
    // topic gets its own key with a policy that lets CloudWatch use it.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the evidence-deposit alarm topic',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(
        new Alarm(this, `${name}DeadLetterNotEmpty`, {
          alarmDescription: `A message reached the ${name} dead-letter queue: inspect it, fix the cause, then redrive.`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(
        new Alarm(this, `${name}Errors`, {
          alarmDescription: `${name} reported invocation errors (faults, not invalid deposits, which are recorded as issues).`,
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    this.add(
      new Alarm(this, 'IntakeFallingBehind', {
        alarmDescription: `The oldest report waiting for validation is over ${INTAKE_OLDEST_MESSAGE_SECONDS / 60} minutes old.`,
        metric: props.intakeQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: INTAKE_OLDEST_MESSAGE_SECONDS,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    // Lambda's own Invocations and Errors, not a custom metric: they are emitted by the service
    // whether or not the handler gets as far as flushing its metrics, so an init crash or a
    // schedule that never fires still reads as "no success". FILL turns silence into 0 and
    // the alarm fires only when all 26 hourly points lack a success.
    const successes = new MathExpression({
      label: 'nightly-summary successful runs',
      expression: 'FILL(invocations, 0) - FILL(errors, 0)',
      period: Duration.hours(1),
      usingMetrics: {
        invocations: props.nightlySummary.metricInvocations({ period: Duration.hours(1), statistic: 'Sum' }),
        errors: props.nightlySummary.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      },
    });
    this.add(
      new Alarm(this, 'NightlySummaryMissed', {
        alarmDescription: `nightly-summary has not completed successfully in ${NIGHTLY_GRACE_HOURS} hours: the departments' morning figures are stale.`,
        metric: successes,
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: NIGHTLY_GRACE_HOURS,
        datapointsToAlarm: NIGHTLY_GRACE_HOURS,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    );
  }

  private add(alarm: Alarm): void {
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
