import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  createPodDirectory
} from "./chunk-LR573IHH.js";
import {
  createLogger
} from "./chunk-J6AMBY67.js";
import {
  noopTelemetry
} from "./chunk-7POS7IP2.js";
import {
  http
} from "./chunk-MLIL5XYT.js";
import {
  systemClock
} from "./chunk-S7FWY2NQ.js";
import {
  ConfigError,
  errorMessage,
  isFdExhaustion
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/exporters/prometheus/prom-client.js
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var Registry = require2("prom-client/lib/registry.js");
var Counter = require2("prom-client/lib/counter.js");
var Gauge = require2("prom-client/lib/gauge.js");
var Histogram = require2("prom-client/lib/histogram.js");

// ../../../work/wt/footprint/dist/src/exporters/prometheus/process-metrics.js
import { readdirSync, readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
var LOOP_DELAY_RESOLUTION_MS = 1e3;
function readFds() {
  try {
    const open = readdirSync("/proc/self/fd").length - 1;
    const limit = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"))?.[1];
    return { open, max: Number(limit ?? NaN) };
  } catch {
    return void 0;
  }
}
function registerProcessMetrics(registry, prefix) {
  const registers = [registry];
  const delay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  delay.enable();
  const cpuCounter = (name, help, of) => {
    let last = 0;
    new Counter({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        const seconds = of(process.cpuUsage()) / 1e6;
        if (seconds > last)
          this.inc(seconds - last);
        last = seconds;
      }
    });
  };
  cpuCounter("process_cpu_user_seconds_total", "Total user CPU time spent in seconds.", (c) => c.user);
  cpuCounter("process_cpu_system_seconds_total", "Total system CPU time spent in seconds.", (c) => c.system);
  cpuCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", (c) => c.user + c.system);
  const gauge = (name, help, value) => {
    new Gauge({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        const v = value();
        if (v !== void 0 && Number.isFinite(v))
          this.set(v);
      }
    });
  };
  const startSeconds = Math.round(performance.timeOrigin / 1e3);
  gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", () => startSeconds);
  gauge("process_resident_memory_bytes", "Resident memory size in bytes.", () => process.memoryUsage.rss());
  gauge("process_open_fds", "Number of open file descriptors.", () => readFds()?.open);
  gauge("process_max_fds", "Maximum number of open file descriptors.", () => readFds()?.max);
  gauge("nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes.", () => process.memoryUsage().heapTotal);
  gauge("nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes.", () => process.memoryUsage().heapUsed);
  gauge("nodejs_external_memory_bytes", "Node.js external memory size in bytes.", () => process.memoryUsage().external);
  const lag = (suffix, help, of) => gauge(`nodejs_eventloop_lag${suffix}_seconds`, help, () => delay.count > 0 ? of() / 1e9 : void 0);
  lag("", "Lag of event loop in seconds (the mean since the last scrape).", () => delay.mean);
  lag("_min", "The minimum recorded event loop delay.", () => delay.min);
  lag("_max", "The maximum recorded event loop delay.", () => delay.max);
  lag("_mean", "The mean of the recorded event loop delays.", () => delay.mean);
  lag("_stddev", "The standard deviation of the recorded event loop delays.", () => delay.stddev);
  lag("_p50", "The 50th percentile of the recorded event loop delays.", () => delay.percentile(50));
  lag("_p90", "The 90th percentile of the recorded event loop delays.", () => delay.percentile(90));
  lag("_p99", "The 99th percentile of the recorded event loop delays.", () => {
    const p99 = delay.percentile(99);
    delay.reset();
    return p99;
  });
  new Gauge({
    name: `${prefix}nodejs_version_info`,
    help: "Node.js version info.",
    labelNames: ["version", "major", "minor", "patch"],
    registers
  }).set({ version: process.version, ...Object.fromEntries(["major", "minor", "patch"].map((k, i) => [k, process.versions.node.split(".")[i] ?? ""])) }, 1);
  return () => delay.disable();
}

