/**
 * What the backup state machine's tasks need, as an interface: the backup core (src/core/backups) is
 * still landing and there is no AWS source/target registry yet (RDS hot target, row sources reached
 * from the VPC), so the handlers are thin wrappers over this, and `pendingBackupTasks` says so plainly.
 * Step Functions input/output shapes are fixed here so the CDK state machine can be written now:
 *   planner: { job, mode? }                   → { job, runId, chunks: [{ index, label }] }
 *   chunk:   { job, runId, chunk: { index } } → { job, runId, index, rows, bytes }
 */
import { CairnError } from '../../core/errors.ts';
import type { ChunkSpec } from '../../ports/backups.ts';

export interface PlanInput {
  job: string;
  mode?: 'full' | 'incremental';
}
export interface PlanOutput {
  job: string;
  runId: string;
  chunks: Pick<ChunkSpec, 'index' | 'label'>[];
}
export interface ChunkInput {
  job: string;
  runId: string;
  chunk: { index: number };
}
export interface ChunkOutput {
  job: string;
  runId: string;
  index: number;
  rows: number;
  bytes: number;
}

export interface BackupTasks {
  plan(input: PlanInput): Promise<PlanOutput>;
  runChunk(input: ChunkInput): Promise<ChunkOutput>;
}

const notWired = () =>
  new CairnError(
    'CAIRN_BACKUP_NOT_WIRED',
    'unavailable',
    'Backups are not wired on AWS yet: no source/target adapters for Lambda (see the AWS runtime notes).',
  );

export const pendingBackupTasks: BackupTasks = {
  plan: async () => {
    throw notWired();
  },
  runChunk: async () => {
    throw notWired();
  },
};
