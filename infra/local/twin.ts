/**
 * The local twin: the pipeline's handlers running in this process against real emulators,
 * wired the way the cloud stack wires them. S3 events from s3rver go to the intake queue as
 * S3 notification messages; an event source feeds validate-deposit. Clients reach the twin
 * through the standard AWS_ENDPOINT_URL_* variables, so the handlers have no local mode.
 * People sign in at the twin's OpenID provider (oidc.ts), whose tokens the twin's HTTP API
 * verifies as API Gateway's JWT authorizer does (jwt-authorizer.ts).
 */
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { S3Event } from 'aws-lambda';
import { encodeEventKey } from '#adapters/sqs-intake-announcer.ts';
import { EVIDENCE_PREFIX, REPORTS_PREFIX } from '#domain/deposit-key.ts';
import { ENV } from '#resources/env.ts';
import { type AwsClientsWithDynamoDb, createAwsClients } from '#lambda/clients.ts';
import { DEPOSIT_BUCKET_NOTIFICATION, INTAKE_EVENT_SOURCE, type QueueName } from '#resources/specs.ts';
import {
  type Endpoints,
  SIMULATED_RECEIPT_METADATA,
  TWIN_CREDENTIALS,
  TWIN_REGION,
  type TwinIdentity,
  type TwinResources,
  twinClientSettings,
} from '#resources/twin-state.ts';
import { type Emulators, freePort, startEmulators, type TwinPorts } from './emulators.ts';
import { API_AUDIENCE, CLI_CLIENT_ID, TwinOidcProvider, WEB_CLIENT_ID } from './oidc.ts';
import { provision, TWIN_BUCKET } from './provision.ts';
import { type SqsHandler, SqsEventSource } from './sqs-event-source.ts';
import { TwinHttpApi } from './http-api.ts';
import { TwinScheduler } from './scheduler.ts';
import { TwinMailServer } from './mail-server.ts';
import { WebhookSink } from './webhook-sink.ts';

// Named in shared/resources, where the CLI reads it too; re-exported for the twin's own tests and scripts.
export { SIMULATED_RECEIPT_METADATA };

export interface TwinOptions {
  /** Where s3rver keeps objects. */
  readonly dataDir: string;
  /** Seconds before a failed intake message is retried (Lambda would wait the visibility timeout). */
  readonly retryDelaySeconds?: number;
  /** Deadline rules JSON for the functions (DEADLINE_RULES). */
  readonly deadlineRules?: string;
  /** Check settings JSON for validate-deposit (CHECK_SETTINGS), e.g. a short `evidenceGraceSeconds` in a test. */
  readonly checkSettings?: string;
  /** Concurrent intake batches. */
  readonly concurrency?: number;
  /** Keep DynamoDB Local's data on disk, so it survives a restart (`npm start`, resilience tests). */
  readonly persistDynamoDb?: boolean;
  /** Messages per validate-deposit invocation (default: the stack's batch size). */
  readonly batchSize?: number;
  /** Wraps validate-deposit, e.g. to inject faults (resilience tests). */
  readonly wrapIntakeHandler?: (handler: SqsHandler) => SqsHandler;
  /** Fixed ports (`npm start -- --ports 4566`); free ones when absent. */
  readonly ports?: TwinPorts;
  /** Seconds an access token from the twin's provider lives (default 15 minutes). */
  readonly accessTokenTtlSeconds?: number;
}

/** The twin's clients: the functions' own, plus the raw DynamoDB client provisioning creates tables with. */
export type TwinClients = AwsClientsWithDynamoDb;

// One encoding for the relay and the reconciliation, which both write S3 event messages.
export { encodeEventKey };

export function twinClients(endpoints: Endpoints): TwinClients {
  return createAwsClients(twinClientSettings(endpoints));
}

/**
 * What reminders sees on the twin: its tables, plain SMTP to the twin's mail server (no password,
 * no TLS: it is 127.0.0.1), links into the twin's API and web app, and short retries.
 */
export function noticeEnvironment(resources: TwinResources, smtp: { host: string; port: number }, apiUrl: string): Record<string, string> {
  return {
    [ENV.noticesTable]: resources.tables.notices,
    [ENV.contactsTable]: resources.tables.contacts,
    [ENV.noticeChannels]: JSON.stringify({
      from: '碳排放月度存证（孪生环境） <noreply@evidence-twin.local>',
      mail: { transport: 'smtp', host: smtp.host, port: smtp.port, secure: false, requireTls: false },
    }),
    [ENV.noticeSettings]: JSON.stringify({
      receiptLink: `${apiUrl}/attempts/{attemptId}/receipt`,
      depositLink: `${apiUrl}/`,
      retryDelayMs: 200,
    }),
  };
}

