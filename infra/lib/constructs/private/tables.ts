/**
 * The tables' shapes, taken from the AWS adapters that read and write them, so the CDK app and the
 * adapters cannot drift apart (the construct tests compare the synthesized tables with
 * createTableInput). Only data crosses here: the definitions import nothing at run time.
 */
export { EVENTS_TABLE, HUB_TABLE, SHARING_TABLE } from '../../../../src/adapters/aws/dynamodb/tables.ts';
/** The backups' runs, chunks, cursors and leases, as their DynamoDB adapters define the table. */
export { BACKUPS_TABLE } from '../../../../src/adapters/aws/dynamodb/backup-table.ts';