// ../../../work/wt/footprint/dist/src/exporters/prometheus/metric-catalog.js
var metricPrefix = "npd_";
var ruleEvaluationBuckets = [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.1, 1];
var probeDurationBuckets = [1e-3, 5e-3, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
var problemMetrics = {
  counter: {
    name: "problem_counter",
    type: "counter",
    labels: ["reason"],
    help: "Number of times a specific type of problem have occurred."
  },
  gauge: {
    name: "problem_gauge",
    type: "gauge",
    labels: ["type", "reason"],
    help: "Whether a specific type of problem is affecting the node or not."
  }
};
var podMetrics = {
  oomKills: {
    name: "npd_pod_oom_kills_total",
    type: "counter",
    labels: ["namespace", "pod", "container", "scope"],
    help: "Processes killed by the kernel OOM killer in a pod container, by the limit reached (scope: container, pod, node). Series of a pod are removed a few minutes after its log directory is gone."
  }
};
var healthMetrics = {
  linesRead: {
    name: "npd_source_lines_read_total",
    type: "counter",
    labels: ["source"],
    help: "Log lines a source handed to its monitor."
  },
  linesSkipped: {
    name: "npd_source_lines_skipped_total",
    type: "counter",
    labels: ["source", "reason"],
    help: "Log lines dropped before rule matching, by reason (old, skiplist, unparsable, empty)."
  },
  sourceRestarts: {
    name: "npd_source_restarts_total",
    type: "counter",
    labels: ["source"],
    help: "Times a log source restarted after an error (file reopened, journalctl respawned, kmsg reopened)."
  },
  sourceUp: {
    name: "npd_source_up",
    type: "gauge",
    labels: ["source"],
    help: "State of a log source: 1 up (reading), 0 waiting (its input does not exist on this node, or starting), -1 failing (the input exists but cannot be read)."
  },
  eventLoopLag: {
    name: "npd_event_loop_lag_seconds",
    type: "gauge",
    labels: [],
    help: "Longest delay of the agent's 1-second timer over the last minute (event-loop lag: a blocked read or a slow rule)."
  },
  fileRotations: {
    name: "npd_source_file_rotations_total",
    type: "counter",
    labels: ["source", "style"],
    help: "Log file rotations a file source followed, by style (renamed: a new file at the path; truncated: copytruncate)."
  },
  fileSkips: {
    name: "npd_source_file_skips_total",
    type: "counter",
    labels: ["source", "reason"],
    help: "Times a file source knows it lost log data, by reason (truncated: truncated before read to the end, no copy found; too-many-files; unopened: a file created and removed before it could be opened)."
  },
  kmsgRecordsLost: {
    name: "npd_kmsg_records_lost_total",
    type: "counter",
    labels: ["source"],
    help: "Kernel log records overwritten in the ring buffer before they were read (kmsg sequence gaps)."
  },
  ruleEvaluation: {
    name: "npd_rule_evaluation_seconds",
    type: "histogram",
    labels: ["monitor"],
    help: "Time spent matching one log line against all of a monitor's rules."
  },
  apiRequests: {
    name: "npd_apiserver_requests_total",
    type: "counter",
    labels: ["verb", "resource", "result"],
    help: "Requests to the Kubernetes apiserver, by verb, resource and result (HTTP status or network)."
  },
  eventsDropped: {
    name: "npd_events_dropped_total",
    type: "counter",
    labels: ["reason"],
    help: "Kubernetes Events not sent, by reason (queue-full, spam-filter, rejected)."
  },
  probeRuns: {
    name: "npd_probe_runs_total",
    type: "counter",
    labels: ["monitor", "rule"],
    help: "Runs of a probe rule or custom plugin."
  },
  probeFailures: {
    name: "npd_probe_failures_total",
    type: "counter",
    labels: ["monitor", "rule"],
    help: "Runs of a probe rule or custom plugin that could not produce a verdict (error, timeout, unknown)."
  },
  probeDuration: {
    name: "npd_probe_duration_seconds",
    type: "histogram",
    labels: ["monitor", "rule"],
    help: "Duration of probe rule and custom plugin runs."
  },
  probeLastSuccess: {
    name: "npd_probe_last_run_success",
    type: "gauge",
    labels: ["monitor", "rule"],
    help: "Whether the last run of a probe rule produced a verdict (1) or failed (0)."
  },
  probeLastDuration: {
    name: "npd_probe_last_run_duration_seconds",
    type: "gauge",
    labels: ["monitor", "rule"],
    help: "Duration of the last run of a probe rule."
  },
  watermark: {
    name: "npd_host_watermark_ratio",
    type: "gauge",
    labels: ["resource", "target"],
    help: "Use of a host resource as a ratio of its limit (0-1), as last measured by a probe: fd, pid, inodes, conntrack."
  },
  configReloads: {
    name: "npd_config_reloads_total",
    type: "counter",
    labels: ["result"],
    help: "Configuration reload attempts, by result (success, failure)."
  },
  configLastReloadSuccess: {
    name: "npd_config_last_reload_successful",
    type: "gauge",
    labels: [],
    help: "Whether the last configuration reload succeeded (1 also before any reload)."
  }
};
var metricCatalog = [...Object.values(problemMetrics), ...Object.values(podMetrics), ...Object.values(healthMetrics)];

// ../../../work/wt/footprint/dist/src/exporters/prometheus/pod-metrics.js
function createPodMetrics(registry, options) {
  const { clock } = options;
  const retentionMs = options.retentionMs ?? 3e5;
  const spec = podMetrics.oomKills;
  const pods = /* @__PURE__ */ new Map();
  const counter = new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels,
    registers: [registry],
    collect() {
      const present = options.podPresent;
      if (present === void 0)
        return;
      const now = clock.now();
      for (const [uid, series] of pods) {
        if (present(uid)) {
          series.goneSince = void 0;
          continue;
        }
        series.goneSince ??= now;
        if (now - series.goneSince < retentionMs)
          continue;
        for (const l of series.labels)
          counter.remove(JSON.parse(l));
        pods.delete(uid);
      }
    }
  });
  return {
    record(status) {
      for (const e of status.events) {
        if (e.pod === void 0 || e.oomKill === void 0)
          continue;
        const labels = { namespace: e.pod.namespace, pod: e.pod.name, container: e.oomKill.container, scope: e.oomKill.scope };
        counter.inc(labels);
        let series = pods.get(e.pod.uid);
        if (!series)
          pods.set(e.pod.uid, series = { labels: /* @__PURE__ */ new Set(), goneSince: void 0 });
        series.labels.add(JSON.stringify(labels));
      }
    }
  };
}

