/** The notice secret: read from Secrets Manager on first use, shared by concurrent calls, kept for a while, a failed read not kept. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerNoticeSecret } from '#adapters/notice-secret.ts';

const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:notices-AbCdEf';

beforeEach(() => sm.reset());

describe('SecretsManagerNoticeSecret', () => {
  it('reads once for overlapping calls and again after the time to live', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: JSON.stringify({ smtpPassword: 'p1', webhooks: {} }) });
    let now = 0;
    const secret = new SecretsManagerNoticeSecret(new SecretsManagerClient({}), ARN, 60_000, () => now);
    const [a, b] = await Promise.all([secret.get(), secret.get()]);
    expect(a.smtpPassword).toBe('p1');
    expect(b).toBe(a);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now = 61_000;
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ smtpPassword: 'p2' }) });
    expect((await secret.get()).smtpPassword).toBe('p2');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('does not keep a failed read: the next call tries again', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: '{"webhooks":{"x":{"url":"https://oapi.dingtalk.com/robot/send?access_token=t"}}}' });
    const secret = new SecretsManagerNoticeSecret(new SecretsManagerClient({}), ARN);
    await expect(secret.get()).rejects.toThrow('throttled');
    expect((await secret.get()).webhooks.x?.url).toContain('dingtalk');
  });
});
