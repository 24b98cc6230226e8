/**
 * nginx as the reference: sendfile for GET of the plaintext files in the work directory, and the dav
 * module for PUT (the body goes to a temp file, then is renamed into place; no fsync).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, removeLater, start, stop, tail, waitForHttp } from './proc.ts';

export interface RefServer {
  name: string;
  pid: number;
  /** URL prefix serving the files of the work directory by name. */
  getBase: string;
  /** URL prefix accepting PUT of any name. */
  putBase: string;
  /** Where PUT bodies land (the bench deletes each one after it is timed). */
  putDir: string;
  close(): Promise<void>;
}

export async function startNginx(workDir: string): Promise<RefServer> {
  const dir = removeLater(join(workDir, 'nginx'));
  const put = join(dir, 'put');
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'put']) mkdirSync(join(dir, d), { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
master_process on;
worker_processes 2;
user root;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location /get/ { alias ${workDir}/; }
    location /up/ {
      alias ${put}/;
      dav_methods PUT;
      create_full_put_path on;
      client_max_body_size 0;
      client_body_temp_path ${dir}/body;
    }
  }
}
`,
  );
  const child = start('/usr/sbin/nginx', ['-e', join(dir, 'error.log'), '-p', dir, '-c', conf], {}, true);
  const stderr = tail(child);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/`, child, 10_000);
  } catch (e) {
    throw new Error(`nginx did not start: ${(e as Error).message}\n${stderr()}`);
  }
  return {
    name: 'nginx',
    pid: child.pid!,
    getBase: `${base}/get/`,
    putBase: `${base}/up/`,
    putDir: put,
    close: () => stop(child),
  };
}
