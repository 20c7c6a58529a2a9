import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  http
} from "./chunk-MLIL5XYT.js";
import {
  formatDuration,
  parseDuration
} from "./chunk-S7FWY2NQ.js";
import {
  ConfigError,
  DeadlineError,
  NpdError,
  stripUrlAuth
} from "./chunk-JPM2ZRLH.js";
import {
  createProcTableSource,
  listPids,
  parseCount,
  readErrorCause,
  readProbeFile
} from "./chunk-PJ6YGIJQ.js";
import {
  cgroupOfProcess
} from "./chunk-D4CIFBZN.js";
import {
  parsePodCgroup
} from "./chunk-SRGH6FON.js";

// ../../../work/wt/footprint/dist/src/probes/cgroups.js
import { join } from "node:path";

// ../../../work/wt/footprint/dist/src/probes/watermark.js
function isOverWatermark(ratio, limits) {
  const percent = ratio * 100;
  const clear = limits.clearPercent ?? limits.thresholdPercent - 5;
  if (percent > limits.thresholdPercent)
    return true;
  return (limits.wasProblem ?? false) && percent >= clear;
}
function percentText(ratio) {
  return `${Math.floor(ratio * 100)}%`;
}
function isOverCount(count, limits) {
  if (count >= limits.max)
    return true;
  return (limits.wasProblem ?? false) && count >= (limits.clearBelow ?? limits.max * 0.95);
}
var watermarkKeys = ["thresholdPercent", "clearPercent"];
function readWatermarkLimits(opts, probe, fallback) {
  const thresholdPercent = opts.percent("thresholdPercent", fallback);
  const clearPercent = opts.optionalPercent("clearPercent") ?? Math.max(1, thresholdPercent - 5);
  if (clearPercent > thresholdPercent)
    opts.fail("clearPercent", `must not be above ${probe}.thresholdPercent (${thresholdPercent}), got ${clearPercent}`);
  return { thresholdPercent, clearPercent };
}
function watermarkCheck(ctx, resource, limits, probe) {
  let wasProblem;
  return async (_signal, prior) => {
    const result = await probe({ ...limits, wasProblem: wasProblem ?? prior?.problem ?? false });
    if (result.status !== "unknown")
      wasProblem = result.status === "problem";
    if (result.mounts)
      for (const m of result.mounts)
        ctx.telemetry.watermark(resource, m.mountPoint, m.ratio);
    else if (result.ratio !== void 0)
      ctx.telemetry.watermark(resource, "node", result.ratio);
    return result;
  };
}

// ../../../work/wt/footprint/dist/src/probes/option-reader.js
function readOptions(probe, options, known, where) {
  const fail = (name, problem) => {
    throw new ConfigError(where.file, `${where.field}.${name}`, `${probe}.${name} ${problem}`);
  };
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      fail(key, `is not an option of probe ${probe} (known: ${known.join(", ") || "none"})`);
  }
  const optionalPercent = (name) => {
    const v = options[name];
    if (v === void 0)
      return void 0;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 1 || v > 100)
      fail(name, `must be 1\u2013100, got ${JSON.stringify(v)}`);
    return v;
  };
  return {
    fail,
    optionalPercent,
    percent: (name, fallback) => optionalPercent(name) ?? fallback,
    duration(name, fallback) {
      const v = options[name];
      if (v === void 0)
        return fallback;
      const ms = typeof v === "string" ? parseDuration(v) : void 0;
      if (ms === void 0 || ms <= 0)
        fail(name, `must be a duration like "5s", got ${JSON.stringify(v)}`);
      return ms;
    },
    integer(name, fallback, min, max = Number.MAX_SAFE_INTEGER) {
      const v = options[name];
      if (v === void 0)
        return fallback;
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
        fail(name, `must be an integer ${max === Number.MAX_SAFE_INTEGER ? `\u2265 ${min}` : `${min}\u2013${max}`}, got ${JSON.stringify(v)}`);
      }
      return v;
    },
    string(name, fallback) {
      const v = options[name];
      if (v === void 0 && fallback !== void 0)
        return fallback;
      if (typeof v !== "string" || v === "")
        fail(name, v === void 0 ? "is required" : `must be a non-empty string, got ${JSON.stringify(v)}`);
      return v;
    },
    strings(name, fallback) {
      const v = options[name];
      if (v === void 0 && fallback !== void 0)
        return fallback;
      if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === "string" && s !== "")) {
        fail(name, v === void 0 ? "is required" : `must be a non-empty list of strings, got ${JSON.stringify(v)}`);
      }
      return v;
    }
  };
}

