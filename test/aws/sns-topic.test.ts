/** SnsTopic against a mocked SNS client (aws-sdk-client-mock): no SNS emulator here. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsTopic, snsAttributes } from '../../src/adapters/aws/sns-topic.ts';
import type { EnrichedEvent } from '../../src/core/alerts/model.ts';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const event: EnrichedEvent = {
  eventId: 'evt_1',
  source: 'grafana',
  receivedAt: '2026-01-01T00:00:00.000Z',
  enrichedAt: '2026-01-01T00:00:01.000Z',
  title: 'CPU high',
  summary: 'api-1 at 97%',
  severity: 'critical',
  status: 'firing',
  service: 'api',
  fingerprint: 'fp1',
  labels: { zone: 'a', team: 'core', tier: 'gold', env: 'prod', owner: 'ana', region: 'eu', rack: '7' },
  enrichment: {},
  payload: { value: 97 },
};

describe('SnsTopic', () => {
  it('publishes the enriched event as the body, with at most 10 attributes: built-ins first, then chosen labels', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const topic = new SnsTopic({
      client: new SNSClient({ region: 'us-east-1' }),
      topicArn: 'arn:aws:sns:us-east-1:1:hub',
    });
    expect(await topic.publish(event)).toBe('m-1');
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(JSON.parse(input.Message!)).toMatchObject({
      eventId: 'evt_1',
      labels: { tier: 'gold' },
      payload: { value: 97 },
    });
    expect(Object.keys(input.MessageAttributes!)).toEqual([
      'source',
      'severity',
      'status',
      'service',
      'title',
      'fingerprint',
      'team',
      'env',
      'owner',
      'region',
    ]);
    expect(input.MessageAttributes!.severity).toEqual({ DataType: 'String', StringValue: 'critical' });
    expect(input.MessageGroupId).toBeUndefined();
  });

  it('sends the labels asked for, skips empty values, and fills unused slots with nothing', () => {
    const attrs = snsAttributes({ ...event, service: null }, ['tier', 'rack', 'missing']);
    expect(Object.keys(attrs)).toEqual(['source', 'severity', 'status', 'title', 'fingerprint', 'tier', 'rack']);
  });

  it('sets the group and dedup ids on a FIFO topic', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await new SnsTopic({
      client: new SNSClient({ region: 'us-east-1' }),
      topicArn: 'arn:aws:sns:us-east-1:1:hub.fifo',
    }).publish(event);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({
      MessageGroupId: 'fp1',
      MessageDeduplicationId: 'evt_1',
    });
  });

  it('leaves the payload out of a body over the SNS size limit', async () => {
    sns.on(PublishCommand).resolves({});
    const big = { ...event, payload: { blob: 'x'.repeat(300 * 1024) } };
    await new SnsTopic({
      client: new SNSClient({ region: 'us-east-1' }),
      topicArn: 'arn:aws:sns:us-east-1:1:hub',
    }).publish(big);
    const body = JSON.parse(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!);
    expect(body).toMatchObject({ eventId: 'evt_1', payload: null, payloadOmitted: true });
  });
});
