/**
 * Backup runs and chunks as items of the backups table (backup-table.ts). JSON-shaped fields (the plan,
 * cursor positions, chunk params) are stored as JSON text so they come back exactly as the SQLite
 * repository gives them; absent values are absent attributes, read back as null. A run's `counted`
 * number set names the chunks whose rows and bytes were added to it (its size is `chunksDone`).
 */
import type { ChunkSpec, CursorPosition } from '../../../ports/backups.ts';
import type { BackupRun, ChunkRecord } from '../../../core/backups/model.ts';
import { pad } from './dynamo.ts';

export const runKey = (id: string) => ({ pk: `RUN#${id}`, sk: 'RUN' });
export const chunkSk = (index: number) => `CHUNK#${pad(index)}`;
export const chunkKey = (runId: string, index: number) => ({ pk: `RUN#${runId}`, sk: chunkSk(index) });
export const jobKey = (job: string, sk: string) => ({ pk: `JOB#${job}`, sk });

export interface RunItem {
  id: string;
  job: string;
  mode: BackupRun['mode'];
  kind: BackupRun['kind'];
  status: BackupRun['status'];
  phase: BackupRun['phase'];
  trigger: BackupRun['trigger'];
  scheduledFor?: number;
  startedAt: number;
  finishedAt?: number;
  plan: string;
  cursorFrom?: string;
  cursorTo?: string;
  chunksTotal: number;
  rows: number;
  bytes: number;
  counted?: Set<number>;
  hotRows?: number;
  manifestKey?: string;
  error?: string;
  verifiedAt?: number;
  verifyOk?: boolean;
  verifyError?: string;
  prunedAt?: number;
}

export interface ChunkItem {
  index: number;
  label: string;
  params: string;
  status: 'pending' | 'done';
  attempts: number;
  objectKey?: string;
  rows?: number;
  bytes?: number;
  sha256?: string;
  maxCursor?: string;
  error?: string;
}

const json = (v: unknown) => (v === null || v === undefined ? undefined : JSON.stringify(v));
const parse = <T>(s: string | undefined): T | null => (s === undefined ? null : (JSON.parse(s) as T));
const ms = (d: Date | null) => (d ? d.getTime() : undefined);
const date = (n: number | undefined) => (n === undefined ? null : new Date(n));

/** The gsi3 partition and sort key of a run in its state (what unfinished/succeeded/stale query). */
export function stateKeys(r: Pick<BackupRun, 'id' | 'job' | 'status' | 'startedAt' | 'finishedAt' | 'prunedAt'>) {
  if (r.status === 'running') return { gsi3pk: `RUNNING#${r.job}`, gsi3sk: `${pad(r.startedAt.getTime())}#${r.id}` };
  const at = `${pad((r.finishedAt ?? r.startedAt).getTime())}#${r.id}`;
  const kept = r.status === 'succeeded' && !r.prunedAt;
  return { gsi3pk: `${kept ? 'KEPT' : 'GONE'}#${r.job}`, gsi3sk: at };
}

export function runItem(r: BackupRun): Record<string, unknown> {
  const started = `${pad(r.startedAt.getTime())}#${r.id}`;
  const item: RunItem = {
    id: r.id,
    job: r.job,
    mode: r.mode,
    kind: r.kind,
    status: r.status,
    phase: r.phase,
    trigger: r.trigger,
    scheduledFor: ms(r.scheduledFor),
    startedAt: r.startedAt.getTime(),
    finishedAt: ms(r.finishedAt),
    plan: JSON.stringify(r.plan),
    cursorFrom: json(r.cursorFrom),
    cursorTo: json(r.cursorTo),
    chunksTotal: r.chunksTotal,
    rows: r.rows,
    bytes: r.bytes,
    hotRows: r.hotRows ?? undefined,
    manifestKey: r.manifestKey ?? undefined,
    error: r.error ?? undefined,
    verifiedAt: ms(r.verifiedAt),
    verifyOk: r.verifyOk ?? undefined,
    verifyError: r.verifyError ?? undefined,
    prunedAt: ms(r.prunedAt),
  };
  return {
    ...runKey(r.id),
    type: 'backup-run',
    ...item,
    gsi1pk: `JOB#${r.job}`,
    gsi1sk: started,
    gsi2pk: 'RUNS',
    gsi2sk: started,
    ...stateKeys(r),
  };
}

export function toRun(i: RunItem): BackupRun {
  return {
    id: i.id,
    job: i.job,
    mode: i.mode,
    kind: i.kind,
    status: i.status,
    phase: i.phase,
    trigger: i.trigger,
    scheduledFor: date(i.scheduledFor),
    startedAt: new Date(i.startedAt),
    finishedAt: date(i.finishedAt),
    plan: JSON.parse(i.plan) as BackupRun['plan'],
    cursorFrom: parse<CursorPosition>(i.cursorFrom),
    cursorTo: parse<CursorPosition>(i.cursorTo),
    chunksTotal: i.chunksTotal,
    chunksDone: i.counted?.size ?? 0,
    rows: i.rows,
    bytes: i.bytes,
    hotRows: i.hotRows ?? null,
    manifestKey: i.manifestKey ?? null,
    error: i.error ?? null,
    verifiedAt: date(i.verifiedAt),
    verifyOk: i.verifyOk ?? null,
    verifyError: i.verifyError ?? null,
    prunedAt: date(i.prunedAt),
  };
}

export const chunkItem = (runId: string, c: ChunkSpec): Record<string, unknown> => ({
  ...chunkKey(runId, c.index),
  type: 'backup-chunk',
  index: c.index,
  label: c.label,
  params: JSON.stringify(c.params),
  status: 'pending',
  attempts: 0,
});

export const toChunk = (c: ChunkItem): ChunkRecord => ({
  index: c.index,
  label: c.label,
  params: JSON.parse(c.params) as Record<string, unknown>,
  status: c.status,
  attempts: c.attempts,
  stored: c.objectKey ? { key: c.objectKey, rows: c.rows ?? 0, bytes: c.bytes ?? 0, sha256: c.sha256 ?? '' } : null,
  maxCursor: parse<CursorPosition>(c.maxCursor),
  error: c.error ?? null,
});

/** An error message as stored (the SQLite repository keeps 2,000 characters too). */
export const clip = (s: string) => s.slice(0, 2000);

export interface Condition {
  expr: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/**
 * An UpdateItem's expressions: `set` fields (null or undefined: REMOVE) and `add` counters or sets,
 * every attribute name through a placeholder (status, rows, bytes, error… are reserved words).
 */
export function updateExpression(
  u: { set?: Record<string, unknown>; add?: Record<string, unknown> },
  cond?: Condition,
) {
  const names: Record<string, string> = { ...cond?.names };
  const values: Record<string, unknown> = { ...cond?.values };
  const sets: string[] = [];
  const removes: string[] = [];
  const adds: string[] = [];
  let n = 0;
  for (const [field, value] of Object.entries(u.set ?? {})) {
    const [name, val] = [`#u${n}`, `:u${n++}`];
    names[name] = field;
    if (value === null || value === undefined) removes.push(name);
    else {
      values[val] = value;
      sets.push(`${name} = ${val}`);
    }
  }
  for (const [field, value] of Object.entries(u.add ?? {})) {
    const [name, val] = [`#u${n}`, `:u${n++}`];
    names[name] = field;
    values[val] = value;
    adds.push(`${name} ${val}`);
  }
  const clauses = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
  ];
  return {
    UpdateExpression: clauses.filter(Boolean).join(' '),
    ...(cond ? { ConditionExpression: cond.expr } : {}),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
