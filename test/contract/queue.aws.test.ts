/**
 * The Queue contract against SqsQueue — mocked: no SQS emulator here. SQS is a stateful fake behind
 * aws-sdk-client-mock (test/aws/helpers/fake-sqs.ts: visibility, receive counts, redrive policy, DLQ,
 * StartMessageMoveTask, stale receipts, as the SQS documentation describes them). The ledger the adapter
 * keeps in DynamoDB (dedup on a standard queue, last errors, retry counts) runs on dynalite.
 * What this cannot show — real SQS timing, ordering and the asynchronous move task — needs an AWS account.
 */
import { afterAll } from 'vitest';
import { SqsQueue } from '../../src/adapters/aws/sqs-queue.ts';
import { HUB_TABLE } from '../../src/adapters/aws/dynamodb/tables.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { FakeSqs } from '../aws/helpers/fake-sqs.ts';
import { startDynalite, type RunningDynalite } from '../aws/helpers/dynalite.ts';
import { describeQueueContract, type QueueFixture } from './queue.contract.ts';

let dynamo: RunningDynalite | undefined;
afterAll(async () => {
  await dynamo?.close();
});

describeQueueContract('SqsQueue (SQS mocked, ledger on dynalite)', async (): Promise<QueueFixture> => {
  dynamo ??= await startDynalite();
  const table = await dynamo.table(HUB_TABLE);
  const doc = dynamo.doc();
  const clock = new ManualClock(new Date());
  const sqs = new FakeSqs(() => clock.now().getTime());
  const urls = new Map<string, { queueUrl: string; deadLetterQueueUrl: string; maxReceiveCount: number }>();
  return {
    queue<T>(name: string, options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {}) {
      let q = urls.get(name);
      if (!q) {
        const maxReceiveCount = options.maxReceiveCount ?? 5;
        q = {
          ...sqs.createQueue(name, {
            maxReceiveCount,
            visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
          }),
          maxReceiveCount,
        };
        urls.set(name, q);
      }
      return new SqsQueue<T>({ client: sqs.client, name, ...q, ledger: { doc, table }, clock });
    },
    advance: (ms) => clock.advance(ms),
    reopen: async () => {},
    cleanup: async () => sqs.restore(),
  };
});
