/**
 * Event-loop lag, measured frugally: a 1-second timer on the injected clock, and how late it fires.
 * One wake-up a second (a 10 ms sampler would cost more than the agent's whole idle budget). A
 * stall shorter than a second can hide between two ticks; a stall that matters (a blocked read, a
 * runaway rule) shows as a late tick of its own length.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Telemetry } from '../core/telemetry.js';

/** Lag figures for `/healthz`. */
export interface LoopLagReport {
  /** How late the last tick fired, in seconds. */
  readonly lastSeconds: number;
  /** The longest lag over the last minute, in seconds (`npd_event_loop_lag_seconds`). */
  readonly maxSeconds: number;
}

/** Options of {@link watchLoopLag}. */
export interface LoopLagOptions {
  readonly clock: Clock;
  readonly telemetry: Telemetry;
  readonly logger: Logger;
  /** @default 1000 */
  readonly intervalMs?: number;
  /** Ticks the maximum is taken over. @default 60 */
  readonly window?: number;
  /** A tick this late (ms) is logged as a stall. @default 1000 */
  readonly stallMs?: number;
}

/**
 * Ticks until `signal` aborts; `report()` gives the figures, `done` resolves after the abort.
 * @example const lag = watchLoopLag({ clock, telemetry, logger }, signal); lag.report().maxSeconds;
 */
export function watchLoopLag(options: LoopLagOptions, signal: AbortSignal): { report(): LoopLagReport; readonly done: Promise<void> } {
  const { clock, telemetry, logger } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const window = options.window ?? 60;
  const stallMs = options.stallMs ?? 1000;
  const samples: number[] = [];
  let last = 0;
  const max = (): number => samples.reduce((a, b) => Math.max(a, b), 0);
  const done = (async () => {
    while (!signal.aborted) {
      const before = clock.now();
      try {
        await clock.sleep(intervalMs, signal);
      } catch {
        return;
      }
      const lateMs = Math.max(0, clock.now() - before - intervalMs);
      last = lateMs / 1000;
      samples.push(last);
      if (samples.length > window) samples.shift();
      telemetry.eventLoopLag(max(), last);
      if (lateMs >= stallMs) logger.warn('event loop stalled', { stalledMs: lateMs });
    }
  })();
  return { report: () => ({ lastSeconds: last, maxSeconds: max() }), done };
}
