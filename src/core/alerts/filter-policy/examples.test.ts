/** Examples from the Amazon SNS developer guide's message filtering pages, in both scopes. */
import { describe, expect, it } from 'vitest';
import { matchesFilterPolicy, type MessageAttributes } from './index.ts';

const str = (Value: string) => ({ Type: 'String', Value });
const arr = (values: unknown[]) => ({ Type: 'String.Array', Value: JSON.stringify(values) });
const num = (Value: string) => ({ Type: 'Number', Value });

const byAttributes = (policy: unknown, messageAttributes: MessageAttributes) =>
  matchesFilterPolicy(policy, { messageAttributes });
const byBody = (policy: unknown, messageBody: unknown) => matchesFilterPolicy(policy, { messageBody });

describe('the customer transaction example', () => {
  const attributes: MessageAttributes = {
    customer_interests: arr(['soccer', 'rugby', 'hockey']),
    store: str('example_corp'),
    event: str('order_placed'),
    price_usd: num('210.75'),
  };
  const body = {
    customer_interests: ['soccer', 'rugby', 'hockey'],
    store: 'example_corp',
    event: 'order_placed',
    price_usd: 210.75,
  };
  const accepting = {
    store: ['example_corp'],
    event: [{ 'anything-but': 'order_cancelled' }],
    customer_interests: ['rugby', 'football', 'baseball'],
    price_usd: [{ numeric: ['>=', 100] }],
  };
  const rejecting = {
    store: ['example_corp'],
    event: ['order_cancelled'],
    encrypted: [false],
    customer_interests: ['basketball', 'baseball'],
  };

  it('accepts the message with the accepting policy, by attributes and by body', () => {
    expect(byAttributes(accepting, attributes)).toBe(true);
    expect(byBody(accepting, body)).toBe(true);
  });

  it('rejects the message with the rejecting policy, by attributes and by body', () => {
    expect(byAttributes(rejecting, attributes)).toBe(false);
    expect(byBody(rejecting, body)).toBe(false);
  });

  it('ignores message properties the policy does not name', () => {
    expect(byAttributes({ store: ['example_corp'] }, attributes)).toBe(true);
  });
});

describe('exact string matching', () => {
  const policy = { customer_interests: ['rugby', 'tennis'] };
  it('matches one of the listed values, in a String or any element of a String.Array', () => {
    expect(byAttributes(policy, { customer_interests: str('rugby') })).toBe(true);
    expect(byAttributes(policy, { customer_interests: str('tennis') })).toBe(true);
    expect(byAttributes(policy, { customer_interests: arr(['rugby', 'tennis']) })).toBe(true);
    expect(byBody(policy, { customer_interests: 'rugby' })).toBe(true);
  });
  it('does not match other values, and is case-sensitive', () => {
    expect(byAttributes(policy, { customer_interests: str('baseball') })).toBe(false);
    expect(byAttributes(policy, { customer_interests: arr(['baseball']) })).toBe(false);
    expect(byBody(policy, { customer_interests: 'baseball' })).toBe(false);
    expect(byAttributes(policy, { customer_interests: str('Rugby') })).toBe(false);
  });
});

