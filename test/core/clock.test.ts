import { getEventListeners } from 'node:events';
import { createManualClock, formatDuration, parseDuration, systemClock } from '../../src/core/clock.js';
import { calculateRetryDelay, type RetryDelayInput } from '../../src/core/retry-delay.js';

test.each([
  ['0', 0], ['5m', 300_000], ['1h30m', 5_400_000], ['300ms', 300], ['1.5s', 1500], ['10s', 10_000],
  ['', undefined], ['5', undefined], ['5x', undefined], ['m5', undefined],
])('parseDuration(%j) = %j', (text, ms) => {
  expect(parseDuration(text)).toBe(ms);
});

test('manual clock resolves sleeps in order as time advances', async () => {
  const clock = createManualClock(1000);
  const order: number[] = [];
  void clock.sleep(200).then(() => order.push(200));
  void clock.sleep(100).then(() => order.push(100));
  await clock.advance(150);
  expect(order).toEqual([100]);
  expect(clock.now()).toBe(1150);
  await clock.advance(100);
  expect(order).toEqual([100, 200]);
});

test('manual clock sleep rejects on abort', async () => {
  const clock = createManualClock();
  const ac = new AbortController();
  const p = clock.sleep(1000, ac.signal);
  ac.abort(new Error('stop'));
  await expect(p).rejects.toThrow('stop');
  expect(clock.pending()).toBe(0);
});

test.each([
  [1, 0, 50], [1, 0.999, 100], [4, 0, 400], [20, 0.5, 22_500],
])('retry delay attempt %i random %f = %i', (attempt, r, ms) => {
  expect(calculateRetryDelay({ attempt, random: () => r })).toBe(Math.round(ms));
});

test('Retry-After wins over the exponential delay, capped at max', () => {
  expect(calculateRetryDelay({ attempt: 1, retryAfterMs: 7000, random: () => 0 })).toBe(7000);
  expect(calculateRetryDelay({ attempt: 1, retryAfterMs: 90_000, maxMs: 30_000, random: () => 0 })).toBe(30_000);
});

test.each([
  [250, '250ms'],
  [45_000, '45s'],
  [1_200_000, '20m'],
  [5_400_000, '1h30m'],
  [3_661_500, '1h1m1.5s'],
])('formatDuration(%j) = %j, which parseDuration reads back', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
  expect(parseDuration(text)).toBe(ms);
});

test.each([
  ['1500us', 1.5], ['1500µs', 1.5], ['2000000ns', 2], ['2h', 7_200_000], ['1m0.5s', 60_500], ['0.25h', 900_000],
  ['5m ', undefined], [' 5m', undefined], ['5m3', undefined], ['-5m', undefined], ['.5s', undefined], ['5.s', undefined], ['0s', 0], ['00', undefined],
])('parseDuration(%j) = %j (every unit, and nothing but durations)', (text, ms) => {
  expect(parseDuration(text)).toBe(ms);
});

test.each([
  [0, '0ms'], [999, '999ms'], [1000, '1s'], [60_000, '1m'], [3_600_000, '1h'], [3_660_000, '1h1m'], [3_601_000, '1h1s'], [61_000, '1m1s'],
])('formatDuration(%j) = %j: no zero parts', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});

test.each<[string, RetryDelayInput, number]>([
  ['attempt 0 counts as the first', { attempt: 0, random: () => 0 }, 50],
  ['a Retry-After of 0 is a wait of 0', { attempt: 5, retryAfterMs: 0, random: () => 0.5 }, 0],
  ['a negative Retry-After is ignored', { attempt: 3, retryAfterMs: -1, random: () => 0 }, 200],
  ['base and cap as given', { attempt: 3, baseMs: 1000, maxMs: 3000, random: () => 1 }, 3000],
  ['below the cap, twice per attempt', { attempt: 3, baseMs: 1000, maxMs: 60_000, random: () => 0.5 }, 3000],
])('retry delay: %s', (_name, input, ms) => {
  expect(calculateRetryDelay(input)).toBe(ms);
});

describe('manual clock', () => {
  test('a sleep due exactly at the target resolves, seeing its own time; a later one waits', async () => {
    const clock = createManualClock(1000);
    const seen: number[] = [];
    void clock.sleep(100).then(() => seen.push(clock.now()));
    void clock.sleep(101).then(() => seen.push(clock.now()));
    await clock.advance(100);
    expect(seen).toEqual([1100]);
    expect(clock.pending()).toBe(1);
    await clock.advance(50);
    expect(seen).toEqual([1100, 1101]);
    expect(clock.now()).toBe(1150);
  });

  test('sleeps due at the same time resolve in the order they were made; a negative sleep is due now', async () => {
    const clock = createManualClock(0);
    const order: string[] = [];
    void clock.sleep(10).then(() => order.push('a'));
    void clock.sleep(-5).then(() => order.push('now'));
    void clock.sleep(10).then(() => order.push('b'));
    await clock.advance(0);
    expect(order).toEqual(['now']);
    await clock.advance(10);
    expect(order).toEqual(['now', 'a', 'b']);
  });

  test('a sleep made while advancing, due within it, resolves in the same advance', async () => {
    const clock = createManualClock(0);
    const seen: number[] = [];
    void clock.sleep(10).then(async () => {
      await clock.sleep(10);
      seen.push(clock.now());
    });
    await clock.advance(30);
    expect(seen).toEqual([20]);
  });

  test('a signal aborted before the sleep rejects at once and schedules nothing', async () => {
    const clock = createManualClock();
    await expect(clock.sleep(10, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(clock.pending()).toBe(0);
  });
});

describe('system clock', () => {
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  test('now is the wall time', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  test('a sleep resolves; aborted, it rejects with the reason and clears its timer', async () => {
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
    const ac = new AbortController();
    const before = timers();
    const p = systemClock.sleep(60_000, ac.signal);
    expect(timers()).toBe(before + 1);
    ac.abort(new Error('stopped'));
    await expect(p).rejects.toThrow('stopped');
    expect(timers()).toBe(before);
  });

  test('a signal aborted before the sleep rejects at once, with no timer', async () => {
    const before = timers();
    const p = systemClock.sleep(60_000, AbortSignal.abort(new Error('already')));
    expect(timers()).toBe(before);
    await expect(p).rejects.toThrow('already');
  });
});

describe('clocks: what a settled sleep leaves behind, and what an advance waits for', () => {
  test('a system sleep that resolves stops listening to its signal; one of 20 ms resolves after a 1 ms timer set after it', async () => {
    const ac = new AbortController();
    const order: string[] = [];
    const p = systemClock.sleep(20, ac.signal).then(() => order.push('sleep'));
    setTimeout(() => order.push('timer'), 1);
    await p;
    expect(order).toEqual(['timer', 'sleep']);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  test('aborting a manual sleep that already resolved takes no other sleep away', async () => {
    const clock = createManualClock(0);
    const ac = new AbortController();
    const done: string[] = [];
    void clock.sleep(10, ac.signal).then(() => done.push('first'));
    void clock.sleep(50).then(() => done.push('second'));
    await clock.advance(10);
    ac.abort();
    expect(clock.pending()).toBe(1);
    await clock.advance(40);
    expect(done).toEqual(['first', 'second']);
  });

  test('an advance lets the code a timer woke run to its next sleep, however many awaits it takes', async () => {
    const clock = createManualClock(0);
    const seen: number[] = [];
    void clock.sleep(10).then(async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await clock.sleep(10);
      seen.push(clock.now());
    });
    await clock.advance(30);
    expect(seen).toEqual([20]);
  });
});
