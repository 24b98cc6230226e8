/**
 * SnsTopic: the hub's topic on SNS. publish(event) sends the enriched event as the message body (what
 * MessageBody-scope filter policies see) and its attributes as SNS message attributes (what
 * MessageAttributes-scope policies see). Subscribers — the notifier, subscription deliverers, any SQS
 * queue or HTTPS endpoint — are SNS subscriptions with their filter policies (CDK app).
 *
 * SNS delivers at most 10 message attributes to SQS and Lambda subscribers, so the attributes are:
 * the six built-ins (source, severity, status, service, title, fingerprint), then up to four labels,
 * chosen in the order of `attributeLabels` (default team, env, owner, region). Every label is still in
 * the body: a policy on any other label uses MessageBody scope, e.g. `{"labels": {"tier": ["gold"]}}`.
 * A body over SNS's 256 KiB limit is sent without `payload` (subscribers read the event from history).
 */
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { eventAttributes } from '../../core/alerts/attributes.ts';
import type { EnrichedEvent } from '../../core/alerts/model.ts';
import { enrichedOf } from '../../core/alerts/topic/event-body.ts';
import { awsCall } from './errors.ts';

export const MAX_SNS_ATTRIBUTES = 10;
export const BUILT_IN_ATTRIBUTES = ['source', 'severity', 'status', 'service', 'title', 'fingerprint'];
export const DEFAULT_ATTRIBUTE_LABELS = ['team', 'env', 'owner', 'region'];
const MAX_BODY_BYTES = 250 * 1024;

export interface SnsTopicOptions {
  client: SNSClient;
  topicArn: string;
  /** Labels to send as attributes, most important first; only the first four present are sent. */
  attributeLabels?: string[];
}

/** The at most 10 SNS message attributes of an event (see the file comment for the choice). */
export function snsAttributes(event: EnrichedEvent, attributeLabels: string[] = DEFAULT_ATTRIBUTE_LABELS) {
  const all = eventAttributes(event);
  const out: Record<string, MessageAttributeValue> = {};
  const add = (name: string) => {
    const a = all[name];
    if (a && Object.keys(out).length < MAX_SNS_ATTRIBUTES && typeof a.Value === 'string' && a.Value !== '')
      out[name] = { DataType: 'String', StringValue: a.Value };
  };
  for (const name of BUILT_IN_ATTRIBUTES) add(name);
  for (const label of attributeLabels) if (!BUILT_IN_ATTRIBUTES.includes(label)) add(label);
  return out;
}

export function snsBody(event: EnrichedEvent): string {
  const body = JSON.stringify(enrichedOf(event));
  if (Buffer.byteLength(body, 'utf8') <= MAX_BODY_BYTES) return body;
  return JSON.stringify({ ...enrichedOf(event), payload: null, payloadOmitted: true });
}

export class SnsTopic {
  private readonly fifo: boolean;

  constructor(private readonly o: SnsTopicOptions) {
    this.fifo = o.topicArn.endsWith('.fifo');
  }

  async publish(event: EnrichedEvent): Promise<string | undefined> {
    const out = await awsCall('SNS Publish', () =>
      this.o.client.send(
        new PublishCommand({
          TopicArn: this.o.topicArn,
          Message: snsBody(event),
          MessageAttributes: snsAttributes(event, this.o.attributeLabels),
          ...(this.fifo ? { MessageGroupId: event.fingerprint, MessageDeduplicationId: event.eventId } : {}),
        }),
      ),
    );
    return out.MessageId;
  }
}
