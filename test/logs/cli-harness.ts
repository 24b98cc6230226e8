// Runs the log CLI commands on their own (until cli.ts registers them): node --import tsx cli-harness.ts logs test-pattern …
import { Command } from 'commander';
import { isCairnError } from '../../src/core/errors.ts';
import { logCommands } from '../../src/runtime/local/cli-logs.ts';

const program = new Command('cairn');
logCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`cairn: ${(err as Error).message}${isCairnError(err) ? ` (${err.code})` : ''}\n`);
  process.exit(1);
}
