import { describe, expect, it } from 'vitest';
import { CairnError } from '../../errors.ts';
import { validateFilterPolicy, type FilterPolicyScope } from './index.ts';

function rejection(policy: unknown, scope: FilterPolicyScope = 'MessageAttributes'): CairnError {
  try {
    validateFilterPolicy(policy, scope);
  } catch (e) {
    if (e instanceof CairnError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(policy)} was accepted`);
}

const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);

describe('validateFilterPolicy accepts', () => {
  it('the documented operators in attribute scope', () => {
    const policies = [
      { store: ['example_corp', null, true, 12.5] },
      {
        event: [
          { 'anything-but': ['a', 1] },
          { 'anything-but': { prefix: 'order-' } },
          { 'anything-but': { suffix: 'x' } },
        ],
      },
      { event: [{ 'anything-but': 'a' }, { 'anything-but': 5 }, { 'anything-but': { wildcard: '*x' } }] },
      { name: [{ prefix: 'a' }, { suffix: 'b' }, { 'equals-ignore-case': 'C' }, { wildcard: 'd*e' }] },
      { price: [{ numeric: ['>', 0, '<=', 150] }, { numeric: ['=', -1e9] }, { numeric: ['>=', 0, '<', 1e9] }] },
      { ip: [{ cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }, { exists: false }] },
    ];
    for (const policy of policies) expect(validateFilterPolicy(policy, 'MessageAttributes')).toBe(policy);
  });

  it('a JSON string, returned parsed', () => {
    expect(validateFilterPolicy('{"sport":["rugby"]}', 'MessageAttributes')).toEqual({ sport: ['rugby'] });
  });

  it('the empty policy', () => {
    expect(validateFilterPolicy({}, 'MessageBody')).toEqual({});
  });

  it('nesting in body scope, counting only top-level keys (the key-counting example)', () => {
    const policy = {
      state: ['SUCCESS'],
      severity: [{ exists: true }],
      message: [{ exists: true }],
      finding: { standard_control: [{ exists: true }], region: [{ exists: true }], account: [{ exists: true }] },
    };
    expect(validateFilterPolicy(policy, 'MessageBody')).toBe(policy);
  });

  it('the nested complexity example: 4 values at level 3 × 3 values at level 2 = 72', () => {
    const policy = { key_a: { key_b: { key_c: values(4) }, key_d: { key_e: values(3) } } };
    expect(validateFilterPolicy(policy, 'MessageBody')).toBe(policy);
  });

  it('exactly 150 combinations and exactly five keys', () => {
    expect(() =>
      validateFilterPolicy({ a: values(5), b: values(5), c: values(6), d: ['x'], e: ['y'] }, 'MessageAttributes'),
    ).not.toThrow();
  });

  it('the $or complexity example (7 combinations)', () => {
    const policy = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], $or: [{ metricId: [1234, 4321] }, { spaceId: [1000, 2000, 3000] }] },
      ],
    };
    expect(validateFilterPolicy(policy, 'MessageAttributes')).toBe(policy);
  });
});

describe('validateFilterPolicy rejects, naming the path and the reason', () => {
  const cases: Array<[string, unknown, RegExp, FilterPolicyScope?]> = [
    ['an array', ['a'], /^filter policy \$: a filter policy must be a JSON object$/],
    ['null', null, /must be a JSON object/],
    ['invalid JSON text', '{"a": [', /is not valid JSON/],
    [
      'a scalar where a list belongs',
      { sport: 'rugby' },
      /^filter policy \$\.sport: "sport" must be an object or an array$/,
    ],
    ['an empty list', { sport: [] }, /\$\.sport: Empty arrays are not allowed/],
    [
      'nesting in attribute scope',
      { a: { b: ['x'] } },
      /\$\.a: Filter policy scope MessageAttributes does not support nested/,
    ],
    ['an empty nested object', { a: {} }, /\$\.a: a nested object must name at least one property/, 'MessageBody'],
    ['a nested list value', { a: [['x']] }, /\$\.a\[0\]: Match value must be String, number, true, false, or null/],
    [
      'two operators in one object',
      { a: [{ prefix: 'x', suffix: 'y' }] },
      /\$\.a\[0\]: Only one key allowed in match expression/,
    ],
    ['an unknown operator', { a: [{ regex: '.*' }] }, /\$\.a\[0\]: Unrecognized match type regex/],
    ['a number prefix', { a: [{ prefix: 1 }] }, /\$\.a\[0\]\.prefix: prefix match pattern must be a string/],
    ['a string exists', { a: [{ exists: 'yes' }] }, /exists match pattern must be either true or false/],
    ['an empty numeric', { a: [{ numeric: [] }] }, /numeric match must be a non-empty array/],
    ['an unknown numeric operator', { a: [{ numeric: ['!=', 1] }] }, /Unrecognized numeric range operator: !=/],
    ['a non-numeric bound', { a: [{ numeric: ['=', '1'] }] }, /Value of equals must be numeric/],
    ['a range starting with <', { a: [{ numeric: ['<', 5, '>', 1] }] }, /Too many elements in numeric expression/],
    ['a range ending with >', { a: [{ numeric: ['>', 1, '>', 5] }] }, /Bad numeric range operator: >/],
    ['a reversed range', { a: [{ numeric: ['>', 5, '<', 1] }] }, /Bottom must be less than top/],
    ['an empty range', { a: [{ numeric: ['>=', 5, '<=', 5] }] }, /Bottom must be less than top/],
    ['extra range terms', { a: [{ numeric: ['>', 0, '<', 5, '=', 3] }] }, /Too many terms in numeric range expression/],
    ['a number beyond 1e9', { a: [1e10] }, /\$\.a\[0\]: 10000000000 is outside the supported range/],
    ['a bound beyond -1e9', { a: [{ numeric: ['>', -2e9] }] }, /outside the supported range/],
    ['a CIDR without a mask', { a: [{ cidr: '10.0.0.1' }] }, /Malformed CIDR, one '\/' required/],
    ['a CIDR with a bad address', { a: [{ cidr: '10.0.0.256/24' }] }, /Nonstandard IP address: 10\.0\.0\.256/],
    ['a CIDR with too many bits', { a: [{ cidr: '10.0.0.0/33' }] }, /mask bits must be an integer 0-32/],
    ['an empty anything-but list', { a: [{ 'anything-but': [] }] }, /anything-but list must not be empty/],
    [
      'anything-but null',
      { a: [{ 'anything-but': [null] }] },
      /\$\.a\[0\]\.anything-but\[0\]: anything-but takes strings or numbers/,
    ],
    [
      'anything-but equals-ignore-case',
      { a: [{ 'anything-but': { 'equals-ignore-case': 'x' } }] },
      /Unsupported anything-but pattern/,
    ],
    [
      'anything-but with a number prefix',
      { a: [{ 'anything-but': { prefix: 1 } }] },
      /prefix match pattern must be a string/,
    ],
    ['consecutive wildcards', { a: [{ wildcard: 'a**b' }] }, /consecutive wildcard characters/],
    ['a stray backslash in a wildcard', { a: [{ wildcard: 'a\\b' }] }, /backslash must escape/],
    [
      'an empty $or alternative',
      { $or: [{ a: ['x'] }, {}] },
      /\$\.\$or\[1\]: each \$or alternative must name at least one property/,
    ],
    [
      '$or with operator names (read as a property)',
      { $or: [{ numeric: 123 }, { prefix: 'abc' }] },
      /\$\.\$or\[0\]\.numeric: numeric match must be/,
    ],
    ['an unknown scope', { a: ['x'] }, /scope must be MessageAttributes or MessageBody/, 'Body' as FilterPolicyScope],
  ];
  for (const [what, policy, message, scope] of cases) {
    it(`${what}`, () => {
      const e = rejection(policy, scope);
      expect(e.code).toBe('CAIRN_INVALID_FILTER_POLICY');
      expect(e.kind).toBe('invalid');
      expect(e.message).toMatch(message);
      expect(e.details).toMatchObject({ path: expect.stringMatching(/^\$/), reason: expect.any(String) });
    });
  }

  it('more than five keys in attribute scope', () => {
    const policy = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']]));
    expect(rejection(policy).message).toMatch(/can not have more than 5 keys \(found 6\)/);
  });

  it('more than five top-level keys in body scope, but not five with nested leaves', () => {
    const six = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']]));
    expect(rejection(six, 'MessageBody').message).toMatch(/more than 5 top-level keys/);
    const nested = { a: { b: ['x'], c: ['x'], d: ['x'], e: ['x'], f: ['x'], g: ['x'] } };
    expect(validateFilterPolicy(nested, 'MessageBody')).toBe(nested);
  });

  it('more than five keys in one $or alternative', () => {
    const policy = { a: ['x'], b: ['x'], c: ['x'], $or: [{ d: ['x'] }, { e: ['x'], f: ['x'], g: ['x'] }] };
    expect(rejection(policy).message).toMatch(/more than 5 keys \(found 6\)/);
  });

  it('more than 150 combinations, as the constraints page counts them', () => {
    expect(rejection({ a: values(5), b: values(5), c: values(7) }).message).toMatch(/too complex: 175 combinations/);
    // Nested levels multiply in: 3 values at level 2 count as 6.
    expect(rejection({ a: { b: values(3) }, c: values(26) }, 'MessageBody').message).toMatch(/156 combinations/);
    // $or alternatives add up.
    const or = { a: values(2), $or: [{ b: values(40) }, { c: values(40) }] };
    expect(rejection(or).message).toMatch(/160 combinations/);
  });

  it('the nested $or example: 32 combinations', () => {
    const policy = {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: {
        scope: ['Service'],
        $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }],
      },
    };
    expect(validateFilterPolicy(policy, 'MessageBody')).toBe(policy);
    const tooMany = { ...policy, extra: values(5) };
    expect(rejection(tooMany, 'MessageBody').message).toMatch(/160 combinations/);
  });

  it('policies over 256 KB, as text or as an object', () => {
    const big = { a: ['x'.repeat(300 * 1024)] };
    expect(rejection(big).message).toMatch(/at most 256 KB/);
    expect(rejection(JSON.stringify(big)).message).toMatch(/at most 256 KB/);
  });

  it('hostile nesting and cycles, without overflowing the stack', () => {
    let deep: Record<string, unknown> = { leaf: ['x'] };
    for (let i = 0; i < 10_000; i++) deep = { n: deep };
    expect(rejection(deep, 'MessageBody').message).toMatch(/nesting deeper than 64 levels/);
    const cyclic: Record<string, unknown> = { a: ['x'] };
    cyclic.self = cyclic;
    expect(rejection(cyclic, 'MessageBody').code).toBe('CAIRN_INVALID_FILTER_POLICY');
  });
});
