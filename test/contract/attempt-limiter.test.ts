/** The attempt limiter contract, in memory (local runtime) and in DynamoDB on dynalite (AWS runtime). */
import { afterAll } from 'vitest';
import { DynamoAttemptLimiter } from '../../src/adapters/aws/dynamodb/attempt-limiter.ts';
import { SHARING_TABLE } from '../../src/adapters/aws/dynamodb/tables.ts';
import { FailureRateLimiter } from '../../src/core/rate-limiter.ts';
import { startDynalite, type RunningDynalite } from '../aws/helpers/dynalite.ts';
import { describeAttemptLimiterContract } from './attempt-limiter.contract.ts';

const CODE = 'CAIRN_TEST_RATE_LIMITED';

describeAttemptLimiterContract('in memory', async (rule, clock) => new FailureRateLimiter(rule, clock, CODE, 'tries'));

let dynamo: RunningDynalite | undefined;
afterAll(async () => {
  await dynamo?.close();
});

describeAttemptLimiterContract('DynamoDB on dynalite', async (rule, clock, name = 'test') => {
  dynamo ??= await startDynalite();
  const table = await dynamo.table(SHARING_TABLE);
  return new DynamoAttemptLimiter({
    doc: dynamo.doc(),
    table,
    name,
    rule,
    refusal: { code: CODE, what: 'tries' },
    clock,
  });
});
