/**
 * The job lease in the backups table: one item per job (`JOB#<job>` / `LEASE`) with its holder and an
 * expiry that the holder renews, every write conditional. On AWS one run is worked by several Lambda
 * invocations (plan, chunks, finalize), so a holder may be named (the run id) and taken up again by
 * another invocation with `handle()`. TTL deletes the item a day after it expired.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../../core/clock.ts';
import { randomId } from '../../../core/ids.ts';
import type { JobLease, LeaseHandle } from '../../../ports/backups.ts';
import { translateAwsError } from '../errors.ts';
import { jobKey } from './backup-run-items.ts';
import { type Doc, isConditionFailed } from './dynamo.ts';

const DAY_SECONDS = 86_400;

export class DynamoJobLease implements JobLease {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  /** Null when another holder's lease has not expired. */
  async acquire(job: string, ttlMs: number, holder = `lease_${randomId(16)}`): Promise<LeaseHandle | null> {
    const now = this.clock.now().getTime();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...jobKey(job, 'LEASE'), holder, ...this.expiry(now + ttlMs) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) return null;
      throw translateAwsError(err, 'DynamoDB PutItem (backup lease)');
    }
    return this.handle(job, holder, ttlMs);
  }

  /** The lease as `holder` holds it, from another invocation; renew() says whether it still does. */
  handle(job: string, holder: string, ttlMs: number): LeaseHandle {
    const key = jobKey(job, 'LEASE');
    const mine = { ConditionExpression: 'holder = :h', ExpressionAttributeValues: { ':h': holder } };
    return {
      holder,
      renew: async () => {
        const e = this.expiry(this.clock.now().getTime() + ttlMs);
        try {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: key,
              UpdateExpression: 'SET expiresAt = :e, #ttl = :t',
              ExpressionAttributeNames: { '#ttl': 'ttl' },
              ...mine,
              ExpressionAttributeValues: { ':h': holder, ':e': e.expiresAt, ':t': e.ttl },
            }),
          );
          return true;
        } catch (err) {
          if (isConditionFailed(err)) return false;
          throw translateAwsError(err, 'DynamoDB UpdateItem (backup lease)');
        }
      },
      release: async () => {
        try {
          await this.doc.send(new DeleteCommand({ TableName: this.table, Key: key, ...mine }));
        } catch (err) {
          if (!isConditionFailed(err)) throw translateAwsError(err, 'DynamoDB DeleteItem (backup lease)');
        }
      },
    };
  }

  private expiry(at: number) {
    return { expiresAt: at, ttl: Math.ceil(at / 1000) + DAY_SECONDS };
  }
}