describe('anything-but', () => {
  const policy = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };
  it('matches values not listed, and arrays with at least one value not listed', () => {
    expect(byAttributes(policy, { customer_interests: str('baseball') })).toBe(true);
    expect(byAttributes(policy, { customer_interests: arr(['rugby', 'baseball']) })).toBe(true);
    expect(byBody(policy, { customer_interests: 'football' })).toBe(true);
    expect(byBody(policy, { customer_interests: ['rugby', 'baseball'] })).toBe(true);
  });
  it('does not match listed values, or arrays of only listed values, or a missing property', () => {
    expect(byAttributes(policy, { customer_interests: str('rugby') })).toBe(false);
    expect(byAttributes(policy, { customer_interests: arr(['rugby']) })).toBe(false);
    expect(byBody(policy, { customer_interests: ['rugby'] })).toBe(false);
    expect(byAttributes(policy, { store: str('x') })).toBe(false);
  });
  it('takes a single value', () => {
    expect(byAttributes({ event: [{ 'anything-but': 'order_cancelled' }] }, { event: str('order_placed') })).toBe(true);
    expect(byAttributes({ event: [{ 'anything-but': 'order_cancelled' }] }, { event: str('order_cancelled') })).toBe(
      false,
    );
  });
  it('compares numbers numerically', () => {
    const prices = { price: [{ 'anything-but': [100, 500] }] };
    expect(byAttributes(prices, { price: num('101') })).toBe(true);
    expect(byAttributes(prices, { price: num('100.1') })).toBe(true);
    expect(byAttributes(prices, { price: num('1e2') })).toBe(false);
    expect(byBody(prices, { price: [100, 50] })).toBe(true);
    expect(byBody(prices, { price: 100 })).toBe(false);
  });
  it('denies a prefix, a suffix or a wildcard', () => {
    const prefix = { event: [{ 'anything-but': { prefix: 'order-' } }] };
    expect(byAttributes(prefix, { event: str('data-entry') })).toBe(true);
    expect(byAttributes(prefix, { event: str('order_number') })).toBe(true);
    expect(byAttributes(prefix, { event: str('order-cancelled') })).toBe(false);
    expect(byBody(prefix, { event: 'order-cancelled' })).toBe(false);
    const suffix = { customer_interests: [{ 'anything-but': { suffix: 'ball' } }] };
    expect(byBody(suffix, { customer_interests: ['hockey', 'rugby', 'soccer'] })).toBe(true);
    expect(byBody(suffix, { customer_interests: ['baseball', 'basketball'] })).toBe(false);
    const wildcard = { customer_interests: [{ 'anything-but': { wildcard: '*ball' } }] };
    expect(byBody(wildcard, { customer_interests: ['hockey', 'rugby', 'soccer'] })).toBe(true);
    expect(byBody(wildcard, { customer_interests: ['baseball', 'basketball'] })).toBe(false);
  });
  it('combines with "exists": false to also accept messages without the property', () => {
    const policy = { store: [{ 'anything-but': 'closed' }, { exists: false }] };
    expect(byAttributes(policy, { event: str('x') })).toBe(true);
    expect(byAttributes(policy, { store: str('open') })).toBe(true);
    expect(byAttributes(policy, { store: str('closed') })).toBe(false);
  });
});

describe('prefix, suffix, equals-ignore-case and wildcard', () => {
  it('matches a prefix', () => {
    const policy = { customer_interests: [{ prefix: 'bas' }] };
    expect(byAttributes(policy, { customer_interests: str('baseball') })).toBe(true);
    expect(byBody(policy, { customer_interests: 'basketball' })).toBe(true);
    expect(byAttributes(policy, { customer_interests: str('rugby') })).toBe(false);
  });
  it('matches a suffix', () => {
    const policy = { customer_interests: [{ suffix: 'ball' }] };
    expect(byAttributes(policy, { customer_interests: str('baseball') })).toBe(true);
    expect(byBody(policy, { customer_interests: 'basketball' })).toBe(true);
    expect(byAttributes(policy, { customer_interests: str('rugby') })).toBe(false);
  });
  it('matches ignoring case', () => {
    const policy = { customer_interests: [{ 'equals-ignore-case': 'tennis' }] };
    expect(byAttributes(policy, { customer_interests: str('TENNIS') })).toBe(true);
    expect(byAttributes(policy, { customer_interests: str('Tennis') })).toBe(true);
    expect(byBody(policy, { customer_interests: 'teNnis' })).toBe(true);
    expect(byBody(policy, { customer_interests: 'tennis!' })).toBe(false);
  });
  it('matches wildcards, with * and \\* escapes', () => {
    const policy = { customer_interests: [{ wildcard: '*ball' }] };
    expect(byBody(policy, { customer_interests: ['baseball', 'basketball'] })).toBe(true);
    expect(byBody(policy, { customer_interests: 'ballet' })).toBe(false);
    expect(byBody({ k: [{ wildcard: 'a*b*c' }] }, { k: 'a-b-c' })).toBe(true);
    expect(byBody({ k: [{ wildcard: 'a*b*c' }] }, { k: 'abc' })).toBe(true);
    expect(byBody({ k: [{ wildcard: 'a*b*c' }] }, { k: 'acb' })).toBe(false);
    expect(byBody({ k: [{ wildcard: 'a*bc*bc' }] }, { k: 'abc' })).toBe(false);
    expect(byBody({ k: [{ wildcard: 'a\\*' }] }, { k: 'a*' })).toBe(true);
    expect(byBody({ k: [{ wildcard: 'a\\*' }] }, { k: 'ab' })).toBe(false);
  });
  it('applies string operators to strings only', () => {
    expect(byBody({ code: [{ prefix: '12' }] }, { code: 123 })).toBe(false);
    expect(byBody({ code: [{ prefix: '12' }] }, { code: '123' })).toBe(true);
  });
});

