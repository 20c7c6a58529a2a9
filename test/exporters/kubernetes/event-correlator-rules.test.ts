/**
 * The correlator's rules at their edges: the 10-minute window slides, the spam bucket is capped,
 * what each key holds, the event names, messages at the limit, the LRU order.
 */
import { createManualClock } from '../../../src/core/clock.js';
import { createEventCorrelator, cutMessage, formatTime, LruMap, type Correlation } from '../../../src/exporters/kubernetes/event-correlator.js';
import type { WireEvent } from '../../../src/kube/wire-types.js';

const start = Date.parse('2026-01-01T00:00:00Z');
const ev = (reason: string, message: string, more: Partial<WireEvent> = {}): WireEvent => ({
  metadata: { namespace: 'default' },
  involvedObject: { kind: 'Node', name: 'node-a', uid: 'uid-1', apiVersion: 'v1' },
  reason,
  message,
  type: 'Warning',
  source: { component: 'kernel-monitor', host: 'node-a' },
  reportingComponent: 'kernel-monitor',
  reportingInstance: 'node-a',
  ...more,
});
const messageOf = (c: Correlation | undefined): string | undefined => (c === undefined || c.action === 'skip' ? undefined : c.event.message);

test('the aggregation window slides: similar events 5 minutes apart are combined at the 10th', async () => {
  const clock = createManualClock(start);
  const c = createEventCorrelator({ clock });
  const out: Correlation[] = [];
  for (let i = 0; i < 10; i++) {
    out.push(c.correlate(ev('TaskHung', `task ${i} blocked`)));
    await clock.advance(i < 8 ? 300_000 : 600_000); // the last gap is exactly the window: still similar
  }
  expect(messageOf(out[9])).toBe('(combined from similar events): task 9 blocked');
});

