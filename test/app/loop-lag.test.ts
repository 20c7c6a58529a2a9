/** Event-loop lag from a coarse timer: how late each 1-second tick fires, on a clock the test moves. */
import { watchLoopLag } from '../../src/app/loop-lag.js';
import type { Clock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { noopTelemetry } from '../../src/core/telemetry.js';

/** A clock whose sleeps end when the test says, at whatever time it sets: a late timer, on demand. */
function handClock() {
  let now = 1_000_000;
  const sleeps: { ms: number; resolve: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        sleeps.push({ ms, resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  };
  /** Fires the pending tick `lateMs` after it was due. */
  const tick = async (lateMs: number): Promise<void> => {
    const s = sleeps.shift() as { ms: number; resolve: () => void };
    now += s.ms + lateMs;
    s.resolve();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { clock, tick, pending: () => sleeps.length };
}

test('the lag of each tick, its maximum over the window, the gauge, and a warning for a stall', async () => {
  const { clock, tick, pending } = handClock();
  const gauge: number[] = [];
  const ticks: number[] = [];
  const logger = createMemoryLogger();
  const ac = new AbortController();
  const lag = watchLoopLag({ clock, logger, telemetry: { ...noopTelemetry, eventLoopLag: (s, tick) => void (gauge.push(s), ticks.push(tick)) }, window: 3 }, ac.signal);
  expect(pending()).toBe(1);
  await tick(0);
  await tick(2500);
  expect(lag.report()).toEqual({ lastSeconds: 2.5, maxSeconds: 2.5 });
  expect(logger.records.filter((r) => r.msg === 'event loop stalled')).toEqual([expect.objectContaining({ stalledMs: 2500 })]);
  await tick(40);
  await tick(10);
  expect(lag.report()).toEqual({ lastSeconds: 0.01, maxSeconds: 2.5 });
  await tick(0); // the stall leaves the 3-tick window
  expect(lag.report()).toEqual({ lastSeconds: 0, maxSeconds: 0.04 });
  expect(gauge).toEqual([0, 2.5, 2.5, 2.5, 0.04]);
  expect(ticks).toEqual([0, 2.5, 0.04, 0.01, 0]);
  expect(logger.records.filter((r) => r.msg === 'event loop stalled')).toHaveLength(1);
  ac.abort();
  await lag.done;
});

test('a tick exactly the stall threshold late is a stall; 1 ms less is not', async () => {
  const { clock, tick } = handClock();
  const logger = createMemoryLogger();
  const ac = new AbortController();
  const lag = watchLoopLag({ clock, logger, telemetry: noopTelemetry, stallMs: 500 }, ac.signal);
  await tick(499);
  await tick(500);
  expect(logger.records.filter((r) => r.msg === 'event loop stalled')).toEqual([expect.objectContaining({ stalledMs: 500 })]);
  ac.abort();
  await lag.done;
});
