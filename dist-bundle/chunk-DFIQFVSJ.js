import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  calculateRetryDelay
} from "./chunk-3TIVMXNZ.js";
import {
  compileRe2,
  execPattern,
  matchEnd
} from "./chunk-KQPGU6XH.js";
import {
  formatDuration
} from "./chunk-S7FWY2NQ.js";
import {
  ConfigError,
  Re2Error,
  errorMessage
} from "./chunk-JPM2ZRLH.js";
import {
  displayCgroup,
  parsePodCgroup
} from "./chunk-SRGH6FON.js";

// ../../../work/wt/footprint/dist/src/core/problem.js
function defaultCondition(def, time) {
  return { type: def.type, status: "False", transition: time, reason: def.reason, message: def.message };
}
function transition(current, def, obs, options = {}) {
  let next;
  if (obs.status === "True") {
    if (current.status === "True" && current.reason === obs.reason) {
      if (!options.messageChangeUpdates || current.message === obs.message)
        return { condition: current, event: void 0 };
      next = { ...current, message: obs.message };
    } else {
      next = { type: current.type, status: "True", transition: obs.time, reason: obs.reason, message: obs.message };
    }
  } else {
    const message = obs.status === "False" ? def.message : obs.message;
    if (current.status === obs.status && current.reason === def.reason) {
      if (!(options.messageChangeUpdates && obs.status === "Unknown" && current.message !== message)) {
        return { condition: current, event: void 0 };
      }
    }
    next = {
      type: current.type,
      status: obs.status,
      transition: current.status === obs.status ? current.transition : obs.time,
      reason: def.reason,
      message
    };
  }
  return { condition: next, event: conditionChangeEvent(next, obs.time) };
}
function conditionChangeEvent(c, time) {
  return {
    severity: c.status === "True" ? "warn" : "info",
    time,
    reason: c.reason,
    message: `Node condition ${c.type} is now: ${c.status}, reason: ${c.reason}, message: ${JSON.stringify(c.message)}`
  };
}

// ../../../work/wt/footprint/dist/src/monitors/rule-counter.js
var MAX_ENTRIES = 1e4;
function createRuleCounter(windowMs) {
  const times = [];
  const deltas = [];
  let sum = 0;
  const prune = (timeMs) => {
    let drop = 0;
    while (drop < times.length && (times[drop] <= timeMs - windowMs || times.length - drop > MAX_ENTRIES)) {
      sum -= deltas[drop];
      drop++;
    }
    if (drop > 0) {
      times.splice(0, drop);
      deltas.splice(0, drop);
    }
  };
  return {
    add(timeMs, delta) {
      prune(timeMs);
      times.push(timeMs);
      deltas.push(delta);
      sum += delta;
      return sum;
    },
    count(timeMs) {
      prune(timeMs);
      return sum;
    },
    belowAt(threshold, timeMs) {
      prune(timeMs);
      let s = sum;
      if (s < threshold)
        return timeMs;
      for (let i = 0; i < times.length; i++) {
        s -= deltas[i];
        if (s < threshold)
          return times[i] + windowMs;
      }
      return timeMs;
    }
  };
}

// ../../../work/wt/footprint/dist/src/monitors/rule-matcher.js
var maxWindowChars = 16384;
function execBounded(r, text, cap) {
  const cut = text.length > cap ? text.length - cap : 0;
  const tail = cut > 0 ? text.slice(cut) : text;
  const m = execPattern(r, tail);
  if (m && cut > 0)
    m.index += cut;
  return m;
}
var NO_MATCHES = Object.freeze([]);
var escapeLiteral = (s) => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
function anyOf(words) {
  if (words.includes(""))
    return "";
  const byFirst = /* @__PURE__ */ new Map();
  for (const w of words) {
    const rest = byFirst.get(w.charAt(0));
    if (rest)
      rest.push(w.slice(1));
    else
      byFirst.set(w.charAt(0), [w.slice(1)]);
  }
  return [...byFirst].map(([first, rests]) => {
    let prefix = first;
    let group = rests;
    while (group.length > 1 && group.every((w) => w !== "" && w.charAt(0) === group[0].charAt(0))) {
      prefix += group[0].charAt(0);
      group = group.map((w) => w.slice(1));
    }
    const tail = group.length === 1 ? escapeLiteral(group[0]) : anyOf(group);
    return escapeLiteral(prefix) + (tail === "" || group.length === 1 ? tail : `(?:${tail})`);
  }).join("|");
}
function trimKey(literal) {
  return literal.replace(/^[\s:;,.=()-]+/, "");
}
function createRuleMatcher(rules, bufferSize, options = {}) {
  const charCap = options.maxWindowChars ?? maxWindowChars;
  const compiled = rules.map((rule, index) => {
    const c = compileRe2(rule.pattern, { anchorEnd: true });
    const parts = c.literals.flatMap((l) => l.split("\n")).map(trimKey).filter((p) => p.length > 0);
    const key = parts.reduce((best, p) => best === void 0 || p.length > best.length ? p : best, void 0);
    return { index, rule, regex: c.regex, linear: c.linear, lastLineOnly: !c.canSpanLines && !c.anchorsStart, key };
  });
  const keys = [...new Set(compiled.flatMap((r) => r.key === void 0 ? [] : [r.key]))];
  const anyKey = keys.length > 0 ? new RegExp(anyOf(keys)) : /[^\s\S]/;
  const unkeyed = compiled.some((r) => r.key === void 0);
  const hasMultiLine = compiled.some((r) => !r.lastLineOnly);
  const size = Math.max(1, bufferSize);
  const ring = [];
  const keyHits = new Uint8Array(size);
  let head = 0;
  let count = 0;
  let keyHitCount = 0;
  let chars = 0;
  const dropOldest = () => {
    keyHitCount -= keyHits[head];
    chars -= ring[head].message.length + 1;
    ring[head] = void 0;
    head = head + 1 === size ? 0 : head + 1;
    count--;
  };
  const ordered = () => {
    const out = [];
    for (let i = 0, slot = head; i < count; i++, slot = slot + 1 === size ? 0 : slot + 1)
      out.push(ring[slot]);
    return out;
  };
  return {
    window: () => ({ lines: count, chars }),
    push(line) {
      const hit = anyKey.test(line.message);
      if (count === size)
        dropOldest();
      const cost = line.message.length + 1;
      while (count > 0 && chars + cost > charCap)
        dropOldest();
      const slot = head + count < size ? head + count : head + count - size;
      count++;
      chars += cost;
      ring[slot] = line;
      keyHits[slot] = hit ? 1 : 0;
      if (hit)
        keyHitCount++;
      if (!hit && !unkeyed && (!hasMultiLine || keyHitCount === 0))
        return NO_MATCHES;
      const matches = [];
      let joined;
      let starts;
      let window;
      for (const r of compiled) {
        if (r.lastLineOnly) {
          if (r.key !== void 0 && (!hit || !line.message.includes(r.key)))
            continue;
          if (execBounded(r, line.message, charCap))
            matches.push({ ruleIndex: r.index, rule: r.rule, lines: [line] });
          continue;
        }
        if (r.key !== void 0 && keyHitCount === 0)
          continue;
        if (joined === void 0 || starts === void 0 || window === void 0) {
          window = ordered();
          starts = [];
          let offset = 0;
          for (const l of window) {
            starts.push(offset);
            offset += l.message.length + 1;
          }
          joined = window.map((l) => l.message).join("\n");
        }
        if (r.key !== void 0 && !joined.includes(r.key))
          continue;
        const m = execBounded(r, joined, charCap);
        if (!m)
          continue;
        let first = window.length - 1;
        while (first > 0 && starts[first] > m.index)
          first--;
        matches.push({ ruleIndex: r.index, rule: r.rule, lines: window.slice(first) });
      }
      return matches.length === 0 ? NO_MATCHES : matches;
    }
  };
}

