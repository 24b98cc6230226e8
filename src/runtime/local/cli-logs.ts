import { dirname, isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { testMetricFilter } from '../../core/logs/index.ts';
import type { LogsConfig } from '../../config/logs.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `cairn logs test-pattern 'PATTERN' < lines.txt`: TestMetricFilter's JSON for the lines of stdin (each
 * line an event; eventNumber is its line number; blank lines are not events).
 * `cairn aws agent-config`: the amazon-cloudwatch-agent config that ships the configured files.
 */
export function logCommands(program: Command) {
  const logs =
    program.commands.find((c) => c.name() === 'logs') ?? program.command('logs').description('the log agent');
  logs
    .command('test-pattern <pattern>')
    .description("print TestMetricFilter's answer for the lines on stdin, e.g. < access.log")
    .action(async (pattern: string) => {
      const lines = (await readStdin()).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      const matches: ReturnType<typeof testMetricFilter>['matches'] = [];
      // AWS takes 1–50 messages per call: test in slices of 50 and number events by their line.
      for (let i = 0; i < lines.length; i += 50) {
        const slice = lines.slice(i, i + 50);
        const kept = slice.flatMap((l, j) => (l.length > 0 ? [{ l, n: i + j + 1 }] : []));
        if (kept.length === 0) continue;
        for (const m of testMetricFilter(
          pattern,
          kept.map((k) => k.l),
        ).matches)
          matches.push({ ...m, eventNumber: kept[m.eventNumber - 1]!.n });
      }
      if (lines.length === 0) testMetricFilter(pattern, ['-']); // still reports a bad pattern
      process.stdout.write(JSON.stringify({ matches }, null, 2) + '\n');
    });

  const aws =
    program.commands.find((c) => c.name() === 'aws') ?? program.command('aws').description('deploying to AWS');
  aws
    .command('agent-config')
    .description('print the amazon-cloudwatch-agent JSON that ships the files of logs.groups to CloudWatch Logs')
    .action(async () => {
      const { loadConfig } = await import('../../config/load.ts');
      const { logsSchema } = await import('../../config/logs.ts');
      const config = loadConfig() as unknown as { logs?: LogsConfig; configFile: string | null };
      const logs = config.logs ?? logsSchema.parse({});
      const out = agentConfig(logs, config.configFile);
      if (out.logs.logs_collected.files.collect_list.length === 0)
        process.stderr.write('cairn: no files under logs.groups.<group>.files: the list is empty\n');
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    });
}

/** The agent's `logs.logs_collected.files.collect_list`: one entry per file glob (relative ones made absolute). */
export function agentConfig(logs: LogsConfig, configFile: string | null, cwd = process.cwd()) {
  const base = configFile ? dirname(configFile) : cwd;
  const collect_list = Object.entries(logs.groups).flatMap(([group, g]) =>
    g.files.map((f) => ({
      file_path: isAbsolute(f) ? f : resolve(base, f),
      log_group_name: group,
      log_stream_name: g.logStreamName,
      ...(g.timestampFormat ? { timestamp_format: g.timestampFormat } : {}),
    })),
  );
  return { logs: { logs_collected: { files: { collect_list } } } };
}
