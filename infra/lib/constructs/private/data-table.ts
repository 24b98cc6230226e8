import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface DataTableProps {
  /** What the table holds, written into the CloudFormation description of the grants. */
  readonly purpose: string;
  readonly encryptionKey?: kms.IKey;
  /**
   * The table's shape as the adapters define it (src/adapters/aws/dynamodb/tables.ts): the TTL
   * attribute (epoch seconds) and the overloaded global secondary indexes (`gsi1` keyed gsi1pk/gsi1sk, …).
   */
  readonly definition: { readonly ttlAttribute?: string; readonly indexes: readonly string[] };
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

/**
 * A DynamoDB table with generic keys (`pk`/`sk` strings and overloaded `gsiNpk`/`gsiNsk` indexes), one
 * per capability, holding several item types (docs/aws-data-model.md); on-demand capacity,
 * point-in-time recovery, encrypted with the construct's key when one is given.
 */
export class DataTable extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: props.encryptionKey
        ? dynamodb.TableEncryption.CUSTOMER_MANAGED
        : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: props.definition.ttlAttribute,
      removalPolicy: props.removalPolicy,
      deletionProtection: props.deletionProtection,
    });
    for (const index of props.definition.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${index}pk`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `${index}sk`, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
