import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/probes/proc-table.js
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// ../../../work/wt/footprint/dist/src/probes/read-probe-file.js
import { readFile } from "node:fs/promises";
function readErrorCause(err) {
  const code = err?.code;
  if (code === "ENOENT" || code === "ENOTDIR")
    return "NoData";
  if (code === "EACCES" || code === "EPERM")
    return "PermissionDenied";
  return code ?? "ReadError";
}
function unknownResult(what, cause, detail) {
  return { status: "unknown", cause, message: `couldn't read ${what}: ${detail}` };
}
async function readProbeFile(path) {
  try {
    return { ok: true, text: await readFile(path, "utf8") };
  } catch (err) {
    const cause = readErrorCause(err);
    const code = err.code ?? String(err);
    return { ok: false, result: unknownResult(path, cause, code) };
  }
}
function parseCount(text) {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : void 0;
}

// ../../../work/wt/footprint/dist/src/probes/proc-table.js
function parseStat(text) {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open || text[close + 1] !== " ")
    return void 0;
  const state = text[close + 2];
  return state === void 0 ? void 0 : { comm: text.slice(open + 1, close), state };
}
var read = (file) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return void 0;
  }
};
function listPids(proc) {
  let entries;
  try {
    entries = readdirSync(proc);
  } catch (err) {
    return { ok: false, result: unknownResult(proc, readErrorCause(err), err.code ?? String(err)) };
  }
  const pids = entries.filter((e) => /^\d+$/.test(e));
  if (pids.length === 0)
    return { ok: false, result: { status: "unknown", cause: "NoData", message: `no processes found in ${proc}` } };
  return { ok: true, pids };
}
async function readProcTable(proc) {
  const listed = listPids(proc);
  if (!listed.ok)
    return listed;
  const { pids } = listed;
  const processes = [];
  let reads = 0;
  for (const pid of pids) {
    if (++reads % 64 === 0)
      await new Promise((resolve) => setImmediate(resolve));
    const text = read(join(proc, pid, "stat"));
    const main = text === void 0 ? void 0 : parseStat(text);
    if (main === void 0)
      continue;
    let tids;
    try {
      tids = readdirSync(join(proc, pid, "task")).filter((t) => /^\d+$/.test(t));
    } catch {
      tids = [];
    }
    const tasks = [{ tid: Number(pid), state: main.state }];
    for (const tid of tids) {
      if (tid === pid)
        continue;
      reads++;
      const t = read(join(proc, pid, "task", tid, "stat"));
      const parsed = t === void 0 ? void 0 : parseStat(t);
      if (parsed)
        tasks.push({ tid: Number(tid), state: parsed.state });
    }
    processes.push({ pid: Number(pid), comm: main.comm.trim(), tasks });
  }
  return { ok: true, processes };
}
function createProcTableSource(proc, clock, reuseMs = 5e3) {
  let last;
  return {
    table() {
      const now = clock.now();
      if (last === void 0 || now - last.at >= reuseMs)
        last = { at: now, table: readProcTable(proc) };
      return last.table;
    }
  };
}

export {
  readErrorCause,
  readProbeFile,
  parseCount,
  parseStat,
  listPids,
  readProcTable,
  createProcTableSource
};
