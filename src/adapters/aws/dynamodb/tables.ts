/**
 * The DynamoDB tables the AWS adapters use, as data: key schema, global secondary indexes and the TTL
 * attribute. docs/aws-data-model.md explains each item type; the CDK app creates the same tables, and
 * the tests create them on dynalite from these definitions. Every table is pay-per-request, with
 * generic key names (pk/sk, gsiNpk/gsiNsk) so one table holds several item types of one capability.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface TableDefinition {
  /** The environment variable the Lambda composition reads the table name from. */
  env: string;
  /** The attribute DynamoDB TTL deletes items by (epoch seconds), if the table uses TTL. */
  ttlAttribute?: string;
  indexes: string[];
}

/** TTL removes the attempt limiter's items (attempt-limiter.ts); shares and files never carry `ttl`. */
export const SHARING_TABLE: TableDefinition = { env: 'SHARING_TABLE', ttlAttribute: 'ttl', indexes: ['gsi1', 'gsi2'] };
export const EVENTS_TABLE: TableDefinition = { env: 'EVENTS_TABLE', ttlAttribute: 'ttl', indexes: ['gsi1', 'gsi2'] };
export const HUB_TABLE: TableDefinition = { env: 'HUB_TABLE', ttlAttribute: 'ttl', indexes: ['gsi1'] };

/** The CreateTable input for a definition (what the CDK mirrors; used by tests against dynalite). */
export function createTableInput(name: string, def: TableDefinition): CreateTableCommandInput {
  const s = (AttributeName: string) => ({ AttributeName, AttributeType: 'S' as const });
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [s('pk'), s('sk'), ...def.indexes.flatMap((i) => [s(`${i}pk`), s(`${i}sk`)])],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: def.indexes.map((i) => ({
      IndexName: i,
      KeySchema: [
        { AttributeName: `${i}pk`, KeyType: 'HASH' },
        { AttributeName: `${i}sk`, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
