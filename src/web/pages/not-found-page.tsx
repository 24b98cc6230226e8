import { Link } from '../components/link.tsx';

export function NotFoundPage() {
  return (
    <main id="main" class="page narrow" data-testid="not-found-page">
      <div class="card center">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <Link href="/" class="button button-primary">
          Go to New share
        </Link>
      </div>
    </main>
  );
}
