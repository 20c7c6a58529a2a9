/**
 * NPD's problem metrics, `problem_counter{reason}` and `problem_gauge{type,reason}`, fed from Status.
 *
 * What counts (decided here, documented in the README):
 * - `problem_counter{reason}` +1 for every Event of severity `warn` in a Status. Monitors emit `warn`
 *   for temporary-rule events (a log line matched, a plugin exited non-OK) and for a condition turning
 *   True or changing its problem reason (`transition()` in `problem.ts`); a condition going back to
 *   False or Unknown is an `info` event and does not count. This is NPD's rule for log monitors (+1 per
 *   emitted event: temporary events and condition-change events, which in NPD only ever go to True) and
 *   for custom plugins (+1 per active-problem event).
 * - `problem_gauge{type,reason}` is 1 while condition `type` is True with `reason`, else 0; a new
 *   reason for the same type first zeroes the previous one (NPD). Unlike NPD (#474, where a log
 *   monitor's gauge never returns to 0), it returns to 0 when the condition becomes False or Unknown.
 * - Every series a monitor can produce exists at 0 from `setMonitors` on: the counter for each
 *   problem reason, the gauge for each problem that sets a condition. Only monitors with
 *   `metricsReporting` count; a Status from a source never described counts (NPD's default is true).
 * - On reload, gauge series of condition types no reporting monitor owns any more are removed (a stale
 *   1 would keep an alert firing forever); counters are kept, as counters never go back.
 */
import { Counter, Gauge, type Registry } from './prom-client.js';
import type { MonitorDescription, Status } from '../../core/problem.js';
import { problemMetrics } from './metric-catalog.js';

/** The problem metrics of one registry. */
export interface ProblemMetrics {
  /** Declares the running monitors: creates their zero series, drops gauges of types gone. */
  setMonitors(monitors: readonly MonitorDescription[]): void;
  /** Applies one monitor report. Cheap, never throws. */
  record(status: Status): void;
}

/** Creates `problem_counter` and `problem_gauge` in `registry`. */
export function createProblemMetrics(registry: Registry): ProblemMetrics {
  const { counter: counterSpec, gauge: gaugeSpec } = problemMetrics;
  const counter = new Counter({ name: counterSpec.name, help: counterSpec.help, labelNames: counterSpec.labels, registers: [registry] });
  const gauge = new Gauge({ name: gaugeSpec.name, help: gaugeSpec.help, labelNames: gaugeSpec.labels, registers: [registry] });

  /** Whether a source's reports count (true if any monitor with that source has metricsReporting). */
  let reporting = new Map<string, boolean>();
  /** Gauge series that exist, by condition type then reason. */
  const series = new Map<string, Set<string>>();
  /** The reason whose gauge is at 1, per condition type. */
  const active = new Map<string, string>();

  const setGauge = (type: string, reason: string, value: 0 | 1): void => {
    let reasons = series.get(type);
    if (!reasons) series.set(type, (reasons = new Set()));
    reasons.add(reason);
    gauge.set({ type, reason }, value);
  };

  return {
    setMonitors(monitors) {
      const next = new Map<string, boolean>();
      for (const m of monitors) next.set(m.source, (next.get(m.source) ?? false) || m.metricsReporting);
      reporting = next;
      const owned = new Set<string>();
      for (const m of monitors) {
        if (!m.metricsReporting) continue;
        for (const c of m.conditions) owned.add(c.type);
        for (const p of m.problems) {
          counter.inc({ reason: p.reason }, 0);
          if (p.condition === undefined) continue;
          owned.add(p.condition);
          if (!series.get(p.condition)?.has(p.reason)) setGauge(p.condition, p.reason, 0);
        }
      }
      for (const [type, reasons] of series) {
        if (owned.has(type)) continue;
        for (const reason of reasons) gauge.remove({ type, reason });
        series.delete(type);
        active.delete(type);
      }
    },
    record(status) {
      if (!(reporting.get(status.source) ?? true)) return;
      for (const e of status.events) {
        if (e.severity === 'warn') counter.inc({ reason: e.reason });
      }
      for (const c of status.conditions) {
        const previous = active.get(c.type);
        if (c.status === 'True') {
          if (previous === c.reason) continue;
          if (previous !== undefined) setGauge(c.type, previous, 0);
          setGauge(c.type, c.reason, 1);
          active.set(c.type, c.reason);
        } else if (previous !== undefined) {
          setGauge(c.type, previous, 0);
          active.delete(c.type);
        }
      }
    },
  };
}
