/** The reconcile function in the cloud stack: its schedule, its dead-letter path and its least-privilege grants. */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#resources/env.ts';
import { defaultTemplate } from './build-stack.ts';

type Resources = Record<string, { Properties: Record<string, any> }>;

let template: Template;

beforeAll(() => {
  template = defaultTemplate();
});

function reconcileFunction(): { id: string; props: Record<string, any> } {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }) as Resources;
  const entry = Object.entries(fns).find(([id]) => id.startsWith('FunctionsReconcile'));
  if (!entry) throw new Error('no reconcile function');
  return { id: entry[0], props: entry[1].Properties };
}

function statementsOfReconcile(): any[] {
  const roleId = reconcileFunction().props.Role['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const logicalIdOf = (ref: any): string => ref?.['Fn::GetAtt']?.[0] ?? ref?.Ref;

describe('reconcile', () => {
  it('runs daily at 01:00 Asia/Shanghai, before the nightly summary, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: {
        Arn: { 'Fn::GetAtt': [reconcileFunction().id, 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: reconcileFunction().id },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('knows the bucket, the attempts table and the intake queue', () => {
    const env = reconcileFunction().props.Environment.Variables;
    expect(Object.keys(env)).toEqual(expect.arrayContaining([ENV.depositBucket, ENV.attemptsTable, ENV.intakeQueueUrl]));
    expect(logicalIdOf(env[ENV.intakeQueueUrl])).toMatch(/^QueuesIntake/);
  });

  it('may list reports/ (every version), BatchGetItem attempts and send to intake — and nothing else', () => {
    const all = statementsOfReconcile().filter((s) => ![s.Action].flat().some((a: string) => a.startsWith('logs:')));
    // Lambda delivers a failed asynchronous run to its on-failure destination under the function's role.
    const toOwnDlq = (s: any) => logicalIdOf([s.Resource].flat()[0]).startsWith('ReconcileScheduleDeadLetter');
    expect(all.filter(toOwnDlq).flatMap((s) => [s.Action].flat())).toContain('sqs:SendMessage');
    const statements = all.filter((s) => !toOwnDlq(s));
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();

    expect(actions).toEqual(['dynamodb:BatchGetItem', 's3:ListBucket', 's3:ListBucketVersions', 'sqs:SendMessage']);
    const list = statements.find((s) => [s.Action].flat().includes('s3:ListBucketVersions'));
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['reports/*'] } });
    expect(logicalIdOf([list.Resource].flat()[0])).toMatch(/^DepositStorage/);
    const get = statements.find((s) => [s.Action].flat().includes('dynamodb:BatchGetItem'));
    expect(logicalIdOf([get.Resource].flat()[0])).toMatch(/^LedgerAttempts/);
    const send = statements.find((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(logicalIdOf([send.Resource].flat()[0])).toMatch(/^QueuesIntake/);
  });

  it('has its dead-letter queue alarmed', () => {
    const dlqs = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => id.startsWith('ReconcileScheduleDeadLetter'));
    expect(dlqs).toHaveLength(1);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);
    expect(alarms.some((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(dlqs[0] as string))).toBe(true);
  });
});
