import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.ts';
import type { IngestedEvent } from '../../src/core/alerts/model.ts';
import { type Db, openDatabase } from '../../src/adapters/local/sqlite/db.ts';
import { logsSchema } from '../../src/config/logs.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { Queue } from '../../src/ports/queue.ts';
import { type LogAgent, startLogAgent } from '../../src/runtime/local/log-agent.ts';

export interface AgentFixture {
  dir: string;
  db: Db;
  clock: ManualClock;
  agent: LogAgent;
  /** Stops the agent and starts another on the same database (a restart). */
  restart(): Promise<LogAgent>;
  /** Sum of a metric over all time (a count of lines when MetricValue is 1). */
  sum(name: string, dimensions?: Record<string, string>): number;
  cleanup(): Promise<void>;
}

/** A counting filter `Lines` (every line) and whatever the test adds; no timers: the test polls. */
export async function agentFixture(
  logs: (dir: string) => Record<string, unknown>,
  options: { events?: Queue<IngestedEvent>; clock?: ManualClock; realTime?: boolean } = {},
): Promise<AgentFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-logs-'));
  const db = openDatabase(join(dir, 'cairn.db'));
  const clock = options.clock ?? new ManualClock(new Date('2026-03-01T12:00:00Z'));
  const config = logsSchema.parse(logs(dir));
  const events = options.events ?? fakeQueue();
  const start = () =>
    startLogAgent(config, {
      db,
      events,
      logger: silentLogger,
      // realTime: the system clock and the agent's own timers, as in the server.
      ...(options.realTime ? {} : { clock, timers: false }),
      cwd: dir,
    });
  const f: AgentFixture = {
    dir,
    db,
    clock,
    agent: await start(),
    async restart() {
      await f.agent.stop();
      f.agent = await start();
      return f.agent;
    },
    sum(name, dimensions = {}) {
      const now = clock.now().getTime();
      return f.agent.metrics
        .statistics({ namespace: 'Test', name, dimensions }, 'Sum', 3600, now - 10 * 86400_000, now + 86400_000, now)
        .reduce((a, d) => a + d.value, 0);
    },
    async cleanup() {
      await f.agent.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return f;
}

export const lineCounter = (logGroup: string, name = 'Lines', FilterPattern = '') => ({
  name,
  logGroup,
  FilterPattern,
  MetricTransformations: [{ MetricName: name, MetricNamespace: 'Test', MetricValue: '1' }],
});

/** An in-memory Queue for tests that only need what was sent (with dedup by id). */
export function fakeQueue<T>(): Queue<T> & { sent: { body: T; dedupId?: string | undefined }[] } {
  const sent: { body: T; dedupId?: string | undefined }[] = [];
  const seen = new Set<string>();
  return {
    name: 'events',
    sent,
    async send(body, o) {
      if (o?.dedupId && seen.has(o.dedupId)) return { id: 'dup', duplicate: true };
      if (o?.dedupId) seen.add(o.dedupId);
      sent.push({ body, dedupId: o?.dedupId });
      return { id: String(sent.length), duplicate: false };
    },
    receive: async () => [],
    ack: async () => {},
    retryLater: async () => {},
    depth: async () => ({ visible: sent.length, inFlight: 0, delayed: 0, dead: 0 }),
    listDead: async () => ({ items: [] }),
    redrive: async () => 0,
  };
}
