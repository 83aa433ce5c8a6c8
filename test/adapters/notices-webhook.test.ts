/** The group robots' channel: WeCom and DingTalk JSON, DingTalk's signature, refusals as failures, secret: addresses. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NoticeSecretSchema } from '#adapters/notice-secret.ts';
import { dingTalkSign, WebhookChannel } from '#adapters/webhook-channel.ts';

const message = { subject: '【存证提醒】2026年3月月度存证还有3天截止', text: '正文' };

function recorder(answer: { status?: number; body?: string } = {}) {
  const calls: { url: URL; body: unknown }[] = [];
  const fetchFn = (async (url: URL, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    return new Response(answer.body ?? '{"errcode":0,"errmsg":"ok"}', { status: answer.status ?? 200 });
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

const secrets = (value: unknown = {}) => ({ get: async () => NoticeSecretSchema.parse(value) });

describe('WebhookChannel', () => {
  it('posts a WeCom text message with the subject as its first line', async () => {
    const { calls, fetchFn } = recorder();
    await new WebhookChannel(secrets(), fetchFn).deliver(
      { channel: 'webhook', webhook: { robot: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' } },
      message,
    );
    expect(calls[0]?.body).toEqual({ msgtype: 'text', text: { content: `${message.subject}\n\n正文` } });
    expect(calls[0]?.url.searchParams.get('key')).toBe('k');
  });

  it("signs a DingTalk robot's request from the secret: HMAC-SHA256 of timestamp\\nsecret, base64", async () => {
    const { calls, fetchFn } = recorder();
    const secret = 'SEC0123456789';
    const channel = new WebhookChannel(
      secrets({ webhooks: { nanchang: { url: 'https://oapi.dingtalk.com/robot/send?access_token=t', signSecret: secret } } }),
      fetchFn,
      () => 1_700_000_000_000,
    );
    await channel.deliver({ channel: 'webhook', webhook: { robot: 'dingtalk', url: 'secret:nanchang' } }, message);
    const url = calls[0]?.url as URL;
    expect(url.searchParams.get('access_token')).toBe('t');
    expect(url.searchParams.get('timestamp')).toBe('1700000000000');
    const expected = createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(dingTalkSign(secret, 1_700_000_000_000)).toBe(expected);
  });

  it('fails on an HTTP error and on a 200 whose errcode is not 0 (a refused message)', async () => {
    const target = { channel: 'webhook' as const, webhook: { robot: 'dingtalk' as const, url: 'https://oapi.dingtalk.com/robot/send?access_token=t' } };
    await expect(new WebhookChannel(secrets(), recorder({ status: 500 }).fetchFn).deliver(target, message)).rejects.toThrow('HTTP 500');
    await expect(
      new WebhookChannel(secrets(), recorder({ body: '{"errcode":310000,"errmsg":"sign not match"}' }).fetchFn).deliver(target, message),
    ).rejects.toThrow('sign not match');
    await expect(
      new WebhookChannel(secrets(), recorder().fetchFn).deliver({ ...target, webhook: { ...target.webhook, url: 'secret:nope' } }, message),
    ).rejects.toThrow('no webhook named nope');
  });
});
