/**
 * One describe per concern of the cloud stack, asserting the properties a security reviewer or an
 * operator relies on.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_ROUTES, PEOPLE_ROUTES, routeKeyOf } from '#resources/api-routes.ts';
import { ENV } from '#resources/env.ts';
import { INTAKE_EVENT_SOURCE, QUEUES, TABLES, VALIDATE_DEPOSIT_TIMEOUT_SECONDS } from '#resources/specs.ts';
import { DEPARTMENT_ARN, REVIEWER_ARN, defaultTemplate } from './build-stack.ts';

type Resources = Record<string, { Properties: Record<string, any> }>;

let template: Template;

beforeAll(() => {
  template = defaultTemplate();
});

function functionByHandler(name: string): { id: string; props: Record<string, any> } {
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.anyValue(), Runtime: 'nodejs24.x' },
  }) as Resources;
  const prefix = {
    'validate-deposit': 'FunctionsValidateDeposit',
    'nightly-summary': 'FunctionsNightlySummary',
    query: 'FunctionsQuery',
    review: 'FunctionsReview',
    deposit: 'FunctionsDeposit',
    registry: 'FunctionsRegistry',
  }[name];
  const entry = Object.entries(fns).find(([id]) => id.startsWith(prefix ?? '?'));
  if (!entry) throw new Error(`no function for ${name}`);
  return { id: entry[0], props: entry[1].Properties };
}

function policyStatementsOfRoleOf(fnName: string): any[] {
  const { props } = functionByHandler(fnName);
  const roleId = props.Role['Fn::GetAtt'][0] as string;
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const logicalIdOf = (ref: any): string | undefined => ref?.['Fn::GetAtt']?.[0] ?? ref?.Ref;

const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat()).sort();

describe('deposit bucket', () => {
  it('is versioned, Object Lock protected for five years in governance mode by default', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: 5 } } },
    });
  });

  it('is encrypted, never public, logged, and moves old periods to cheaper storage without expiring them', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'deposits/' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 90 },
              { StorageClass: 'GLACIER_IR', TransitionInDays: 365 },
            ],
            ExpirationInDays: Match.absent(),
          }),
        ],
      },
    });
  });

  it('refuses every request not made over TLS, on every bucket', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources);
    // deposits, access logs, exports, the web app's site and its CloudFront logs: every bucket has one.
    expect(policies).toHaveLength(Object.keys(template.findResources('AWS::S3::Bucket')).length);
    expect(policies).toHaveLength(5);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('enterprise access (ABAC)', () => {
  const own = (root: string) => Match.objectLike({ 'Fn::Join': ['', [Match.anyValue(), `/${root}/\${aws:PrincipalTag/enterpriseId}/*`]] });

  it('lets a tagged principal write and read only under its own reports/ and evidence/ prefixes', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'UploadOwnDeposits',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: [own('evidence'), own('reports')],
            Condition: { Null: { 'aws:PrincipalTag/enterpriseId': 'false' } },
          }),
          Match.objectLike({ Sid: 'ReadOwnDeposits', Effect: 'Allow', Resource: [own('evidence'), own('reports')] }),
          Match.objectLike({
            Sid: 'ListOwnPrefixes',
            Condition: Match.objectLike({
              StringLike: { 's3:prefix': ['reports/${aws:PrincipalTag/enterpriseId}/*', 'evidence/${aws:PrincipalTag/enterpriseId}/*'] },
            }),
          }),
          Match.objectLike({ Sid: 'NeverBypassRetention', Effect: 'Deny', Action: Match.arrayWith(['s3:BypassGovernanceRetention', 's3:DeleteObject']) }),
        ]),
      },
    });
  });

  it("grants no allow on any key outside the principal's own prefixes", () => {
    const [policy] = Object.values(
      template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('ABAC') } }) as Resources,
    );
    const allowed = policy!.Properties.PolicyDocument.Statement.filter(
      (s: any) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a.startsWith('s3:Put') || a.startsWith('s3:Get')),
    );
    for (const statement of allowed) {
      for (const resource of [statement.Resource].flat()) expect(JSON.stringify(resource)).toContain('${aws:PrincipalTag/enterpriseId}');
    }
  });
});

describe('ledger tables', () => {
  it.each(Object.keys(TABLES))('%s is on-demand, point-in-time recoverable and deletion protected', (name) => {
    const tables = template.findResources('AWS::DynamoDB::Table') as Resources;
    const [, table] = Object.entries(tables).find(([id]) => id.toLowerCase().startsWith(`ledger${name}`)) ?? [];
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('queues', () => {
  it('encrypts every queue and refuses non-TLS access', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue') as Resources);
    expect(queues.length).toBe(Object.keys(QUEUES).length * 2 + 3); // + the nightly, reconcile and reminders dead-letter queues
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy') as Resources);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('gives the intake queue at least 6x the validate-deposit timeout as visibility', () => {
    const { props } = functionByHandler('validate-deposit');
    expect(props.Timeout).toBe(VALIDATE_DEPOSIT_TIMEOUT_SECONDS);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: Match.anyValue(),
      RedrivePolicy: { maxReceiveCount: QUEUES.intake.maxReceiveCount, deadLetterTargetArn: Match.anyValue() },
    });
    expect(QUEUES.intake.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * props.Timeout);
  });
});

describe('functions', () => {
  it('run on ARM64 with the newest Node.js runtime, JSON logs to a retained log group, ESM bundles with source maps', () => {
    for (const name of ['validate-deposit', 'nightly-summary', 'query', 'review', 'deposit', 'registry']) {
      const { props } = functionByHandler(name);
      expect(props).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
      });
      expect(props.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
  });

  it('validate-deposit consumes intake in batches with partial failures, capped by reserved and event-source concurrency', () => {
    const { id, props } = functionByHandler('validate-deposit');
    expect(props.ReservedConcurrentExecutions).toBe(5);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: id },
      BatchSize: INTAKE_EVENT_SOURCE.batchSize,
      MaximumBatchingWindowInSeconds: INTAKE_EVENT_SOURCE.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('validate-deposit gets every variable it reads, set together with its grant', () => {
    const { props } = functionByHandler('validate-deposit');
    expect(Object.keys(props.Environment.Variables).sort()).toEqual(
      expect.arrayContaining([
        ENV.depositBucket,
        ENV.depositsTable,
        ENV.attemptsTable,
        ENV.registryTable,
        ENV.reviewQueueUrl,
        ENV.intakeQueueUrl,
        ENV.deadlineRules,
      ]),
    );
    expect(JSON.parse(props.Environment.Variables[ENV.deadlineRules])).toMatchObject({ days: 40 });
  });

  it('validate-deposit may list the deposit bucket without a prefix condition, so a missing evidence file is a 404', () => {
    const listing = policyStatementsOfRoleOf('validate-deposit').filter((s) => [s.Action].flat().includes('s3:ListBucket'));
    expect(listing).toHaveLength(1);
    expect(listing[0].Condition).toBeUndefined();
    expect(JSON.stringify(listing[0].Resource)).not.toContain('/*');
  });

  it('validate-deposit holds only the actions it uses, with no action wildcard and no delete', () => {
    const statements = policyStatementsOfRoleOf('validate-deposit');
    const actions = actionsOf(statements);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => /Delete(Item|Object)|Scan/.test(a))).toEqual([]);
    // It writes only the detail objects of attempts too large for a ledger item, never a deposit file.
    const writes = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(writes)).toMatch(/\/validation\/\*/);
    expect(JSON.stringify(writes)).not.toMatch(/\/(reports|evidence)\//);
    expect(actions).toEqual(
      expect.arrayContaining([
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
        'sqs:SendMessage',
        'sqs:ReceiveMessage',
      ]),
    );
  });

  it('validate-deposit may send to the intake queue it consumes (a report handed back while its evidence uploads), and to the review queue', () => {
    const statements = policyStatementsOfRoleOf('validate-deposit').filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    const queues = statements.flatMap((s) => [s.Resource].flat().map((r) => logicalIdOf(r)));
    expect(queues.some((id) => /^QueuesIntake/.test(id ?? ''))).toBe(true);
    expect(queues.some((id) => /^QueuesReview/.test(id ?? ''))).toBe(true);
    const { props } = functionByHandler('validate-deposit');
    expect(logicalIdOf(props.Environment.Variables[ENV.intakeQueueUrl])).toMatch(/^QueuesIntake/);
  });

  it('review may write the ledger and send review messages but never receive or delete them; query may only read', () => {
    const review = actionsOf(policyStatementsOfRoleOf('review'));
    expect(review).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'sqs:SendMessage']));
    expect(review.filter((a) => /sqs:(Receive|Delete)|DeleteItem|s3:(Put|Delete)/.test(a))).toEqual([]);
    const query = actionsOf(policyStatementsOfRoleOf('query'));
    expect(query.filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)|sqs:|s3:(Put|Delete)/.test(a))).toEqual([]);
  });

  const s3Statements = (fn: string) => policyStatementsOfRoleOf(fn).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
  const prefixesIn = (statements: any[]) => [...JSON.stringify(statements).matchAll(/\/([a-z]+)\/\*/g)].map((m) => m[1]).sort();

  it('review reads (for presigned links) the reports, evidence and validation detail of the deposit bucket, named in DEPOSIT_BUCKET', () => {
    const reads = s3Statements('review');
    expect(actionsOf(reads)).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(prefixesIn(reads)).toEqual(['evidence', 'reports', 'validation']);
    expect(logicalIdOf(functionByHandler('review').props.Environment.Variables[ENV.depositBucket])).toMatch(/^DepositStorageDeposits/);
  });

  it('query lists and reads (for presigned links) only the exports of the export bucket, named in EXPORT_BUCKET', () => {
    const s3 = s3Statements('query');
    const reads = s3.filter((st) => [st.Action].flat().includes('s3:GetObject'));
    expect(actionsOf(reads)).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(prefixesIn(reads)).toEqual(['exports']);
    const listing = s3.filter((st) => [st.Action].flat().includes('s3:ListBucket'));
    expect(listing).toHaveLength(1);
    expect(listing[0].Condition).toEqual({ StringLike: { 's3:prefix': ['exports/*'] } });
    expect(actionsOf(s3)).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']);
    expect(logicalIdOf(functionByHandler('query').props.Environment.Variables[ENV.exportBucket])).toMatch(/^ExportsBucket/);
  });

  it('deposit may put (the URLs it presigns carry it) only under reports/ and evidence/, and read the registry', () => {
    const s3 = s3Statements('deposit');
    expect(actionsOf(s3)).toEqual(['s3:PutObject']);
    expect(prefixesIn(s3)).toEqual(['evidence', 'reports']);
    const actions = actionsOf(policyStatementsOfRoleOf('deposit'));
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(expect.arrayContaining(['dynamodb:GetItem']));
    expect(actions.filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)|s3:(Get|Delete|List)|sqs:/.test(a))).toEqual([]);
    const env = functionByHandler('deposit').props.Environment.Variables;
    expect(Object.keys(env)).toEqual(expect.arrayContaining([ENV.depositBucket, ENV.registryTable, ENV.identityClaims]));
  });

  it('registry reads and writes the registry table and nothing else', () => {
    const statements = policyStatementsOfRoleOf('registry').filter((s) => [s.Action].flat().some((a: string) => /^(dynamodb|s3|sqs):/.test(a)));
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem']));
    const resources = [...JSON.stringify(statements).matchAll(/"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z0-9]+)"/g)].map((m) => m[1]);
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.filter((id) => !/^LedgerRegistry/.test(id ?? ''))).toEqual([]);
    expect(Object.keys(functionByHandler('registry').props.Environment.Variables)).toEqual(expect.arrayContaining([ENV.registryTable, ENV.identityClaims]));
  });

  it.each(['query', 'review', 'deposit', 'registry'])('the API function %s reads the Cognito claim names from IDENTITY_CLAIMS', (name) => {
    const claims = JSON.parse(functionByHandler(name).props.Environment.Variables[ENV.identityClaims]);
    expect(claims).toEqual({ role: 'cognito:groups', enterpriseId: 'custom:credit_code', level: 'custom:review_level', jurisdiction: 'custom:jurisdiction' });
  });
});

