/**
 * registry, built from its dependencies: the administrator's GET /registry (JSON, or the CSV sheet
 * with the Chinese headers the import reads) and POST /registry (load entries as JSON or a CSV
 * sheet, all or nothing; see shared/app/registry-admin.ts). A load with a bad row answers 422 and
 * lists every bad row; nothing was written. `handler.ts` builds it from the environment; tests
 * build it from fakes.
 */
import { z } from 'zod';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { type RegistryAdminDeps, RegistryLoadSchema, RegistryQuerySchema, loadRegistry, registryFor } from '#app/registry-admin.ts';
import type { ClaimMapping } from '#domain/identity.ts';
import type { AwsClients } from '#lambda/clients.ts';
import { ClaimMappingVariable } from '#lambda/config.ts';
import { httpApi, route } from '#lambda/http.ts';
import type { Observability } from '#lambda/middy.ts';
import { ENV } from '#resources/env.ts';

export const RegistryConfigSchema = z.object({
  [ENV.identityClaims]: ClaimMappingVariable,
  [ENV.registryTable]: z.string().min(1),
});
export type RegistryConfig = z.infer<typeof RegistryConfigSchema>;

export type RegistryApiDeps = RegistryAdminDeps & { readonly claims: ClaimMapping };

export function registryDeps(config: RegistryConfig, clients: AwsClients): RegistryApiDeps {
  return { claims: config[ENV.identityClaims], registry: new DynamoRegistry(clients.db, config[ENV.registryTable]) };
}

export function makeHandler(deps: RegistryApiDeps, observability: Observability) {
  return httpApi({
    observability,
    claims: deps.claims,
    routes: {
      'GET /registry': route({ query: RegistryQuerySchema, handle: ({ query, caller }) => registryFor(deps, caller, query) }),
      'POST /registry': route({
        body: RegistryLoadSchema,
        handle: ({ body, caller }) => loadRegistry(deps, caller, body),
        status: (answer) => (answer.refused.length > 0 ? 422 : 200),
      }),
    },
  });
}
