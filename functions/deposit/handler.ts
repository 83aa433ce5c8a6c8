/** deposit's entry point: configuration and clients at cold start, then the handler. */
import { createAwsClients } from '#lambda/clients.ts';
import { loadConfig } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { DepositConfigSchema, depositDeps, makeHandler } from './make-handler.ts';

export const handler = makeHandler(depositDeps(loadConfig(DepositConfigSchema), createAwsClients()), observability('deposit'));
