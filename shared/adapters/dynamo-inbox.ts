/**
 * The reviewers' inbox, read from the deposits table's sparse byInbox index (only records waiting
 * for a reviewer are in it; shared/adapters/dynamo-ledger.ts writes their place on every write).
 * Queries only: one partition per inbox, the filters as a FilterExpression over what the index
 * copies. And the registry's names for the enterprises listed, by BatchGetItem.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EnterpriseNames, InboxPage, InboxPosition, InboxQuery, InboxReader, InboxRow } from '#app/ports.ts';
import type { InboxAttempt } from '#domain/inbox.ts';

export const INBOX_INDEX = 'byInbox';

/** Items a page's Query evaluates at a time: filters drop some, so ask for more than the page needs. */
const EVALUATED_PER_QUERY = 100;
/** Queries one page may take before it answers with what it found and where to go on. */
const MAX_QUERIES_PER_PAGE = 10;

type Item = Record<string, unknown>;

function filterOf(query: InboxQuery): Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.city !== undefined) {
    conditions.push('inboxAttempt.cityCode = :city');
    values[':city'] = query.city;
  }
  if (query.enterpriseId !== undefined) {
    conditions.push('enterpriseId = :enterprise');
    values[':enterprise'] = query.enterpriseId;
  }
  if (query.period !== undefined) {
    // `period` is one of DynamoDB's reserved words.
    conditions.push('#period = :period');
    names['#period'] = 'period';
    values[':period'] = query.period;
  }
  if (query.severity !== undefined) {
    conditions.push(query.severity === 'errors' ? 'inboxAttempt.errors > :none' : 'inboxAttempt.warnings > :none');
    values[':none'] = 0;
  }
  if (query.late !== undefined) {
    conditions.push('inboxAttempt.onTime = :onTime');
    values[':onTime'] = !query.late;
  }
  return conditions.length === 0
    ? {}
    : {
        FilterExpression: conditions.join(' AND '),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      };
}

const positionOf = (item: Item): InboxPosition => ({
  inboxSince: String(item.inboxSince),
  enterpriseId: String(item.enterpriseId),
  period: String(item.period),
});

const rowOf = (item: Item): InboxRow => ({
  enterpriseId: String(item.enterpriseId),
  period: String(item.period),
  province: String(item.province ?? ''),
  city: String(item.city ?? ''),
  industry: String(item.industry ?? ''),
  inboxSince: String(item.inboxSince),
  attempt: item.inboxAttempt as InboxAttempt,
});

export class DynamoInbox implements InboxReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly depositsTable: string,
  ) {}

  async page(query: InboxQuery): Promise<InboxPage> {
    const filter = filterOf(query);
    const rows: InboxRow[] = [];
    let start: Item | undefined = query.after ? { inbox: query.inbox, ...query.after } : undefined;
    for (let queries = 0; queries < MAX_QUERIES_PER_PAGE; queries++) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.depositsTable,
          IndexName: INBOX_INDEX,
          KeyConditionExpression: 'inbox = :inbox',
          ...filter,
          ExpressionAttributeValues: { ...filter.ExpressionAttributeValues, ':inbox': query.inbox },
          Limit: Math.max(EVALUATED_PER_QUERY, query.limit),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        rows.push(rowOf(item));
        // A full page ends at its last row; the next one starts after it, whatever this Query evaluated beyond.
        if (rows.length === query.limit) {
          const more = page.LastEvaluatedKey !== undefined || item !== page.Items?.at(-1);
          return more ? { rows, next: positionOf(item) } : { rows };
        }
      }
      start = page.LastEvaluatedKey;
      if (!start) return { rows };
    }
    // Filters dropped most of what was read: answer with what was found and where to go on.
    return { rows, next: positionOf(start as Item) };
  }

  async countsByCity(inbox: string): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>();
    let start: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.depositsTable,
          IndexName: INBOX_INDEX,
          KeyConditionExpression: 'inbox = :inbox',
          ExpressionAttributeValues: { ':inbox': inbox },
          // Only the city: a page of the count reads thousands of entries.
          ProjectionExpression: 'inboxAttempt.cityCode',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const city = String((item.inboxAttempt as { cityCode?: unknown } | undefined)?.cityCode ?? '');
        counts.set(city, (counts.get(city) ?? 0) + 1);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return counts;
  }
}

/** BatchGetItem's limit per request. */
const BATCH_SIZE = 100;
const MAX_ROUNDS = 5;

/** Enterprise names from the registry table: a name is a courtesy, so what stays unprocessed is left unnamed. */
export class DynamoEnterpriseNames implements EnterpriseNames {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly registryTable: string,
  ) {}

  async namesOf(enterpriseIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const names = new Map<string, string>();
    const unique = [...new Set(enterpriseIds)];
    for (let i = 0; i < unique.length; i += BATCH_SIZE) {
      let keys: Item[] = unique.slice(i, i + BATCH_SIZE).map((enterpriseId) => ({ enterpriseId }));
      for (let round = 0; keys.length > 0 && round < MAX_ROUNDS; round++) {
        const { Responses, UnprocessedKeys } = await this.db.send(
          new BatchGetCommand({
            RequestItems: { [this.registryTable]: { Keys: keys, ProjectionExpression: 'enterpriseId, #name', ExpressionAttributeNames: { '#name': 'name' } } },
          }),
        );
        for (const item of Responses?.[this.registryTable] ?? []) {
          if (typeof item.name === 'string') names.set(String(item.enterpriseId), item.name);
        }
        keys = (UnprocessedKeys?.[this.registryTable]?.Keys ?? []) as Item[];
      }
    }
    return names;
  }
}
