import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface TopicQueueSubscriptionProps {
  readonly topic: sns.ITopic;
  readonly queue: sqs.IQueue;
  /** An SNS filter policy exactly as cairn.yaml writes it (SNS syntax); none: every message. */
  readonly filterPolicy?: Record<string, unknown>;
  /** @default 'MessageAttributes' */
  readonly filterPolicyScope?: 'MessageAttributes' | 'MessageBody';
}

/**
 * The topic delivering to a queue with raw message delivery (the queue gets the event JSON and its
 * attributes, not SNS's envelope), filtered by a policy given as plain JSON: cairn.yaml and SNS share
 * one syntax, so the policy is passed through unchanged rather than rebuilt from the L2's typed filters.
 */
export class TopicQueueSubscription extends Construct {
  public readonly subscription: sns.CfnSubscription;

  constructor(scope: Construct, id: string, props: TopicQueueSubscriptionProps) {
    super(scope, id);
    const hasPolicy = props.filterPolicy && Object.keys(props.filterPolicy).length > 0;
    this.subscription = new sns.CfnSubscription(this, 'Resource', {
      topicArn: props.topic.topicArn,
      protocol: 'sqs',
      endpoint: props.queue.queueArn,
      rawMessageDelivery: true,
      filterPolicy: hasPolicy ? props.filterPolicy : undefined,
      filterPolicyScope: hasPolicy ? (props.filterPolicyScope ?? 'MessageAttributes') : undefined,
    });
    const policy = props.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [props.queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': props.topic.topicArn } },
      }),
    );
    if (policy.policyDependable) this.subscription.node.addDependency(policy.policyDependable);
  }
}
