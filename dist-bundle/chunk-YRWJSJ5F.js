import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/monitors/probe-semaphore.js
function createSemaphore(size) {
  const limit = Math.max(1, Math.floor(size));
  let active = 0;
  const waiters = [];
  return {
    get active() {
      return active;
    },
    acquire(signal) {
      if (signal?.aborted)
        return Promise.reject(signal.reason);
      if (active < limit) {
        active++;
        return Promise.resolve();
      }
      return new Promise((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          active++;
          resolve();
        };
        const onAbort = () => {
          const i = waiters.indexOf(grant);
          if (i >= 0)
            waiters.splice(i, 1);
          reject(signal?.reason);
        };
        waiters.push(grant);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
    release() {
      active = Math.max(0, active - 1);
      waiters.shift()?.();
    }
  };
}

export {
  createSemaphore
};
