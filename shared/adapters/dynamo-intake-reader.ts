/**
 * What intake reads before validating, in one BatchGetItem: the enterprise's registry entry, its
 * enterprise-period record for the month (consistent: its version guards the write) and the
 * records of the look-back months, whose `accepted` snapshot is the history the checks compare
 * with. Every item is addressed by key, so the cost is 2 + look-back items, never a scan.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IntakeContext, IntakeReader } from '#app/ports.ts';
import { EnterprisePeriodSchema, priorMonthOf } from '#domain/attempt.ts';
import type { PriorMonth } from '#domain/history-checks.ts';
import { addMonths } from '#domain/period.ts';
import { EnterpriseSchema } from '#domain/registry.ts';

export interface IntakeTables {
  readonly registry: string;
  readonly deposits: string;
}

type Keys = Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }>;

/** BatchGetItem may return part of a batch under load; the rest is asked again after a pause. */
const MAX_UNPROCESSED_ROUNDS = 8;

export class DynamoIntakeReader implements IntakeReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: IntakeTables,
  ) {}

  async intakeContext(enterpriseId: string, period: string, months: number): Promise<IntakeContext> {
    const periods = [period, ...Array.from({ length: months }, (_, i) => addMonths(period, -(i + 1)))];
    const items = await this.batchGet({
      [this.tables.registry]: { Keys: [{ enterpriseId }] },
      [this.tables.deposits]: { Keys: periods.map((p) => ({ enterpriseId, period: p })), ConsistentRead: true },
    });
    const registryItem = items[this.tables.registry]?.[0];
    const records = (items[this.tables.deposits] ?? []).map((item) => EnterprisePeriodSchema.parse(item));
    const record = records.find((r) => r.period === period);
    const history = records
      .filter((r) => r.period < period)
      .sort((a, b) => (a.period < b.period ? 1 : -1))
      .flatMap((r) => priorMonthOf(r) ?? ([] as PriorMonth[]));
    return {
      ...(registryItem ? { enterprise: EnterpriseSchema.parse(registryItem) } : {}),
      ...(record ? { record } : {}),
      history,
    };
  }

  private async batchGet(request: Keys): Promise<Record<string, Record<string, unknown>[]>> {
    const found: Record<string, Record<string, unknown>[]> = {};
    let pending: Keys | undefined = request;
    for (let round = 0; pending && Object.keys(pending).length > 0; round++) {
      if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error(`BatchGetItem left keys unprocessed after ${MAX_UNPROCESSED_ROUNDS} rounds`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
      const result = await this.db.send(new BatchGetCommand({ RequestItems: pending }));
      for (const [table, items] of Object.entries(result.Responses ?? {})) found[table] = [...(found[table] ?? []), ...items];
      pending = result.UnprocessedKeys as Keys | undefined;
    }
    return found;
  }
}
