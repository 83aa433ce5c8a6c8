/**
 * The enterprise's earlier accepted months, read from the attempts table for the history-aware
 * checks. One Query on the enterprise's partition, bounded by a key range on `attemptRef`
 * (`{period}#{attemptId}` sorts by period), so the cost is the enterprise's attempts in the
 * look-back window, never a table scan.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { HistoryReader } from '#app/ports.ts';
import { DepositFileSchema } from '#domain/attempt.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import { VerdictSchema } from '#domain/issues.ts';
import { addMonths } from '#domain/period.ts';
import { MonthlyReportSchema } from '#domain/report.ts';

const HistoryItemSchema = z.object({
  attemptId: z.string(),
  period: z.string(),
  receivedAt: z.string(),
  verdict: VerdictSchema,
  report: MonthlyReportSchema.optional(),
  files: z.array(DepositFileSchema).default([]),
});
type HistoryItem = z.infer<typeof HistoryItemSchema>;

// Sorts after every attemptId character (hex), so `{period}#~` closes the period's range.
const AFTER_ANY_ATTEMPT = '~';

export class DynamoHistory implements HistoryReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly attemptsTable: string,
    /** Verdicts that count as an accepted month. */
    private readonly verdicts: readonly string[] = ['accepted'],
  ) {}

  async acceptedMonths(enterpriseId: string, period: string, months: number): Promise<PriorMonth[]> {
    const items: HistoryItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.attemptsTable,
          KeyConditionExpression: '#enterpriseId = :enterpriseId AND #attemptRef BETWEEN :from AND :to',
          FilterExpression: `#verdict IN (${this.verdicts.map((_, i) => `:v${i}`).join(', ')})`,
          ProjectionExpression: '#attemptId, #period, #receivedAt, #verdict, #report, #files',
          ExpressionAttributeNames: {
            '#enterpriseId': 'enterpriseId',
            '#attemptRef': 'attemptRef',
            '#attemptId': 'attemptId',
            '#period': 'period',
            '#receivedAt': 'receivedAt',
            '#verdict': 'verdict',
            '#report': 'report',
            '#files': 'files',
          },
          ExpressionAttributeValues: {
            ':enterpriseId': enterpriseId,
            ':from': `${addMonths(period, -months)}#`,
            ':to': `${addMonths(period, -1)}#${AFTER_ANY_ATTEMPT}`,
            ...Object.fromEntries(this.verdicts.map((v, i) => [`:v${i}`, v])),
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const parsed = HistoryItemSchema.safeParse(item);
        // An attempt recorded before reports were stored has nothing to compare; skip it.
        if (parsed.success && parsed.data.report) items.push(parsed.data);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return latestPerPeriod(items);
  }
}

/** The last accepted attempt of each period (a re-deposit supersedes the earlier one), newest period first. */
export function latestPerPeriod(items: readonly HistoryItem[]): PriorMonth[] {
  const byPeriod = new Map<string, HistoryItem>();
  for (const item of items) {
    const current = byPeriod.get(item.period);
    if (!current || item.receivedAt > current.receivedAt) byPeriod.set(item.period, item);
  }
  return [...byPeriod.values()]
    .sort((a, b) => (a.period < b.period ? 1 : -1))
    .map((item) => ({
      period: item.period,
      attemptId: item.attemptId,
      report: item.report as NonNullable<HistoryItem['report']>,
      evidence: item.files.filter((f) => f.role === 'evidence').map((f) => ({ fileName: f.fileName, sha256: f.sha256 })),
    }));
}
