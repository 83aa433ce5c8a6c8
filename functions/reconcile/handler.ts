/** reconcile's entry point: configuration and clients at cold start, then the handler. */
import { createAwsClients } from '#lambda/clients.ts';
import { loadConfig, ReconcileConfigSchema } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { makeHandler, reconcileDeps } from './make-handler.ts';

export const handler = makeHandler(reconcileDeps(loadConfig(ReconcileConfigSchema), createAwsClients()), observability('reconcile'));
