import { createManualClock } from '../../../src/core/clock.js';
import { createEventCorrelator, cutMessage, formatTime, LruMap, type Correlation } from '../../../src/exporters/kubernetes/event-correlator.js';
import type { WireEvent } from '../../../src/kube/wire-types.js';

const ev = (reason: string, message: string, type = 'Warning', component = 'kernel-monitor'): WireEvent => ({
  metadata: { namespace: 'default' },
  involvedObject: { kind: 'Node', name: 'node-a', uid: 'uid-1', apiVersion: 'v1' },
  reason,
  message,
  type,
  source: { component, host: 'node-a' },
  reportingComponent: component,
  reportingInstance: 'node-a',
});

const actions = (cs: Correlation[]): string => cs.map((c) => c.action[0]).join('');

describe('event correlator', () => {
  test('identical events count up on the first one with a PATCH of count, lastTimestamp and message', async () => {
    const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const c = createEventCorrelator({ clock });
    const first = c.correlate(ev('OOMKilling', 'Killed process 1'));
    expect(first.action).toBe('create');
    if (first.action !== 'create') return;
    expect(first.event.count).toBe(1);
    expect(first.event.metadata.name).toMatch(/^node-a\.[0-9a-f]+$/);
    await clock.advance(2500);
    const second = c.correlate(ev('OOMKilling', 'Killed process 1'));
    expect(second).toEqual({
      action: 'patch',
      event: expect.objectContaining({ count: 2, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:02Z' }),
      patch: { count: 2, lastTimestamp: '2026-01-01T00:00:02Z', message: 'Killed process 1' },
    });
    if (second.action === 'patch') expect(second.event.metadata.name).toBe(first.event.metadata.name);
  });

  test('the 10th similar event (other messages) becomes "(combined from similar events)" and later ones count on it', () => {
    // As client-go: after aggregating, one message leaves the set, so every further distinct message
    // fills it to 10 again and is counted on the aggregate event.
    const clock = createManualClock();
    const c = createEventCorrelator({ clock });
    const out = Array.from({ length: 12 }, (_, i) => c.correlate(ev('OOMKilling', `Killed process ${i}`)));
    expect(actions(out)).toBe('ccccccccccpp');
    const tenth = out[9];
    expect(tenth?.action).toBe('create');
    if (tenth?.action === 'create') {
      expect(tenth.event.message).toBe('(combined from similar events): Killed process 9');
      expect(tenth.event.reportingComponent).toBeUndefined();
    }
    const last = out[11];
    if (last?.action === 'patch') expect(last.patch).toMatchObject({ count: 3, message: '(combined from similar events): Killed process 11' });
  });

  test('aggregation restarts after 10 minutes without a similar event', async () => {
    const clock = createManualClock();
    const c = createEventCorrelator({ clock });
    for (let i = 0; i < 9; i++) c.correlate(ev('TaskHung', `task ${i} blocked`));
    await clock.advance(600_001);
    const next = c.correlate(ev('TaskHung', 'task 9 blocked'));
    expect(next.action === 'create' && next.event.message).toBe('task 9 blocked');
  });

  test('spam filter: 25 at once, then 1 per 5 minutes', async () => {
    const clock = createManualClock();
    const c = createEventCorrelator({ clock });
    const out = Array.from({ length: 40 }, () => c.correlate(ev('OOMKilling', 'same')));
    expect(out.filter((o) => o.action !== 'skip')).toHaveLength(25);
    await clock.advance(299_000);
    expect(c.correlate(ev('OOMKilling', 'same')).action).toBe('skip');
    await clock.advance(1000);
    const after = c.correlate(ev('OOMKilling', 'same'));
    // The count includes the skipped ones: the next PATCH carries the true total.
    expect(after.action === 'patch' && after.patch.count).toBe(42);
    expect(c.correlate(ev('OOMKilling', 'same')).action).toBe('skip');
  });

  test.each([
    ['another reason of the same monitor', ev('OOMKilling', 'Killed process 7')],
    ['another monitor', ev('TaskHung', 'task blocked', 'Warning', 'docker-monitor')],
    ['a Normal event', ev('TaskHung', 'task blocked', 'Normal')],
  ])('a storm of one reason does not silence %s', (_name, other) => {
    const c = createEventCorrelator({ clock: createManualClock() });
    for (let i = 0; i < 1000; i++) c.correlate(ev('TaskHung', 'task blocked'));
    expect(c.correlate(other).action).not.toBe('skip');
  });

  test('updateState makes later duplicates patch the stored object', () => {
    const c = createEventCorrelator({ clock: createManualClock() });
    const first = c.correlate(ev('OOMKilling', 'x'));
    if (first.action !== 'create') throw new Error('expected create');
    c.updateState({ ...first.event, metadata: { ...first.event.metadata, name: 'server-name', resourceVersion: '77' }, count: 5 });
    const next = c.correlate(ev('OOMKilling', 'x'));
    expect(next.action === 'patch' && [next.event.metadata.name, next.event.metadata.resourceVersion, next.patch.count]).toEqual(['server-name', '77', 6]);
  });

  test('caches are bounded', () => {
    const lru = new LruMap<number, number>(3);
    for (let i = 0; i < 10; i++) lru.set(i, i);
    lru.get(7);
    lru.set(10, 10);
    expect(lru.size).toBe(3);
    expect(lru.get(7)).toBe(7);
    expect(lru.get(8)).toBeUndefined();
    const c = createEventCorrelator({ clock: createManualClock(), limits: { maxLruCacheEntries: 5 } });
    for (let i = 0; i < 100; i++) c.correlate(ev(`Reason${i}`, 'm'));
    // The first reason was evicted everywhere: it starts over as a create with count 1.
    const again = c.correlate(ev('Reason0', 'm'));
    expect(again.action === 'create' && again.event.count).toBe(1);
  });

  test('messages are cut to 1024 characters and times are whole seconds', () => {
    expect(cutMessage('x'.repeat(5000))).toHaveLength(1024);
    expect(cutMessage('short')).toBe('short');
    expect(formatTime(Date.parse('2026-01-01T00:00:01.999Z'))).toBe('2026-01-01T00:00:01Z');
    const c = createEventCorrelator({ clock: createManualClock() });
    const out = c.correlate(ev('OOMKilling', 'y'.repeat(3000)));
    expect(out.action === 'create' && out.event.message?.length).toBe(1024);
  });
});
