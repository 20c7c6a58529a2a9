/**
 * `readFields` over small hand-made field tables: each kind of field, its default, and each check a
 * table states (required, requiredWhen, with, oneOf, enum) with its exact ConfigError.
 */
import { ConfigError } from '../../src/core/errors.js';
import type { ObjectSpec } from '../../src/config/field-spec.js';
import { readFields } from '../../src/config/read-fields.js';

const read = (spec: ObjectSpec, obj: Record<string, unknown>, path = 'rules[1]'): Record<string, unknown> =>
  readFields({ file: 'm.json', path, obj }, spec) as Record<string, unknown>;

const fails = (spec: ObjectSpec, obj: Record<string, unknown>): ConfigError => {
  try {
    read(spec, obj);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('no error');
};

const kinds: ObjectSpec = {
  fields: {
    s: { type: 'string', default: 'dflt' },
    b: { type: 'boolean', default: true },
    i: { type: 'integer', min: 1, max: 9, default: 4 },
    j: { type: 'integer', min: 1, max: 9 },
    d: { type: 'duration', default: '5m' },
    e: { type: 'duration' },
    p: { type: 'duration', positive: true },
    l: { type: 'strings' },
    m: { type: 'stringMap' },
    a: { type: 'anyObject' },
    o: { type: 'object', spec: { fields: { x: { type: 'integer', min: 0, max: 5, default: 2 } } } },
    items: { type: 'list', item: { fields: { n: { type: 'string', required: true } } } },
  },
};

test('absent fields get their defaults', () => {
  expect(read(kinds, {})).toEqual({ s: 'dflt', b: true, i: 4, j: undefined, d: 300_000, e: undefined, p: undefined, l: [], m: {}, a: {}, o: { x: 2 }, items: [] });
});

test('given fields are read, each by its kind, objects and list items at their paths', () => {
  const got = read(kinds, {
    s: 'v', b: false, i: 9, j: 1, d: '1s', e: '0s', p: '2s', l: ['x'], m: { k: 'v' }, a: { any: [1] }, o: { x: 5 }, items: [{ n: 'one' }],
  });
  expect(got).toEqual({
    s: 'v', b: false, i: 9, j: 1, d: 1000, e: 0, p: 2000, l: ['x'], m: { k: 'v' }, a: { any: [1] }, o: { x: 5 },
    items: [{ at: { file: 'm.json', path: 'rules[1].items[0]', obj: { n: 'one' } }, values: { n: 'one' } }],
  });
});

test.each<[string, Record<string, unknown>, string, string]>([
  ['an integer out of range', { j: 10 }, 'rules[1].j', 'must be 1–9, got 10'],
  ['a duration that must be positive', { p: '0s' }, 'rules[1].p', 'must be more than 0, got "0s"'],
  ['an anyObject that is a list', { a: [] }, 'rules[1].a', 'must be an object, got an array'],
  ['an object that is a string', { o: 'x' }, 'rules[1].o', 'must be an object, got the string "x"'],
  ['a nested field', { o: { x: 6 } }, 'rules[1].o.x', 'must be 0–5, got 6'],
  ['a list item field', { items: [{ n: 'a' }, {}] }, 'rules[1].items[1].n', 'is required'],
])('%s: the field path and problem', (_name, obj, field, problem) => {
  expect(fails(kinds, obj)).toMatchObject({ file: 'm.json', field, problem });
});

test.each<[string, readonly string[], string]>([
  ['one value', ['only'], 'must be "only", got "x"'],
  ['two values', ['a', 'b'], 'must be "a" or "b", got "x"'],
  ['three values', ['a', 'b', 'c'], 'must be "a", "b" or "c", got "x"'],
])('an enum of %s names every value', (_name, values, problem) => {
  expect(fails({ fields: { t: { type: 'string', enum: values } } }, { t: 'x' })).toMatchObject({ field: 'rules[1].t', problem });
});

test('an enum: a listed value, its default, and an absent optional field', () => {
  expect(read({ fields: { t: { type: 'string', enum: ['a', 'b'] } } }, { t: 'b' })).toEqual({ t: 'b' });
  expect(read({ fields: { t: { type: 'string', enum: ['a', 'b'], default: 'a' } } }, {})).toEqual({ t: 'a' });
  expect(read({ fields: { t: { type: 'string', enum: ['a', 'b'] } } }, {})).toEqual({ t: undefined });
});

test.each<[string, ObjectSpec['fields'][string], string]>([
  ['a string', { type: 'string', required: true }, 'is required'],
  ['a boolean', { type: 'boolean', default: false, required: true }, 'is required'],
  ['a list', { type: 'list', item: { fields: {} }, required: true }, 'is required'],
])('a required %s that is absent', (_name, field, problem) => {
  expect(fails({ fields: { f: field } }, {})).toMatchObject({ field: 'rules[1].f', problem });
  expect(fails({ fields: { f: field } }, { f: null })).toMatchObject({ field: 'rules[1].f', problem });
});

test('a required string that is empty', () => {
  expect(fails({ fields: { f: { type: 'string', required: true } } }, { f: '' })).toMatchObject({ problem: 'must not be empty' });
});

const when: ObjectSpec = {
  fields: {
    plugin: { type: 'string' },
    logPath: { type: 'string', requiredWhen: { field: 'plugin', in: ['filelog', 'other'] } },
  },
};

test.each<[string, Record<string, unknown>, string | undefined]>([
  ['required for a listed value', { plugin: 'filelog' }, 'is required'],
  ['for the second listed value', { plugin: 'other' }, 'is required'],
  ['not for another value', { plugin: 'kmsg' }, undefined],
  ['not when the field it depends on is absent', {}, undefined],
])('requiredWhen: %s', (_name, obj, problem) => {
  if (problem === undefined) expect(read(when, obj)).toMatchObject({ logPath: undefined });
  else expect(fails(when, obj)).toMatchObject({ field: 'rules[1].logPath', problem });
});

test('requiredWhen looks only at a string value read before', () => {
  const spec: ObjectSpec = { fields: { n: { type: 'integer', min: 0, max: 9 }, f: { type: 'string', requiredWhen: { field: 'n', in: ['1'] } } } };
  expect(read(spec, { n: 1 })).toEqual({ n: 1, f: undefined });
});

const pair: ObjectSpec = {
  fields: {
    count: { type: 'integer', min: 1, max: 99 },
    window: { type: 'duration', with: 'count', required: true, example: '5m' },
    note: { type: 'string', with: 'count' },
    extra: { type: 'string', with: 'count', required: true },
  },
};

test.each<[string, Record<string, unknown>, string, string]>([
  ['a field without its partner', { window: '1m' }, 'rules[1].window', 'is only allowed together with "count"'],
  ['an optional one without its partner', { note: 'n' }, 'rules[1].note', 'is only allowed together with "count"'],
  ['the partner without a required field, with its example', { count: 2, extra: 'e' }, 'rules[1].window', 'is required with "count" (e.g. "5m")'],
  ['the partner without a required field, no example', { count: 2, window: '1m' }, 'rules[1].extra', 'is required with "count"'],
])('with: %s', (_name, obj, field, problem) => {
  expect(fails(pair, obj)).toMatchObject({ field, problem });
});

test('with: both given, or neither; an optional one may be left out', () => {
  expect(read(pair, { count: 2, window: '1m', extra: 'e' })).toEqual({ count: 2, window: 60_000, note: undefined, extra: 'e' });
  expect(read(pair, {})).toEqual({ count: undefined, window: undefined, note: undefined, extra: undefined });
});

const either: ObjectSpec = {
  name: 'rule',
  fields: { pattern: { type: 'string', short: 'a regex' }, probe: { type: 'string' } },
  oneOf: ['pattern', 'probe'],
};

test.each<[string, ObjectSpec, Record<string, unknown>, string, string]>([
  ['neither', either, {}, 'rules[1].pattern', 'a rule needs either "pattern" (a regex) or "probe"'],
  ['neither, null', either, { pattern: null, probe: null }, 'rules[1].pattern', 'a rule needs either "pattern" (a regex) or "probe"'],
  ['both', either, { pattern: 'x', probe: 'y' }, 'rules[1].probe', 'a rule has either "pattern" or "probe", not both'],
  ['an unnamed object', { ...either, name: undefined }, {}, 'rules[1].pattern', 'an object needs either "pattern" (a regex) or "probe"'],
])('oneOf: %s', (_name, spec, obj, field, problem) => {
  expect(fails(spec, obj)).toMatchObject({ field, problem });
});

test('oneOf: either one alone', () => {
  expect(read(either, { pattern: 'x' })).toEqual({ pattern: 'x', probe: undefined });
  expect(read(either, { probe: 'y' })).toEqual({ pattern: undefined, probe: 'y' });
});