/** The environment a function sees on the twin: endpoints, credentials and resource names. */
export function functionEnvironment(endpoints: Endpoints, resources: TwinResources, deadlineRules?: string, checkSettings?: string): Record<string, string> {
  return {
    AWS_REGION: TWIN_REGION,
    AWS_ACCESS_KEY_ID: TWIN_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TWIN_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    [ENV.depositBucket]: resources.bucket,
    [ENV.depositsTable]: resources.tables.deposits,
    [ENV.attemptsTable]: resources.tables.attempts,
    [ENV.registryTable]: resources.tables.registry,
    [ENV.summariesTable]: resources.tables.summaries,
    [ENV.reviewQueueUrl]: resources.queues.review.url,
    // Intake hands a report whose evidence is still uploading back to its own queue.
    [ENV.intakeQueueUrl]: resources.queues.intake.url,
    [ENV.exportBucket]: resources.exportsBucket,
    ...(deadlineRules ? { [ENV.deadlineRules]: deadlineRules } : {}),
    ...(checkSettings ? { [ENV.checkSettings]: checkSettings } : {}),
    // The KMS key's stand-in: beside twin.json, outside the data dir a start wipes, so receipts
    // issued by one run still verify in the next.
    [ENV.receiptKeyFile]: process.env[ENV.receiptKeyFile] ?? fileURLToPath(new URL('../../.twin/receipt-signing-key.pem', import.meta.url)),
  };
}

export class LocalTwin extends EventEmitter {
  private sources: SqsEventSource[] = [];
  /** API Gateway + dashboard hosting stand-in; `apiUrl` is its base URL. */
  readonly httpApi: TwinHttpApi;
  /** EventBridge Scheduler stand-in: nightly-summary at 02:00 Asia/Shanghai. */
  readonly scheduler = new TwinScheduler((error) => this.emit('function-error', { functionName: 'nightly-summary', error }));
  private pendingNotifications = 0;
  /** The group robots' stand-in (WeCom, DingTalk) and the mail server whose page shows what both received. */
  readonly robots = new WebhookSink();
  readonly mail = new TwinMailServer(this.robots);

  private constructor(
    readonly emulators: Emulators,
    readonly resources: TwinResources,
    readonly clients: TwinClients,
    /** The OpenID provider people sign in at; started before the API, whose authorizer trusts it. */
    readonly oidc: TwinOidcProvider,
    apiPort: number,
  ) {
    super();
    this.httpApi = new TwinHttpApi({
      port: apiPort,
      issuer: oidc.issuer,
      audience: [API_AUDIENCE],
      webClientId: WEB_CLIENT_ID,
      // The page reaches the issuer and, through presigned links, S3 (the cloud names its buckets' endpoints).
      csp: { connect: [new URL(oidc.issuer).origin, new URL(emulators.endpoints.s3).origin], images: [new URL(emulators.endpoints.s3).origin] },
      invoke: (name, payload) => {
        if (name === 'reminders') return this.scheduler.runReminders(payload as { at?: string });
        if (name !== 'nightly-summary') throw new Error(`the twin has no function ${name} to invoke`);
        return this.scheduler.runNightly(payload as { at?: string; periods?: number });
      },
    });
  }

  get endpoints(): Endpoints {
    return this.emulators.endpoints;
  }

  /** Base URL of the twin's HTTP API (and dashboard). */
  get apiUrl(): string {
    return this.httpApi.url;
  }

  get identity(): TwinIdentity {
    return { issuer: this.oidc.issuer, audience: API_AUDIENCE, clients: { cli: CLI_CLIENT_ID, web: WEB_CLIENT_ID } };
  }

