/**
 * A counting semaphore for the probe monitor's `concurrency` (NPD's global limit on plugins
 * running at once). Waiters are served in arrival order; an aborted waiter leaves the queue.
 */

/** A counting semaphore. */
export interface Semaphore {
  /** Waits for a slot; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  release(): void;
  /** Slots in use. */
  readonly active: number;
}

/** Creates a semaphore with `size` slots (at least 1). */
export function createSemaphore(size: number): Semaphore {
  const limit = Math.max(1, Math.floor(size));
  let active = 0;
  const waiters: (() => void)[] = [];
  return {
    get active() {
      return active;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < limit) {
        active++;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort);
          active++;
          resolve();
        };
        const onAbort = (): void => {
          const i = waiters.indexOf(grant);
          if (i >= 0) waiters.splice(i, 1);
          reject(signal?.reason);
        };
        waiters.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    release() {
      active = Math.max(0, active - 1);
      waiters.shift()?.();
    },
  };
}
