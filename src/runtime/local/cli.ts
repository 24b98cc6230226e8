import { Command, InvalidArgumentError } from 'commander';
import { isCairnError } from '../../core/errors.ts';
import { ConfigError } from '../../config/errors.ts';
import { backupCommands } from './cli-backup.ts';
import { logCommands } from './cli-logs.ts';
import { shareCommands } from './cli-share.ts';
import { alertCommands } from './cli-alerts.ts';
import { toolCommands } from './cli-tools.ts';
import { userCommands } from './cli-user.ts';

const program = new Command('cairn')
  .description('Cairn: secure file sharing, an event notification hub and legacy backups')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the server on embedded defaults (what `npm start` runs)')
  .option('-p, --port <port>', 'port to listen on (overrides CAIRN_PORT and the config)', (v) => {
    if (!/^\d+$/.test(v) || Number(v) > 65535) throw new InvalidArgumentError('must be a port number');
    return v;
  })
  .action(async (opts: { port?: string }) => {
    const env = opts.port ? { ...process.env, CAIRN_PORT: opts.port } : process.env;
    const { loadConfig } = await import('../../config/load.ts');
    const config = loadConfig(env);
    // Loaded on demand so that offline commands start fast.
    const { createLogger } = await import('./logger.ts');
    const { startServer } = await import('./server.ts');
    const logger = createLogger(config.log.level);
    const server = await startServer(config, { logger, env });
    process.stderr.write(`Cairn is running at ${server.url}\n`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

userCommands(program);
shareCommands(program);
backupCommands(program);
logCommands(program);
const alerts = program.command('alerts').description('the notification hub');
toolCommands(program, alerts);
alertCommands(alerts);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`cairn: ${err.message}\n`);
  } else if (isCairnError(err)) {
    process.stderr.write(`cairn: ${err.message} (${err.code})\n`);
  } else {
    process.stderr.write(`cairn: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
}
