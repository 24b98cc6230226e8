import type { ShareStatus } from '../lib/types.ts';

const LABELS: Record<ShareStatus, string> = { active: 'Active', revoked: 'Revoked', expired: 'Expired' };

export function StatusBadge({ status }: { status: ShareStatus }) {
  return (
    <span class={`badge badge-${status}`} data-testid="share-status" data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
