import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../errors.ts';
import { compileFilterPolicy, matchesFilterPolicy, validateFilterPolicy, type MessageAttributes } from './index.ts';

const KEYS = ['a', 'b', 'c', 'store', 'price'];
const word = fc.stringMatching(/^[a-c]{0,3}$/);
const smallInt = fc.integer({ min: -1000, max: 1000 });

const matchEntry: fc.Arbitrary<unknown> = fc.oneof(
  word,
  smallInt,
  fc.boolean(),
  fc.constant(null),
  word.map((prefix) => ({ prefix })),
  word.map((suffix) => ({ suffix })),
  word.map((s) => ({ 'equals-ignore-case': s.toUpperCase() })),
  word.map((s) => ({ wildcard: `${s}*` })),
  fc.array(fc.oneof(word, smallInt), { minLength: 1, maxLength: 3 }).map((xs) => ({ 'anything-but': xs })),
  word.map((prefix) => ({ 'anything-but': { prefix } })),
  fc.tuple(fc.constantFrom('<', '<=', '=', '>', '>='), smallInt).map(([op, n]) => ({ numeric: [op, n] })),
  fc.tuple(smallInt, fc.integer({ min: 1, max: 100 })).map(([lo, span]) => ({ numeric: ['>=', lo, '<', lo + span] })),
  fc.boolean().map((exists) => ({ exists })),
  fc.constantFrom({ cidr: '10.0.0.0/8' }, { cidr: '2001:db8::/32' }),
);
const flatPolicy = fc.dictionary(fc.constantFrom(...KEYS), fc.array(matchEntry, { minLength: 1, maxLength: 3 }), {
  minKeys: 1,
  maxKeys: 3,
});
/** At most 2 keys × 2 entries, so that an $or of three of them stays within 150 combinations. */
const smallPolicy = fc.dictionary(fc.constantFrom(...KEYS), fc.array(matchEntry, { minLength: 1, maxLength: 2 }), {
  minKeys: 1,
  maxKeys: 2,
});
const policy = fc.oneof(
  { arbitrary: flatPolicy, weight: 3 },
  fc.tuple(smallPolicy, smallPolicy, smallPolicy).map(([base, x, y]) => ({ ...base, $or: [x, y] })),
);
const bodyPolicy = fc.oneof(
  policy,
  fc.tuple(fc.constantFrom(...KEYS), smallPolicy).map(([k, p]) => ({ [k]: p })),
);

const scalar = fc.oneof(
  word,
  smallInt,
  fc.double({ noNaN: true, min: -2e9, max: 2e9 }),
  fc.boolean(),
  fc.constant(null),
);
const attribute: fc.Arbitrary<unknown> = fc.oneof(
  word.map((Value) => ({ Type: 'String', Value })),
  fc.oneof(smallInt.map(String), fc.string()).map((Value) => ({ Type: 'Number', Value })),
  fc.array(scalar).map((xs) => ({ Type: 'String.Array', Value: JSON.stringify(xs) })),
  fc.string().map((Value) => ({ Type: 'String.Array', Value })),
  fc.constantFrom('10.1.2.3', '2001:db8::7', '::ffff:10.0.0.1').map((Value) => ({ Type: 'String', Value })),
  fc.record({
    Type: fc.oneof(fc.constantFrom('Binary', 'Number.Array', 'String.custom'), fc.string()),
    Value: fc.anything(),
  }),
  fc.anything(),
);
const attributes = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), attribute, { maxKeys: 6 });
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(...KEYS),
    fc.oneof(scalar, fc.array(scalar), fc.dictionary(fc.constantFrom(...KEYS), scalar)),
  ),
);

const str = (Value: string) => ({ Type: 'String', Value });

