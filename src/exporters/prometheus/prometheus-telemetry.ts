/**
 * The {@link Telemetry} interface on prom-client: the agent's own health as `npd_*` metrics. The
 * per-line calls (`linesRead`, `ruleEvaluation`) keep their labelled children in a map, so the hot
 * path does no label hashing.
 */
import { Counter, Gauge, Histogram, type Registry } from './prom-client.js';
import type { SkipReason, SourceState, Telemetry } from '../../core/telemetry.js';
import { healthMetrics, probeDurationBuckets, ruleEvaluationBuckets, type MetricSpec } from './metric-catalog.js';

function counterOf(spec: MetricSpec, registry: Registry): Counter<string> {
  return new Counter({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
}

function gaugeOf(spec: MetricSpec, registry: Registry): Gauge<string> {
  return new Gauge({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
}

function histogramOf(spec: MetricSpec, buckets: readonly number[], registry: Registry): Histogram<string> {
  return new Histogram({ name: spec.name, help: spec.help, labelNames: spec.labels, buckets: [...buckets], registers: [registry] });
}

/** Memoises `make(key)`. */
function cached<T>(make: (key: string) => T): (key: string) => T {
  const children = new Map<string, T>();
  return (key) => {
    let child = children.get(key);
    if (child === undefined) children.set(key, (child = make(key)));
    return child;
  };
}

/** `npd_source_up` by state (README "Health and liveness"). */
const sourceUpValues: Readonly<Record<SourceState, number>> = { up: 1, waiting: 0, failing: -1 };

/** A finite number, or 0: prom-client would throw on NaN/Infinity in some paths, and Telemetry never throws. */
function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

/**
 * Creates the health metrics in `registry` and returns the {@link Telemetry} that feeds them.
 * `npd_config_reloads_total{result}` starts at 0 for both results and
 * `npd_config_last_reload_successful` at 1.
 */
export function createPrometheusTelemetry(registry: Registry): Telemetry {
  const m = healthMetrics;
  const linesRead = counterOf(m.linesRead, registry);
  const linesSkipped = counterOf(m.linesSkipped, registry);
  const sourceRestarts = counterOf(m.sourceRestarts, registry);
  const fileRotations = counterOf(m.fileRotations, registry);
  const fileSkips = counterOf(m.fileSkips, registry);
  const kmsgRecordsLost = counterOf(m.kmsgRecordsLost, registry);
  const sourceUp = gaugeOf(m.sourceUp, registry);
  const eventLoopLag = gaugeOf(m.eventLoopLag, registry);
  const ruleEvaluation = histogramOf(m.ruleEvaluation, ruleEvaluationBuckets, registry);
  const apiRequests = counterOf(m.apiRequests, registry);
  const eventsDropped = counterOf(m.eventsDropped, registry);
  const probeRuns = counterOf(m.probeRuns, registry);
  const probeFailures = counterOf(m.probeFailures, registry);
  const probeDuration = histogramOf(m.probeDuration, probeDurationBuckets, registry);
  const probeLastSuccess = gaugeOf(m.probeLastSuccess, registry);
  const probeLastDuration = gaugeOf(m.probeLastDuration, registry);
  const watermark = gaugeOf(m.watermark, registry);
  const configReloads = counterOf(m.configReloads, registry);
  const configLastReloadSuccess = gaugeOf(m.configLastReloadSuccess, registry);

  configReloads.inc({ result: 'success' }, 0);
  configReloads.inc({ result: 'failure' }, 0);
  configLastReloadSuccess.set(1);

  const linesReadOf = cached((source) => linesRead.labels({ source }));
  const ruleEvaluationOf = cached((monitor) => ruleEvaluation.labels({ monitor }));

  return {
    linesRead(source: string, n = 1) {
      linesReadOf(source).inc(Math.max(0, finite(n)));
    },
    linesSkipped(source: string, reason: SkipReason, n = 1) {
      linesSkipped.inc({ source, reason }, Math.max(0, finite(n)));
    },
    sourceRestart(source) {
      sourceRestarts.inc({ source });
    },
    sourceState(source, state) {
      sourceUp.set({ source }, sourceUpValues[state]);
    },
    sourceRemoved(source) {
      sourceUp.remove({ source });
    },
    eventLoopLag(seconds) {
      eventLoopLag.set(Math.max(0, finite(seconds)));
    },
    fileRotation(source, style) {
      fileRotations.inc({ source, style });
    },
    fileSkip(source, reason) {
      fileSkips.inc({ source, reason });
    },
    kmsgRecordsLost(source, n) {
      kmsgRecordsLost.inc({ source }, Math.max(0, finite(n)));
    },
    ruleEvaluation(monitor, seconds) {
      ruleEvaluationOf(monitor).observe(Math.max(0, finite(seconds)));
    },
    apiRequest(verb, resource, result) {
      apiRequests.inc({ verb, resource, result });
    },
    eventDropped(reason) {
      eventsDropped.inc({ reason });
    },
    probeRun(monitor, rule, ok, seconds) {
      const labels = { monitor, rule };
      const s = Math.max(0, finite(seconds));
      probeRuns.inc(labels);
      // Created at 0 on the first run, so a rate() over failures exists before the first failure.
      probeFailures.inc(labels, ok ? 0 : 1);
      probeDuration.observe(labels, s);
      probeLastSuccess.set(labels, ok ? 1 : 0);
      probeLastDuration.set(labels, s);
    },
    watermark(resource, target, ratio) {
      watermark.set({ resource, target }, finite(ratio));
    },
    configReload(ok) {
      configReloads.inc({ result: ok ? 'success' : 'failure' });
      configLastReloadSuccess.set(ok ? 1 : 0);
    },
  };
}
