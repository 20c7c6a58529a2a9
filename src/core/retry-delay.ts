/**
 * The retry policy, one function (got's calculate-retry-delay): exponential from `baseMs`, capped
 * at `maxMs`, with equal jitter (half fixed, half random); a server's Retry-After wins. Used by the log sources (reopen, restart
 * journalctl) and by the Kubernetes exporter. `random` is a parameter so tests are deterministic.
 */

/** Inputs of {@link calculateRetryDelay}. */
export interface RetryDelayInput {
  /** 1 for the first retry. */
  readonly attempt: number;
  /** @default 100 */
  readonly baseMs?: number;
  /** @default 30000 */
  readonly maxMs?: number;
  /** The server asked for this wait (HTTP Retry-After); used as is, capped at `maxMs`. */
  readonly retryAfterMs?: number | undefined;
  /** Returns [0, 1). */
  readonly random: () => number;
}

/** Milliseconds to wait before retry number `attempt`. */
export function calculateRetryDelay(input: RetryDelayInput): number {
  const base = input.baseMs ?? 100;
  const max = input.maxMs ?? 30_000;
  if (input.retryAfterMs !== undefined && input.retryAfterMs >= 0) return Math.min(input.retryAfterMs, max);
  const exp = Math.min(max, base * 2 ** Math.max(0, input.attempt - 1));
  // "Equal jitter": half fixed, half random, so a delay never collapses to ~0 under a tight loop.
  return Math.round(exp / 2 + (exp / 2) * input.random());
}
