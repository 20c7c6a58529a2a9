/**
 * The agent's own health figures, as an interface the components call. The Prometheus exporter
 * implements it with prom-client; tests and `npd replay` pass {@link noopTelemetry} or a recorder.
 * Keeping it an interface keeps the layers apart: a source or a monitor never imports an exporter.
 */

/** What a log source is doing: reading, waiting for an input that does not exist here, or failing on one that does. */
export type SourceState = 'up' | 'waiting' | 'failing';

/** Why a line was not matched. */
export type SkipReason = 'old' | 'skiplist' | 'unparsable' | 'empty';

/** How a log file was rotated: a new file at the path (rename, delete + recreate) or truncated in place (copytruncate). */
export type FileRotationStyle = 'renamed' | 'truncated';

/**
 * Why a file source knows it lost data: `truncated` (a file truncated before it was read to the end,
 * and no rotated copy holds the rest), `too-many-files` (more rotated files waiting than it holds open),
 * `unopened` (a file created and removed before the source could open it).
 */
export type FileSkipReason = 'truncated' | 'too-many-files' | 'unopened';

/** Health counters and gauges of the agent. Every method is cheap and never throws. */
export interface Telemetry {
  /** Lines a source handed to its monitor. */
  linesRead(source: string, n?: number): void;
  /** Lines dropped before matching. */
  linesSkipped(source: string, reason: SkipReason, n?: number): void;
  /** A source restarted after an error (reopened a file, respawned journalctl, reopened kmsg). */
  sourceRestart(source: string): void;
  /** A source entered a state (`npd_source_up`). */
  sourceState(source: string, state: SourceState): void;
  /** A monitor and its source are gone (after a reload): their per-source series go too. */
  sourceRemoved(source: string): void;
  /**
   * Event-loop lag, once a tick of the agent's 1-second timer: `seconds` the longest lateness over
   * the last minute (`npd_event_loop_lag_seconds`), `tickSeconds` this tick's (the
   * `npd_nodejs_eventloop_lag_*` figures between two scrapes).
   */
  eventLoopLag(seconds: number, tickSeconds: number): void;
  /** A log file rotation a file source followed. */
  fileRotation(source: string, style: FileRotationStyle): void;
  /** Data a file source knows it could not read. */
  fileSkip(source: string, reason: FileSkipReason): void;
  /** kmsg records lost to ring-buffer overwrite (the sequence gap). */
  kmsgRecordsLost(source: string, n: number): void;
  /** Time spent matching one line against all rules of a monitor. */
  ruleEvaluation(monitor: string, seconds: number): void;
  /** One request to the apiserver and how it ended (`200`, `409`, `network` …). */
  apiRequest(verb: string, resource: string, result: string): void;
  /** An event not sent: `queue-full`, `spam-filter`, `rejected`. */
  eventDropped(reason: string): void;
  /** One run of a probe rule or plugin. */
  probeRun(monitor: string, rule: string, ok: boolean, seconds: number): void;
  /** A host watermark ratio (0–1, counts may pass 1) measured by a probe: `fd`, `pid`, `inodes`, `conntrack`, `slab-unreclaimable`, `cgroups`, `dentry`. */
  watermark(resource: string, target: string, ratio: number): void;
  /** A configuration reload attempt. */
  configReload(ok: boolean): void;
}

/** Telemetry that records nothing. */
export const noopTelemetry: Telemetry = {
  linesRead() {},
  linesSkipped() {},
  sourceRestart() {},
  sourceState() {},
  sourceRemoved() {},
  eventLoopLag() {},
  fileRotation() {},
  fileSkip() {},
  kmsgRecordsLost() {},
  ruleEvaluation() {},
  apiRequest() {},
  eventDropped() {},
  probeRun() {},
  watermark() {},
  configReload() {},
};
