import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  createKmsgFramer,
  createLineParser,
  createLineSplitter,
  createOomAnnotator,
  createRuleEngine,
  createUtf8Decoder,
  oomKillingReason,
  parseJournalEntry,
  parseKmsgRecord
} from "./chunk-DFIQFVSJ.js";
import "./chunk-3TIVMXNZ.js";
import {
  createPodDirectory
} from "./chunk-LR573IHH.js";
import {
  plural
} from "./chunk-PM5IX2NG.js";
import {
  readMonitorFile
} from "./chunk-KQPGU6XH.js";
import "./chunk-ZRCJ5HBB.js";
import "./chunk-XA2EV36Q.js";
import {
  systemClock
} from "./chunk-S7FWY2NQ.js";
import {
  ConfigError,
  errorMessage
} from "./chunk-JPM2ZRLH.js";
import "./chunk-SRGH6FON.js";

// ../../../work/wt/footprint/dist/src/app/replay-input.js
import { open } from "node:fs/promises";
var READ_BYTES = 1024 * 1024;
var DECODE_BYTES = 64 * 1024;
var MAX_ROW_CHARS = 256 * 1024;
async function openLogFile(file) {
  try {
    const fh = await open(file, "r");
    if ((await fh.stat()).isDirectory()) {
      await fh.close();
      throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    }
    return fh;
  } catch (err) {
    const code = err.code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a log file" : code === "EACCES" ? "permission denied" : errorMessage(err);
    throw new ConfigError(file, "", `cannot read log file: ${why}`, { cause: err });
  }
}
async function* fileRows(file) {
  const fh = await openLogFile(file);
  try {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    const decoder = createUtf8Decoder();
    const splitter = createLineSplitter(MAX_ROW_CHARS, () => {
    });
    for (; ; ) {
      const { bytesRead } = await fh.read(buf, 0, READ_BYTES, null);
      if (bytesRead === 0)
        break;
      for (let at = 0; at < bytesRead; at += DECODE_BYTES)
        yield splitter.push(decoder.write(buf.subarray(at, Math.min(bytesRead, at + DECODE_BYTES))));
    }
    const rest = splitter.push(decoder.end());
    const last = splitter.takePartial();
    yield last === "" ? rest : [...rest, last];
  } finally {
    await fh.close();
  }
}
function kmsgReader(bootTimeMs, sink) {
  const framer = createKmsgFramer();
  let start = 0;
  const emit = (record) => {
    const parsed = record === void 0 ? void 0 : parseKmsgRecord(record, bootTimeMs);
    if (parsed)
      sink(parsed.line, start);
  };
  return {
    rows(rows, first) {
      rows.forEach((row, i) => {
        for (const record of framer.push(`${row}
`))
          emit(record);
        if (row !== "" && !row.startsWith(" "))
          start = first + i;
      });
    },
    end: () => emit(framer.flush())
  };
}
function journalJsonLine(row, nowMs) {
  if (row.trim() === "")
    return void 0;
  const entry = parseJournalEntry(row);
  if (entry)
    return entry.line;
  try {
    const obj = JSON.parse(row);
    if (typeof obj.MESSAGE === "string")
      return { time: new Date(nowMs), message: obj.MESSAGE.trim() };
  } catch {
  }
  return void 0;
}
function journalExportReader(nowMs, sink) {
  let fields = {};
  let start = 1;
  let empty = true;
  const flush = () => {
    if (fields.MESSAGE !== void 0) {
      const usec = fields.__REALTIME_TIMESTAMP;
      const time = usec && /^\d+$/.test(usec) ? new Date(Number(usec) / 1e3) : new Date(nowMs);
      sink({ time, message: fields.MESSAGE.trim() }, start);
    }
    fields = {};
    empty = true;
  };
  return {
    rows(rows, first) {
      rows.forEach((row, i) => {
        if (row === "")
          return flush();
        if (empty)
          start = first + i;
        empty = false;
        const eq = row.indexOf("=");
        if (eq > 0)
          fields[row.slice(0, eq)] = row.slice(eq + 1);
      });
    },
    end: flush
  };
}