// ../../../work/wt/footprint/dist/src/probes/cgroups.js
function parseCgroups(text) {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (!/^#subsys_name\s+hierarchy\s+num_cgroups\s+enabled\s*$/.test(lines[0] ?? ""))
    return void 0;
  const counts = /* @__PURE__ */ new Map();
  for (const line of lines.slice(1)) {
    const m = /^(\S+)\s+\d+\s+(\d+)\s+[01]\s*$/.exec(line);
    if (!m)
      return void 0;
    counts.set(m[1], Number(m[2]));
  }
  return counts;
}
async function probeCgroups(proc, controllers, limits) {
  const path = join(proc, "cgroups");
  const input = await readProbeFile(path);
  if (!input.ok)
    return input.result;
  const counts = parseCgroups(input.text);
  if (!counts)
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${path}: ${JSON.stringify(input.text.slice(0, 40))}` };
  const present = controllers.filter((c) => counts.has(c)).map((c) => ({ controller: c, count: counts.get(c) }));
  if (present.length === 0)
    return { status: "unknown", cause: "NoData", message: `none of ${controllers.join(", ")} is listed in ${path}` };
  const worst = Math.max(...present.map((p) => p.count));
  const figures = present.map((p) => `${p.controller} ${p.count}`).join(", ");
  return {
    status: isOverCount(worst, limits) ? "problem" : "ok",
    message: `cgroups: ${figures} (max ${limits.max})`,
    ratio: worst / limits.max
  };
}
var cgroupsProbe = {
  name: "cgroups",
  create(options, ctx, where) {
    const opts = readOptions("cgroups", options, ["max", "controllers"], where);
    const max = opts.integer("max", 1e3, 1);
    const controllers = opts.strings("controllers", ["memory", "cpuacct"]);
    return watermarkCheck(ctx, "cgroups", { max }, (l) => probeCgroups(ctx.procRoot, controllers, l));
  }
};

// ../../../work/wt/footprint/dist/src/probes/conntrack.js
import { join as join2 } from "node:path";
async function probeConntrack(proc, limits) {
  const countPath = join2(proc, "sys/net/netfilter/nf_conntrack_count");
  const maxPath = join2(proc, "sys/net/netfilter/nf_conntrack_max");
  const [countIn, maxIn] = await Promise.all([readProbeFile(countPath), readProbeFile(maxPath)]);
  if (!countIn.ok)
    return countIn.result;
  if (!maxIn.ok)
    return maxIn.result;
  const count = parseCount(countIn.text);
  const max = parseCount(maxIn.text);
  if (count === void 0)
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${countPath}` };
  if (max === void 0 || max === 0)
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${maxPath}` };
  const ratio = count / max;
  const over = ratio * 100 > limits.thresholdPercent;
  if (isOverWatermark(ratio, limits)) {
    const message = over ? `Conntrack table usage over ${limits.thresholdPercent}%: ${count} out of ${max}` : `Conntrack table usage ${percentText(ratio)}, not yet below ${limits.clearPercent ?? limits.thresholdPercent - 5}%: ${count} out of ${max}`;
    return { status: "problem", message, ratio };
  }
  return { status: "ok", message: `Conntrack table usage ${percentText(ratio)}: ${count} out of ${max}`, ratio };
}
var conntrackProbe = {
  name: "conntrack",
  create(options, ctx, where) {
    const limits = readWatermarkLimits(readOptions("conntrack", options, watermarkKeys, where), "conntrack", 90);
    return watermarkCheck(ctx, "conntrack", limits, (l) => probeConntrack(ctx.procRoot, l));
  }
};

// ../../../work/wt/footprint/dist/src/probes/dentry.js
import { join as join3 } from "node:path";
function parseDentryState(text) {
  const m = /^(\d+)(?:\s+\d+){5}\s*$/.exec(text);
  return m ? Number(m[1]) : void 0;
}
async function probeDentry(proc, limits) {
  const path = join3(proc, "sys/fs/dentry-state");
  const input = await readProbeFile(path);
  if (!input.ok)
    return input.result;
  const dentries = parseDentryState(input.text);
  if (dentries === void 0)
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${path}: ${JSON.stringify(input.text.slice(0, 40))}` };
  return {
    status: isOverCount(dentries, limits) ? "problem" : "ok",
    message: `nr_dentry is ${dentries} and max is ${limits.max}`,
    ratio: dentries / limits.max
  };
}
var dentryProbe = {
  name: "dentry",
  create(options, ctx, where) {
    const max = readOptions("dentry", options, ["max"], where).integer("max", 1e8, 1);
    return watermarkCheck(ctx, "dentry", { max }, (l) => probeDentry(ctx.procRoot, l));
  }
};

