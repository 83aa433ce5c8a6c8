/**
 * Reminders and notices in the cloud: the reminders function, run every morning at 09:00
 * Asia/Shanghai by EventBridge Scheduler (retries and a dead-letter queue: DailySchedule), its
 * secret (SMTP password, robots' addresses and DingTalk signing secrets) in Secrets Manager, and
 * an alarm when a notice was dead-lettered. Granted exactly what the run reads and writes.
 *
 * Settings come from the `evidenceDepositNotices` context in cdk.json (all optional):
 * `{ "settings": NoticeSettings, "channels": NoticeChannelsConfig, "sesIdentity": "example.gov.cn" }`.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { z } from 'zod';
import type { DeadlineRules } from '#domain/deadline.ts';
import { NoticeSettingsSchema } from '#domain/reminders.ts';
import { METRICS_NAMESPACE } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';
import { NoticeChannelsConfigSchema } from '#resources/notice-channels.ts';
import { TABLES } from '#resources/specs.ts';
import { DailySchedule } from './daily-schedule.ts';
import { EvidenceFunction } from './evidence-function.ts';
import type { Ledger } from './ledger.ts';
import { acknowledge } from './nag.ts';

export const REMINDERS_CRON = { minute: '0', hour: '9' } as const;
export const NOTICES_CONTEXT = 'evidenceDepositNotices';

export const NoticesContextSchema = z
  .object({
    settings: NoticeSettingsSchema.partial().default({}),
    channels: NoticeChannelsConfigSchema.default({ from: 'evidence-deposit <noreply@evidence-deposit.invalid>', mail: { transport: 'none' } }),
    /** The SES identity (domain or address) mail is sent from, when channels.mail.transport is ses. */
    sesIdentity: z.string().optional(),
  })
  .default({ settings: {}, channels: { from: 'evidence-deposit <noreply@evidence-deposit.invalid>', mail: { transport: 'none' } } });
export type NoticesContext = z.infer<typeof NoticesContextSchema>;

export interface NoticesProps {
  readonly ledger: Ledger;
  readonly deadlineRules: DeadlineRules;
  readonly logRetention: RetentionDays;
  readonly config?: unknown;
}

export class Notices extends Construct {
  readonly function: EvidenceFunction;
  readonly secret: Secret;
  readonly schedule: DailySchedule;
  readonly config: NoticesContext;

  constructor(scope: Construct, id: string, props: NoticesProps) {
    super(scope, id);
    this.config = NoticesContextSchema.parse(props.config ?? Stack.of(this).node.tryGetContext(NOTICES_CONTEXT));
    const { tables } = props.ledger;

    // Filled in by an operator (aws secretsmanager put-secret-value): {"smtpPassword": "…", "webhooks": {"<name>": {"url": "…", "signSecret": "SEC…"}}}.
    this.secret = new Secret(this, 'Secret', {
      description: 'Notices: SMTP password and group robots (WeCom/DingTalk) addresses and signing secrets, as JSON',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.secret,
      'The SMTP password and robot keys are issued by the province mail server and by WeCom/DingTalk, which offer no rotation API for a Lambda to call; they are rotated by hand there, then put here (the function re-reads the secret every few minutes).',
      'AwsSolutions-SMG4',
    );

    this.function = new EvidenceFunction(this, 'Reminders', {
      handler: 'reminders',
      description: 'Deadline reminders, department digests, reviewer inbox alerts and the news of attempts and decisions, each sent once',
      memorySize: 512,
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
      environment: {
        [ENV.deadlineRules]: JSON.stringify(props.deadlineRules),
        [ENV.noticeSettings]: JSON.stringify(this.config.settings),
        [ENV.noticeChannels]: JSON.stringify(this.config.channels),
        [ENV.noticeSecretArn]: this.secret.secretArn,
      },
    })
      .bindTable(tables.registry, 'registry', 'read')
      .bindTable(tables.deposits, 'deposits', 'read')
      .bindTable(tables.contacts, 'contacts', 'read');
    // The notices table: claim (a conditional PutItem) and settle (UpdateItem); nothing else.
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [tables.notices.tableArn] }));
    this.function.addEnvironment(ENV.noticesTable, tables.notices.tableName);
    // Attempts: read one (GetItem), list the pending ones (Query on the sparse index only), clear the mark (UpdateItem).
    const pendingIndex = TABLES.attempts.indexes.find((i) => i.indexName === 'byNoticePending')?.indexName ?? 'byNoticePending';
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [tables.attempts.tableArn] }));
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${tables.attempts.tableArn}/index/${pendingIndex}`] }));
    this.function.addEnvironment(ENV.attemptsTable, tables.attempts.tableName);
    this.secret.grantRead(this.function);
    if (this.config.channels.mail.transport === 'ses') {
      if (!this.config.sesIdentity) throw new Error(`${NOTICES_CONTEXT}.sesIdentity is required when channels.mail.transport is ses`);
      const stack = Stack.of(this);
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: this.config.sesIdentity })],
        }),
      );
    }

    this.schedule = new DailySchedule(this, 'Schedule', {
      target: this.function,
      name: 'reminders',
      cron: REMINDERS_CRON,
      description: 'reminders and notices at 09:00 Asia/Shanghai',
      scheduleId: 'Morning',
    });
  }

  /** A notice that failed every try: someone should look at the channel (and redrive by hand). */
  alarmOn(topic: ITopic): Alarm {
    const alarm = new Alarm(this, 'NoticesDeadLettered', {
      alarmDescription: 'A reminder or notice failed every try and was recorded as dead-lettered in the notices table: check the channel (SMTP, SES, robot).',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'NoticesDeadLettered',
        dimensionsMap: { service: 'reminders' },
        period: Duration.hours(1),
        statistic: 'Sum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(topic));
    return alarm;
  }
}
