/** Where a subscription's filter policy looks: the message attributes (default) or the JSON body. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A filter policy as SNS stores it: a JSON object of property names to match lists (or nesting). */
export type FilterPolicy = Record<string, unknown>;

export type MessageAttributeType = 'String' | 'String.Array' | 'Number' | 'Binary';

/** One SNS message attribute as it appears in a notification: the value travels as text. */
export interface MessageAttributeValue {
  Type: MessageAttributeType | (string & {});
  Value: string;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** What a policy is matched against: the attributes (MessageAttributes scope) or the parsed JSON body. */
export type FilterInput = { messageAttributes: MessageAttributes } | { messageBody: unknown };

/** A JSON scalar found in a message, as the policy's operators see it. */
export type Scalar = string | number | boolean | null;
