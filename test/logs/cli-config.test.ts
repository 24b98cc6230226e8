import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logsSchema } from '../../src/config/logs.ts';
import { agentConfig } from '../../src/runtime/local/cli-logs.ts';
import { cairnEnv, repoRoot } from '../helpers/child-server.ts';

function run(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/logs/cli-harness.ts'), ...args], {
    cwd: repoRoot,
    env: cairnEnv({}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npx cairn logs test-pattern', () => {
  it('prints the TestMetricFilter JSON for the lines on stdin', async () => {
    const r = await run(
      ['logs', 'test-pattern', '[ip, id, user, ..., status_code = 4*, bytes]'],
      [
        '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326',
        '',
        '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
        '127.0.0.2 - bob [10/Oct/2000:13:55:36 -0700] "GET /x HTTP/1.0" 401 5\r',
      ].join('\n') + '\n',
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(
      out.matches.map((m: any) => [m.eventNumber, m.extractedValues.$status_code, m.extractedValues.$user]),
    ).toEqual([
      [1, '404', 'frank'],
      [4, '401', 'bob'],
    ]);
  });

  it('refuses a bad pattern with the column', async () => {
    const r = await run(['logs', 'test-pattern', '{ $.a = }'], 'x\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/column \d+: .*CAIRN_INVALID_FILTER_PATTERN/);
  });
});

describe('the logs: section of cairn.yaml', () => {
  const base = { groups: { '/app': { files: ['logs/*.log'], timestampFormat: '%d/%b/%Y:%H:%M:%S %z' } } };

  it('rejects an invalid filter pattern with its position', () => {
    const r = logsSchema.safeParse({
      ...base,
      metricFilters: [
        {
          name: 'x',
          logGroup: '/app',
          FilterPattern: '[ip, status = ',
          MetricTransformations: [{ MetricName: 'M', MetricNamespace: 'N', MetricValue: '1' }],
        },
      ],
    });
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path).toEqual(['metricFilters', 0, 'FilterPattern']);
    expect(issue.message).toMatch(/^column \d+: /);
  });

  it('rejects what CloudFormation would: unknown groups, both statistics, M over N, Dimensions with DefaultValue', () => {
    const r = logsSchema.safeParse({
      ...base,
      metricFilters: [
        {
          name: 'x',
          logGroup: '/nope',
          FilterPattern: '',
          MetricTransformations: [
            { MetricName: 'M', MetricNamespace: 'N', MetricValue: '1', DefaultValue: 0, Dimensions: { a: '$.a' } },
          ],
        },
      ],
      alarms: [
        {
          AlarmName: 'a',
          Namespace: 'N',
          MetricName: 'M',
          Statistic: 'Sum',
          ExtendedStatistic: 'p90',
          Period: 15,
          EvaluationPeriods: 2,
          DatapointsToAlarm: 3,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      ],
    });
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'alarms.0.Period',
        'alarms.0',
        'alarms.0.DatapointsToAlarm',
        'metricFilters.0.logGroup',
        'metricFilters.0.MetricTransformations.0',
      ]),
    );
  });

  it('takes dimensions as a map or as CloudFormation lists', () => {
    const c = logsSchema.parse({
      ...base,
      metricFilters: [
        {
          name: 'x',
          logGroup: '/app',
          FilterPattern: '[a, b]',
          MetricTransformations: [{ MetricName: 'M', MetricNamespace: 'N', MetricValue: 1, Dimensions: { B: '$b' } }],
        },
      ],
      alarms: [
        {
          AlarmName: 'a',
          Namespace: 'N',
          MetricName: 'M',
          Dimensions: [{ Name: 'B', Value: 'x' }],
          ExtendedStatistic: 'p99.9',
          Period: '1m',
          EvaluationPeriods: 3,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
        },
      ],
    });
    expect(c.metricFilters[0]!.MetricTransformations[0]).toMatchObject({
      MetricValue: '1',
      Dimensions: [{ Key: 'B', Value: '$b' }],
    });
    expect(c.alarms[0]).toMatchObject({ Dimensions: { B: 'x' }, Period: 60, TreatMissingData: 'missing' });
  });

  it('gives the amazon-cloudwatch-agent config for the files', () => {
    const c = logsSchema.parse(base);
    expect(agentConfig(c, '/etc/cairn/cairn.yaml')).toEqual({
      logs: {
        logs_collected: {
          files: {
            collect_list: [
              {
                file_path: '/etc/cairn/logs/*.log',
                log_group_name: '/app',
                log_stream_name: '{instance_id}',
                timestamp_format: '%d/%b/%Y:%H:%M:%S %z',
              },
            ],
          },
        },
      },
    });
  });
});
