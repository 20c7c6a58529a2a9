import { createManualClock, formatDuration, parseDuration } from '../../src/core/clock.js';
import { calculateRetryDelay } from '../../src/core/retry-delay.js';

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
