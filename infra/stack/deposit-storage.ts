/**
 * Where the evidence lives for at least five years: the deposit bucket (versioned, Object Lock
 * default retention, TLS only, never public), the access-log bucket that records who touched it,
 * and the ABAC policy that confines each enterprise to its own prefixes.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  EventType,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVIDENCE_PREFIX, REPORTS_PREFIX } from '#domain/deposit-key.ts';
import { DEPOSIT_BUCKET_NOTIFICATION } from '#resources/specs.ts';
import type { InfraConfig } from '../config.ts';
import { acknowledge, wildcardResource } from './nag.ts';

/** The IAM principal tag a province sets on each enterprise's role or user. */
export const ENTERPRISE_TAG = 'enterpriseId';
const OWN = `\${aws:PrincipalTag/${ENTERPRISE_TAG}}`;
/** Prefixes an enterprise may write and read, with its own id substituted by IAM at request time. */
export const ENTERPRISE_PREFIXES = [REPORTS_PREFIX, EVIDENCE_PREFIX].map((root) => `${root}${OWN}/`);

/** Days an object stays hot: the month's review plus the next month's month-over-month checks. */
const INFREQUENT_ACCESS_AFTER_DAYS = 90;
/** After a year a deposit is read only by audits, which Glacier Instant Retrieval still serves in ms. */
const GLACIER_IR_AFTER_DAYS = 365;

export interface DepositStorageProps {
  readonly config: Pick<InfraConfig, 'retentionYears' | 'objectLockMode'>;
}

export class DepositStorage extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly enterprisePolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, { config }: DepositStorageProps) {
    super(scope, id);

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // Server access log delivery supports SSE-S3 only.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'access-logs-outlive-the-evidence',
          transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }],
          // Who read or wrote a deposit must stay answerable for as long as the deposit is kept.
          expiration: Duration.days(retentionDays(config.retentionYears) + 30),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
    });
    acknowledge(
      this.accessLogs,
      'This is the server access log target of the deposit and dashboard buckets; logging it into itself would loop, and its writes come only from the S3 logging service principal.',
      'AwsSolutions-S1',
    );

    this.bucket = new Bucket(this, 'Deposits', {
      versioned: true,
      objectLockEnabled: true,
      // SSE-S3: encrypted at rest without a KMS key that every enterprise principal would need a
      // grant on; access control is the ABAC policy and the TLS-only bucket policy.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'deposits/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'older-periods-to-cheaper-storage',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(INFREQUENT_ACCESS_AFTER_DAYS) },
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(GLACIER_IR_AFTER_DAYS) },
          ],
          noncurrentVersionTransitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(30) }],
          // No expiration: the rule says "at least" five years, and deleting evidence is a decision
          // for the province, not a lifecycle default.
        },
      ],
    });
    // Written in years, not days, so S3 counts calendar years (leap days included); the L2 prop
    // only renders days.
    const cfnBucket = this.bucket.node.defaultChild as CfnBucket;
    cfnBucket.objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: config.objectLockMode, years: config.retentionYears } },
    };

    refuseOverwrites(this.bucket);
    this.enterprisePolicy = enterpriseAccessPolicy(this, this.bucket);
  }

  /**
   * The web app's origins may PUT to the presigned upload links (the portal) and GET what the
   * presigned read links name (the workbench's previews): CORS only; what a link may do is still
   * the link's signature, the role that signed it and the write-once bucket policy.
   */
  allowBrowserAccess(origins: readonly string[]): void {
    if (!origins.length) return;
    this.bucket.addCorsRule({
      allowedOrigins: [...origins],
      allowedMethods: [HttpMethods.GET, HttpMethods.HEAD, HttpMethods.PUT],
      // What the presigned PUT carries (shared/adapters/s3-upload-links.ts).
      allowedHeaders: ['content-type', 'if-none-match', 'x-amz-checksum-sha256', 'x-amz-meta-*', 'content-length'],
      exposedHeaders: ['ETag'],
      maxAge: 3600,
    });
  }

  /** Only report uploads start validation; evidence arrives first and is read by the function. */
  notifyIntake(queue: IQueue): void {
    const events = DEPOSIT_BUCKET_NOTIFICATION.events.map(toEventType);
    for (const event of events) {
      this.bucket.addEventNotification(event, new SqsDestination(queue), { prefix: DEPOSIT_BUCKET_NOTIFICATION.prefix });
    }
    // CDK's singleton that writes the notification configuration (a custom resource: CloudFormation
    // cannot express a bucket→queue notification whose queue policy names the bucket without a cycle).
    const handler = Stack.of(this).node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
    if (handler) {
      acknowledge(
        handler,
        "CDK-owned custom resource that runs only during deployment to set this bucket's notification configuration. AWSLambdaBasicExecutionRole grants nothing beyond writing its own CloudWatch logs; its only other permission is s3:PutBucketNotification.",
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      );
    }
  }
}

