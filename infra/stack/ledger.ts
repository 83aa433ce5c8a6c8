/**
 * The DynamoDB ledger, built by iterating TABLES in shared/resources/specs.ts: the local twin
 * creates its tables from the same objects, so a key or index exists in both or in neither.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type KeySpec, TABLES, type TableName } from '#resources/specs.ts';

const attribute = (key: KeySpec) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

export class Ledger extends Construct {
  readonly tables: Record<TableName, Table>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = (Object.keys(TABLES) as TableName[]).map((name) => [name, this.table(name)] as const);
    this.tables = Object.fromEntries(entries) as Record<TableName, Table>;
  }

  private table(name: TableName): Table {
    const spec = TABLES[name];
    const sortKey = 'sortKey' in spec ? spec.sortKey : undefined;
    const table = new Table(this, pascal(name), {
      partitionKey: attribute(spec.partitionKey),
      sortKey: sortKey ? attribute(sortKey) : undefined,
      // Traffic is a month-end spike then near silence: on-demand bills only what arrives.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // AWS-managed key: encryption use is visible in CloudTrail, with no key policy to maintain.
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of spec.indexes) {
      const indexSortKey = 'sortKey' in index ? index.sortKey : undefined;
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: indexSortKey ? attribute(indexSortKey) : undefined,
        projectionType: ProjectionType[index.projection.type],
        ...(index.projection.type === 'INCLUDE' ? { nonKeyAttributes: [...index.projection.attributes] } : {}),
      });
    }
    return table;
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