// ../../../work/wt/footprint/dist/src/monitors/rule-engine.js
function matchMessage(match) {
  const text = match.lines.map((l) => l.message).join("\n");
  const suffix = match.rule.patternGeneratedMessageSuffix;
  return suffix ? `${text}; ${suffix}` : text;
}
function createRuleEngine(config, options) {
  const { now } = options;
  const counters = /* @__PURE__ */ new Map();
  const reverts = /* @__PURE__ */ new Map();
  for (const rule of config.rules) {
    if (!rule.count)
      continue;
    const counter = createRuleCounter(rule.count.windowMs);
    counters.set(rule, counter);
    const { revertPattern } = rule.count;
    if (revertPattern !== void 0)
      reverts.set({ type: "temporary", condition: void 0, reason: rule.reason, pattern: revertPattern, patternGeneratedMessageSuffix: void 0 }, rule);
  }
  const matcher = createRuleMatcher([...config.rules, ...reverts.keys()], config.bufferSize);
  const defs = new Map(config.conditions.map((c) => [c.type, c]));
  const startTime = new Date(now());
  const current = config.conditions.map((def) => options.initialConditions?.find((c) => c.type === def.type) ?? defaultCondition(def, startTime));
  const due = /* @__PURE__ */ new Map();
  const dueAt = (d) => Math.min(d.expireAtMs ?? Infinity, d.countAtMs ?? Infinity);
  for (const c of current) {
    if (c.status !== "True")
      continue;
    const ms = defs.get(c.type)?.expireAfterMs;
    const counting = config.rules.find((r) => r.type === "permanent" && r.count && r.condition === c.type && r.reason === c.reason);
    const d = { reason: c.reason, expireAtMs: ms === void 0 ? void 0 : c.transition.getTime() + ms, countAtMs: counting?.count ? now() + counting.count.windowMs : void 0 };
    if (dueAt(d) !== Infinity)
      due.set(c.type, d);
  }
  let snap;
  let quiet;
  const { skipList } = config;
  const snapshot = () => snap ??= Object.freeze([...current]);
  const apply = (type, status, reason, message, time, events) => {
    const i = current.findIndex((c) => c.type === type);
    const def = defs.get(type);
    if (i < 0 || !def)
      return false;
    const r = transition(current[i], def, { status, reason, message, time });
    current[i] = r.condition;
    snap = void 0;
    if (r.event)
      events.push(r.event);
    return r.event !== void 0;
  };
  const clear = (type, def, time, events) => {
    due.delete(type);
    return apply(type, "False", def.reason, def.message, time, events);
  };
  const expire = () => {
    const events = [];
    let changed = false;
    const t = now();
    for (const [type, d] of due) {
      const def = defs.get(type);
      if (!def || t < dueAt(d))
        continue;
      if (current.find((c) => c.type === type)?.reason === d.reason)
        changed = clear(type, def, new Date(t), events) || changed;
      else
        due.delete(type);
    }
    return { events, conditions: snapshot(), changed, matches: [], skipped: false };
  };
  const countOf = /* @__PURE__ */ new WeakMap();
  const countMatches = (matches) => {
    const fired = [];
    for (const m of matches) {
      const timeMs = m.lines[m.lines.length - 1].time.getTime();
      const owner = reverts.get(m.rule) ?? m.rule;
      const counter = counters.get(owner);
      if (!counter || !owner.count) {
        fired.push(m);
        continue;
      }
      if (owner !== m.rule) {
        counter.add(timeMs, -1);
        const d = owner.condition === void 0 ? void 0 : due.get(owner.condition);
        if (d && d.reason === owner.reason)
          d.countAtMs = counter.belowAt(owner.count.threshold, timeMs);
        continue;
      }
      const n = counter.add(timeMs, 1);
      if (n >= owner.count.threshold) {
        countOf.set(m, n);
        fired.push(m);
      }
    }
    return fired;
  };
  return {
    push(line) {
      if (skipList.length > 0 && skipList.some((s) => line.message.includes(s))) {
        return { events: [], conditions: snapshot(), changed: false, matches: [], skipped: true };
      }
      let matches = matcher.push(line);
      if (matches.length > 0 && counters.size > 0)
        matches = countMatches(matches);
      if (matches.length === 0) {
        const conditions = snapshot();
        if (quiet?.conditions !== conditions)
          quiet = Object.freeze({ events: Object.freeze([]), conditions, changed: false, matches, skipped: false });
        return quiet;
      }
      const events = [];
      let changed = false;
      for (const m of matches) {
        const time = m.lines[0].time;
        const { rule } = m;
        const n = countOf.get(m);
        const message = n === void 0 || !rule.count ? matchMessage(m) : `${matchMessage(m)} (${n} times in ${formatDuration(rule.count.windowMs)}, threshold ${rule.count.threshold})`;
        if (rule.type === "temporary") {
          events.push({ severity: "warn", time, reason: rule.reason, message });
        } else if (rule.condition !== void 0) {
          const def = defs.get(rule.condition);
          if (!def)
            continue;
          if (rule.type === "permanent") {
            changed = apply(rule.condition, "True", rule.reason, message, time, events) || changed;
            const counter = counters.get(rule);
            const d = {
              reason: rule.reason,
              expireAtMs: def.expireAfterMs === void 0 ? void 0 : now() + def.expireAfterMs,
              countAtMs: counter && rule.count ? counter.belowAt(rule.count.threshold, time.getTime()) : void 0
            };
            if (dueAt(d) === Infinity)
              due.delete(rule.condition);
            else
              due.set(rule.condition, d);
          } else {
            changed = clear(rule.condition, def, time, events) || changed;
          }
        }
      }
      return { events, conditions: snapshot(), changed, matches, skipped: false };
    },
    expire,
    conditions: snapshot,
    nextExpiryMs() {
      let next = Infinity;
      for (const d of due.values())
        next = Math.min(next, dueAt(d));
      return next === Infinity ? void 0 : next;
    }
  };
}

