import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  createSemaphore
} from "./chunk-YRWJSJ5F.js";
import {
  WAITING_RETRY,
  createBatchLineFilter,
  createKmsgSource,
  createLineFilter,
  createLineParser,
  createLineSplitter,
  createOomAnnotator,
  createRuleEngine,
  createSourceState,
  createUtf8Decoder,
  defaultCondition,
  oomKillingReason,
  parseJournalEntry,
  startTimeMs,
  transition
} from "./chunk-DFIQFVSJ.js";
import {
  calculateRetryDelay
} from "./chunk-3TIVMXNZ.js";
import {
  checkConditionOwners,
  readMonitorFile
} from "./chunk-KQPGU6XH.js";
import "./chunk-ZRCJ5HBB.js";
import "./chunk-XA2EV36Q.js";
import {
  createRuleCheck,
  ruleLabel
} from "./chunk-OC3SF7J5.js";
import {
  probeRegistry
} from "./chunk-BZMQKQPO.js";
import "./chunk-MLIL5XYT.js";
import {
  formatDuration,
  systemClock
} from "./chunk-S7FWY2NQ.js";
import {
  ConfigError,
  SourceError,
  errorMessage,
  isFdExhaustion
} from "./chunk-JPM2ZRLH.js";
import "./chunk-PJ6YGIJQ.js";
import "./chunk-D4CIFBZN.js";
import "./chunk-SRGH6FON.js";

// ../../../work/wt/footprint/dist/src/monitors/describe-monitor.js
function describeMonitor(config) {
  const problems = [];
  for (const r of config.rules) {
    if (r.type === "recovery")
      continue;
    const condition = r.type === "permanent" ? r.condition : void 0;
    if (!problems.some((p) => p.reason === r.reason && p.condition === condition))
      problems.push({ reason: r.reason, condition });
  }
  return {
    source: config.source,
    file: config.file,
    conditions: config.conditions.map(({ type, reason, message }) => ({ type, reason, message })),
    problems,
    metricsReporting: config.metricsReporting
  };
}

// ../../../work/wt/footprint/dist/src/monitors/log-monitor.js
var TIMING_SAMPLE = 1024;
function createLogMonitor(config, deps, options = {}) {
  const { source, clock, logger, telemetry } = deps;
  let ended;
  let lastRunSeconds;
  let lines = 0;
  return {
    description: describeMonitor(config),
    health() {
      const src = source.health();
      if (ended)
        return { ...ended, source: src };
      return { ok: true, detail: src.detail, source: src, ...lastRunSeconds === void 0 ? {} : { lastRunOk: true, lastRunSeconds } };
    },
    async run(sink, signal) {
      const initialConditions = options.initialConditions ?? deps.initialConditions;
      const engine = createRuleEngine(config, { now: () => clock.now(), ...initialConditions ? { initialConditions } : {} });
      const report = (r) => {
        if (r.events.length === 0 && !r.changed)
          return;
        const status = { source: config.source, events: r.events, conditions: r.conditions };
        sink(status);
      };
      sink({ source: config.source, events: [], conditions: engine.conditions() });
      ended = void 0;
      const stop = new AbortController();
      const running = AbortSignal.any([signal, stop.signal]);
      let wake = new AbortController();
      let plannedExpiry = engine.nextExpiryMs();
      const expiryLoop = async () => {
        while (!running.aborted) {
          const next = plannedExpiry;
          const sleeper = AbortSignal.any([running, wake.signal]);
          try {
            await clock.sleep(next === void 0 ? 36e5 : Math.max(0, next - clock.now()), sleeper);
          } catch {
            if (running.aborted)
              return;
            wake = new AbortController();
            continue;
          }
          report(engine.expire());
          plannedExpiry = engine.nextExpiryMs();
        }
      };
      const hasExpiry = config.conditions.some((c) => c.expireAfterMs !== void 0) || config.rules.some((r) => r.type === "permanent" && r.count !== void 0);
      const expiring = hasExpiry ? expiryLoop() : Promise.resolve();
      try {
        const handle = (line) => {
          const timed = (lines++ & TIMING_SAMPLE - 1) === 0;
          const t0 = timed ? performance.now() : 0;
          const r = engine.push(line);
          if (timed) {
            const seconds = (performance.now() - t0) / 1e3;
            telemetry.ruleEvaluation(config.source, seconds);
            lastRunSeconds = seconds;
          }
          if (r.skipped) {
            telemetry.linesSkipped(config.source, "skiplist");
            return;
          }
          report(deps.annotate ? { ...r, events: deps.annotate(line.message, r.events) } : r);
          if (hasExpiry && engine.nextExpiryMs() !== plannedExpiry) {
            plannedExpiry = engine.nextExpiryMs();
            wake.abort();
          }
        };
        if (source.batches) {
          for await (const batch of source.batches(signal))
            for (const line of batch)
              handle(line);
        } else {
          for await (const line of source.lines(signal))
            handle(line);
        }
        ended = signal.aborted ? { ok: true, detail: "stopped" } : { ok: false, detail: `log source ended: ${source.health().detail}` };
        if (!signal.aborted)
          logger.warn("log source ended", { monitor: config.source });
      } catch (err) {
        if (!signal.aborted) {
          ended = { ok: false, detail: `log source failed: ${errorMessage(err)}` };
          logger.error("log source failed", { monitor: config.source, error: errorMessage(err) });
        }
      } finally {
        if (signal.aborted)
          ended = { ok: true, detail: "stopped" };
        stop.abort();
        await expiring;
      }
    }
  };
}

