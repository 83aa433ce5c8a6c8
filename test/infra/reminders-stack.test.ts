/** The reminders function in the cloud stack: its morning schedule, dead-letter path, alarms, secret and least-privilege grants. */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#resources/env.ts';
import { defaultTemplate } from './build-stack.ts';

type Resources = Record<string, { Properties: Record<string, any> }>;

let template: Template;

beforeAll(() => {
  template = defaultTemplate();
});

function remindersFunction(): { id: string; props: Record<string, any> } {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }) as Resources;
  const entry = Object.entries(fns).find(([id]) => id.startsWith('NoticesReminders'));
  if (!entry) throw new Error('no reminders function');
  return { id: entry[0], props: entry[1].Properties };
}

function statements(): any[] {
  const roleId = remindersFunction().props.Role['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (s: any): string[] => [s.Action].flat();

describe('reminders', () => {
  it('runs every morning at 09:00 Asia/Shanghai with retries and a dead-letter queue, whose depth is alarmed', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: {
        Arn: { 'Fn::GetAtt': [remindersFunction().id, 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: remindersFunction().id },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm') as Resources).map(([id]) => id);
    expect(alarms.some((id) => id.startsWith('AlarmsremindersDeadLetterNotEmpty'))).toBe(true);
    expect(alarms.some((id) => id.startsWith('AlarmsRemindersErrors'))).toBe(true);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NoticesDeadLettered',
      Namespace: 'EvidenceDeposit',
      Dimensions: [{ Name: 'service', Value: 'reminders' }],
      Threshold: 0,
      AlarmActions: Match.anyValue(),
    });
  });

  it('reads its secret from Secrets Manager (read only, this secret only) and names it in its environment', () => {
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(secretId).toMatch(/^NoticesSecret/);
    const env = remindersFunction().props.Environment.Variables;
    expect(env[ENV.noticeSecretArn]).toEqual({ Ref: secretId });
    const secretGrants = statements().filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    expect(secretGrants).toHaveLength(1);
    expect(actionsOf(secretGrants[0]).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(secretGrants[0].Resource).toEqual({ Ref: secretId });
  });

  it('may claim and settle notices, read the attempts it tells of and clear their mark, and nothing wider', () => {
    const all = statements();
    const dynamo = all.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const forTable = (prefix: string) => dynamo.filter((s) => JSON.stringify(s.Resource).includes(prefix));
    expect(forTable('LedgerNotices').flatMap(actionsOf).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    const attempts = forTable('LedgerAttempts');
    expect(attempts.flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const query = attempts.find((s) => actionsOf(s).includes('dynamodb:Query'));
    expect(JSON.stringify(query.Resource)).toContain('/index/byNoticePending');
    // No deletes, scans or batch writes anywhere.
    expect(dynamo.flatMap(actionsOf).filter((a) => /Delete|Scan|BatchWrite/.test(a))).toEqual([]);
    // No mail permission unless SES is configured.
    expect(all.flatMap(actionsOf).filter((a) => a.startsWith('ses:'))).toEqual([]);
  });
});
