import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchHttpClient } from './http-client.ts';

describe('FetchHttpClient', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/hang') return; // never answers
      if (path === '/slow-body') {
        res.writeHead(200);
        res.write('partial');
        return; // the body never ends
      }
      if (path === '/big') return void res.end('x'.repeat(200_000));
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(path === '/fail' ? 503 : 200, { 'Retry-After': '12', 'X-Echo': req.headers['x-test'] ?? '' });
        res.end(`${req.method} ${body}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const client = new FetchHttpClient({ maxResponseBytes: 1024 });

  it('returns any status as a result, with lower-cased headers and the body', async () => {
    const res = await client.send({
      url: `${url}/fail`,
      method: 'POST',
      headers: { 'X-Test': 'yes' },
      body: 'hello',
      timeoutMs: 2000,
    });
    expect(res).toMatchObject({ status: 503, body: 'POST hello' });
    expect(res.headers['retry-after']).toBe('12');
    expect(res.headers['x-echo']).toBe('yes');
  });

  it('keeps at most maxResponseBytes of a body', async () => {
    const res = await client.send({ url: `${url}/big`, timeoutMs: 2000 });
    expect(res.body).toHaveLength(1024);
  });

  it('gives up on a server that never answers with CAIRN_HTTP_TIMEOUT, naming the host only', async () => {
    const started = Date.now();
    await expect(client.send({ url: `${url}/hang?token=secret`, timeoutMs: 200 })).rejects.toMatchObject({
      code: 'CAIRN_HTTP_TIMEOUT',
      message: expect.not.stringContaining('secret'),
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('also times out a body that never ends', async () => {
    await expect(client.send({ url: `${url}/slow-body`, timeoutMs: 200 })).rejects.toMatchObject({
      code: 'CAIRN_HTTP_TIMEOUT',
    });
  });

  it('reports a refused connection as CAIRN_HTTP_NETWORK', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(client.send({ url: `http://127.0.0.1:${port}/x`, timeoutMs: 2000 })).rejects.toMatchObject({
      code: 'CAIRN_HTTP_NETWORK',
      kind: 'unavailable',
    });
  });
});
