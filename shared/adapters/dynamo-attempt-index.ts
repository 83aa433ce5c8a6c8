/** Which attempts exist, by key: BatchGetItem on the attempts table, keys only. */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttemptIndex, AttemptLocation } from '#app/ports.ts';
import { attemptRef } from './dynamo-ledger.ts';

/** BatchGetItem's limit per request. */
const BATCH_SIZE = 100;
const MAX_ROUNDS = 10;

type Key = { enterpriseId: string; attemptRef: string };

export class DynamoAttemptIndex implements AttemptIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly attemptsTable: string,
    /** Waits between retries of unprocessed keys (tests pass 0). */
    private readonly backoffMs: (round: number) => number = (round) => Math.min(50 * 2 ** round, 2000),
  ) {}

  async recorded(locations: readonly AttemptLocation[]): Promise<ReadonlySet<string>> {
    // BatchGetItem refuses a request that names one key twice.
    const keys = [
      ...new Map(locations.map((l) => [`${l.enterpriseId}\n${attemptRef(l)}`, { enterpriseId: l.enterpriseId, attemptRef: attemptRef(l) }])).values(),
    ];
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += BATCH_SIZE) {
      for (const item of await this.getAll(keys.slice(i, i + BATCH_SIZE))) {
        const ref = String(item.attemptRef);
        found.add(ref.slice(ref.lastIndexOf('#') + 1));
      }
    }
    return found;
  }

  /** One page of keys; what DynamoDB leaves unprocessed (throttling) is asked again, with backoff. */
  private async getAll(keys: Key[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let pending: Key[] = keys;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS)
        throw new Error(`BatchGetItem on ${this.attemptsTable} still left ${pending.length} key(s) unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await new Promise((r) => setTimeout(r, this.backoffMs(round)));
      const { Responses, UnprocessedKeys } = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.attemptsTable]: { Keys: pending, ProjectionExpression: 'enterpriseId, attemptRef' } } }),
      );
      items.push(...(Responses?.[this.attemptsTable] ?? []));
      pending = (UnprocessedKeys?.[this.attemptsTable]?.Keys ?? []) as Key[];
    }
    return items;
  }
}
