/**
 * The run state machine. A run moves forward only:
 *   chunks ──(every chunk done; hot commit)──▶ hot-committed ──(manifest written)──▶ manifest-written
 *          ──(cursor committed with the run's success, one transaction)──▶ done
 * and from any phase but done to failed. A process that dies leaves the run `running` in its phase;
 * the next holder of the lease resumes from there, so the cursor is never committed before both
 * targets have the run's rows.
 */
import { CairnError } from '../errors.ts';
import type { RunPhase } from './model.ts';

const NEXT: Record<RunPhase, readonly RunPhase[]> = {
  chunks: ['hot-committed', 'failed'],
  'hot-committed': ['manifest-written', 'failed'],
  'manifest-written': ['done', 'failed'],
  done: [],
  failed: [],
};

export const PHASE_ORDER: readonly RunPhase[] = ['chunks', 'hot-committed', 'manifest-written', 'done'];

export function assertTransition(from: RunPhase, to: RunPhase): void {
  if (!NEXT[from].includes(to))
    throw new CairnError('CAIRN_INTERNAL', 'internal', `A backup run cannot move from ${from} to ${to}.`);
}

/** True when the run already went through `phase` (a resumed run skips it). */
export const passed = (current: RunPhase, phase: RunPhase) =>
  PHASE_ORDER.indexOf(current) >= PHASE_ORDER.indexOf(phase) && current !== 'failed';
