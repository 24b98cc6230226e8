/**
 * RestSource: a paginated REST API as rows. Pagination styles:
 * - `page`: `?page=N&per_page=M` (names configurable), from firstPage (1) until an empty page;
 * - `offset`: `?offset=N&limit=M`, until an empty page;
 * - `cursor`: the body names the next page's token (nextCursorPath, e.g. `$.meta.next`), sent back in
 *   the cursorParam query parameter, until the token is absent or empty;
 * - `link`: the RFC 8288 `Link: <…>; rel="next"` header, until there is none.
 *
 * Chunks are pages: with `page`/`offset` and a known total (totalPath, or an `X-Total-Count` header)
 * the run is split into groups of about chunkRows rows, each retried on its own; otherwise (and for
 * `cursor`/`link`, which can only be walked in order) one chunk walks every page.
 *
 * Incremental runs pass the last cursor value in the query parameter `cursorParam` (e.g. `updated_since`) and drop,
 * client-side, every row not strictly after (cursor, key), so rows tied on the cursor value are neither
 * read twice nor skipped, whether the API's filter is `>` or `>=`. Rows come sorted by (cursor, key)
 * within each page. The auth header's value comes from an environment variable or a secret file and
 * is never logged. HTTP retries: rest-http.ts.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ChunkSpec, ColumnSpec, PlanRequest, Row, RowSource, TableSchema } from '../../../../ports/backups.ts';
import { sourceFailed, sourceInvalid } from '../adapter-errors.ts';
import { compareTuples, inferColumns, project } from './rest-rows.ts';
import { atPath, getJson, nextLink, type Page, type RetryOptions } from './rest-http.ts';

export interface RestPagination {
  style: 'page' | 'offset' | 'cursor' | 'link';
  /** page: the page number's parameter (default `page`). */
  pageParam?: string;
  /** offset: the offset's parameter (default `offset`). */
  offsetParam?: string;
  /** The page size's parameter (default `per_page` for page, `limit` otherwise). */
  sizeParam?: string;
  /** Items per page asked for (default 100). */
  pageSize?: number;
  /** page: the first page's number (default 1). */
  firstPage?: number;
  /** cursor: the query parameter that carries the next token (default `cursor`). */
  cursorParam?: string;
  /** cursor: where the next token is in the body (default `$.next`). */
  nextCursorPath?: string;
  /** page/offset: where the total item count is in the body (else an `X-Total-Count` header, if any). */
  totalPath?: string;
}

export interface RestAuth {
  /** Header name (default `Authorization`). */
  header?: string;
  /** Put verbatim before the secret (default `Bearer `; '' for none). */
  prefix?: string;
  /** The environment variable holding the secret… */
  valueEnv?: string;
  /** …or a file holding it (trimmed; relative to the context's cwd). */
  valueFile?: string;
}

export interface RestSourceOptions {
  /** The collection's URL; its own query parameters are kept. */
  url: string;
  /** The target table's name (default: the job's name). */
  name?: string;
  /** Fields identifying an item. */
  primaryKey: string[];
  /** The columns; inferred from the first page when absent (then all nullable but the key). */
  columns?: ColumnSpec[];
  pagination: RestPagination;
  /** Where the items are in a page's body (default `$`: the body is the array), e.g. `$.data`. */
  itemsPath?: string;
  auth?: RestAuth;
  /** Incremental runs send the last cursor value in this query parameter, e.g. `updated_since`. */
  cursorParam?: string;
  /** Extra request headers (not secrets: use auth). */
  headers?: Record<string, string>;
  /** Per request, headers and body: seconds (default 30)… */
  timeout?: number;
  /** …or milliseconds (wins over timeout). */
  timeoutMs?: number;
  /** Retries after the first try (default 5); retry.maxAttempts wins over it. */
  retries?: number;
  retry?: RetryOptions;
  /** Where secrets are read from (default process.env; the context's env wins). */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/** What the job factory passes beside the options (src/adapters/local/backups/factory.ts). */
export interface RestSourceContext {
  job?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

type Walk = { from: number; to: number | null } | { from: null; to: null };

export class RestSource implements RowSource {
  readonly kind = 'rows' as const;
  private schema: TableSchema | undefined;
  private auth: Promise<Record<string, string>> | undefined;
  private readonly retry: Required<RetryOptions>;

