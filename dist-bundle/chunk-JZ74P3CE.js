import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  formatDuration,
  parseDuration
} from "./chunk-S7FWY2NQ.js";
import {
  ConfigError
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/app/flag-values.js
import { isIP } from "node:net";
var bad = (flag2, problem) => new ConfigError("command line", flag2, problem);
function parseBool(flag2, value) {
  if (/^(true|1|t|yes)$/i.test(value))
    return true;
  if (/^(false|0|f|no)$/i.test(value))
    return false;
  throw bad(flag2, `must be true or false, got ${JSON.stringify(value)}`);
}
function parseDurationFlag(flag2, value) {
  const ms = parseDuration(value);
  if (ms === void 0)
    throw bad(flag2, `must be a duration like 5m or 30s, got ${JSON.stringify(value)}`);
  return ms;
}
function positiveDuration(flag2, value) {
  const ms = parseDurationFlag(flag2, value);
  if (ms <= 0)
    throw bad(flag2, `must be longer than 0, got ${JSON.stringify(value)}`);
  return ms;
}
function parsePort(flag2, value) {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535))
    throw bad(flag2, `must be a port number 0\u201365535 (0 disables), got ${JSON.stringify(value)}`);
  return n;
}
function parseNumber(flag2, value) {
  if (!/^\d+(\.\d+)?$/.test(value))
    throw bad(flag2, `must be a number, got ${JSON.stringify(value)}`);
  return Number(value);
}
function parseAddress(flag2, value) {
  if (isIP(value) === 0)
    throw bad(flag2, `must be an IP address such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(value)}`);
  return value;
}
function parseText(flag2, value) {
  if (value.trim() === "")
    throw bad(flag2, "must not be empty");
  return value;
}
function parseLogLevel(flag2, value) {
  const levels = ["debug", "info", "warn", "error"];
  const level2 = levels.find((l) => l === value);
  if (!level2)
    throw bad(flag2, `must be one of ${levels.join(", ")}, got ${JSON.stringify(value)}`);
  return level2;
}
function parseList(flag2, value, previous) {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0)
    throw bad(flag2, "must name at least one file");
  return [...previous ?? [], ...items];
}

