/**
 * Checks an API answer against the OpenAPI document's schema for that route and status: types, enums,
 * required keys, and that every key of an object is one the schema declares (so an undocumented field
 * fails). Handles the subset the document uses: $ref, allOf, oneOf, type lists, const, enum, items.
 */
import { expect } from 'vitest';
import { openApiDocument } from '../../src/http/openapi.ts';

type Schema = Record<string, any>;
const doc = openApiDocument('http://localhost') as unknown as Schema;

function resolve(s: Schema): Schema {
  if (!s.$ref) return s;
  const name = String(s.$ref).replace('#/components/schemas/', '');
  const target = doc.components.schemas[name];
  if (!target) throw new Error(`unresolved ${s.$ref}`);
  return resolve(target);
}

const typeOf = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

/** Problems of `value` against `schema`, as `path: what` lines (empty when it conforms). */
export function problems(value: unknown, schema: Schema, at = '$'): string[] {
  const s = resolve(schema);
  if (s.allOf) {
    const parts = (s.allOf as Schema[]).map(resolve);
    const merged = { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) };
    return problems(value, merged, at);
  }
  if (s.oneOf) {
    const each = (s.oneOf as Schema[]).map((o) => problems(value, o, at));
    return each.some((p) => p.length === 0) ? [] : [`${at}: matches none of oneOf (${each.flat().join('; ')})`];
  }
  if ('const' in s && value !== s.const) return [`${at}: ${JSON.stringify(value)} is not ${JSON.stringify(s.const)}`];
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of ${s.enum}`];
  if (s.type) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      return [`${at}: ${t} where the schema says ${types.join('|')}`];
  }
  if (typeOf(value) === 'array' && s.items)
    return (value as unknown[]).flatMap((v, i) => problems(v, s.items, `${at}[${i}]`));
  if (typeOf(value) === 'object' && (s.properties || s.required)) {
    const obj = value as Record<string, unknown>;
    const props: Record<string, Schema> = s.properties ?? {};
    const out = (s.required ?? []).filter((k: string) => !(k in obj)).map((k: string) => `${at}.${k}: required`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) out.push(...problems(v, props[k], `${at}.${k}`));
      else if (!s.additionalProperties) out.push(`${at}.${k}: not in the document`);
    }
    return out;
  }
  return [];
}

/** Asserts that `body` is what the document says `method path` answers with `status` (JSON). */
export function expectDocumented(method: string, path: string, status: number, body: unknown): void {
  const operation = doc.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${path} is not in the OpenAPI document`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`${method} ${path} documents no ${status} answer`);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} ${status} documents no JSON body`);
  expect(problems(body, schema), `${method} ${path} ${status}`).toEqual([]);
}
