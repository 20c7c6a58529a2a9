/**
 * Every metric npd-ts exports, defined once: name, type, labels and help. Metric names are the
 * user's API (alerts and dashboards are keyed on them), so they are never retyped elsewhere: the
 * exporter builds its prom-client metrics from this table, the golden test guards it and the README
 * table is checked against it.
 */

/** One metric family. */
export interface MetricSpec {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labels: readonly string[];
  readonly help: string;
}

/** Prefix of the agent's own metrics (NPD's `problem_*` names have none, as in NPD). */
export const metricPrefix = 'npd_';

/**
 * Buckets of `npd_rule_evaluation_seconds`: matching one line against a monitor's rules takes
 * microseconds; the upper buckets catch catastrophic backtracking.
 */
export const ruleEvaluationBuckets: readonly number[] = [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.1, 1];

/** Buckets of `npd_probe_duration_seconds`: probes read a file (ms) or call a network (s). */
export const probeDurationBuckets: readonly number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** NPD's problem metrics, with NPD's names, labels and help text (`pkg/problemmetrics`). */
export const problemMetrics = {
  counter: {
    name: 'problem_counter',
    type: 'counter',
    labels: ['reason'],
    help: 'Number of times a specific type of problem have occurred.',
  },
  gauge: {
    name: 'problem_gauge',
    type: 'gauge',
    labels: ['type', 'reason'],
    help: 'Whether a specific type of problem is affecting the node or not.',
  },
} as const satisfies Record<string, MetricSpec>;

/** Pod metrics from events attributed to pods (`pod-metrics.ts`). */
export const podMetrics = {
  oomKills: {
    name: 'npd_pod_oom_kills_total',
    type: 'counter',
    labels: ['namespace', 'pod', 'container', 'scope'],
    help: 'Processes killed by the kernel OOM killer in a pod container, by the limit reached (scope: container, pod, node). Series of a pod are removed a few minutes after its log directory is gone.',
  },
} as const satisfies Record<string, MetricSpec>;

/** The agent's own health metrics (the {@link Telemetry} interface). */
export const healthMetrics = {
  linesRead: {
    name: 'npd_source_lines_read_total',
    type: 'counter',
    labels: ['source'],
    help: 'Log lines a source handed to its monitor.',
  },
  linesSkipped: {
    name: 'npd_source_lines_skipped_total',
    type: 'counter',
    labels: ['source', 'reason'],
    help: 'Log lines dropped before rule matching, by reason (old, skiplist, unparsable, empty).',
  },
  sourceRestarts: {
    name: 'npd_source_restarts_total',
    type: 'counter',
    labels: ['source'],
    help: 'Times a log source restarted after an error (file reopened, journalctl respawned, kmsg reopened).',
  },
  sourceUp: {
    name: 'npd_source_up',
    type: 'gauge',
    labels: ['source'],
    help: 'State of a log source: 1 up (reading), 0 waiting (its input does not exist on this node, or starting), -1 failing (the input exists but cannot be read).',
  },
  eventLoopLag: {
    name: 'npd_event_loop_lag_seconds',
    type: 'gauge',
    labels: [],
    help: "Longest delay of the agent's 1-second timer over the last minute (event-loop lag: a blocked read or a slow rule).",
  },
  fileRotations: {
    name: 'npd_source_file_rotations_total',
    type: 'counter',
    labels: ['source', 'style'],
    help: 'Log file rotations a file source followed, by style (renamed: a new file at the path; truncated: copytruncate).',
  },
  fileSkips: {
    name: 'npd_source_file_skips_total',
    type: 'counter',
    labels: ['source', 'reason'],
    help: 'Times a file source knows it lost log data, by reason (truncated: truncated before read to the end, no copy found; too-many-files; unopened: a file created and removed before it could be opened).',
  },
  kmsgRecordsLost: {
    name: 'npd_kmsg_records_lost_total',
    type: 'counter',
    labels: ['source'],
    help: 'Kernel log records overwritten in the ring buffer before they were read (kmsg sequence gaps).',
  },
  ruleEvaluation: {
    name: 'npd_rule_evaluation_seconds',
    type: 'histogram',
    labels: ['monitor'],
    help: "Time spent matching one log line against all of a monitor's rules.",
  },
  apiRequests: {
    name: 'npd_apiserver_requests_total',
    type: 'counter',
    labels: ['verb', 'resource', 'result'],
    help: 'Requests to the Kubernetes apiserver, by verb, resource and result (HTTP status or network).',
  },
  eventsDropped: {
    name: 'npd_events_dropped_total',
    type: 'counter',
    labels: ['reason'],
    help: 'Kubernetes Events not sent, by reason (queue-full, spam-filter, rejected).',
  },
  probeRuns: {
    name: 'npd_probe_runs_total',
    type: 'counter',
    labels: ['monitor', 'rule'],
    help: 'Runs of a probe rule or custom plugin.',
  },
  probeFailures: {
    name: 'npd_probe_failures_total',
    type: 'counter',
    labels: ['monitor', 'rule'],
    help: 'Runs of a probe rule or custom plugin that could not produce a verdict (error, timeout, unknown).',
  },
  probeDuration: {
    name: 'npd_probe_duration_seconds',
    type: 'histogram',
    labels: ['monitor', 'rule'],
    help: 'Duration of probe rule and custom plugin runs.',
  },
  probeLastSuccess: {
    name: 'npd_probe_last_run_success',
    type: 'gauge',
    labels: ['monitor', 'rule'],
    help: 'Whether the last run of a probe rule produced a verdict (1) or failed (0).',
  },
  probeLastDuration: {
    name: 'npd_probe_last_run_duration_seconds',
    type: 'gauge',
    labels: ['monitor', 'rule'],
    help: 'Duration of the last run of a probe rule.',
  },
  watermark: {
    name: 'npd_host_watermark_ratio',
    type: 'gauge',
    labels: ['resource', 'target'],
    help: 'Use of a host resource as a ratio of its limit (0-1), as last measured by a probe: fd, pid, inodes, conntrack.',
  },
  configReloads: {
    name: 'npd_config_reloads_total',
    type: 'counter',
    labels: ['result'],
    help: 'Configuration reload attempts, by result (success, failure).',
  },
  configLastReloadSuccess: {
    name: 'npd_config_last_reload_successful',
    type: 'gauge',
    labels: [],
    help: 'Whether the last configuration reload succeeded (1 also before any reload).',
  },
} as const satisfies Record<string, MetricSpec>;

/** Every metric family npd-ts defines (Node.js process metrics from prom-client come on top). */
export const metricCatalog: readonly MetricSpec[] = [...Object.values(problemMetrics), ...Object.values(podMetrics), ...Object.values(healthMetrics)];
