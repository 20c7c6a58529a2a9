/**
 * The exporter interface (NPD's): an exporter only receives Status. It never blocks the monitor
 * that reports: each keeps its own bounded queue. Implementations: `console-exporter.ts`,
 * `kubernetes/kubernetes-exporter.ts`, `prometheus/prometheus-exporter.ts`.
 */
import type { MonitorDescription, Status } from '../core/problem.js';

/** Publishes problems somewhere. */
export interface Exporter {
  readonly name: string;
  /** The monitors now running (at start and after every reload). */
  setMonitors(monitors: readonly MonitorDescription[]): void;
  /** A monitor's report. Returns at once. */
  export(status: Status): void;
  /** True while the exporter is keeping up (not stuck), for `/healthz`. */
  healthy(): boolean;
  /** Flushes what can be flushed quickly and releases resources. */
  stop(): Promise<void>;
}
