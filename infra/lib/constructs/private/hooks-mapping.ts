/**
 * The API Gateway mapping template that turns `POST /hooks/{source}` into an SQS SendMessage call,
 * with no Lambda in between. The enrich worker verifies the signature later
 * (src/runtime/lambda/webhook-envelope.ts), so the message keeps the request exactly: the body as
 * base64 (bytes stay bytes), the source and header values as JSON strings. `$util.escapeJavaScript`
 * escapes everything JSON needs and writes `\'` for a quote, which JSON does not know: the
 * `replaceAll` turns it back into `'` (Java regex semantics: the pattern `\\'` is a backslash and a quote).
 *
 * The message body (JSON), version 1:
 *   { "v": 1, "source": string, "receivedAt": epoch ms, "requestId": string, "sourceIp": string,
 *     "headers": { name: value }, "body": base64 }
 * plus the SQS message attribute `source` (String), so the queue can be filtered or counted by source.
 */
export const HOOK_MESSAGE_VERSION = 1;

/** A VTL expression for a value as the inside of a JSON string. */
const jsonString = (expr: string) => `$util.escapeJavaScript(${expr}).replaceAll("\\\\'", "'")`;

export function hooksRequestTemplate(): string {
  const field = (name: string, value: string, quoted = true) =>
    quoted ? `\${q}${name}\${q}:\${q}${value}\${q}` : `\${q}${name}\${q}:${value}`;
  const message = [
    field('v', String(HOOK_MESSAGE_VERSION), false),
    field('source', '$sourceJson'),
    field('receivedAt', '$context.requestTimeEpoch', false),
    field('requestId', '$context.requestId'),
    field('sourceIp', '$context.identity.sourceIp'),
    field('headers', '{${headers}}', false),
    field('body', '$util.base64Encode($input.body)'),
  ].join(',');
  return [
    `#set($q = '"')`,
    `#set($sourceJson = ${jsonString("$input.params('source')")})`,
    `#set($h = $input.params().header)`,
    `#set($headers = '')`,
    `#foreach($name in $h.keySet())`,
    `#set($value = ${jsonString('$h.get($name)')})`,
    `#if($headers != '')#set($headers = "\${headers},")#end`,
    `#set($headers = "\${headers}\${q}\${name}\${q}:\${q}\${value}\${q}")`,
    `#end`,
    `#set($m = "{${message}}")`,
    [
      'Action=SendMessage',
      'MessageBody=$util.urlEncode($m)',
      'MessageAttribute.1.Name=source',
      'MessageAttribute.1.Value.DataType=String',
      "MessageAttribute.1.Value.StringValue=$util.urlEncode($input.params('source'))",
    ].join('&'),
    // One line: a newline after a directive would end up in the form body SQS parses.
  ].join('');
}

/** The 202 answer: the request id, which is also the message's requestId (for support and logs). */
export const ACCEPTED_TEMPLATE = `{"accepted":true,"requestId":"$context.requestId"}`;

export function errorTemplate(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}