// ../../../work/wt/footprint/dist/src/app/flag-specs.js
import { join } from "node:path";
var commands = ["run", "check", "replay", "validate"];
var runDefaults = {
  address: "127.0.0.1",
  port: 20256,
  prometheusAddress: "127.0.0.1",
  prometheusPort: 20257,
  apiserverWaitTimeoutMs: 3e5,
  apiserverWaitIntervalMs: 5e3,
  heartbeatMs: 3e5,
  sourceFailureGraceMs: 6e4,
  procPath: "/proc",
  podsLogDir: "/var/log/pods",
  containersLogDir: "/var/log/containers"
};
var spec = (flags, help, parse, extra = {}) => ({
  flags,
  help,
  ...parse ? { parse: (flag2, value) => parse(flag2, value) } : {},
  ...extra
});
var duration = (flags, help, ms) => spec(flags, help, positiveDuration, { default: { value: ms, text: formatDuration(ms) } });
var bool = (flags, help) => spec(flags, help, parseBool, { default: { value: true } });
var listFlag = (flags, help, hidden2 = false) => ({
  flags,
  help,
  parse: (flag2, value, previous) => parseList(flag2, value, Array.isArray(previous) ? previous.filter((x) => typeof x === "string") : void 0),
  ...hidden2 ? { hidden: hidden2 } : {}
});
var hidden = { hidden: true };
function commonPathFlags(paths) {
  return [
    spec("--profile <name|file>", "profile: which monitors this node runs (default, alibaba-cloud, or a file)", parseText),
    spec("--monitors-dir <dir>", "directory of monitor files named by profiles", parseText, { default: { value: join(paths.root, "monitors"), text: "the package's monitors/" } }),
    spec("--config-dir <dir>", "directory of profiles", parseText, { default: { value: join(paths.root, "config"), text: "the package's config/" } }),
    spec("--proc-path <dir>", "host procfs root (/host/proc in the DaemonSet)", parseText, { default: { value: runDefaults.procPath } }),
    // No probe reads sysfs: accepted (hidden) so a DaemonSet that still passes it starts, with a warning from `run`.
    spec("--sys-path <dir>", "no effect: no probe reads sysfs; accepted and ignored with a warning", parseText, hidden),
    spec("--log-level <level>", "log level: debug, info, warn or error", parseLogLevel, { default: { value: "info" } })
  ];
}
var podDirFlags = [
  spec("--pods-log-dir <dir>", "kubelet's pod log directory: pod UID \u2192 namespace/name for OOM and hung-task attribution", parseText, { default: { value: runDefaults.podsLogDir } }),
  spec("--containers-log-dir <dir>", "kubelet's container log links: container ID \u2192 container name", parseText, { default: { value: runDefaults.containersLogDir } })
];
var runOnlyFlags = [
  listFlag("--config.system-log-monitor <paths>", "NPD: comma-separated system log monitor files"),
  listFlag("--config.custom-plugin-monitor <paths>", "NPD: comma-separated custom plugin monitor files"),
  listFlag("--system-log-monitors <paths>", "NPD (deprecated): same as --config.system-log-monitor", true),
  listFlag("--custom-plugin-monitors <paths>", "NPD (deprecated): same as --config.custom-plugin-monitor", true),
  spec("--config.system-stats-monitor <paths>", "NPD: not supported; accepted and ignored with a warning", void 0, hidden),
  spec("--exporter.stackdriver <config>", "NPD: not supported; accepted and ignored with a warning", void 0, hidden),
  spec("--hostname-override <name>", "NPD: node name (else $NODE_NAME, else the hostname)", parseText),
  spec("--enable-k8s-exporter [bool]", "NPD: publish conditions and events to the apiserver", parseBool, { default: { value: true } }),
  spec("--standalone", "no cluster: print problems on the console (same as --enable-k8s-exporter=false)"),
  spec("--apiserver-override <uri>", "NPD: apiserver URI, e.g. https://host:6443?inClusterConfig=false&auth=/path/kubeconfig", parseText),
  spec("--kubeconfig <file>", "kubeconfig to use instead of the in-cluster service account", parseText),
  spec("--apiserver-wait-timeout <duration>", "NPD: how long to wait for the apiserver at start", parseDurationFlag, {
    default: { value: runDefaults.apiserverWaitTimeoutMs, text: formatDuration(runDefaults.apiserverWaitTimeoutMs) }
  }),
  duration("--apiserver-wait-interval <duration>", "NPD: retry interval while waiting", runDefaults.apiserverWaitIntervalMs),
  duration("--k8s-exporter-heartbeat-period <duration>", "NPD: re-send conditions this often", runDefaults.heartbeatMs),
  bool("--k8s-exporter-write-events [bool]", "NPD: write Events"),
  bool("--k8s-exporter-update-node-conditions [bool]", "NPD: write NodeConditions"),
  spec("--event-namespace <ns>", 'NPD: namespace of Events (default "default")', parseText),
  spec("--address <ip>", "NPD: address of /healthz and /conditions", parseAddress, { default: { value: runDefaults.address } }),
  spec("--port <port>", "NPD: port of /healthz and /conditions (0 disables)", parsePort, { default: { value: runDefaults.port } }),
  spec("--prometheus-address <ip>", "NPD: address of /metrics", parseAddress, { default: { value: runDefaults.prometheusAddress } }),
  spec("--prometheus-port <port>", "NPD: port of /metrics (0 disables)", parsePort, { default: { value: runDefaults.prometheusPort } }),
  spec("--state-dir <dir>", "where sources keep their place across restarts (journald cursors)", parseText),
  duration("--source-failure-grace-period <duration>", "how long a log source may fail before /healthz answers 503", runDefaults.sourceFailureGraceMs),
  spec("--no-reload", "do not watch monitor files for changes"),
  spec("--kube-api-qps <n>", "NPD: accepted for compatibility (requests are event-driven and coalesced)", parseNumber, hidden),
  spec("--kube-api-burst <n>", "NPD: accepted for compatibility", parseNumber, hidden),
  spec("--v <level>", "NPD/klog: accepted for compatibility", parseNumber, hidden),
  spec("--logtostderr [bool]", "NPD/klog: accepted for compatibility", parseBool, hidden)
];
var runFlags = (paths) => [...commonPathFlags(paths), ...podDirFlags, ...runOnlyFlags];

