/** reminders' entry point: configuration and clients at cold start, then the handler. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createAwsClients } from '#lambda/clients.ts';
import { loadConfig } from '#lambda/config.ts';
import { observability } from '#lambda/middy.ts';
import { makeHandler, RemindersConfigSchema, remindersDeps } from './make-handler.ts';

export const handler = makeHandler(
  remindersDeps(loadConfig(RemindersConfigSchema), createAwsClients(), {
    secrets: () => new SecretsManagerClient({}),
    ses: (region) => new SESv2Client(region ? { region } : {}),
  }),
  observability('reminders'),
);
