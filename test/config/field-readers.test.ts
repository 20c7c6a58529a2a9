/**
 * The typed field readers alone: each value read or its fallback, and the exact ConfigError (file,
 * field path, problem) for each wrong value, with how the wrong value is described.
 */
import { ConfigError } from '../../src/core/errors.js';
import {
  fieldPath,
  objectReader,
  readBoolean,
  readDuration,
  readInteger,
  readObjectArray,
  readString,
  readStringArray,
  readStringMap,
  type FieldReader,
} from '../../src/config/field-readers.js';

const at = (obj: Record<string, unknown>, path = 'rules[2]'): FieldReader => ({ file: 'm.json', path, obj });

const error = (read: () => unknown): ConfigError => {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('no error');
};

test('fieldPath: an index, a key below a path, a key at the root', () => {
  expect(fieldPath('rules', 3)).toBe('rules[3]');
  expect(fieldPath('', 0)).toBe('[0]');
  expect(fieldPath('rules[3]', 'pattern')).toBe('rules[3].pattern');
  expect(fieldPath('', 'source')).toBe('source');
});

test.each<[string, unknown, string]>([
  ['null', null, 'null'],
  ['an array', [1], 'an array'],
  ['a short string', 'abc', 'the string "abc"'],
  ['a string of 40', 'x'.repeat(40), `the string "${'x'.repeat(40)}"`],
  ['a long string, cut at 40', `${'y'.repeat(40)}z`, `the string "${'y'.repeat(40)}…"`],
  ['a number', 2.5, 'number 2.5'],
  ['a boolean', true, 'boolean true'],
])('objectReader describes %s', (_name, v, described) => {
  expect(error(() => objectReader('m.json', 'pluginConfig', v))).toMatchObject({ file: 'm.json', field: 'pluginConfig', problem: `must be an object, got ${described}` });
});

test('objectReader wraps an object with where it is', () => {
  const obj = { a: 1 };
  expect(objectReader('m.json', 'x', obj)).toEqual({ file: 'm.json', path: 'x', obj });
});

test('readString: a value, absent or null as undefined, required and empty', () => {
  expect(readString(at({ a: 'v' }), 'a')).toBe('v');
  expect(readString(at({ a: '' }), 'a')).toBe('');
  expect(readString(at({ a: null }), 'a')).toBeUndefined();
  expect(readString(at({}), 'a', false)).toBeUndefined();
  expect(readString(at({ a: 'v' }), 'a', true)).toBe('v');
  expect(error(() => readString(at({}), 'a', true))).toMatchObject({ field: 'rules[2].a', problem: 'is required' });
  expect(error(() => readString(at({ a: null }), 'a', true))).toMatchObject({ problem: 'is required' });
  expect(error(() => readString(at({ a: '' }), 'a', true))).toMatchObject({ field: 'rules[2].a', problem: 'must not be empty' });
  expect(error(() => readString(at({ a: 1 }), 'a'))).toMatchObject({ field: 'rules[2].a', problem: 'must be a string, got number 1' });
  expect(error(() => readString(at({ a: { b: 1 } }), 'a'))).toMatchObject({ problem: 'must be a string, got an object' });
});

test('readBoolean: the value, the fallback when absent or null, a wrong type', () => {
  expect(readBoolean(at({ a: false }), 'a', true)).toBe(false);
  expect(readBoolean(at({ a: true }), 'a', false)).toBe(true);
  expect(readBoolean(at({}), 'a', true)).toBe(true);
  expect(readBoolean(at({ a: null }), 'a', false)).toBe(false);
  expect(error(() => readBoolean(at({ a: 'true' }), 'a', false))).toMatchObject({ field: 'rules[2].a', problem: 'must be true or false, got the string "true"' });
});

