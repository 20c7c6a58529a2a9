import { createManualClock } from '../../../src/core/clock.js';
import { createConditionStore, type ConditionSync } from '../../../src/exporters/kubernetes/condition-store.js';
import { cond, HB, rig, t0 } from './condition-rig.js';

describe('condition store', () => {
  test('a change is sent once after the coalescing delay, with the newest state per type', async () => {
    const r = rig();
    r.store.update([cond('KernelDeadlock')]);
    r.store.update([cond('KernelDeadlock', 'True', 'DockerHung')]);
    r.store.update([cond('ReadonlyFilesystem')]);
    await r.clock.advance(14);
    expect(r.syncs).toHaveLength(0);
    await r.clock.advance(1);
    expect(r.syncs).toHaveLength(1);
    expect(r.syncs[0]?.conditions.map((c) => [c.type, c.status])).toEqual([['KernelDeadlock', 'True'], ['ReadonlyFilesystem', 'False']]);
    await r.clock.advance(10_000);
    expect(r.syncs).toHaveLength(1);
    await r.stop();
  });

  test('conditions are sent and listed in code-unit order of their types, not the locale\'s (no ICU collator: README, Performance)', async () => {
    const r = rig();
    r.store.update([cond('b'), cond('a'), cond('B'), cond('KernelDeadlock')]);
    await r.clock.advance(15);
    // localeCompare (ICU) would give a, b, B, KernelDeadlock.
    expect(r.syncs[0]?.conditions.map((c) => c.type)).toEqual(['B', 'KernelDeadlock', 'a', 'b']);
    expect(r.store.current().map((c) => c.type)).toEqual(['B', 'KernelDeadlock', 'a', 'b']);
    await r.stop();
  });

  test('reporting the same state again sends nothing', async () => {
    const r = rig();
    r.store.update([cond('KernelDeadlock')]);
    await r.clock.advance(100);
    r.store.update([cond('KernelDeadlock')]);
    await r.clock.advance(100_000);
    expect(r.syncs).toHaveLength(1);
    await r.stop();
  });

  test.each([
    ['random 0 → the period', 0, HB],
    ['random 0.5 → 105 % of the period', 0.5, 1.05 * HB],
    ['random 0.99 → about 110 %', 0.99, Math.round(HB * (1 + 0.1 * 0.99))],
  ])('heartbeat re-sends the state with jitter (%s)', async (_name, random, due) => {
    const r = rig(() => random);
    r.store.update([cond('KernelDeadlock')]);
    await r.clock.advance(15);
    expect(r.syncs).toHaveLength(1);
    await r.clock.advance(due - 1);
    expect(r.syncs).toHaveLength(1);
    await r.clock.advance(1);
    expect(r.syncs).toHaveLength(2);
    expect(r.syncs[1]?.conditions).toEqual(r.syncs[0]?.conditions);
    await r.stop();
  });

  test('no heartbeat while there is nothing to send', async () => {
    const r = rig();
    await r.clock.advance(3 * HB);
    expect(r.syncs).toHaveLength(0);
    await r.stop();
  });

  test('a failed sync is retried with backoff and the node converges to the newest state', async () => {
    const r = rig(() => 0);
    r.failNext(3);
    r.store.update([cond('KernelDeadlock')]);
    await r.clock.advance(15);
    expect(r.syncs).toHaveLength(1);
    // During the outage more changes arrive: nothing is dropped, only coalesced.
    r.store.update([cond('KernelDeadlock', 'True', 'AUFSUmountHung')]);
    r.store.update([cond('FDPressure', 'True', 'FDPressure')]);
    await r.clock.advance(499); // retry 1 after 1000*(1/2+0) = 500 ms
    expect(r.syncs).toHaveLength(1);
    await r.clock.advance(1);
    expect(r.syncs).toHaveLength(2);
    expect(r.store.healthy()).toBe(true);
    await r.clock.advance(1000); // retry 2 after 1000
    expect(r.syncs).toHaveLength(3);
    await r.clock.advance(2000); // retry 3 after 2000 succeeds
    expect(r.syncs).toHaveLength(4);
    expect(r.syncs[3]?.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['FDPressure', 'True', 'FDPressure'],
      ['KernelDeadlock', 'True', 'AUFSUmountHung'],
    ]);
    await r.clock.advance(60_000);
    expect(r.syncs).toHaveLength(4);
    await r.stop();
  });

  test('long failure makes the store unhealthy, success makes it healthy again', async () => {
    const r = rig(() => 0);
    r.failNext(1000);
    r.store.update([cond('KernelDeadlock')]);
    await r.clock.advance(2 * HB + 60_000);
    expect(r.store.healthy()).toBe(false);
    r.failNext(0);
    await r.clock.advance(30_000);
    expect(r.store.healthy()).toBe(true);
    await r.stop();
  });

  test('types dropped from the monitors are removed; types never owned are not', async () => {
    const r = rig();
    r.store.seed([cond('OldCondition')], ['OldCondition', 'KernelDeadlock']);
    r.store.setOwned(['KernelDeadlock']);
    await r.clock.advance(15);
    expect(r.syncs).toHaveLength(1);
    expect(r.syncs[0]?.remove).toEqual(['OldCondition']);
    expect(r.syncs[0]?.owned).toEqual(['KernelDeadlock']);
    expect(r.syncs[0]?.conditions).toEqual([]);
    r.store.update([cond('KernelDeadlock')]);
    await r.clock.advance(15);
    expect(r.syncs[1]?.remove).toEqual([]);
    // A later reload drops KernelDeadlock too.
    r.store.setOwned([]);
    await r.clock.advance(15);
    expect(r.syncs[2]?.remove).toEqual(['KernelDeadlock']);
    expect(r.store.current()).toEqual([]);
    await r.stop();
  });

  test('nothing is removed before the monitors are known', async () => {
    const r = rig();
    r.store.seed([cond('OldCondition')], ['OldCondition']);
    r.store.update([cond('KernelDeadlock')]);
    await r.clock.advance(15);
    expect(r.syncs[0]?.remove).toEqual([]);
    expect(r.syncs[0]?.owned).toEqual(['KernelDeadlock', 'OldCondition']);
    await r.stop();
  });

  test('a seeded state is as fresh as a sync: no heartbeat before a full period', async () => {
    const r = rig(() => 0);
    const onNode = cond('KernelDeadlock', 'True', 'DockerHung');
    r.store.seed([onNode], ['KernelDeadlock']);
    r.store.setOwned(['KernelDeadlock']);
    r.store.update([onNode]);
    await r.clock.advance(HB - 1);
    expect(r.syncs).toHaveLength(0);
    await r.clock.advance(1);
    expect(r.syncs).toHaveLength(1);
    await r.stop();
  });

  test('seeded conditions are not re-sent (no flip to defaults) until a monitor reports a change', async () => {
    const r = rig();
    const onNode = cond('KernelDeadlock', 'True', 'DockerHung');
    r.store.seed([onNode], ['KernelDeadlock']);
    r.store.setOwned(['KernelDeadlock']);
    await r.clock.advance(2 * HB);
    expect(r.syncs).toHaveLength(0);
    r.store.update([onNode]); // the monitor, seeded, reports the same state
    await r.clock.advance(100);
    // At most an (overdue) heartbeat of the same state: never a flip to False.
    expect(r.syncs.every((s) => s.conditions.every((c) => c.status === 'True'))).toBe(true);
    r.syncs.length = 0;
    r.store.update([cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock', new Date(t0.getTime() + 5000))]);
    await r.clock.advance(15);
    expect(r.syncs).toHaveLength(1);
    expect(r.syncs[0]?.conditions[0]?.status).toBe('False');
    await r.stop();
  });

  test('a change made while a sync is in flight is sent afterwards', async () => {
    const clock = createManualClock();
    const syncs: ConditionSync[] = [];
    let release: (() => void) | undefined;
    const store = createConditionStore({
      clock,
      random: () => 0.5,
      sink: (sync) => {
        syncs.push(sync);
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    const ac = new AbortController();
    const running = store.run(ac.signal);
    store.update([cond('A')]);
    await clock.advance(15);
    expect(syncs).toHaveLength(1);
    store.update([cond('A', 'True', 'Broken')]);
    await clock.advance(100);
    expect(syncs).toHaveLength(1);
    release?.();
    await clock.advance(15);
    expect(syncs).toHaveLength(2);
    expect(syncs[1]?.conditions[0]?.status).toBe('True');
    release?.();
    ac.abort();
    await clock.advance(0);
    await running;
  });
});