// ../../../work/wt/footprint/dist/src/probes/fd.js
import { join as join4 } from "node:path";
function parseFileNr(text) {
  const m = /^(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m)
    return void 0;
  const [allocated, unused, max] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return max > 0 ? { allocated, unused, max } : void 0;
}
function fdMessage(nr, ratio) {
  return `current fd is ${nr.allocated} and max is ${nr.max}, ${percentText(ratio)} used`;
}
async function probeFd(proc, limits) {
  const path = join4(proc, "sys/fs/file-nr");
  const input = await readProbeFile(path);
  if (!input.ok)
    return input.result;
  const nr = parseFileNr(input.text);
  if (!nr)
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${path}: ${JSON.stringify(input.text.slice(0, 40))}` };
  const ratio = nr.allocated / nr.max;
  return { status: isOverWatermark(ratio, limits) ? "problem" : "ok", message: fdMessage(nr, ratio), ratio };
}
var fdProbe = {
  name: "fd",
  create(options, ctx, where) {
    const limits = readWatermarkLimits(readOptions("fd", options, watermarkKeys, where), "fd", 80);
    return watermarkCheck(ctx, "fd", limits, (l) => probeFd(ctx.procRoot, l));
  }
};

// ../../../work/wt/footprint/dist/src/probes/inodes.js
import { statfs as fsStatfs } from "node:fs/promises";
function inodeRatio(counts) {
  if (!(counts.files > 0))
    return void 0;
  return (counts.files - counts.ffree) / counts.files;
}
async function probeInodes(mountPoints, limits, statfs = (p) => fsStatfs(p)) {
  const mounts = [];
  const failures = [];
  let cause;
  for (const mountPoint of mountPoints) {
    try {
      const ratio = inodeRatio(await statfs(mountPoint));
      if (ratio !== void 0)
        mounts.push({ mountPoint, ratio });
    } catch (err) {
      cause ??= readErrorCause(err);
      failures.push(`${mountPoint}: ${err.code ?? String(err)}`);
    }
  }
  const worst = mounts.reduce((w, m) => w === void 0 || m.ratio > w.ratio ? m : w, void 0);
  if (!worst) {
    if (failures.length > 0)
      return { status: "unknown", cause, message: `couldn't statfs ${failures.join(", ")}`, mounts };
    return { status: "ok", message: `no inode limit on ${mountPoints.join(", ")}`, mounts };
  }
  const status = isOverWatermark(worst.ratio, limits) ? "problem" : "ok";
  const tail = failures.length > 0 ? ` (couldn't statfs ${failures.join(", ")})` : "";
  return { status, message: `current inode usage is ${percentText(worst.ratio)} on ${worst.mountPoint}${tail}`, ratio: worst.ratio, mounts };
}
var inodesProbe = {
  name: "inodes",
  create(options, ctx, where) {
    const opts = readOptions("inodes", options, [...watermarkKeys, "mountPoints"], where);
    const limits = readWatermarkLimits(opts, "inodes", 80);
    const mountPoints = opts.strings("mountPoints", ["/"]);
    return watermarkCheck(ctx, "inodes", limits, (l) => probeInodes(mountPoints, l));
  }
};

// ../../../work/wt/footprint/dist/src/probes/deadline.js
function createDeadline(clock, ms, parent) {
  const controller = new AbortController();
  const stop = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted)
    controller.abort(parent.reason);
  else
    parent?.addEventListener("abort", onParent, { once: true });
  clock.sleep(ms, stop.signal).then(() => controller.abort(new DeadlineError(ms)), () => {
  });
  return {
    signal: controller.signal,
    done: () => {
      stop.abort();
      parent?.removeEventListener("abort", onParent);
    }
  };
}
function withTimeout(ctx, ms, run) {
  return async (signal) => {
    const deadline = createDeadline(ctx.clock, ms, signal);
    try {
      return await run(deadline.signal);
    } finally {
      deadline.done();
    }
  };
}

// ../../../work/wt/footprint/dist/src/probes/ram-role.js
function describeFetchError(err, signal) {
  if (signal.aborted) {
    const reason = signal.reason;
    return { cause: "Timeout", text: typeof reason?.message === "string" ? reason.message : "aborted" };
  }
  const e = err;
  const code = e?.cause?.code;
  return { cause: "NetworkError", text: typeof code === "string" ? code : typeof e?.message === "string" ? e.message : String(err) };
}
function parseRoleName(text) {
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "");
  return line !== void 0 && /^[\w.@+=,-]+$/.test(line) ? line : void 0;
}
function parseCredentialsOk(text) {
  try {
    const doc = JSON.parse(text);
    return typeof doc === "object" && doc !== null && doc.Code === "Success";
  } catch {
    return false;
  }
}
async function probeRamRole(endpoint, fetchFn, signal) {
  const base = `${endpoint.replace(/\/+$/, "")}/latest/meta-data/ram/security-credentials/`;
  let role;
  try {
    const res = await fetchFn(base, { signal });
    const body = await res.text();
    if (res.status === 404)
      return { status: "problem", message: "node has no ram role" };
    if (!res.ok)
      return { status: "unknown", cause: `HTTP${res.status}`, message: `metadata service answered ${res.status} for ${stripUrlAuth(base)}` };
    role = parseRoleName(body);
    if (role === void 0)
      return { status: "problem", message: "node has no ram role" };
    const cred = await fetchFn(base + encodeURIComponent(role), { signal });
    const doc = await cred.text();
    if (cred.ok && parseCredentialsOk(doc))
      return { status: "ok", message: `node has ram role ${role}` };
    return { status: "problem", message: `node has ram role ${role} but its credentials are not available (HTTP ${cred.status})` };
  } catch (err) {
    const d = describeFetchError(err, signal);
    return { status: "unknown", cause: d.cause, message: `couldn't reach metadata service at ${stripUrlAuth(endpoint)}${role ? ` for role ${role}` : ""}: ${d.text}` };
  }
}
function createMetadataCheck(name, options, ctx, where, probe) {
  const opts = readOptions(name, options, ["endpoint", "timeout"], where);
  const endpoint = opts.string("endpoint");
  if (!/^https?:\/\/[^/\s]+\/?$/.test(endpoint))
    opts.fail("endpoint", `must be an http(s) origin like "http://host", got ${JSON.stringify(stripUrlAuth(endpoint))}`);
  const timeoutMs = opts.duration("timeout", 5e3);
  return withTimeout(ctx, timeoutMs, (signal) => probe(endpoint, ctx.fetch, signal));
}
var ramRoleProbe = {
  name: "ram-role",
  create: (options, ctx, where) => createMetadataCheck("ram-role", options, ctx, where, probeRamRole)
};

