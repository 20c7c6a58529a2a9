/**
 * A virtual clock for thousands of simulated agents in one process. Like core/clock.ts's manual
 * clock it moves only when told to, but its timers sit in a binary heap, every timer due at the same
 * millisecond fires in one batch, and a batch is settled with one macrotask turn: nothing in the
 * simulation does real I/O, so once the microtask queue is empty every agent has reacted. An hour of
 * fleet time with 5,000 agents is a few hundred thousand batches.
 */
import type { Clock } from '../../src/core/clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  resolve: (() => void) | undefined;
}

/** A clock driven by {@link FleetClock.runUntil}. */
export interface FleetClock extends Clock {
  /** Fires every timer due up to `t`, in order, letting the simulation react after each batch; then sets now to `t`. */
  runUntil(t: number): Promise<void>;
  /** Timers waiting. */
  pending(): number;
}

const before = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Lets every queued microtask (and what it queues) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Creates a fleet clock at `start` (ms since the epoch). */
export function createFleetClock(start: number): FleetClock {
  let now = start;
  let seq = 0;
  const heap: Timer[] = [];

  const push = (t: Timer): void => {
    heap.push(t);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Timer, heap[parent] as Timer)) break;
      [heap[i], heap[parent]] = [heap[parent] as Timer, heap[i] as Timer];
      i = parent;
    }
  };
  const pop = (): Timer | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as Timer, heap[m] as Timer)) m = l;
        if (r < heap.length && before(heap[r] as Timer, heap[m] as Timer)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as Timer, heap[i] as Timer];
        i = m;
      }
    }
    return top;
  };

  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = (): void => {
          // Left in the heap, disarmed: removing from the middle of a heap is not worth it.
          t.resolve = undefined;
          reject(signal?.reason);
        };
        const t: Timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        push(t);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async runUntil(target) {
      await settle();
      for (;;) {
        const next = heap[0];
        if (next === undefined || next.at > target) break;
        now = Math.max(now, next.at);
        while (heap[0] !== undefined && (heap[0] as Timer).at <= now) pop()?.resolve?.();
        await settle();
      }
      now = Math.max(now, target);
      await settle();
    },
    pending: () => heap.length,
  };
}