test('the combined event is a new object of its own, in the namespace of the events', () => {
  const clock = createManualClock(start);
  const c = createEventCorrelator({ clock });
  const out = Array.from({ length: 10 }, (_, i) => c.correlate(ev('OOMKilling', `Killed process ${i}`, { metadata: { namespace: 'kube-system' } })));
  const names = out.map((o) => (o.action === 'create' ? o.event.metadata.name : undefined));
  expect(new Set(names).size).toBe(10);
  expect(names.every((n) => n?.startsWith('node-a.'))).toBe(true);
  expect(out[9]).toMatchObject({ action: 'create', event: { metadata: { namespace: 'kube-system' }, count: 1, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z' } });
});

test('event names are the object\'s name and the time in nanoseconds in hex, unique within a millisecond (as client-go)', () => {
  const clock = createManualClock(start + 1);
  const c = createEventCorrelator({ clock });
  const names = [c.correlate(ev('A', 'x')), c.correlate(ev('B', 'x'))].map((o) => (o.action === 'create' ? o.event.metadata.name : undefined));
  const ns = BigInt(start + 1) * 1_000_000n;
  expect(names).toEqual([`node-a.${ns.toString(16)}`, `node-a.${(ns + 1n).toString(16)}`]);
});

test('the spam bucket holds at most 25 tokens however long it was idle, and counts messages of one reason together', async () => {
  const clock = createManualClock(start);
  const c = createEventCorrelator({ clock });
  const sent = (n: number): number => Array.from({ length: n }, (_, i) => c.correlate(ev('OOMKilling', `Killed process ${i}`))).filter((o) => o.action !== 'skip').length;
  expect(sent(30)).toBe(25);
  await clock.advance(10 * 3_600_000); // 120 tokens' worth of time
  expect(sent(30)).toBe(25);
  await clock.advance(150_000); // half a token
  expect(sent(1)).toBe(0);
  await clock.advance(150_000);
  expect(sent(2)).toBe(1);
});

const node = { kind: 'Node', name: 'node-a', uid: 'uid-1', apiVersion: 'v1' };
test.each([
  ['another source component', { source: { component: 'docker-monitor', host: 'node-a' } }],
  ['another kind', { involvedObject: { ...node, kind: 'Pod' } }],
  ['another namespace', { involvedObject: { ...node, namespace: 'shop' } }],
  ['another name', { involvedObject: { ...node, name: 'node-b' } }],
  ['another uid', { involvedObject: { ...node, uid: 'uid-2' } }],
  ['another apiVersion', { involvedObject: { ...node, apiVersion: 'v2' } }],
  ['another type', { type: 'Normal' }],
  ['another fieldPath', { involvedObject: { kind: 'Node', name: 'node-a', uid: 'uid-1', apiVersion: 'v1', fieldPath: 'spec' } }],
  ['another source host', { source: { component: 'kernel-monitor', host: 'node-b' } }],
  ['another object', { involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'uid-2', apiVersion: 'v1' } }],
])('an event with %s is not a duplicate', (_name, more) => {
  const c = createEventCorrelator({ clock: createManualClock(start) });
  c.correlate(ev('OOMKilling', 'Killed'));
  expect(c.correlate(ev('OOMKilling', 'Killed', more)).action).toBe('create');
});

test('events correlated in turn keep their own keys', () => {
  const c = createEventCorrelator({ clock: createManualClock(start) });
  const actions = ['A', 'B', 'A', 'B', 'C'].map((r) => c.correlate(ev(r, 'm')).action);
  expect(actions).toEqual(['create', 'create', 'patch', 'patch', 'create']);
});

test('a stored event without count or first timestamp counts from 1; one without a name is ignored', () => {
  const c = createEventCorrelator({ clock: createManualClock(start) });
  const first = c.correlate(ev('OOMKilling', 'x'));
  if (first.action !== 'create') throw new Error('expected create');
  const { count: _count, firstTimestamp: _first, ...bare } = first.event;
  c.updateState({ ...bare, metadata: { ...bare.metadata, name: 'stored' } });
  c.updateState({ ...bare, metadata: { namespace: 'default' } });
  const next = c.correlate(ev('OOMKilling', 'x'));
  expect(next.action === 'patch' && [next.event.metadata.name, next.patch.count, next.event.firstTimestamp]).toEqual(['stored', 2, '']);
});

test('a message of exactly 1024 characters is kept; one more is cut with an ellipsis', () => {
  expect(cutMessage('y'.repeat(1024))).toBe('y'.repeat(1024));
  expect(cutMessage('y'.repeat(1025))).toBe(`${'y'.repeat(1021)}...`);
});

test('times are formatted for each second in turn, not only the first', () => {
  const a = Date.parse('2026-01-01T00:00:01.500Z');
  const b = Date.parse('2026-01-01T00:00:02.000Z');
  expect([formatTime(a), formatTime(a + 1), formatTime(b), formatTime(a)]).toEqual([
    '2026-01-01T00:00:01Z', '2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:01Z',
  ]);
});

test('the LRU evicts the least recently set or read; reading a missing key adds nothing', () => {
  const lru = new LruMap<string, number>(3);
  lru.set('a', 1);
  lru.set('b', 2);
  lru.set('c', 3);
  lru.set('a', 4); // a is the newest now
  lru.set('d', 5);
  expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.get('d')]).toEqual([4, undefined, 3, 5]);
  lru.get('c');
  lru.get('x');
  expect(lru.size).toBe(3);
  lru.set('e', 6); // a was read least recently
  expect([lru.get('a'), lru.get('c'), lru.get('d'), lru.get('e')]).toEqual([undefined, 3, 5, 6]);
});

test.each([
  ['reporting component', { reportingComponent: 'other' }],
  ['reporting instance', { reportingInstance: 'other' }],
  ['reason', { reason: 'TaskHung' }],
  ['type', { type: 'Normal' }],
])('similar events of another %s are not combined with the others', (_name, more) => {
  const c = createEventCorrelator({ clock: createManualClock(start) });
  for (let i = 0; i < 9; i++) c.correlate(ev('OOMKilling', `Killed process ${i}`));
  expect(messageOf(c.correlate(ev('OOMKilling', 'Killed process 9', more)))).toBe('Killed process 9');
});

test('after combining, a message seen before counts on its own event again, not on the combined one', () => {
  const c = createEventCorrelator({ clock: createManualClock(start) });
  for (let i = 0; i < 10; i++) c.correlate(ev('OOMKilling', `Killed process ${i}`));
  const again = c.correlate(ev('OOMKilling', 'Killed process 5'));
  expect(again.action === 'patch' && [again.patch.count, again.patch.message]).toEqual([2, 'Killed process 5']);
});
