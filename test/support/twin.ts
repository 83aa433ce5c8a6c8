/** Test-side access to the run's local twin: clients, adapters and waiting for results. */
import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import type { Attempt } from '#domain/attempt.ts';
import type { Enterprise } from '#domain/registry.ts';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoRegistry } from '#adapters/dynamo-registry.ts';
import { twinClients } from '#twin/twin.ts';
import { demoCreditCode } from '#twin/demo.ts';

export function useTwin() {
  const twin = inject('twin');
  const clients = twinClients(twin.endpoints);
  const ledger = new DynamoLedger(clients.db, twin.resources.tables);
  const registry = new DynamoRegistry(clients.db, twin.resources.tables.registry);
  return { ...twin, clients, ledger, registry };
}

/** A credit code no other test uses: tests share one twin. */
export function uniqueEnterpriseId(): string {
  return demoCreditCode(Math.floor(Math.random() * 100_000_000), '369900');
}

export function testEnterprise(overrides: Partial<Enterprise> = {}): Enterprise {
  return {
    enterpriseId: uniqueEnterpriseId(),
    name: '测试发电有限公司',
    province: '江西',
    city: '南昌',
    industry: 'power',
    units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
    obligedFrom: '2024-01',
    ...overrides,
  };
}

export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function waitForAttempts(ledger: DynamoLedger, enterpriseId: string, period: string, count: number): Promise<Attempt[]> {
  return eventually(async () => {
    const attempts = await ledger.attemptsOf(enterpriseId, period);
    return attempts.length >= count ? attempts : undefined;
  }, `${count} attempt(s) for ${enterpriseId} ${period}`);
}

/** Review messages for one enterprise, read and left for the visibility timeout (tests only). */
export async function reviewMessagesFor(twin: ReturnType<typeof useTwin>, enterpriseId: string, expected: number): Promise<unknown[]> {
  const found = new Map<string, unknown>();
  const handles = new Map<string, string>();
  await eventually(async () => {
    const { Messages = [] } = await twin.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: twin.resources.queues.review.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 }),
    );
    const others = [];
    for (const m of Messages) {
      const body = JSON.parse(m.Body ?? '{}') as { enterpriseId?: string; attemptId?: string };
      if (body.enterpriseId === enterpriseId) {
        found.set(m.MessageId ?? '', body);
        handles.set(m.MessageId ?? '', m.ReceiptHandle ?? '');
      } else others.push(m);
    }
    // Other test files share the queue: hand their messages straight back.
    if (others.length > 0) {
      await twin.clients.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: twin.resources.queues.review.url,
          Entries: others.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: 0 })),
        }),
      );
    }
    return found.size >= expected ? true : undefined;
  }, `${expected} review message(s) for ${enterpriseId}`);
  // Keep looking a little longer: a doubled message must show up, not hide behind the first.
  const settle = Date.now() + 2000;
  while (Date.now() < settle) {
    const { Messages = [] } = await twin.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: twin.resources.queues.review.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 }),
    );
    for (const m of Messages) {
      const body = JSON.parse(m.Body ?? '{}') as { enterpriseId?: string };
      if (body.enterpriseId === enterpriseId) {
        found.set(m.MessageId ?? '', body);
        handles.set(m.MessageId ?? '', m.ReceiptHandle ?? '');
      } else
        await twin.clients.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: twin.resources.queues.review.url,
            Entries: [{ Id: '0', ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: 0 }],
          }),
        );
    }
  }
  // Consumed: left on the shared queue they would be received again and again by other tests.
  for (const handle of handles.values()) {
    await twin.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: twin.resources.queues.review.url, ReceiptHandle: handle }));
  }
  return [...found.values()];
}

export async function queueDepth(twin: ReturnType<typeof useTwin>, url: string): Promise<number> {
  const { Attributes = {} } = await twin.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
}
