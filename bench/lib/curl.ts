/**
 * curl as the one client for every server, so the client's cost is the same everywhere.
 * `Expect:` is sent empty so no server is charged curl's 100-continue wait.
 */
import { createHash } from 'node:crypto';
import { run, start } from './proc.ts';

export interface Transfer {
  bytes: number;
  seconds: number;
  /** 10^6 bytes per second. */
  mbps: number;
  status: number;
  body: string;
}

const MARK = '\n@@curl ';

function parse(out: string, what: string): Transfer {
  const at = out.lastIndexOf(MARK);
  if (at < 0) throw new Error(`${what}: no curl summary in ${JSON.stringify(out.slice(-200))}`);
  const [status, bytes, seconds] = out
    .slice(at + MARK.length)
    .trim()
    .split(' ')
    .map(Number) as [number, number, number];
  const body = out.slice(0, at);
  if (status < 200 || status > 299) throw new Error(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
  return { status, bytes, seconds, mbps: bytes / seconds / 1e6, body };
}

/** GET `url` into /dev/null. */
export async function curlGet(url: string): Promise<Transfer> {
  const out = await run('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    `${MARK}%{http_code} %{size_download} %{time_total}`,
    url,
  ]);
  return parse(out, `GET ${url}`);
}

/** PUT the bytes of `file` to `url` with extra headers; the (small) response body is kept. */
export async function curlPut(url: string, file: string, headers: Record<string, string> = {}): Promise<Transfer> {
  const h = Object.entries({ Expect: '', ...headers }).flatMap(([k, v]) => ['-H', `${k}:${v === '' ? '' : ` ${v}`}`]);
  const out = await run('curl', [
    '-s',
    '-T',
    file,
    '-X',
    'PUT',
    ...h,
    '-o',
    '-',
    '-w',
    `${MARK}%{http_code} %{size_upload} %{time_total}`,
    url,
  ]);
  return parse(out, `PUT ${url}`);
}

/** GET `url` through curl into a SHA-256 (untimed: the hashing is the bench's, not the server's). */
export function curlSha256(url: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = start('curl', ['-s', '-f', url]);
    const hash = createHash('sha256');
    let bytes = 0;
    child.stdout!.on('data', (b: Buffer) => {
      bytes += b.length;
      hash.update(b);
    });
    child.stderr!.resume();
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve({ sha256: hash.digest('hex'), bytes })
        : reject(new Error(`curl ${url} exited with ${code}`)),
    );
  });
}