// ../../../work/wt/footprint/dist/src/probes/instance-expiry.js
var terminationTimePath = "/latest/meta-data/instance/spot/termination-time";
function parseTerminationTime(text) {
  const t = text.trim();
  if (t.length > 64 || !/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(t))
    return void 0;
  return Number.isNaN(Date.parse(t)) ? void 0 : t;
}
async function probeInstanceExpiry(endpoint, fetchFn, signal) {
  const url = `${endpoint.replace(/\/+$/, "")}${terminationTimePath}`;
  const shown = stripUrlAuth(url);
  try {
    const res = await fetchFn(url, { signal });
    const body = await res.text();
    if (res.status === 404)
      return { status: "ok", message: "instance is not going to be terminated" };
    if (res.status !== 200)
      return { status: "unknown", cause: `HTTP${res.status}`, message: `metadata service answered ${res.status} for ${shown}` };
    const time = parseTerminationTime(body);
    if (time === void 0)
      return { status: "unknown", cause: "Unparsable", message: `metadata service answered ${JSON.stringify(body.slice(0, 40))} for ${shown}, not a time` };
    return { status: "problem", message: `instance is going to be terminated at ${time}` };
  } catch (err) {
    const d = describeFetchError(err, signal);
    return { status: "unknown", cause: d.cause, message: `couldn't reach metadata service at ${stripUrlAuth(endpoint)}: ${d.text}` };
  }
}
var instanceExpiryProbe = {
  name: "instance-expiry",
  create: (options, ctx, where) => createMetadataCheck("instance-expiry", options, ctx, where, probeInstanceExpiry)
};

// ../../../work/wt/footprint/dist/src/probes/memfrag.js
import { join as join6 } from "node:path";

