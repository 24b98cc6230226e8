import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import type { IngestedEvent } from '../../src/core/alerts/model.ts';
import { normalize } from '../../src/core/alerts/enrich/normalize.ts';
import { SqliteQueues } from '../../src/adapters/local/sqlite/queue.ts';
import { sourceSchema } from '../../src/config/alerts.ts';
import { type AgentFixture, agentFixture, fakeQueue } from './fixture.ts';

/** The `cloudwatch` source as the hub should configure it (docs/logs.md). */
const cloudwatchSource = sourceSchema.parse({
  verify: { scheme: 'bearer', secret: 'unused-for-internal-events' },
  fields: {
    title: '$.detail.alarmName',
    summary: '$.detail.state.reason',
    status: '$.detail.state.value',
    severity: '$.detail.labels.severity',
    service: '$.detail.labels.service',
    fingerprint: '$.resources[0]',
  },
  resolvedValues: ['OK'],
});

describe('a tailed file drives an alarm onto the hub queue', () => {
  let f: AgentFixture;
  let queues: SqliteQueues;
  afterEach(async () => {
    await queues?.close();
    await f?.cleanup();
  });

  it('goes to ALARM and back to OK, each change an EventBridge event on the events queue', async () => {
    const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    let dbFile = '';
    f = await agentFixture(
      (dir) => {
        dbFile = join(dir, 'cairn.db');
        return {
          groups: { '/legacy/app': { files: [join(dir, 'app.log')], initialPosition: 'start_of_file' } },
          metricFilters: [
            {
              name: 'errors',
              logGroup: '/legacy/app',
              FilterPattern: '"ERROR"',
              MetricTransformations: [
                { MetricName: 'Errors', MetricNamespace: 'Legacy', MetricValue: '1', DefaultValue: 0 },
              ],
            },
          ],
          alarms: [
            {
              AlarmName: 'legacy-errors',
              AlarmDescription: 'Too many errors in the legacy app',
              Namespace: 'Legacy',
              MetricName: 'Errors',
              Statistic: 'Sum',
              Period: 10,
              EvaluationPeriods: 1,
              Threshold: 2,
              ComparisonOperator: 'GreaterThanThreshold',
              TreatMissingData: 'notBreaching',
              labels: { severity: 'critical', service: 'legacy' },
            },
          ],
        };
      },
      { clock, events: forwardTo(() => queues.queue<IngestedEvent>('events')) },
    );
    queues = await SqliteQueues.open({ file: dbFile, clock, writer: 'inline' });
    const events = queues.queue<IngestedEvent>('events');
    const log = join(f.dir, 'app.log');
    writeFileSync(log, 'INFO start\n');
    await f.agent.poll();
    expect(f.agent.alarms.state('legacy-errors')?.value).toBe('INSUFFICIENT_DATA');

    appendFileSync(log, 'ERROR a\nERROR b\nINFO c\nERROR d\n');
    clock.set(new Date('2026-03-01T12:00:05Z'));
    await f.agent.poll(); // lines carry the time they were read, as with the CloudWatch agent
    clock.set(new Date('2026-03-01T12:00:12Z'));
    expect(await f.agent.evaluate()).toBe(1);
    expect(f.agent.alarms.state('legacy-errors')?.value).toBe('ALARM');

    const [fired] = await events.receive(10);
    expect(fired).toBeDefined();
    const body = fired!.body;
    expect(body).toMatchObject({ source: 'cloudwatch', deliveryId: 'legacy-errors@2026-03-01T12:00:12.000+0000' });
    const payload = JSON.parse(body.rawBody);
    expect(payload).toMatchObject({
      version: '0',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '000000000000',
      region: 'local',
      time: '2026-03-01T12:00:12Z',
      resources: ['arn:aws:cloudwatch:local:000000000000:alarm:legacy-errors'],
      detail: {
        alarmName: 'legacy-errors',
        state: { value: 'ALARM', timestamp: '2026-03-01T12:00:12.000+0000' },
        previousState: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation' },
        configuration: {
          description: 'Too many errors in the legacy app',
          metrics: [
            {
              id: 'm1',
              metricStat: { metric: { namespace: 'Legacy', name: 'Errors', dimensions: {} }, period: 10, stat: 'Sum' },
              returnData: true,
            },
          ],
        },
        labels: { severity: 'critical', service: 'legacy' },
      },
    });
    expect(payload.detail.state.reason).toMatch(
      /^Threshold Crossed: 1 out of the last 1 datapoints \[3\.0 \(01\/03\/26 12:00:00\)\] was greater than the threshold \(2\.0\)/,
    );
    expect(JSON.parse(payload.detail.state.reasonData).recentDatapoints).toEqual([3]);
    const n1 = normalize(body, payload, cloudwatchSource);
    expect(n1).toMatchObject({ title: 'legacy-errors', status: 'firing', severity: 'critical', service: 'legacy' });
    await events.ack(fired!);

    // The next period has only good lines: DefaultValue 0 is a real, non-breaching datapoint.
    clock.set(new Date('2026-03-01T12:00:15Z'));
    appendFileSync(log, 'INFO fine\n');
    await f.agent.poll();
    clock.set(new Date('2026-03-01T12:00:22Z'));
    expect(await f.agent.evaluate()).toBe(1);
    const [resolved] = await events.receive(10);
    const p2 = JSON.parse(resolved!.body.rawBody);
    expect(p2.detail).toMatchObject({ state: { value: 'OK' }, previousState: { value: 'ALARM' } });
    const n2 = normalize(resolved!.body, p2, cloudwatchSource);
    expect(n2).toMatchObject({ title: 'legacy-errors', status: 'resolved', fingerprint: n1.fingerprint });

    // Evaluating again in the same period changes nothing; the history has both transitions.
    expect(await f.agent.evaluate()).toBe(0);
    expect(f.agent.alarms.history('legacy-errors', {}).items.map((h) => [h.oldState, h.newState, h.queued])).toEqual([
      ['ALARM', 'OK', true],
      ['INSUFFICIENT_DATA', 'ALARM', true],
    ]);
  });

  it('sends an unqueued transition again after a restart, once', async () => {
    const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
    let down = true;
    const sent: IngestedEvent[] = [];
    const flaky = {
      name: 'events',
      async send(body: IngestedEvent) {
        if (down) throw new Error('queue unavailable');
        sent.push(body);
        return { id: '1', duplicate: false };
      },
    };
    f = await agentFixture(
      () => ({
        groups: { '/g': {} },
        metricFilters: [
          {
            name: 'x',
            logGroup: '/g',
            FilterPattern: '',
            MetricTransformations: [{ MetricName: 'X', MetricNamespace: 'Test', MetricValue: '1' }],
          },
        ],
        alarms: [
          {
            AlarmName: 'x',
            Namespace: 'Test',
            MetricName: 'X',
            Statistic: 'SampleCount',
            Period: 10,
            EvaluationPeriods: 1,
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
          },
        ],
      }),
      { clock, events: flaky as never },
    );
    f.agent.ingest('/g', [{ message: 'hello' }]);
    clock.set(new Date('2026-03-01T12:00:12Z'));
    await f.agent.evaluate();
    expect(sent).toHaveLength(0);
    down = false;
    await f.restart();
    await f.agent.evaluate();
    await f.agent.evaluate();
    expect(sent.map((e) => JSON.parse(e.rawBody).detail.state.value)).toEqual(['ALARM']);
  });

  it('evaluates on its own timer once each period closes', async () => {
    const events = fakeQueue<IngestedEvent>();
    f = await agentFixture(
      () => ({
        groups: { '/g': {} },
        evaluationDelay: 0,
        metricFilters: [
          {
            name: 'x',
            logGroup: '/g',
            FilterPattern: '',
            MetricTransformations: [{ MetricName: 'X', MetricNamespace: 'Test', MetricValue: '1' }],
          },
        ],
        alarms: [
          {
            AlarmName: 'timer',
            Namespace: 'Test',
            MetricName: 'X',
            Statistic: 'Sum',
            Period: 10,
            EvaluationPeriods: 1,
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
          },
        ],
      }),
      { events, realTime: true },
    );
    f.agent.ingest('/g', [{ message: 'hello' }]);
    const deadline = Date.now() + 25_000;
    while (events.sent.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(events.sent.map((e) => JSON.parse(e.body.rawBody).detail.state.value)).toEqual(['ALARM']);
  }, 30_000);
});

/** The agent's queue, forwarding to a real SqliteQueue opened once the fixture has made the database. */
function forwardTo(
  queue: () => { send(b: IngestedEvent, o?: { dedupId?: string }): Promise<{ id: string; duplicate: boolean }> },
) {
  return { name: 'events', send: (b: IngestedEvent, o?: { dedupId?: string }) => queue().send(b, o) } as never;
}
