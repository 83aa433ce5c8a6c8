/** validate-deposit's entry point: configuration and clients at cold start, then the handler. */
import { createAwsClients } from '#lambda/clients.ts';
import { IntakeConfigSchema, loadConfig } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { intakeDeps, makeHandler } from './make-handler.ts';

export const handler = makeHandler(intakeDeps(loadConfig(IntakeConfigSchema), createAwsClients()), observability('validate-deposit'));