// ../../../work/wt/footprint/dist/src/exporters/prometheus/problem-metrics.js
function createProblemMetrics(registry) {
  const { counter: counterSpec, gauge: gaugeSpec } = problemMetrics;
  const counter = new Counter({ name: counterSpec.name, help: counterSpec.help, labelNames: counterSpec.labels, registers: [registry] });
  const gauge = new Gauge({ name: gaugeSpec.name, help: gaugeSpec.help, labelNames: gaugeSpec.labels, registers: [registry] });
  let reporting = /* @__PURE__ */ new Map();
  const series = /* @__PURE__ */ new Map();
  const active = /* @__PURE__ */ new Map();
  const setGauge = (type, reason, value) => {
    let reasons = series.get(type);
    if (!reasons)
      series.set(type, reasons = /* @__PURE__ */ new Set());
    reasons.add(reason);
    gauge.set({ type, reason }, value);
  };
  return {
    setMonitors(monitors) {
      const next = /* @__PURE__ */ new Map();
      for (const m of monitors)
        next.set(m.source, (next.get(m.source) ?? false) || m.metricsReporting);
      reporting = next;
      const owned = /* @__PURE__ */ new Set();
      for (const m of monitors) {
        if (!m.metricsReporting)
          continue;
        for (const c of m.conditions)
          owned.add(c.type);
        for (const p of m.problems) {
          counter.inc({ reason: p.reason }, 0);
          if (p.condition === void 0)
            continue;
          owned.add(p.condition);
          if (!series.get(p.condition)?.has(p.reason))
            setGauge(p.condition, p.reason, 0);
        }
      }
      for (const [type, reasons] of series) {
        if (owned.has(type))
          continue;
        for (const reason of reasons)
          gauge.remove({ type, reason });
        series.delete(type);
        active.delete(type);
      }
    },
    record(status) {
      if (!(reporting.get(status.source) ?? true))
        return;
      for (const e of status.events) {
        if (e.severity === "warn")
          counter.inc({ reason: e.reason });
      }
      for (const c of status.conditions) {
        const previous = active.get(c.type);
        if (c.status === "True") {
          if (previous === c.reason)
            continue;
          if (previous !== void 0)
            setGauge(c.type, previous, 0);
          setGauge(c.type, c.reason, 1);
          active.set(c.type, c.reason);
        } else if (previous !== void 0) {
          setGauge(c.type, previous, 0);
          active.delete(c.type);
        }
      }
    }
  };
}

