/**
 * Row-for-row comparison of backups: every row a RowSource holds, as canonical JSON (keys sorted at
 * every depth), sorted, hashed. Two tables hash alike when they hold the same rows, whatever their
 * order, engine (Postgres, SQLite) or the JSON key order of their json columns.
 */
import { createHash } from 'node:crypto';
import type { PlanRequest, Row, RowSource } from '../../src/ports/backups.ts';

export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

const FULL: PlanRequest = { mode: 'full', cursor: null, chunkRows: 50_000 };

/** Every row of a full read, in chunk order. */
export async function readAll(source: RowSource, request: PlanRequest = FULL): Promise<Row[]> {
  const rows: Row[] = [];
  for (const chunk of await source.plan(request))
    for await (const batch of source.read(chunk, request)) rows.push(...batch);
  return rows;
}

export async function sortedRowsHash(source: RowSource): Promise<{ rows: number; sha256: string }> {
  const lines = (await readAll(source)).map(canonical).sort();
  const h = createHash('sha256');
  for (const l of lines) h.update(l).update('\n');
  return { rows: lines.length, sha256: h.digest('hex') };
}