// ../../../work/wt/footprint/dist/src/app/settings-read.js
function text(o, key) {
  const v = o[key];
  return typeof v === "string" ? v : void 0;
}
function textOr(o, key, fallback) {
  return text(o, key) ?? fallback;
}
function num(o, key, fallback) {
  const v = o[key];
  return typeof v === "number" ? v : fallback;
}
function flag(o, key, fallback) {
  const v = o[key];
  return typeof v === "boolean" ? v : fallback;
}
function files(o, ...keys) {
  return keys.flatMap((k) => {
    const v = o[k];
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
  });
}
function level(o) {
  const v = text(o, "logLevel");
  return v === "debug" || v === "warn" || v === "error" ? v : "info";
}
function common(o) {
  return {
    profile: text(o, "profile"),
    monitorsDir: textOr(o, "monitorsDir", ""),
    configDir: textOr(o, "configDir", ""),
    procPath: textOr(o, "procPath", runDefaults.procPath),
    logLevel: level(o)
  };
}
function podDirs(o) {
  return { podsLogDir: textOr(o, "podsLogDir", runDefaults.podsLogDir), containersLogDir: textOr(o, "containersLogDir", runDefaults.containersLogDir) };
}
function runSettings(o) {
  const standalone = flag(o, "standalone", false) || !flag(o, "enableK8sExporter", true);
  return {
    ...common(o),
    ...podDirs(o),
    systemLogMonitors: files(o, "config.systemLogMonitor", "systemLogMonitors"),
    customPluginMonitors: files(o, "config.customPluginMonitor", "customPluginMonitors"),
    ignoredFlags: ["config.systemStatsMonitor", "exporter.stackdriver", "sysPath"].filter((k) => o[k] !== void 0).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
    hostnameOverride: text(o, "hostnameOverride"),
    enableK8sExporter: !standalone,
    console: standalone,
    apiserverOverride: text(o, "apiserverOverride"),
    kubeconfig: text(o, "kubeconfig"),
    apiserverWaitTimeoutMs: num(o, "apiserverWaitTimeout", runDefaults.apiserverWaitTimeoutMs),
    apiserverWaitIntervalMs: num(o, "apiserverWaitInterval", runDefaults.apiserverWaitIntervalMs),
    heartbeatMs: num(o, "k8sExporterHeartbeatPeriod", runDefaults.heartbeatMs),
    writeEvents: flag(o, "k8sExporterWriteEvents", true),
    updateNodeConditions: flag(o, "k8sExporterUpdateNodeConditions", true),
    eventNamespace: text(o, "eventNamespace"),
    address: textOr(o, "address", runDefaults.address),
    port: num(o, "port", runDefaults.port),
    prometheusAddress: textOr(o, "prometheusAddress", runDefaults.prometheusAddress),
    prometheusPort: num(o, "prometheusPort", runDefaults.prometheusPort),
    stateDir: text(o, "stateDir"),
    sourceFailureGraceMs: num(o, "sourceFailureGracePeriod", runDefaults.sourceFailureGraceMs),
    reload: flag(o, "reload", true)
  };
}
function readSettings(parsed) {
  const o = parsed.values;
  switch (parsed.command) {
    case "run": {
      const extra = parsed.args[0];
      if (extra !== void 0)
        throw bad(extra, `no such command (commands: ${commands.join(", ")}; see npd --help)`);
      return { command: "run", settings: runSettings(o) };
    }
    case "check":
      return { command: "check", settings: { ...common(o), customPluginMonitors: files(o, "config.customPluginMonitor"), json: flag(o, "json", false) } };
    case "replay": {
      const monitors = files(o, "monitor");
      return { command: "replay", settings: { ...common(o), ...podDirs(o), monitors: monitors.length > 0 ? monitors : void 0, logFiles: [...parsed.args] } };
    }
    case "validate":
      return { command: "validate", settings: { files: [...parsed.args] } };
  }
}

export {
  bad,
  commands,
  listFlag,
  commonPathFlags,
  podDirFlags,
  runFlags,
  readSettings
};
