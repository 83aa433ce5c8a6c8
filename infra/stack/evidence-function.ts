/**
 * The one place function defaults live, so four functions cannot drift apart on runtime,
 * architecture, bundling or logging. Access is granted only through the bind* methods, which set
 * the environment variable in the same call: a function cannot hold a permission without knowing
 * the resource's name, nor know a name it has no permission to use.
 */
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV, type EnvName } from '#resources/env.ts';
import { MAIN_FIELDS, REQUIRE_SHIM, splitBundleCommand } from './bundle.ts';
import { acknowledge, wildcardResource } from './nag.ts';
import { TABLES, type TableName } from '#resources/specs.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `functions/<name>/handler.ts`, absolute, for `entry`. */
export function handlerEntry(name: string): string {
  return fileURLToPath(new URL(`../../functions/${name}/handler.ts`, import.meta.url));
}

/** The newest Node.js runtime this aws-cdk-lib offers; cdk-nag (AwsSolutions-L1) flags older ones. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** esbuild's target for FUNCTION_RUNTIME. */
const BUNDLE_TARGET = 'node24';

export const TABLE_ENV: Record<TableName, EnvName> = {
  deposits: ENV.depositsTable,
  attempts: ENV.attemptsTable,
  registry: ENV.registryTable,
  summaries: ENV.summariesTable,
  notices: ENV.noticesTable,
  contacts: ENV.contactsTable,
};

const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  // TransactWriteItems is authorised per item against these same actions.
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'],
} as const;
export type TableAccess = keyof typeof TABLE_ACTIONS;

const QUEUE_ACTIONS = {
  send: ['sqs:SendMessage'],
} as const;
export type QueueAccess = keyof typeof QUEUE_ACTIONS;

export interface BucketAccess {
  /** Key prefixes (e.g. `reports/`) whose objects the function may read. */
  readonly read?: readonly string[];
  /**
   * s3:ListBucket on the bucket, so a GET of a missing key is answered 404 NoSuchKey rather than
   * 403 AccessDenied (S3 hides absence from callers who may not list). Unconditioned: that check
   * carries no s3:prefix to match. Only for a function that may read every object anyway.
   */
  readonly missingAsNotFound?: boolean;
  /** Key prefixes the function may write. */
  readonly write?: readonly string[];
  /** Key prefixes the function may list (s3:ListBucket conditioned on s3:prefix). */
  readonly list?: readonly string[];
}

export interface EvidenceFunctionProps {
  /** Folder name under `functions/`. */
  readonly handler: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetention: RetentionDays;
  readonly reservedConcurrentExecutions?: number;
  readonly environment?: Record<string, string>;
}

export class EvidenceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: EvidenceFunctionProps) {
    // Own log group (retention, kept on stack deletion for audit) and own role (no
    // AWSLambdaBasicExecutionRole managed policy, whose logs:* reach every log group).
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.handler}: only the actions on only the resources it uses`,
    });
    logGroup.grantWrite(role);

    const entry = handlerEntry(props.handler);
    super(scope, id, {
      entry,
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        mainFields: [...MAIN_FIELDS],
        banner: REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: production then runs the exact SDK versions the tests and the
        // local twin ran, instead of whatever the managed runtime ships that month.
        externalModules: [],
        // Rebuilt with code splitting (bundle.ts): first-use imports go to chunks a cold start skips.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) => [splitBundleCommand(entry, outputDir, BUNDLE_TARGET)],
        },
      },
    });
  }

  bindTable(table: ITable, name: TableName, ...access: readonly TableAccess[]): this {
    const indexArns = TABLES[name].indexes.map((index) => `${table.tableArn}/index/${index.indexName}`);
    const actions = [...new Set(access.flatMap((level) => TABLE_ACTIONS[level]))];
    const readsIndexes = access.includes('read');
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn, ...(readsIndexes ? indexArns : [])] }));
    this.addEnvironment(TABLE_ENV[name], table.tableName);
    return this;
  }

  bindQueue(queue: IQueue, env: EnvName, ...access: readonly QueueAccess[]): this {
    const actions = [...new Set(access.flatMap((level) => QUEUE_ACTIONS[level]))];
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [queue.queueArn] }));
    this.addEnvironment(env, queue.queueUrl);
    return this;
  }

  bindBucket(bucket: IBucket, env: EnvName, access: BucketAccess): this {
    const objects = (prefixes: readonly string[]) => prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    if (access.read?.length) {
      // GetObjectVersion: reads name the version an event announced or an attempt recorded.
      this.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: objects(access.read) }));
    }
    const prefixes = [...new Set([...(access.read ?? []), ...(access.write ?? [])])];
    acknowledge(
      this.role ?? this,
      `Object keys under ${prefixes.join(', ')} carry enterprise, period and deposit id, which exist only at run time; the wildcard is confined to those prefixes and to the single actions granted next to it (no delete, no retention changes).`,
      ...objects(prefixes).map((arn) => wildcardResource(this, arn)),
    );
    if (access.missingAsNotFound) {
      this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    }
    if (access.write?.length) {
      this.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: objects(access.write) }));
    }
    if (access.list?.length) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': access.list.map((prefix) => `${prefix}*`) } },
        }),
      );
    }
    this.addEnvironment(env, bucket.bucketName);
    return this;
  }
}
