import type { z } from 'zod';
import { invalid } from './errors.ts';

/** Parses with a zod schema and turns the first problem into a 400 that names the field and the fix. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, code = 'CAIRN_INVALID_REQUEST'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0]!;
  throw invalid(code, `${first.path}: ${first.message}`, { issues });
}
