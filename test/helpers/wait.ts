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
