/** The prefilter's pieces on their own: runs of left-out lines, which lines need context, needs covered, the cached filter. */
import { coversNeeds, createLinePrefilter, createOmittedRuns, createPrefilterCache, needsContext } from '../../src/sources/line-prefilter.js';

test('left-out lines are reported in runs of equal time, once per run; nothing without a consumer that counts', () => {
  const calls: [number, number][] = [];
  const runs = createOmittedRuns({ literals: ['x'], omitted: (t, n) => void calls.push([t, n]) });
  expect(runs.counted).toBe(false);
  expect(runs.flush()).toBe(false);
  runs.add(1000);
  runs.add(1000, 2);
  runs.add(1000, 0);
  runs.add(2000);
  expect(calls).toEqual([[1000, 3]]);
  expect(runs.flush()).toBe(true);
  expect(calls).toEqual([[1000, 3], [2000, 1]]);
  expect(runs.flush()).toBe(false);
  runs.add(2000);
  runs.flush();
  expect(calls).toEqual([[1000, 3], [2000, 1], [2000, 1]]);
  const uncounted = createOmittedRuns(undefined);
  expect(uncounted.counted).toBe(true);
  uncounted.add(1000);
  expect(uncounted.flush()).toBe(false);
});

test('needsContext: every line without tests, else a line any test picks', () => {
  const tests = [(m: string) => m === 'a', (m: string) => m === 'b'];
  expect(needsContext(undefined, 'z')).toBe(true);
  expect(needsContext(tests, 'b')).toBe(true);
  expect(needsContext(tests, 'z')).toBe(false);
});

test.each([
  [{ literals: ['a', 'b'], context: 0 }, { literals: ['a\nb'] }, true],
  [{ literals: ['a'], context: 0 }, { literals: ['a', 'b'] }, false],
  [{ literals: ['a'], context: 0 }, { literals: ['a\nb'] }, false],
  [{ literals: ['a'], context: 0 }, { literals: ['\na'] }, true],
  [{ literals: undefined, context: 0 }, { literals: ['a'], context: 3 }, true],
])('coversNeeds(%j, %j) = %s', (given, needs, want) => {
  expect(coversNeeds(given, needs)).toBe(want);
});

test('coversNeeds with context: every test asked for must be among those given', () => {
  const t1 = (m: string) => m === '1';
  const t2 = (m: string) => m === '2';
  expect(coversNeeds({ literals: ['a'], context: 2, contextTests: [t1, t2] }, { literals: ['a'], context: 1, contextTests: [t1, t2] })).toBe(true);
  expect(coversNeeds({ literals: ['a'], context: 2, contextTests: [t1] }, { literals: ['a'], context: 1, contextTests: [t1, t2] })).toBe(false);
});

test('the cached filter is rebuilt only when the literals change; context is a whole number, not below 0', () => {
  let literals: readonly string[] | undefined = ['a'];
  let context = 2.7;
  const interest = { get literals() { return literals; }, get context() { return context; } };
  const cache = createPrefilterCache(interest);
  const first = cache();
  expect(first?.context).toBe(2);
  expect(cache()?.filter).toBe(first?.filter);
  literals = ['b'];
  expect(cache()?.filter.literals).toEqual(['b']);
  context = -1;
  expect(cache()?.context).toBe(0);
  literals = undefined;
  expect(cache()).toBeUndefined();
  expect(createPrefilterCache(undefined)()).toBeUndefined();
});

test('search: the first position at or after `from` where any literal starts', () => {
  const next = createLinePrefilter(['ab', 'b']).search('xxabxb');
  expect([next(0), next(3), next(4), next(6)]).toEqual([2, 3, 5, -1]);
});
