/**
 * The condition store's decisions in detail: which differences make a sync, the defaults, when the
 * store turns unhealthy, what is logged, and a sync aborted at shutdown.
 */
import { getEventListeners } from 'node:events';
import { createManualClock } from '../../../src/core/clock.js';
import { createMemoryLogger } from '../../../src/core/logger.js';
import { createConditionStore, type ConditionSync } from '../../../src/exporters/kubernetes/condition-store.js';
import { cond, HB, rig, t0 } from './condition-rig.js';

test.each([
  ['the status', cond('KernelDeadlock', 'True', 'NoKernelDeadlock', t0, 'KernelDeadlock False')],
  ['the reason', cond('KernelDeadlock', 'False', 'Other')],
  ['the message', cond('KernelDeadlock', 'False', 'NoKernelDeadlock', t0, 'another message')],
  ['the transition time', cond('KernelDeadlock', 'False', 'NoKernelDeadlock', new Date(t0.getTime() + 1))],
])('a change of %s alone is sent', async (_name, changed) => {
  const r = rig();
  r.store.update([cond('KernelDeadlock')]);
  await r.clock.advance(15);
  r.store.update([changed]);
  await r.clock.advance(15);
  expect(r.syncs).toHaveLength(2);
  expect(r.syncs[1]?.conditions).toEqual([changed]);
  await r.stop();
});

test('a new owned type alone is written (the ownership record), the same set in another order is not', async () => {
  const r = rig();
  r.store.seed([], ['A']);
  r.store.setOwned(['A', 'B']);
  await r.clock.advance(15);
  expect(r.syncs).toEqual([{ conditions: [], remove: [], owned: ['A', 'B'] }]);
  const s = rig();
  s.store.seed([], ['A', 'B']);
  s.store.setOwned(['B', 'A']);
  await s.clock.advance(2 * HB);
  expect(s.syncs).toEqual([]);
  await r.stop();
  await s.stop();
});

test('defaults: coalescing 15 ms, retries from 1 s doubling up to 30 s, heartbeat 5 min', async () => {
  const clock = createManualClock();
  const at: number[] = [];
  let fail = 7;
  const store = createConditionStore({
    clock,
    random: () => 0,
    sink: async () => {
      at.push(clock.now() - t0.getTime());
      if (fail-- > 0) throw new Error('apiserver down');
    },
  });
  const ac = new AbortController();
  const running = store.run(ac.signal);
  await clock.advance(t0.getTime() - clock.now());
  store.update([cond('A')]);
  await clock.advance(10 * 60_000);
  // Equal jitter with random 0: half of 1, 2, 4, 8, 16, 30, 30 s after each failure; then the heartbeat.
  const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
  expect(at[0]).toBe(15);
  expect(gaps).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 300_000]);
  ac.abort();
  await clock.advance(0);
  await running;
});

test('unhealthy once syncs have failed for twice the heartbeat, not a millisecond before', async () => {
  const r = rig(() => 0);
  r.failNext(1_000_000);
  r.store.update([cond('KernelDeadlock')]);
  await r.clock.advance(15); // the first failure: failing since now
  await r.clock.advance(2 * HB - 1);
  expect(r.store.healthy()).toBe(true);
  await r.clock.advance(1);
  expect(r.store.healthy()).toBe(false);
  await r.stop();
});

test('a failed sync and the recovery are logged with the number of failures', async () => {
  const logger = createMemoryLogger();
  const r = rig(() => 0, { logger });
  r.store.update([cond('ReadonlyFilesystem')]);
  await r.clock.advance(15); // a sync that succeeds at once logs nothing
  r.failNext(2);
  r.store.update([cond('KernelDeadlock')]);
  await r.clock.advance(60_000);
  expect(r.syncs).toHaveLength(4);
  expect(logger.records.map(({ level, msg, error, failures }) => ({ level, msg, error, failures }))).toEqual([
    { level: 'warn', msg: 'node condition sync failed; will retry', error: 'apiserver down', failures: 1 },
    { level: 'warn', msg: 'node condition sync failed; will retry', error: 'apiserver down', failures: 2 },
    { level: 'info', msg: 'node condition sync recovered', error: undefined, failures: 2 },
  ]);
  await r.stop();
});

