/**
 * The summaries table: one item per scope and period. A summary is written only when its figures
 * changed (a content hash guards the Put), so a second nightly run writes nothing and
 * `computedAt` keeps telling when the figures last moved.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SummaryStore, WriteOutcome } from '#app/ports.ts';
import type { Period } from '#domain/period.ts';
import type { PeriodSummary } from '#domain/rates.ts';

export type StoredSummary = PeriodSummary & {
  readonly computedAt: string;
  readonly contentHash: string;
};

export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

export class DynamoSummaries implements SummaryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** 'written' if the stored figures changed (or were absent), else 'unchanged'. */
  async put(summary: PeriodSummary, computedAt: string): Promise<WriteOutcome> {
    const hash = contentHash(summary);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...summary, computedAt, contentHash: hash },
          ConditionExpression: 'attribute_not_exists(#scope) OR contentHash <> :hash',
          ExpressionAttributeNames: { '#scope': 'scope' },
          ExpressionAttributeValues: { ':hash': hash },
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return 'unchanged';
      throw error;
    }
  }

  /** A scope's summaries for periods `from`..`to`, oldest first. */
  async range(scope: string, from: Period, to: Period): Promise<StoredSummary[]> {
    const items: StoredSummary[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#scope = :s AND period BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#scope': 'scope' },
          ExpressionAttributeValues: { ':s': scope, ':from': from, ':to': to },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as StoredSummary[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
