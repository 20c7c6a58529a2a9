/**
 * The exporter interface (NPD's): an exporter only receives Status. `export` returns at once, so it
 * never blocks the monitor that reports: the console and Prometheus exporters do their work
 * synchronously in memory (one write, a few gauge updates); the Kubernetes exporter only records the
 * newest condition per type and appends Events to a bounded queue (oldest dropped and counted when
 * full), and talks to the apiserver in the background. Implementations: `console-exporter.ts`,
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