// ../../../work/wt/footprint/dist/src/exporters/prometheus/prometheus-telemetry.js
function counterOf(spec, registry) {
  return new Counter({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
}
function gaugeOf(spec, registry) {
  return new Gauge({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
}
function histogramOf(spec, buckets, registry) {
  return new Histogram({ name: spec.name, help: spec.help, labelNames: spec.labels, buckets: [...buckets], registers: [registry] });
}
function cached(make) {
  const children = /* @__PURE__ */ new Map();
  return (key) => {
    let child = children.get(key);
    if (child === void 0)
      children.set(key, child = make(key));
    return child;
  };
}
var sourceUpValues = { up: 1, waiting: 0, failing: -1 };
function finite(n) {
  return Number.isFinite(n) ? n : 0;
}
function createPrometheusTelemetry(registry) {
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
  configReloads.inc({ result: "success" }, 0);
  configReloads.inc({ result: "failure" }, 0);
  configLastReloadSuccess.set(1);
  const linesReadOf = cached((source) => linesRead.labels({ source }));
  const ruleEvaluationOf = cached((monitor) => ruleEvaluation.labels({ monitor }));
  return {
    linesRead(source, n = 1) {
      linesReadOf(source).inc(Math.max(0, finite(n)));
    },
    linesSkipped(source, reason, n = 1) {
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
      probeFailures.inc(labels, ok ? 0 : 1);
      probeDuration.observe(labels, s);
      probeLastSuccess.set(labels, ok ? 1 : 0);
      probeLastDuration.set(labels, s);
    },
    watermark(resource, target, ratio) {
      watermark.set({ resource, target }, finite(ratio));
    },
    configReload(ok) {
      configReloads.inc({ result: ok ? "success" : "failure" });
      configLastReloadSuccess.set(ok ? 1 : 0);
    }
  };
}

// ../../../work/wt/footprint/dist/src/core/http-limits.js
var defaultHttpLimits = {
  headersTimeoutMs: 5e3,
  requestTimeoutMs: 1e4,
  keepAliveTimeoutMs: 5e3,
  checkIntervalMs: 5e3,
  maxConnections: 64
};
function httpServerOptions(limits = {}) {
  const l = { ...defaultHttpLimits, ...limits };
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: Math.max(l.requestTimeoutMs, l.headersTimeoutMs),
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: l.checkIntervalMs
  };
}
function limitServer(server, name, logger, limits = {}) {
  const max = limits.maxConnections ?? defaultHttpLimits.maxConnections;
  const waiting = /* @__PURE__ */ new Set();
  let open = 0;
  let full = false;
  server.on("connection", (socket) => {
    open++;
    socket.once("close", () => {
      open--;
      waiting.delete(socket);
    });
    if (open <= max) {
      full = false;
      waiting.add(socket);
      return;
    }
    const oldest = waiting.values().next().value;
    if (!full)
      logger.warn(`${name}: connection limit reached, closing the oldest idle connection or else the new one`, { maxConnections: max });
    full = true;
    if (oldest === void 0) {
      socket.destroy();
      return;
    }
    waiting.delete(oldest);
    oldest.destroy();
    waiting.add(socket);
  });
  const inside = /* @__PURE__ */ new WeakMap();
  server.prependListener("request", (req, res) => {
    const socket = req.socket;
    waiting.delete(socket);
    inside.set(socket, (inside.get(socket) ?? 0) + 1);
    res.once("finish", () => {
      const left = (inside.get(socket) ?? 1) - 1;
      inside.set(socket, left);
      if (left === 0 && !socket.destroyed)
        waiting.add(socket);
    });
  });
  server.on("error", (err) => {
    if (isFdExhaustion(err))
      logger.error(`${name}: out of file descriptors, cannot accept connections`, { code: err.code });
    else
      logger.error(`${name}: server error`, { code: err.code, error: err.message });
  });
}

// ../../../work/wt/footprint/dist/src/exporters/prometheus/metrics-server.js
function hostForUrl(address) {
  return address.includes(":") ? `[${address}]` : address;
}
function startMetricsServer(options) {
  const { registry, logger } = options;
  const handle = async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found: try /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }).end("method not allowed\n");
      return;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { "Content-Type": registry.contentType, "Content-Length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? void 0 : body);
    } catch (err) {
      logger.error("collecting metrics failed", { error: errorMessage(err) });
      if (!res.headersSent)
        res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("collecting metrics failed\n");
    }
  };
  const limits = { keepAliveTimeoutMs: 65e3, ...options.limits };
  const server = http.createServer(httpServerOptions(limits), (req, res) => void handle(req, res));
  return new Promise((resolve, reject) => {
    const onError = (err) => reject(new Error(`cannot serve metrics on ${hostForUrl(options.address)}:${options.port}: ${err.message}`, { cause: err }));
    server.once("error", onError);
    server.listen(options.port, options.address, () => {
      server.off("error", onError);
      limitServer(server, "metrics server", logger, limits);
      const { port } = server.address();
      const url = `http://${hostForUrl(options.address)}:${port}/metrics`;
      logger.info("serving metrics", { url });
      resolve({
        url,
        close: () => new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections();
        })
      });
    });
  });
}