describe('IP address matching', () => {
  const policy = { source_ip: [{ cidr: '10.0.0.0/24' }] };
  it('matches addresses inside the block', () => {
    expect(byAttributes(policy, { source_ip: str('10.0.0.0') })).toBe(true);
    expect(byAttributes(policy, { source_ip: str('10.0.0.255') })).toBe(true);
    expect(byBody(policy, { source_ip: '10.0.0.255' })).toBe(true);
  });
  it('does not match addresses outside it, or text that is no address', () => {
    expect(byAttributes(policy, { source_ip: str('10.1.1.0') })).toBe(false);
    expect(byBody(policy, { source_ip: '10.1.1.0' })).toBe(false);
    expect(byBody(policy, { source_ip: 'example.com' })).toBe(false);
  });
  it('matches IPv6 blocks', () => {
    const v6 = { source_ip: [{ cidr: '2001:db8::/32' }] };
    expect(byBody(v6, { source_ip: '2001:db8:1234::1' })).toBe(true);
    expect(byBody(v6, { source_ip: '2001:db9::1' })).toBe(false);
    expect(byBody(v6, { source_ip: '10.0.0.1' })).toBe(false);
  });
});

describe('numeric matching', () => {
  it('matches equal numbers however they are written', () => {
    const policy = { price_usd: [{ numeric: ['=', 301.5] }] };
    expect(byAttributes(policy, { price_usd: num('301.5') })).toBe(true);
    expect(byAttributes(policy, { price_usd: num('3.015e2') })).toBe(true);
    expect(byBody(policy, { price_usd: 3.015e2 })).toBe(true);
    expect(byAttributes({ price_usd: [301.5] }, { price_usd: num('301.50') })).toBe(true);
  });
  it('matches ranges', () => {
    expect(byAttributes({ price_usd: [{ numeric: ['<', 0] }] }, { price_usd: num('-1') })).toBe(true);
    expect(byAttributes({ price_usd: [{ numeric: ['<', 0] }] }, { price_usd: num('0') })).toBe(false);
    const range = { price_usd: [{ numeric: ['>', 0, '<=', 150] }] };
    expect(byBody(range, { price_usd: 150 })).toBe(true);
    expect(byBody(range, { price_usd: 0.5 })).toBe(true);
    expect(byBody(range, { price_usd: 0 })).toBe(false);
    expect(byBody(range, { price_usd: 150.00001 })).toBe(false);
  });
  it('compares with five digits after the decimal point', () => {
    expect(byBody({ p: [{ numeric: ['=', 1.00001] }] }, { p: 1.000011 })).toBe(true);
    expect(byBody({ p: [{ numeric: ['>', 1] }] }, { p: 1.000001 })).toBe(false);
  });
  it('does not treat strings as numbers', () => {
    expect(byAttributes({ p: [{ numeric: ['>', 1] }] }, { p: str('5') })).toBe(false);
    expect(byBody({ p: [5] }, { p: '5' })).toBe(false);
    expect(byBody({ p: ['5'] }, { p: 5 })).toBe(false);
  });
});

describe('key matching with exists', () => {
  const present = { store: [{ exists: true }] };
  const absent = { store: [{ exists: false }] };
  const withStore: MessageAttributes = { store: str('fans'), customer_interests: arr(['baseball', 'basketball']) };
  const withoutStore: MessageAttributes = { customer_interests: arr(['baseball', 'basketball']) };
  it('"exists": true needs the property, with a non-null, non-empty value', () => {
    expect(byAttributes(present, withStore)).toBe(true);
    expect(byAttributes(present, withoutStore)).toBe(false);
    expect(byBody(present, { store: 'fans', customer_interests: ['baseball'] })).toBe(true);
    expect(byBody(present, { customer_interests: ['baseball'] })).toBe(false);
    expect(byBody(present, { store: null })).toBe(false);
    expect(byBody(present, { store: [] })).toBe(false);
  });
  it('"exists": false needs the property to be missing, and at least one other property present', () => {
    expect(byAttributes(absent, withStore)).toBe(false);
    expect(byAttributes(absent, withoutStore)).toBe(true);
    expect(byBody(absent, { customer_interests: ['baseball'] })).toBe(true);
    expect(byAttributes(absent, {})).toBe(false);
    expect(byBody(absent, {})).toBe(false);
  });
  it('works on leaves only: an object is not a value', () => {
    expect(byBody({ detail: [{ exists: true }] }, { detail: { a: 1 } })).toBe(false);
  });
  it('ignores Binary attributes, as SNS does', () => {
    const binary = { store: { Type: 'Binary', Value: 'AAEC' } };
    expect(byAttributes(present, { ...binary, other: str('x') })).toBe(false);
    expect(byAttributes({ store: ['AAEC'] }, binary)).toBe(false);
  });
});