describe('filter policy properties', () => {
  it('generated policies are valid in both scopes', () => {
    fc.assert(
      fc.property(policy, (p) => {
        validateFilterPolicy(p, 'MessageAttributes');
        validateFilterPolicy(p, 'MessageBody');
      }),
    );
  });

  it('validation throws nothing but CAIRN_INVALID_FILTER_POLICY on arbitrary values and text', () => {
    const check = (input: unknown) => {
      for (const scope of ['MessageAttributes', 'MessageBody'] as const) {
        try {
          validateFilterPolicy(input, scope);
        } catch (e) {
          expect(e).toBeInstanceOf(CairnError);
          expect((e as CairnError).code).toBe('CAIRN_INVALID_FILTER_POLICY');
        }
      }
    };
    fc.assert(fc.property(fc.anything(), check), { numRuns: 500 });
    fc.assert(
      fc.property(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        check,
      ),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.array(fc.jsonValue())), check), { numRuns: 500 });
  });

  it('matching never throws on random attributes', () => {
    fc.assert(
      fc.property(policy, attributes, (p, attrs) => {
        const result = matchesFilterPolicy(p, { messageAttributes: attrs as MessageAttributes });
        expect(typeof result).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('matching never throws on random bodies, nor on input of the wrong shape', () => {
    fc.assert(
      fc.property(bodyPolicy, body, fc.anything(), (p, messageBody, junk) => {
        expect(typeof matchesFilterPolicy(p, { messageBody })).toBe('boolean');
        const compiled = compileFilterPolicy(p, 'MessageBody');
        expect(typeof compiled.matches(junk as never)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('a policy with several keys matches exactly when each key alone matches (AND)', () => {
    fc.assert(
      fc.property(flatPolicy, attributes, (p, attrs) => {
        const input = { messageAttributes: attrs as MessageAttributes };
        const each = Object.entries(p).every(([k, v]) => matchesFilterPolicy({ [k]: v }, input));
        expect(matchesFilterPolicy(p, input)).toBe(each);
      }),
    );
  });

  it('$or matches exactly when one of its alternatives does', () => {
    fc.assert(
      fc.property(flatPolicy, flatPolicy, body, (x, y, messageBody) => {
        const input = { messageBody };
        const either = matchesFilterPolicy(x, input) || matchesFilterPolicy(y, input);
        expect(matchesFilterPolicy({ $or: [x, y] }, input)).toBe(either);
      }),
    );
  });

  it('a match list matches exactly when one of its entries does (OR), element by element for arrays', () => {
    fc.assert(
      fc.property(
        fc.array(matchEntry, { minLength: 1, maxLength: 4 }),
        fc.array(scalar, { maxLength: 4 }),
        (entries, xs) => {
          const input = { messageBody: { a: xs, other: 1 } };
          const any = entries.some((entry) => matchesFilterPolicy({ a: [entry] }, input));
          expect(matchesFilterPolicy({ a: entries }, input)).toBe(any);
        },
      ),
    );
  });

  it('exact, prefix and anything-but agree with their plain definitions on String attributes', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), word, (list, value) => {
        const input = { messageAttributes: { k: str(value) } };
        expect(matchesFilterPolicy({ k: list }, input)).toBe(list.includes(value));
        expect(matchesFilterPolicy({ k: [{ 'anything-but': list }] }, input)).toBe(!list.includes(value));
        expect(matchesFilterPolicy({ k: list.map((prefix) => ({ prefix })) }, input)).toBe(
          list.some((p) => value.startsWith(p)),
        );
      }),
    );
  });

  it('numeric ranges agree with plain comparison on Number attributes', () => {
    fc.assert(
      fc.property(smallInt, fc.integer({ min: 1, max: 500 }), smallInt, (low, span, value) => {
        const input = { messageAttributes: { n: { Type: 'Number', Value: String(value) } } };
        const inRange = matchesFilterPolicy({ n: [{ numeric: ['>', low, '<=', low + span] }] }, input);
        expect(inRange).toBe(value > low && value <= low + span);
      }),
    );
  });
});
