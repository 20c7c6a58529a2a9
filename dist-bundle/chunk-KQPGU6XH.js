import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  linearEngineEnabled
} from "./chunk-ZRCJ5HBB.js";
import {
  parseJson
} from "./chunk-XA2EV36Q.js";
import {
  parseDuration
} from "./chunk-S7FWY2NQ.js";
import {
  ConfigError,
  Re2Error,
  Re2SyntaxError,
  errorMessage
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/config/load-monitor.js
import { readFile } from "node:fs/promises";

// ../../../work/wt/footprint/dist/src/config/field-readers.js
function fieldPath(base, key) {
  if (typeof key === "number")
    return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}
function describe(v) {
  if (v === null)
    return "null";
  if (Array.isArray(v))
    return "an array";
  if (typeof v === "string")
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}\u2026` : v)}`;
  if (typeof v === "object")
    return "an object";
  return `${typeof v} ${String(v)}`;
}
function objectReader(file, path, v) {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new ConfigError(file, path, `must be an object, got ${describe(v)}`);
  return { file, path, obj: v };
}
function fieldError(r2, key, problem) {
  return new ConfigError(r2.file, fieldPath(r2.path, key), problem);
}
function readString(r2, key, required = false) {
  const v = r2.obj[key];
  if (v === void 0 || v === null) {
    if (required)
      throw fieldError(r2, key, "is required");
    return void 0;
  }
  if (typeof v !== "string")
    throw fieldError(r2, key, `must be a string, got ${describe(v)}`);
  if (required && v === "")
    throw fieldError(r2, key, "must not be empty");
  return v;
}
function readBoolean(r2, key, fallback) {
  const v = r2.obj[key];
  if (v === void 0 || v === null)
    return fallback;
  if (typeof v !== "boolean")
    throw fieldError(r2, key, `must be true or false, got ${describe(v)}`);
  return v;
}
function readInteger(r2, key, fallback, min, max) {
  const v = r2.obj[key];
  if (v === void 0 || v === null)
    return fallback;
  if (typeof v !== "number" || !Number.isInteger(v))
    throw fieldError(r2, key, `must be an integer, got ${describe(v)}`);
  if (v < min || v > max)
    throw fieldError(r2, key, `must be ${min}\u2013${max}, got ${v}`);
  return v;
}
function readDuration(r2, key, fallbackMs, options = {}) {
  const v = readString(r2, key);
  if (v === void 0)
    return fallbackMs;
  const ms = parseDuration(v);
  if (ms === void 0)
    throw fieldError(r2, key, `must be a Go duration like "30s", "5m" or "1h30m", got ${JSON.stringify(v)}`);
  if (options.positive && ms <= 0)
    throw fieldError(r2, key, `must be more than 0, got ${JSON.stringify(v)}`);
  return ms;
}
function readStringArray(r2, key) {
  const v = r2.obj[key];
  if (v === void 0 || v === null)
    return [];
  if (!Array.isArray(v))
    throw fieldError(r2, key, `must be an array of strings, got ${describe(v)}`);
  return v.map((item, i) => {
    if (typeof item !== "string")
      throw new ConfigError(r2.file, fieldPath(fieldPath(r2.path, key), i), `must be a string, got ${describe(item)}`);
    return item;
  });
}
function readStringMap(r2, key) {
  const v = r2.obj[key];
  if (v === void 0 || v === null)
    return {};
  const m = objectReader(r2.file, fieldPath(r2.path, key), v);
  const out = {};
  for (const k of Object.keys(m.obj))
    out[k] = readString(m, k, true);
  return out;
}
function readObjectArray(r2, key, required = false) {
  const v = r2.obj[key];
  if (v === void 0 || v === null) {
    if (required)
      throw fieldError(r2, key, "is required");
    return [];
  }
  if (!Array.isArray(v))
    throw fieldError(r2, key, `must be an array, got ${describe(v)}`);
  return v.map((item, i) => objectReader(r2.file, fieldPath(fieldPath(r2.path, key), i), item));
}

