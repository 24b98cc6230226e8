/**
 * The OpenAPI document against the Hono app: every route the app registers (with the hub, logs and
 * backups mounted) is documented with its method, every documented path parameter is declared, every
 * $ref resolves, and every documented path is served (except those answered outside the Hono app).
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { openApiDocument } from '../../src/http/openapi.ts';

type Json = Record<string, any>;

/**
 * The app's routes are registered when it is built, without calling its dependencies; this stand-in
 * answers every property with itself so that construction succeeds. No request is ever made.
 */
const anything: any = new Proxy(() => anything, { get: () => anything, apply: () => anything });

function appRoutes(): { method: string; path: string }[] {
  const app = createApp({
    ...anything,
    publicUrl: 'http://localhost',
    hub: anything,
    backups: anything,
    logs: { agent: anything, ingestTokens: ['t'] },
  });
  // Middleware and catch-alls (`ALL …*`) are not endpoints.
  const seen = new Set<string>();
  return app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, '{$1}') }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && !!seen.add(`${r.method} ${r.path}`));
}

const doc = openApiDocument('http://localhost') as unknown as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** `/api/logs/*` is documented as `/api/logs/{logGroup}`: a wildcard stands for one templated segment. */
function documented(method: string, path: string): boolean {
  const pattern = new RegExp('^' + path.replace(/\{\w+\}/g, '\\{\\w+\\}').replace(/\*$/, '\\{\\w+\\}') + '$');
  return Object.entries(doc.paths as Json).some(([p, item]) => pattern.test(p) && method in item);
}

describe('the OpenAPI document', () => {
  const routes = appRoutes();

  it('walks a full app: the hub, logs and backups are mounted', () => {
    const paths = routes.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/events/facets', '/api/alerts/silences', '/api/alarms', '/api/backups/jobs']),
    );
    expect(routes.length).toBeGreaterThan(50);
  });

  it('documents every route the Hono app registers, with its method', () => {
    const missing = routes.filter((r) => !documented(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('serves every documented operation (but the object URLs and the landing page outside Hono)', () => {
    const outsideHono = new Set(['/o/{key}', '/s/{id}']);
    const served = new Set(routes.map((r) => `${r.method} ${r.path.replace(/\*$/, '{logGroup}')}`));
    const extra = Object.entries(doc.paths as Json)
      .filter(([p]) => !outsideHono.has(p))
      .flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`))
      .filter((k) => !served.has(k));
    expect(extra).toEqual([]);
  });

  it('declares every path parameter and gives every operation a summary and a response', () => {
    const problems: string[] = [];
    for (const [p, item] of Object.entries(doc.paths as Json)) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const m of METHODS.filter((k) => k in item)) {
        const operation = item[m] as Json;
        const declared = (operation.parameters ?? []).filter((x: Json) => x.in === 'path').map((x: Json) => x.name);
        if (JSON.stringify([...declared].sort()) !== JSON.stringify([...names].sort()))
          problems.push(`${m} ${p}: path parameters ${declared} for ${names}`);
        if (!operation.summary) problems.push(`${m} ${p}: no summary`);
        if (Object.keys(operation.responses ?? {}).length === 0) problems.push(`${m} ${p}: no responses`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('resolves every $ref and describes errors as { error: { code, message } }', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((r) => !(r in doc.components.schemas))).toEqual([]);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
    const hubOp = doc.paths['/api/alerts/silences/{id}'].delete;
    expect(hubOp.responses['409'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });
});
