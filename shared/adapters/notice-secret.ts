/**
 * The deployment's notice secret in Secrets Manager: the SMTP password and the group robots'
 * addresses (a WeCom address carries its key) and DingTalk signing secrets. Read on first use and
 * kept for a few minutes, so a rotated secret is picked up without a cold start; concurrent calls
 * share one read.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

export const NoticeSecretSchema = z.object({
  smtpPassword: z.string().optional(),
  /** `secret:<name>` in a contact's webhook names an entry here. */
  webhooks: z.record(z.string(), z.object({ url: z.url(), signSecret: z.string().optional() })).default({}),
});
export type NoticeSecret = z.infer<typeof NoticeSecretSchema>;

export interface NoticeSecretSource {
  get(): Promise<NoticeSecret>;
}

export const NO_NOTICE_SECRET: NoticeSecretSource = { get: async () => NoticeSecretSchema.parse({}) };

export class SecretsManagerNoticeSecret implements NoticeSecretSource {
  private cached?: { at: number; value: Promise<NoticeSecret> };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly ttlMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  get(): Promise<NoticeSecret> {
    if (!this.cached || this.clock() - this.cached.at > this.ttlMs) {
      const value = this.client
        .send(new GetSecretValueCommand({ SecretId: this.secretId }))
        .then((out) => NoticeSecretSchema.parse(JSON.parse(out.SecretString ?? '{}')));
      // A failed read is not kept: the next call tries again.
      value.catch(() => {
        if (this.cached?.value === value) this.cached = undefined;
      });
      this.cached = { at: this.clock(), value };
    }
    return this.cached.value;
  }
}