// ../../../work/wt/footprint/dist/src/config/monitor-format.js
var condition = {
  fields: {
    type: { type: "string", required: true, description: "Condition type on the Node (NPD/ACK names: KernelDeadlock, ReadonlyFilesystem\u2026)" },
    reason: { type: "string", required: true, description: "Reason while the condition is False (healthy)" },
    message: { type: "string", default: "", description: "Message while the condition is False" },
    expireAfter: { type: "duration", positive: true, description: "npd-ts extension: a True condition returns to False after this long with no rule setting it again" }
  }
};
var logRule = {
  fields: {
    type: { type: "string", required: true, enum: ["temporary", "permanent", "recovery"], description: "temporary: an Event per match; permanent: sets `condition` True; recovery (npd-ts extension): a match returns the condition to False" },
    condition: { type: "string", requiredWhen: { field: "type", in: ["permanent", "recovery"] }, description: "Required for permanent and recovery rules; must be declared in conditions" },
    reason: { type: "string", requiredWhen: { field: "type", in: ["temporary", "permanent"] }, description: 'Reason of the Event or condition (a recovery rule: default "")' },
    pattern: { type: "string", required: true, description: "RE2 pattern; must match up to the end of the newest line (multi-line with \\n)" },
    patternGeneratedMessageSuffix: { type: "string", description: "Appended to the message of a match" },
    count: { type: "integer", min: 1, max: 1e4, description: "npd-ts extension: fire only when the pattern matched this many times within window (less revertPattern matches); a permanent rule's condition returns to False when the count falls below" },
    window: { type: "duration", positive: true, with: "count", required: true, example: "20m", description: "npd-ts extension, with count: the counting window" },
    revertPattern: { type: "string", with: "count", description: "npd-ts extension, with count: RE2 pattern whose matches take one off the count (log-counter's --revert-pattern)" }
  }
};
var logMonitorFormat = {
  title: "npd-ts log monitor (NPD system-log-monitor format, extended)",
  schemaFile: "system-log-monitor.schema.json",
  fields: {
    plugin: { type: "string", required: true, enum: ["kmsg", "filelog", "journald"], description: "Where lines come from: the kernel ring buffer, a log file, or the systemd journal" },
    pluginConfig: { type: "stringMap", description: "filelog: timestamp, message (RE2), timestampFormat (Go layout); journald: source (SYSLOG_IDENTIFIER)" },
    logPath: { type: "string", description: "Default /dev/kmsg (kmsg), /var/log/journal (journald); required for filelog" },
    lookback: { type: "duration", default: "0", description: "At start, read lines up to this long ago" },
    delay: { type: "duration", default: "0", description: "Skip lines logged within this long after boot" },
    skipList: { type: "strings", description: "Lines containing any of these substrings are dropped before matching" },
    bufferSize: { type: "integer", min: 1, max: 1e3, default: 10, description: "How many of the newest lines a multi-line pattern may span" },
    source: { type: "string", required: true, description: "Source of the Events and conditions (NPD: kernel-monitor\u2026)" },
    metricsReporting: { type: "boolean", default: true, description: "Count the problems in problem_counter and problem_gauge on /metrics" },
    conditions: { type: "list", item: condition, description: "The conditions this monitor owns, with their healthy state" },
    rules: { type: "list", item: logRule, description: "The patterns, in order" }
  }
};
var probePluginConfig = {
  fields: {
    invoke_interval: { type: "duration", positive: true, default: "30s", description: "How often each rule runs" },
    timeout: { type: "duration", positive: true, default: "5s", description: "How long a rule may run" },
    max_output_length: { type: "integer", min: 1, max: 4096, default: 80, description: "Bytes of a plugin's output kept as the message" },
    concurrency: { type: "integer", min: 1, max: 1e3, default: 3, description: "Rules running at once" },
    enable_message_change_based_condition_update: { type: "boolean", default: false, description: "Update a condition when only its message changes" },
    skip_initial_status: { type: "boolean", default: false, description: "Do not publish the conditions before the first run" }
  }
};
var probeRule = {
  name: "rule",
  oneOf: ["path", "probe"],
  fields: {
    type: { type: "string", required: true, enum: ["temporary", "permanent"], description: "temporary: an Event when the check fails; permanent: sets `condition`" },
    condition: { type: "string", requiredWhen: { field: "type", in: ["permanent"] }, description: "Required for permanent rules; must be declared in conditions" },
    reason: { type: "string", required: true, description: "Reason of the Event or condition" },
    path: { type: "string", short: "an executable", description: "Executable of an NPD custom plugin (exit 0 OK, 1 problem, other unknown)" },
    args: { type: "strings", description: "Arguments of the executable" },
    probe: { type: "string", short: "a built-in probe", description: "npd-ts extension: name of a built-in probe, instead of path" },
    options: { type: "anyObject", description: "Options of the built-in probe" },
    timeout: { type: "duration", positive: true, description: "At most pluginConfig.timeout (default: it)" },
    invoke_interval: { type: "duration", positive: true, description: "Default: pluginConfig.invoke_interval" }
  }
};
var probeMonitorFormat = {
  title: "npd-ts probe monitor (NPD custom-plugin-monitor format, extended)",
  schemaFile: "custom-plugin-monitor.schema.json",
  fields: {
    plugin: { type: "string", required: true, enum: ["custom"], description: "custom: runs checks on a schedule" },
    pluginConfig: { type: "object", spec: probePluginConfig, description: "How the checks run" },
    source: { type: "string", required: true, description: "Source of the Events and conditions (NPD: ntp-custom-plugin-monitor\u2026)" },
    metricsReporting: { type: "boolean", default: true, description: "Count the problems in problem_counter and problem_gauge on /metrics" },
    conditions: { type: "list", item: condition, description: "The conditions this monitor owns, with their healthy state" },
    rules: { type: "list", item: probeRule, description: "The checks" }
  }
};
var defaultLogPath = { kmsg: "/dev/kmsg", journald: "/var/log/journal", filelog: void 0 };
var monitorPlugins = [...logMonitorFormat.fields.plugin.enum, ...probeMonitorFormat.fields.plugin.enum].sort();

// ../../../work/wt/footprint/dist/src/config/condition-owners.js
function checkConditionOwners(configs) {
  const owners = /* @__PURE__ */ new Map();
  for (const config of configs) {
    for (const [i, condition2] of config.conditions.entries()) {
      const owner = owners.get(condition2.type);
      if (owner !== void 0 && owner !== config.file) {
        throw new ConfigError(config.file, `conditions[${i}].type`, `condition type ${JSON.stringify(condition2.type)} is also declared by ${owner}; two monitor files writing one condition would overwrite each other on the Node (run one of them, or give one its own type)`);
      }
      owners.set(condition2.type, config.file);
    }
  }
}