// ../../../work/wt/footprint/dist/src/pods/oom-report.js
var maxPending = 64;
var constraints = {
  CONSTRAINT_NONE: "none",
  CONSTRAINT_MEMCG: "memcg",
  CONSTRAINT_CPUSET: "cpuset",
  CONSTRAINT_MEMORY_POLICY: "memory-policy"
};
var OOM_KILL = /oom-kill:constraint=(\w+),/;
var TASK_MEMCG = /[,:]task_memcg=([^,]*),task=.*,pid=(\d+)(?:,|$)/;
var OOM_MEMCG = /[,:]oom_memcg=([^,]*),/;
var TASK_IN = /Task in (\S+) killed as a result of limit of (\S+)/;
var KILLED = /Killed process (\d+) \((.+?)\)(?=[ ,]|$)|Killed process (\d+), UID \d+, \((.+?)\)/;
function verdictOf(message) {
  if (message.includes("Memory cgroup out of memory: Kill"))
    return "memcg";
  if (message.includes("Out of memory") && /Out of memory(?: \(oom_kill_allocating_task\))?: Kill/.test(message))
    return "none";
  return void 0;
}
function createOomReportTracker() {
  const byPid = /* @__PURE__ */ new Map();
  let unnamed;
  let verdict;
  return {
    push(message) {
      if (message.includes("oom-kill:")) {
        const c = OOM_KILL.exec(message);
        const t = TASK_MEMCG.exec(message);
        if (c && t) {
          const pid2 = Number(t[2]);
          byPid.delete(pid2);
          byPid.set(pid2, { taskMemcg: t[1], oomMemcg: OOM_MEMCG.exec(message)?.[1], constraint: constraints[c[1]] ?? "unknown" });
          if (byPid.size > maxPending)
            byPid.delete(byPid.keys().next().value);
        }
        return void 0;
      }
      if (!message.includes("oom") && !message.includes("Task in ") && !message.includes("ut of memory") && !message.includes("Killed process"))
        return void 0;
      if (message.includes("invoked oom-killer:")) {
        unnamed = void 0;
        verdict = void 0;
        return void 0;
      }
      const task = message.includes("Task in ") ? TASK_IN.exec(message) : null;
      if (task) {
        unnamed = { taskMemcg: task[1], oomMemcg: task[2], constraint: "memcg" };
        return void 0;
      }
      const k = message.includes("Killed process") ? KILLED.exec(message) : null;
      if (!k) {
        verdict = verdictOf(message) ?? verdict;
        return void 0;
      }
      const pid = Number(k[1] ?? k[3]);
      const comm = k[2] ?? k[4];
      const joined = byPid.get(pid) ?? unnamed;
      const scope = verdictOf(message) ?? verdict;
      byPid.delete(pid);
      unnamed = void 0;
      verdict = void 0;
      if (joined)
        return { pid, comm, ...joined };
      return { pid, comm, taskMemcg: void 0, oomMemcg: void 0, constraint: scope ?? "unknown" };
    }
  };
}

// ../../../work/wt/footprint/dist/src/pods/oom-events.js
var oomKillingReason = "OOMKilling";
var podOomKillingReason = "PodOOMKilling";
var shortId = (id) => id.slice(0, 12);
function oomScope(kill) {
  if (kill.constraint !== "memcg" || kill.oomMemcg === void 0)
    return "node";
  const limit = parsePodCgroup(kill.oomMemcg);
  if (limit === void 0)
    return "node";
  return limit.containerId !== void 0 ? "container" : "pod";
}
var why = {
  container: "the container reached its memory limit",
  pod: "the pod reached its memory limit (the sum of its containers' limits)",
  node: "the node ran out of memory (no pod or container limit was reached)"
};
function reasonText(kill, scope) {
  if (scope === "node" && kill.constraint === "memcg" && kill.oomMemcg !== void 0) {
    return `the pods on the node reached their allocatable memory (${displayCgroup(kill.oomMemcg)} limit)`;
  }
  return why[scope];
}
function oomEvents(node, kill, deps) {
  if (kill.taskMemcg === void 0)
    return [node];
  const cg = parsePodCgroup(kill.taskMemcg);
  if (cg === void 0)
    return [{ ...node, message: `${node.message}; cgroup: ${displayCgroup(kill.taskMemcg)} (not a pod)` }];
  const pod = deps.directory.pod(cg.podUid);
  const idText = cg.containerId !== void 0 ? `, container ID: ${cg.containerId}` : "";
  if (pod === void 0) {
    return [{ ...node, message: `${node.message}; pod UID: ${cg.podUid}${idText} (no log directory: the pod is gone or has no logs)` }];
  }
  const containerName = cg.containerId !== void 0 ? deps.directory.container(cg.containerId) : void 0;
  const container = containerName ?? (cg.containerId !== void 0 ? shortId(cg.containerId) : "");
  const scope = oomScope(kill);
  const where = cg.containerId === void 0 ? "the pod cgroup" : containerName !== void 0 ? `container "${containerName}"` : `container ${shortId(cg.containerId)}`;
  const left = deps.processes?.others(cg.podUid, cg.containerId, kill.pid);
  const after = left === void 0 || cg.containerId === void 0 ? "" : left > 0 ? ` The container kept running (${left} other process${left === 1 ? "" : "es"}): the kubelet will not report this kill.` : " No process is left in the container: the kubelet reports it as OOMKilled when it restarts the container.";
  const podEvent = {
    severity: "warn",
    time: node.time,
    reason: podOomKillingReason,
    message: `OOM killer killed process ${kill.comm} (pid ${kill.pid}) in ${where}: ${reasonText(kill, scope)}.${after}`,
    pod: { namespace: pod.namespace, name: pod.name, uid: pod.uid },
    oomKill: { container, scope }
  };
  const nodeEvent = { ...node, message: `${node.message}; namespace: ${pod.namespace}, pod: ${pod.name}, container: ${container}` };
  return [nodeEvent, podEvent];
}
function createOomAnnotator(deps) {
  const tracker = createOomReportTracker();
  return (message, events) => {
    const kill = tracker.push(message);
    if (kill === void 0 || !events.some((e) => e.reason === oomKillingReason))
      return events;
    return events.flatMap((e) => e.reason === oomKillingReason ? oomEvents(e, kill, deps) : [e]);
  };
}

