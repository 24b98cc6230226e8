/**
 * A stateful fake of the SQS API behind aws-sdk-client-mock — mocked: there is no SQS emulator here.
 * It models the documented behaviour the adapter relies on, on a clock the test moves:
 * - a received message is hidden for its visibility timeout and comes back with ApproximateReceiveCount + 1
 *   and a new receipt handle;
 * - DeleteMessage with a superseded receipt handle succeeds but deletes nothing;
 * - ChangeMessageVisibility on a message not in flight fails (MessageNotInflight);
 * - a RedrivePolicy moves a message to its DLQ on the receive after maxReceiveCount (keeping its count);
 * - ApproximateNumberOfMessages / NotVisible / Delayed count visible, in-flight and never-received delayed
 *   messages; a message whose visibility was extended stays "not visible" (in flight);
 * - StartMessageMoveTask moves a DLQ's messages back to their source queues, with a fresh receive count
 *   (synchronously here; on AWS the task runs in the background).
 * Standard queues hand out the oldest visible messages first here; real ones only try to.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';

interface FakeMessage {
  MessageId: string;
  Body: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  handle: string | null;
  sourceArn?: string;
}

interface FakeQueue {
  url: string;
  arn: string;
  visibilityTimeout: number;
  redrive?: { dlqArn: string; maxReceiveCount: number };
  messages: FakeMessage[];
}

const sqsError = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });

export class FakeSqs {
  readonly client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  private readonly queues = new Map<string, FakeQueue>();
  private readonly mock = mockClient(this.client);

  constructor(private readonly now: () => number) {
    const q = (url: string | undefined) => {
      const queue = this.queues.get(url ?? '');
      if (!queue) throw sqsError('QueueDoesNotExist', `no queue ${url}`);
      return queue;
    };
    this.mock.on(SendMessageCommand).callsFake((i) => {
      const queue = q(i.QueueUrl);
      const m: FakeMessage = {
        MessageId: randomUUID(),
        Body: i.MessageBody!,
        MessageAttributes: i.MessageAttributes,
        sentAt: this.now(),
        visibleAt: this.now() + (i.DelaySeconds ?? 0) * 1000,
        receiveCount: 0,
        handle: null,
      };
      queue.messages.push(m);
      return { MessageId: m.MessageId };
    });
    this.mock.on(ReceiveMessageCommand).callsFake((i) => {
      const queue = q(i.QueueUrl);
      const now = this.now();
      const vt = i.VisibilityTimeout ?? queue.visibilityTimeout;
      const out = [];
      for (const m of [...queue.messages]) {
        if (out.length >= (i.MaxNumberOfMessages ?? 1)) break;
        if (m.visibleAt > now) continue;
        if (queue.redrive && m.receiveCount >= queue.redrive.maxReceiveCount) {
          const dlq = [...this.queues.values()].find((x) => x.arn === queue.redrive!.dlqArn)!;
          queue.messages.splice(queue.messages.indexOf(m), 1);
          dlq.messages.push({ ...m, handle: null, visibleAt: now, sourceArn: queue.arn });
          continue;
        }
        m.receiveCount += 1;
        m.handle = randomUUID();
        m.visibleAt = now + vt * 1000;
        out.push({
          MessageId: m.MessageId,
          ReceiptHandle: m.handle,
          Body: m.Body,
          MessageAttributes: m.MessageAttributes,
          Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
        });
      }
      return { Messages: out };
    });
    this.mock.on(DeleteMessageCommand).callsFake((i) => {
      const queue = q(i.QueueUrl);
      const at = queue.messages.findIndex((m) => m.handle === i.ReceiptHandle);
      if (at >= 0) queue.messages.splice(at, 1);
      return {};
    });
    this.mock.on(ChangeMessageVisibilityCommand).callsFake((i) => {
      const queue = q(i.QueueUrl);
      const m = queue.messages.find((x) => x.handle === i.ReceiptHandle);
      if (!m) throw sqsError('ReceiptHandleIsInvalid', 'The receipt handle is not valid.');
      if (m.visibleAt <= this.now()) throw sqsError('MessageNotInflight', 'The message is not in flight.');
      m.visibleAt = this.now() + (i.VisibilityTimeout ?? 0) * 1000;
      return {};
    });
    this.mock.on(GetQueueAttributesCommand).callsFake((i) => {
      const queue = q(i.QueueUrl);
      const now = this.now();
      const hidden = queue.messages.filter((m) => m.visibleAt > now);
      return {
        Attributes: {
          QueueArn: queue.arn,
          ApproximateNumberOfMessages: String(queue.messages.length - hidden.length),
          ApproximateNumberOfMessagesNotVisible: String(hidden.filter((m) => m.receiveCount > 0).length),
          ApproximateNumberOfMessagesDelayed: String(hidden.filter((m) => m.receiveCount === 0).length),
        },
      };
    });
    this.mock.on(StartMessageMoveTaskCommand).callsFake((i) => {
      const dlq = [...this.queues.values()].find((x) => x.arn === i.SourceArn);
      if (!dlq) throw sqsError('ResourceNotFoundException', 'no such queue');
      const now = this.now();
      for (const m of dlq.messages.filter((x) => x.visibleAt <= now)) {
        dlq.messages.splice(dlq.messages.indexOf(m), 1);
        const target = [...this.queues.values()].find((x) => x.arn === m.sourceArn)!;
        target.messages.push({ ...m, receiveCount: 0, handle: null, visibleAt: now, sourceArn: undefined });
      }
      return { TaskHandle: randomUUID() };
    });
  }

  /** Creates a queue and its DLQ (as the CDK app does); returns their URLs. */
  createQueue(name: string, options: { maxReceiveCount: number; visibilityTimeoutSeconds: number }) {
    const url = (n: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${n}`;
    const arn = (n: string) => `arn:aws:sqs:us-east-1:123456789012:${n}`;
    const safe = name.replace(/[^A-Za-z0-9_-]/g, '-');
    const dlq: FakeQueue = { url: url(`${safe}-dlq`), arn: arn(`${safe}-dlq`), visibilityTimeout: 30, messages: [] };
    const main: FakeQueue = {
      url: url(safe),
      arn: arn(safe),
      visibilityTimeout: options.visibilityTimeoutSeconds,
      redrive: { dlqArn: dlq.arn, maxReceiveCount: options.maxReceiveCount },
      messages: [],
    };
    this.queues.set(dlq.url, dlq);
    this.queues.set(main.url, main);
    return { queueUrl: main.url, deadLetterQueueUrl: dlq.url };
  }

  has(name: string): boolean {
    return [...this.queues.values()].some((x) => x.url.endsWith(`/${name.replace(/[^A-Za-z0-9_-]/g, '-')}`));
  }

  restore(): void {
    this.mock.restore();
  }
}