// ../../../work/wt/footprint/dist/src/monitors/probe-monitor.js
var rank = { ok: 0, unknown: 1, problem: 2 };
var conditionStatus = { ok: "False", problem: "True", unknown: "Unknown" };
function createProbeMonitor(config, deps) {
  const { ctx } = deps;
  const logger = ctx.logger.child({ monitor: config.source });
  const defs = new Map(config.conditions.map((c) => [c.type, c]));
  config.rules.forEach((r, i) => {
    if (r.type === "permanent" && (r.condition === void 0 || !defs.has(r.condition))) {
      throw new ConfigError(config.file, `rules[${i}].condition`, `permanent rule's condition ${JSON.stringify(r.condition)} is not declared in conditions`);
    }
  });
  const checks = config.rules.map((_, i) => deps.checks?.[i] ?? createRuleCheck(config, i, ctx));
  const description = describeMonitor(config);
  let health = { ok: true, detail: "not started" };
  async function run(sink, signal) {
    const start = ctx.clock.now();
    const conditions = /* @__PURE__ */ new Map();
    for (const def of config.conditions) {
      const given = deps.initialConditions?.find((c) => c.type === def.type);
      conditions.set(def.type, given ?? defaultCondition(def, new Date(start)));
    }
    const reported = new Set(config.skipInitialStatus ? [] : conditions.keys());
    const latest = config.rules.map(() => void 0);
    const semaphore = createSemaphore(config.concurrency);
    const stopped = new Promise((resolve) => {
      const result = { status: "unknown", cause: "Aborted", message: "monitor stopped" };
      if (signal.aborted)
        resolve(result);
      else
        signal.addEventListener("abort", () => resolve(result), { once: true });
    });
    const current = () => config.conditions.filter((d) => reported.has(d.type)).map((d) => conditions.get(d.type));
    const report = (events) => {
      try {
        sink({ source: config.source, events, conditions: current() });
      } catch (err) {
        logger.error("status sink failed", { error: errorMessage(err) });
      }
    };
    health = { ok: true, detail: "running" };
    if (!config.skipInitialStatus)
      report([]);
    const apply = (index, result) => {
      const rule = config.rules[index];
      if (!rule)
        return;
      const time = new Date(ctx.clock.now());
      if (rule.type === "temporary") {
        if (result.status === "problem") {
          const onPods = (result.podEvents ?? []).map((p) => ({ severity: "warn", time, reason: rule.reason, message: p.message, pod: p.pod }));
          report([{ severity: "warn", time, reason: rule.reason, message: result.message }, ...onPods]);
        }
        return;
      }
      latest[index] = result;
      const type = rule.condition;
      let worst;
      config.rules.forEach((r, i) => {
        const res = latest[i];
        if (r.type !== "permanent" || r.condition !== type || !res)
          return;
        if (worst === void 0 || rank[res.status] > rank[latest[worst].status])
          worst = i;
      });
      const winner = latest[worst];
      const obs = { status: conditionStatus[winner.status], reason: config.rules[worst].reason, message: winner.message, time };
      const before = conditions.get(type);
      const { condition, event } = transition(before, defs.get(type), obs, { messageChangeUpdates: config.messageChangeUpdates });
      conditions.set(type, condition);
      const newlyReported = !reported.has(type);
      reported.add(type);
      if (event || newlyReported)
        report(event ? [event] : []);
    };
    const runOnce = async (index) => {
      const rule = config.rules[index];
      const check = checks[index];
      if (!rule || !check)
        return;
      await semaphore.acquire(signal);
      const began = ctx.clock.now();
      let result;
      try {
        const now = rule.type === "permanent" ? conditions.get(rule.condition) : void 0;
        const prior = { problem: now?.status === "True" && now.reason === rule.reason };
        result = await Promise.race([check(signal, prior), stopped]);
      } catch (err) {
        logger.error("check failed", { rule: ruleLabel(rule), error: errorMessage(err) });
        result = { status: "unknown", cause: "CheckError", message: `check failed: ${errorMessage(err)}` };
      } finally {
        semaphore.release();
      }
      if (signal.aborted)
        return;
      const seconds = (ctx.clock.now() - began) / 1e3;
      const ok = result.status !== "unknown";
      ctx.telemetry.probeRun(config.source, ruleLabel(rule), ok, seconds);
      health = { ok: true, detail: "running", lastRunOk: ok, lastRunSeconds: seconds };
      if (!ok)
        (result.cause === "NoData" ? logger.debug : logger.warn).call(logger, "check result unknown", { rule: ruleLabel(rule), cause: result.cause, message: result.message });
      apply(index, result);
    };
    const loop = async (index) => {
      const interval = config.rules[index].intervalMs;
      let tick = start;
      while (!signal.aborted) {
        await runOnce(index);
        if (signal.aborted)
          return;
        const now = ctx.clock.now();
        if (tick + interval <= now) {
          tick = start + Math.floor((now - start) / interval) * interval;
          continue;
        }
        tick += interval;
        await ctx.clock.sleep(tick - now, signal);
      }
    };
    await Promise.all(config.rules.map((_, i) => loop(i).catch((err) => {
      if (!signal.aborted)
        logger.error("rule loop stopped", { rule: i, error: errorMessage(err) });
    })));
    health = { ok: true, detail: "stopped" };
  }
  return { description, run, health: () => health };
}

// ../../../work/wt/footprint/dist/src/app/build-monitor.js
function buildMonitor(config, deps, initialConditions) {
  const logger = deps.logger.child({ monitor: config.source });
  if (config.kind === "log") {
    const source = deps.sources.source({
      plugin: config.plugin,
      file: config.file,
      source: config.source,
      logPath: config.logPath,
      lookbackMs: config.lookbackMs,
      delayMs: config.delayMs,
      pluginConfig: config.pluginConfig
    }, config.file);
    const attribution = deps.podAttribution !== void 0 && config.rules.some((r) => r.reason === oomKillingReason) ? deps.podAttribution : void 0;
    return createLogMonitor(config, {
      source,
      clock: deps.clock,
      logger,
      telemetry: deps.telemetry,
      initialConditions,
      ...attribution ? { annotate: createOomAnnotator(attribution) } : {}
    });
  }
  return createProbeMonitor(config, {
    ctx: { ...deps, logger, ...deps.procTable ? { procTable: deps.procTable } : {}, pods: deps.podAttribution?.directory },
    initialConditions
  });
}