// ../../../work/wt/footprint/dist/src/sources/go-time-layout.js
var MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
var FULL_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
var CHUNKS = [
  ["January", "([A-Za-z]+)", "monthName"],
  ["Monday", "[A-Za-z]+", "ignore"],
  ["Jan", "([A-Za-z]{3})", "monthName"],
  ["Mon", "[A-Za-z]{3}", "ignore"],
  ["MST", "([A-Za-z]{3,5}|[+-]\\d{2,4})", "zoneName"],
  ["2006", "(\\d{4})", "year"],
  ["002", "(\\d{3})", "yday"],
  ["__2", "( {0,2}\\d{1,3})", "yday"],
  ["_2", " ?(\\d{1,2})", "day"],
  ["01", "(\\d{2})", "month"],
  ["02", "(\\d{2})", "day"],
  ["03", "(\\d{2})", "hour12"],
  ["04", "(\\d{2})", "minute"],
  ["05", "(\\d{2})", "second"],
  ["06", "(\\d{2})", "year2"],
  ["15", "(\\d{1,2})", "hour"],
  ["1", "(\\d{1,2})", "month"],
  ["2", "(\\d{1,2})", "day"],
  ["3", "(\\d{1,2})", "hour12"],
  ["4", "(\\d{1,2})", "minute"],
  ["5", "(\\d{1,2})", "second"],
  ["PM", "(AM|PM)", "ampm"],
  ["pm", "(am|pm)", "ampm"],
  ["Z07:00:00", "(Z|[+-]\\d{2}:\\d{2}:\\d{2})", "zone"],
  ["-07:00:00", "([+-]\\d{2}:\\d{2}:\\d{2})", "zone"],
  ["Z070000", "(Z|[+-]\\d{6})", "zone"],
  ["-070000", "([+-]\\d{6})", "zone"],
  ["Z07:00", "(Z|[+-]\\d{2}:\\d{2})", "zone"],
  ["-07:00", "([+-]\\d{2}:\\d{2})", "zone"],
  ["Z0700", "(Z|[+-]\\d{4})", "zone"],
  ["-0700", "([+-]\\d{4})", "zone"],
  ["Z07", "(Z|[+-]\\d{2})", "zone"],
  ["-07", "([+-]\\d{2})", "zone"]
];
var escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function compileGoTimeLayout(layout) {
  let src = "";
  const fields = [];
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac && fields.at(-1) === "second") {
      const n = frac[1].length;
      src += frac[1]?.startsWith("0") ? `[.,](\\d{${n}})` : "(?:[.,](\\d+))?";
      fields.push("frac");
      i += frac[0].length;
      continue;
    }
    const chunk = CHUNKS.find(([name]) => layout.startsWith(name, i));
    if (chunk) {
      const [name, re2, field] = chunk;
      if (field !== "ignore")
        fields.push(field);
      src += re2;
      i += name.length;
      if (field === "second" && !/^[.,](0+|9+)(?![0-9])/.test(layout.slice(i))) {
        src += "(?:[.,](\\d+))?";
        fields.push("frac");
      }
      continue;
    }
    src += escapeRe(layout[i]);
    i++;
  }
  if (!fields.some((f) => f !== "frac"))
    return void 0;
  const re = new RegExp(`^${src}$`);
  const hasYear = fields.includes("year") || fields.includes("year2");
  const read = (text, timeZone) => {
    const m = re.exec(text);
    if (!m)
      return void 0;
    const t = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0, pm: void 0 };
    let offsetMin;
    let yday;
    for (let k = 0; k < fields.length; k++) {
      const v = m[k + 1];
      if (v === void 0)
        continue;
      switch (fields[k]) {
        case "year":
          t.year = Number(v);
          break;
        case "year2":
          t.year = Number(v) >= 69 ? 1900 + Number(v) : 2e3 + Number(v);
          break;
        case "month":
          t.month = Number(v);
          break;
        case "monthName": {
          const lower = v.toLowerCase();
          const idx = v.length === 3 ? MONTHS.indexOf(lower) : FULL_MONTHS.indexOf(lower);
          if (idx < 0)
            return void 0;
          t.month = idx + 1;
          break;
        }
        case "day":
          t.day = Number(v);
          break;
        case "yday":
          yday = Number(v.trim());
          break;
        case "hour":
          t.hour = Number(v);
          break;
        case "hour12":
          t.hour = Number(v);
          if (t.hour < 1 || t.hour > 12)
            return void 0;
          break;
        case "minute":
          t.minute = Number(v);
          break;
        case "second":
          t.second = Number(v);
          break;
        case "frac":
          t.ms = Number(v.slice(0, 3).padEnd(3, "0"));
          break;
        case "ampm":
          t.pm = v.toLowerCase() === "pm";
          break;
        case "zone":
          offsetMin = parseOffset(v);
          break;
        case "zoneName":
          offsetMin = /^(UTC|GMT|Z)$/i.test(v) ? 0 : /^[+-]/.test(v) ? parseOffset(v) : 0;
          break;
      }
    }
    if (t.pm !== void 0)
      t.hour = t.hour % 12 + (t.pm ? 12 : 0);
    if (t.month < 1 || t.month > 12 || t.hour > 23 || t.minute > 59 || t.second > 59)
      return void 0;
    const build = (year) => {
      let month = t.month;
      let day = t.day;
      if (yday !== void 0) {
        const d = new Date(Date.UTC(2e3, 0, yday));
        d.setUTCFullYear(year, 0, yday);
        if (d.getUTCFullYear() !== year)
          return void 0;
        month = d.getUTCMonth() + 1;
        day = d.getUTCDate();
      }
      if (day < 1 || day > daysIn(year, month))
        return void 0;
      const wall = { year, month, day, hour: t.hour, minute: t.minute, second: t.second, ms: t.ms };
      return offsetMin !== void 0 ? wallToUtc(wall) - offsetMin * 6e4 : zonedToEpoch(wall, timeZone);
    };
    return { year: t.year, build };
  };
  let lastText;
  let lastZone;
  let last;
  let lastYear = Number.NaN;
  let atYear;
  let atYearBefore = null;
  const years = createYearCache();
  return (text, options) => {
    if (text !== lastText || options.timeZone !== lastZone) {
      lastText = text;
      lastZone = options.timeZone;
      last = read(text, options.timeZone);
      lastYear = Number.NaN;
    }
    if (!last)
      return void 0;
    const year = hasYear ? last.year : years.yearOf(options.nowMs, options.timeZone);
    if (year !== lastYear) {
      lastYear = year;
      atYear = last.build(year);
      atYearBefore = null;
    }
    if (hasYear || atYear !== void 0 && atYear <= options.nowMs + 864e5)
      return atYear;
    if (atYearBefore === null)
      atYearBefore = last.build(year - 1);
    return atYearBefore ?? atYear;
  };
}
function createYearCache() {
  let zone;
  let lo = 0;
  let hi = 0;
  let year = 0;
  return {
    yearOf(nowMs, timeZone) {
      if (nowMs >= lo && nowMs < hi && timeZone === zone)
        return year;
      year = wallInZone(nowMs, timeZone).year;
      zone = timeZone;
      const jan1 = (y) => zonedToEpoch({ year: y, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0 }, timeZone);
      lo = jan1(year);
      hi = jan1(year + 1);
      if (!(lo <= nowMs && nowMs < hi && wallInZone(lo, timeZone).year === year && wallInZone(hi - 1, timeZone).year === year))
        hi = lo;
      return year;
    }
  };
}
function parseOffset(v) {
  if (v === "Z")
    return 0;
  const digits = v.slice(1).replace(/:/g, "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
  return v.startsWith("-") ? -minutes : minutes;
}
function daysIn(year, month) {
  const d = /* @__PURE__ */ new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}
function wallToUtc(w) {
  const d = /* @__PURE__ */ new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime() + w.ms;
}
var formatters = /* @__PURE__ */ new Map();
function wallInZone(ms, timeZone) {
  if (timeZone === void 0) {
    const d = new Date(ms);
    return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(), ms: 0 };
  }
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric"
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), ms: 0 };
}
function zonedToEpoch(w, timeZone) {
  if (w.year < 1973)
    return zonedToEpochUncached(w, timeZone);
  const minute = (((w.year * 13 + w.month) * 32 + w.day) * 24 + w.hour) * 60 + w.minute;
  if (minute !== lastMinute.key || timeZone !== lastMinute.zone) {
    lastMinute = { key: minute, zone: timeZone, epoch: zonedToEpochUncached({ ...w, second: 0, ms: 0 }, timeZone) };
  }
  return lastMinute.epoch + w.second * 1e3 + w.ms;
}
var lastMinute = { key: Number.NaN, zone: void 0, epoch: 0 };
function zonedToEpochUncached(w, timeZone) {
  if (timeZone === void 0) {
    const d = /* @__PURE__ */ new Date(0);
    d.setFullYear(w.year, w.month - 1, w.day);
    d.setHours(w.hour, w.minute, w.second, 0);
    return d.getTime() + w.ms;
  }
  const guess = wallToUtc({ ...w, ms: 0 });
  const offsetAt = (ms) => wallToUtc(wallInZone(ms, timeZone)) - Math.floor(ms / 1e3) * 1e3;
  let result = guess - offsetAt(guess);
  result = guess - offsetAt(result);
  return result + w.ms;
}

