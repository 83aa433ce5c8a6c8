/** review's entry point: configuration and clients at cold start, then the handler. */
import { createAwsClients } from '#lambda/clients.ts';
import { loadConfig } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { makeHandler, ReviewConfigSchema, reviewDeps } from './make-handler.ts';

export const handler = makeHandler(reviewDeps(loadConfig(ReviewConfigSchema), createAwsClients()), observability('review'));
