/**
 * The bare Node reference: what the runtime itself can do with no crypto, no framework and no fsync.
 * GET /get/<name> streams <workDir>/<name> with fs.createReadStream (1 MiB highWaterMark); PUT
 * /up/<name> writes the body with fs.createWriteStream. Server options mirror Cairn's (server.ts).
 * Runs as a child process (this file is also its entry point) so its memory and CPU are its own.
 */
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RefServer } from './nginx.ts';
import { freePort, removeLater, start, stop, tail, waitForHttp } from './proc.ts';

const HWM = 1 << 20;

function serve(workDir: string, putDir: string, port: number) {
  mkdirSync(putDir, { recursive: true });
  const server = createServer({ highWaterMark: HWM }, (req, res) => {
    const [, route, raw] = /^\/(get|up)\/([^/?]+)$/.exec(req.url ?? '') ?? [];
    const name = raw ? basename(decodeURIComponent(raw)) : '';
    const fail = (status: number) => {
      if (!res.headersSent) res.writeHead(status, { connection: 'close' });
      res.end();
    };
    if (route === 'get' && req.method === 'GET') {
      const path = join(workDir, name);
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        return fail(404);
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      pipeline(createReadStream(path, { highWaterMark: HWM }), res).catch(() => res.destroy());
    } else if (route === 'up' && req.method === 'PUT') {
      pipeline(req, createWriteStream(join(putDir, name), { highWaterMark: HWM })).then(
        () => res.writeHead(201, { 'content-length': 0 }).end(),
        () => fail(500),
      );
    } else fail(route ? 405 : 404);
  });
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 10_000;
  server.listen(port, '127.0.0.1');
}

export async function startBareNode(workDir: string): Promise<RefServer> {
  const putDir = removeLater(join(workDir, 'bare-node-put'));
  const port = await freePort();
  const self = fileURLToPath(import.meta.url);
  const child = start(process.execPath, ['--import', 'tsx', self, workDir, putDir, String(port)]);
  const stderr = tail(child);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/`, child);
  } catch (e) {
    throw new Error(`bare Node server did not start: ${(e as Error).message}\n${stderr()}`);
  }
  return {
    name: 'bare node',
    pid: child.pid!,
    getBase: `${base}/get/`,
    putBase: `${base}/up/`,
    putDir,
    close: () => stop(child),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [workDir, putDir, port] = process.argv.slice(2);
  serve(workDir!, putDir!, Number(port));
}