// ../../../work/wt/footprint/dist/src/app/config-watcher.js
import { watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
async function snapshotFiles(files) {
  const parts = await Promise.all(files.map((f) => readFile(f, "utf8").catch((e) => `<${e.code ?? "error"}>`)));
  return new Map(files.map((f, i) => [f, parts[i] ?? ""]));
}
var same = (a, b) => a.size === b.size && [...a].every(([f, text]) => b.get(f) === text);
async function watchConfigFiles(options) {
  const { clock, signal } = options;
  const debounceMs = options.debounceMs ?? 500;
  const pollMs = options.pollMs ?? 3e4;
  let files = options.files();
  let last = options.baseline ?? await snapshotFiles(files);
  let wake;
  let dirty = false;
  const poke = () => {
    dirty = true;
    wake?.();
  };
  const watchers = [];
  for (const dir of new Set(files.map((f) => dirname(f)))) {
    try {
      const w = watch(dir, { persistent: false }, poke);
      w.on("error", (err) => options.logger.warn("config watch failed; polling only", { dir, error: err.message }));
      watchers.push(w);
    } catch (err) {
      options.logger.warn("config watch unavailable; polling only", { dir, error: err.message });
    }
  }
  try {
    while (!signal.aborted) {
      if (!dirty) {
        await Promise.race([
          clock.sleep(pollMs, signal).catch(() => {
          }),
          new Promise((resolve) => wake = resolve)
        ]);
      }
      wake = void 0;
      if (signal.aborted)
        break;
      if (dirty) {
        do {
          dirty = false;
          await clock.sleep(debounceMs, signal).catch(() => {
          });
        } while (dirty && !signal.aborted);
      }
      const now = await snapshotFiles(files);
      if (same(now, last))
        continue;
      await options.onChange();
      const next = options.files();
      const added = await snapshotFiles(next.filter((f) => !now.has(f)));
      last = new Map(next.map((f) => [f, now.get(f) ?? added.get(f) ?? ""]));
      files = next;
    }
  } finally {
    for (const w of watchers)
      w.close();
  }
}

// ../../../work/wt/footprint/dist/src/app/health-model.js
function entryOf(m, nowMs, graceMs) {
  const src = m.health.source;
  const base = { source: m.source, ...src ? { state: src.state, since: new Date(src.sinceMs).toISOString() } : {} };
  if (m.crashed !== void 0)
    return { ...base, ok: false, detail: `monitor stopped: ${m.crashed}` };
  if (!m.health.ok || !src || src.state !== "failing")
    return { ...base, ok: m.health.ok, detail: m.health.detail };
  const forMs = Math.max(0, nowMs - src.sinceMs);
  const ok = forMs < graceMs;
  const verdict = ok ? `/healthz fails after ${formatDuration(graceMs)}` : `longer than the ${formatDuration(graceMs)} grace period`;
  return { ...base, ok, detail: `${src.detail} (failing for ${formatDuration(Math.round(forMs / 1e3) * 1e3)}, ${verdict})` };
}
function assessHealth(inputs) {
  const monitors = inputs.monitors.map((m) => entryOf(m, inputs.nowMs, inputs.graceMs));
  const problems = [
    ...monitors.filter((m) => !m.ok).map((m) => `${m.source}: ${m.detail}`),
    ...inputs.exporters.filter((e) => !e.ok).map((e) => `${e.name} exporter unhealthy`)
  ];
  return { ok: problems.length === 0, detail: problems.length === 0 ? "ok" : problems.join("; "), monitors, exporters: inputs.exporters, eventLoop: inputs.eventLoop };
}

// ../../../work/wt/footprint/dist/src/app/loop-lag.js
function watchLoopLag(options, signal) {
  const { clock, telemetry, logger } = options;
  const intervalMs = options.intervalMs ?? 1e3;
  const window = options.window ?? 60;
  const stallMs = options.stallMs ?? 1e3;
  const samples = [];
  let last = 0;
  const max = () => samples.reduce((a, b) => Math.max(a, b), 0);
  const done = (async () => {
    while (!signal.aborted) {
      const before = clock.now();
      try {
        await clock.sleep(intervalMs, signal);
      } catch {
        return;
      }
      const lateMs = Math.max(0, clock.now() - before - intervalMs);
      last = lateMs / 1e3;
      samples.push(last);
      if (samples.length > window)
        samples.shift();
      telemetry.eventLoopLag(max());
      if (lateMs >= stallMs)
        logger.warn("event loop stalled", { stalledMs: lateMs });
    }
  })();
  return { report: () => ({ lastSeconds: last, maxSeconds: max() }), done };
}

// ../../../work/wt/footprint/dist/src/sources/filelog.js
import { closeSync as closeSync4, fstatSync as fstatSync2 } from "node:fs";
import { basename as basename3 } from "node:path";

// ../../../work/wt/footprint/dist/src/sources/filelog-chunks.js
import { read as readCallback } from "node:fs";
var CHUNK_BYTES = 1024 * 1024;
var DECODE_BYTES = 64 * 1024;
function readAt(fd, buf, position) {
  return new Promise((resolve, reject) => readCallback(fd, buf, 0, buf.length, position, (err, n) => err ? reject(err) : resolve(n)));
}
function createChunkReader(emit, maxLineChars, onCut) {
  const bufs = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  let spare = 0;
  let ahead;
  const splitter = createLineSplitter(maxLineChars, onCut);
  let decoder = createUtf8Decoder();
  const startRead = (fd, at) => {
    const buf = spare === 0 ? bufs[0] : bufs[1];
    spare ^= 1;
    const done = readAt(fd, buf, at).catch((error) => ({ error }));
    return { fd, at, buf, done };
  };
  const dropAhead = async () => {
    const r = ahead;
    ahead = void 0;
    await r?.done;
  };
  const read = async (fd, at) => {
    const r = ahead && ahead.fd === fd && ahead.at === at ? ahead : startRead(fd, at);
    if (r !== ahead)
      await dropAhead();
    ahead = void 0;
    const n = await r.done;
    if (typeof n !== "number")
      throw n.error;
    return r.buf.subarray(0, n);
  };
  function* batchesOf(chunk) {
    for (let at = 0; at < chunk.length; at += DECODE_BYTES) {
      const batch = emit(splitter.push(decoder.write(chunk.subarray(at, at + DECODE_BYTES))));
      if (batch.length > 0)
        yield batch;
    }
  }
  return {
    read,
    readAhead(fd, at) {
      ahead = startRead(fd, at);
    },
    dropAhead,
    batchesOf,
    *endOfFile() {
      const last = splitter.takePartial() + decoder.end();
      decoder = createUtf8Decoder();
      const batch = last === "" ? [] : emit([last]);
      if (batch.length > 0)
        yield batch;
    },
    async *readRest(file, from) {
      let at = from;
      for (let rest = await read(file.fd, at); rest.length > 0; rest = await read(file.fd, at)) {
        at += rest.length;
        yield* batchesOf(rest);
      }
      await dropAhead();
      return at - from;
    },
    reset() {
      decoder = createUtf8Decoder();
      splitter.takePartial();
    }
  };
}

// ../../../work/wt/footprint/dist/src/sources/filelog-files.js
import { closeSync as closeSync2, readdirSync, readSync, statSync as statSync2 } from "node:fs";
import { basename, dirname as dirname2, join } from "node:path";

// ../../../work/wt/footprint/dist/src/sources/filelog-open.js
import { closeSync, constants, fstatSync, openSync, statSync } from "node:fs";
function describeFileType(stats) {
  if (stats.isFIFO())
    return "a FIFO (named pipe)";
  if (stats.isCharacterDevice())
    return "a character device";
  if (stats.isBlockDevice())
    return "a block device";
  if (stats.isSocket())
    return "a socket";
  if (stats.isDirectory())
    return "a directory";
  return "not a regular file";
}
var refuse = (path, stats) => new SourceError(`${path} is ${describeFileType(stats)}, not a regular file: refused (a log path must be a regular file)`);
function openRegularFile(path) {
  let before;
  try {
    before = statSync(path);
  } catch (err) {
    if (err.code === "ENOENT")
      return void 0;
    throw err;
  }
  if (!before.isFile())
    throw refuse(path, before);
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if (err.code === "ENOENT")
      return void 0;
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw refuse(path, st);
    return { fd, dev: st.dev, ino: st.ino, birthMs: st.birthtimeMs, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
function sameFile(a, b) {
  return a.dev === b.dev && a.ino === b.ino;
}

// ../../../work/wt/footprint/dist/src/sources/filelog-files.js
var MAX_PENDING_FILES = 64;
var COMPRESSED = /\.(gz|bz2|xz|zst|lz4|Z|zip)$/;
var MAX_COPY_CANDIDATES = 128;
function isRotatedName(base, name) {
  return name.length > base.length + 1 && name.startsWith(base) && (name[base.length] === "." || name[base.length] === "-") && !COMPRESSED.test(name);
}
function createPendingFiles(path, log, onSkip) {
  let current;
  let lastCurrent;
  const pending = [];
  let events = 0;
  let openedAtPath = 0;
  let foundRotated = 0;
  let reported = 0;
  const counted = /* @__PURE__ */ new WeakSet();
  const countOpened = (f) => {
    counted.add(f);
    openedAtPath++;
  };
  const held = (f) => current !== void 0 && sameFile(f, current) || pending.some((p) => sameFile(p, f));
  const add = (f, at) => {
    if (held(f)) {
      closeSync2(f.fd);
      return;
    }
    countOpened(f);
    if (pending.length >= MAX_PENDING_FILES) {
      closeSync2(f.fd);
      log.warn("too many rotated log files waiting to be read, one skipped", { path: at, max: MAX_PENDING_FILES });
      onSkip();
      return;
    }
    let i = pending.length;
    if (f.birthMs > 0)
      while (i > 0 && pending[i - 1].birthMs > f.birthMs)
        i--;
    pending.splice(i, 0, f);
  };
  const tryOpen = (at) => {
    try {
      return openRegularFile(at);
    } catch (err) {
      log.debug("could not open a new log file ahead", { path: at, error: errorMessage(err) });
      return void 0;
    }
  };
  const discover = () => {
    if (!current)
      return;
    try {
      if (held(statSync2(path)))
        return;
    } catch {
      return;
    }
    const f = tryOpen(path);
    if (f)
      add(f, path);
  };
  return {
    setCurrent(file) {
      if (file && !counted.has(file) && !(lastCurrent && sameFile(file, lastCurrent)))
        countOpened(file);
      current = file;
      if (file)
        lastCurrent = file;
    },
    discover,
    nameChanged() {
      events++;
      discover();
    },
    take: () => pending.shift(),
    peek: () => pending[0],
    putFirst(files, found) {
      for (const f of files)
        counted.add(f);
      foundRotated += found;
      pending.unshift(...files);
    },
    unopened(deleted) {
      const missed = Math.floor((events - 2 * (openedAtPath - 1)) / 2) - foundRotated - reported;
      if (missed <= 0)
        return 0;
      reported += missed;
      return deleted ? missed : 0;
    },
    holds: held,
    get size() {
      return pending.length;
    },
    close() {
      for (const f of pending.splice(0))
        closeSync2(f.fd);
    }
  };
}
function readHead(fd, max) {
  const buf = Buffer.allocUnsafe(max);
  const n = readSync(fd, buf, 0, max, 0);
  return buf.subarray(0, n);
}
function readRotatedNames(path) {
  try {
    return readdirSync(dirname2(path)).filter((n) => isRotatedName(basename(path), n));
  } catch {
    return [];
  }
}
function findTruncatedCopy(path, head, exclude) {
  if (head.length === 0)
    return void 0;
  const dir = dirname2(path);
  const names = readRotatedNames(path);
  const candidates = [];
  for (const name of names) {
    try {
      const st = statSync2(join(dir, name));
      if (st.isFile() && st.size >= head.length && !sameFile(st, exclude))
        candidates.push({ name, mtimeMs: st.mtimeMs });
    } catch {
    }
  }
  candidates.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { name } of candidates.slice(0, MAX_COPY_CANDIDATES)) {
    let f;
    try {
      f = openRegularFile(join(dir, name));
      if (f && readHead(f.fd, head.length).equals(head))
        return f;
    } catch {
    }
    if (f)
      closeSync2(f.fd);
  }
  return void 0;
}
function findRotatedBetween(path, after, before, skip) {
  if (after <= 0)
    return [];
  const dir = dirname2(path);
  const names = readRotatedNames(path);
  const found = [];
  for (const name of names) {
    try {
      const st = statSync2(join(dir, name));
      if (st.isFile() && st.birthtimeMs >= after && st.birthtimeMs <= before && !skip(st))
        found.push({ at: join(dir, name), birthMs: st.birthtimeMs, ino: st.ino });
    } catch {
    }
  }
  found.sort((a, b) => a.birthMs - b.birthMs || a.ino - b.ino);
  const out = [];
  for (const { at } of found.slice(0, MAX_PENDING_FILES)) {
    try {
      const f = openRegularFile(at);
      if (f)
        out.push(f);
    } catch {
    }
  }
  return out;
}

// ../../../work/wt/footprint/dist/src/sources/filelog-truncation.js
import { closeSync as closeSync3 } from "node:fs";
var HEAD_BYTES = 1024;
var SEEN_HEADS = 64;
function sameStart(a, b) {
  const n = Math.min(a.length, b.length);
  return n > 0 && a.subarray(0, n).equals(b.subarray(0, n));
}
function createTruncationRecovery(reader, report) {
  const { path, log } = report;
  const seen = [];
  const remember = (head) => {
    if (head.length > 0)
      seen.push(head);
    if (seen.length > SEEN_HEADS)
      seen.shift();
  };
  const unseen = (files) => files.filter((c) => {
    const head = readHead(c.fd, HEAD_BYTES);
    const known = head.length === 0 || seen.some((h) => sameStart(h, head));
    if (known)
      closeSync3(c.fd);
    return !known;
  });
  return {
    changed(f, head) {
      if (f.head.length > 0)
        return head.length < f.head.length || !head.subarray(0, f.head.length).equals(f.head);
      return f.copiedAfter > 0 && head.length > 0;
    },
    remember,
    unseen,
    async *recover(f) {
      await reader.dropAhead();
      const from = f.offset;
      const detected = f.head.length > 0;
      const copy = detected ? findTruncatedCopy(path, f.head, f) : void 0;
      if (copy)
        remember(f.head);
      let after = copy ? Math.max(f.copiedAfter, copy.birthMs) : f.copiedAfter;
      const list = () => findRotatedBetween(path, after, Infinity, (c) => sameFile(c, f) || copy !== void 0 && sameFile(c, copy));
      let listed = list();
      let now = readHead(f.fd, HEAD_BYTES);
      for (let tries = 0; tries < 4; tries++) {
        const again = list();
        const grew = again.length > listed.length;
        for (const c of grew ? listed : again)
          closeSync3(c.fd);
        if (!grew)
          break;
        listed = again;
        now = readHead(f.fd, HEAD_BYTES);
      }
      const later = unseen(listed);
      const opened = copy ? [copy, ...later] : later;
      let recovered = 0;
      let reachedNow = false;
      try {
        if (copy) {
          recovered += yield* reader.readRest(copy, from);
        } else if (detected) {
          reader.reset();
          if (f.known > from) {
            report.skip("truncated");
            log.warn("log file truncated before it was read to the end and no rotated copy starts like it: the rest is lost", { path, offset: from, unreadBytes: f.known - from });
          }
        }
        for (const c of later) {
          const head = readHead(c.fd, HEAD_BYTES);
          reachedNow = sameStart(head, now);
          if (reachedNow)
            break;
          yield* reader.endOfFile();
          remember(head);
          recovered += yield* reader.readRest(c, 0);
          after = Math.max(after, c.birthMs);
          report.rotation("truncated");
        }
      } finally {
        for (const c of opened)
          closeSync3(c.fd);
      }
      yield* reader.endOfFile();
      if (detected) {
        report.rotation("truncated");
        log.info("log file truncated, reading from the start", { path, offset: from, recoveredBytes: recovered });
      }
      f.copiedAfter = after;
      f.offset = 0;
      f.head = listed.length >= MAX_PENDING_FILES && !reachedNow ? Buffer.alloc(0) : now;
      f.known = 0;
    }
  };
}

// ../../../work/wt/footprint/dist/src/sources/filelog-wake.js
import { watch as fsWatch } from "node:fs";
import { basename as basename2, dirname as dirname3 } from "node:path";
function createFileWaker(path, clock, log, watch2 = fsWatch, onEvent) {
  const dir = dirname3(path);
  const name = basename2(path);
  let watcher;
  let closed = false;
  let warned = false;
  let changed = false;
  let wake;
  const fail = (err) => {
    watcher?.close();
    watcher = void 0;
    if (!warned)
      log.warn("file watch unavailable, polling only", { path, error: errorMessage(err) });
    warned = true;
  };
  const ensureWatcher = () => {
    if (watcher || closed)
      return;
    try {
      watcher = watch2(dir, { persistent: false }, (event, file) => {
        onEvent?.(event, file);
        if (file !== null && file !== name)
          return;
        if (wake)
          wake();
        else
          changed = true;
      });
      watcher.on("error", fail);
    } catch (err) {
      fail(err);
    }
  };
  return {
    start: ensureWatcher,
    async wait(ms, signal) {
      ensureWatcher();
      if (changed) {
        changed = false;
        return;
      }
      const woken = new AbortController();
      const onAbort = () => woken.abort(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      wake = () => woken.abort();
      try {
        if (signal.aborted)
          throw signal.reason;
        await clock.sleep(ms, woken.signal);
      } catch (err) {
        if (signal.aborted)
          throw signal.reason;
        if (!woken.signal.aborted)
          throw err;
      } finally {
        wake = void 0;
        signal.removeEventListener("abort", onAbort);
      }
    },
    close() {
      closed = true;
      watcher?.close();
      watcher = void 0;
    }
  };
}

// ../../../work/wt/footprint/dist/src/sources/filelog.js
var FLOOD_BYTES = 4096;
function createFilelogSource(config, deps, options = {}) {
  const path = config.logPath;
  const pollMs = options.pollMs ?? 500;
  const coalesceMs = options.coalesceMs ?? 100;
  const max = options.maxLineChars ?? 256 * 1024;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const telemetry = deps.telemetry;
  let nowMs = deps.clock.now();
  const parse = createLineParser(config.pluginConfig, {
    file: config.file,
    nowMs,
    now: () => nowMs,
    ...options.timeZone ? { timeZone: options.timeZone } : {}
  });
  const state = createSourceState(config.source, path, deps);
  async function* batches(signal) {
    const filter = createBatchLineFilter(config, deps);
    const pending = createPendingFiles(path, log, () => telemetry.fileSkip(config.source, "too-many-files"));
    const name = basename3(path);
    let cur;
    const onEvent = (event, file) => {
      if (file !== null && file !== name)
        return;
      if (event === "rename")
        pending.nameChanged();
      else if (cur && cur.known <= cur.offset)
        cur.known = Math.max(cur.known, fstatSync2(cur.fd).size);
    };
    const waker = options.watch === false ? { wait: (ms, sig) => deps.clock.sleep(ms, sig), start: () => {
    }, close: () => {
    } } : createFileWaker(path, deps.clock, log, options.watch, onEvent);
    const emit = (texts) => {
      const out = [];
      nowMs = deps.clock.now();
      for (const t of texts) {
        const line = filter.pass(parse(t));
        if (line)
          out.push(line);
      }
      filter.flush();
      return out;
    };
    const reader = createChunkReader(emit, max, () => log.warn("line too long, cut", { path, maxChars: max }));
    const truncation = createTruncationRecovery(reader, {
      path,
      log,
      rotation: (style) => telemetry.fileRotation(config.source, style),
      skip: (reason) => telemetry.fileSkip(config.source, reason)
    });
    let attempt = 0;
    let waits = 0;
    let lastTail = -Infinity;
    let flooding = false;
    let resume;
    const readChunk = async (f) => {
      const chunk = await reader.read(f.fd, f.offset);
      const head = readHead(f.fd, HEAD_BYTES);
      if (truncation.changed(f, head))
        return "truncated";
      if (chunk.length === 0)
        return chunk;
      f.head = head;
      f.offset += chunk.length;
      f.known = Math.max(f.known, chunk.length === CHUNK_BYTES ? fstatSync2(f.fd).size : f.offset);
      return chunk;
    };
    const closeCurrent = () => {
      if (!cur)
        return;
      closeSync4(cur.fd);
      cur = void 0;
      pending.setCurrent(void 0);
    };
    async function* switchFile(f) {
      for (let rest = await readChunk(f); rest !== "truncated" && rest.length > 0; rest = await readChunk(f))
        yield* reader.batchesOf(rest);
      yield* reader.endOfFile();
      telemetry.fileRotation(config.source, "renamed");
      truncation.remember(f.head);
      const found = findRotatedBetween(path, f.birthMs, pending.peek()?.birthMs ?? 0, (c) => sameFile(c, f) || pending.holds(c));
      const missed = truncation.unseen(found);
      if (missed.length > 0)
        log.info("log files rotated away before they were opened, reading them under their new names", { path, files: missed.length });
      pending.putFirst(missed, found.length);
      const lost = pending.unopened(fstatSync2(f.fd).nlink === 0);
      if (lost > 0) {
        for (let i = 0; i < lost; i++)
          telemetry.fileSkip(config.source, "unopened");
        log.warn("log files created and removed before they could be opened: their lines are lost", { path, files: lost });
      }
      log.info("log file rotated, reading the next one", { path, waiting: pending.size });
      closeCurrent();
    }
    try {
      while (!signal.aborted) {
        try {
          if (!cur) {
            const next = pending.take() ?? openRegularFile(path);
            if (!next) {
              const delay = calculateRetryDelay({ attempt: ++waits, baseMs: pollMs, maxMs: WAITING_RETRY.maxMs, random });
              state.waiting(`waiting for ${path} to appear; looking again in ${delay}ms`);
              waker.start();
              await waker.wait(delay, signal);
              continue;
            }
            cur = { ...next, offset: 0, head: Buffer.alloc(0), known: next.size, copiedAfter: 0 };
            if (resume && sameFile(resume, cur) && resume.offset <= cur.size) {
              cur.offset = resume.offset;
              cur.head = resume.head;
            } else
              reader.reset();
            resume = void 0;
            pending.setCurrent(next);
            waker.start();
            waits = 0;
          }
          const chunk = await readChunk(cur);
          if (state.health().state !== "up")
            state.up(`reading ${path}`);
          if (chunk === "truncated") {
            yield* truncation.recover(cur);
            continue;
          }
          if (chunk.length === CHUNK_BYTES) {
            attempt = 0;
            reader.readAhead(cur.fd, cur.offset);
            yield* reader.batchesOf(chunk);
            continue;
          }
          if (chunk.length > 0) {
            attempt = 0;
            const at = deps.clock.now();
            const gap = at - lastTail;
            lastTail = at;
            flooding = gap < 2 * coalesceMs && (chunk.length >= FLOOD_BYTES || gap < coalesceMs / 5);
            yield* reader.batchesOf(chunk);
          }
          const size = fstatSync2(cur.fd).size;
          cur.known = Math.max(cur.known, size);
          if (size < cur.offset) {
            yield* truncation.recover(cur);
            continue;
          }
          pending.discover();
          if (pending.size > 0) {
            yield* switchFile(cur);
            continue;
          }
          const pause = flooding ? lastTail + coalesceMs - deps.clock.now() : 0;
          if (pause > 0)
            await deps.clock.sleep(pause, signal);
          else if (size === cur.offset)
            await waker.wait(pollMs, signal);
        } catch (err) {
          if (signal.aborted)
            return;
          await reader.dropAhead();
          if (cur)
            resume = { dev: cur.dev, ino: cur.ino, offset: cur.offset, head: cur.head };
          closeCurrent();
          attempt++;
          const delay = calculateRetryDelay({ attempt, baseMs: 100, maxMs: 3e4, random });
          const why = err instanceof SourceError ? err.message : `${path}: ${errorMessage(err)}`;
          state.failing(`${why}; reopening in ${delay}ms`);
          try {
            await deps.clock.sleep(delay, signal);
          } catch {
            return;
          }
        }
      }
    } finally {
      waker.close();
      await reader.dropAhead();
      closeCurrent();
      pending.close();
    }
  }
  async function* lines(signal) {
    for await (const batch of batches(signal))
      yield* batch;
  }
  return { lines, batches, health: () => state.health() };
}

// ../../../work/wt/footprint/dist/src/sources/journald.js
import { spawn } from "node:child_process";
import { mkdir, readFile as readFile2, rename, stat, writeFile } from "node:fs/promises";
import { join as join2 } from "node:path";
import { createInterface } from "node:readline";
function journalctlArgs(input) {
  const args = ["--no-pager", "-o", "json", "--all", "--follow"];
  if (input.logPath && input.logPathKind === "directory")
    args.push("-D", input.logPath);
  else if (input.logPath && input.logPathKind === "file")
    args.push("--file", input.logPath);
  if (input.cursor)
    args.push("--after-cursor", input.cursor);
  else
    args.push("--since", `@${Math.floor(input.sinceMs / 1e3)}`);
  if (input.identifier)
    args.push(`SYSLOG_IDENTIFIER=${input.identifier}`);
  return args;
}
function cursorFilePath(stateDir, source) {
  return join2(stateDir, `${source.replace(/[^A-Za-z0-9._-]/g, "_")}.cursor`);
}
async function pathKind(path) {
  if (!path)
    return void 0;
  try {
    return (await stat(path)).isDirectory() ? "directory" : "file";
  } catch {
    return "directory";
  }
}
var STABLE_MS = 1e4;
var NO_JOURNAL = /No journal files were found|No such boot ID in journal|Failed to open .*: No such file or directory/;
function journalctlExit(result, stderr) {
  if (result.error)
    return { why: errorMessage(result.error), absent: result.error.code === "ENOENT" };
  const said = stderr.trim().split("\n").pop() ?? "";
  const why = `${result.sig ? `killed by ${result.sig}` : `exited with ${result.code}`}${said ? ` (${said})` : ""}`;
  return { why, absent: result.code !== 0 && NO_JOURNAL.test(stderr) };
}
function createJournaldSource(config, deps, options = {}) {
  const bin = options.journalctl ?? config.pluginConfig.journalctl ?? "journalctl";
  const persistMs = options.cursorPersistMs ?? 5e3;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const cursorFile = deps.stateDir ? cursorFilePath(deps.stateDir, config.source) : void 0;
  const state = createSourceState(config.source, config.logPath || "the journal", deps);
  const loadCursor = async () => {
    if (!cursorFile)
      return void 0;
    try {
      return (await readFile2(cursorFile, "utf8")).trim() || void 0;
    } catch {
      return void 0;
    }
  };
  const saveCursor = async (cursor) => {
    if (!cursorFile || !deps.stateDir)
      return;
    try {
      await mkdir(deps.stateDir, { recursive: true });
      await writeFile(`${cursorFile}.tmp`, `${cursor}
`);
      await rename(`${cursorFile}.tmp`, cursorFile);
    } catch (err) {
      log.warn("cannot save journal cursor", { file: cursorFile, error: errorMessage(err) });
    }
  };
  const stop = async (child, exited) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return;
    child.kill("SIGTERM");
    const timeout = new AbortController();
    const killLater = deps.clock.sleep(2e3, timeout.signal).then(() => child.kill("SIGKILL"), () => {
    });
    await exited;
    timeout.abort();
    await killLater;
  };
  async function* lines(signal) {
    const filter = createLineFilter(config, deps);
    const sinceMs = startTimeMs(deps.clock.now(), deps.bootTimeMs, config.lookbackMs, config.delayMs);
    let cursor = await loadCursor();
    let saved = cursor;
    let savedAt = deps.clock.now();
    let attempt = 0;
    let child;
    let exited = Promise.resolve({ code: null, sig: null });
    try {
      while (!signal.aborted) {
        const args = journalctlArgs({ identifier: config.pluginConfig.source, logPath: config.logPath, logPathKind: await pathKind(config.logPath), cursor, sinceMs });
        const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
        child = proc;
        exited = new Promise((resolve) => {
          proc.once("error", (error) => resolve({ code: null, sig: null, error }));
          proc.once("close", (code, sig) => resolve({ code, sig }));
        });
        let stderrTail = "";
        proc.stderr?.setEncoding("utf8");
        proc.stderr?.on("data", (d) => void (stderrTail = (stderrTail + d).slice(-1e3)));
        const onAbort = () => void proc.kill("SIGTERM");
        signal.addEventListener("abort", onAbort, { once: true });
        const following = `following journal${config.logPath ? ` ${config.logPath}` : ""}`;
        const settled = new AbortController();
        deps.clock.sleep(STABLE_MS, settled.signal).then(() => state.up(following), () => {
        });
        void exited.then(() => settled.abort());
        let entries = 0;
        try {
          const rl = createInterface({ input: proc.stdout, crlfDelay: Infinity });
          for await (const text of rl) {
            const entry = parseJournalEntry(text);
            if (!entry) {
              filter(void 0);
              continue;
            }
            cursor = entry.cursor;
            if (entries++ === 0 && !state.health().alive) {
              settled.abort();
              state.up(following);
            }
            const line = filter(entry.line);
            if (line)
              yield line;
            if (cursorFile && cursor !== saved && deps.clock.now() - savedAt >= persistMs) {
              await saveCursor(cursor);
              saved = cursor;
              savedAt = deps.clock.now();
            }
          }
        } finally {
          signal.removeEventListener("abort", onAbort);
          settled.abort();
        }
        const result = await exited;
        if (signal.aborted)
          return;
        attempt = entries > 0 ? 1 : attempt + 1;
        if (attempt >= 4 && entries === 0 && cursor !== void 0 && cursor === saved) {
          log.warn("journalctl keeps failing with the saved cursor; starting from the lookback", { cursor });
          cursor = void 0;
        }
        const { why, absent } = journalctlExit(result, stderrTail);
        const delay = calculateRetryDelay({ attempt, ...absent ? WAITING_RETRY : { baseMs: 500, maxMs: 3e4 }, random });
        if (absent)
          state.waiting(`no journal to read: journalctl ${why}; looking again in ${delay}ms`);
        else
          state.failing(`journalctl ${why}; restarting in ${delay}ms`);
        try {
          await deps.clock.sleep(delay, signal);
        } catch {
          return;
        }
      }
    } finally {
      if (child)
        await stop(child, exited);
      if (cursor !== void 0 && cursor !== saved)
        await saveCursor(cursor);
    }
  }
  return { lines, health: () => state.health() };
}

// ../../../work/wt/footprint/dist/src/sources/registry.js
var sourceRegistry = {
  kmsg: createKmsgSource,
  filelog: createFilelogSource,
  journald: createJournaldSource
};
function isSourcePlugin(name) {
  return Object.hasOwn(sourceRegistry, name);
}
function createSource(config, deps) {
  if (!isSourcePlugin(config.plugin)) {
    throw new ConfigError(config.file, "plugin", `unknown plugin "${config.plugin}"; known: ${Object.keys(sourceRegistry).join(", ")}`);
  }
  const factory = sourceRegistry[config.plugin];
  return factory(config, deps);
}

// ../../../work/wt/footprint/dist/src/sources/source-hub.js
var MAX_QUEUED = 4;
function inputKey(config) {
  const settings = Object.entries(config.pluginConfig).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  return JSON.stringify([config.plugin, config.logPath, settings]);
}
async function* oneByOne(lines) {
  for await (const line of lines)
    yield [line];
}
function createSourceHub(deps, factory = createSource) {
  const inputs = /* @__PURE__ */ new Map();
  let holds = 0;
  let released = Promise.resolve();
  let release;
  const each = (input, f) => {
    for (const s of new Set([...input.subscribers].map((sub) => sub.config.source)))
      f(s);
  };
  const fanOut = (input) => ({
    ...deps.telemetry,
    linesRead() {
    },
    linesSkipped: (_s, reason, n) => each(input, (s) => deps.telemetry.linesSkipped(s, reason, n)),
    sourceRestart: () => each(input, (s) => deps.telemetry.sourceRestart(s)),
    sourceState: (_s, state) => each(input, (s) => deps.telemetry.sourceState(s, state)),
    kmsgRecordsLost: (_s, n) => each(input, (s) => deps.telemetry.kmsgRecordsLost(s, n)),
    fileRotation: (_s, style) => each(input, (s) => deps.telemetry.fileRotation(s, style)),
    fileSkip: (_s, reason) => each(input, (s) => deps.telemetry.fileSkip(s, reason))
  });
  const readerConfig = (input) => {
    const subs = [...input.subscribers];
    const first = subs[0]?.config;
    return { ...first, lookbackMs: Math.max(...subs.map((s) => s.config.lookbackMs)), delayMs: Math.min(...subs.map((s) => s.config.delayMs)) };
  };
  const wakeAll = (input) => {
    for (const sub of input.subscribers)
      sub.wake?.();
    input.drained?.();
  };
  const deliver = (input, batch) => {
    for (const sub of input.subscribers) {
      let old = 0;
      if (sub.startMs !== Number.NEGATIVE_INFINITY) {
        for (const l of batch)
          if (l.time.getTime() < sub.startMs)
            old++;
      }
      const mine = old === 0 ? batch : batch.filter((l) => l.time.getTime() >= sub.startMs);
      if (mine.length < batch.length)
        deps.telemetry.linesSkipped(sub.config.source, "old", batch.length - mine.length);
      if (mine.length === 0)
        continue;
      deps.telemetry.linesRead(sub.config.source, mine.length);
      sub.queue.push(mine);
      sub.wake?.();
    }
  };
  const pump = async (input) => {
    const { signal } = input.controller;
    const source = factory(readerConfig(input), { ...deps, telemetry: fanOut(input) });
    input.source = source;
    try {
      for await (const batch of source.batches ? source.batches(signal) : oneByOne(source.lines(signal))) {
        await released;
        deliver(input, batch);
        while (!signal.aborted && [...input.subscribers].some((s) => s.queue.length > MAX_QUEUED)) {
          await new Promise((resolve) => input.drained = resolve);
          input.drained = void 0;
        }
      }
      if (!signal.aborted)
        input.ended = {};
    } catch (error) {
      if (!signal.aborted)
        input.ended = { error };
    }
    wakeAll(input);
  };
  const start = (input) => {
    if (input.pump || input.subscribers.size === 0 || holds > 0)
      return;
    input.pump = pump(input);
  };
  const leave = (input, sub) => {
    if (sub.left)
      return;
    sub.left = true;
    input.subscribers.delete(sub);
    if (sub.queue.length > 0)
      input.leftovers.set(sub.key, sub.queue.splice(0));
    sub.wake?.();
    input.drained?.();
  };
  const join3 = (input, config, key) => {
    const leftover = input.leftovers.get(key) ?? [];
    input.leftovers.delete(key);
    const startMs = input.pump ? Number.NEGATIVE_INFINITY : startTimeMs(deps.clock.now(), deps.bootTimeMs, config.lookbackMs, config.delayMs);
    const sub = { config, key, startMs, queue: leftover, wake: void 0, left: false };
    input.subscribers.add(sub);
    const state = input.source?.health().state;
    if (state)
      deps.telemetry.sourceState(config.source, state);
    queueMicrotask(() => start(input));
    return sub;
  };
  const inputOf = (config) => {
    const id = inputKey(config);
    const known = inputs.get(id);
    if (known && !known.ended)
      return known;
    factory(config, { ...deps, telemetry: { ...deps.telemetry, sourceState() {
    } } });
    const input = { subscribers: /* @__PURE__ */ new Set(), leftovers: /* @__PURE__ */ new Map(), controller: new AbortController(), source: void 0, pump: void 0, ended: void 0, drained: void 0 };
    if (known)
      void stop(known);
    inputs.set(id, input);
    return input;
  };
  const stop = async (input) => {
    input.controller.abort(new Error("no monitor reads this input"));
    input.drained?.();
    for (const [id, i] of inputs)
      if (i === input)
        inputs.delete(id);
    await input.pump;
  };
  const starting = (config) => ({ state: "waiting", alive: false, detail: `starting ${config.logPath || config.plugin}`, sinceMs: deps.clock.now(), restarts: 0 });
  return {
    source(config, key) {
      const input = inputOf(config);
      const batches = (signal) => {
        const sub = join3(input, config, key);
        if (signal.aborted)
          leave(input, sub);
        return read(sub, signal);
      };
      async function* read(sub, signal) {
        const onAbort = () => leave(input, sub);
        signal.addEventListener("abort", onAbort, { once: true });
        try {
          while (!signal.aborted) {
            const batch = sub.queue.shift();
            if (batch) {
              input.drained?.();
              yield batch;
              continue;
            }
            if (input.ended) {
              if (input.ended.error !== void 0)
                throw input.ended.error;
              return;
            }
            await new Promise((resolve) => sub.wake = resolve);
            sub.wake = void 0;
          }
        } finally {
          signal.removeEventListener("abort", onAbort);
          leave(input, sub);
        }
      }
      async function* lines(signal) {
        for await (const batch of batches(signal))
          yield* batch;
      }
      return { batches, lines, health: () => input.source?.health() ?? starting(config) };
    },
    hold() {
      if (holds++ === 0)
        released = new Promise((resolve) => release = resolve);
      let done = false;
      return () => {
        if (done)
          return;
        done = true;
        if (--holds > 0)
          return;
        release?.();
        for (const input of inputs.values())
          start(input);
      };
    },
    async sweep() {
      const idle = [...inputs.values()].filter((i) => i.subscribers.size === 0);
      for (const input of inputs.values())
        input.leftovers.clear();
      await Promise.all(idle.map(stop));
    },
    inputs: () => [...inputs.values()].filter((i) => i.pump !== void 0).length,
    async close() {
      holds = 0;
      release?.();
      await Promise.all([...inputs.values()].map(stop));
    }
  };
}

// ../../../work/wt/footprint/dist/src/app/agent.js
var DEFAULT_SOURCE_FAILURE_GRACE_MS = 6e4;
var conditionsKey = (conditions) => conditions.map((c) => `${c.type}\0${c.status}\0${c.reason}`).join("\n");
async function loadAll(files) {
  const unique = [...new Set(files)];
  const configs = await Promise.all(unique.map((f) => readMonitorFile(f, { probeNames: Object.keys(probeRegistry), checkPaths: true })));
  checkConditionOwners(configs);
  return configs;
}
function createAgent(options) {
  const { exporters } = options;
  const sources = createSourceHub(options.deps);
  const deps = { ...options.deps, sources };
  const log = deps.logger;
  const graceMs = options.sourceFailureGraceMs ?? DEFAULT_SOURCE_FAILURE_GRACE_MS;
  let lag;
  const running = /* @__PURE__ */ new Map();
  const latest = /* @__PURE__ */ new Map();
  let parent;
  let watcher = Promise.resolve();
  let reloading;
  let started;
  const sink = (status) => {
    latest.set(status.source, status.conditions);
    for (const e of exporters) {
      try {
        e.export(status);
      } catch (err) {
        log.error("exporter failed", { exporter: e.name, error: errorMessage(err) });
      }
    }
  };
  const launch = (config, initial) => {
    const controller = new AbortController();
    const onAbort = () => controller.abort(parent?.reason);
    if (parent?.aborted)
      onAbort();
    else
      parent?.addEventListener("abort", onAbort, { once: true });
    const owned = new Set(config.conditions.map((c) => c.type));
    const mine = initial?.filter((c) => owned.has(c.type));
    const monitor = buildMonitor(config, deps, mine && mine.length > 0 ? mine : void 0);
    const entry = {
      key: JSON.stringify(config),
      config,
      monitor,
      controller,
      crashed: void 0,
      done: Promise.resolve(),
      first: void 0,
      changed: false
    };
    const report = (status) => {
      if (!entry.changed) {
        const key = conditionsKey(status.conditions);
        if (entry.first === void 0)
          entry.first = key;
        else
          entry.changed = key !== entry.first;
      }
      sink(status);
    };
    entry.done = monitor.run(report, controller.signal).catch((err) => {
      if (controller.signal.aborted)
        return;
      entry.crashed = errorMessage(err);
      log.error("monitor stopped with an error", { monitor: config.source, file: config.file, error: entry.crashed });
    }).finally(() => parent?.removeEventListener("abort", onAbort));
    log.info("monitor started", { monitor: config.source, file: config.file, kind: config.kind });
    return entry;
  };
  const apply = async (configs, initial) => {
    const wanted = new Map(configs.map((c) => [c.file, c]));
    const release = sources.hold();
    try {
      for (const [file, r] of running) {
        const next = wanted.get(file);
        if (next && JSON.stringify(next) === r.key && !r.crashed)
          continue;
        r.controller.abort();
        await r.done;
        running.delete(file);
        if (!next) {
          latest.delete(r.config.source);
          deps.telemetry.sourceRemoved(r.config.source);
          log.info("monitor removed", { monitor: r.config.source, file });
        }
      }
      for (const config of configs) {
        if (running.has(config.file))
          continue;
        const carried = latest.get(config.source) ?? initial;
        running.set(config.file, launch(config, carried));
      }
    } finally {
      release();
    }
    await sources.sweep();
    const descriptions = [...running.values()].map((r) => describeMonitor(r.config));
    for (const e of exporters)
      e.setMonitors(descriptions);
  };
  const reload = async () => {
    try {
      const configs = await loadAll(await options.monitorFiles());
      await apply(configs, void 0);
      deps.telemetry.configReload(true);
      log.info("configuration reloaded", { monitors: configs.length });
      return { ok: true };
    } catch (err) {
      deps.telemetry.configReload(false);
      if (isFdExhaustion(err))
        log.error("configuration not reloaded: out of file descriptors; the previous configuration keeps running", { error: errorMessage(err) });
      else
        log.error("configuration rejected; the previous configuration keeps running", { error: errorMessage(err) });
      return { ok: false, error: errorMessage(err) };
    }
  };
  const start = async (signal) => {
    parent = signal;
    const watching = options.watch ?? true;
    const watchList = async () => [...await options.monitorFiles(), ...await options.watchFiles?.() ?? []];
    let watched = watching ? await watchList() : [];
    const baseline = watching ? await snapshotFiles(watched) : void 0;
    const files = await options.monitorFiles();
    const configs = await loadAll(files);
    const sources2 = /* @__PURE__ */ new Map();
    for (const c of configs) {
      const other = sources2.get(c.source);
      if (other && other !== c.file)
        log.warn("two monitor files share a source name", { source: c.source, files: [other, c.file] });
      sources2.set(c.source, c.file);
    }
    await apply(configs, void 0);
    lag = watchLoopLag({ clock: systemClock, telemetry: deps.telemetry, logger: log }, signal);
    if (watching) {
      watcher = watchConfigFiles({
        files: () => watched,
        baseline,
        onChange: async () => {
          reloading = reload();
          await reloading;
          watched = await watchList().catch(() => watched);
        },
        clock: deps.clock,
        logger: log,
        signal,
        debounceMs: options.reloadDebounceMs,
        pollMs: options.reloadPollMs
      }).catch((err) => log.error("config watcher failed", { error: errorMessage(err) }));
    }
  };
  return {
    start(signal) {
      started = start(signal);
      return started;
    },
    async adopt(onNode) {
      await started?.catch(() => void 0);
      await reloading;
      const release = sources.hold();
      try {
        for (const [file, r] of running) {
          const owned = new Set(r.config.conditions.map((c) => c.type));
          if (r.changed || r.crashed || !onNode.some((c) => owned.has(c.type)))
            continue;
          r.controller.abort();
          await r.done;
          if (parent?.aborted)
            break;
          running.set(file, launch(r.config, onNode));
        }
      } finally {
        release();
      }
    },
    reload,
    health() {
      return assessHealth({
        nowMs: deps.clock.now(),
        graceMs,
        monitors: [...running.values()].map((r) => ({ source: r.config.source, health: r.monitor.health(), crashed: r.crashed })),
        exporters: exporters.map((e) => ({ name: e.name, ok: e.healthy() })),
        eventLoop: lag?.report() ?? { lastSeconds: 0, maxSeconds: 0 }
      });
    },
    conditions: () => Object.fromEntries(latest),
    async stopped() {
      await watcher;
      await reloading;
      await Promise.all([...running.values()].map((r) => r.done));
      await sources.close();
      await lag?.done;
    }
  };
}
export {
  DEFAULT_SOURCE_FAILURE_GRACE_MS,
  createAgent
};
