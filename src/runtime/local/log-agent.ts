/**
 * The log agent of the local runtime: tails files, listens for syslog, takes POSTed events; runs the
 * metric filters; stores metrics; evaluates alarms; puts alarm state changes on the hub's `events` queue
 * (docs/logs.md). `startLogAgent(config.logs, deps)` starts it; `stop()` ends it after a last commit.
 */
import { type Clock, systemClock } from '../../core/clock.ts';
import type { IngestedEvent } from '../../core/alerts/model.ts';
import { FACILITIES, type SyslogMessage } from '../../adapters/local/logs/syslog-parse.ts';
import { SqliteAlarmStore } from '../../adapters/local/logs/alarm-store.ts';
import { SqliteMetricStore } from '../../adapters/local/logs/metric-store.ts';
import { type RunningSyslog, startSyslogServer } from '../../adapters/local/logs/syslog-server.ts';
import { FileTailer } from '../../adapters/local/logs/tailer.ts';
import type { Db } from '../../adapters/local/sqlite/db.ts';
import type { LogsConfig, SyslogRouteConfig } from '../../config/logs.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Queue } from '../../ports/queue.ts';
import { AlarmRunner, toAlarmDefinition } from './log-alarms.ts';
import { LogProcessor } from './log-agent-processor.ts';

export interface LogAgentDeps {
  /** The server's database (migration 400 holds the agent's tables). */
  db: Db;
  /** The hub's `events` queue: alarm state changes go there as source `cloudwatch`. */
  events: Queue<IngestedEvent>;
  logger: Logger;
  clock?: Clock;
  /** Relative globs resolve against this (default: the process's working directory). */
  cwd?: string;
  /** false: no timers; tests drive poll() and evaluate() themselves. */
  timers?: boolean;
}

export interface LogEventInput {
  message: string;
  /** Epoch milliseconds; the receive time when absent. */
  timestamp?: number | undefined;
}

export interface LogAgent {
  readonly metrics: SqliteMetricStore;
  readonly alarms: SqliteAlarmStore;
  readonly runner: AlarmRunner;
  readonly config: LogsConfig;
  readonly syslog: { udpPort: number | undefined; tcpPort: number | undefined };
  /** Whole events for a configured log group; stored (fsync'd) before it returns. */
  ingest(logGroup: string, events: readonly LogEventInput[]): { accepted: number; tooOld: number; tooNew: number };
  hasGroup(logGroup: string): boolean;
  /** One tail pass, then a commit. */
  poll(): Promise<void>;
  /** Evaluates the alarms that are due at the clock's time (after a poll) and queues their events. */
  evaluate(): Promise<number>;
  status(): Record<string, unknown>;
  stop(): Promise<void>;
}

/** CloudWatch Logs refuses events older than 14 days or more than 2 hours ahead (PutLogEvents). */
const MAX_AGE_MS = 14 * 86400_000;
const MAX_AHEAD_MS = 2 * 3600_000;

