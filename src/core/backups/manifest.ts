/**
 * The manifest written beside a run's chunks: what was read (source, mode, cursor range, schema), what
 * was stored (each chunk's key, rows, bytes and SHA-256) and when. Verify and restore trust it, not the
 * run history, so cold storage stays readable on its own.
 */
import { z } from 'zod';
import type { StoredObjectRef } from '../../ports/backups.ts';
import { manifestInvalid } from './errors.ts';
import type { BackupJobSpec, BackupRun, ChunkRecord } from './model.ts';

export const MANIFEST_FORMAT = 'cairn-backup-manifest/1';

const position = z.object({ value: z.unknown(), key: z.array(z.unknown()) }).strict();
const object = z.object({
  key: z.string().min(1),
  rows: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  job: z.string(),
  runId: z.string(),
  mode: z.enum(['full', 'incremental']),
  kind: z.enum(['rows', 'dump']),
  basedOn: z.string().nullable(),
  source: z.record(z.string(), z.unknown()),
  schema: z
    .object({
      name: z.string(),
      columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean() })),
      primaryKey: z.array(z.string()),
    })
    .nullable(),
  compression: z.enum(['gzip', 'none']),
  cursor: z.object({ column: z.string(), from: position.nullable(), to: position.nullable() }).nullable(),
  rows: z.number().int().min(0),
  bytes: z.number().int().min(0),
  chunks: z.array(object.extend({ index: z.number().int().min(0), label: z.string() })),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().min(0),
});

export type Manifest = z.infer<typeof manifestSchema>;

export function buildManifest(
  job: BackupJobSpec,
  run: BackupRun,
  chunks: ChunkRecord[],
  cursorTo: BackupRun['cursorTo'],
  finishedAt: Date,
): Manifest {
  const stored = chunks.map((c) => {
    const s = c.stored as StoredObjectRef;
    return { index: c.index, label: c.label, key: s.key, rows: s.rows, bytes: s.bytes, sha256: s.sha256 };
  });
  return {
    format: MANIFEST_FORMAT,
    job: job.name,
    runId: run.id,
    mode: run.mode,
    kind: run.kind,
    basedOn: run.plan.basedOn,
    source: job.source,
    schema: run.plan.schema,
    compression: run.kind === 'rows' ? 'gzip' : 'none',
    cursor:
      job.cursor && run.kind === 'rows' ? { column: job.cursor.column, from: run.cursorFrom, to: cursorTo } : null,
    rows: stored.reduce((n, c) => n + c.rows, 0),
    bytes: stored.reduce((n, c) => n + c.bytes, 0),
    chunks: stored,
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - run.startedAt.getTime(),
  };
}

export function parseManifest(key: string, value: unknown): Manifest {
  if (value === null || value === undefined) throw manifestInvalid(key, 'the manifest is missing');
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw manifestInvalid(key, `not a Cairn manifest (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`);
  }
  return parsed.data;
}