// ../../../work/wt/footprint/dist/src/exporters/prometheus/prometheus-exporter.js
function createPrometheusExporter(options = {}) {
  const registry = options.registry ?? new Registry();
  const problems = createProblemMetrics(registry);
  const pods = createPodMetrics(registry, {
    clock: options.clock ?? systemClock,
    ...options.podPresent ? { podPresent: options.podPresent } : {},
    ...options.podRetentionMs !== void 0 ? { retentionMs: options.podRetentionMs } : {}
  });
  const telemetry = createPrometheusTelemetry(registry);
  const stopProcessMetrics = options.processMetrics ?? true ? registerProcessMetrics(registry, metricPrefix) : () => {
  };
  return {
    name: "prometheus",
    telemetry,
    registry,
    setMonitors: (monitors) => problems.setMonitors(monitors),
    export: (status) => {
      problems.record(status);
      pods.record(status);
    },
    // Metrics are updated in memory, synchronously: there is no queue that could get stuck.
    healthy: () => true,
    stop: async () => stopProcessMetrics()
  };
}

// ../../../work/wt/footprint/dist/src/app/health-server.js
async function startHealthServer(options) {
  const server = http.createServer(httpServerOptions(options.limits), (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    if (path === "/healthz") {
      const report = options.health();
      res.writeHead(report.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(`${JSON.stringify(report)}
`);
    } else if (path === "/conditions") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`${JSON.stringify(options.conditions(), null, 2)}
`);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.address ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  limitServer(server, "health server", options.logger, options.limits);
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : options.port;
  const host = (options.address ?? "127.0.0.1").includes(":") ? `[${options.address}]` : options.address ?? "127.0.0.1";
  options.logger.info("health server listening", { url: `http://${host}:${port}` });
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })
  };
}