// ../../../work/wt/footprint/dist/src/app/replay.js
var KMSG_RECORD = /^\d+,\d+,\d+(?:,[^;]*)?;/;
function detectFormat(text) {
  const first = text.split("\n", 64).find((l) => l.trim() !== "") ?? "";
  if (KMSG_RECORD.test(first))
    return "kmsg";
  if (first.trimStart().startsWith("{"))
    return "journal-json";
  if (/^__CURSOR=/.test(first))
    return "journal-export";
  return "text";
}
function monitorReplay(monitor, placed, annotate) {
  let now = 0;
  let engine;
  let before = [];
  const ringSize = Math.max(16, monitor.bufferSize * 2);
  const ringLines = new Array(ringSize);
  const ringNumbers = new Array(ringSize).fill(0);
  let pushed = 0;
  const numberOf = (line) => {
    for (let k = 1; k <= Math.min(pushed, ringSize); k++) {
      const i = (pushed - k) % ringSize;
      if (ringLines[i] === line)
        return ringNumbers[i];
    }
    return 0;
  };
  const changesOf = (r) => {
    const out = /* @__PURE__ */ new Map();
    r.conditions.forEach((c, i) => {
      const prev = before[i];
      if (prev && prev !== c)
        out.set(c.type, { from: prev.status, to: c.status });
    });
    before = r.conditions;
    return out;
  };
  return (line, number) => {
    if (!engine) {
      now = line.time.getTime();
      engine = createRuleEngine(monitor, { now: () => now });
      before = engine.conditions();
    }
    now = Math.max(now, line.time.getTime());
    const due = engine.nextExpiryMs();
    if (due !== void 0 && due <= now) {
      for (const [type, change] of changesOf(engine.expire())) {
        const def = monitor.conditions.find((c) => c.type === type);
        const problem = { monitor: monitor.source, rule: void 0, reason: def?.reason ?? "", change: { type, ...change }, time: new Date(now), lines: [], lineNumbers: [] };
        placed.push({ at: number - 0.5, problem });
      }
    }
    const r = engine.push(line);
    ringLines[pushed % ringSize] = line;
    ringNumbers[pushed % ringSize] = number;
    pushed++;
    const attributed = annotate?.(line.message, r.events.filter((e) => e.reason === oomKillingReason));
    if (r.matches.length === 0)
      return;
    const changes = changesOf(r);
    for (const m of r.matches) {
      const { rule } = m;
      const change = rule.condition !== void 0 ? changes.get(rule.condition) : void 0;
      if (change && rule.condition !== void 0)
        changes.delete(rule.condition);
      const def = monitor.conditions.find((c) => c.type === rule.condition);
      const lineNumbers = m.lines.map(numberOf);
      const problem = {
        monitor: monitor.source,
        rule: { index: m.ruleIndex, type: rule.type, pattern: rule.pattern },
        reason: rule.type === "recovery" ? def?.reason ?? rule.reason : rule.reason,
        change: change && rule.condition !== void 0 ? { type: rule.condition, ...change } : void 0,
        time: m.lines[0].time,
        lines: m.lines.map((l) => l.message),
        lineNumbers,
        ...rule.reason === oomKillingReason && attributed && attributed.length > 0 ? { attribution: attributed.map((e) => `${e.reason} on ${e.pod ? `pod ${e.pod.namespace}/${e.pod.name}` : "the node"}: ${e.message}`) } : {}
      };
      placed.push({ at: lineNumbers.at(-1) ?? number, problem });
    }
  };
}
async function replayFile(file, monitors, options) {
  const placed = [];
  const { pods } = options;
  const annotator = (m) => pods?.enabled === true && m.rules.some((r) => r.reason === oomKillingReason) ? createOomAnnotator({ directory: pods, processes: void 0 }) : void 0;
  const sinks = monitors.map((m) => monitorReplay(m, placed, annotator(m)));
  const shared = (line, number) => {
    count++;
    for (const sink of sinks)
      sink(line, number);
  };
  let count = 0;
  let format;
  let reader;
  const unparsable = {};
  let rowCount = 0;
  const parsers = monitors.map((m) => createLineParser(m.plugin === "filelog" ? m.pluginConfig : {}, { file: m.file, nowMs: options.nowMs }));
  for await (const rows of fileRows(file)) {
    if (format === void 0) {
      if (rows.every((r) => r.trim() === "") && rows.length < 64) {
        rowCount += rows.length;
        continue;
      }
      format = detectFormat(rows.slice(0, 64).join("\n"));
      reader = format === "kmsg" ? kmsgReader(options.bootTimeMs, shared) : format === "journal-export" ? journalExportReader(options.nowMs, shared) : format === "journal-json" ? { rows: (rs, first2) => rs.forEach((row, i) => {
        const l = journalJsonLine(row, options.nowMs);
        if (l)
          shared(l, first2 + i);
      }), end: () => {
      } } : void 0;
    }
    const first = rowCount + 1;
    rowCount += rows.length;
    if (reader) {
      reader.rows(rows, first);
      continue;
    }
    monitors.forEach((m, k) => {
      const parse = parsers[k];
      const sink = sinks[k];
      let bad = 0;
      for (let i = 0; i < rows.length; i++) {
        const line = parse(rows[i]);
        if (line)
          sink(line, first + i);
        else
          bad++;
      }
      if (bad > 0)
        unparsable[m.source] = (unparsable[m.source] ?? 0) + bad;
    });
  }
  reader?.end();
  const problems = placed.sort((a, b) => a.at - b.at).map((p) => p.problem);
  return { file, format: format ?? "text", lines: reader ? count : rowCount, unparsable, problems };
}
async function runReplay(options) {
  const nowMs = options.nowMs ?? systemClock.now();
  const monitors = [];
  for (const f of options.monitorFiles)
    monitors.push(await readMonitorFile(f));
  const logMonitors = monitors.filter((m) => m.kind === "log");
  const files = [];
  const pods = options.pods ? createPodDirectory(options.pods) : void 0;
  for (const file of options.logFiles)
    files.push(await replayFile(file, logMonitors, { bootTimeMs: options.bootTimeMs ?? 0, nowMs, pods }));
  return { skippedMonitors: monitors.filter((m) => m.kind !== "log").map((m) => m.file), files };
}
function formatReplay(result) {
  const out = [];
  let total = 0;
  for (const f of result.files) {
    const bad = Object.entries(f.unparsable).map(([m, n]) => `, ${n} unparsable for ${m}`).join("");
    out.push(`${f.file} (${f.format}, ${plural(f.lines, "line")}${bad}): ${f.problems.length === 0 ? "no problems" : plural(f.problems.length, "problem")}`);
    for (const p of f.problems) {
      total++;
      const change = p.change ? ` \u2014 ${p.change.type} ${p.change.from} \u2192 ${p.change.to}` : "";
      const rule = p.rule ? `rules[${p.rule.index}] ${p.rule.type} ${JSON.stringify(p.rule.pattern)}` : "none: expired (expireAfter, or a count fell below its threshold)";
      out.push(`  ${p.time.toISOString()} ${p.monitor}: ${p.reason}${change}`);
      out.push(`    rule: ${rule}`);
      p.lines.forEach((l, i) => out.push(`    line ${p.lineNumbers[i] ?? "?"}: ${l.length > 300 ? `${l.slice(0, 300)}\u2026` : l}`));
      for (const a of p.attribution ?? [])
        out.push(`    \u2192 ${a}`);
    }
  }
  if (result.skippedMonitors.length > 0)
    out.push(`not replayed (probe monitors): ${result.skippedMonitors.join(", ")}`);
  out.push(`${plural(total, "problem")} in ${plural(result.files.length, "file")}`);
  return `${out.join("\n")}
`;
}
export {
  detectFormat,
  formatReplay,
  runReplay
};
