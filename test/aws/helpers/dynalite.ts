/**
 * dynalite (an in-memory DynamoDB implementation) on a random loopback port, and fresh tables made
 * from the adapters' own definitions (src/adapters/aws/dynamodb/tables.ts), one set per test.
 * dynalite implements the DynamoDB API (conditions, transactions, GSIs, TTL settings) but never
 * deletes items by TTL and has no throughput limits.
 */
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
// @ts-expect-error: dynalite ships no types
import dynalite from 'dynalite';
import { documentClient, type Doc } from '../../../src/adapters/aws/dynamodb/dynamo.ts';
import { createTableInput, type TableDefinition } from '../../../src/adapters/aws/dynamodb/tables.ts';

export interface RunningDynalite {
  client(): DynamoDBClient;
  doc(): Doc;
  /** Creates a new table for the definition; returns its name. */
  table(def: TableDefinition): Promise<string>;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<RunningDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const client = () =>
    new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  const admin = client();
  return {
    client,
    doc: () => documentClient(client()),
    async table(def) {
      const name = `cairn-${randomBytes(6).toString('hex')}`;
      await admin.send(new CreateTableCommand(createTableInput(name, def)));
      return name;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
