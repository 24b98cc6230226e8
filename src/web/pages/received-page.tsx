import { Alert } from '../components/alert.tsx';
import { ReceivedShareCard } from '../components/received-share-card.tsx';
import { api } from '../lib/api.ts';
import { usePagedList } from '../lib/use-paged-list.ts';

export function ReceivedPage() {
  const list = usePagedList(api.received);
  return (
    <main id="main" class="page" data-testid="received-page">
      <h1>Shared with me</h1>
      {list.error && <Alert>{list.error}</Alert>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p class="empty card" data-testid="empty">
          Nothing has been shared with you yet.
        </p>
      )}
      <div class="share-list">
        {list.items.map((share) => (
          <ReceivedShareCard key={share.id} share={share} />
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
