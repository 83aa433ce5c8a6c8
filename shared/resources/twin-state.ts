/**
 * What the local twin (infra/local/) and the CLI (cli/) both need to know about a running twin:
 * where its state file is, what that file says, the credentials and region its emulators take,
 * and the object metadata its clock reads. It lives here so that neither side imports the other.
 */
import { fileURLToPath } from 'node:url';
import type { QueueName, TableName } from '#resources/specs.ts';

/** `npm start` writes it when the twin is up and deletes it when it stops; EVIDENCE_TWIN_STATE points elsewhere (tests). */
export const TWIN_STATE_FILE = process.env.EVIDENCE_TWIN_STATE ?? fileURLToPath(new URL('../../.twin/twin.json', import.meta.url));

/** s3rver accepts only its own access key; the other emulators accept any. */
export const TWIN_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const TWIN_REGION = 'us-east-1';

/** Object metadata the twin's clock reads: the receipt time to use instead of now (replays only). */
export const SIMULATED_RECEIPT_METADATA = 'twin-received-at';

/**
 * s3rver knows no flexible checksums: a streamed upload would be stored aws-chunked, trailer and
 * all; and it serves buckets by path only.
 */
export const TWIN_S3_SETTINGS = { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;

export interface Endpoints {
  readonly s3: string;
  readonly dynamodb: string;
  readonly sqs: string;
}

export interface QueueHandle {
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
  readonly deadLetterArn: string;
}

/** The physical names the twin gave the stack's resources. */
export interface TwinResources {
  readonly bucket: string;
  readonly exportsBucket: string;
  readonly tables: Readonly<Record<TableName, string>>;
  readonly queues: Readonly<Record<QueueName, QueueHandle>>;
}

/** Where people sign in on the twin, and what its API's authorizer accepts. */
export interface TwinIdentity {
  /** The twin's OpenID provider (discovery at `<issuer>/.well-known/openid-configuration`). */
  readonly issuer: string;
  /** The audience the twin's API accepts; access tokens carry it as `aud`. */
  readonly audience: string;
  /** The public clients: the CLI (device flow, or code + PKCE on a loopback port) and the web app. */
  readonly clients: { readonly cli: string; readonly web: string };
}

/** The state file's content. */
export interface TwinState {
  readonly endpoints: Endpoints;
  readonly resources: TwinResources;
  readonly apiUrl?: string;
  /** Absent in a state file written before the twin had an OpenID provider. */
  readonly identity?: TwinIdentity;
  readonly pid: number;
  readonly startedAt: string;
}

/** How an SDK client reaches the twin: what `createAwsClients` (shared/lambda/clients.ts) takes. */
export function twinClientSettings(endpoints: Endpoints) {
  return { endpoints, region: TWIN_REGION, credentials: TWIN_CREDENTIALS, s3: TWIN_S3_SETTINGS } as const;
}