  static async start(options: TwinOptions): Promise<LocalTwin> {
    const emulators = await startEmulators(options.dataDir, {
      persistDynamoDb: options.persistDynamoDb ?? false,
      s3EventPrefix: DEPOSIT_BUCKET_NOTIFICATION.prefix,
      // Deposit folders are write-once, as the cloud's bucket policy makes them.
      writeOnce: { bucket: TWIN_BUCKET, prefixes: [REPORTS_PREFIX, EVIDENCE_PREFIX] },
      ...(options.ports ? { ports: options.ports } : {}),
    });
    let oidc: TwinOidcProvider | undefined;
    try {
      const clients = twinClients(emulators.endpoints);
      const resources = await provision({ s3: clients.s3, db: clients.dynamodb, sqs: clients.sqs });
      Object.assign(process.env, functionEnvironment(emulators.endpoints, resources, options.deadlineRules, options.checkSettings));
      // The API's port is known before the provider starts: the web client's redirect URIs lie under it.
      const apiPort = options.ports?.api ?? (await freePort());
      oidc = await TwinOidcProvider.start({
        dataDir: options.dataDir,
        apiUrl: `http://127.0.0.1:${apiPort}`,
        ...(options.ports ? { port: options.ports.oidc } : {}),
        ...(options.accessTokenTtlSeconds ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds } : {}),
      });
      const twin = new LocalTwin(emulators, resources, clients, oidc, apiPort);
      await twin.robots.start();
      await twin.mail.start();
      Object.assign(process.env, noticeEnvironment(resources, twin.mail.smtpHost, `http://127.0.0.1:${apiPort}`));
      await twin.wire(options);
      return twin;
    } catch (error) {
      await oidc?.stop();
      await emulators.stop();
      throw error;
    }
  }

  private async wire(options: TwinOptions): Promise<void> {
    this.emulators.s3Events.on('event', (event: S3Event, metadata: Record<string, string>[]) => {
      this.pendingNotifications++;
      this.notifyDurably(event, metadata)
        .catch((error) => this.emit('error', error))
        .finally(() => this.pendingNotifications--);
    });
    // Imported only now: the handler reads its configuration at module load, as at cold start.
    const { handler } = await import('#functions/validate-deposit/handler.ts');
    const intake = handler as SqsHandler;
    this.addEventSource('intake', options.wrapIntakeHandler ? options.wrapIntakeHandler(intake) : intake, 'validate-deposit', options);
    await this.httpApi.start();
    this.scheduler.start();
  }

  /** Feeds a queue to a handler, as the stack's event source mapping does. */
  addEventSource(
    queue: QueueName,
    handler: SqsHandler,
    functionName: string,
    options: Pick<TwinOptions, 'retryDelaySeconds' | 'concurrency' | 'batchSize'> = {},
  ): void {
    const handle = this.resources.queues[queue];
    const source = new SqsEventSource({
      sqs: this.clients.sqs,
      queueUrl: handle.url,
      queueArn: handle.arn,
      handler,
      functionName,
      batchSize: options.batchSize ?? INTAKE_EVENT_SOURCE.batchSize,
      retryDelaySeconds: options.retryDelaySeconds ?? 1,
      concurrency: options.concurrency ?? 4,
      onError: (error) => this.emit('function-error', { functionName, error }),
    });
    source.start();
    this.sources.push(source);
  }

  /** S3 → intake queue, per the bucket's notification configuration. */
  /** S3 keeps retrying a notification it could not deliver; so does the twin, for a while. */
  private async notifyDurably(event: S3Event, metadata: readonly Record<string, string>[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.notify(event, metadata);
      } catch (error) {
        if (attempt >= 8) throw error;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  private async notify(event: S3Event, metadata: readonly Record<string, string>[]): Promise<void> {
    for (const [i, record] of event.Records.entries()) {
      const key = record.s3.object.key;
      // The emulators already pass on only keys under the notification prefix (see start).
      if (!record.eventName.startsWith('ObjectCreated')) continue;
      const simulated = metadata[i]?.[SIMULATED_RECEIPT_METADATA];
      const notified = {
        ...record,
        eventTime: simulated && !Number.isNaN(Date.parse(simulated)) ? new Date(simulated).toISOString() : record.eventTime,
        s3: { ...record.s3, object: { ...record.s3.object, key: encodeEventKey(key) } },
      };
      await this.clients.sqs.send(new SendMessageCommand({ QueueUrl: this.resources.queues.intake.url, MessageBody: JSON.stringify({ Records: [notified] }) }));
      this.emit('notified', { key, eventTime: notified.eventTime });
    }
  }

  async queueDepth(queue: QueueName | `${QueueName}-dlq`): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const [name, dlq] = queue.endsWith('-dlq') ? [queue.slice(0, -4) as QueueName, true] : [queue as QueueName, false];
    const handle = this.resources.queues[name];
    const { Attributes = {} } = await this.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlq ? handle.deadLetterUrl : handle.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return {
      visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  /** Resolves once every upload so far has been notified and the intake queue is drained. */
  /**
   * `onTick` hears the intake queue's depth at every look (for progress on long replays). With
   * `delayed: false`, messages put back with a delay (a report waiting for its evidence, up to the
   * grace period) do not count as work in progress.
   */
  async waitForIdle(timeoutMs = 60_000, onTick?: (waiting: number) => void, { delayed = true }: { delayed?: boolean } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietRounds = 0;
    while (Date.now() < deadline) {
      const depth = await this.queueDepth('intake');
      onTick?.(depth.visible + depth.inFlight + depth.delayed);
      const idle = this.pendingNotifications === 0 && depth.visible + depth.inFlight + (delayed ? depth.delayed : 0) === 0 && !this.sources.some((s) => s.busy);
      quietRounds = idle ? quietRounds + 1 : 0;
      // Two quiet looks in a row: s3rver emits events just after it answers the PUT.
      if (quietRounds >= 2) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the twin was still busy after ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    await this.mail.stop();
    await this.robots.stop();
    await this.httpApi.stop();
    await this.oidc.stop();
    await Promise.all(this.sources.map((s) => s.stop()));
    this.sources = [];
    for (const client of Object.values(this.clients)) (client as { destroy?: () => void }).destroy?.();
    await this.emulators.stop();
  }
}
