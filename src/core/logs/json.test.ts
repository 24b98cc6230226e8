import { describe, expect, it } from 'vitest';
import { compileFilterPattern, parseFilterPattern } from './index.ts';

/** The two example events of AWS's JSON filter pattern documentation. */
const trail = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
});
const users = JSON.stringify(
  {
    user: { id: 1, email: 'John.Stiles@example.com' },
    users: [
      { id: 2, email: 'John.Doe@example.com' },
      { id: 3, email: 'Jane.Doe@example.com' },
    ],
    actions: ['GET', 'PUT', 'DELETE'],
    coordinates: [
      [0, 1, 2],
      [4, 5, 6],
      [7, 8, 9],
    ],
  },
  null,
  2, // multi-line, as printed in the docs
);

const matches = (pattern: string, event: string): boolean => compileFilterPattern(pattern).matches(event);

describe('JSON patterns (AWS documentation examples)', () => {
  it.each([
    '{ $.eventType = "UpdateTrail" }',
    '{ $.eventType = UpdateTrail }',
    '{ $.sourceIPAddress != 123.123.* }',
    '{ $.arrayKey[0] = "value" }',
    '{ $.objectList[1].id = 2 }',
    '{ $.SomeObject IS NULL }',
    '{ $.SomeOtherObject NOT EXISTS }',
    '{ $.ThisFlag IS TRUE }',
    '{ $.eventType = *Trail }',
    '{ $.eventType = Update* }',
    '{ $.eventType = *pdateTra* }',
    '{ $.eventType = %^Update[A-Z]% }',
  ])('matches the CloudTrail example with %s', (pattern) => {
    expect(matches(pattern, trail)).toBe(true);
  });

  it.each([
    '{ $.eventType = "updatetrail" }',
    '{ $.sourceIPAddress != 111.111.* }',
    '{ $.arrayKey[2] = "value" }',
    '{ $.objectList[1].id = 1 }',
    '{ $.objectList.id = 1 }',
    '{ $.eventType IS NULL }',
    '{ $.Missing IS NULL }',
    '{ $.eventType NOT EXISTS }',
    '{ $.ThisFlag IS FALSE }',
    '{ $.eventType = Up*Trail }',
    '{ $.arrayKey = "value" }',
    '{ $.arrayKey != "value" }',
    '{ $.Missing != "x" }',
    '{ $.eventType != %Trail% }',
  ])('does not match the CloudTrail example with %s', (pattern) => {
    expect(matches(pattern, trail)).toBe(false);
  });

  it('evaluates compound conditions with () > && > ||', () => {
    expect(matches('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', users)).toBe(true);
    expect(matches('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', users)).toBe(false);
    expect(
      matches(
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }',
        users,
      ),
    ).toBe(true);
    expect(
      matches(
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }',
        users,
      ),
    ).toBe(false);
    expect(matches('{ $.coordinates[2][0] = 7 && $.actions[1] = PUT }', users)).toBe(true);
  });

  it('ORs conditions: {$.foo = bar || $.foo = baz}', () => {
    const events = ['{"foo": "bar"}', '{"foo": "baz"}', '{"foo": "qux"}'];
    expect(events.map((e) => matches('{$.foo = bar}', e))).toEqual([true, false, false]);
    expect(events.map((e) => matches('{$.foo = baz }', e))).toEqual([false, true, false]);
    expect(events.map((e) => matches('{$.foo = bar || $.foo = baz }', e))).toEqual([true, true, false]);
  });

  it('needs the selector to reach a string or a number: an array is neither = nor != 1', () => {
    expect(matches('{$.users = 1}', '{"users": [1, 2, 3]}')).toBe(false);
    expect(matches('{$.users != 1}', '{"users": [1, 2, 3]}')).toBe(false);
    expect(matches('{$.o = *}', '{"o": {}}')).toBe(false);
    expect(matches('{$.b = true}', '{"b": true}')).toBe(false);
  });

  it('compares numbers, with signs, decimals and scientific notation', () => {
    const numbers =
      '{"latency": 500, "numbers": [9999, 0.0009], "processes": [0,0,0,0,{"averageRuntime": 55.5}], "errorCode": 400}';
    for (const p of [
      '{ $.latency >= 500 }',
      '{ $.numbers[0] < 10e3 }',
      '{ $.numbers[1] < 10e-3 }',
      '{ $.processes[4].averageRuntime <= 55.5 }',
      '{ $.errorCode = 400 }',
      '{ $.errorCode != 500 }',
      '{ $.latency > +100 }',
      '{ $.latency > -1.5E-2 }',
      '{ $.latency = 5e2 }',
      '{ $.latency = 500.0 }',
    ]) {
      expect(matches(p, numbers), p).toBe(true);
    }
    for (const p of ['{ $.latency > 500 }', '{ $.numbers[0] > 1e4 }', '{ $.errorCode = 4e3 }', '{ $.latency < 500 }']) {
      expect(matches(p, numbers), p).toBe(false);
    }
    expect(matches('{ $.n > 1000 }', '{"n": 1.5e3}')).toBe(true);
    expect(matches('{ $.n < 0 }', '{"n": -1E-9}')).toBe(true);
  });

  it('compares a string that spells a number as that number, and other strings never as < or >', () => {
    expect(matches('{ $.latency > 100 }', '{"latency": "500"}')).toBe(true);
    expect(matches('{ $.latency > 100 }', '{"latency": "slow"}')).toBe(false);
    expect(matches('{ $.latency != 100 }', '{"latency": "slow"}')).toBe(true);
    expect(matches('{ $.code = "200" }', '{"code": 200}')).toBe(true);
  });

  it('publishes the latency example: { $.latency = * } matches a number', () => {
    expect(matches('{ $.latency = * }', '{"latency": 50, "requestType": "GET"}')).toBe(true);
    expect(matches('{ $.latency = "*" }', '{"latency": 50}')).toBe(true);
    expect(matches('{ $.latency = * }', '{"requestType": "GET"}')).toBe(false);
    expect(matches('{ $.latency = * }', '{"latency": null}')).toBe(false);
  });

  it('selects any property or element with .* and [*]', () => {
    expect(matches('{ $.objectList[*].name = "b" }', trail)).toBe(true);
    expect(matches('{ $.objectList[*].name = "c" }', trail)).toBe(false);
    expect(matches('{ $.* = "UpdateTrail" }', trail)).toBe(true);
    expect(matches('{ $.*.id = 1 }', '{"a": {"id": 1}, "b": {"id": 2}}')).toBe(true);
    expect(matches('{ $.arrayKey[*] NOT EXISTS }', '{"arrayKey": []}')).toBe(true);
    expect(matches('{ $.list[*] IS NULL }', '{"list": [1, null]}')).toBe(true);
  });

  it('never matches an event that is not a JSON object', () => {
    for (const event of [
      'foo=bar',
      '',
      '[{"foo": "bar"}]',
      '"bar"',
      '{"foo": "bar"',
      '{"foo": "bar"} trailing',
      "{'foo': 'bar'}",
      'x {"foo": "bar"}',
    ]) {
      expect(matches('{ $.foo = "bar" }', event), event).toBe(false);
      expect(matches('{ $.foo NOT EXISTS }', event), event).toBe(false);
    }
    expect(matches('{ $.foo = "bar" }', ' \t{"foo": "bar"}\n')).toBe(true);
  });

  it('reads the event as JSON.parse does: escapes, repeated keys, own properties only', () => {
    expect(matches('{ $.level = "ERROR" }', '{"\\u006cevel": "\\u0045RROR"}')).toBe(true);
    expect(matches('{ $.msg = "say \\"hi\\"" }', '{"msg": "say \\"hi\\""}')).toBe(true);
    expect(matches('{ $.level = "ERROR" }', '{"level": "ERROR", "level": "INFO"}')).toBe(false);
    expect(matches('{ $.level = "INFO" }', '{"level": "ERROR", "level": "INFO"}')).toBe(true);
    expect(matches('{ $.a.b = 1 }', '{"a": {"b": 1}, "a": 5}')).toBe(false);
    expect(matches('{ $.constructor NOT EXISTS }', '{}')).toBe(true);
    expect(matches('{ $.length NOT EXISTS }', '{"list": []}')).toBe(true);
    expect(matches('{ $.list.length = 0 }', '{"list": []}')).toBe(false);
  });

  it('counts matching lines of a text, escaped ones included', () => {
    const text = [
      '{"level": "ERROR", "n": 1}',
      '{"level": "INFO"}',
      '{"\\u006cevel": "ERROR"}',
      'ERROR not json',
      '{"msg": "\\"quoted\\"", "level": "ERROR"}',
      '{"level": "ERROR"',
      '{"level":"ERROR"}\r',
    ].join('\n');
    const seen: string[] = [];
    compileFilterPattern('{ $.level = "ERROR" }').forEachMatchingLine(text, (l) => seen.push(l));
    expect(seen).toEqual([
      '{"level": "ERROR", "n": 1}',
      '{"\\u006cevel": "ERROR"}',
      '{"msg": "\\"quoted\\"", "level": "ERROR"}',
      '{"level":"ERROR"}',
    ]);
    expect(compileFilterPattern('{ $.level = "ERROR" }').countMatchingLines(text)).toBe(4);
  });

  it('does not mistake a value or a nested key for the selected key', () => {
    expect(matches('{ $.level = "ERROR" }', '{"msg": "level", "x": "ERROR"}')).toBe(false);
    expect(matches('{ $.status = 500 }', '{"inner": {"status": 500}, "status": 200}')).toBe(false);
    expect(matches('{ $.status = 500 }', '{"inner": {"status": 200}, "status": 500}')).toBe(true);
    expect(matches('{ $.latency > 10 }', '{"latency" : 11}')).toBe(true);
  });

  it('accepts keywords in any case and parses a typed AST', () => {
    expect(matches('{ $.ThisFlag is true }', trail)).toBe(true);
    expect(parseFilterPattern('{ $.a = 1 || $.b IS NULL && $.c NOT EXISTS }')).toEqual({
      kind: 'json',
      expression: {
        kind: 'or',
        left: {
          kind: 'compare',
          selector: { text: '$.a', path: [{ kind: 'key', key: 'a' }], column: 3 },
          op: '=',
          value: { kind: 'number', value: 1, text: '1' },
        },
        right: {
          kind: 'and',
          left: { kind: 'is', selector: { text: '$.b', path: [{ kind: 'key', key: 'b' }], column: 14 }, value: null },
          right: { kind: 'not-exists', selector: { text: '$.c', path: [{ kind: 'key', key: 'c' }], column: 29 } },
        },
      },
    });
  });
});
