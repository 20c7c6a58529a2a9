import { EventEmitter, getEventListeners } from 'node:events';
import type { FSWatcher, WatchListener } from 'node:fs';
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createFileWaker } from '../../src/sources/filelog-wake.js';
import type { WatchFn } from '../../src/sources/filelog-wake.js';

/** A fake fs.watch: the test fires events by hand. */
function fakeWatch() {
  const calls: { dir: string; persistent: boolean }[] = [];
  let listener: WatchListener<string> | undefined;
  let closes = 0;
  const watch: WatchFn = (dir, options, l) => {
    calls.push({ dir, persistent: options.persistent });
    listener = l;
    const w = new EventEmitter() as unknown as FSWatcher;
    w.close = () => void closes++;
    return w;
  };
  return { watch, calls, fire: (event: string, file: string | null) => listener?.(event as 'change', file), closes: () => closes };
}

/** Settles `p` into a state we can look at after the microtasks ran. */
function track(p: Promise<void>): { state: () => 'pending' | 'resolved' | 'rejected' } {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(() => (state = 'resolved'), () => (state = 'rejected'));
  return { state: () => state };
}
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('createFileWaker', () => {
  const setup = () => {
    const clock = createManualClock();
    const fake = fakeWatch();
    const logger = createMemoryLogger();
    const waker = createFileWaker('/var/log/kern.log', clock, logger, fake.watch);
    return { clock, fake, logger, waker, ac: new AbortController() };
  };

  test('watches the directory, not persistent', async () => {
    const { fake, waker, ac, clock } = setup();
    const w = track(waker.wait(500, ac.signal));
    expect(fake.calls).toEqual([{ dir: '/var/log', persistent: false }]);
    await clock.advance(500);
    expect(w.state()).toBe('resolved');
    waker.close();
    expect(fake.closes()).toBe(1);
  });

  test.each([
    ['change of the file', 'change', 'kern.log', 'resolved'],
    ['rename to or from its name', 'rename', 'kern.log', 'resolved'],
    ['event without a file name', 'change', null, 'resolved'],
    ['another file in the directory', 'change', 'syslog', 'pending'],
  ] as const)('%s during a wait: %s before the poll', async (_name, event, file, want) => {
    const { fake, waker, ac } = setup();
    const w = track(waker.wait(60_000, ac.signal));
    await tick();
    fake.fire(event, file);
    await tick();
    expect(w.state()).toBe(want);
    ac.abort();
  });

  test('a change while no wait runs makes the next wait return at once, once', async () => {
    const { fake, waker, ac, clock } = setup();
    const first = track(waker.wait(60_000, ac.signal));
    await clock.advance(60_000);
    expect(first.state()).toBe('resolved');
    fake.fire('change', 'kern.log'); // e.g. while the loop was reading
    const second = track(waker.wait(60_000, ac.signal));
    await tick();
    expect(second.state()).toBe('resolved');
    expect(clock.pending()).toBe(0);
    const third = track(waker.wait(60_000, ac.signal));
    await tick();
    expect(third.state()).toBe('pending');
    ac.abort();
    await tick();
    expect(third.state()).toBe('rejected');
    expect(clock.pending()).toBe(0);
  });

  test('a wake cancels the clock sleep (no timer left behind)', async () => {
    const { fake, waker, ac, clock } = setup();
    const w = track(waker.wait(60_000, ac.signal));
    await tick();
    expect(clock.pending()).toBe(1);
    fake.fire('change', 'kern.log');
    await tick();
    expect(w.state()).toBe('resolved');
    expect(clock.pending()).toBe(0);
  });

  test('already aborted: rejects', async () => {
    const { waker, ac } = setup();
    ac.abort(new Error('stop'));
    await expect(waker.wait(10, ac.signal)).rejects.toThrow('stop');
  });

  test('watch fails to start: warned once, retried at the next wait, waits still time out', async () => {
    const clock = createManualClock();
    const logger = createMemoryLogger();
    let tries = 0;
    const waker = createFileWaker('/nope/kern.log', clock, logger, () => {
      tries++;
      throw new Error('ENOENT');
    });
    const ac = new AbortController();
    for (let i = 0; i < 3; i++) {
      const w = track(waker.wait(500, ac.signal));
      await clock.advance(500);
      expect(w.state()).toBe('resolved');
    }
    expect(tries).toBe(3);
    expect(logger.records.filter((r) => r.level === 'warn')).toHaveLength(1);
  });

  test('a wait leaves no listener on the signal, however it ends', async () => {
    const { fake, waker, ac, clock } = setup();
    const timedOut = track(waker.wait(500, ac.signal));
    await clock.advance(500);
    const woken = track(waker.wait(500, ac.signal));
    await tick();
    fake.fire('change', 'kern.log');
    await tick();
    expect([timedOut.state(), woken.state()]).toEqual(['resolved', 'resolved']);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  test('a clock that fails: the wait rejects with its error', async () => {
    const broken = new Error('clock broken');
    const clock = { ...createManualClock(), sleep: () => Promise.reject(broken) };
    const waker = createFileWaker('/var/log/kern.log', clock, createMemoryLogger(), fakeWatch().watch);
    await expect(waker.wait(500, new AbortController().signal)).rejects.toBe(broken);
  });

  test('after close, waits are clock sleeps: the watch is not started again', async () => {
    const { fake, waker, ac, clock } = setup();
    waker.start();
    waker.close();
    waker.start();
    const w = track(waker.wait(500, ac.signal));
    await clock.advance(500);
    expect(w.state()).toBe('resolved');
    expect(fake.calls).toHaveLength(1);
  });
});