// ../../../work/wt/footprint/dist/src/probes/memleak.js
import { join as join5 } from "node:path";
function parseMeminfo(text) {
  const fields = /* @__PURE__ */ new Map();
  for (const line of text.split("\n")) {
    if (line.trim() === "")
      continue;
    const m = /^([\w()]+):\s+(\d+)(?: kB)?\s*$/.exec(line);
    if (!m)
      return void 0;
    fields.set(m[1], Number(m[2]));
  }
  return fields.size > 0 ? fields : void 0;
}
function mibText(kib) {
  return `${Math.floor(kib / 1024)} MiB`;
}
async function probeMemleak(proc, limits) {
  const path = join5(proc, "meminfo");
  const input = await readProbeFile(path);
  if (!input.ok)
    return input.result;
  const fields = parseMeminfo(input.text);
  const total = fields?.get("MemTotal");
  const slab = fields?.get("SUnreclaim");
  if (total === void 0 || total === 0 || slab === void 0) {
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${path}: ${fields ? "no MemTotal or SUnreclaim" : JSON.stringify(input.text.slice(0, 40))}` };
  }
  const ratio = slab / total;
  const problem = isOverWatermark(ratio, limits) && slab >= limits.minMiB * 1024;
  return {
    status: problem ? "problem" : "ok",
    message: `unreclaimable slab is ${mibText(slab)}, ${percentText(ratio)} of ${mibText(total)} memory`,
    ratio
  };
}
var memleakProbe = {
  name: "memleak",
  create(options, ctx, where) {
    const opts = readOptions("memleak", options, [...watermarkKeys, "minMiB"], where);
    const limits = { ...readWatermarkLimits(opts, "memleak", 15), minMiB: opts.integer("minMiB", 800, 0) };
    return watermarkCheck(ctx, "slab-unreclaimable", limits, (l) => probeMemleak(ctx.procRoot, l));
  }
};

// ../../../work/wt/footprint/dist/src/probes/memfrag.js
function parseBuddyinfo(text) {
  const zones = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "")
      continue;
    const m = /^Node\s+(\d+),\s+zone\s+(\S+)((?:\s+\d+)+)\s*$/.exec(line);
    if (!m)
      return void 0;
    zones.push({ node: Number(m[1]), zone: m[2], free: m[3].trim().split(/\s+/).map(Number) });
  }
  return zones;
}
function largeFreeBlocks(zone, minOrder) {
  return zone.free.slice(minOrder).reduce((sum, n) => sum + n, 0);
}
async function probeMemfrag(proc, limits) {
  const meminfoPath = join6(proc, "meminfo");
  const meminfo = await readProbeFile(meminfoPath);
  if (!meminfo.ok)
    return meminfo.result;
  const total = parseMeminfo(meminfo.text)?.get("MemTotal");
  if (total === void 0)
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${meminfoPath}: no MemTotal` };
  if (total < limits.minMemoryGiB * 1024 * 1024) {
    return { status: "ok", message: `not checked: memory is ${mibText(total)}, below ${limits.minMemoryGiB} GiB` };
  }
  const path = join6(proc, "buddyinfo");
  const input = await readProbeFile(path);
  if (!input.ok)
    return input.result;
  const zones = parseBuddyinfo(input.text);
  if (!zones)
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${path}: ${JSON.stringify(input.text.slice(0, 40))}` };
  const normal = zones.filter((z) => z.zone === "Normal").map((z) => ({ node: z.node, blocks: largeFreeBlocks(z, limits.minOrder) }));
  if (normal.length === 0)
    return { status: "unknown", cause: "NoData", message: `no Normal zone in ${path}` };
  const poorest = normal.reduce((a, b) => b.blocks < a.blocks ? b : a);
  const figures = `${poorest.blocks} free blocks of order \u2265 ${limits.minOrder} in the Normal zone of node ${poorest.node} (min ${limits.minBlocks})`;
  if (poorest.blocks < limits.minBlocks)
    return { status: "problem", message: `memory is fragmented: ${figures}` };
  return { status: "ok", message: figures };
}
var memfragProbe = {
  name: "memfrag",
  create(options, ctx, where) {
    const opts = readOptions("memfrag", options, ["minMemoryGiB", "minOrder", "minBlocks"], where);
    const limits = { minMemoryGiB: opts.integer("minMemoryGiB", 4, 0), minOrder: opts.integer("minOrder", 4, 0, 10), minBlocks: opts.integer("minBlocks", 100, 1) };
    return () => probeMemfrag(ctx.procRoot, limits);
  }
};

// ../../../work/wt/footprint/dist/src/probes/process.js
import { readFileSync } from "node:fs";
import { join as join7 } from "node:path";
var commMaxLength = 15;
async function findProcess(proc, names, tables) {
  if (tables !== void 0) {
    const table = await tables.table();
    if (!table.ok)
      return table;
    const p = table.processes.find((e) => names.includes(e.comm));
    return { ok: true, found: p === void 0 ? void 0 : { pid: String(p.pid), comm: p.comm } };
  }
  const listed = listPids(proc);
  if (!listed.ok)
    return listed;
  const { pids } = listed;
  for (let i = 0; i < pids.length; i++) {
    if (i > 0 && i % 64 === 0)
      await new Promise((resolve) => setImmediate(resolve));
    const pid = pids[i];
    let comm;
    try {
      comm = readFileSync(join7(proc, pid, "comm"), "utf8").trim();
    } catch {
      continue;
    }
    if (names.includes(comm))
      return { ok: true, found: { pid, comm } };
  }
  return { ok: true, found: void 0 };
}
async function probeProcess(proc, names, tables) {
  const scan = await findProcess(proc, names, tables);
  if (!scan.ok)
    return scan.result;
  if (scan.found)
    return { status: "ok", message: `${scan.found.comm} is running (pid ${scan.found.pid})` };
  return { status: "problem", message: `none of ${names.join(", ")} is running` };
}
function readCommNames(opts, name, fallback) {
  const names = opts.strings(name, fallback);
  const long = names.find((n) => n.length > commMaxLength);
  if (long !== void 0) {
    opts.fail(name, `entries must be at most ${commMaxLength} characters, as the kernel cuts comm (use ${JSON.stringify(long.slice(0, commMaxLength))}), got ${JSON.stringify(long)}`);
  }
  return names;
}
var processProbe = {
  name: "process",
  create(options, ctx, where) {
    const names = readCommNames(readOptions("process", options, ["names"], where), "names");
    return () => probeProcess(ctx.procRoot, names, ctx.procTable);
  }
};

// ../../../work/wt/footprint/dist/src/probes/ntp.js
var timeDaemonNames = ["ntpd", "chronyd", "systemd-timesyn", "openntpd", "ntpsec"];
async function probeNtp(proc, daemons = timeDaemonNames, tables) {
  const scan = await findProcess(proc, daemons, tables);
  if (!scan.ok)
    return scan.result;
  if (scan.found)
    return { status: "ok", message: `NTP service is running (${scan.found.comm}, pid ${scan.found.pid})` };
  return { status: "problem", message: "NTP service is not running" };
}
var ntpProbe = {
  name: "ntp",
  create(options, ctx, where) {
    const daemons = readCommNames(readOptions("ntp", options, ["daemons"], where), "daemons", timeDaemonNames);
    return () => probeNtp(ctx.procRoot, daemons, ctx.procTable);
  }
};

// ../../../work/wt/footprint/dist/src/probes/pid.js
import { join as join8 } from "node:path";
function parseLoadavgThreads(text) {
  const m = /^\S+ \S+ \S+ (\d+)\/(\d+) \d+\s*$/.exec(text);
  return m ? Number(m[2]) : void 0;
}
async function probePid(proc, limits) {
  const files = ["loadavg", "sys/kernel/pid_max", "sys/kernel/threads-max"].map((f) => join8(proc, f));
  const inputs = await Promise.all(files.map((f) => readProbeFile(f)));
  const texts = [];
  for (const input of inputs) {
    if (!input.ok)
      return input.result;
    texts.push(input.text);
  }
  const threads = parseLoadavgThreads(texts[0]);
  const pidMax = parseCount(texts[1]);
  const threadsMax = parseCount(texts[2]);
  const bad = threads === void 0 ? files[0] : pidMax === void 0 || pidMax === 0 ? files[1] : threadsMax === void 0 || threadsMax === 0 ? files[2] : void 0;
  if (bad !== void 0 || threads === void 0 || pidMax === void 0 || threadsMax === void 0) {
    return { status: "unknown", cause: "Unparsable", message: `couldn't parse ${bad}` };
  }
  const max = Math.min(pidMax, threadsMax);
  const ratio = threads / max;
  return {
    status: isOverWatermark(ratio, limits) ? "problem" : "ok",
    message: `current pids is ${threads} and max is ${max}, ${percentText(ratio)} used`,
    ratio
  };
}
var pidProbe = {
  name: "pid",
  create(options, ctx, where) {
    const limits = readWatermarkLimits(readOptions("pid", options, watermarkKeys, where), "pid", 85);
    return watermarkCheck(ctx, "pid", limits, (l) => probePid(ctx.procRoot, l));
  }
};

