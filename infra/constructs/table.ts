import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { tableDefinition } from '../../functions/store/keys';

/**
 * The single table: keys and indexes from functions/store/keys.ts, retained and recoverable.
 *
 * Like every module of infra/constructs/, this adds its resources to the stack itself rather than
 * to a construct of its own: an intermediate scope would change every logical id, and CloudFormation
 * would replace the retained table and user pool of a deployed stack.
 */
export function createTable(stack: Stack): Table {
  const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
  const table = new Table(stack, 'Table', {
    partitionKey: stringKey(tableDefinition.partitionKey),
    sortKey: stringKey(tableDefinition.sortKey),
    timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of tableDefinition.globalSecondaryIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: stringKey(index.partitionKey),
      sortKey: stringKey(index.sortKey),
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
}