describe('nightly schedule', () => {
  it('runs at 02:00 Asia/Shanghai with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 } },
    });
  });

  it('sends failed asynchronous runs of nightly-summary to the same dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('HTTP APIs (the JWT and IAM doors are asserted in api-authorization.test.ts)', () => {
  const stages = () => Object.values(template.findResources('AWS::ApiGatewayV2::Stage') as Resources).map((r) => r.Properties);

  it('throttle and access-log both stages', () => {
    expect(stages()).toHaveLength(2);
    for (const stage of stages()) {
      expect(stage).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
        AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.any(String) },
      });
    }
  });

  it("log the person's subject on the people's API and the IAM caller on the machines' API", () => {
    const formats = stages().map((stage) => JSON.parse(stage.AccessLogSettings.Format).caller);
    expect(formats.sort()).toEqual(['$context.authorizer.claims.sub', '$context.identity.userArn']);
  });

  it('serve the people routes and the machine routes from the shared table', () => {
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources).map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual([...PEOPLE_ROUTES, ...MACHINE_ROUTES].map(routeKeyOf).sort());
  });
});

describe('principals', () => {
  function managedPolicy(description: RegExp): Record<string, any> {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy') as Resources).filter((p) => description.test(p.Properties.Description));
    expect(policies).toHaveLength(1);
    return policies[0]!.Properties;
  }
  const statement = (policy: Record<string, any>, sid: string) => policy.PolicyDocument.Statement.find((s: any) => s.Sid === sid);
  const routesIn = (statementValue: any) => JSON.stringify(statementValue).match(/\/\$default\/[A-Z]+\/[^"]*/g) ?? [];

  const arnPathOf = (r: { method: string; path: string }) => `/$default/${r.method}${r.path.replace(/\{[^}]+\}/g, '*')}`;
  const machineApiIdIn = (statementValue: any) => new Set(JSON.stringify(statementValue).match(/MachineApi[0-9A-F]{8}/g));

  it("departments may call the machines' API routes granted to departments and read the nightly exports, attached to the configured user", () => {
    const department = managedPolicy(/^Department/);
    expect(department.Users).toEqual([DEPARTMENT_ARN.split('/').pop()]);
    const expected = MACHINE_ROUTES.filter((r) => r.iam === 'department').map(arnPathOf);
    expect(routesIn(statement(department, 'MachineApi')).sort()).toEqual(expected.sort());
    expect([...machineApiIdIn(statement(department, 'MachineApi'))]).toHaveLength(1);
    expect(JSON.stringify(statement(department, 'MachineApi'))).not.toContain('PeopleApi');
    expect(statement(department, 'Exports').Action).toBe('s3:GetObject');
  });

  it('departments may not decide, nor touch deposits or the review queue', () => {
    const text = JSON.stringify(managedPolicy(/^Department/).PolicyDocument);
    expect(text).not.toContain('/decision');
    expect(text).not.toContain('DepositStorageDeposits');
    expect(text).not.toContain('sqs:');
  });

  it("reviewers may call the machines' reviewer and department routes, take review messages and read deposits, attached to the configured role", () => {
    const reviewer = managedPolicy(/reviewer/);
    expect(reviewer.Roles).toEqual([REVIEWER_ARN.split('/').pop()]);
    const expected = MACHINE_ROUTES.filter((r) => r.iam === 'department' || r.iam === 'reviewer').map(arnPathOf);
    expect(routesIn(statement(reviewer, 'MachineApi')).sort()).toEqual(expected.sort());
    expect(statement(reviewer, 'ReviewQueue').Action).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(statement(reviewer, 'ReadDepositsUnderReview').Action).not.toContain('s3:PutObject');
  });

  it('an enterprise may call its own history route only', () => {
    const enterprise = managedPolicy(/ABAC/);
    expect(routesIn(statement(enterprise, 'OwnHistory'))).toEqual(['/$default/GET/enterprises/${aws:PrincipalTag/enterpriseId}/history']);
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map((a) => a.Properties);

  it('fires when any dead-letter queue holds a message', () => {
    const dlqAlarms = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms).toHaveLength(5); // intake, review, nightly, reconcile, reminders
    for (const alarm of dlqAlarms) expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('fires on errors of every function', () => {
    // validate-deposit, nightly-summary, query, review, reconcile, deposit, registry, reminders
    expect(alarms().filter((a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda')).toHaveLength(8);
  });

  it('fires when intake falls behind', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 900 });
  });

  it('fires when nightly-summary has not succeeded in 26 hours, counting silence as failure', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(invocations, 0) - FILL(errors, 0)' })]),
    });
  });

  it('notifies an encrypted, TLS-only topic', () => {
    for (const alarm of alarms()) expect(alarm.AlarmActions).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});