// ../../../work/wt/footprint/dist/src/sources/line-parser.js
var NPD_KEYS = ["timestamp", "message", "timestampFormat"];
function createLineParser(pluginConfig, options) {
  const now = options.now ?? (() => options.nowMs);
  const tz = options.timeZone;
  if (!NPD_KEYS.some((k) => pluginConfig[k] !== void 0))
    return (line) => parseGenericLine(line, now(), tz);
  for (const k of NPD_KEYS) {
    if (!pluginConfig[k])
      throw new ConfigError(options.file, `pluginConfig.${k}`, `must be set (non-empty) together with ${NPD_KEYS.filter((o) => o !== k).join(" and ")}`);
  }
  const timestamp = compileSubmatch(pluginConfig.timestamp, options.file, "pluginConfig.timestamp");
  const messageOf = compileSubmatch(pluginConfig.message, options.file, "pluginConfig.message");
  const layout = pluginConfig.timestampFormat;
  const parseTime = compileGoTimeLayout(layout);
  if (!parseTime)
    throw new ConfigError(options.file, "pluginConfig.timestampFormat", `"${layout}" has no Go time fields (e.g. "Jan _2 15:04:05")`);
  const kernelFallback = /kernel:/.test(pluginConfig.message);
  const timeOptions = { nowMs: 0, timeZone: tz };
  let lastTime = Number.NaN;
  let lastDate = /* @__PURE__ */ new Date(0);
  return (line) => {
    const nowMs = now();
    timeOptions.nowMs = nowMs;
    const ts = timestamp(line);
    let time = ts === void 0 ? void 0 : parseTime(ts, timeOptions);
    time ??= splitTimestamp(line, nowMs, tz)?.time;
    if (time === void 0)
      return void 0;
    let message = messageOf(line);
    if (message === void 0 && kernelFallback)
      message = afterKernelTag(line);
    if (message === void 0)
      return void 0;
    if (time !== lastTime) {
      lastTime = time;
      lastDate = new Date(time);
    }
    return { time: lastDate, message: message.trim() };
  };
}
function compileField(source, file, field) {
  try {
    return compileRe2(source);
  } catch (err) {
    if (err instanceof Re2Error)
      throw new ConfigError(file, field, `invalid regular expression: ${err.problem}`, { cause: err });
    throw err;
  }
}
function compileSubmatch(source, file, field) {
  const compiled = compileField(source, file, field);
  const fixed = /^\^\.\{(\d+)\}$/.exec(source);
  if (!fixed)
    return restOfLine(source) ?? ((line) => lastSubmatch(execPattern(compiled, line)));
  const n = Number(fixed[1]);
  let last = "";
  return (line) => {
    if (line.length < n)
      return void 0;
    if (last.length === n && line.startsWith(last))
      return last;
    const head = line.slice(0, n);
    if (head.includes("\n"))
      return lastSubmatch(execPattern(compiled, line));
    last = head;
    return head;
  };
}
function restOfLine(source) {
  if (!source.endsWith("(.*)") || /\||\(\?|\\Q/.test(source))
    return void 0;
  const head = source.slice(0, -"(.*)".length);
  const backslashes = /\\*$/.exec(head)?.[0].length ?? 0;
  if (head === "" || backslashes % 2 === 1)
    return void 0;
  const end = matchEnd(compileRe2(head));
  return (line) => {
    const start = end(line);
    if (start === void 0)
      return void 0;
    const nl = line.indexOf("\n", start);
    return nl < 0 ? line.slice(start) : line.slice(start, nl);
  };
}
function lastSubmatch(m) {
  if (!m)
    return void 0;
  return m[m.length - 1] ?? "";
}
function afterKernelTag(line) {
  const i = line.indexOf("kernel: ");
  if (i < 0)
    return void 0;
  const rest = line.slice(i + "kernel: ".length);
  return /^\[\s*\d/.test(rest) && !/^\[\s*\d+\.\d+\]/.test(rest) ? void 0 : rest;
}
var PREFIXES = [
  // 2024-05-01T10:00:00.123456+02:00 (rsyslog RFC 3339); ' ' instead of 'T' is accepted.
  { re: /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2}))\s+/, layout: layoutOf("2006-01-02T15:04:05Z07:00"), normalize: (s) => s.replace(" ", "T") },
  { re: /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)\s+/, layout: layoutOf("2006-01-02T15:04:05"), normalize: (s) => s.replace(" ", "T") },
  // SONiC: 2025 Jul  2 06:56:57.749624
  { re: /^(\d{4} [A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2}(?:\.\d+)?)\s+/, layout: layoutOf("2006 Jan _2 15:04:05") },
  // BSD syslog and journalctl -o short: Jan  2 15:04:05, Feb 06 19:41:48, Aug 30 06:58:55.050705
  { re: /^([A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2}(?:\.\d+)?)\s+/, layout: layoutOf("Jan _2 15:04:05") }
];
function layoutOf(layout) {
  return compileGoTimeLayout(layout);
}
function splitTimestamp(line, nowMs, timeZone) {
  for (const p of PREFIXES) {
    const m = p.re.exec(line);
    if (!m)
      continue;
    const text = m[1];
    const time = p.layout(p.normalize ? p.normalize(text) : text, { nowMs, timeZone });
    if (time !== void 0)
      return { time, rest: line.slice(m[0].length) };
  }
  return void 0;
}
var TAG_ONLY = /^([^\s:[\]]+)(?:\[\d+\])?: ?/;
var HOST_TAG = /^\S+\s+(?:(?:EMERG|ALERT|CRIT|ERR|ERROR|WARNING|WARN|NOTICE|INFO|DEBUG)\s+)?([^\s:[\]]+)(?:\[\d+\])?: ?/;
var UPTIME = /^\[\s*\d+\.\d+\] ?/;
function parseGenericLine(line, nowMs, timeZone) {
  const stamped = splitTimestamp(line, nowMs, timeZone);
  if (!stamped) {
    const dmesg = UPTIME.exec(line);
    return { time: new Date(nowMs), message: (dmesg ? line.slice(dmesg[0].length) : line).trim() };
  }
  const header = TAG_ONLY.exec(stamped.rest) ?? HOST_TAG.exec(stamped.rest);
  if (!header)
    return { time: new Date(stamped.time), message: stamped.rest.trim() };
  const tag = header[1];
  let message = stamped.rest.slice(header[0].length);
  if (tag === "kernel")
    message = message.replace(UPTIME, "");
  return { time: new Date(stamped.time), message: message.trim(), fields: { SYSLOG_IDENTIFIER: tag } };
}

