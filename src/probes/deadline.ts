/**
 * A deadline on the injected clock, as an AbortSignal: network probes pass it to `fetch` and
 * `connect`, so tests with a manual clock decide when a slow server has timed out.
 */
import type { Clock } from '../core/clock.js';
import { DeadlineError } from '../core/errors.js';
import type { Check, ProbeContext, ProbeResult } from './probe.js';

/** A signal that aborts when `parent` aborts or `ms` have passed on `clock`; call `done()` after. */
export function createDeadline(clock: Clock, ms: number, parent?: AbortSignal): { readonly signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const stop = new AbortController();
  const onParent = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParent, { once: true });
  clock.sleep(ms, stop.signal).then(
    () => controller.abort(new DeadlineError(ms)),
    () => {},
  );
  return {
    signal: controller.signal,
    done: () => {
      stop.abort();
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/** A check that runs `run` under a deadline of `ms` on the context's clock (network probes). */
export function withTimeout(ctx: ProbeContext, ms: number, run: (signal: AbortSignal) => Promise<ProbeResult>): Check {
  return async (signal) => {
    const deadline = createDeadline(ctx.clock, ms, signal);
    try {
      return await run(deadline.signal);
    } finally {
      deadline.done();
    }
  };
}