test('flush sends only what is unsent: nothing when synced, again after a failure', async () => {
  const r = rig(() => 0);
  r.store.update([cond('KernelDeadlock')]);
  await r.clock.advance(15);
  await r.stop();
  await r.store.flush(new AbortController().signal);
  expect(r.syncs).toHaveLength(1);
  const f = rig(() => 0);
  f.failNext(1);
  f.store.update([cond('KernelDeadlock')]);
  await f.clock.advance(15);
  await f.stop();
  await f.store.flush(new AbortController().signal);
  expect(f.syncs).toHaveLength(2);
  expect(f.syncs[1]?.conditions).toEqual([cond('KernelDeadlock')]);
});

test('a sync aborted at shutdown is sent again by the flush, and is no failure', async () => {
  const clock = createManualClock();
  const logger = createMemoryLogger();
  const syncs: { sync: ConditionSync; aborted: boolean }[] = [];
  const store = createConditionStore({
    clock,
    random: () => 0,
    logger,
    // The apiserver does not answer: only the abort ends the request.
    sink: (sync, signal) => new Promise<void>((resolve, reject) => {
      syncs.push({ sync, aborted: signal.aborted });
      if (signal === flushSignal) resolve();
      else signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    }),
  });
  const flushSignal = new AbortController().signal;
  const ac = new AbortController();
  const running = store.run(ac.signal);
  store.update([cond('KernelDeadlock', 'True')]);
  await clock.advance(15);
  expect(syncs).toHaveLength(1);
  ac.abort();
  await store.flush(flushSignal);
  await running;
  expect(syncs.map((s) => s.sync.conditions)).toEqual([[cond('KernelDeadlock', 'True')], [cond('KernelDeadlock', 'True')]]);
  expect(syncs[1]?.aborted).toBe(false);
  expect(logger.records).toEqual([]);
});

test('a type dropped while as many are added is removed; the owned types are written sorted', async () => {
  const r = rig();
  r.store.seed([cond('B')], ['A', 'B']);
  r.store.setOwned(['C', 'A']);
  await r.clock.advance(15);
  expect(r.syncs).toEqual([{ conditions: [], remove: ['B'], owned: ['A', 'C'] }]);
  await r.stop();
});

test('a reload keeps the state of the types still owned', async () => {
  const r = rig();
  r.store.update([cond('A'), cond('B')]);
  r.store.setOwned(['A']);
  expect(r.store.current()).toEqual([cond('A')]);
  await r.stop();
});

test('retryMaxMs caps the retry delay', async () => {
  const r = rig(() => 0, { retryMaxMs: 4000 });
  r.failNext(5);
  r.store.update([cond('A')]);
  await r.clock.advance(15);
  const at = [r.clock.now()];
  for (let i = 0; i < 5; i++) {
    const before = r.syncs.length;
    while (r.syncs.length === before) await r.clock.advance(100);
    at.push(r.clock.now());
  }
  expect(at.slice(1).map((t, i) => t - (at[i] ?? 0))).toEqual([500, 1000, 2000, 2000, 2000]);
  await r.stop();
});

test('a state reported back to what the Node had while a sync is in flight is sent after it', async () => {
  const clock = createManualClock();
  const syncs: ConditionSync[] = [];
  let release = (): void => undefined;
  let hold = false;
  const store = createConditionStore({
    clock,
    random: () => 0.5,
    sink: (sync) => {
      syncs.push(sync);
      return hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    },
  });
  const ac = new AbortController();
  const running = store.run(ac.signal);
  store.update([cond('A', 'True')]);
  await clock.advance(15);
  hold = true;
  store.update([cond('A', 'False')]);
  await clock.advance(15); // A=False in flight
  store.update([cond('A', 'True')]); // what the Node has now: nothing to do until the answer
  hold = false;
  release();
  await clock.advance(15);
  expect(syncs.map((s) => s.conditions[0]?.status)).toEqual(['True', 'False', 'True']);
  ac.abort();
  await clock.advance(0);
  await running;
});

test('waking the loop leaves no timer and no abort listener behind', async () => {
  const clock = createManualClock();
  const store = createConditionStore({ clock, random: () => 0.5, sink: async () => undefined });
  const ac = new AbortController();
  const running = store.run(ac.signal);
  for (let i = 0; i < 50; i++) {
    store.update([cond('A', i % 2 === 0 ? 'True' : 'False')]);
    await clock.advance(0);
  }
  expect(clock.pending()).toBeLessThanOrEqual(1);
  expect(getEventListeners(ac.signal, 'abort').length).toBeLessThanOrEqual(1);
  ac.abort();
  await clock.advance(0);
  await running;
});