export async function startLogAgent(config: LogsConfig, deps: LogAgentDeps): Promise<LogAgent> {
  const clock = deps.clock ?? systemClock;
  const { logger } = deps;
  const metrics = new SqliteMetricStore(deps.db, config.retention);
  const alarmStore = new SqliteAlarmStore(deps.db);
  const processor = new LogProcessor(config.metricFilters, metrics, clock);
  const runner = new AlarmRunner({
    alarms: config.alarms.map(toAlarmDefinition),
    metrics,
    store: alarmStore,
    events: deps.events,
    clock,
    logger,
    context: config.events,
    delaySeconds: config.evaluationDelay,
  });
  const tailer = new FileTailer({
    groups: Object.entries(config.groups).map(([logGroup, g]) => ({
      logGroup,
      files: g.files,
      initialPosition: g.initialPosition,
    })),
    clock,
    logger,
    maxLineBytes: config.maxLineBytes,
    ...(deps.cwd ? { cwd: deps.cwd } : {}),
    loadOffset: (key) => metrics.offset(key),
    knowsPath: (path) => metrics.knowsPath(path),
    onLines: (group, parts, readAt, offset, truncated) => {
      if (truncated) processor.count('lines_truncated', truncated);
      processor.fileLines(group, parts, readAt, offset);
    },
    onProblem: (kind, path, detail) => {
      processor.count(`file_${kind}`);
      // missing/unreadable are logged by the tailer (once per change); these are routine but worth a line.
      if (kind === 'rotated' || kind === 'truncated') logger.info({ path, detail }, `log file ${kind}`);
    },
  });

  const routes = Object.entries(config.groups).flatMap(([group, g]) => (g.syslog ? [{ group, route: g.syslog }] : []));
  let syslog: RunningSyslog | undefined;
  if (config.syslog.udpPort !== undefined || config.syslog.tcpPort !== undefined) {
    syslog = await startSyslogServer({
      host: config.syslog.host,
      udpPort: config.syslog.udpPort,
      tcpPort: config.syslog.tcpPort,
      maxMessageBytes: config.syslog.maxMessageBytes,
      logger,
      now: () => clock.now().getTime(),
      onOversize: () => processor.count('syslog_truncated'),
      onMessage: (msg, at) => {
        processor.count('syslog_messages');
        let routed = false;
        for (const { group, route } of routes) {
          if (!syslogMatches(route, msg)) continue;
          routed = true;
          processor.events(group, [{ message: route.message === 'full' ? msg.raw : msg.message, timestamp: at }]);
        }
        if (!routed) processor.count('syslog_unrouted');
      },
    });
  }

  let stopped = false;
  let evaluating: Promise<number> | null = null;
  const safe = (what: string, f: () => Promise<unknown>) => () =>
    void f().catch((err: unknown) => logger.error({ err: String(err) }, `log agent: ${what} failed`));

  const agent: LogAgent = {
    metrics,
    alarms: alarmStore,
    runner,
    config,
    syslog: { udpPort: syslog?.udpPort, tcpPort: syslog?.tcpPort },
    hasGroup: (g) => Object.hasOwn(config.groups, g),
    ingest(logGroup, events) {
      const now = clock.now().getTime();
      let tooOld = 0;
      let tooNew = 0;
      const kept: { message: string; timestamp: number }[] = [];
      for (const e of events) {
        const ts = e.timestamp ?? now;
        if (ts < now - MAX_AGE_MS) tooOld++;
        else if (ts > now + MAX_AHEAD_MS) tooNew++;
        else kept.push({ message: e.message, timestamp: ts });
      }
      processor.events(logGroup, kept);
      processor.count('http_events', kept.length);
      processor.commit();
      return { accepted: kept.length, tooOld, tooNew };
    },
    async poll() {
      await tailer.poll();
      processor.commit();
    },
    evaluate() {
      evaluating ??= (async () => {
        const due = runner.due(clock.now().getTime());
        if (due.length > 0) {
          await agent.poll();
          runner.evaluate(due, clock.now().getTime());
        }
        await runner.deliver();
        return due.length;
      })().finally(() => (evaluating = null));
      return evaluating;
    },
    status() {
      const t = tailer.status();
      return {
        files: t.files,
        problems: t.problems,
        counters: metrics.counters(),
        session: processor.session,
        syslog: agent.syslog,
      };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearInterval(t);
      await evaluating?.catch(() => {});
      await syslog?.close();
      await tailer.close();
      processor.commit();
      await runner.deliver().catch(() => 0);
    },
  };

  const timers: NodeJS.Timeout[] = [];
  if (deps.timers !== false) {
    const every = (ms: number, f: () => void) => {
      const t = setInterval(f, ms);
      t.unref();
      timers.push(t);
    };
    every(
      config.pollInterval * 1000,
      safe('tail', () => agent.poll()),
    );
    every(
      1000,
      safe('alarm evaluation', () => agent.evaluate()),
    );
    every(1000, () => {
      try {
        processor.commitIfDue();
      } catch (err) {
        logger.error({ err: String(err) }, 'log agent: commit failed');
      }
    });
    every(
      3600_000,
      safe('retention sweep', async () => {
        const now = clock.now().getTime();
        metrics.sweep(now);
        alarmStore.sweep(now - config.retention.alarmHistory * 1000);
      }),
    );
    safe('tail', () => agent.poll())();
  }
  logger.info(
    { groups: Object.keys(config.groups).length, filters: config.metricFilters.length, alarms: config.alarms.length },
    'log agent started',
  );
  return agent;
}

function syslogMatches(route: SyslogRouteConfig, m: SyslogMessage): boolean {
  if (route.appNames && !(m.appName && route.appNames.includes(m.appName))) return false;
  if (route.hostnames && !(m.hostname && route.hostnames.includes(m.hostname))) return false;
  if (route.facilities) {
    const wanted = route.facilities.map((f) => (typeof f === 'number' ? f : FACILITIES[f.toLowerCase()]));
    if (!wanted.includes(m.facility)) return false;
  }
  return true;
}

/** The machine tokens for POST /api/logs/{logGroup}: the comma-separated value of `logs.ingest.tokenEnv`. */
export function logIngestTokens(config: LogsConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  const name = config.ingest.tokenEnv;
  const value = name ? env[name] : undefined;
  return (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length >= 16);
}
