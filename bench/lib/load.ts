/**
 * Many concurrent downloads of one URL with autocannon (in this process); figures from its result.
 * autocannon keeps every response body as a string (`body += chunk`, for its verifyBody feature): with
 * 10 MB bodies that UTF-8 decoding and concatenation, not the server, sets the pace and the client's
 * memory (about 25 MB per connection). setupClient turns that off; bytes are still counted.
 */
import autocannon, { type Client } from 'autocannon';
import { log } from './proc.ts';

export interface LoadFigures {
  requests: number;
  ok: number;
  errors: number;
  seconds: number;
  reqPerSec: number;
  /** Body and header bytes received per second, in MB (10^6 bytes). */
  mbps: number;
  p50ms: number;
  p99ms: number;
}

export function loadTest(label: string, url: string, connections: number, amount: number): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    let done = 0;
    let shown = 0;
    const instance = autocannon(
      {
        url,
        connections,
        amount,
        timeout: 120,
        setupClient: (c: Client) => {
          c.pipelinedRequests.addBody = () => {};
        },
      },
      (err, r) => {
        process.stderr.write('\n');
        if (err) return reject(err);
        const seconds = r.duration;
        resolve({
          requests: r.requests.total,
          ok: r['2xx'],
          errors: r.errors + r.non2xx, // autocannon counts a timeout in errors too
          seconds,
          reqPerSec: r['2xx'] / seconds,
          mbps: r.throughput.total / seconds / 1e6,
          p50ms: r.latency.p50,
          p99ms: r.latency.p99,
        });
      },
    );
    instance.on('response', () => {
      done += 1;
      if (done - shown >= amount / 20 || done === amount) {
        shown = done;
        process.stderr.write(`\r  ${label}: ${done}/${amount} responses`);
      }
    });
    instance.once('error', (e: Error) => {
      log(`\n  ${label}: ${e.message}`);
      instance.stop();
    });
  });
}
