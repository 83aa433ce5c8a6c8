/**
 * deposit, built from its dependencies: POST /enterprises/{enterpriseId}/deposits opens a deposit
 * and answers presigned, write-once upload links (shared/app/open-deposit.ts). The uploads
 * themselves go to the bucket, whose S3 event starts intake as for any other upload.
 * `handler.ts` builds it from the environment; tests build it from fakes.
 */
import { z } from 'zod';
import { newDepositId } from '#adapters/deposit-uploader.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { S3UploadLinks } from '#adapters/s3-upload-links.ts';
import { OpenDepositBodySchema, type OpenDepositDeps, OpenDepositParamsSchema, openDeposit } from '#app/open-deposit.ts';
import type { ClaimMapping } from '#domain/identity.ts';
import type { AwsClients } from '#lambda/clients.ts';
import { CheckSettingsVariable, ClaimMappingVariable } from '#lambda/config.ts';
import { httpApi, route } from '#lambda/http.ts';
import type { Observability } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';

const name = z.string().min(1);

export const DepositConfigSchema = z.object({
  [ENV.identityClaims]: ClaimMappingVariable,
  [ENV.depositBucket]: name,
  [ENV.registryTable]: name,
  /** The evidence limits intake applies, so a deposit is refused here for what intake would refuse. */
  [ENV.checkSettings]: CheckSettingsVariable,
});
export type DepositConfig = z.infer<typeof DepositConfigSchema>;

export type DepositApiDeps = OpenDepositDeps & { readonly claims: ClaimMapping };

export function depositDeps(config: DepositConfig, clients: AwsClients): DepositApiDeps {
  return {
    claims: config[ENV.identityClaims],
    registry: new DynamoRegistry(clients.db, config[ENV.registryTable]),
    links: new S3UploadLinks(clients.s3, config[ENV.depositBucket]),
    evidence: config[ENV.checkSettings].evidence,
    newDepositId,
    now: () => new Date(),
  };
}

export function makeHandler(deps: DepositApiDeps, observability: Observability) {
  return httpApi({
    observability,
    claims: deps.claims,
    routes: {
      'POST /enterprises/{enterpriseId}/deposits': route({
        params: OpenDepositParamsSchema,
        body: OpenDepositBodySchema,
        handle: ({ params, body, caller }) => openDeposit(deps, caller, params.enterpriseId, body),
        status: () => 201,
      }),
    },
  });
}
