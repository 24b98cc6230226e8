/**
 * The figures of bench/alerts-e2e.ts from what the client and the Slack sink noted, and their print-out:
 * a table of latency percentiles, counts, the targets with ✓/✗ and one JSON line.
 */
import { availableParallelism } from 'node:os';
import type { OpenLoopResult } from './open-loop.ts';
import type { SlackSink } from './slack-sink.ts';
import { spread, type Spread } from './stats.ts';

const P99_TARGET_MS = 250;

export interface Figures {
  sent: number;
  accepted: number;
  delivered: number;
  lost: number;
  duplicates: number;
  deliveredWithout202: number;
  non202: Record<string, number>;
  errors: number;
  firstError: string | null;
  sendRate: number;
  maxSendLagMs: number;
  latency: Spread;
  ingest: Spread;
}

export function figures(sink: SlackSink, run: OpenLoopResult, first: number): Figures {
  const latency: number[] = [];
  const ingest: number[] = [];
  const non202: Record<string, number> = {};
  let accepted = 0;
  let lost = 0;
  let duplicates = 0;
  let deliveredWithout202 = 0;
  let maxLag = 0;
  for (let i = 0; i < run.status.length; i++) {
    const seq = first + i;
    const status = run.status[i]!;
    const count = sink.count[seq]!;
    duplicates += Math.max(0, count - 1);
    maxLag = Math.max(maxLag, run.lagMs[i]!);
    if (status !== 0 && status !== 202) non202[status] = (non202[status] ?? 0) + 1;
    if (status !== 202) {
      if (count > 0) deliveredWithout202 += 1;
      continue;
    }
    accepted += 1;
    ingest.push(run.answeredAt[i]! - run.sentAt[i]!);
    if (count === 0) lost += 1;
    else latency.push(sink.firstAt[seq]! - run.answeredAt[i]!);
  }
  const sent = run.status.length;
  return {
    sent,
    accepted,
    delivered: latency.length,
    lost,
    duplicates,
    deliveredWithout202,
    non202,
    errors: run.errors,
    firstError: run.firstError,
    sendRate: (sent - 1) / ((run.endedAt - run.startedAt) / 1000),
    maxSendLagMs: maxLag,
    latency: spread(latency),
    ingest: spread(ingest),
  };
}

export interface Context {
  rate: number;
  seconds: number;
  connections: number;
  drainSeconds: number;
  loadAtStart: number;
  loadAtEnd: number;
  /** Cores' worth of CPU the server used while sending and draining. */
  serverCpu: number;
  /** Messages waiting per queue: the most seen, when the last request was sent, after the drain. */
  queues: Record<'peak' | 'atEnd' | 'drained', Record<string, number>>;
  /** p99 event-loop delay of this (client + sink) process, ms. */
  benchLoopP99: number;
  sink: SlackSink;
  /** Server log messages (warn and above) and how often each came. */
  serverLog: Map<string, number>;
}

export function print(f: Figures, c: Context) {
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—').padStart(9);
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const row = (label: string, s: Spread) =>
    `${label.padEnd(34)}${ms(s.p50)}${ms(s.p90)}${ms(s.p99)}${ms(s.max)}${String(s.n).padStart(9)}`;
  const p99ok = f.latency.p99 < P99_TARGET_MS && f.delivered > 0;
  const lossOk = f.lost === 0;
  const stillQueued = Object.values(c.queues.drained).reduce((a, b) => a + b, 0);
  const out = [
    '',
    `== Cairn alerts end to end: signed 1 KiB Standard Webhooks → cairn serve → Slack sink, open loop`,
    `   ${c.rate}/s for ${c.seconds} s, ≤ ${c.connections} keep-alive connections; ${availableParallelism()} cores,` +
      ` 1-min load average ${c.loadAtStart.toFixed(2)} at start, ${c.loadAtEnd.toFixed(2)} at end`,
    `${'ms'.padEnd(34)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'n'.padStart(9)}`,
    row('202 → Slack request (latency)', f.latency),
    row('send → 202 (ingest, for context)', f.ingest),
    '',
    `sent ${f.sent} at ${f.sendRate.toFixed(0)}/s achieved (timer at most ${f.maxSendLagMs.toFixed(0)} ms behind schedule)`,
    `accepted (202) ${f.accepted}, delivered ${f.delivered}, lost ${f.lost} (not at the sink ${c.drainSeconds} s after the last send;` +
      ` ${stillQueued} messages still queued then), duplicates ${f.duplicates}`,
    `not accepted: ${JSON.stringify(f.non202)} non-202, ${f.errors} without an answer${f.firstError ? ` (first: ${f.firstError})` : ''};` +
      ` delivered without a 202: ${f.deliveredWithout202}`,
    `sink: ${c.sink.requests} requests, ${c.sink.grouped} grouped messages, ${c.sink.unmatched} unmatched;` +
      ` server used ${c.serverCpu.toFixed(2)} cores meanwhile; this process's event-loop delay p99 ${c.benchLoopP99.toFixed(0)} ms`,
    `queue backlog (peak / at the last send / after the drain): ${Object.keys(c.queues.peak)
      .map((q) => `${q} ${c.queues.peak[q]} / ${c.queues.atEnd[q] ?? 0} / ${c.queues.drained[q] ?? 0}`)
      .join(', ')}`,
    ...[...c.serverLog].map(([msg, n]) => `server log: ${n} × ${msg}`),
    '',
    `p99 ${f.latency.p99.toFixed(1)} ms   target < ${P99_TARGET_MS} ms  ${mark(p99ok)}`,
    `lost ${f.lost}   target 0  ${mark(lossOk)}`,
    JSON.stringify({
      bench: 'alerts-e2e',
      rate: c.rate,
      seconds: c.seconds,
      loadavgAtStart: Number(c.loadAtStart.toFixed(2)),
      sendRate: Math.round(f.sendRate),
      accepted: f.accepted,
      delivered: f.delivered,
      lost: f.lost,
      duplicates: f.duplicates,
      latencyMs: {
        p50: round(f.latency.p50),
        p90: round(f.latency.p90),
        p99: round(f.latency.p99),
        max: round(f.latency.max),
      },
      ingestMs: { p50: round(f.ingest.p50), p99: round(f.ingest.p99) },
      serverCpuCores: round(c.serverCpu, 2),
      queuePeak: c.queues.peak,
      targets: {
        p99: { value: round(f.latency.p99), target: P99_TARGET_MS, ok: p99ok },
        lost: { value: f.lost, ok: lossOk },
      },
    }),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

const round = (x: number, d = 1) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
