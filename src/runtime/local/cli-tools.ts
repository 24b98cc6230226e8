import { type Command, InvalidArgumentError } from 'commander';
import { compileFilterPolicy } from '../../core/alerts/filter-policy/index.ts';
import { nextFireTimes } from '../../core/backups/schedule/index.ts';
import { invalid } from '../../core/errors.ts';

function json(value: string, flag: string): unknown {
  try {
    return JSON.parse(value);
  } catch (e) {
    throw invalid('CAIRN_INVALID_JSON', `${flag}: not valid JSON: ${(e as Error).message}`);
  }
}

/** Offline tools: they read no data directory and need no server. */
export function toolCommands(program: Command, alerts: Command) {
  alerts
    .command('test-filter-policy')
    .description('print `match` or `no match` for an SNS filter policy against message attributes (or a body)')
    .requiredOption('--policy <json>', 'the filter policy, e.g. \'{"severity":["critical"]}\'')
    .option('--attributes <json>', 'SNS MessageAttributes, e.g. \'{"severity":{"Type":"String","Value":"critical"}}\'')
    .option('--body <json>', 'a message body, matched with FilterPolicyScope MessageBody')
    .action((opts: { policy: string; attributes?: string; body?: string }) => {
      if ((opts.attributes === undefined) === (opts.body === undefined)) {
        throw new InvalidArgumentError('give exactly one of --attributes or --body');
      }
      const scope = opts.body !== undefined ? 'MessageBody' : 'MessageAttributes';
      const policy = compileFilterPolicy(json(opts.policy, '--policy'), scope);
      const input =
        opts.body !== undefined
          ? { messageBody: json(opts.body, '--body') }
          : { messageAttributes: json(opts.attributes!, '--attributes') as never };
      process.stdout.write(policy.matches(input) ? 'match\n' : 'no match\n');
    });

  program
    .command('schedule')
    .description('EventBridge schedule expressions')
    .command('next <expression>')
    .description('print the next fire times (UTC ISO) strictly after --from, one per line')
    .option('--tz <zone>', 'IANA time zone the expression is evaluated in', 'UTC')
    .option('--from <iso>', 'start after this instant (default: now)')
    .option('--start <iso>', 'for rate(): when the schedule started (default: --from)')
    .option(
      '-n <count>',
      'how many',
      (v) => {
        if (!/^\d+$/.test(v) || Number(v) > 10_000) throw new InvalidArgumentError('a whole number up to 10000');
        return Number(v);
      },
      5,
    )
    .action((expression: string, opts: { tz: string; from?: string; start?: string; n: number }) => {
      const from = opts.from === undefined ? new Date() : new Date(opts.from);
      if (Number.isNaN(from.getTime()))
        throw invalid('CAIRN_INVALID_SCHEDULE_QUERY', `--from: "${opts.from}" is not an ISO 8601 time`);
      const start = opts.start === undefined ? from : new Date(opts.start);
      if (Number.isNaN(start.getTime()))
        throw invalid('CAIRN_INVALID_SCHEDULE_QUERY', `--start: "${opts.start}" is not an ISO 8601 time`);
      const times = nextFireTimes(expression, { from, count: opts.n, timeZone: opts.tz, startDate: start });
      for (const t of times) process.stdout.write(t.toISOString().replace('.000Z', 'Z') + '\n');
    });
}
