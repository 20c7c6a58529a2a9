/**
 * The monitor interface (NPD's problem daemon): a monitor only starts and stops, and reports
 * {@link Status}. Implementations: `log-monitor.ts` (rules over a log source) and `probe-monitor.ts`
 * (built-in probes and NPD custom plugins on timers).
 */
import type { MonitorDescription, Status } from '../core/problem.js';
import type { SourceHealth } from '../sources/source-state.js';

/** Health of one monitor, for `/healthz`. */
export interface MonitorHealth {
  readonly ok: boolean;
  readonly detail: string;
  /** Success and duration of the last run (probe monitors) or last line (log monitors). */
  readonly lastRunOk?: boolean;
  readonly lastRunSeconds?: number;
  /** A log monitor's source: the agent turns a source failing longer than the grace period into 503. */
  readonly source?: SourceHealth;
}

/** Receives a monitor's Status reports. Must not block. */
export type StatusSink = (status: Status) => void;

/** A running unit of detection, built from one monitor file. */
export interface Monitor {
  readonly description: MonitorDescription;
  /**
   * Runs until `signal` aborts. The first report is the initial status (every condition, unless
   * the monitor skips it); then one report per change or event.
   */
  run(sink: StatusSink, signal: AbortSignal): Promise<void>;
  health(): MonitorHealth;
}