// ../../../work/wt/footprint/dist/src/sources/log-source.js
function startTimeMs(nowMs, bootTimeMs, lookbackMs, delayMs) {
  return Math.max(bootTimeMs + delayMs, nowMs - lookbackMs);
}

// ../../../work/wt/footprint/dist/src/sources/line-splitter.js
function createLineSplitter(max, onCut) {
  let partial = "";
  let cutting = false;
  return {
    push(text) {
      const out = [];
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        if (cutting)
          cutting = false;
        else {
          const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
          let line = partial === "" ? text.slice(start, end) : partial + text.slice(start, nl);
          if (partial !== "" && line.endsWith("\r"))
            line = line.slice(0, -1);
          if (line.length > max) {
            line = line.slice(0, max);
            onCut();
          }
          out.push(line);
        }
        partial = "";
        start = nl + 1;
      }
      if (!cutting) {
        partial += text.slice(start);
        if (partial.length > max) {
          out.push(partial.slice(0, max));
          partial = "";
          cutting = true;
          onCut();
        }
      }
      return out;
    },
    takePartial() {
      const p = partial;
      partial = "";
      cutting = false;
      return p;
    }
  };
}

// ../../../work/wt/footprint/dist/src/sources/utf8-decoder.js
import { isAscii } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
function createUtf8Decoder() {
  const decoder = new StringDecoder("utf8");
  let mayHoldPartial = false;
  return {
    write(chunk) {
      if (chunk.length === 0)
        return "";
      if (!mayHoldPartial && isAscii(chunk))
        return chunk.toString("latin1");
      mayHoldPartial = chunk[chunk.length - 1] >= 128;
      return decoder.write(chunk);
    },
    end() {
      mayHoldPartial = false;
      return decoder.end();
    }
  };
}

// ../../../work/wt/footprint/dist/src/sources/journal-entry.js
var KEPT_FIELDS = ["SYSLOG_IDENTIFIER", "_SYSTEMD_UNIT", "PRIORITY", "_TRANSPORT", "_PID"];
var utf8 = new TextDecoder("utf-8", { fatal: false });
function journalFieldText(value) {
  if (typeof value === "string")
    return value;
  if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return utf8.decode(Uint8Array.from(value));
  }
  return void 0;
}
function parseJournalEntry(json) {
  let obj;
  try {
    obj = JSON.parse(json);
  } catch {
    return void 0;
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    return void 0;
  const e = obj;
  const cursor = e.__CURSOR;
  const usec = e.__REALTIME_TIMESTAMP;
  if (typeof cursor !== "string" || cursor === "" || typeof usec !== "string" || !/^\d{1,19}$/.test(usec))
    return void 0;
  const fields = {};
  for (const k of KEPT_FIELDS) {
    const v = journalFieldText(e[k]);
    if (v !== void 0)
      fields[k] = v;
  }
  const line = {
    time: new Date(Number(usec) / 1e3),
    message: (journalFieldText(e.MESSAGE) ?? "").trim(),
    ...Object.keys(fields).length > 0 ? { fields } : {}
  };
  return { cursor, identifier: fields.SYSLOG_IDENTIFIER, bootId: journalFieldText(e._BOOT_ID), line };
}

// ../../../work/wt/footprint/dist/src/sources/kmsg-parser.js
function decodeKmsgEscapes(text) {
  if (!text.includes("\\x"))
    return text;
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16)));
}
function parseKmsgRecord(text, bootTimeMs) {
  const nl = text.indexOf("\n");
  const headEnd = nl < 0 ? text.length : nl;
  const semi = text.indexOf(";");
  if (semi < 0 || semi > headEnd)
    return void 0;
  const c1 = text.indexOf(",");
  const c2 = c1 < 0 ? -1 : text.indexOf(",", c1 + 1);
  if (c2 < 0 || c2 > semi)
    return void 0;
  const c3 = text.indexOf(",", c2 + 1);
  const usecEnd = c3 < 0 || c3 > semi ? semi : c3;
  const priValue = decimal(text, 0, c1);
  const seqValue = decimal(text, c1 + 1, c2);
  const usecValue = decimal(text, c2 + 1, usecEnd);
  if (priValue === void 0 || seqValue === void 0 || usecValue === void 0)
    return void 0;
  let fields;
  if (nl >= 0) {
    const lines = text.slice(nl + 1).split("\n");
    for (const cont of lines) {
      if (!cont.startsWith(" "))
        continue;
      const eq = cont.indexOf("=");
      if (eq <= 1)
        continue;
      fields ??= {};
      fields[cont.slice(1, eq)] = decodeKmsgEscapes(cont.slice(eq + 1));
    }
  }
  const time = new Date(bootTimeMs + usecValue / 1e3);
  const message = decodeKmsgEscapes(text.slice(semi + 1, headEnd)).trim();
  const line = fields ? { time, message, fields } : { time, message };
  return { priority: priValue & 7, facility: priValue >> 3, seq: seqValue, line };
}
function decimal(text, from, to) {
  if (to <= from)
    return void 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9)
      return void 0;
    n = n * 10 + d;
  }
  return Number.isSafeInteger(n) ? n : void 0;
}

