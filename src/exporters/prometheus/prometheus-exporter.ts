/**
 * The Prometheus exporter: NPD's problem metrics from Status, the agent's health metrics through
 * {@link Telemetry}, and the process metrics (`process-metrics.ts`), all in one prom-client Registry of its own (never
 * the global one, so two exporters, or tests, never share series). Serving `/metrics` is
 * `metrics-server.ts`; the caller decides whether to (NPD: `--prometheus-port=0` disables it).
 */
import { Registry } from './prom-client.js';
import { registerProcessMetrics } from './process-metrics.js';
import type { Exporter } from '../exporter.js';
import type { Telemetry } from '../../core/telemetry.js';
import { createPodMetrics } from './pod-metrics.js';
import { createProblemMetrics } from './problem-metrics.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { createPrometheusTelemetry } from './prometheus-telemetry.js';
import { metricPrefix } from './metric-catalog.js';

// The CLI imports both halves from here.
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics-server.js';

/** Options of {@link createPrometheusExporter}. */
export interface PrometheusExporterOptions {
  /** Where the metrics are registered. @default a new Registry (Prometheus text format 0.0.4) */
  readonly registry?: Registry;
  /** Also collect Node.js process metrics (`npd_process_*`, `npd_nodejs_*`). @default true */
  readonly processMetrics?: boolean;
  /** Whether a pod (by UID) is still on the node: its OOM-kill series go a while after it is not. @default never removed */
  readonly podPresent?: (uid: string) => boolean;
  /** How long a pod stays gone before its series are removed. @default 300000 */
  readonly podRetentionMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** An {@link Exporter} that keeps Prometheus metrics, plus the agent's health {@link Telemetry}. */
export interface PrometheusExporter extends Exporter {
  /** The health metrics: pass it to sources, monitors and the other exporters. */
  readonly telemetry: Telemetry;
  /** The registry holding every metric; give it to `startMetricsServer`. */
  readonly registry: Registry;
}

/**
 * Creates the Prometheus exporter.
 * @example
 * const prom = createPrometheusExporter();
 * const server = await startMetricsServer({ address: '127.0.0.1', port: 20257, registry: prom.registry, logger });
 */
export function createPrometheusExporter(options: PrometheusExporterOptions = {}): PrometheusExporter {
  const registry = options.registry ?? new Registry();
  const problems = createProblemMetrics(registry);
  const pods = createPodMetrics(registry, {
    clock: options.clock ?? systemClock,
    ...(options.podPresent ? { podPresent: options.podPresent } : {}),
    ...(options.podRetentionMs !== undefined ? { retentionMs: options.podRetentionMs } : {}),
  });
  const health = createPrometheusTelemetry(registry);
  const processMetrics = options.processMetrics ?? true ? registerProcessMetrics(registry, metricPrefix) : undefined;
  // The agent's 1-second tick also feeds the process metrics' loop-lag figures (one timer for both).
  const telemetry: Telemetry = processMetrics
    ? {
        ...health,
        eventLoopLag(seconds, tickSeconds) {
          health.eventLoopLag(seconds, tickSeconds);
          processMetrics.recordLoopLag(tickSeconds);
        },
      }
    : health;
  return {
    name: 'prometheus',
    telemetry,
    registry,
    setMonitors: (monitors) => problems.setMonitors(monitors),
    export: (status) => {
      problems.record(status);
      pods.record(status);
    },
    // Metrics are updated in memory, synchronously: there is no queue that could get stuck.
    healthy: () => true,
    stop: async () => {},
  };
}
