/**
 * The health model (README "Health and liveness"): what `/healthz` answers, computed from what
 * each monitor's source reports. A source `waiting` for an input this node lacks is healthy; one
 * `failing` longer than the grace period is not, nor is a monitor that stopped on an error, nor a
 * stuck exporter. Event-loop lag is reported, not judged (a loop stalled longer than the probe's
 * timeout already fails the probe: `/healthz` is served by the same loop).
 */
import { formatDuration } from '../core/clock.js';
import type { SourceState } from '../core/telemetry.js';
import type { MonitorHealth } from '../monitors/monitor.js';
import type { LoopLagReport } from './loop-lag.js';

/** One monitor in the `/healthz` body. */
export interface MonitorHealthEntry {
  readonly source: string;
  readonly ok: boolean;
  /** A log monitor's source state. */
  readonly state?: SourceState;
  readonly detail: string;
  /** When the source entered `state` (ISO 8601). */
  readonly since?: string;
}

/** The `/healthz` body; 200 when `ok`, else 503. */
export interface HealthReport {
  readonly ok: boolean;
  /** `ok`, or what is wrong: `kernel-monitor: /dev/kmsg: EACCES: permission denied…` (one per problem, `; `-separated). */
  readonly detail: string;
  readonly monitors: readonly MonitorHealthEntry[];
  readonly exporters: readonly { readonly name: string; readonly ok: boolean }[];
  readonly eventLoop: LoopLagReport;
}

/** Inputs of {@link assessHealth}. */
export interface HealthInputs {
  readonly nowMs: number;
  /** How long a source may fail before `/healthz` does (`--source-failure-grace-period`). */
  readonly graceMs: number;
  readonly monitors: readonly { readonly source: string; readonly health: MonitorHealth; readonly crashed: string | undefined }[];
  readonly exporters: readonly { readonly name: string; readonly ok: boolean }[];
  readonly eventLoop: LoopLagReport;
}

function entryOf(m: HealthInputs['monitors'][number], nowMs: number, graceMs: number): MonitorHealthEntry {
  const src = m.health.source;
  const base = { source: m.source, ...(src ? { state: src.state, since: new Date(src.sinceMs).toISOString() } : {}) };
  if (m.crashed !== undefined) return { ...base, ok: false, detail: `monitor stopped: ${m.crashed}` };
  if (!m.health.ok || !src || src.state !== 'failing') return { ...base, ok: m.health.ok, detail: m.health.detail };
  const forMs = Math.max(0, nowMs - src.sinceMs);
  const ok = forMs < graceMs;
  const verdict = ok ? `/healthz fails after ${formatDuration(graceMs)}` : `longer than the ${formatDuration(graceMs)} grace period`;
  return { ...base, ok, detail: `${src.detail} (failing for ${formatDuration(Math.round(forMs / 1000) * 1000)}, ${verdict})` };
}

/** The health report. */
export function assessHealth(inputs: HealthInputs): HealthReport {
  const monitors = inputs.monitors.map((m) => entryOf(m, inputs.nowMs, inputs.graceMs));
  const problems = [
    ...monitors.filter((m) => !m.ok).map((m) => `${m.source}: ${m.detail}`),
    ...inputs.exporters.filter((e) => !e.ok).map((e) => `${e.name} exporter unhealthy`),
  ];
  return { ok: problems.length === 0, detail: problems.length === 0 ? 'ok' : problems.join('; '), monitors, exporters: inputs.exporters, eventLoop: inputs.eventLoop };
}