  constructor(
    private readonly options: RestSourceOptions,
    private readonly context: RestSourceContext = {},
  ) {
    if (options.primaryKey.length === 0) throw sourceInvalid('REST source: primaryKey needs at least one field.');
    if (options.auth && !options.auth.valueEnv === !options.auth.valueFile) {
      throw sourceInvalid('REST source: auth needs exactly one of valueEnv and valueFile.');
    }
    const maxAttempts = (options.retries ?? 5) + 1;
    this.retry = { maxAttempts, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 300_000, ...options.retry };
  }

  async describe(): Promise<TableSchema> {
    if (!this.schema) {
      let columns = this.options.columns;
      if (!columns)
        columns = inferColumns(
          this.items(await this.fetchPage(this.pageUrl(this.firstOf(), null))),
          this.options.primaryKey,
        );
      const names = new Set(columns.map((c) => c.name));
      const missing = this.options.primaryKey.filter((k) => !names.has(k));
      if (missing.length > 0)
        throw sourceInvalid(`REST source: key field(s) ${missing.join(', ')} are not among the columns.`);
      this.schema = { name: this.tableName(), columns, primaryKey: [...this.options.primaryKey] };
    }
    return this.schema;
  }

  async plan(request: PlanRequest): Promise<ChunkSpec[]> {
    const p = this.options.pagination;
    if (p.style === 'cursor' || p.style === 'link')
      return [{ index: 0, label: 'all pages', params: { from: null, to: null } }];
    const first = await this.fetchPage(this.pageUrl(this.firstOf(), this.filterOf(request)));
    const total = this.totalOf(first);
    const size = this.pageSize();
    const start = this.firstOf();
    if (total === undefined) return [{ index: 0, label: 'all pages', params: { from: start, to: null } }];
    const pages = Math.max(1, Math.ceil(total / size));
    const per = Math.max(1, Math.round(request.chunkRows / size));
    const chunks: ChunkSpec[] = [];
    for (let i = 0; i < pages; i += per) {
      const last = i + per >= pages;
      const [from, to] =
        p.style === 'page'
          ? [start + i, last ? null : start + i + per - 1]
          : [i * size, last ? null : (i + per) * size - size];
      chunks.push({
        index: chunks.length,
        label: `${p.style === 'page' ? 'pages' : 'offsets'} ${from}..${to ?? 'end'}`,
        params: { from, to },
      });
    }
    return chunks;
  }

  async *read(chunk: ChunkSpec, request: PlanRequest): AsyncIterable<Row[]> {
    const schema = await this.describe();
    const walk = chunk.params as unknown as Walk;
    const filter = this.filterOf(request);
    const after = request.mode === 'incremental' && request.cursor?.after ? request.cursor.after : null;
    const cursorColumn = request.mode === 'incremental' ? request.cursor?.column : undefined;
    const tuple = (r: Row) => [r[cursorColumn!], ...schema.primaryKey.map((k) => r[k])];
    let url: string | undefined = this.pageUrl(walk.from ?? this.firstOf(), filter);
    let position = walk.from ?? this.firstOf();
    while (url) {
      const page = await this.fetchPage(url);
      const items = this.items(page);
      let rows = items.map((item) => project(item, schema));
      if (cursorColumn) {
        const floor = after ? [after.value, ...after.key] : null;
        rows = rows.filter((r) => r[cursorColumn] != null && (!floor || compareTuples(tuple(r), floor) > 0));
        rows.sort((a, b) => compareTuples(tuple(a), tuple(b)));
      }
      if (rows.length > 0) yield rows;
      url = items.length === 0 ? undefined : this.nextUrl(page, position, walk, filter);
      position += this.options.pagination.style === 'offset' ? this.pageSize() : 1;
    }
  }

  async close(): Promise<void> {}