test('readInteger: the value, the fallback, both bounds inclusive, a fraction and a wrong type', () => {
  expect(readInteger(at({ a: 1 }), 'a', 5, 1, 10)).toBe(1);
  expect(readInteger(at({ a: 10 }), 'a', 5, 1, 10)).toBe(10);
  expect(readInteger(at({}), 'a', 5, 1, 10)).toBe(5);
  expect(readInteger(at({ a: null }), 'a', 5, 1, 10)).toBe(5);
  expect(error(() => readInteger(at({ a: 0 }), 'a', 5, 1, 10))).toMatchObject({ field: 'rules[2].a', problem: 'must be 1–10, got 0' });
  expect(error(() => readInteger(at({ a: 11 }), 'a', 5, 1, 10))).toMatchObject({ problem: 'must be 1–10, got 11' });
  expect(error(() => readInteger(at({ a: 1.5 }), 'a', 5, 1, 10))).toMatchObject({ problem: 'must be an integer, got number 1.5' });
  expect(error(() => readInteger(at({ a: '3' }), 'a', 5, 1, 10))).toMatchObject({ problem: 'must be an integer, got the string "3"' });
});

test('readDuration: Go durations in ms, the fallback, zero only when not positive', () => {
  expect(readDuration(at({ a: '1h30m' }), 'a', 7)).toBe(5_400_000);
  expect(readDuration(at({}), 'a', 7)).toBe(7);
  expect(readDuration(at({}), 'a', undefined)).toBeUndefined();
  expect(readDuration(at({ a: '0s' }), 'a', 7)).toBe(0);
  expect(readDuration(at({ a: '0s' }), 'a', 7, { positive: false })).toBe(0);
  expect(readDuration(at({ a: '1ms' }), 'a', 7, { positive: true })).toBe(1);
  expect(error(() => readDuration(at({ a: '0s' }), 'a', 7, { positive: true }))).toMatchObject({ field: 'rules[2].a', problem: 'must be more than 0, got "0s"' });
  expect(error(() => readDuration(at({ a: '5 minutes' }), 'a', 7))).toMatchObject({
    field: 'rules[2].a', problem: 'must be a Go duration like "30s", "5m" or "1h30m", got "5 minutes"',
  });
});

test('readStringArray: the strings, [] when absent or null, each wrong item by index', () => {
  expect(readStringArray(at({ a: ['x', 'y'] }), 'a')).toEqual(['x', 'y']);
  expect(readStringArray(at({}), 'a')).toEqual([]);
  expect(readStringArray(at({ a: null }), 'a')).toEqual([]);
  expect(error(() => readStringArray(at({ a: 'x' }), 'a'))).toMatchObject({ field: 'rules[2].a', problem: 'must be an array of strings, got the string "x"' });
  expect(error(() => readStringArray(at({ a: ['x', null] }), 'a'))).toMatchObject({ file: 'm.json', field: 'rules[2].a[1]', problem: 'must be a string, got null' });
});

test('readStringMap: every value a non-empty string, {} when absent or null', () => {
  expect(readStringMap(at({ a: { k: 'v', l: 'w' } }), 'a')).toEqual({ k: 'v', l: 'w' });
  expect(readStringMap(at({}), 'a')).toEqual({});
  expect(readStringMap(at({ a: null }), 'a')).toEqual({});
  expect(error(() => readStringMap(at({ a: ['k'] }), 'a'))).toMatchObject({ field: 'rules[2].a', problem: 'must be an object, got an array' });
  expect(error(() => readStringMap(at({ a: { k: '' } }), 'a'))).toMatchObject({ field: 'rules[2].a.k', problem: 'must not be empty' });
});

test('readObjectArray: a reader per item, [] when absent unless required', () => {
  const items = readObjectArray(at({ a: [{ x: 1 }, { y: 2 }] }, ''), 'a');
  expect(items).toEqual([{ file: 'm.json', path: 'a[0]', obj: { x: 1 } }, { file: 'm.json', path: 'a[1]', obj: { y: 2 } }]);
  expect(readObjectArray(at({}), 'a')).toEqual([]);
  expect(readObjectArray(at({ a: null }), 'a', false)).toEqual([]);
  expect(error(() => readObjectArray(at({}), 'a', true))).toMatchObject({ field: 'rules[2].a', problem: 'is required' });
  expect(error(() => readObjectArray(at({ a: null }), 'a', true))).toMatchObject({ problem: 'is required' });
  expect(error(() => readObjectArray(at({ a: {} }), 'a'))).toMatchObject({ field: 'rules[2].a', problem: 'must be an array, got an object' });
  expect(error(() => readObjectArray(at({ a: [{}, 3] }), 'a'))).toMatchObject({ field: 'rules[2].a[1]', problem: 'must be an object, got number 3' });
});
