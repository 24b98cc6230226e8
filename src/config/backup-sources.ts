import { z } from 'zod';
import { seconds } from './schema-units.ts';

/** The `source:` of a backup job (config/backups.ts): SQLite, Postgres, a REST API, a command or a file. */
export const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ (not starting with a digit)');
export const columns = z.union([name.transform((c) => [c]), z.array(name).min(1)]);
export const oneOf = (keys: string[]) => (v: Record<string, unknown>) =>
  keys.filter((k) => v[k] !== undefined).length === 1;
export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

const sqliteSource = z
  .object({
    type: z.literal('sqlite'),
    path: z.string().min(1),
    table: name.optional(),
    query: z.string().min(1).optional(),
    primaryKey: columns.optional(),
  })
  .strict()
  .refine(oneOf(['table', 'query']), 'give exactly one of table or query')
  .refine((s) => !s.query || s.primaryKey, { message: 'a query source needs primaryKey', path: ['primaryKey'] });

const postgresSource = z
  .object({
    type: z.literal('postgres'),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
      .optional(),
    urlEnv: envName.optional(),
    schema: name.optional(),
    table: name.optional(),
    query: z.string().min(1).optional(),
    primaryKey: columns.optional(),
    /** Rows fetched per round trip from the server-side cursor. */
    fetchRows: z.number().int().min(100).max(1_000_000).default(10_000),
  })
  .strict()
  .refine(oneOf(['url', 'urlEnv']), 'give exactly one of url or urlEnv')
  .refine(oneOf(['table', 'query']), 'give exactly one of table or query')
  .refine((s) => !s.query || s.primaryKey, { message: 'a query source needs primaryKey', path: ['primaryKey'] });

const restSource = z
  .object({
    type: z.literal('rest'),
    url: z.url(),
    /** Where the items are in each page's JSON body, e.g. `$.data` (default: the body is the array). */
    itemsPath: z.string().optional(),
    primaryKey: columns,
    /** Parameter names default as the REST source says (page/per_page, offset/limit, cursor, `$.next`). */
    pagination: z
      .object({
        style: z.enum(['page', 'offset', 'cursor', 'link']),
        pageParam: z.string().min(1).optional(),
        offsetParam: z.string().min(1).optional(),
        sizeParam: z.string().min(1).optional(),
        pageSize: z.number().int().min(1).max(100_000).optional(),
        firstPage: z.number().int().min(0).optional(),
        cursorParam: z.string().min(1).optional(),
        nextCursorPath: z.string().min(1).optional(),
        totalPath: z.string().min(1).optional(),
      })
      .strict(),
    /** Incremental runs send the committed cursor value in this query parameter (e.g. `updated_since`). */
    cursorParam: z.string().optional(),
    auth: z
      .object({
        header: z.string().default('Authorization'),
        prefix: z.string().default('Bearer '),
        valueEnv: envName.optional(),
        valueFile: z.string().optional(),
      })
      .strict()
      .refine(oneOf(['valueEnv', 'valueFile']), 'give exactly one of valueEnv or valueFile')
      .optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeout: seconds.default(30),
    retries: z.number().int().min(0).max(20).default(5),
  })
  .strict();

const commandSource = z
  .object({
    type: z.literal('command'),
    argv: z.array(z.string().min(1)).min(1),
    /** The stored dump's name (default `<program>.out`). */
    fileName: z.string().min(1).optional(),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).default({}),
    timeout: seconds.optional(),
  })
  .strict();

const fileSource = z
  .object({ type: z.literal('file'), path: z.string().min(1), fileName: z.string().min(1).optional() })
  .strict();

export const backupSourceSchema = z.discriminatedUnion('type', [
  sqliteSource,
  postgresSource,
  restSource,
  commandSource,
  fileSource,
]);

export type BackupSourceConfig = z.infer<typeof backupSourceSchema>;
