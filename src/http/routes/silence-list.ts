/**
 * GET /api/alerts/silences lists the silences of cairn.yaml (`origin: "config"`, in file order) and then
 * the runtime ones (`origin: "api"`, newest first) as one paginated list. The cursor says which part
 * the next page starts in: an index into the config list, or the silence store's own cursor.
 */
import type { ConfiguredSilenceView } from '../../core/alerts/notify/silences.ts';
import { invalid } from '../../core/errors.ts';
import type { SilenceRecord, SilenceStore } from '../../ports/alerts-topic.ts';
import type { Page, PageRequest } from '../../ports/repositories.ts';

type ListedSilence = ConfiguredSilenceView | (SilenceRecord & { origin: 'api' });
type SilenceOrigin = 'config' | 'api';

type Position = { part: 'config'; index: number } | { part: 'api'; cursor: string | undefined };

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

const encode = (p: Position) => Buffer.from(JSON.stringify(p)).toString('base64url');

function decode(cursor: string | undefined, origin: SilenceOrigin | undefined): Position {
  if (!cursor) return origin === 'api' ? { part: 'api', cursor: undefined } : { part: 'config', index: 0 };
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
    if (p.part === 'config' && origin !== 'api' && Number.isInteger(p.index) && p.index >= 0) return p;
    if (p.part === 'api' && origin !== 'config' && (p.cursor === undefined || typeof p.cursor === 'string')) return p;
  } catch {
    // fall through
  }
  throw invalid('CAIRN_INVALID_CURSOR', 'cursor is not one this API returned: start again without it.');
}

export function parseOrigin(value: string | undefined): SilenceOrigin | undefined {
  if (value === undefined || value === '') return undefined;
  if (value !== 'config' && value !== 'api') throw invalid('CAIRN_INVALID_QUERY', 'origin: must be config or api');
  return value;
}

export async function listSilences(
  /** Computed only for a page of the config part (each recurring window is a schedule lookup). */
  configuredNow: () => ConfiguredSilenceView[],
  store: SilenceStore,
  page: PageRequest,
  origin: SilenceOrigin | undefined,
): Promise<Page<ListedSilence>> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalid('CAIRN_INVALID_REQUEST', `limit: must be a whole number from 1 to ${MAX_LIMIT}`);
  const at = decode(page.cursor, origin);
  const items: ListedSilence[] = [];
  if (at.part === 'config') {
    const configured = configuredNow();
    items.push(...configured.slice(at.index, at.index + limit));
    const next = at.index + items.length;
    if (next < configured.length) return { items, cursor: encode({ part: 'config', index: next }) };
    if (origin === 'config' || items.length === limit) {
      // A full page that ends the config part: the runtime part, if any, comes on the next page.
      return origin === 'config' ? { items } : { items, cursor: encode({ part: 'api', cursor: undefined }) };
    }
  }
  const storeCursor = at.part === 'api' ? at.cursor : undefined;
  const runtime = await store.list({ limit: limit - items.length, ...(storeCursor ? { cursor: storeCursor } : {}) });
  items.push(...runtime.items.map((s) => ({ ...s, origin: 'api' as const })));
  return runtime.cursor ? { items, cursor: encode({ part: 'api', cursor: runtime.cursor }) } : { items };
}
