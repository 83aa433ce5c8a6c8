/**
 * How notices leave a deployment (ENV.noticeChannels), read by the reminders function and set by
 * the CDK stack and the twin: one schema for all three.
 */
import { z } from 'zod';

const name = z.string().min(1);

/** How mail leaves this deployment: a province's SMTP server, SES, or not at all (robots only). */
export const NoticeChannelsConfigSchema = z.object({
  /** The sender, e.g. `碳排放存证系统 <noreply@sthjt.jiangxi.gov.cn>`. */
  from: z.string().min(3).default('evidence-deposit <noreply@evidence-deposit.invalid>'),
  mail: z
    .discriminatedUnion('transport', [
      z.object({
        transport: z.literal('smtp'),
        host: name,
        port: z.number().int().min(1).max(65535).default(587),
        secure: z.boolean().default(false),
        /** With a user, the password is the notice secret's `smtpPassword`. */
        user: z.string().optional(),
        requireTls: z.boolean().default(true),
      }),
      z.object({ transport: z.literal('ses'), region: z.string().optional() }),
      z.object({ transport: z.literal('none') }),
    ])
    .default({ transport: 'none' }),
});
export type NoticeChannelsConfig = z.infer<typeof NoticeChannelsConfigSchema>;
