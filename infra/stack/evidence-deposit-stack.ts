/**
 * One stack, one construct per concern. Stateful constructs (storage, ledger, queues) are built
 * first and handed to the stateless ones as typed props, never looked up by name.
 */
import { Aws, CfnOutput, Fn, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import { AccessPolicies } from './access-policies.ts';
import { Alarms } from './alarms.ts';
import { DepositStorage } from './deposit-storage.ts';
import { ExportStorage } from './export-storage.ts';
import { PipelineFunctions } from './functions.ts';
import { Ledger } from './ledger.ts';
import { DailySchedule, NIGHTLY_CRON, RECONCILE_CRON } from './daily-schedule.ts';
import { Identity } from './identity.ts';
import { MachineApi } from './machine-api.ts';
import { PeopleApi } from './people-api.ts';
import { Queues } from './queues.ts';
import { Notices } from './notices.ts';
import { planWebHosting, WebHosting } from './web-hosting.ts';

export interface EvidenceDepositStackProps extends StackProps {
  readonly config: InfraConfig;
}

export class EvidenceDepositStack extends Stack {
  readonly storage: DepositStorage;
  readonly ledger: Ledger;
  readonly queues: Queues;
  /** Nightly exports (exports/), presigned by query, read by departments. */
  readonly exports: ExportStorage;
  /** The web app: private bucket, CloudFront, security headers, config.json. */
  readonly web: WebHosting;
  /** Signs receipts (回执); asymmetric, so there is no rotation: a new key would be a new published key. */
  readonly receiptKey: Key;
  readonly functions: PipelineFunctions;
  readonly schedule: DailySchedule;
  readonly reconcileSchedule: DailySchedule;
  readonly identity: Identity;
  /** For people: every route behind the OIDC issuer's JWT authorizer. */
  readonly peopleApi: PeopleApi;
  /** For machines and operators: every route IAM-authorised (SigV4). */
  readonly machineApi: MachineApi;
  readonly access: AccessPolicies;
  readonly alarms: Alarms;
  /** Reminders and notices: the function, its morning schedule, its secret. */
  readonly notices: Notices;

  constructor(scope: Construct, id: string, props: EvidenceDepositStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('project', 'evidence-deposit');
    Tags.of(this).add('environment', config.environmentName);
    const logRetention = config.logRetentionDays as RetentionDays;
    // Where the web app runs: its own domain (known at synth) and any configured origin. The
    // distribution's *.cloudfront.net name cannot be wired in (it would be a cycle: the CSP names
    // the API and the issuer); without web.domainName add it to webOrigins after the first deploy.
    const webOrigins = [...new Set([...(config.web.domainName ? [`https://${config.web.domainName}`] : []), ...config.webOrigins])];
    // First: a Cognito config where Cognito is not offered, or a China deployment without its own
    // domain and certificate, fails before anything else is built.
    this.identity = new Identity(this, 'Identity', { config: config.identity, environmentName: config.environmentName, webOrigins });
    const webPlan = planWebHosting(this, config.web);

    this.storage = new DepositStorage(this, 'DepositStorage', { config });
    this.ledger = new Ledger(this, 'Ledger');
    this.queues = new Queues(this, 'Queues');
    this.storage.notifyIntake(this.queues.pairs.intake.queue);
    this.storage.allowBrowserAccess(webOrigins);
    this.exports = new ExportStorage(this, 'Exports', { accessLogs: this.storage.accessLogs });

    // Retained: receipts stay verifiable for at least five years, longer than any one stack lives.
    this.receiptKey = new Key(this, 'ReceiptSigningKey', {
      description: 'Signs deposit receipts with ECDSA P-256; its public key verifies them offline',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.functions = new PipelineFunctions(this, 'Functions', {
      config,
      depositBucket: this.storage.bucket,
      exportBucket: this.exports.bucket,
      ledger: this.ledger,
      queues: this.queues,
      receiptKey: this.receiptKey,
      logRetention,
      identityClaims: this.identity.claims,
    });
    const { nightlySummary, query, review, deposit, registry } = this.functions;
    const apiFunctions = { query, review, deposit, registry };

    this.schedule = new DailySchedule(this, 'Schedule', {
      target: nightlySummary,
      name: 'nightly-summary',
      cron: NIGHTLY_CRON,
      description: 'nightly-summary at 02:00 Asia/Shanghai',
      scheduleId: 'Nightly',
    });
    this.reconcileSchedule = new DailySchedule(this, 'ReconcileSchedule', {
      target: this.functions.reconcile,
      name: 'reconcile',
      cron: RECONCILE_CRON,
      description: 'reconcile (bucket against ledger, last 45 days) at 01:00 Asia/Shanghai',
      scheduleId: 'Daily',
    });
    this.notices = new Notices(this, 'Notices', { ledger: this.ledger, deadlineRules: config.deadlineRules, logRetention });
    this.peopleApi = new PeopleApi(this, 'PeopleApi', {
      functions: apiFunctions,
      issuer: this.identity.issuer,
      audience: this.identity.audience,
      webOrigins,
      throttle: config.apiThrottle,
      logRetention,
    });
    this.machineApi = new MachineApi(this, 'MachineApi', { functions: apiFunctions, throttle: config.apiThrottle, logRetention });

    this.access = new AccessPolicies(this, 'Access', {
      reviewerPrincipalArns: config.reviewerPrincipalArns,
      departmentPrincipalArns: config.departmentPrincipalArns,
      depositBucket: this.storage.bucket,
      exportBucket: this.exports.bucket,
      reviewQueue: this.queues.pairs.review.queue,
      enterprisePolicy: this.storage.enterprisePolicy,
      api: this.machineApi,
    });

    const bucketOrigins = [this.storage.bucket, this.exports.bucket].map((bucket) => `https://${bucket.bucketRegionalDomainName}`);
    this.web = new WebHosting(this, 'Web', {
      plan: webPlan,
      accessLogs: this.storage.accessLogs,
      logRetentionDays: config.logRetentionDays,
      settings: {
        issuer: this.identity.issuer,
        clientId: this.identity.audience[0] as string,
        apiUrl: this.peopleApi.url,
        tokenUse: this.identity.userPool ? 'id' : 'access',
      },
      csp: {
        connect: [this.peopleApi.url, ...issuerSources(this.identity), ...bucketOrigins],
        images: bucketOrigins,
      },
    });

    this.alarms = new Alarms(this, 'Alarms', {
      deadLetterQueues: {
        ...Object.fromEntries(Object.entries(this.queues.pairs).map(([name, pair]) => [name, pair.deadLetterQueue])),
        nightly: this.schedule.deadLetterQueue,
        reconcile: this.reconcileSchedule.deadLetterQueue,
        reminders: this.notices.schedule.deadLetterQueue,
      },
      functions: Object.fromEntries([...this.functions.all(), this.notices.function].map((fn) => [fn.node.id, fn])),
      intakeQueue: this.queues.pairs.intake.queue,
      nightlySummary,
      alarmEmail: config.alarmEmail,
    });

    this.notices.alarmOn(this.alarms.topic);

    // What an operator needs to onboard principals and point the CLI and the web app at the cloud
    // (EVIDENCE_API_URL, EVIDENCE_ISSUER, EVIDENCE_CLIENT_ID; docs/deploy-identity.md).
    const outputs: Record<string, string | undefined> = {
      DepositBucketName: this.storage.bucket.bucketName,
      ExportBucketName: this.exports.bucket.bucketName,
      SiteBucketName: this.web.bucket.bucketName,
      // Open this; in AWS China point the domain's CNAME at DistributionDomainName.
      WebUrl: this.web.url,
      DistributionDomainName: this.web.distribution.distributionDomainName,
      DistributionId: this.web.distribution.distributionId,
      ReviewQueueUrl: this.queues.pairs.review.queue.queueUrl,
      // For `evidence reconcile` run with an operator's credentials (INTAKE_QUEUE_URL).
      IntakeQueueUrl: this.queues.pairs.intake.queue.queueUrl,
      EnterprisePolicyArn: this.storage.enterprisePolicy.managedPolicyArn,
      ReviewerPolicyArn: this.access.reviewer.managedPolicyArn,
      DepartmentPolicyArn: this.access.department.managedPolicyArn,
      AlarmTopicArn: this.alarms.topic.topicArn,
      PeopleApiUrl: this.peopleApi.url,
      MachineApiUrl: this.machineApi.url,
      Issuer: this.identity.issuer,
      Audience: Fn.join(',', [...this.identity.audience]),
      ClientId: this.identity.audience[0],
      // Cognito only: where admin-create-user goes, and the hosted sign-in page.
      UserPoolId: this.identity.userPool?.userPoolId,
      HostedUiUrl: this.identity.hostedUiUrl(),
      // Cognito's ID token carries the groups and custom attributes (EVIDENCE_TOKEN_USE=id).
      TokenUse: this.identity.userPool ? 'id' : undefined,
      ReceiptKeyArn: this.receiptKey.keyArn,
      // Where the SMTP password and robots' keys go (put-secret-value).
      NoticeSecretArn: this.notices.secret.secretArn,
    };
    for (const [id, value] of Object.entries(outputs)) if (value) new CfnOutput(this, id, { value });
  }
}

/**
 * Where the browser talks to the issuer: its origin (discovery and token endpoint). Cognito's
 * issuer is cognito-idp.<region>, its token endpoint the hosted domain.
 */
function issuerSources(identity: Identity): string[] {
  if (!identity.userPool) return [new URL(identity.issuer).origin];
  return [`https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`, identity.hostedUiUrl()].filter((source): source is string => Boolean(source));
}
