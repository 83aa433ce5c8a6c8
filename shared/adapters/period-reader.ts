/**
 * What the nightly job and the query API read, with no Scan: the registry by province (one Query
 * per provincial division on byProvince), a period's enterprise-period records (one paged Query on
 * deposits.byPeriod) and the problems of an enterprise's attempts in a window of periods (one
 * Query per enterprise on the attempts table's key). Every item read is counted, so the
 * benchmark can compare items read with items that exist; the count belongs to this reader, so a
 * caller that wants one run's figures makes one reader per run.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '#app/map-limit.ts';
import type { ItemsRead, PeriodReader } from '#app/ports.ts';
import type { Period } from '#domain/period.ts';
import { legacyScopesOf, PROVINCES } from '#domain/provinces.ts';
import { type ProblemRef, ProblemRefSchema, type RatedRecord, RatedRecordSchema } from '#domain/rates.ts';
import { type Enterprise, EnterpriseSchema } from '#domain/registry.ts';

export interface PeriodTables {
  readonly deposits: string;
  readonly attempts: string;
  readonly registry: string;
}

/** The names a province was stored under before codes: its standard and its short name. */
function legacyProvinceKeys(code: string): string[] {
  return legacyScopesOf(`province:${code}`).map((scope) => scope.slice('province:'.length));
}

/**
 * The registry entries of these province codes by the byProvince index (and the names provinces
 * were keyed by before codes), through `queryAll`, which pages and counts as its caller wants.
 */
export async function registryByProvince(
  queryAll: (input: QueryCommandInput) => Promise<Record<string, unknown>[]>,
  table: string,
  provinces: readonly string[] = PROVINCES,
  concurrency = 16,
): Promise<Enterprise[]> {
  const keys = provinces.flatMap((code) => [code, ...legacyProvinceKeys(code)]);
  const pages = await mapLimit(keys, concurrency, (province) =>
    queryAll({
      TableName: table,
      IndexName: 'byProvince',
      KeyConditionExpression: 'province = :p',
      ExpressionAttributeValues: { ':p': province },
    }),
  );
  return pages.flat().map((item) => EnterpriseSchema.parse(item));
}

export class DynamoPeriodReader implements PeriodReader {
  private readonly counts: { -readonly [T in keyof ItemsRead]: number } = { registry: 0, deposits: 0, attempts: 0 };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: PeriodTables,
    private readonly concurrency = 16,
  ) {}

  /**
   * Every registered enterprise of these province codes, in credit-code order within province
   * order. Items written before the registry carried codes hold the province's name in the index
   * key (江西 or 江西省): those spellings are queried too, and the items read as codes (see
   * EnterpriseSchema). Once every item is rewritten (`evidence registry import`), those Queries
   * find nothing, and they read nothing.
   */
  async registry(provinces: readonly string[] = PROVINCES): Promise<Enterprise[]> {
    return registryByProvince((input) => this.queryAll('registry', input), this.tables.registry, provinces, this.concurrency);
  }

  /** The period's enterprise-period records, credit-code order. */
  async recordsOf(period: Period): Promise<RatedRecord[]> {
    const items = await this.queryAll('deposits', {
      TableName: this.tables.deposits,
      IndexName: 'byPeriod',
      KeyConditionExpression: 'period = :p',
      ExpressionAttributeValues: { ':p': period },
    });
    return items.map((item) => RatedRecordSchema.parse(item));
  }

  /** Problems per attemptId for the enterprises' attempts in periods `from`..`to`. */
  async problemsOf(enterpriseIds: readonly string[], from: Period, to: Period): Promise<Map<string, ProblemRef[]>> {
    const problems = new Map<string, ProblemRef[]>();
    await mapLimit(enterpriseIds, this.concurrency, async (enterpriseId) => {
      const items = await this.queryAll('attempts', {
        TableName: this.tables.attempts,
        // attemptRef is `<period>#<attemptId>`: '$' sorts just after '#', closing the last period.
        KeyConditionExpression: 'enterpriseId = :e AND attemptRef BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':e': enterpriseId,
          ':from': `${from}#`,
          ':to': `${to}$`,
        },
        ProjectionExpression: '#id, #validation.#issues',
        ExpressionAttributeNames: {
          '#id': 'attemptId',
          '#validation': 'validation',
          '#issues': 'issues',
        },
      });
      for (const item of items) {
        const issues = ((item.validation as { issues?: unknown[] } | undefined)?.issues ?? []).map((i) => ProblemRefSchema.parse(i));
        problems.set(String(item.attemptId), issues);
      }
    });
    return problems;
  }

  /** One enterprise's enterprise-period records, oldest period first (one Query on the table key). */
  async historyOf(enterpriseId: string): Promise<RatedRecord[]> {
    const items = await this.queryAll('deposits', {
      TableName: this.tables.deposits,
      KeyConditionExpression: 'enterpriseId = :e',
      ExpressionAttributeValues: { ':e': enterpriseId },
    });
    return items.map((item) => RatedRecordSchema.parse(item));
  }

  /** Items read so far by this reader (a copy). */
  get itemsRead(): ItemsRead {
    return { ...this.counts };
  }

  async enterprise(enterpriseId: string): Promise<Enterprise | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tables.registry,
        Key: { enterpriseId },
      }),
    );
    if (Item) this.counts.registry++;
    return Item ? EnterpriseSchema.parse(Item) : undefined;
  }

  private async queryAll(counter: keyof ItemsRead, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      this.counts[counter] += page.Items?.length ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