// ../../../work/wt/footprint/dist/src/config/read-fields.js
var given = (r2, key) => r2.obj[key] !== void 0 && r2.obj[key] !== null;
function alternatives(values) {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1) ?? ""}` : quoted[0] ?? "";
}
function readStringField(r2, key, field, required) {
  const v = required ? readString(r2, key, true) : readString(r2, key) ?? field.default;
  if (v !== void 0 && field.enum && !field.enum.includes(v))
    throw fieldError(r2, key, `must be ${alternatives(field.enum)}, got ${JSON.stringify(v)}`);
  return v;
}
function readField(r2, key, field, required) {
  if (required && field.type !== "string" && !given(r2, key))
    throw fieldError(r2, key, "is required");
  switch (field.type) {
    case "string":
      return readStringField(r2, key, field, required);
    case "boolean":
      return readBoolean(r2, key, field.default);
    case "integer":
      return given(r2, key) ? readInteger(r2, key, 0, field.min, field.max) : field.default;
    case "duration":
      return readDuration(r2, key, field.default === void 0 ? void 0 : parseDuration(field.default), { positive: field.positive === true });
    case "strings":
      return readStringArray(r2, key);
    case "stringMap":
      return readStringMap(r2, key);
    case "anyObject":
      return given(r2, key) ? objectReader(r2.file, fieldPath(r2.path, key), r2.obj[key]).obj : {};
    case "object":
      return readFields(objectReader(r2.file, fieldPath(r2.path, key), given(r2, key) ? r2.obj[key] : {}), field.spec);
    case "list":
      return readObjectArray(r2, key).map((at) => ({ at, values: readFields(at, field.item) }));
  }
}
function isRequired(field, read) {
  if (field.with !== void 0)
    return false;
  if (field.requiredWhen) {
    const value = read[field.requiredWhen.field];
    return typeof value === "string" && field.requiredWhen.in.includes(value);
  }
  return field.required === true;
}
function readFields(r2, spec) {
  const read = {};
  for (const [key, field] of Object.entries(spec.fields)) {
    if (field.with !== void 0 && given(r2, key) && !given(r2, field.with))
      throw fieldError(r2, key, `is only allowed together with ${JSON.stringify(field.with)}`);
    read[key] = readField(r2, key, field, isRequired(field, read));
  }
  for (const [key, field] of Object.entries(spec.fields)) {
    if (field.with !== void 0 && field.required && given(r2, field.with) && !given(r2, key)) {
      throw fieldError(r2, key, `is required with ${JSON.stringify(field.with)}${field.example === void 0 ? "" : ` (e.g. ${JSON.stringify(field.example)})`}`);
    }
  }
  if (spec.oneOf) {
    const [a, b] = spec.oneOf;
    const name = spec.name ?? "object";
    const named = (key) => {
      const short = spec.fields[key]?.short;
      return short === void 0 ? JSON.stringify(key) : `${JSON.stringify(key)} (${short})`;
    };
    if (!given(r2, a) && !given(r2, b))
      throw fieldError(r2, a, `a ${name} needs either ${named(a)} or ${named(b)}`);
    if (given(r2, a) && given(r2, b))
      throw fieldError(r2, b, `a ${name} has either ${JSON.stringify(a)} or ${JSON.stringify(b)}, not both`);
  }
  return read;
}

// ../../../work/wt/footprint/dist/src/re2/re2-classes.js
var MAX = 65535;
function normalize(ranges) {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1)
      last[1] = Math.max(last[1], hi);
    else
      out.push([lo, hi]);
  }
  return out;
}
function negate(ranges) {
  const out = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next)
      out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX)
    out.push([next, MAX]);
  return out;
}
function contains(ranges, c) {
  return ranges.some(([lo, hi]) => lo <= c && c <= hi);
}
var ch = (s) => s.charCodeAt(0);
var r = (a, b = a) => [ch(a), ch(b)];
var perlClasses = {
  d: [r("0", "9")],
  s: [[9, 10], [12, 13], [32, 32]],
  w: [r("0", "9"), r("A", "Z"), r("_"), r("a", "z")]
};
var posixClasses = {
  alnum: [r("0", "9"), r("A", "Z"), r("a", "z")],
  alpha: [r("A", "Z"), r("a", "z")],
  ascii: [[0, 127]],
  blank: [[9, 9], [32, 32]],
  cntrl: [[0, 31], [127, 127]],
  digit: [r("0", "9")],
  graph: [[33, 126]],
  lower: [r("a", "z")],
  print: [[32, 126]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]],
  space: [[9, 13], [32, 32]],
  upper: [r("A", "Z")],
  word: [r("0", "9"), r("A", "Z"), r("_"), r("a", "z")],
  xdigit: [r("0", "9"), r("A", "F"), r("a", "f")]
};
var unicodeCache = /* @__PURE__ */ new Map();
function unicodeClass(name) {
  if (unicodeCache.has(name))
    return unicodeCache.get(name);
  let ranges;
  if (name === "Any")
    ranges = [[0, MAX]];
  else {
    let test;
    for (const src of [`^\\p{${name}}$`, `^\\p{Script=${name}}$`]) {
      try {
        test = new RegExp(src, "u");
        break;
      } catch {
      }
    }
    if (test) {
      ranges = [];
      let start = -1;
      for (let c = 0; c <= MAX + 1; c++) {
        const inSet = c <= MAX && (c < 55296 || c > 57343) && test.test(String.fromCharCode(c));
        if (inSet && start < 0)
          start = c;
        if (!inSet && start >= 0) {
          ranges.push([start, c - 1]);
          start = -1;
        }
      }
    }
  }
  unicodeCache.set(name, ranges);
  return ranges;
}
var extraFolds = {
  107: [8490],
  75: [8490],
  8490: [107, 75],
  115: [383],
  83: [383],
  383: [115, 83]
};
function foldsOf(c) {
  const out = /* @__PURE__ */ new Set([c]);
  const s = String.fromCharCode(c);
  for (const t of [s.toLowerCase(), s.toUpperCase()])
    if (t.length === 1)
      out.add(t.charCodeAt(0));
  for (const t of [...out])
    for (const e of extraFolds[t] ?? [])
      out.add(e);
  return [...out];
}
function foldRanges(ranges) {
  const out = [...ranges];
  for (const [lo, hi] of ranges) {
    for (let c = lo; c <= hi; c++) {
      for (const f of foldsOf(c))
        if (f !== c)
          out.push([f, f]);
    }
  }
  return normalize(out);
}

// ../../../work/wt/footprint/dist/src/re2/re2-parse.js
var MAX_REPEAT = 1e3;
var MAX_NESTING = 1e3;
var simpleEscapes = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
function parseRe2(pattern) {
  let pos = 0;
  const fail = (msg, at = pos) => {
    throw new Re2SyntaxError(msg, at);
  };
  const peek = () => pattern.codePointAt(pos);
  const next = () => {
    const c = pattern.codePointAt(pos);
    if (c === void 0)
      return fail("unexpected end of pattern");
    pos += c > 65535 ? 2 : 1;
    return c;
  };
  const charNode = (c, f) => {
    if (f.i && c <= 65535 && foldsOf(c).length > 1)
      return { k: "set", ranges: normalize(foldsOf(c).map((x) => [x, x])) };
    return { k: "char", c };
  };
  const setNode = (ranges, f) => ({ k: "set", ranges: f.i ? foldRanges(ranges) : normalize(ranges) });
  const readHex = (digits) => {
    if (!/^[0-9a-fA-F]+$/.test(digits))
      fail(`invalid hex escape \\x${digits}`);
    const v = parseInt(digits, 16);
    if (v > 1114111)
      fail(`hex escape out of range: \\x{${digits}}`);
    return v;
  };
  const parseEscape = () => {
    const start = pos - 1;
    const c = String.fromCodePoint(next());
    if (c in simpleEscapes)
      return simpleEscapes[c];
    const perl = perlClasses[c.toLowerCase()];
    if (perl && "dswDSW".includes(c))
      return c === c.toLowerCase() ? [...perl] : negate(perl);
    if (c === "x") {
      if (pattern[pos] === "{") {
        const end = pattern.indexOf("}", pos);
        if (end < 0)
          fail("missing } in \\x{\u2026}", start);
        const v2 = readHex(pattern.slice(pos + 1, end));
        pos = end + 1;
        return v2;
      }
      const v = readHex(pattern.slice(pos, pos + 2).padEnd(2, "g"));
      pos += 2;
      return v;
    }
    if (c === "p" || c === "P") {
      let name;
      if (pattern[pos] === "{") {
        const end = pattern.indexOf("}", pos);
        if (end < 0)
          fail("missing } in \\p{\u2026}", start);
        name = pattern.slice(pos + 1, end);
        pos = end + 1;
      } else
        name = String.fromCodePoint(next());
      let neg = c === "P";
      if (name.startsWith("^")) {
        neg = !neg;
        name = name.slice(1);
      }
      const ranges = unicodeClass(name);
      if (!ranges)
        return fail(`unknown Unicode class \\${c}{${name}}`, start);
      return neg ? negate(ranges) : ranges;
    }
    if (c >= "0" && c <= "7") {
      if (c !== "0" && !/[0-7]/.test(pattern[pos] ?? ""))
        fail(`backreferences are not supported in RE2: \\${c}`, start);
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(pattern[pos] ?? ""))
        digits += pattern[pos++];
      return parseInt(digits, 8);
    }
    if (/[8-9]/.test(c))
      fail(`backreferences are not supported in RE2: \\${c}`, start);
    if (c.length === 1 && c.charCodeAt(0) < 128 && !/[0-9A-Za-z]/.test(c))
      return c.charCodeAt(0);
    return fail(`invalid escape sequence \\${c}`, start);
  };
  const parseClass = (f) => {
    const start = pos - 1;
    const negated = pattern[pos] === "^";
    if (negated)
      pos++;
    const ranges = [];
    let first = true;
    for (; ; ) {
      if (pos >= pattern.length)
        fail("missing closing ] of character class", start);
      if (pattern[pos] === "]" && !first) {
        pos++;
        break;
      }
      first = false;
      if (pattern.startsWith("[:", pos)) {
        const end = pattern.indexOf(":]", pos + 2);
        if (end > 0) {
          let name = pattern.slice(pos + 2, end);
          const neg = name.startsWith("^");
          if (neg)
            name = name.slice(1);
          const cls = posixClasses[name];
          if (!cls)
            fail(`unknown POSIX class [:${name}:]`);
          ranges.push(...neg ? negate(cls) : cls);
          pos = end + 2;
          continue;
        }
      }
      const itemStart = pos;
      let lo = next();
      if (lo === 92)
        lo = parseEscape();
      if (typeof lo !== "number") {
        ranges.push(...lo);
        continue;
      }
      let hi = lo;
      if (pattern[pos] === "-" && pattern[pos + 1] !== "]" && pos + 1 < pattern.length) {
        pos++;
        let h = next();
        if (h === 92)
          h = parseEscape();
        if (typeof h !== "number")
          return fail("bad character class range", itemStart);
        hi = h;
        if (hi < lo)
          fail(`invalid character class range ${pattern.slice(itemStart, pos)}`, itemStart);
      }
      if (hi > 65535)
        fail("characters outside the BMP are not supported inside a character class", itemStart);
      ranges.push([lo, hi]);
    }
    const folded = f.i ? foldRanges(ranges) : normalize(ranges);
    return { k: "set", ranges: negated ? negate(folded) : folded };
  };
  const parseRepeat = () => {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(pos, pos + 12));
    if (!m)
      return void 0;
    const min = Number(m[1]);
    const max = m[2] === void 0 ? min : m[3] === "" ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || max !== Infinity && max > MAX_REPEAT || max < min)
      fail(`invalid repeat count ${m[0]}`);
    pos += m[0].length;
    return { min, max };
  };
  const parseGroupStart = (f) => {
    if (pattern[pos] !== "?")
      return { name: void 0, capture: true };
    const start = pos - 1;
    pos++;
    const named = /^(?:P<|<)([A-Za-z0-9_]+)>/.exec(pattern.slice(pos));
    if (named) {
      pos += named[0].length;
      return { name: named[1], capture: true };
    }
    let neg = false;
    let sawFlag = false;
    for (; ; ) {
      const c = pattern[pos++];
      if (c === void 0)
        return fail("missing closing )", start);
      if (c === "i" || c === "m" || c === "s" || c === "U") {
        f[c] = !neg;
        sawFlag = true;
      } else if (c === "-" && !neg)
        neg = true;
      else if (c === ":")
        return { name: void 0, capture: false };
      else if (c === ")" && sawFlag)
        return "flags-only";
      else
        return fail(`invalid or unsupported group syntax ${pattern.slice(start, pos)}`, start);
    }
  };
  const parseAlts = (f, depth) => {
    const alts2 = [[]];
    let lastRepeat = false;
    for (; ; ) {
      const seq = alts2[alts2.length - 1];
      const c = peek();
      if (c === void 0) {
        if (depth > 0)
          fail("missing closing )");
        return alts2;
      }
      const at = pos;
      next();
      const ch2 = String.fromCodePoint(c);
      if (ch2 === ")") {
        if (depth === 0)
          fail("unexpected )", at);
        return alts2;
      }
      if (ch2 === "|") {
        alts2.push([]);
        lastRepeat = false;
        continue;
      }
      let repeat;
      if (ch2 === "*")
        repeat = { min: 0, max: Infinity };
      else if (ch2 === "+")
        repeat = { min: 1, max: Infinity };
      else if (ch2 === "?")
        repeat = { min: 0, max: 1 };
      else if (ch2 === "{") {
        pos = at;
        repeat = parseRepeat();
        if (!repeat)
          pos = at + 1;
      }
      if (repeat) {
        const prev = seq.pop();
        if (!prev)
          fail(`missing argument to repetition operator ${pattern.slice(at, pos)}`, at);
        if (lastRepeat)
          fail(`invalid nested repetition operator ${pattern.slice(at, pos)}`, at);
        let greedy = true;
        if (pattern[pos] === "?") {
          pos++;
          greedy = false;
        }
        if (f.U)
          greedy = !greedy;
        seq.push({ k: "rep", node: prev, ...repeat, greedy });
        lastRepeat = true;
        continue;
      }
      lastRepeat = false;
      if (ch2 === "(") {
        if (depth >= MAX_NESTING)
          fail(`groups nested deeper than ${MAX_NESTING}`, at);
        const inner = { ...f };
        const g = parseGroupStart(inner);
        if (g === "flags-only") {
          Object.assign(f, inner);
          continue;
        }
        seq.push({ k: "group", name: g.name, capture: g.capture, alts: parseAlts(inner, depth + 1) });
      } else if (ch2 === "[")
        seq.push(parseClass(f));
      else if (ch2 === ".")
        seq.push({ k: "set", ranges: f.s ? [[0, 65535]] : negate([[10, 10]]) });
      else if (ch2 === "^")
        seq.push({ k: "bol", multi: f.m });
      else if (ch2 === "$")
        seq.push({ k: "eol", multi: f.m });
      else if (ch2 === "\\") {
        const e = pattern[pos];
        if (e === "A" || e === "z") {
          pos++;
          seq.push({ k: e === "A" ? "bol" : "eol", multi: false });
        } else if (e === "b" || e === "B") {
          pos++;
          seq.push({ k: "wordb", neg: e === "B" });
        } else if (e === "Q") {
          const end = pattern.indexOf("\\E", pos + 1);
          const lit = pattern.slice(pos + 1, end < 0 ? void 0 : end);
          pos = end < 0 ? pattern.length : end + 2;
          for (const x of lit)
            seq.push(charNode(x.codePointAt(0), f));
        } else if (e === "C")
          fail("\\C (any byte) is not supported", at);
        else if (e === "Z")
          fail("\\Z is not RE2 syntax; use \\z", at);
        else {
          const v = parseEscape();
          seq.push(typeof v === "number" ? charNode(v, f) : setNode(v, f));
        }
      } else
        seq.push(charNode(c, f));
    }
  };
  const alts = parseAlts({ i: false, m: false, s: false, U: false }, 0);
  return { k: "group", name: void 0, capture: false, alts };
}

// ../../../work/wt/footprint/dist/src/re2/re2.js
var hex = (c) => c < 256 ? `\\x${c.toString(16).padStart(2, "0")}` : `\\u${c.toString(16).padStart(4, "0")}`;
function renderChar(c, inClass) {
  if (c > 65535) {
    const s2 = String.fromCodePoint(c);
    return hex(s2.charCodeAt(0)) + hex(s2.charCodeAt(1));
  }
  if (c === 10)
    return "\\n";
  if (c === 9)
    return "\\t";
  if (c === 13)
    return "\\r";
  if (c < 32 || c > 126)
    return hex(c);
  const s = String.fromCharCode(c);
  const special = inClass ? "\\]^-[" : "\\^$.|?*+()[]{}/";
  return special.includes(s) ? `\\${s}` : s;
}
function renderRanges(ranges) {
  return ranges.map(([lo, hi]) => lo === hi ? renderChar(lo, true) : `${renderChar(lo, true)}${hi > lo + 1 ? "-" : ""}${renderChar(hi, true)}`).join("");
}
function renderSet(ranges) {
  if (ranges.length === 0)
    return "[]";
  const first = ranges[0];
  if (ranges.length === 1 && first[0] === first[1])
    return renderChar(first[0], false);
  const pos = renderRanges(ranges);
  const neg = renderRanges(negate(ranges));
  return neg.length < pos.length ? `[^${neg}]` : `[${pos}]`;
}
function isAtom(n) {
  return n.k === "char" && n.c <= 65535 || n.k === "set" || n.k === "group";
}
var MAX_LINEAR_REPEAT = 16;
var MAX_PATTERN_LENGTH = 16384;
var MAX_SOURCE = 1e5;
function quantifier(min, max) {
  if (min === 0 && max === Infinity)
    return "*";
  if (min === 1 && max === Infinity)
    return "+";
  if (min === 0 && max === 1)
    return "?";
  if (max === Infinity)
    return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}
function renderRepeat(n, pattern, noCapture) {
  const lazy = n.greedy ? "" : "?";
  const small = n.min <= MAX_LINEAR_REPEAT && (n.max === Infinity || n.max <= MAX_LINEAR_REPEAT);
  const inner = render(n.node, pattern, noCapture || !small);
  const atom = isAtom(n.node) ? inner : `(?:${inner})`;
  if (small)
    return `${atom}${quantifier(n.min, n.max)}${lazy}`;
  if ((atom.length + 6) * Math.min(n.max === Infinity ? n.min + 1 : n.max, 1001) > MAX_SOURCE) {
    throw new Re2Error(pattern, `repeat ${quantifier(n.min, n.max)} expands to more than ${MAX_SOURCE} characters`);
  }
  let out = n.min <= MAX_LINEAR_REPEAT ? n.min > 0 ? `${atom}{${n.min}}` : "" : atom.repeat(n.min);
  if (n.max === Infinity)
    return `${out}${atom}*${lazy}`;
  let optional = "";
  for (let i = n.min; i < n.max; i++)
    optional = `(?:${atom}${optional})?${lazy}`;
  out += optional;
  return out;
}
function render(n, pattern, noCapture = false) {
  switch (n.k) {
    case "char":
      return renderChar(n.c, false);
    case "set":
      return renderSet(n.ranges);
    case "bol":
      return n.multi ? "(?<![^\\n])" : "^";
    case "eol":
      if (n.multi)
        throw new Re2Error(pattern, "`$` under (?m) is not supported (V8 has no linear-time lookahead); match `\\n` instead");
      return "$";
    case "wordb":
      return n.neg ? "\\B" : "\\b";
    case "group": {
      const body = n.alts.map((seq) => seq.map((x) => render(x, pattern, noCapture)).join("")).join("|");
      const open = !n.capture || noCapture ? "(?:" : n.name !== void 0 ? `(?<${n.name}>` : "(";
      return `${open}${body})`;
    }
    case "rep":
      return renderRepeat(n, pattern, noCapture);
  }
}
function canMatchNewline(n) {
  switch (n.k) {
    case "char":
      return n.c === 10;
    case "set":
      return contains(n.ranges, 10);
    case "group":
      return n.alts.some((seq) => seq.some(canMatchNewline));
    case "rep":
      return n.max > 0 && canMatchNewline(n.node);
    default:
      return false;
  }
}
function hasStartAnchor(n) {
  if (n.k === "bol")
    return !n.multi;
  if (n.k === "group")
    return n.alts.some((seq) => seq.some(hasStartAnchor));
  if (n.k === "rep")
    return hasStartAnchor(n.node);
  return false;
}
function requiredLiterals(seq, out) {
  let run = "";
  const flush = () => {
    if (run)
      out.push(run);
    run = "";
  };
  const walk = (items) => {
    for (const n of items) {
      if (n.k === "char")
        run += String.fromCodePoint(n.c);
      else if (n.k === "set" && n.ranges.length === 1 && n.ranges[0]?.[0] === n.ranges[0]?.[1])
        run += String.fromCharCode(n.ranges[0]?.[0]);
      else if (n.k === "bol" || n.k === "eol" || n.k === "wordb")
        continue;
      else if (n.k === "group" && n.alts.length === 1)
        walk(n.alts[0]);
      else if (n.k === "rep" && n.min === 1 && n.max === 1)
        walk([n.node]);
      else if (n.k === "rep" && n.min >= 1) {
        flush();
        requiredLiterals([n.node], out);
      } else
        flush();
    }
  };
  walk(seq);
  flush();
}
var jitMaxChars = 2048;
function execPattern(c, text) {
  return (text.length > jitMaxChars ? c.linear : c.regex).exec(text);
}
function matchEnd(c) {
  const jit = new RegExp(c.regex.source, "g");
  const linear = new RegExp(c.linear.source, "gl");
  return (text) => {
    const re = text.length > jitMaxChars ? linear : jit;
    re.lastIndex = 0;
    return re.test(text) ? re.lastIndex : void 0;
  };
}
function compileRe2(pattern, options = {}) {
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new Re2Error(pattern, `pattern is ${pattern.length} characters long, at most ${MAX_PATTERN_LENGTH}`);
  let ast;
  try {
    ast = parseRe2(pattern);
  } catch (err) {
    if (err instanceof Re2SyntaxError)
      throw new Re2Error(pattern, `${err.message} at offset ${err.offset}`, { cause: err });
    throw err;
  }
  let source = render(ast, pattern);
  if (source.length > MAX_SOURCE)
    throw new Re2Error(pattern, `expands to more than ${MAX_SOURCE} characters`);
  if (options.anchorEnd)
    source = `${source}$`;
  if (!linearEngineEnabled())
    throw new Error("V8's linear-time regexp engine is off: call enableLinearRegexpEngine() before compiling patterns");
  let linear;
  try {
    linear = new RegExp(source, "l");
  } catch (err) {
    throw new Re2Error(pattern, "cannot be run by V8's linear-time engine", { cause: err });
  }
  const literals = [];
  if (ast.k === "group" && ast.alts.length === 1)
    requiredLiterals(ast.alts[0], literals);
  return {
    regex: new RegExp(source),
    linear,
    source,
    canSpanLines: canMatchNewline(ast),
    anchorsStart: hasStartAnchor(ast),
    literals: [...new Set(literals)]
  };
}

// ../../../work/wt/footprint/dist/src/config/parse-log-monitor.js
function checkConditions(items) {
  const seen = /* @__PURE__ */ new Set();
  return items.map(({ at, values: c }) => {
    if (seen.has(c.type))
      throw fieldError(at, "type", `condition ${JSON.stringify(c.type)} is declared twice`);
    seen.add(c.type);
    return { type: c.type, reason: c.reason, message: c.message, expireAfterMs: c.expireAfter };
  });
}
function checkRuleCondition(rule, type, condition2, conditions) {
  if (condition2 === void 0 || type === "temporary")
    return void 0;
  if (!conditions.some((c) => c.type === condition2)) {
    const known = conditions.map((c) => c.type).join(", ") || "none";
    throw fieldError(rule, "condition", `${type} rule's condition ${JSON.stringify(condition2)} is not declared in conditions (declared: ${known})`);
  }
  return condition2;
}
function checkPattern(r2, field, pattern, anchorEnd) {
  try {
    compileRe2(pattern, { anchorEnd });
  } catch (err) {
    if (err instanceof Re2Error)
      throw new ConfigError(r2.file, fieldPath(r2.path, field), err.problem, { cause: err });
    throw err;
  }
}
function logRule2(rule, conditions) {
  const { type, reason, pattern, count, window, revertPattern } = rule.values;
  const condition2 = checkRuleCondition(rule.at, type, rule.values.condition, conditions);
  checkPattern(rule.at, "pattern", pattern, true);
  if (count !== void 0 && type === "recovery")
    throw fieldError(rule.at, "count", "is not allowed on a recovery rule");
  if (revertPattern !== void 0)
    checkPattern(rule.at, "revertPattern", revertPattern, true);
  return {
    type,
    condition: condition2,
    reason: reason ?? "",
    pattern,
    patternGeneratedMessageSuffix: rule.values.patternGeneratedMessageSuffix,
    count: count === void 0 || window === void 0 ? void 0 : { threshold: count, windowMs: window, revertPattern }
  };
}
function parseLogMonitor(root) {
  const m = readFields(root, logMonitorFormat);
  const logPath = m.logPath ?? defaultLogPath[m.plugin];
  if (logPath === void 0 || logPath === "")
    throw fieldError(root, "logPath", `is required for plugin ${m.plugin}`);
  const pluginConfig = { file: root.file, path: "pluginConfig", obj: m.pluginConfig };
  for (const key of m.plugin === "filelog" ? ["timestamp", "message"] : []) {
    const pattern = m.pluginConfig[key];
    if (pattern !== void 0)
      checkPattern(pluginConfig, key, pattern, false);
  }
  const conditions = checkConditions(m.conditions);
  return {
    kind: "log",
    file: root.file,
    plugin: m.plugin,
    pluginConfig: m.pluginConfig,
    logPath,
    lookbackMs: m.lookback,
    delayMs: m.delay,
    skipList: m.skipList,
    bufferSize: m.bufferSize,
    source: m.source,
    metricsReporting: m.metricsReporting,
    conditions,
    rules: m.rules.map((r2) => logRule2(r2, conditions))
  };
}