// ../../../work/wt/footprint/dist/src/sources/kmsg.js
import { closeSync, constants, fstat, open as openFd, readSync } from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import { StringDecoder as StringDecoder2 } from "node:string_decoder";

// ../../../work/wt/footprint/dist/src/sources/kmsg-pace.js
var DEFAULT_RING_CHARS = 128 * 1024;
var RING_SHARE = 0.25;
var FLOOD_CHARS = 4096;
var MIN_RING_CHARS = 4096;
var MAX_RING_CHARS = 32 * 1024 * 1024;
function createKmsgPacer(coalesceMs) {
  let ring = DEFAULT_RING_CHARS;
  let device = false;
  let measuring = false;
  let firstSeq;
  let chars = 0;
  let lastIdle = -Infinity;
  let afterGap = false;
  let paced = false;
  return {
    opened(isDevice) {
      device = isDevice;
      measuring = true;
      firstSeq = void 0;
      chars = 0;
    },
    read(n, seq) {
      chars += n;
      if (measuring && firstSeq === void 0 && seq !== void 0)
        firstSeq = seq;
    },
    lost() {
      afterGap = true;
      ring = Math.max(MIN_RING_CHARS, ring / 2);
    },
    idle(nowMs) {
      const found = chars;
      const gap = nowMs - lastIdle;
      chars = 0;
      lastIdle = nowMs;
      const wait = delay(found, gap);
      paced = wait > 0;
      return wait;
    },
    ringChars: () => ring
  };
  function delay(found, gap) {
    if (measuring) {
      measuring = false;
      if (device) {
        const wrapped = firstSeq !== void 0 && firstSeq > 0;
        ring = Math.min(MAX_RING_CHARS, wrapped ? Math.max(MIN_RING_CHARS, found) : Math.max(DEFAULT_RING_CHARS, found));
      }
      return 0;
    }
    if (afterGap) {
      afterGap = false;
      return 0;
    }
    if (found === 0 || coalesceMs <= 0)
      return 0;
    if (found < FLOOD_CHARS && gap >= coalesceMs / 5)
      return 0;
    const bound = RING_SHARE * ring * Math.max(gap, 1) / found;
    return Math.floor(Math.min(paced ? coalesceMs : coalesceMs / 5, bound));
  }
}

// ../../../work/wt/footprint/dist/src/sources/fd-readable.js
import { Socket } from "node:net";
function createFdWaiter(fd, bufferBytes = 16 * 1024) {
  let binding;
  try {
    binding = process.binding("pipe_wrap");
  } catch {
    return void 0;
  }
  const pipe = new binding.Pipe(binding.constants.SOCKET);
  if (pipe.open(fd) !== 0)
    return void 0;
  const buffer = Buffer.alloc(bufferBytes);
  let settle;
  const socket = new Socket({
    handle: pipe,
    readable: true,
    writable: false,
    pauseOnCreate: true,
    onread: {
      buffer,
      callback: (n, buf) => {
        settle?.({ bytes: Buffer.from(buf.subarray(0, n)) });
        return false;
      }
    }
  });
  socket.on("error", (error) => settle?.({ error }));
  socket.on("end", () => settle?.({ bytes: Buffer.alloc(0) }));
  return {
    readable(signal) {
      return new Promise((resolve, reject) => {
        if (signal.aborted)
          return reject(signal.reason);
        const onAbort = () => done({ error: signal.reason });
        const done = (r) => {
          settle = void 0;
          signal.removeEventListener("abort", onAbort);
          socket.pause();
          if ("bytes" in r)
            resolve(r.bytes);
          else
            reject(r.error);
        };
        settle = done;
        signal.addEventListener("abort", onAbort, { once: true });
        if (socket.destroyed)
          return done({ bytes: Buffer.alloc(0) });
        socket.resume();
      });
    },
    close: () => void socket.destroy()
  };
}

// ../../../work/wt/footprint/dist/src/sources/line-filter.js
function createLineFilter(config, deps) {
  return filterLines(config, deps, () => deps.telemetry.linesRead(config.source));
}
function filterLines(config, deps, countRead) {
  const start = startTimeMs(deps.clock.now(), deps.bootTimeMs, config.lookbackMs, config.delayMs);
  const { telemetry } = deps;
  return (line) => {
    if (!line) {
      telemetry.linesSkipped(config.source, "unparsable");
      return void 0;
    }
    if (line.time.getTime() < start) {
      telemetry.linesSkipped(config.source, "old");
      return void 0;
    }
    if (line.message === "") {
      telemetry.linesSkipped(config.source, "empty");
      return void 0;
    }
    countRead();
    return line;
  };
}
function createBatchLineFilter(config, deps) {
  let passed = 0;
  const pass = filterLines(config, deps, () => void passed++);
  return {
    pass,
    flush() {
      if (passed > 0)
        deps.telemetry.linesRead(config.source, passed);
      passed = 0;
    }
  };
}

// ../../../work/wt/footprint/dist/src/sources/source-state.js
var WAITING_RETRY = { baseMs: 1e3, maxMs: 3e5 };
function createSourceState(source, input, deps) {
  let health = { state: "waiting", alive: false, detail: `starting ${input}`, sinceMs: deps.clock.now(), restarts: 0 };
  deps.telemetry.sourceState(source, "waiting");
  let started = false;
  const move = (state, detail, restarted) => {
    const changed = state !== health.state || !started;
    started = true;
    health = {
      state,
      alive: state === "up",
      detail,
      sinceMs: changed ? deps.clock.now() : health.sinceMs,
      restarts: health.restarts + (restarted ? 1 : 0)
    };
    if (restarted)
      deps.telemetry.sourceRestart(source);
    if (!changed) {
      deps.logger.debug("source retrying", { source, input, state, detail });
      return;
    }
    deps.telemetry.sourceState(source, state);
    if (state === "up")
      deps.logger.info("source up", { source, input, detail });
    else if (state === "waiting")
      deps.logger.info("source waiting: its input does not exist on this node", { source, input, detail });
    else
      deps.logger.warn("source failing", { source, input, detail });
  };
  return {
    health: () => health,
    up: (detail) => move("up", detail, false),
    waiting: (detail) => move("waiting", detail, false),
    failing: (detail, restarted = true) => move("failing", detail, restarted)
  };
}