  private nextUrl(page: Page, position: number, walk: Walk, filter: string | null): string | undefined {
    const p = this.options.pagination;
    if (p.style === 'link') return nextLink(page.headers.get('link'), page.url);
    if (p.style === 'cursor') {
      const token = atPath(page.body, p.nextCursorPath ?? '$.next');
      if (token === undefined || token === null || token === '') return undefined;
      const u = new URL(this.pageUrl(0, filter));
      u.searchParams.set(p.cursorParam ?? 'cursor', String(token));
      return u.toString();
    }
    const next = position + (p.style === 'offset' ? this.pageSize() : 1);
    return walk.to !== null && next > walk.to ? undefined : this.pageUrl(next, filter);
  }

  private pageUrl(position: number, filter: string | null): string {
    const u = new URL(this.options.url);
    const p = this.options.pagination;
    const size = String(this.pageSize());
    if (p.style === 'page') {
      u.searchParams.set(p.pageParam ?? 'page', String(position));
      u.searchParams.set(p.sizeParam ?? 'per_page', size);
    } else if (p.style === 'offset') {
      u.searchParams.set(p.offsetParam ?? 'offset', String(position));
      u.searchParams.set(p.sizeParam ?? 'limit', size);
    } else if (p.sizeParam) {
      u.searchParams.set(p.sizeParam, size);
    }
    if (filter !== null && this.options.cursorParam) u.searchParams.set(this.options.cursorParam, filter);
    return u.toString();
  }

  private tableName(): string {
    const name = this.options.name ?? this.context.job?.replace(/[^A-Za-z0-9_]/g, '_') ?? 'rows';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw sourceInvalid(`REST source: "${name}" is not a valid table name.`);
    return name;
  }

  private pageSize = () => this.options.pagination.pageSize ?? 100;
  private firstOf = () => (this.options.pagination.style === 'page' ? (this.options.pagination.firstPage ?? 1) : 0);

  private filterOf(request: PlanRequest): string | null {
    const v = request.mode === 'incremental' ? request.cursor?.after?.value : undefined;
    return v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
  }

  private totalOf(page: Page): number | undefined {
    const p = this.options.pagination;
    const raw = p.totalPath ? atPath(page.body, p.totalPath) : page.headers.get('x-total-count');
    const n = Number(raw);
    return raw === null || raw === undefined || raw === '' || !Number.isFinite(n) ? undefined : n;
  }

  private items(page: Page): unknown[] {
    const items = atPath(page.body, this.options.itemsPath ?? '$');
    if (!Array.isArray(items)) {
      throw sourceFailed(
        `REST source: ${this.options.itemsPath ?? '$'} is not an array in the answer of ${new URL(page.url).pathname}.`,
      );
    }
    return items;
  }

  private async fetchPage(url: string): Promise<Page> {
    return getJson(url, {
      headers: { accept: 'application/json', ...this.options.headers, ...(await this.authHeader()) },
      timeoutMs: this.options.timeoutMs ?? (this.options.timeout ?? 30) * 1000,
      retry: this.retry,
      fetch: this.options.fetch ?? globalThis.fetch,
      sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
    });
  }

  private authHeader(): Promise<Record<string, string>> {
    this.auth ??= (async () => {
      const a = this.options.auth;
      if (!a) return {};
      let secret: string | undefined;
      if (a.valueEnv) {
        secret = (this.context.env ?? this.options.env ?? process.env)[a.valueEnv]?.trim();
        if (!secret)
          throw sourceInvalid(`REST source: the environment variable ${a.valueEnv} (the auth secret) is not set.`);
      } else {
        const file = resolve(this.context.cwd ?? '.', a.valueFile!);
        secret = (await readFile(file, 'utf8').catch(() => undefined))?.trim();
        if (!secret)
          throw sourceInvalid(`REST source: the secret file ${a.valueFile} is missing, unreadable or empty.`);
      }
      return { [a.header ?? 'authorization']: `${a.prefix ?? 'Bearer '}${secret}` };
    })().catch((e: unknown) => {
      this.auth = undefined;
      throw e;
    });
    return this.auth;
  }
}