// ../../../work/wt/footprint/dist/src/probes/hung-process.js
import { readFileSync as readFileSync2 } from "node:fs";
import { join as join9 } from "node:path";
var csiProcessNames = ["*csi*", "*diskplugin*", "*nasplugin*", "*ossplugin*"];
function globMatcher(globs) {
  const res = globs.map((g) => new RegExp(`^${g.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i"));
  return (comm) => res.some((re) => re.test(comm));
}
var readTrim = (file) => {
  try {
    return readFileSync2(file, "utf8").trim();
  } catch {
    return void 0;
  }
};
function podOf(deps, pid) {
  const text = readTrim(join9(deps.procRoot, String(pid), "cgroup"));
  const cg = text === void 0 ? void 0 : parsePodCgroup(cgroupOfProcess(text) ?? "");
  if (cg === void 0 || deps.pods === void 0)
    return void 0;
  const pod = deps.pods.pod(cg.podUid);
  if (pod === void 0)
    return void 0;
  const container = cg.containerId === void 0 ? "" : deps.pods.container(cg.containerId) ?? cg.containerId.slice(0, 12);
  return { pod, container };
}
function createHungProcessCheck(deps, options) {
  const watched = /* @__PURE__ */ new Map();
  const wanted = options.names === void 0 ? () => true : globMatcher(options.names);
  const atLeast = formatDuration(options.minDurationMs);
  const what = options.names === void 0 ? "process" : `process matching ${options.names.join(", ")}`;
  return async () => {
    const table = await deps.tables.table();
    if (!table.ok)
      return table.result;
    const now = deps.clock.now();
    const seen = /* @__PURE__ */ new Set();
    for (const p of table.processes) {
      if (!wanted(p.comm))
        continue;
      for (const t of p.tasks) {
        if (t.state !== "D")
          continue;
        seen.add(t.tid);
        const w = watched.get(t.tid);
        if (w && w.pid === p.pid)
          w.rounds++;
        else
          watched.set(t.tid, { pid: p.pid, comm: p.comm, since: now, rounds: 1 });
      }
    }
    for (const tid of watched.keys())
      if (!seen.has(tid))
        watched.delete(tid);
    const hung = [...watched].filter(([, w]) => w.rounds >= options.rounds && now - w.since >= options.minDurationMs);
    if (hung.length === 0)
      return { status: "ok", message: `no ${what} in uninterruptible sleep (D) for ${atLeast}` };
    const byPid = /* @__PURE__ */ new Map();
    for (const [tid, w] of hung.sort((a, b) => a[1].pid - b[1].pid || a[0] - b[0]))
      if (!byPid.has(w.pid))
        byPid.set(w.pid, { comm: w.comm, tid });
    const lines = [];
    const podEvents = [];
    for (const [pid, { comm, tid }] of byPid) {
      const wchan = readTrim(join9(deps.procRoot, String(pid), "task", String(tid), "wchan")) ?? readTrim(join9(deps.procRoot, String(pid), "wchan"));
      const waiting = wchan === void 0 || wchan === "" || wchan === "0" ? "wait channel unknown" : `waiting in ${wchan}`;
      const thread = tid === pid ? "" : `, thread ${tid}`;
      const where = podOf(deps, pid);
      const base = `process ${comm} (pid ${pid}${thread}) in uninterruptible sleep (D) for at least ${atLeast}, ${waiting}`;
      lines.push(where ? `${base}; namespace: ${where.pod.namespace}, pod: ${where.pod.name}, container: ${where.container}` : base);
      if (where) {
        const container = where.container === "" ? "the pod" : `container "${where.container}"`;
        podEvents.push({
          pod: where.pod,
          message: `${base.replace(/^process/, `process in ${container}:`)}. It cannot be killed until the kernel call returns (often storage: a disk, NFS or CSI volume).`
        });
      }
    }
    const shown = lines.slice(0, 5);
    const more = lines.length > shown.length ? `; and ${lines.length - shown.length} more` : "";
    return { status: "problem", message: `${shown.join("; ")}${more}`, podEvents };
  };
}
function hungFactory(probe, defaultNames) {
  return (options, ctx, where) => {
    const opts = readOptions(probe, options, defaultNames === void 0 ? ["minDuration", "rounds"] : ["minDuration", "rounds", "names"], where);
    const minDurationMs = opts.duration("minDuration", 12e4);
    const rounds = opts.integer("rounds", 3, 2, 100);
    const names = defaultNames === void 0 ? void 0 : opts.strings("names", defaultNames);
    const tables = ctx.procTable ?? createProcTableSource(ctx.procRoot, ctx.clock);
    return createHungProcessCheck({ procRoot: ctx.procRoot, clock: ctx.clock, tables, pods: ctx.pods }, { minDurationMs, rounds, names });
  };
}
var hungProcessProbe = { name: "hung-process", create: hungFactory("hung-process", void 0) };
var csiHungProcessProbe = { name: "csi-hung-process", create: hungFactory("csi-hung-process", csiProcessNames) };

// ../../../work/wt/footprint/dist/src/probes/public-network.js
import { connect as netConnect } from "node:net";
function parseTarget(text) {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text);
  if (!m)
    return void 0;
  const port = Number(m[3]);
  if (port < 1 || port > 65535)
    return void 0;
  return { host: m[1] ?? m[2], port };
}
var tcpConnect = (target, signal) => new Promise((resolve, reject) => {
  if (signal.aborted)
    return reject(signal.reason);
  const socket = netConnect({ host: target.host, port: target.port });
  const onAbort = () => {
    socket.destroy();
    reject(signal.reason);
  };
  signal.addEventListener("abort", onAbort, { once: true });
  socket.once("connect", () => {
    signal.removeEventListener("abort", onAbort);
    socket.destroy();
    resolve();
  });
  socket.once("error", (err) => {
    signal.removeEventListener("abort", onAbort);
    socket.destroy();
    reject(err);
  });
});
function describe(err) {
  if (err instanceof NpdError)
    return err.message;
  const e = err;
  if (typeof e?.code === "string")
    return e.code;
  if (typeof e?.message === "string")
    return e.message;
  return String(err);
}
async function probePublicNetwork(targets, connect, signal) {
  const failures = [];
  const attempts = targets.map(async (t) => {
    const name = `${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}`;
    try {
      await connect(t, signal);
      return name;
    } catch (err) {
      failures.push(`${name} ${describe(err)}`);
      throw err;
    }
  });
  try {
    const name = await Promise.any(attempts);
    return { status: "ok", message: `node can connect to public network (${name})` };
  } catch {
    return { status: "problem", message: `node could not connect to public network: ${failures.join(", ")}` };
  }
}
var publicNetworkProbe = {
  name: "public-network",
  create(options, ctx, where) {
    const opts = readOptions("public-network", options, ["targets", "timeout"], where);
    const targets = opts.strings("targets").map((t) => parseTarget(t) ?? opts.fail("targets", `must be "host:port" entries, got ${JSON.stringify(t)}`));
    const timeoutMs = opts.duration("timeout", 5e3);
    return withTimeout(ctx, timeoutMs, (signal) => probePublicNetwork(targets, tcpConnect, signal));
  }
};

// ../../../work/wt/footprint/dist/src/probes/runtime.js
import { stat } from "node:fs/promises";

// ../../../work/wt/footprint/dist/src/probes/grpc-health.js
import { connect as connectUnix } from "node:net";
var servingStatus = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];
var UNIMPLEMENTED = "12";
var EMPTY_REQUEST = Buffer.alloc(5);
var MAX_ANSWER = 1024;
function decodeHealthResponse(frame) {
  if (frame.length < 5 || frame[0] !== 0)
    return void 0;
  const length = frame.readUInt32BE(1);
  const message = frame.subarray(5, 5 + length);
  if (message.length !== length)
    return void 0;
  let status = 0;
  for (let i = 0; i < message.length; ) {
    const tag = message[i++];
    if (tag === 8) {
      let value = 0;
      let shift = 0;
      let byte;
      do {
        byte = message[i++] ?? 0;
        if (shift < 28)
          value |= (byte & 127) << shift;
        shift += 7;
      } while (byte & 128 && i < message.length);
      status = value;
    } else
      return void 0;
  }
  return servingStatus[status] ?? `status ${status}`;
}
async function checkGrpcHealth(socket, signal) {
  if (signal.aborted)
    return "timed out";
  return new Promise((resolve) => {
    let settled = false;
    let session;
    const sock = connectUnix({ path: socket });
    const finish = (failure) => {
      if (settled)
        return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      session?.destroy();
      sock.destroy();
      resolve(failure);
    };
    const onAbort = () => finish("timed out");
    signal.addEventListener("abort", onAbort, { once: true });
    sock.once("error", (err) => finish(err.code ?? err.message));
    sock.once("connect", () => void import("node:http2").then(({ connect }) => {
      if (settled)
        return;
      session = connect("http://localhost", { createConnection: () => sock });
      session.on("error", (err) => finish(err.code ?? err.message));
      askHealth(session, finish);
    }));
  });
}
function askHealth(session, finish) {
  const req = session.request({
    ":method": "POST",
    ":path": "/grpc.health.v1.Health/Check",
    "content-type": "application/grpc",
    te: "trailers"
  });
  const chunks = [];
  let size = 0;
  let grpcStatus;
  let grpcMessage = "";
  let httpStatus = 0;
  const readStatus = (headers) => {
    if (headers["grpc-status"] !== void 0)
      grpcStatus = String(headers["grpc-status"]);
    if (headers["grpc-message"] !== void 0)
      grpcMessage = String(headers["grpc-message"]);
  };
  req.on("response", (headers) => {
    httpStatus = Number(headers[":status"]);
    readStatus(headers);
  });
  req.on("trailers", readStatus);
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_ANSWER)
      return finish(`health answer larger than ${MAX_ANSWER} bytes`);
    chunks.push(chunk);
  });
  req.on("error", (err) => finish(err.code ?? err.message));
  req.on("end", () => {
    if (httpStatus === 0)
      return finish("closed without answering the health check");
    if (httpStatus !== 200)
      return finish(`health check answered HTTP ${httpStatus}`);
    if (grpcStatus === UNIMPLEMENTED)
      return finish(void 0);
    if (grpcStatus !== "0")
      return finish(`health check failed: grpc-status ${grpcStatus ?? "missing"}${grpcMessage ? ` (${safeDecode(grpcMessage)})` : ""}`);
    const status = decodeHealthResponse(Buffer.concat(chunks));
    if (status === void 0)
      return finish("health check answer is not a HealthCheckResponse");
    finish(status === "SERVING" ? void 0 : `health status ${status}`);
  });
  req.end(EMPTY_REQUEST);
}
function safeDecode(text) {
  try {
    return decodeURIComponent(text).slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

// ../../../work/wt/footprint/dist/src/probes/runtime.js
function pingDocker(socket, signal) {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: socket, path: "/_ping", method: "GET", signal }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        if (body.length < 64)
          body += c;
      });
      res.on("end", () => resolve(res.statusCode === 200 && body.trim() === "OK" ? void 0 : `/_ping answered ${res.statusCode} ${JSON.stringify(body.slice(0, 40))}`));
      res.on("error", (err) => resolve(err.message));
    });
    req.on("error", (err) => resolve(signal.aborted ? "timed out" : err.code ?? err.message));
    req.end();
  });
}
var checkRuntime = (e, signal) => e.runtime === "docker" ? pingDocker(e.socket, signal) : checkGrpcHealth(e.socket, signal);
async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
async function probeRuntime(endpoints, check, signal) {
  const present = [];
  for (const e of endpoints)
    if (await exists(e.socket))
      present.push(e);
  if (present.length === 0) {
    return { status: "unknown", cause: "NoData", message: `no container runtime socket found (${endpoints.map((e) => e.socket).join(", ")})` };
  }
  const failures = await Promise.all(present.map(async (e) => ({ e, failure: await check(e, signal) })));
  const bad = failures.filter((f) => f.failure !== void 0);
  if (bad.length > 0) {
    return { status: "problem", message: bad.map((f) => `${f.e.runtime} daemon is offline on ${f.e.socket}: ${f.failure}`).join("; ") };
  }
  return { status: "ok", message: `container runtime daemon is ok (${present.map((e) => e.runtime).join(", ")})` };
}
var runtimeProbe = {
  name: "runtime",
  create(options, ctx, where) {
    const opts = readOptions("runtime", options, ["dockerSocket", "containerdSocket", "timeout"], where);
    const endpoints = [
      { runtime: "docker", socket: opts.string("dockerSocket", "/var/run/docker.sock") },
      { runtime: "containerd", socket: opts.string("containerdSocket", "/run/containerd/containerd.sock") }
    ];
    const timeoutMs = opts.duration("timeout", 1e4);
    return withTimeout(ctx, timeoutMs, (signal) => probeRuntime(endpoints, checkRuntime, signal));
  }
};

// ../../../work/wt/footprint/dist/src/probes/registry.js
var builtInProbes = [
  fdProbe,
  pidProbe,
  inodesProbe,
  ntpProbe,
  publicNetworkProbe,
  ramRoleProbe,
  runtimeProbe,
  conntrackProbe,
  memleakProbe,
  cgroupsProbe,
  dentryProbe,
  memfragProbe,
  processProbe,
  hungProcessProbe,
  csiHungProcessProbe,
  instanceExpiryProbe
];
var probeRegistry = Object.fromEntries(builtInProbes.map((p) => [p.name, p.create]));
function probeFactory(name, where) {
  if (Object.hasOwn(probeRegistry, name))
    return probeRegistry[name];
  throw new ConfigError(where.file, where.field, `unknown probe ${JSON.stringify(name)} (known: ${Object.keys(probeRegistry).join(", ")})`);
}

export {
  createDeadline,
  builtInProbes,
  probeRegistry,
  probeFactory
};