// ../../../work/wt/footprint/dist/src/config/parse-probe-monitor.js
import { accessSync, constants, statSync } from "node:fs";
function pluginPathProblem(path) {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = err.code;
    return code === "ENOENT" || code === "ENOTDIR" ? `no such file: ${path}` : `cannot read ${path}: ${code ?? "error"}`;
  }
  if (st.isDirectory())
    return `is a directory, not an executable: ${path}`;
  if (!st.isFile())
    return `is not a regular file: ${path}`;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `is not executable (mode ${(st.mode & 511).toString(8).padStart(4, "0")}): ${path}`;
  }
  return void 0;
}
var fmtMs = (ms) => ms % 1e3 === 0 ? `${ms / 1e3}s` : `${ms}ms`;
function probeRule2(rule, m, options) {
  const { type, reason, path, probe, timeout } = rule.values;
  const condition2 = checkRuleCondition(rule.at, type, rule.values.condition, m.conditions);
  if (probe !== void 0 && options.probeNames && !options.probeNames.includes(probe)) {
    throw fieldError(rule.at, "probe", `unknown probe ${JSON.stringify(probe)}; known: ${[...options.probeNames].sort().join(", ")}`);
  }
  if (path !== void 0 && options.checkPaths) {
    const problem = pluginPathProblem(path);
    if (problem)
      throw fieldError(rule.at, "path", problem);
  }
  if (timeout !== void 0 && timeout > m.timeoutMs) {
    throw fieldError(rule.at, "timeout", `${fmtMs(timeout)} is more than pluginConfig.timeout ${fmtMs(m.timeoutMs)}`);
  }
  return {
    type,
    condition: condition2,
    reason,
    path,
    args: rule.values.args,
    probe,
    options: rule.values.options,
    timeoutMs: timeout ?? m.timeoutMs,
    intervalMs: rule.values.invoke_interval ?? m.invokeIntervalMs
  };
}
function parseProbeMonitor(root, options = {}) {
  const m = readFields(root, probeMonitorFormat);
  const pc = m.pluginConfig;
  const conditions = checkConditions(m.conditions);
  const invokeIntervalMs = pc.invoke_interval;
  const timeoutMs = pc.timeout;
  return {
    kind: "probe",
    file: root.file,
    plugin: "custom",
    source: m.source,
    metricsReporting: m.metricsReporting,
    conditions,
    rules: m.rules.map((r2) => probeRule2(r2, { timeoutMs, invokeIntervalMs, conditions }, options)),
    invokeIntervalMs,
    timeoutMs,
    maxOutputLength: pc.max_output_length,
    concurrency: pc.concurrency,
    messageChangeUpdates: pc.enable_message_change_based_condition_update,
    skipInitialStatus: pc.skip_initial_status
  };
}

