import { Alert } from '../components/alert.tsx';
import { Link } from '../components/link.tsx';
import { MyShareCard } from '../components/my-share-card.tsx';
import { api } from '../lib/api.ts';
import type { Share } from '../lib/types.ts';
import { usePagedList } from '../lib/use-paged-list.ts';

const revokedNow = (share: Share): Share => ({ ...share, status: 'revoked', revokedAt: new Date().toISOString() });

export function MySharesPage() {
  const list = usePagedList(api.myShares);
  return (
    <main id="main" class="page" data-testid="my-shares-page">
      <div class="page-head">
        <h1>My shares</h1>
        <Link href="/" class="button button-primary">
          New share
        </Link>
      </div>
      {list.error && <Alert>{list.error}</Alert>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p class="empty card" data-testid="empty">
          You have not shared anything yet.
        </p>
      )}
      <div class="share-list">
        {list.items.map((share) => (
          <MyShareCard
            key={share.id}
            share={share}
            onRevoked={(id) => list.update((items) => items.map((s) => (s.id === id ? revokedNow(s) : s)))}
          />
        ))}
      </div>
      {list.loading && (
        <p class="hint" role="status">
          Loading…
        </p>
      )}
      {list.hasMore && !list.loading && (
        <button type="button" class="button load-more" onClick={list.loadMore} data-testid="load-more">
          Load more
        </button>
      )}
    </main>
  );
}