describe('AND and OR', () => {
  it('ANDs keys and ORs the values of one key', () => {
    const policy = { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] };
    expect(byAttributes(policy, { customer_interests: str('rugby'), price_usd: num('101') })).toBe(true);
    expect(byAttributes(policy, { customer_interests: str('rugby'), price_usd: num('100') })).toBe(false);
    expect(byAttributes(policy, { price_usd: num('101') })).toBe(false);
    expect(
      byAttributes({ customer_interests: ['rugby', 'football', 'baseball'] }, { customer_interests: str('football') }),
    ).toBe(true);
  });

  it('ORs alternatives with $or: "source" && ("metricName" || "namespace")', () => {
    const policy = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    };
    const source = str('aws.cloudwatch');
    expect(byAttributes(policy, { source, metricName: str('CPUUtilization') })).toBe(true);
    expect(byAttributes(policy, { source, namespace: str('AWS/EC2') })).toBe(true);
    expect(byAttributes(policy, { source })).toBe(false);
    expect(byAttributes(policy, { metricName: str('CPUUtilization') })).toBe(false);
    expect(byBody(policy, { source: 'aws.cloudwatch', metricName: 'CPUUtilization' })).toBe(true);
    expect(byBody(policy, { source: 'aws.cloudwatch', namespace: 'AWS/EC2' })).toBe(true);
    expect(byBody(policy, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(false);
  });

  it('nests $or inside an alternative and inside a nested property', () => {
    const policy = {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: {
        scope: ['Service'],
        $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }],
      },
    };
    expect(
      byBody(policy, { namespace: 'AWS/ES', detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' } }),
    ).toBe(true);
    expect(byBody(policy, { metricName: 'ReadLatency', detail: { scope: 'Service', source: 'aws.cloudwatch' } })).toBe(
      true,
    );
    expect(byBody(policy, { metricName: 'ReadLatency', detail: { scope: 'Service' } })).toBe(false);
    expect(byBody(policy, { detail: { scope: 'Service', source: 'aws.cloudwatch' } })).toBe(false);
  });

  it('treats $or as a plain property when it is not a list of two or more plain alternatives', () => {
    expect(byAttributes({ $or: ['a', 'b'] }, { $or: str('a') })).toBe(true);
    // A single alternative is not an OR, so `{ x: [...] }` is read as a (bad) match expression.
    expect(() => byAttributes({ $or: [{ x: ['1'] }] }, { x: str('1') })).toThrow(/Unrecognized match type x/);
  });
});

describe('message body scope', () => {
  it('follows nested properties', () => {
    const policy = { order: { status: ['shipped'], total: [{ numeric: ['>=', 10] }] } };
    expect(byBody(policy, { order: { status: 'shipped', total: 12 } })).toBe(true);
    expect(byBody(policy, { order: { status: 'shipped', total: 9 } })).toBe(false);
    expect(byBody(policy, { order: 'shipped' })).toBe(false);
  });
  it('looks into arrays of objects, any element counting', () => {
    const policy = { items: { sku: [{ prefix: 'BK-' }] } };
    expect(byBody(policy, { items: [{ sku: 'TY-1' }, { sku: 'BK-2' }] })).toBe(true);
    expect(byBody(policy, { items: [{ sku: 'TY-1' }] })).toBe(false);
  });
  it('matches null and booleans literally', () => {
    expect(byBody({ deleted: [null] }, { deleted: null })).toBe(true);
    expect(byBody({ deleted: [null] }, { deleted: false })).toBe(false);
    expect(byBody({ encrypted: [false] }, { encrypted: false })).toBe(true);
    expect(byBody({ encrypted: [false] }, { encrypted: 'false' })).toBe(false);
  });
  it('matches nothing but the empty policy when the body is not a JSON object', () => {
    expect(byBody({ a: ['x'] }, 'a=x')).toBe(false);
    expect(byBody({ a: [{ exists: false }] }, ['x'])).toBe(false);
    expect(byBody({}, 'anything')).toBe(true);
  });
});
