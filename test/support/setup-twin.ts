import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, inject } from 'vitest';
import { TWIN_CREDENTIALS, TWIN_REGION } from '#twin/emulators.ts';

/**
 * Test files run one after another against the project's one twin. Each leaves the review queue
 * and the dead-letter queues empty for the next: the emulator hands out the oldest messages first,
 * so leftovers would stand in front of the next file's messages.
 */
afterAll(async () => {
  const twin = inject('twin');
  const sqs = new SQSClient({ endpoint: twin.endpoints.sqs, region: TWIN_REGION, credentials: TWIN_CREDENTIALS });
  const { review, intake } = twin.resources.queues;
  for (const url of [review.url, review.deadLetterUrl, intake.deadLetterUrl]) {
    for (;;) {
      const page = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
      const Messages = page?.Messages ?? [];
      if (Messages.length === 0) break;
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }),
      );
    }
  }
  sqs.destroy();
});
