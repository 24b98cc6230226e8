import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

describe('an alarm on a tailed log file reaches Slack through the hub', () => {
  let s: TestServer;
  const received: Json[] = [];
  const sink = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Json);
      res.end('ok');
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'cairn-alarm-'));
  const log = join(dir, 'app.log');

  const waitForMessages = async (n: number) => {
    for (let i = 0; i < 100 && received.length < n; i++) await new Promise((r) => setTimeout(r, 100));
    expect(received.length).toBeGreaterThanOrEqual(n);
    return received[n - 1]!;
  };

  beforeAll(async () => {
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    writeFileSync(log, '');
    const config = join(dir, 'cairn.yaml');
    writeFileSync(
      config,
      [
        'logs:',
        '  groups:',
        `    /legacy/app: { files: ["${log}"], initialPosition: start_of_file }`,
        '  metricFilters:',
        '    - name: errors',
        '      logGroup: /legacy/app',
        '      FilterPattern: ERROR',
        '      MetricTransformations: [{ MetricName: Errors, MetricNamespace: Legacy, MetricValue: "1" }]',
        '  alarms:',
        '    - AlarmName: legacy-errors',
        '      Namespace: Legacy',
        '      MetricName: Errors',
        '      Statistic: Sum',
        '      Period: 10',
        '      EvaluationPeriods: 1',
        '      Threshold: 2',
        '      ComparisonOperator: GreaterThanThreshold',
        '      TreatMissingData: notBreaching',
        '      labels: { severity: critical, service: legacy }',
        'alerts:',
        '  channels:',
        `    ops-slack: { type: slack, url: "http://127.0.0.1:${(sink.address() as AddressInfo).port}/slack" }`,
        '  routes:',
        '    - match: { source: [cloudwatch] }',
        '      channels: [ops-slack]',
      ].join('\n'),
    );
    s = await startTestServer({ CAIRN_CONFIG: config });
  });
  afterAll(async () => {
    await s.stop();
    await new Promise<void>((r) => sink.close(() => r()));
  });

  it('goes to ALARM when more than 2 ERROR lines land in a 10 s period, and Slack hears of it', async () => {
    appendFileSync(log, 'ok line\nERROR one\nERROR two\nERROR three\nERROR four\n');
    await s.logAgent.poll();
    s.clock.advance(15_000);
    await s.logAgent.evaluate();
    const message = await waitForMessages(1);
    expect(JSON.stringify(message)).toContain('legacy-errors');
    const alarms = (await (await s.api('/api/alarms', { token: await s.login() })).json()) as Json;
    expect(JSON.stringify(alarms)).toContain('ALARM');
  });

  it('returns to OK when the errors stop, and Slack hears that it resolved', async () => {
    // CloudWatch looks back over EvaluationPeriods + 2 periods for data, so OK comes once the
    // breaching datapoint has left that range.
    s.clock.advance(45_000);
    await s.logAgent.poll();
    await s.logAgent.evaluate();
    const message = await waitForMessages(2);
    expect(JSON.stringify(message).toLowerCase()).toContain('resolved');
  });
});
