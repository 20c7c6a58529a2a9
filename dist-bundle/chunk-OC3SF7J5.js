import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  createDeadline,
  probeFactory
} from "./chunk-BZMQKQPO.js";
import {
  ConfigError,
  errorMessage
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/probes/exec.js
import { spawn } from "node:child_process";

// ../../../work/wt/footprint/dist/src/probes/plugin-processes.js
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
var pluginRunVariable = "NPD_PLUGIN_RUN";
var ticksPerSecond = 100;
function parseProcStat(text) {
  const close = text.lastIndexOf(")");
  if (close < 0)
    return void 0;
  const pid = Number.parseInt(text, 10);
  const f = text.slice(close + 2).split(" ");
  const stat = { pid, state: f[0] ?? "", ppid: Number(f[1]), session: Number(f[3]), startTicks: Number(f[19]) };
  return Number.isInteger(stat.pid) && Number.isInteger(stat.ppid) && Number.isInteger(stat.startTicks) ? stat : void 0;
}
function readUptimeTicks(proc) {
  try {
    return Math.floor(Number.parseFloat(readFileSync(join(proc, "uptime"), "utf8")) * ticksPerSecond);
  } catch {
    return 0;
  }
}
function initIsOwn(self, all) {
  return self.ppid === 1 && !all.some((s) => s.ppid === 1 && s.pid !== self.pid && s.startTicks < self.startTicks);
}
async function findPluginProcesses(proc, run, self = process.pid) {
  let entries;
  try {
    entries = await readdir(proc);
  } catch {
    return [];
  }
  const all = [];
  let own;
  for (const e of entries) {
    if (!/^\d+$/.test(e))
      continue;
    try {
      const stat = parseProcStat(readFileSync(join(proc, e, "stat"), "utf8"));
      if (stat?.pid === self)
        own = stat;
      else if (stat)
        all.push(stat);
    } catch {
    }
  }
  const stats = all.filter((s) => s.state !== "Z" && s.state !== "X" && s.startTicks >= run.sinceTicks - 1);
  const orphansOfInit = own !== void 0 && initIsOwn(own, all);
  const found = /* @__PURE__ */ new Set();
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (found.has(s.pid))
        continue;
      if (s.pid === run.pid || s.session === run.pid || found.has(s.ppid) || orphansOfInit && s.ppid === 1) {
        found.add(s.pid);
        grew = true;
      }
    }
  }
  const needle = `\0${pluginRunVariable}=${run.marker}\0`;
  await Promise.all(stats.filter((s) => !found.has(s.pid)).map(async (s) => {
    try {
      if (`\0${(await readFile(join(proc, String(s.pid), "environ"))).toString("latin1")}`.includes(needle))
        found.add(s.pid);
    } catch {
    }
  }));
  return [...found];
}

