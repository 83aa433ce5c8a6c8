/**
 * reminders, built from its dependencies: invoked by EventBridge Scheduler every morning
 * (Asia/Shanghai) and on the twin by its scheduler. It sends the reminders, digests and notices
 * due (shared/app/send-notices.ts). The event may name the instant to run as of (`at`); a
 * scheduled event names none. `handler.ts` builds it from the environment; tests from fakes.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import { DynamoInbox } from '#adapters/dynamo-inbox.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoContactBook, DynamoNoticeEvents, DynamoNoticeLog } from '#adapters/dynamo-notices.ts';
import { NO_NOTICE_SECRET, type NoticeSecretSource, SecretsManagerNoticeSecret } from '#adapters/notice-secret.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { MailChannel, sesTransport, smtpTransport } from '#adapters/smtp-channel.ts';
import { NoticeChannels, WebhookChannel } from '#adapters/webhook-channel.ts';
import { errorOf } from '#app/outcome.ts';
import { type NoticeDeps, runNotices } from '#app/send-notices.ts';
import { DEFAULT_NOTICE_SETTINGS, type NoticeSettings, NoticeSettingsSchema } from '#domain/reminders.ts';
import type { AwsClients } from '#lambda/clients.ts';
import { DeadlineRulesVariable } from '#lambda/config.ts';
import { lambda, type Observability } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';
import { NoticeChannelsConfigSchema } from '#resources/notice-channels.ts';

export { NoticeChannelsConfigSchema };

const name = z.string().min(1);

function jsonVariable<S extends z.ZodType>(variable: string, schema: S, fallback: z.infer<S>) {
  return z
    .string()
    .optional()
    .transform((text, ctx): z.infer<S> => {
      if (text === undefined || text.trim() === '') return fallback;
      try {
        return schema.parse(JSON.parse(text));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${variable} is not valid JSON for it: ${errorOf(error).message}` });
        return z.NEVER;
      }
    });
}

export const RemindersConfigSchema = z.object({
  [ENV.depositsTable]: name,
  [ENV.attemptsTable]: name,
  [ENV.registryTable]: name,
  [ENV.noticesTable]: name,
  [ENV.contactsTable]: name,
  [ENV.deadlineRules]: DeadlineRulesVariable,
  [ENV.noticeSettings]: jsonVariable(ENV.noticeSettings, NoticeSettingsSchema, DEFAULT_NOTICE_SETTINGS),
  [ENV.noticeChannels]: jsonVariable(ENV.noticeChannels, NoticeChannelsConfigSchema, NoticeChannelsConfigSchema.parse({})),
  [ENV.noticeSecretArn]: name.optional(),
});
export type RemindersConfig = z.infer<typeof RemindersConfigSchema>;

export const RemindersEventSchema = z.looseObject({ at: z.iso.datetime({ offset: true }).optional() });

/** The clients beyond the common ones, made only where the config asks for them. */
export interface NoticeClients {
  readonly secrets?: () => SecretsManagerClient;
  readonly ses?: (region?: string) => SESv2Client;
}

export function remindersDeps(config: RemindersConfig, clients: AwsClients, extra: NoticeClients = {}): NoticeDeps {
  const tables = { deposits: config[ENV.depositsTable], attempts: config[ENV.attemptsTable], registry: config[ENV.registryTable] };
  const secretArn = config[ENV.noticeSecretArn];
  const secret: NoticeSecretSource = secretArn && extra.secrets ? new SecretsManagerNoticeSecret(extra.secrets(), secretArn) : NO_NOTICE_SECRET;
  const channels = config[ENV.noticeChannels];
  const mail = channels.mail;
  // One transporter per container, built on first use; nodemailer's transport is safe to share.
  let transporter: Promise<Transporter> | undefined;
  const transport = (): Promise<Transporter> => {
    transporter ??=
      mail.transport === 'smtp'
        ? secret.get().then((s) => smtpTransport(mail, s.smtpPassword))
        : mail.transport === 'ses' && extra.ses
          ? sesTransport(extra.ses(mail.region))
          : Promise.reject(new Error('no mail transport configured'));
    transporter.catch(() => {
      transporter = undefined;
    });
    return transporter;
  };
  const settings: NoticeSettings = config[ENV.noticeSettings];
  return {
    reader: () => new DynamoPeriodReader(clients.db, tables),
    attempts: new DynamoLedger(clients.db, tables),
    events: new DynamoNoticeEvents(clients.db, tables.attempts),
    inbox: new DynamoInbox(clients.db, tables.deposits),
    contacts: new DynamoContactBook(clients.db, config[ENV.contactsTable]),
    log: new DynamoNoticeLog(clients.db, config[ENV.noticesTable]),
    channel: new NoticeChannels(mail.transport === 'none' ? undefined : new MailChannel(transport, channels.from), new WebhookChannel(secret)),
    rules: config[ENV.deadlineRules],
    settings,
  };
}

export function makeHandler(deps: NoticeDeps, { logger, metrics }: Observability) {
  return lambda(
    async (event: unknown) => {
      const request = RemindersEventSchema.parse(event !== null && typeof event === 'object' ? event : {});
      const run = await runNotices(deps, request.at ? new Date(request.at) : new Date());
      logger.info('notices run done', { ...run, deadLettered: run.deadLettered.length });
      if (run.deadLettered.length > 0) logger.error('notices dead-lettered', { noticeIds: run.deadLettered });
      metrics.addMetric('NoticesSent', MetricUnit.Count, run.sent);
      // Alarmed (infra/stack/notices.ts): a channel that failed every try.
      metrics.addMetric('NoticesDeadLettered', MetricUnit.Count, run.deadLettered.length);
      return run;
    },
    { logger, metrics },
  );
}
