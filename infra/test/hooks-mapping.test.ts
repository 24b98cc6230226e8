import { render } from 'velocityjs';
import { describe, expect, it } from 'vitest';
import { isWebhookEnvelope } from '../../src/runtime/lambda/webhook-envelope.ts';
import { hooksRequestTemplate } from '../lib/constructs/private/hooks-mapping.ts';

/**
 * API Gateway's $util.escapeJavaScript (Apache Commons Lang's); its result is a Java String, whose
 * replaceAll takes a regular expression.
 */
function escapeJavaScript(s: string): { replaceAll(regex: string, replacement: string): string } {
  const named: Record<string, string> = {
    "'": "\\'",
    '"': '\\"',
    '\\': '\\\\',
    '/': '\\/',
    '\b': '\\b',
    '\n': '\\n',
    '\t': '\\t',
    '\f': '\\f',
    '\r': '\\r',
  };
  let out = '';
  for (const ch of s.split('')) {
    const code = ch.charCodeAt(0);
    out += named[ch] ?? (code < 32 || code > 0x7e ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : ch);
  }
  return { replaceAll: (regex, replacement) => out.replace(new RegExp(regex, 'g'), replacement) };
}

describe('the webhook mapping template (API Gateway → SQS)', () => {
  it('keeps the request exactly, in the envelope the enrich worker verifies (webhook-envelope.ts)', () => {
    const headers = new Map([
      ['Content-Type', 'application/json'],
      ['webhook-id', 'msg_2x'],
      ['X-Odd', `it's "quoted" \\ / ✓ \u0001 😀`],
    ]);
    const body = `{"text":"it's \\"x\\" ✓"}\n`;
    const out = render(hooksRequestTemplate(), {
      input: {
        params: (name?: string) =>
          name === undefined
            ? { header: { keySet: () => [...headers.keys()], get: (k: string) => headers.get(k) } }
            : `git'hub`,
        body,
      },
      util: {
        base64Encode: (s: string) => Buffer.from(s).toString('base64'),
        urlEncode: (s: string) => encodeURIComponent(s),
        escapeJavaScript,
      },
      context: { requestId: 'req-1', requestTimeEpoch: 1700000000000, identity: { sourceIp: '203.0.113.9' } },
    });
    const form = new URLSearchParams(out);
    expect([...form.keys()]).toEqual([
      'Action',
      'MessageBody',
      'MessageAttribute.1.Name',
      'MessageAttribute.1.Value.DataType',
      'MessageAttribute.1.Value.StringValue',
    ]);
    expect(form.get('Action')).toBe('SendMessage');
    expect(form.get('MessageAttribute.1.Value.StringValue')).toBe(`git'hub`);
    const msg = JSON.parse(form.get('MessageBody')!);
    expect(isWebhookEnvelope(msg)).toBe(true);
    expect(msg).toMatchObject({
      v: 1,
      source: `git'hub`,
      requestId: 'req-1',
      receivedAt: 1700000000000,
      sourceIp: '203.0.113.9',
    });
    expect(msg.headers).toEqual(Object.fromEntries(headers));
    expect(Buffer.from(msg.body, 'base64').toString()).toBe(body);
  });
});
