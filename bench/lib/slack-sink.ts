/**
 * A stand-in for Slack's incoming-webhook endpoint: a plain node:http server that answers 200 "ok" (as
 * Slack does) and notes when each request arrived, on this process's performance.now() clock. Requests are
 * matched to events by a caller-given pattern over the raw body (the bench puts its sequence number in
 * the event title, which Slack messages carry in `text` and the header block).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface SlackSink {
  url: string;
  /** performance.now() at the first arrival of each sequence number; NaN until it arrives. */
  firstAt: Float64Array;
  /** Arrivals per sequence number (more than 1: a duplicate). */
  count: Uint16Array;
  /** Requests that carried no recognisable sequence number. */
  unmatched: number;
  /** Requests whose text says several events were grouped into one message ("(×N)"). */
  grouped: number;
  requests: number;
  close(): Promise<void>;
}

export async function startSlackSink(size: number, seqOf: (body: string) => number | null): Promise<SlackSink> {
  const sink: SlackSink = {
    url: '',
    firstAt: new Float64Array(size).fill(NaN),
    count: new Uint16Array(size),
    unmatched: 0,
    grouped: 0,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    // The request's head has arrived: that is "the Slack request arriving", before its body is read.
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sink.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      const seq = seqOf(body);
      if (seq === null || seq < 0 || seq >= size) sink.unmatched += 1;
      else {
        if (sink.count[seq] === 0) sink.firstAt[seq] = at;
        sink.count[seq] = Math.min(65535, sink.count[seq]! + 1);
      }
      if (body.includes('(×')) sink.grouped += 1;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/bench`;
  return sink;
}