// ../../../work/wt/footprint/dist/src/probes/exec.js
var pluginOutputCapBytes = 4096;
var closeGraceMs = 1e3;
var pluginPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
function cutOutput(text, maxBytes) {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= maxBytes)
    return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && (buf[end] & 192) === 128)
    end--;
  return buf.subarray(0, end).toString("utf8");
}
function processState(code, signal) {
  if (signal === "SIGKILL")
    return "signal: killed";
  if (signal === "SIGTERM")
    return "signal: terminated";
  if (signal)
    return `signal: ${signal}`;
  return `exit status ${code ?? -1}`;
}
function capture(stream) {
  const chunks = [];
  let size = 0;
  stream?.on("data", (chunk) => {
    if (size >= pluginOutputCapBytes)
      return;
    const keep = chunk.subarray(0, pluginOutputCapBytes - size);
    chunks.push(keep);
    size += keep.length;
  });
  stream?.on("error", () => {
  });
  return () => Buffer.concat(chunks);
}
function kill(pid) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
  }
}
var sweepRounds = 5;
async function sweep(run, procRoot) {
  if (run === void 0)
    return;
  kill(-run.pid);
  for (let round = 0; round < sweepRounds; round++) {
    const left = await findPluginProcesses(procRoot, run);
    if (left.length === 0)
      return;
    for (const pid of left)
      kill(pid);
  }
}
var runCount = 0;
async function runPlugin(path, args, options) {
  const maxOutput = options.maxOutputLength ?? 80;
  const logger = options.logger;
  if (options.signal?.aborted)
    return { status: "unknown", cause: "Aborted", message: `plugin "${path}" not run: stopping` };
  const procRoot = options.procRoot ?? "/proc";
  const marker = `${process.pid}.${++runCount}`;
  const sinceTicks = readUptimeTicks(procRoot);
  const env = { ...options.env ?? { PATH: pluginPath }, [pluginRunVariable]: marker };
  const child = spawn(path, [...args], { detached: true, env, stdio: ["ignore", "pipe", "pipe"] });
  const run = child.pid === void 0 ? void 0 : { pid: child.pid, marker, sinceTicks };
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  const started = new Promise((resolve) => {
    child.once("spawn", () => resolve(void 0));
    child.once("error", (err) => resolve(err));
  });
  const exited = new Promise((resolve) => {
    child.once("exit", (code2, sig2) => resolve({ code: code2, sig: sig2 }));
  });
  const closed = new Promise((resolve) => child.once("close", () => resolve("closed")));
  child.on("error", () => {
  });
  const startError = await started;
  if (startError) {
    logger?.error("Error in starting plugin", { path, error: startError.message });
    return { status: "unknown", cause: startError.code ?? "StartError", message: "Error in starting plugin. Please check the error log" };
  }
  const stop = new AbortController();
  const timer = options.clock.sleep(options.timeoutMs, stop.signal).then(() => "timeout", () => "stopped");
  const aborted = new Promise((resolve) => {
    if (options.signal?.aborted)
      resolve("aborted");
    options.signal?.addEventListener("abort", () => resolve("aborted"), { once: true, signal: stop.signal });
  });
  const outcome = await Promise.race([closed, timer, aborted]);
  stop.abort();
  await sweep(run, procRoot);
  if (outcome !== "closed") {
    const grace = new AbortController();
    await Promise.race([closed, options.clock.sleep(closeGraceMs, grace.signal).catch(() => {
    })]);
    grace.abort();
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
  const { code, sig } = await exited;
  const output = cutOutput(stdout().toString("utf8").trim(), maxOutput);
  const errText = stderr().toString("utf8").trim();
  if (outcome !== "closed") {
    const what = outcome === "timeout" ? "Timeout when running plugin" : "Stopped while running plugin";
    const message = `${what} ${JSON.stringify(path)}: state - ${processState(code, sig)}. output - ${JSON.stringify(output)}`;
    logger?.warn(message, { stderr: errText });
    return { status: "unknown", cause: outcome === "timeout" ? "Timeout" : "Aborted", message };
  }
  const status = code === 0 ? "ok" : code === 1 ? "problem" : "unknown";
  if (errText)
    (status === "ok" ? logger?.debug : logger?.warn)?.call(logger, "plugin stderr", { path, stderr: errText });
  if (status === "unknown")
    return { status, cause: `ExitCode${code ?? sig ?? ""}`, message: output };
  return { status, message: output };
}

// ../../../work/wt/footprint/dist/src/monitors/rule-check.js
function ruleLabel(rule) {
  return `${rule.probe ?? rule.path ?? "?"}:${rule.reason}`;
}
function limitCheck(check, ctx, ms, name) {
  return async (signal, prior) => {
    const deadline = createDeadline(ctx.clock, ms, signal);
    const timedOut = new Promise((resolve) => {
      deadline.signal.addEventListener("abort", () => resolve({ status: "unknown", cause: signal.aborted ? "Aborted" : "Timeout", message: `Timeout when running probe ${JSON.stringify(name)} after ${ms}ms` }), { once: true });
    });
    try {
      return await Promise.race([check(deadline.signal, prior), timedOut]);
    } catch (err) {
      ctx.logger.error("probe failed", { probe: name, error: errorMessage(err) });
      return { status: "unknown", cause: "ProbeError", message: `probe ${name} failed: ${errorMessage(err)}` };
    } finally {
      deadline.done();
    }
  };
}
function createRuleCheck(config, index, ctx) {
  const rule = config.rules[index];
  const field = `rules[${index}]`;
  if (!rule)
    throw new ConfigError(config.file, field, "no such rule");
  if (rule.probe !== void 0) {
    const factory = probeFactory(rule.probe, { file: config.file, field: `${field}.probe` });
    const check = factory(rule.options, ctx, { file: config.file, field: `${field}.options` });
    return limitCheck(check, ctx, rule.timeoutMs, rule.probe);
  }
  if (rule.path !== void 0) {
    const path = rule.path;
    const logger = ctx.logger.child({ plugin: path });
    return (signal) => runPlugin(path, rule.args, { timeoutMs: rule.timeoutMs, maxOutputLength: config.maxOutputLength, clock: ctx.clock, signal, logger });
  }
  throw new ConfigError(config.file, field, 'a rule needs "path" (a plugin) or "probe" (a built-in probe)');
}

export {
  ruleLabel,
  limitCheck,
  createRuleCheck
};
