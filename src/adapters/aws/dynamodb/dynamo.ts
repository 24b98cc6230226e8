/**
 * What every DynamoDB adapter shares: the document client, fixed-width sort keys, opaque cursors that
 * carry only sort-key values (the partition key is always rebuilt from the caller's own arguments, so a
 * forged cursor cannot reach another owner's partition), and the condition-failure test.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { invalid } from '../../../core/errors.ts';
import { sdkErrorName } from '../errors.ts';

export type Doc = DynamoDBDocumentClient;

export function documentClient(client: DynamoDBClient): Doc {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Epoch milliseconds as a fixed-width string, so string order is time order. */
export const pad = (ms: number) => String(Math.max(0, Math.trunc(ms))).padStart(15, '0');

export const isConditionFailed = (e: unknown) => sdkErrorName(e) === 'ConditionalCheckFailedException';

/** A cancelled transaction's per-item reasons (`ConditionalCheckFailed`, `None`, …). */
export function cancellationReasons(e: unknown): string[] | null {
  if (sdkErrorName(e) !== 'TransactionCanceledException') return null;
  const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}

export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): string[] | null {
  if (cursor === undefined) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // fall through
  }
  throw invalid('CAIRN_INVALID_CURSOR', 'cursor is not one this API returned: start again without it.');
}

export function pageLimit(limit: number | undefined, fallback = 50, max = 200): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalid('CAIRN_INVALID_REQUEST', `limit: must be a whole number from 1 to ${max}`);
  }
  return limit;
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export const chunksOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
