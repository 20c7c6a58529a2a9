import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/core/retry-delay.js
function calculateRetryDelay(input) {
  const base = input.baseMs ?? 100;
  const max = input.maxMs ?? 3e4;
  if (input.retryAfterMs !== void 0 && input.retryAfterMs >= 0)
    return Math.min(input.retryAfterMs, max);
  const exp = Math.min(max, base * 2 ** Math.max(0, input.attempt - 1));
  return Math.round(exp / 2 + exp / 2 * input.random());
}

export {
  calculateRetryDelay
};
