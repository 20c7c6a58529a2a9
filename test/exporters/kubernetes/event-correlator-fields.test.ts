/**
 * The correlator's keys: a field the apiserver leaves out of a stored event (it omits empty strings)
 * is the same as an empty one, every identifying field tells events apart, and a storm of one event
 * builds its keys once.
 */
import { jest } from '@jest/globals';
import { createManualClock } from '../../../src/core/clock.js';
import { createEventCorrelator, formatTime, LruMap } from '../../../src/exporters/kubernetes/event-correlator.js';
import type { WireEvent } from '../../../src/kube/wire-types.js';

/** Every optional field empty, and the same event with them left out. */
const empty: WireEvent = {
  metadata: { namespace: 'default' },
  involvedObject: { kind: '', namespace: '', name: '', uid: '', apiVersion: '', fieldPath: '' },
  reason: '',
  message: '',
  type: '',
  source: { component: '', host: '' },
  reportingComponent: '',
  reportingInstance: '',
};
const bare: WireEvent = { metadata: { namespace: 'default' }, involvedObject: {} };

const node: WireEvent = {
  metadata: { namespace: 'default' },
  involvedObject: { kind: 'Node', name: 'node-a', uid: 'uid-1', apiVersion: 'v1' },
  reason: 'OOMKilling',
  message: 'Killed process 1',
  type: 'Warning',
  source: { component: 'kernel-monitor', host: 'node-a' },
  reportingComponent: 'kernel-monitor',
  reportingInstance: 'node-a',
};

test('an event without its optional fields is the same event as one with them empty', () => {
  const c = createEventCorrelator({ clock: createManualClock() });
  const created = c.correlate(bare);
  expect(created.action === 'create' && created.event.metadata.name).toMatch(/^\.[0-9a-f]+$/);
  expect(c.correlate(empty)).toMatchObject({ action: 'patch', patch: { count: 2, message: '' } });
});

test('the stored event, its empty fields left out, is the one later duplicates patch', () => {
  const c = createEventCorrelator({ clock: createManualClock() });
  const created = c.correlate(empty);
  if (created.action !== 'create') throw new Error(created.action);
  c.updateState({ metadata: { name: 'stored-1', resourceVersion: '7' }, involvedObject: {}, count: 5 });
  expect(c.correlate(empty)).toMatchObject({ action: 'patch', event: { metadata: { name: 'stored-1', resourceVersion: '7' } }, patch: { count: 6 } });
  // A stored object without metadata tells nothing.
  expect(() => c.updateState({ involvedObject: {} } as unknown as WireEvent)).not.toThrow();
});

test('similar events aggregate, and share a spam bucket, whether their empty fields are given or left out', () => {
  const c = createEventCorrelator({ clock: createManualClock(), limits: { aggregateMaxEvents: 2, spamBurst: 3 } });
  expect(c.correlate({ ...empty, message: 'a' }).action).toBe('create');
  expect(c.correlate({ ...bare, message: 'b' })).toMatchObject({ action: 'create', event: { message: '(combined from similar events): b' } });
  expect(c.correlate({ ...bare, message: 'c' }).action).toBe('patch');
  expect(c.correlate({ ...empty, message: 'd' }).action).toBe('skip');
});

test.each<[string, (e: WireEvent) => WireEvent]>([
  ['the object\'s namespace', (e) => ({ ...e, involvedObject: { ...e.involvedObject, namespace: 'kube-system' } })],
  ['the field path', (e) => ({ ...e, involvedObject: { ...e.involvedObject, fieldPath: 'spec.containers{a}' } })],
])('events that differ only in %s are two events', (_name, change) => {
  const c = createEventCorrelator({ clock: createManualClock() });
  expect(c.correlate(node).action).toBe('create');
  expect(c.correlate(change(node)).action).toBe('create');
  expect(c.correlate(change(node)).action).toBe('patch');
});

test('a storm of one event builds its keys once', () => {
  const c = createEventCorrelator({ clock: createManualClock() });
  c.correlate(node);
  const stringify = jest.spyOn(JSON, 'stringify');
  try {
    expect(c.correlate({ ...node }).action).toBe('patch');
    expect(stringify).not.toHaveBeenCalled();
    c.correlate({ ...node, message: 'Killed process 2' });
    expect(stringify).toHaveBeenCalledTimes(3);
  } finally {
    stringify.mockRestore();
  }
});

test('a flood formats each second once, and touching the newest cache entry again does not reorder the cache', () => {
  const lru = new LruMap<string, number>(2);
  lru.set('a', 1);
  const iso = jest.spyOn(Date.prototype, 'toISOString');
  const remove = jest.spyOn(Map.prototype, 'delete');
  try {
    const t = Date.parse('2026-03-01T10:00:00Z');
    expect(formatTime(t)).toBe('2026-03-01T10:00:00Z');
    expect(formatTime(t + 999)).toBe('2026-03-01T10:00:00Z');
    expect(iso).toHaveBeenCalledTimes(1);
    lru.set('a', 2);
    expect(lru.get('a')).toBe(2);
    expect(remove).not.toHaveBeenCalled();
  } finally {
    iso.mockRestore();
    remove.mockRestore();
  }
});
