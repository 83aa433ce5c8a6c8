/**
 * Requests to the deployment's HTTP API. On the twin they go as they are; the cloud API is
 * IAM-authorized, so there each request is signed (SigV4, service execute-api) with the caller's
 * AWS credentials — a reviewer's principal is what the API records as the decider.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { Connection } from '#cli/connection.ts';

export interface ApiRequest {
  readonly method: string;
  readonly body?: string;
}

export interface SigningIdentity {
  /** Credentials, or a provider of them such as the default chain. */
  readonly credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  readonly region: string;
  /** The signing time; now when absent (tests pin it). */
  readonly signingDate?: Date;
}

/** The headers of `request` to `url`, SigV4-signed for API Gateway (execute-api). */
export async function signApiRequest(
  url: URL,
  request: ApiRequest,
  headers: Record<string, string>,
  identity: SigningIdentity,
): Promise<Record<string, string>> {
  const { SignatureV4: Signer } = await import('@smithy/signature-v4');
  const signer = new Signer({ service: 'execute-api', region: identity.region, credentials: identity.credentials, sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      headers,
      ...(url.search ? { query: Object.fromEntries(url.searchParams) } : {}),
      ...(request.body ? { body: request.body } : {}),
      ...(url.port ? { port: Number(url.port) } : {}),
    },
    identity.signingDate ? { signingDate: identity.signingDate } : {},
  );
  return signed.headers;
}

/** A request to the deployment's API: IAM-signed in the cloud (review decisions, the late list, receipts). */
export async function signedFetch(connection: Pick<Connection, 'target'>, url: URL, init: ApiRequest): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', host: url.host };
  if (connection.target !== 'aws') return fetch(url, { ...init, headers });
  // Loaded only here: the credential chain is a large import the twin never needs.
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return fetch(url, { ...init, headers: await signApiRequest(url, init, headers, { credentials: defaultProvider(), region }) });
}
