/**
 * Group robots: WeCom (企业微信) and DingTalk (钉钉) custom robots take a JSON text message by
 * POST to their webhook address and answer `{"errcode":0,"errmsg":"ok"}` (HTTP 200 with another
 * errcode is a refusal). A DingTalk robot with 加签 enabled wants `timestamp` (ms) and `sign` =
 * base64(HMAC-SHA256(secret, timestamp + "\n" + secret)) on the query string.
 */
import { createHmac } from 'node:crypto';
import type { NoticeChannel } from '#app/ports.ts';
import type { NoticeTarget, Webhook } from '#domain/contacts.ts';
import type { Message } from '#domain/notices.ts';
import type { NoticeSecretSource } from './notice-secret.ts';

export function dingTalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** The robot's JSON body: a text message, the subject as its first line. */
export function robotBody(robot: Webhook['robot'], message: Message): unknown {
  const content = `${message.subject}\n\n${message.text}`;
  // Both robots take the same text shape; WeCom caps content at 2048 bytes, DingTalk at 20000.
  return { msgtype: 'text', text: { content: robot === 'wecom' ? truncateBytes(content, 2048) : content } };
}

function truncateBytes(text: string, max: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  // Cut on a character boundary: decoding a cut-off sequence would give U+FFFD.
  let cut = max - 3;
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return `${bytes.subarray(0, cut).toString('utf8')}…`;
}

export class WebhookChannel implements Pick<NoticeChannel, 'deliver'> {
  constructor(
    private readonly secrets: NoticeSecretSource,
    private readonly fetchFn: typeof fetch = fetch,
    private readonly clock: () => number = Date.now,
    private readonly timeoutMs = 10_000,
  ) {}

  async deliver(target: NoticeTarget, message: Message): Promise<void> {
    if (target.channel !== 'webhook') throw new Error(`the webhook channel does not send to ${target.channel}`);
    const { robot } = target.webhook;
    const { url, signSecret } = await this.resolve(target.webhook);
    const address = new URL(url);
    if (robot === 'dingtalk' && signSecret) {
      const timestamp = this.clock();
      address.searchParams.set('timestamp', String(timestamp));
      address.searchParams.set('sign', dingTalkSign(signSecret, timestamp));
    }
    const response = await this.fetchFn(address, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(robotBody(robot, message)),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${robot} robot answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    let errcode: unknown = 0;
    try {
      errcode = (JSON.parse(text) as { errcode?: unknown }).errcode ?? 0;
    } catch {
      // A sink or proxy that answers 200 with no JSON has taken it.
    }
    if (errcode !== 0) throw new Error(`${robot} robot refused the message: ${text.slice(0, 200)}`);
  }

  private async resolve(webhook: Webhook): Promise<{ url: string; signSecret?: string }> {
    if (!webhook.url.startsWith('secret:')) return { url: webhook.url };
    const name = webhook.url.slice('secret:'.length);
    const entry = (await this.secrets.get()).webhooks[name];
    if (!entry) throw new Error(`the notice secret has no webhook named ${name}`);
    return entry;
  }
}

/** One port, two ways out: each target to the channel that speaks it. */
export class NoticeChannels implements NoticeChannel {
  constructor(
    private readonly mail: Pick<NoticeChannel, 'deliver'> | undefined,
    private readonly webhook: Pick<NoticeChannel, 'deliver'>,
  ) {}

  deliver(target: NoticeTarget, message: Message): Promise<void> {
    if (target.channel === 'webhook') return this.webhook.deliver(target, message);
    if (!this.mail) return Promise.reject(new Error('this deployment sends no e-mail (NOTICE_CHANNELS.mail is none)'));
    return this.mail.deliver(target, message);
  }
}
