/** readOptions on its own: each reader's accepted values, bounds, fallbacks and exact messages. */
import { ConfigError } from '../../src/core/errors.js';
import { readOptions, type OptionReader } from '../../src/probes/option-reader.js';

const where = { file: 'm.json', field: 'rules[2].options' };
const reader = (options: Record<string, unknown>, known = Object.keys(options)): OptionReader => readOptions('p', options, known, where);

/** The value read, or the error as `field: problem`. */
function read(options: Record<string, unknown>, use: (r: OptionReader) => unknown): unknown {
  try {
    return use(reader(options, ['v']));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    expect(err.file).toBe('m.json');
    return `${err.field}: ${err.problem}`;
  }
}
const bad = (problem: string): string => `rules[2].options.v: p.v ${problem}`;

test('an unknown key names the known ones, or none', () => {
  expect(() => readOptions('p', { x: 1 }, ['a', 'b'], where)).toThrow('m.json: rules[2].options.x: p.x is not an option of probe p (known: a, b)');
  expect(() => readOptions('p', { x: 1 }, [], where)).toThrow('p.x is not an option of probe p (known: none)');
});

test.each<[string, Record<string, unknown>, (r: OptionReader) => unknown, unknown]>([
  ['percent fallback', {}, (r) => r.percent('v', 80), 80],
  ['percent 1', { v: 1 }, (r) => r.percent('v', 80), 1],
  ['percent 100', { v: 100 }, (r) => r.percent('v', 80), 100],
  ['percent 0', { v: 0 }, (r) => r.percent('v', 80), bad('must be 1–100, got 0')],
  ['percent 100.5', { v: 100.5 }, (r) => r.percent('v', 80), bad('must be 1–100, got 100.5')],
  ['percent as text', { v: '50' }, (r) => r.percent('v', 80), bad('must be 1–100, got "50"')],
  ['optional percent absent', {}, (r) => r.optionalPercent('v'), undefined],
  ['duration fallback', {}, (r) => r.duration('v', 7), 7],
  ['duration', { v: '1m30s' }, (r) => r.duration('v', 7), 90_000],
  ['duration 0s', { v: '0s' }, (r) => r.duration('v', 7), bad('must be a duration like "5s", got "0s"')],
  ['duration as a number', { v: 5 }, (r) => r.duration('v', 7), bad('must be a duration like "5s", got 5')],
  ['duration not Go', { v: '5 seconds' }, (r) => r.duration('v', 7), bad('must be a duration like "5s", got "5 seconds"')],
  ['integer fallback', {}, (r) => r.integer('v', 3, 1), 3],
  ['integer at min', { v: 1 }, (r) => r.integer('v', 3, 1), 1],
  ['integer below min, no max', { v: 0 }, (r) => r.integer('v', 3, 1), bad('must be an integer ≥ 1, got 0')],
  ['integer at max', { v: 10 }, (r) => r.integer('v', 3, 0, 10), 10],
  ['integer above max', { v: 11 }, (r) => r.integer('v', 3, 0, 10), bad('must be an integer 0–10, got 11')],
  ['integer below min with max', { v: -1 }, (r) => r.integer('v', 3, 0, 10), bad('must be an integer 0–10, got -1')],
  ['integer not safe', { v: 2 ** 53 }, (r) => r.integer('v', 3, 1), bad('must be an integer ≥ 1, got 9007199254740992')],
  ['integer as text', { v: '4' }, (r) => r.integer('v', 3, 1), bad('must be an integer ≥ 1, got "4"')],
  ['string fallback', {}, (r) => r.string('v', 'd'), 'd'],
  ['string', { v: 's' }, (r) => r.string('v', 'd'), 's'],
  ['string required', {}, (r) => r.string('v'), bad('is required')],
  ['string empty', { v: '' }, (r) => r.string('v', 'd'), bad('must be a non-empty string, got ""')],
  ['string a number', { v: 1 }, (r) => r.string('v'), bad('must be a non-empty string, got 1')],
  ['strings fallback', {}, (r) => r.strings('v', ['d']), ['d']],
  ['strings', { v: ['a', 'b'] }, (r) => r.strings('v', ['d']), ['a', 'b']],
  ['strings required', {}, (r) => r.strings('v'), bad('is required')],
  ['strings empty', { v: [] }, (r) => r.strings('v', ['d']), bad('must be a non-empty list of strings, got []')],
  ['strings with an empty one', { v: ['a', ''] }, (r) => r.strings('v'), bad('must be a non-empty list of strings, got ["a",""]')],
  ['strings with a number', { v: ['a', 1] }, (r) => r.strings('v'), bad('must be a non-empty list of strings, got ["a",1]')],
  ['strings a string', { v: 'a' }, (r) => r.strings('v'), bad('must be a non-empty list of strings, got "a"')],
  ['fail names the field', { v: 1 }, (r) => r.fail('v', 'is odd'), bad('is odd')],
])('%s', (_name, options, use, want) => {
  expect(read(options, use)).toEqual(want);
});