// ../../../work/wt/footprint/dist/src/sources/kmsg.js
var DEFAULT_KMSG_PATH = "/dev/kmsg";
var MAX_RECORD_CHARS = 256 * 1024;
function createKmsgFramer() {
  let partial = "";
  let discarding = false;
  let current;
  return {
    push(text) {
      const out = [];
      const pieces = (partial + text).split("\n");
      partial = pieces.pop() ?? "";
      for (const line of pieces) {
        if (discarding) {
          discarding = false;
          continue;
        }
        if (line.startsWith(" ") && current !== void 0)
          current += `
${line}`;
        else if (line !== "") {
          if (current !== void 0)
            out.push(current);
          current = line;
        }
      }
      if (partial.length > MAX_RECORD_CHARS) {
        partial = "";
        discarding = true;
      }
      return out;
    },
    flush() {
      const r = current;
      current = void 0;
      return r;
    }
  };
}
var MAX_READS = 512;
var MAX_BATCH = 1024;
async function openNonBlocking(path) {
  const fd = await new Promise((resolve, reject) => openFd(path, constants.O_RDONLY | constants.O_NONBLOCK, (err, n) => err ? reject(err) : resolve(n)));
  const st = await new Promise((resolve, reject) => fstat(fd, (err, s) => err ? reject(err) : resolve(s))).catch((err) => {
    closeSync(fd);
    throw err;
  });
  const waiter = st.isCharacterDevice() || st.isFIFO() ? createFdWaiter(fd) : void 0;
  return {
    read: (buffer) => {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        return readSync(fd, buffer, 0, buffer.length, null);
      } finally {
        Error.stackTraceLimit = limit;
      }
    },
    stat: async () => st,
    readable: waiter ? (signal) => waiter.readable(signal) : void 0,
    close: async () => waiter ? waiter.close() : closeSync(fd)
  };
}
function createKmsgSource(config, deps, options = {}) {
  const path = config.logPath || DEFAULT_KMSG_PATH;
  const pollMs = options.pollMs ?? 50;
  const coalesceMs = options.coalesceMs ?? 100;
  const open = options.open ?? openNonBlocking;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const state = createSourceState(config.source, path, deps);
  async function* batches(signal) {
    const filter = createBatchLineFilter(config, deps);
    const buf = Buffer.alloc(16 * 1024);
    const pacer = createKmsgPacer(coalesceMs);
    let lastSeq;
    let attempt = 0;
    const take = (text) => {
      const rec = parseKmsgRecord(text, deps.bootTimeMs);
      pacer.read(text.length + 1, rec?.seq);
      if (!rec)
        return filter.pass(void 0);
      if (lastSeq !== void 0) {
        if (rec.seq <= lastSeq)
          return void 0;
        if (rec.seq > lastSeq + 1) {
          const lost = rec.seq - lastSeq - 1;
          pacer.lost();
          deps.telemetry.kmsgRecordsLost(config.source, lost);
          log.warn("kmsg records lost (ring buffer overwritten)", { path, lost, seq: rec.seq });
        }
      }
      lastSeq = rec.seq;
      return filter.pass(rec.line);
    };
    while (!signal.aborted) {
      let fh;
      try {
        fh = await open(path);
        const device = (await fh.stat()).isCharacterDevice();
        pacer.opened(device);
        const decoder = new StringDecoder2("utf8");
        const framer = createKmsgFramer();
        let carried;
        const handle = fh;
        const read = () => {
          if (carried === void 0)
            return handle.read(buf);
          const n = carried.copy(buf);
          carried = void 0;
          return n;
        };
        let reopenAfterMs;
        while (!signal.aborted && reopenAfterMs === void 0) {
          const batch = [];
          let idle = false;
          let failure;
          for (let reads = 0; reads < MAX_READS && batch.length < MAX_BATCH; reads++) {
            let n = 0;
            try {
              n = read();
            } catch (err) {
              const code = err.code;
              if (code === "EPIPE" || code === "EINTR")
                continue;
              if (code !== "EAGAIN" && code !== "EWOULDBLOCK") {
                failure = err;
                break;
              }
            }
            const records = n > 0 ? framer.push(decoder.write(buf.subarray(0, n))) : [];
            if (device || n === 0) {
              const last = framer.flush();
              if (last !== void 0)
                records.push(last);
            }
            if (n > 0)
              attempt = 0;
            for (const text of records) {
              const line = take(text);
              if (line)
                batch.push(line);
            }
            if (n === 0) {
              idle = true;
              break;
            }
          }
          filter.flush();
          if (failure === void 0 && state.health().state !== "up")
            state.up(`reading ${path}`);
          if (batch.length > 0)
            yield batch;
          if (failure !== void 0)
            throw failure;
          const readable = handle.readable;
          const pause = idle && readable ? pacer.idle(deps.clock.now()) : 0;
          if (pause > 0)
            await deps.clock.sleep(pause, signal);
          else if (idle && !readable)
            await deps.clock.sleep(pollMs, signal);
          else if (idle && readable) {
            const woke = await readable(signal).catch((err) => {
              if (err.code === "EPIPE" && !signal.aborted)
                return void 0;
              throw err;
            });
            if (woke === void 0)
              reopenAfterMs = 0;
            else if (woke.length === 0)
              reopenAfterMs = pollMs;
            else
              carried = woke;
          } else
            await nextTurn();
        }
        await fh.close().catch(() => {
        });
        fh = void 0;
        if (reopenAfterMs)
          await deps.clock.sleep(reopenAfterMs, signal);
      } catch (err) {
        if (signal.aborted)
          return;
        attempt++;
        const absent = fh === void 0 && err.code === "ENOENT";
        const delay = calculateRetryDelay({ attempt, ...absent ? WAITING_RETRY : { baseMs: 500, maxMs: 3e4 }, random });
        if (absent)
          state.waiting(`${path} does not exist; looking again in ${delay}ms`);
        else
          state.failing(`${path}: ${errorMessage(err)}; reopening in ${delay}ms`);
        await fh?.close().catch(() => {
        });
        fh = void 0;
        try {
          await deps.clock.sleep(delay, signal);
        } catch {
          return;
        }
      } finally {
        await fh?.close().catch(() => {
        });
      }
    }
  }
  async function* lines(signal) {
    for await (const batch of batches(signal))
      yield* batch;
  }
  return { lines, batches, health: () => state.health() };
}

export {
  defaultCondition,
  transition,
  createRuleEngine,
  oomKillingReason,
  createOomAnnotator,
  startTimeMs,
  createLineSplitter,
  createUtf8Decoder,
  createLineFilter,
  createBatchLineFilter,
  createLineParser,
  WAITING_RETRY,
  createSourceState,
  parseJournalEntry,
  parseKmsgRecord,
  createKmsgFramer,
  createKmsgSource
};