// ../../../work/wt/footprint/dist/src/config/load-monitor.js
function parseMonitorConfig(text, file, options = {}) {
  const root = objectReader(file, "", parseJson(text, file));
  const plugin = readString(root, "plugin", true);
  if (!monitorPlugins.includes(plugin)) {
    throw fieldError(root, "plugin", `unknown plugin ${JSON.stringify(plugin)}; known: ${monitorPlugins.join(", ")}`);
  }
  return plugin === "custom" ? parseProbeMonitor(root, options) : parseLogMonitor(root);
}
async function readMonitorFile(path, options = {}) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(path, "", `cannot read: ${errorMessage(err)}`, { cause: err });
  }
  return parseMonitorConfig(text, path, options);
}
async function validateFiles(files, options = {}, inspect) {
  const messages = [];
  const loaded = [];
  let ok = true;
  for (const file of files) {
    try {
      const m = await readMonitorFile(file, options);
      inspect?.(m);
      loaded.push(m);
      const kind = m.kind === "log" ? `log monitor (${m.plugin})` : "probe monitor (custom)";
      messages.push(`${file}: ok: ${kind} ${m.source}, ${m.conditions.length} conditions, ${m.rules.length} rules`);
    } catch (err) {
      ok = false;
      messages.push(err instanceof ConfigError ? err.message : `${file}: ${errorMessage(err)}`);
    }
  }
  try {
    checkConditionOwners(loaded);
  } catch (err) {
    ok = false;
    messages.push(errorMessage(err));
  }
  return { ok, messages };
}

export {
  checkConditionOwners,
  execPattern,
  matchEnd,
  compileRe2,
  parseMonitorConfig,
  readMonitorFile,
  validateFiles
};
