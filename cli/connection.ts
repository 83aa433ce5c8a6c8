/**
 * Where the CLI finds the pipeline. With a local twin running (`npm start`), its state file
 * (.twin/twin.json) names the endpoints and resources. Otherwise the standard AWS environment
 * applies and resource names come from the same variables the functions read
 * (DEPOSIT_BUCKET, DEPOSITS_TABLE, …), e.g. exported from the stack's outputs.
 */
import { z } from 'zod';
import { type AwsClients, createAwsClients } from '#lambda/clients.ts';
import { ENV } from '#resources/env.ts';
import { type TwinState, twinClientSettings } from '#resources/twin-state.ts';
import { readTwinState } from '#cli/twin.ts';

export { readTwinState };

export interface Connection {
  readonly target: 'twin' | 'aws';
  readonly clients: AwsClients;
  readonly bucket: string;
  readonly tables: { readonly deposits: string; readonly attempts: string; readonly registry: string; readonly summaries: string };
  readonly reviewQueueUrl?: string;
  readonly apiUrl?: string;
  readonly twin?: TwinState;
}

const AwsNames = z.object({
  [ENV.depositBucket]: z.string().min(1),
  [ENV.depositsTable]: z.string().min(1),
  [ENV.attemptsTable]: z.string().min(1),
  [ENV.registryTable]: z.string().min(1),
  [ENV.summariesTable]: z.string().min(1).optional(),
  [ENV.reviewQueueUrl]: z.string().optional(),
  EVIDENCE_API_URL: z.string().optional(),
});

export function connect(): Connection {
  const twin = readTwinState();
  if (twin) {
    const { resources } = twin;
    return {
      target: 'twin',
      clients: createAwsClients(twinClientSettings(twin.endpoints)),
      bucket: resources.bucket,
      tables: resources.tables,
      reviewQueueUrl: resources.queues.review.url,
      ...(twin.apiUrl ? { apiUrl: twin.apiUrl } : {}),
      twin,
    };
  }
  const names = AwsNames.safeParse(process.env);
  if (!names.success) {
    throw new Error(
      `没有运行中的本地孪生环境，也未设置 AWS 资源名称 / no local twin is running (start one with \`npm start\`) and the AWS resource names are not set: ${names.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  const env = names.data;
  return {
    target: 'aws',
    clients: createAwsClients(),
    bucket: env[ENV.depositBucket],
    tables: { deposits: env[ENV.depositsTable], attempts: env[ENV.attemptsTable], registry: env[ENV.registryTable], summaries: env[ENV.summariesTable] ?? '' },
    ...(env[ENV.reviewQueueUrl] ? { reviewQueueUrl: env[ENV.reviewQueueUrl] } : {}),
    ...(env.EVIDENCE_API_URL ? { apiUrl: env.EVIDENCE_API_URL } : {}),
  };
}
