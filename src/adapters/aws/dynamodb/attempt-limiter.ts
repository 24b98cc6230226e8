/**
 * The attempt limiter (core/rate-limiter.ts) in DynamoDB, so every Lambda instance shares one count per
 * key: one item per (limiter, key) holding the window's end and its attempts, updated only by
 * conditional writes. `take` is one UpdateItem that adds 1 only while the window is open and below the
 * limit, so parallel guesses cannot overshoot; a closed window is replaced by a conditional put. The key
 * (an address, a username, a share id) is stored hashed, and DynamoDB's TTL removes items after the window.
 *
 * Items: pk = `LIMIT#<name>#<sha256(key)>`, sk = `LIMIT`, attributes windowEnd (ms), attempts, ttl (s).
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../../core/clock.ts';
import {
  type AttemptLimiter,
  type LimitRefusal,
  limitReached,
  type RateLimitRule,
} from '../../../core/rate-limiter.ts';
import { type Doc, isConditionFailed } from './dynamo.ts';

export class DynamoAttemptLimiter implements AttemptLimiter {
  constructor(
    private readonly d: {
      doc: Doc;
      table: string;
      /** Names this limiter's items apart from other limiters' on the same table. */
      name: string;
      rule: RateLimitRule;
      refusal: LimitRefusal;
      clock: Clock;
    },
  ) {}

  async take(key: string): Promise<void> {
    const k = this.key(key);
    // Two rounds at most: a lost race to open a new window means the other writer's window is open now.
    for (let round = 0; round < 3; round += 1) {
      const now = this.d.clock.now().getTime();
      try {
        await this.d.doc.send(
          new UpdateCommand({
            TableName: this.d.table,
            Key: k,
            UpdateExpression: 'SET attempts = attempts + :one',
            ConditionExpression: 'windowEnd > :now AND attempts < :limit',
            ExpressionAttributeValues: { ':one': 1, ':now': now, ':limit': this.d.rule.limit },
          }),
        );
        return;
      } catch (e) {
        if (!isConditionFailed(e)) throw e;
      }
      const item = await this.read(k);
      if (item && item.windowEnd > now) {
        if (item.attempts >= this.d.rule.limit) throw limitReached(this.d.refusal, item.windowEnd - now);
        continue; // the window was opened by someone else between the two reads: add to it
      }
      const windowEnd = now + this.d.rule.windowSeconds * 1000;
      try {
        await this.d.doc.send(
          new PutCommand({
            TableName: this.d.table,
            Item: { ...k, windowEnd, attempts: 1, ttl: Math.ceil(windowEnd / 1000) + 60 },
            ConditionExpression: 'attribute_not_exists(pk) OR windowEnd <= :now',
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        return;
      } catch (e) {
        if (!isConditionFailed(e)) throw e;
      }
    }
    // Contention this heavy on one key is itself an attack: refuse rather than loop.
    throw limitReached(this.d.refusal, 1000);
  }

  async giveBack(key: string): Promise<void> {
    try {
      await this.d.doc.send(
        new UpdateCommand({
          TableName: this.d.table,
          Key: this.key(key),
          UpdateExpression: 'SET attempts = attempts - :one',
          ConditionExpression: 'windowEnd > :now AND attempts > :zero',
          ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':now': this.d.clock.now().getTime() },
        }),
      );
    } catch (e) {
      if (!isConditionFailed(e)) throw e; // the window closed meanwhile: nothing to give back
    }
  }

  async reset(key: string): Promise<void> {
    await this.d.doc.send(new DeleteCommand({ TableName: this.d.table, Key: this.key(key) }));
  }

  private key(key: string) {
    const digest = createHash('sha256').update(key).digest('base64url');
    return { pk: `LIMIT#${this.d.name}#${digest}`, sk: 'LIMIT' };
  }

  private async read(k: { pk: string; sk: string }) {
    const out = await this.d.doc.send(new GetCommand({ TableName: this.d.table, Key: k, ConsistentRead: true }));
    return out.Item as { windowEnd: number; attempts: number } | undefined;
  }
}
