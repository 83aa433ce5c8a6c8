/** The registry of obliged enterprises, in DynamoDB. */
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RegistryStore } from '#app/ports.ts';
import { type Enterprise, EnterpriseSchema } from '#domain/registry.ts';
import { registryByProvince } from './period-reader.ts';

export class DynamoRegistry implements RegistryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(enterpriseId: string): Promise<Enterprise | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { enterpriseId } }));
    return Item ? EnterpriseSchema.parse(Item) : undefined;
  }

  /** Every entry of these province codes (every province when absent), by the byProvince index: no Scan. */
  async list(provinces?: readonly string[]): Promise<Enterprise[]> {
    const queryAll = async (input: QueryCommandInput) => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    return registryByProvince(queryAll, this.table, provinces);
  }

  /**
   * Writes every entry, 25 a request (BatchWriteItem's limit), retrying unprocessed items;
   * `onProgress` hears how many are written so far.
   */
  async putAll(enterprises: readonly Enterprise[], onProgress?: (written: number, total: number) => void): Promise<void> {
    for (let i = 0; i < enterprises.length; i += 25) {
      // Written as the schema reads them: province and city as division codes, whatever the
      // caller spelt, so the byProvince index is keyed by code.
      let requests = enterprises.slice(i, i + 25).map((e) => ({ PutRequest: { Item: EnterpriseSchema.parse(e) } }));
      for (let tries = 0; requests.length > 0; tries++) {
        if (tries > 10) throw new Error('registry write kept being throttled');
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = (result.UnprocessedItems?.[this.table] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** tries));
      }
      onProgress?.(Math.min(i + 25, enterprises.length), enterprises.length);
    }
  }
}
