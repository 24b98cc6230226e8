import type { Clock } from '../clock.ts';
import { newEventId } from '../ids.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { FileRepository, ShareRepository } from '../../ports/repositories.ts';
import type { SharingLimits } from './limits.ts';

export interface SweepResult {
  expiredShares: number;
  abandonedUploads: number;
  removedFiles: number;
}

/**
 * Removes what nobody may download any more: marks due shares expired (and tells the hub), deletes the
 * bytes of files no active share uses after a grace period, and of uploads never completed. Safe to run
 * concurrently with requests and to repeat: each step is idempotent.
 */
export class ShareSweeper {
  constructor(
    private readonly d: {
      files: FileRepository;
      shares: ShareRepository;
      objects: ObjectStore;
      events: EventBus;
      clock: Clock;
      limits: SharingLimits;
      logger: Logger;
    },
  ) {}

  async sweep(batch = 500): Promise<SweepResult> {
    const now = this.d.clock.now();
    const result: SweepResult = { expiredShares: 0, abandonedUploads: 0, removedFiles: 0 };
    for (let more = true; more;) {
      const expired = await this.d.shares.expireDue(now, batch);
      for (const share of expired) {
        await this.d.events.publish({
          id: newEventId(),
          type: 'share.expired',
          time: now.toISOString(),
          actor: 'cairn',
          data: { shareId: share.id, owner: share.owner, expiresAt: share.expiresAt.toISOString() },
        });
      }
      result.expiredShares += expired.length;
      more = expired.length === batch;
    }
    for (const file of await this.d.files.listStalePending(now, batch)) {
      await this.remove(file.id, file.objectKey);
      result.abandonedUploads += 1;
    }
    const graceStart = new Date(now.getTime() - this.d.limits.unsharedFileGraceSeconds * 1000);
    for (const file of await this.d.files.listUnshared(graceStart, batch)) {
      await this.remove(file.id, file.objectKey);
      result.removedFiles += 1;
    }
    if (result.expiredShares + result.abandonedUploads + result.removedFiles > 0)
      this.d.logger.info({ ...result }, 'sweep removed expired data');
    return result;
  }

  private async remove(fileId: string, objectKey: string) {
    await this.d.objects.delete(objectKey);
    await this.d.files.markDeleted(fileId);
  }
}