/** The construct id aws-cdk-lib gives its bucket-notifications singleton (stable across versions). */
const BUCKET_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

function toEventType(name: string): EventType {
  const known = Object.values(EventType) as string[];
  if (!known.includes(name)) throw new Error(`DEPOSIT_BUCKET_NOTIFICATION names an unknown S3 event: ${name}`);
  return name as EventType;
}

function retentionDays(years: number): number {
  return Math.ceil(years * 365.25);
}

/**
 * Deposit folders are write-once, for everyone: a PUT (or the completion of a multipart upload)
 * under reports/ or evidence/ must carry `If-None-Match: *`, which S3 refuses with 412 when the key
 * exists. Without it an evidence file could be replaced after its attempt was accepted (Object Lock
 * keeps the old version, but a link to the key would serve the new bytes). S3's "enforce conditional
 * writes" pattern: `s3:ObjectCreationOperation` exempts CreateMultipartUpload and UploadPart, which
 * take no conditional header. CopyObject into these prefixes is refused too (S3 rejects it).
 */
function refuseOverwrites(bucket: Bucket): void {
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DepositFoldersAreWriteOnce',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [REPORTS_PREFIX, EVIDENCE_PREFIX].map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      conditions: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
    }),
  );
}

/**
 * Attribute-based access: one policy for every enterprise. IAM substitutes the caller's own
 * `enterpriseId` tag into the resource ARNs, so enterprise A's principal can never name B's keys.
 * No delete, no retention or legal-hold actions and no version-specific writes are granted, and
 * Object Lock protects every version anyway.
 */
function enterpriseAccessPolicy(scope: Construct, bucket: IBucket): ManagedPolicy {
  const ownObjects = ENTERPRISE_PREFIXES.map((prefix) => bucket.arnForObjects(`${prefix}*`));
  // A principal without the tag would otherwise match nothing silently; the explicit condition
  // documents (and enforces) that the tag is the key to every statement.
  const tagged = { Null: { [`aws:PrincipalTag/${ENTERPRISE_TAG}`]: 'false' } };
  const policy = new ManagedPolicy(scope, 'EnterpriseAccess', {
    description: `Enterprise deposit access (ABAC): a principal tagged ${ENTERPRISE_TAG}=<credit code> may upload and read only under reports/<its id>/ and evidence/<its id>/.`,
    statements: [
      new PolicyStatement({
        sid: 'UploadOwnDeposits',
        actions: ['s3:PutObject'],
        resources: ownObjects,
        conditions: tagged,
      }),
      new PolicyStatement({
        sid: 'ReadOwnDeposits',
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes'],
        resources: ownObjects,
        conditions: tagged,
      }),
      new PolicyStatement({
        sid: 'ListOwnPrefixes',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { ...tagged, StringLike: { 's3:prefix': ENTERPRISE_PREFIXES.map((prefix) => `${prefix}*`) } },
      }),
      // The validator must be able to read what was deposited: no archive storage class on upload
      // (GLACIER, DEEP_ARCHIVE need a restore) and no customer-provided key (SSE-C).
      new PolicyStatement({
        sid: 'OnlyStandardStorageClass',
        effect: Effect.DENY,
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { Null: { 's3:x-amz-storage-class': 'false' }, StringNotEquals: { 's3:x-amz-storage-class': 'STANDARD' } },
      }),
      new PolicyStatement({
        sid: 'NoCustomerProvidedKeys',
        effect: Effect.DENY,
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      }),
      new PolicyStatement({
        sid: 'NeverBypassRetention',
        effect: Effect.DENY,
        actions: ['s3:BypassGovernanceRetention', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [bucket.arnForObjects('*')],
      }),
    ],
  });
  acknowledge(
    policy,
    "Wildcards are confined to the caller's own prefix: IAM substitutes the principal's enterpriseId tag, so \"reports/<own id>/*\" covers only that enterprise's periods and deposit folders, which cannot be enumerated in advance.",
    ...ownObjects.map((arn) => wildcardResource(policy, arn)),
  );
  acknowledge(
    policy,
    'An explicit Deny over every object: it narrows access (no enterprise may delete, shorten retention or bypass governance mode on any deposit), it grants nothing.',
    wildcardResource(policy, bucket.arnForObjects('*')),
  );
  return policy;
}