// ../../../work/wt/footprint/dist/src/app/run.js
var starting = { ok: true, detail: "starting", monitors: [], exporters: [], eventLoop: { lastSeconds: 0, maxSeconds: 0 } };
var listenProblems = {
  EADDRINUSE: "the port is already in use",
  EADDRNOTAVAIL: "the address is not on this host",
  EACCES: "permission denied"
};
function listenCode(err) {
  for (let e = err; typeof e === "object" && e !== null; e = e.cause) {
    const code = e.code;
    if (typeof code === "string")
      return code;
  }
  return void 0;
}
async function listen(flag, address, port, start) {
  try {
    return await start();
  } catch (err) {
    const code = listenCode(err);
    const why = (code && listenProblems[code]) ?? errorMessage(err);
    throw new ConfigError("command line", flag, `cannot listen on ${address.includes(":") ? `[${address}]` : address}:${port}: ${why}${code ? ` (${code})` : ""}`, { cause: err });
  }
}
async function runAgent(settings, env) {
  const { signal } = env;
  const logger = createLogger({ level: settings.logLevel, ...env.writeLog ? { write: env.writeLog } : {} });
  const clock = env.clock ?? systemClock;
  const processEnv = env.env ?? process.env;
  const exporters = [];
  const closers = [];
  let telemetry = noopTelemetry;
  let agent;
  const startAborted = new AbortController();
  let exporterStarted;
  let metricsUrl;
  let healthUrl;
  const pods = createPodDirectory({ podsLogDir: settings.podsLogDir, containersLogDir: settings.containersLogDir });
  try {
    for (const flag of settings.ignoredFlags)
      logger.warn(`${flag} is not supported and is ignored`);
    if (settings.prometheusPort !== 0) {
      const prom = createPrometheusExporter({ clock, ...pods.enabled ? { podPresent: (uid) => pods.exists(uid) } : {} });
      telemetry = prom.telemetry;
      exporters.push(prom);
      const server = await listen("--prometheus-port", settings.prometheusAddress, settings.prometheusPort, () => startMetricsServer({ address: settings.prometheusAddress, port: settings.prometheusPort, registry: prom.registry, logger }));
      closers.push(() => server.close());
      metricsUrl = server.url;
    }
    if (settings.port !== 0) {
      const health = await listen("--port", settings.address, settings.port, () => startHealthServer({
        address: settings.address,
        port: settings.port,
        health: () => agent?.health() ?? starting,
        conditions: () => agent?.conditions() ?? {},
        logger
      }));
      closers.push(() => health.close());
      healthUrl = health.url;
    }
    const cpu = process.cpuUsage();
    logger.debug("serving", { health: healthUrl, metrics: metricsUrl, sinceStartMs: Math.round(performance.now()), cpuMs: Math.round((cpu.user + cpu.system) / 1e3) });
    const [{ createAgent }, { createContainerProcesses }, { readBootTimeMs }, { createProcTableSource }, { resolveMonitorFiles }] = await Promise.all([
      import("./agent-VGCKMMCQ.js"),
      import("./container-processes-BZYIPQEV.js"),
      import("./boot-time-D6AUTNVY.js"),
      import("./proc-table-VIRN6YAD.js"),
      import("./monitor-files-CLT6SOAF.js")
    ]);
    const podAttribution = pods.enabled ? { directory: pods, processes: createContainerProcesses(settings.procPath, clock) } : void 0;
    let k8s;
    if (settings.enableK8sExporter) {
      const { createKubernetesExporter, loadConnection, resolveNodeName } = await import("./kubernetes-exporter-BEKLK4VU.js");
      const { hostname } = await import("node:os");
      const connection = await loadConnection({ apiserverOverride: settings.apiserverOverride, kubeconfig: settings.kubeconfig }, processEnv, clock);
      k8s = createKubernetesExporter({
        connection,
        nodeName: resolveNodeName(settings.hostnameOverride, processEnv["NODE_NAME"], env.hostname ?? hostname()),
        podName: processEnv["POD_NAME"],
        eventNamespace: settings.eventNamespace,
        heartbeatMs: settings.heartbeatMs,
        writeEvents: settings.writeEvents,
        updateConditions: settings.updateNodeConditions,
        waitTimeoutMs: settings.apiserverWaitTimeoutMs,
        waitIntervalMs: settings.apiserverWaitIntervalMs,
        clock,
        random: Math.random,
        logger: logger.child({ exporter: "kubernetes" }),
        telemetry
      });
      exporters.push(k8s);
    }
    if (settings.console) {
      const { createConsoleExporter } = await import("./console-exporter-6GSXHEXR.js");
      exporters.push(createConsoleExporter(env.write ? { write: env.write } : {}));
    }
    const explicit = [...settings.systemLogMonitors, ...settings.customPluginMonitors];
    const files = () => resolveMonitorFiles(settings, explicit);
    agent = createAgent({
      monitorFiles: async () => (await files()).monitors,
      watchFiles: async () => (await files()).profiles,
      exporters,
      deps: {
        clock,
        logger,
        telemetry,
        procRoot: settings.procPath,
        stateDir: settings.stateDir,
        bootTimeMs: await readBootTimeMs(settings.procPath, clock),
        // Reading globalThis.fetch loads undici (http2, zlib, web streams: ~10 MiB RSS, ~80 ms at
        // start); only the cloud metadata probes fetch, so it is loaded on their first call.
        fetch: (input, init) => globalThis.fetch(input, init),
        random: Math.random,
        podAttribution,
        procTable: createProcTableSource(settings.procPath, clock)
      },
      watch: settings.reload,
      sourceFailureGraceMs: settings.sourceFailureGraceMs
    });
    const running = agent;
    exporterStarted = k8s?.start(AbortSignal.any([signal, startAborted.signal]), (onNode) => running.adopt(onNode)).catch((err) => logger.error("kubernetes exporter failed to start", { error: errorMessage(err) }));
    await agent.start(signal);
    logger.info("npd-ts running", {
      exporters: exporters.map((e) => e.name),
      // Off where neither of the kubelet's log directories exists: the Node events are then NPD's.
      podAttribution: pods.enabled ? "on" : "off: neither kubelet log directory exists",
      podsLogDir: settings.podsLogDir,
      containersLogDir: settings.containersLogDir
    });
    env.onRunning?.({ health: healthUrl, metrics: metricsUrl });
    await new Promise((resolve) => signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true }));
    logger.info("stopping");
    await agent.stopped();
  } finally {
    startAborted.abort();
    await exporterStarted;
    await Promise.allSettled(exporters.map((e) => e.stop()));
    await Promise.allSettled(closers.map((c) => c()));
  }
}
export {
  runAgent
};
