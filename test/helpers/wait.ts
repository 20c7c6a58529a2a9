/**
 * Waiting in tests for something that happens on real time (a child process, a socket, another
 * server): poll with a generous deadline instead of sleeping a guessed time. Time that the code
 * under test schedules is a manual clock's job (`createManualClock`), never these.
 */

/**
 * Polls `fn` every `intervalMs` until it returns a value other than undefined, and resolves with it;
 * after `timeoutMs` rejects with `what` and the last error `fn` threw.
 */
export async function eventually<T>(fn: () => T | undefined | Promise<T | undefined>, what = 'condition', timeoutMs = 30_000, intervalMs = 10): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`, { cause: last });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves once `check()` is true (polling every 10 ms); rejects after `timeoutMs` naming `what`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 30_000): Promise<void> {
  await eventually(async () => ((await check()) ? true : undefined), what, timeoutMs);
}

/**
 * Advances a manual clock `stepMs` at a time until `check()` is true, for code whose timer is set
 * only after real-time work (a request to the test apiserver): one large advance could come before
 * that timer exists and never fire it.
 */
export async function advanceUntil(clock: { advance(ms: number): Promise<void> }, check: () => boolean | Promise<boolean>, what: string, stepMs = 100): Promise<void> {
  await waitFor(async () => {
    if (await check()) return true;
    await clock.advance(stepMs);
    return false;
  }, what);
}
