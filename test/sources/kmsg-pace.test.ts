import { createKmsgPacer, DEFAULT_RING_CHARS, RING_SHARE, type KmsgPacer } from '../../src/sources/kmsg-pace.js';

/** A pacer whose handle was opened and whose first drain (the ring's backlog) ended at `t0`. */
function opened(coalesceMs = 100, device = false, backlog: [chars: number, seq: number][] = [], t0 = 0, measured?: (ringChars: number, wrapped: boolean) => void): KmsgPacer {
  const pacer = createKmsgPacer(coalesceMs, measured);
  pacer.opened(device);
  for (const [chars, seq] of backlog) pacer.read(chars, seq);
  expect(pacer.idle(t0)).toBe(0); // the backlog says nothing about the rate
  return pacer;
}

/** `records` records of `chars` each read, then the drain ends at `nowMs`: the wait it returns. */
function drain(pacer: KmsgPacer, nowMs: number, records: number, chars = 85): number {
  for (let i = 0; i < records; i++) pacer.read(chars, undefined);
  return pacer.idle(nowMs);
}

describe('kmsg drain pacing', () => {
  test('a record now and then is read at once (the reader waits on the device)', () => {
    const pacer = opened();
    expect(drain(pacer, 1000, 1)).toBe(0);
    expect(drain(pacer, 1500, 3)).toBe(0);
    expect(drain(pacer, 1520, 2)).toBe(0); // 20 ms apart: not yet a flood
  });

  test('a drain that finds nothing ends the flood', () => {
    const pacer = opened();
    expect(drain(pacer, 10, 100)).toBeGreaterThan(0);
    expect(drain(pacer, 30, 0)).toBe(0);
  });

  test('records close together, or 4 KiB at once, make a flood; the first wait after epoll is at most coalesceMs / 5', () => {
    const fast = opened();
    expect(drain(fast, 1000, 1)).toBe(0);
    expect(drain(fast, 1005, 1)).toBe(20); // 5 ms after the last: many wake-ups a second
    const burst = opened();
    expect(drain(burst, 5000, 100)).toBe(20); // 8,500 characters after a quiet spell
  });

  test('in a flood the wait is bounded by a quarter of the ring at the rate seen, and by coalesceMs', () => {
    // 10,000 records/s of 85 characters (the footprint bench's flood): 850 characters a ms.
    const pacer = opened();
    let t = 10;
    let wait = drain(pacer, t, 100);
    expect(wait).toBe(20); // woken from epoll: a short first wait
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) {
      t += wait;
      wait = drain(pacer, t, wait * 10); // what came meanwhile
      waits.push(wait);
    }
    // While it waits, 850 × 38 = 32,300 characters come: under a quarter of the 131,072-character ring.
    expect(Math.max(...waits)).toBe(Math.floor((RING_SHARE * DEFAULT_RING_CHARS) / 850));
    expect(Math.min(...waits)).toBe(38);
    // A slower flood (250 characters a ms) waits coalesceMs, no longer.
    const slow = opened();
    expect(drain(slow, 5, 1, 100)).toBe(20);
    expect(drain(slow, 25, 50, 100)).toBe(100);
    expect(drain(slow, 125, 250, 100)).toBe(100);
  });

  test('the rate behind the wait fills at most RING_SHARE of the ring, at any rate', () => {
    for (const perMs of [5, 50, 500, 5000, 50_000]) {
      const pacer = opened();
      let t = 1;
      let wait = drain(pacer, t, 1, perMs);
      for (let i = 0; i < 10; i++) {
        const gap = Math.max(wait, 1);
        t += gap;
        wait = drain(pacer, t, 1, perMs * gap);
        expect(wait * perMs).toBeLessThanOrEqual(RING_SHARE * DEFAULT_RING_CHARS);
        expect(wait).toBeLessThanOrEqual(100);
      }
    }
  });

  test('a device that has wrapped is measured: its first drain is the whole ring', () => {
    // The oldest record is number 5,000: the ring is full and holds 40,000 characters.
    const small = opened(100, true, Array.from({ length: 400 }, (_, i) => [100, 5000 + i]));
    expect(small.ringChars()).toBe(40_000);
    expect(drain(small, 10, 100, 100)).toBe(Math.floor((RING_SHARE * 40_000 * 10) / 10_000)); // 1,000 characters a ms: 10 ms
    // Not wrapped (record 0 is still there): at least the kernel's default.
    expect(opened(100, true, [[100, 0], [100, 1]]).ringChars()).toBe(DEFAULT_RING_CHARS);
    expect(opened(100, true, Array.from({ length: 2000 }, (_, i) => [100, i])).ringChars()).toBe(200_000);
    // A FIFO or a file stands in for a device with the default ring, whatever its numbers.
    expect(opened(100, false, [[100, 9000]]).ringChars()).toBe(DEFAULT_RING_CHARS);
    // Each measure is reported (the source logs it at debug level); a FIFO has none.
    const seen: [number, boolean][] = [];
    opened(100, true, [[50_000, 7]], 0, (chars, wrapped) => void seen.push([chars, wrapped]));
    opened(100, true, [[50_000, 0]], 0, (chars, wrapped) => void seen.push([chars, wrapped]));
    opened(100, false, [[50_000, 7]], 0, (chars, wrapped) => void seen.push([chars, wrapped]));
    expect(seen).toEqual([[50_000, true], [DEFAULT_RING_CHARS, false]]);
  });

  test('after records were lost the next drain is not delayed and the ring is taken as half', () => {
    const pacer = opened();
    expect(drain(pacer, 10, 100)).toBeGreaterThan(0);
    pacer.lost();
    expect(pacer.ringChars()).toBe(DEFAULT_RING_CHARS / 2);
    expect(drain(pacer, 30, 200)).toBe(0);
    expect(drain(pacer, 31, 100)).toBe(Math.min(20, Math.floor((RING_SHARE * (DEFAULT_RING_CHARS / 2)) / 8500)));
  });

  test('coalesceMs 0: never waits', () => {
    const pacer = opened(0);
    expect(drain(pacer, 10, 1000)).toBe(0);
    expect(drain(pacer, 11, 1000)).toBe(0);
  });
});
