import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  calculateRetryDelay
} from "./chunk-3TIVMXNZ.js";
import {
  silentLogger
} from "./chunk-J6AMBY67.js";
import {
  noopTelemetry
} from "./chunk-7POS7IP2.js";
import {
  systemClock
} from "./chunk-S7FWY2NQ.js";
import {
  ApiError,
  ConfigError,
  NetworkError,
  errorMessage
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/kube/api-transport.js
import https from "node:https";
function parseRetryAfter(value, now) {
  if (value === void 0 || value.trim() === "")
    return void 0;
  if (/^\d+$/.test(value.trim()))
    return Number(value.trim()) * 1e3;
  const at = Date.parse(value);
  return Number.isNaN(at) ? void 0 : Math.max(0, at - now);
}
function statusDetails(text) {
  try {
    const s = JSON.parse(text);
    if (s && s.kind === "Status")
      return { reason: s.reason, message: s.message };
  } catch {
  }
  return { reason: void 0, message: void 0 };
}
var defaultMaxResponseBytes = 4 * 1024 * 1024;
function decodeAnswer(what, status, retryAfter, text, now) {
  if (status >= 200 && status < 300) {
    try {
      return { ok: true, value: text === "" ? void 0 : JSON.parse(text) };
    } catch (err) {
      return { ok: false, error: new NetworkError(`${what}: response is not JSON`, { cause: err }) };
    }
  }
  const d = statusDetails(text);
  return {
    ok: false,
    error: new ApiError(status, `${what}: ${status}${d.message ? `: ${d.message.slice(0, 300)}` : ""}`, {
      reason: d.reason,
      retryAfterMs: parseRetryAfter(retryAfter, now)
    })
  };
}
var isWrite = (req) => req.method !== "GET";
function createApiTransport(options) {
  const { connection } = options;
  const telemetry = options.telemetry ?? noopTelemetry;
  const baseTimeoutMs = options.timeoutMs ?? 1e4;
  const writeTimeoutMs = Math.max(baseTimeoutMs, options.writeTimeoutMs ?? 6e4);
  const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const clock = options.clock ?? systemClock;
  let readTimeoutMs = baseTimeoutMs;
  const base = new URL(connection.server);
  const secure = base.protocol === "https:";
  let mod = secure ? https : void 0;
  let agent = secure ? new https.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets ?? 4,
    ca: connection.ca,
    cert: connection.cert,
    key: connection.key,
    rejectUnauthorized: !connection.insecure
  }) : void 0;
  const basePath = base.pathname.replace(/\/+$/, "");
  const once = async (req, signal) => {
    if (mod === void 0) {
      const plain = await import("node:http");
      mod = plain.default;
      agent = new plain.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 4 });
    }
    const m = mod;
    const token = await connection.auth.token();
    const payload = req.body === void 0 ? void 0 : Buffer.from(JSON.stringify(req.body));
    const headers = {
      accept: "application/json",
      "user-agent": options.userAgent ?? "npd-ts"
    };
    if (token)
      headers["authorization"] = `Bearer ${token}`;
    if (payload) {
      headers["content-type"] = req.contentType ?? "application/json";
      headers["content-length"] = String(payload.length);
    }
    const what = `${req.method} ${req.path}`;
    const write = isWrite(req);
    const timeoutMs = write ? writeTimeoutMs : readTimeoutMs;
    const sentAt = clock.now();
    const deadline = new AbortController();
    const timer = new AbortController();
    void clock.sleep(timeoutMs, timer.signal).then(() => deadline.abort(), () => void 0);
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    return new Promise((resolve2, reject) => {
      let settled = false;
      const settle = () => {
        if (settled)
          return false;
        settled = true;
        timer.abort();
        return true;
      };
      const fail = (err) => {
        if (!settle())
          return;
        telemetry.apiRequest(req.verb, req.resource, err instanceof ApiError ? String(err.status) : "network");
        reject(err);
      };
      const r = m.request({ host: base.hostname.replace(/^\[|\]$/g, ""), port: base.port || (secure ? 443 : 80), method: req.method, path: basePath + req.path, headers, agent, signal: combined }, (res) => {
        const chunks = [];
        let bytes = 0;
        res.on("data", (c) => {
          bytes += c.length;
          if (bytes > maxBytes) {
            chunks.length = 0;
            res.destroy();
            fail(new NetworkError(`${what}: response larger than ${maxBytes} bytes; not read`));
            return;
          }
          chunks.push(c);
        });
        res.on("error", (err) => fail(new NetworkError(`${what}: response: ${errorMessage(err)}`, { cause: err })));
        res.on("end", () => {
          if (settled)
            return;
          const status = res.statusCode ?? 0;
          if (status === 401)
            connection.auth.invalidate();
          const ra = res.headers["retry-after"];
          const answer = decodeAnswer(what, status, Array.isArray(ra) ? ra[0] : ra, Buffer.concat(chunks).toString("utf8"), clock.now());
          if (!answer.ok)
            return fail(answer.error);
          if (!write && clock.now() - sentAt < baseTimeoutMs / 2)
            readTimeoutMs = baseTimeoutMs;
          settle();
          telemetry.apiRequest(req.verb, req.resource, String(status));
          resolve2(answer.value);
        });
      });
      r.on("error", (err) => {
        if (deadline.signal.aborted && !signal?.aborted) {
          if (!write)
            readTimeoutMs = Math.min(writeTimeoutMs, readTimeoutMs * 2);
          fail(new NetworkError(`${what}: timed out after ${timeoutMs} ms`, { cause: err }));
        } else
          fail(new NetworkError(`${what}: ${errorMessage(err)}`, { cause: err }));
      });
      r.end(payload);
    });
  };
  return {
    request: once,
    close: () => agent?.destroy()
  };
}

// ../../../work/wt/footprint/dist/src/exporters/kubernetes/condition-store.js
var same = (a, b) => a !== void 0 && b !== void 0 && a.status === b.status && a.reason === b.reason && a.message === b.message && a.transition.getTime() === b.transition.getTime();
var sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
function createConditionStore(options) {
  const { clock, random, sink } = options;
  const logger = options.logger ?? silentLogger;
  const heartbeatMs = options.heartbeatMs ?? 3e5;
  const coalesceMs = options.coalesceMs ?? 15;
  const state = /* @__PURE__ */ new Map();
  const acked = /* @__PURE__ */ new Map();
  let declared;
  let ownedOnNode = /* @__PURE__ */ new Set();
  let dirtySince;
  let failures = 0;
  let failingSince;
  let retryAt = 0;
  let heartbeatAt = Infinity;
  let wake;
  const owned = () => /* @__PURE__ */ new Set([...declared ?? [], ...state.keys()]);
  const stale = () => {
    if (declared === void 0)
      return [];
    const keep = owned();
    return [.../* @__PURE__ */ new Set([...ownedOnNode, ...acked.keys()])].filter((t) => !keep.has(t)).sort();
  };
  const isDirty = () => [...state].some(([t, c]) => !same(c, acked.get(t))) || stale().length > 0 || declared !== void 0 && !sameSet(owned(), ownedOnNode);
  const markDirty = () => {
    if (dirtySince === void 0 && isDirty())
      dirtySince = clock.now();
    wake?.();
  };
  const nextHeartbeat = (now) => now + Math.round(heartbeatMs * (1 + 0.1 * random()));
  const dueAt = () => {
    if (failures > 0)
      return retryAt;
    if (dirtySince !== void 0)
      return dirtySince + coalesceMs;
    return state.size > 0 ? heartbeatAt : Infinity;
  };
  const syncOnce = async (signal) => {
    const sync = {
      conditions: [...state.values()].sort((a, b) => a.type.localeCompare(b.type)),
      remove: stale(),
      owned: declared === void 0 ? [.../* @__PURE__ */ new Set([...ownedOnNode, ...state.keys()])].sort() : [...owned()].sort()
    };
    dirtySince = void 0;
    try {
      await sink(sync, signal);
    } catch (err) {
      if (signal.aborted)
        return;
      failures++;
      failingSince ??= clock.now();
      retryAt = clock.now() + calculateRetryDelay({ attempt: failures, baseMs: options.retryBaseMs ?? 1e3, maxMs: options.retryMaxMs ?? 3e4, random });
      logger.warn("node condition sync failed; will retry", { error: errorMessage(err), failures });
      dirtySince ??= clock.now();
      return;
    }
    if (failures > 0)
      logger.info("node condition sync recovered", { failures });
    failures = 0;
    failingSince = void 0;
    for (const c of sync.conditions)
      acked.set(c.type, c);
    for (const t of sync.remove)
      acked.delete(t);
    ownedOnNode = new Set(sync.owned);
    heartbeatAt = nextHeartbeat(clock.now());
    if (isDirty())
      dirtySince = clock.now();
  };
  return {
    update(conditions) {
      for (const c of conditions)
        state.set(c.type, c);
      markDirty();
    },
    setOwned(types) {
      declared = new Set(types);
      for (const t of [...state.keys()])
        if (!declared.has(t))
          state.delete(t);
      markDirty();
    },
    seed(onNode, ownedRecord) {
      for (const c of onNode)
        acked.set(c.type, c);
      ownedOnNode = new Set(ownedRecord);
      heartbeatAt = nextHeartbeat(clock.now());
      dirtySince = void 0;
      markDirty();
    },
    current: () => [...state.values()].sort((a, b) => a.type.localeCompare(b.type)),
    async flush(signal) {
      if (dirtySince !== void 0 || failures > 0)
        await syncOnce(signal);
    },
    async run(signal) {
      if (!Number.isFinite(heartbeatAt))
        heartbeatAt = nextHeartbeat(clock.now());
      while (!signal.aborted) {
        const wait = dueAt() - clock.now();
        if (wait <= 0) {
          await syncOnce(signal);
          continue;
        }
        const stop = new AbortController();
        const woken = new Promise((resolve2) => wake = resolve2);
        const onAbort = () => stop.abort();
        signal.addEventListener("abort", onAbort, { once: true });
        const timers = [woken];
        if (Number.isFinite(wait))
          timers.push(clock.sleep(wait, stop.signal).catch(() => void 0));
        else
          timers.push(new Promise((resolve2) => stop.signal.addEventListener("abort", () => resolve2(), { once: true })));
        await Promise.race(timers);
        wake = void 0;
        stop.abort();
        signal.removeEventListener("abort", onAbort);
      }
    },
    healthy: () => failingSince === void 0 || clock.now() - failingSince < 2 * heartbeatMs
  };
}

// ../../../work/wt/footprint/dist/src/exporters/kubernetes/event-correlator.js
var correlatorDefaults = {
  maxLruCacheEntries: 4096,
  aggregateMaxEvents: 10,
  aggregateIntervalMs: 6e5,
  spamBurst: 25,
  spamRefillMs: 3e5
};
var maxEventMessageLength = 1024;
var LruMap = class {
  #max;
  #map = /* @__PURE__ */ new Map();
  /** The most recently used key: touching it again needs no reordering (a storm repeats one key). */
  #newest;
  constructor(max) {
    this.#max = max;
  }
  get(key) {
    const v = this.#map.get(key);
    if (v !== void 0 && key !== this.#newest) {
      this.#map.delete(key);
      this.#map.set(key, v);
      this.#newest = key;
    }
    return v;
  }
  set(key, value) {
    if (key !== this.#newest)
      this.#map.delete(key);
    this.#map.set(key, value);
    this.#newest = key;
    if (this.#map.size > this.#max)
      this.#map.delete(this.#map.keys().next().value);
  }
  get size() {
    return this.#map.size;
  }
};
function cutMessage(message) {
  return message.length <= maxEventMessageLength ? message : `${message.slice(0, maxEventMessageLength - 3)}...`;
}
function formatTime(ms) {
  const second = Math.floor(ms / 1e3);
  if (second !== lastSecond) {
    lastSecond = second;
    lastFormatted = new Date(second * 1e3).toISOString().replace(".000Z", "Z");
  }
  return lastFormatted;
}
var lastSecond = NaN;
var lastFormatted = "";
var objectKey = (e) => {
  const o = e.involvedObject;
  return [e.source?.component ?? "", e.source?.host ?? "", o.kind ?? "", o.namespace ?? "", o.name ?? "", o.uid ?? "", o.apiVersion ?? ""];
};
function eventKey(e) {
  return JSON.stringify([...objectKey(e), e.involvedObject.fieldPath ?? "", e.type ?? "", e.reason ?? "", e.message ?? ""]);
}
function createEventCorrelator(options) {
  const { clock } = options;
  const lim = { ...correlatorDefaults, ...options.limits };
  const aggregates = new LruMap(lim.maxLruCacheEntries);
  const logged = new LruMap(lim.maxLruCacheEntries);
  const buckets = new LruMap(lim.maxLruCacheEntries);
  let seq = 0;
  const takeToken = (key, now) => {
    const b = buckets.get(key) ?? { tokens: lim.spamBurst, at: now };
    b.tokens = Math.min(lim.spamBurst, b.tokens + (now - b.at) / lim.spamRefillMs);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1)
      return false;
    b.tokens -= 1;
    return true;
  };
  let memo;
  const keysOf = (e) => {
    const object = objectKey(e);
    const parts = [...object, e.involvedObject.fieldPath ?? "", e.type ?? "", e.reason ?? "", e.reportingComponent ?? "", e.reportingInstance ?? "", e.message ?? ""];
    if (memo !== void 0 && memo.parts.every((p, i) => p === parts[i]))
      return memo;
    memo = {
      parts,
      agg: JSON.stringify([...object, e.type ?? "", e.reason ?? "", e.reportingComponent ?? "", e.reportingInstance ?? ""]),
      event: eventKey(e),
      spam: JSON.stringify([...object, e.type ?? "", e.reason ?? ""])
    };
    return memo;
  };
  const name = (objectName, now) => `${objectName}.${(BigInt(now) * 1000000n + BigInt(seq++ % 1e6)).toString(16)}`;
  return {
    correlate(input) {
      const now = clock.now();
      const ts = formatTime(now);
      let event = { ...input, message: cutMessage(input.message ?? "") };
      const keys = keysOf(event);
      const aggKey = keys.agg;
      let record = aggregates.get(aggKey);
      if (record === void 0 || now - record.last > lim.aggregateIntervalMs)
        record = { messages: /* @__PURE__ */ new Set(), last: now };
      record.messages.add(event.message ?? "");
      record.last = now;
      aggregates.set(aggKey, record);
      let cacheKey = keys.event;
      if (record.messages.size >= lim.aggregateMaxEvents) {
        const first = record.messages.values().next().value;
        record.messages.delete(first);
        const { reportingComponent: _c, reportingInstance: _i, ...rest } = event;
        event = {
          ...rest,
          metadata: { name: name(event.involvedObject.name ?? "", now), namespace: event.metadata.namespace },
          count: 1,
          firstTimestamp: ts,
          lastTimestamp: ts,
          message: cutMessage(`(combined from similar events): ${event.message ?? ""}`)
        };
        cacheKey = aggKey;
      }
      const seen = logged.get(cacheKey);
      let result;
      if (seen !== void 0) {
        seen.count += 1;
        event = {
          ...event,
          metadata: { ...event.metadata, name: seen.name, ...seen.resourceVersion ? { resourceVersion: seen.resourceVersion } : {} },
          count: seen.count,
          firstTimestamp: seen.firstTimestamp,
          lastTimestamp: ts
        };
        result = { action: "patch", event, patch: { count: seen.count, lastTimestamp: ts, message: event.message ?? "" } };
      } else {
        if (!event.metadata.name)
          event = { ...event, metadata: { ...event.metadata, name: name(event.involvedObject.name ?? "", now) } };
        event = { ...event, count: 1, firstTimestamp: ts, lastTimestamp: ts };
        logged.set(cacheKey, { count: 1, firstTimestamp: ts, name: event.metadata.name, resourceVersion: void 0 });
        result = { action: "create", event };
      }
      return takeToken(keys.spam, now) ? result : { action: "skip" };
    },
    updateState(stored) {
      if (!stored.metadata?.name)
        return;
      logged.set(eventKey(stored), {
        count: stored.count ?? 1,
        firstTimestamp: stored.firstTimestamp ?? "",
        name: stored.metadata.name,
        resourceVersion: stored.metadata.resourceVersion
      });
    }
  };
}

// ../../../work/wt/footprint/dist/src/exporters/kubernetes/event-queue.js
function createEventQueue(options) {
  const { client, correlator, clock, random } = options;
  const capacity = options.capacity ?? 1e3;
  const maxTries = options.maxTries ?? 12;
  const telemetry = options.telemetry ?? noopTelemetry;
  const logger = options.logger ?? silentLogger;
  const queue = [];
  const byName = /* @__PURE__ */ new Map();
  let wake;
  const keyOf = (e) => `${e.metadata.namespace ?? ""}/${e.metadata.name ?? ""}`;
  const remove = (entry) => {
    if (byName.get(keyOf(entry.event)) === entry)
      byName.delete(keyOf(entry.event));
  };
  const send = async (entry, signal) => {
    const ns = entry.event.metadata.namespace ?? "default";
    if (entry.kind === "patch" && entry.patch) {
      try {
        return await client.patchEvent(ns, entry.event.metadata.name ?? "", entry.patch, signal);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404))
          throw err;
      }
    }
    const { resourceVersion: _rv, ...metadata } = entry.event.metadata;
    return client.createEvent(ns, { ...entry.event, metadata }, signal);
  };
  return {
    push(input) {
      const c = correlator.correlate(input);
      if (c.action === "skip") {
        telemetry.eventDropped("spam-filter");
        return;
      }
      const queued = byName.get(keyOf(c.event));
      if (queued !== void 0 && c.action === "patch") {
        queued.event = { ...queued.event, count: c.event.count, lastTimestamp: c.event.lastTimestamp, message: c.event.message };
        if (queued.kind === "patch")
          queued.patch = c.patch;
        return;
      }
      if (queue.length >= capacity) {
        const dropped = queue.shift();
        remove(dropped);
        telemetry.eventDropped("queue-full");
      }
      const entry = { kind: c.action, event: c.event, patch: c.action === "patch" ? c.patch : void 0, tries: 0 };
      queue.push(entry);
      byName.set(keyOf(c.event), entry);
      wake?.();
    },
    size: () => queue.length,
    async run(signal) {
      let failures = 0;
      while (!signal.aborted) {
        const entry = queue[0];
        if (entry === void 0) {
          await new Promise((resolve2) => {
            wake = resolve2;
            signal.addEventListener("abort", () => resolve2(), { once: true });
          });
          wake = void 0;
          continue;
        }
        entry.tries++;
        remove(entry);
        try {
          const stored = await send(entry, signal);
          correlator.updateState(stored);
          failures = 0;
          if (queue[0] === entry)
            queue.shift();
        } catch (err) {
          if (signal.aborted)
            return;
          if (err instanceof ApiError || entry.tries >= maxTries) {
            if (queue[0] === entry)
              queue.shift();
            telemetry.eventDropped("rejected");
            logger.warn("event not recorded", { reason: entry.event.reason, error: errorMessage(err) });
            continue;
          }
          failures++;
          await clock.sleep(calculateRetryDelay({ attempt: failures, baseMs: 1e3, maxMs: options.retryMaxMs ?? 3e4, random }), signal).catch(() => void 0);
        }
      }
    }
  };
}

// ../../../work/wt/footprint/dist/src/kube/node-client.js
var strategicMergePatch = "application/strategic-merge-patch+json";
function isUnavailable(err) {
  return err instanceof NetworkError || err instanceof ApiError && (err.status >= 500 || err.status === 429);
}
function isRetryable(err, conflicts = true) {
  if (err instanceof NetworkError)
    return true;
  if (err instanceof ApiError)
    return err.status >= 500 || err.status === 429 || conflicts && err.status === 409;
  return false;
}
function createNodeClient(options) {
  const { transport, clock, random } = options;
  const attempts = options.attempts ?? 4;
  const node = encodeURIComponent(options.nodeName);
  const baseMs = options.baseDelayMs ?? 200;
  const maxMs = options.maxDelayMs ?? 1e4;
  let failures = 0;
  let openAt = 0;
  let probing;
  const passGate = async (signal) => {
    for (; ; ) {
      const wait = openAt - clock.now();
      if (wait > 0)
        await clock.sleep(wait, signal);
      else if (failures > 0 && probing !== void 0)
        await probing;
      else if (failures === 0)
        return void 0;
      else {
        let done;
        probing = new Promise((resolve2) => done = resolve2);
        return () => {
          probing = void 0;
          done();
        };
      }
    }
  };
  const closeGate = (err) => {
    failures++;
    const retryAfterMs = err instanceof ApiError ? err.retryAfterMs : void 0;
    const delay = retryAfterMs !== void 0 ? Math.round(retryAfterMs * (1 + random())) : calculateRetryDelay({ attempt: failures, baseMs, maxMs: 2 * maxMs, random });
    openAt = Math.max(openAt, clock.now() + Math.min(maxMs, delay));
  };
  const call = async (req, signal, conflicts = false) => {
    for (let attempt = 1; ; attempt++) {
      const probed = await passGate(signal);
      try {
        const answer = await transport.request(req, signal);
        failures = 0;
        return answer;
      } catch (err) {
        if (signal?.aborted)
          throw err;
        if (isUnavailable(err))
          closeGate(err);
        if (!isRetryable(err, conflicts) || attempt >= attempts)
          throw err;
        if (!isUnavailable(err))
          await clock.sleep(calculateRetryDelay({ attempt, baseMs, maxMs, random }), signal);
      } finally {
        probed?.();
      }
    }
  };
  return {
    nodeName: options.nodeName,
    getNode: (signal, cached) => call({ method: "GET", path: `/api/v1/nodes/${node}${cached ? "?resourceVersion=0" : ""}`, verb: "get", resource: "nodes" }, signal),
    patchNodeStatus: (patch, signal) => call({ method: "PATCH", path: `/api/v1/nodes/${node}/status`, body: patch, contentType: strategicMergePatch, verb: "patch", resource: "nodes/status" }, signal, true),
    createEvent: (namespace, event, signal) => call({ method: "POST", path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, body: event, verb: "create", resource: "events" }, signal),
    patchEvent: (namespace, name, patch, signal) => call({
      method: "PATCH",
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events/${encodeURIComponent(name)}`,
      body: patch,
      contentType: strategicMergePatch,
      verb: "patch",
      resource: "events"
    }, signal)
  };
}

// ../../../work/wt/footprint/dist/src/exporters/kubernetes/ownership.js
import { createHash } from "node:crypto";
var ownedConditionsAnnotation = "npd-ts.io/owned-conditions";
var minDeadAfterMs = 15 * 6e4;
var maxInstanceLength = 63 - "owned-conditions.".length;
function ownershipInstance(podName, random) {
  if (podName === void 0 || podName === "")
    return Math.floor(random() * 2 ** 32).toString(16).padStart(8, "0");
  if (podName.length <= maxInstanceLength && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(podName))
    return podName;
  return createHash("sha256").update(podName).digest("hex").slice(0, 16);
}
var recordKey = (instance) => `${ownedConditionsAnnotation}.${instance}`;
var recordValue = (types, at) => `${types.join(",")};${at === "retired" ? "retired" : formatTime(at)}`;
function parseRecords(node) {
  const out = [];
  for (const [key, value] of Object.entries(node.metadata?.annotations ?? {})) {
    if (key !== ownedConditionsAnnotation && !key.startsWith(`${ownedConditionsAnnotation}.`))
      continue;
    const cut = value.lastIndexOf(";");
    const list = cut >= 0 ? value.slice(0, cut) : value;
    const stamp = cut >= 0 ? Date.parse(value.slice(cut + 1)) : NaN;
    const types = list.split(",").map((s) => s.trim()).filter((s) => s !== "");
    out.push({ key, types, at: key === ownedConditionsAnnotation || Number.isNaN(stamp) ? void 0 : stamp });
  }
  return out;
}
function viewOwnership(records, ownKey, now, heartbeatMs) {
  const deadAfter = Math.max(minDeadAfterMs, 3 * heartbeatMs);
  const others = records.filter((r) => r.key !== ownKey);
  const live = others.filter((r) => r.at !== void 0 && now - r.at < deadAfter);
  const over = others.filter((r) => !live.includes(r));
  const claimed = new Set(live.flatMap((r) => r.types));
  return {
    claimed,
    orphaned: [...new Set(over.flatMap((r) => r.types))].filter((t) => !claimed.has(t)).sort(),
    over: over.map((r) => r.key).sort()
  };
}

// ../../../work/wt/footprint/dist/src/kube/connection.js
import { readFile as readFile3, stat } from "node:fs/promises";
import { join } from "node:path";

// ../../../work/wt/footprint/dist/src/kube/exec-credential.js
import { execFile } from "node:child_process";
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function execInfo(config, cluster) {
  const spec = { interactive: false };
  if (config.provideClusterInfo && cluster !== void 0) {
    spec["cluster"] = {
      server: cluster.server,
      ...cluster.ca !== void 0 ? { "certificate-authority-data": Buffer.from(cluster.ca).toString("base64") } : {},
      ...cluster.insecure ? { "insecure-skip-tls-verify": true } : {}
    };
  }
  return JSON.stringify({ apiVersion: config.apiVersion, kind: "ExecCredential", spec });
}
function parseExecCredential(text, apiVersion) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return { problem: "stdout is not JSON" };
  }
  if (!isObj(doc))
    return { problem: "stdout is not a JSON object" };
  if (doc["kind"] !== "ExecCredential")
    return { problem: `kind must be ExecCredential, got ${JSON.stringify(doc["kind"] ?? null)}` };
  if (doc["apiVersion"] !== apiVersion) {
    return { problem: `apiVersion must be ${apiVersion} (as configured), got ${JSON.stringify(doc["apiVersion"] ?? null)}` };
  }
  const status = doc["status"];
  if (!isObj(status))
    return { problem: "no status" };
  const token = status["token"];
  if (typeof token !== "string" || token === "") {
    if (status["clientCertificateData"] !== void 0 || status["clientKeyData"] !== void 0) {
      return { problem: "returned a client certificate; only token credentials are supported" };
    }
    return { problem: "no status.token" };
  }
  const exp = status["expirationTimestamp"];
  if (exp === void 0 || exp === null)
    return { token, expiresAtMs: void 0 };
  const at = typeof exp === "string" ? Date.parse(exp) : NaN;
  if (Number.isNaN(at))
    return { problem: `status.expirationTimestamp is not an RFC 3339 time: ${JSON.stringify(exp)}` };
  return { token, expiresAtMs: at };
}
function tail(stderr, max = 300) {
  const t = stderr.trim().replace(/\s*\n\s*/g, " | ");
  return t.length > max ? `\u2026${t.slice(-max)}` : t;
}
function describeFailure(err, config, timeoutMs) {
  if (err.code === "ENOENT")
    return `command not found${config.installHint ? ` (${config.installHint})` : ""}`;
  if (err.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER")
    return "output too large; killed";
  if (err.killed)
    return `timed out after ${timeoutMs} ms; killed`;
  if (typeof err.code === "number")
    return `exited with code ${err.code}`;
  if (err.signal)
    return `killed by ${err.signal}`;
  return err.code !== void 0 ? `cannot run: ${err.code}` : "cannot run";
}
function runPlugin(config, env, timeoutMs, maxBytes) {
  return new Promise((resolve2) => {
    const child = execFile(config.command, [...config.args], { env, timeout: timeoutMs, maxBuffer: maxBytes, killSignal: "SIGKILL", encoding: "utf8", windowsHide: true }, (err, stdout, stderr) => resolve2({ stdout, stderr, failure: err ? describeFailure(err, config, timeoutMs) : void 0 }));
    child.stdin?.on("error", () => void 0);
    child.stdin?.end();
  });
}
function execToken(config, options = {}) {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 3e4;
  const maxBytes = options.maxOutputBytes ?? 1024 * 1024;
  const refreshBeforeMs = options.refreshBeforeMs ?? 1e4;
  let cached;
  let inFlight;
  const run = async () => {
    const env = { ...options.env ?? process.env };
    for (const e of config.env)
      env[e.name] = e.value;
    env["KUBERNETES_EXEC_INFO"] = execInfo(config, options.cluster);
    const r = await runPlugin(config, env, timeoutMs, maxBytes);
    const parsed = r.failure === void 0 ? parseExecCredential(r.stdout, config.apiVersion) : { problem: r.failure };
    if ("problem" in parsed) {
      const err = tail(r.stderr);
      throw new ConfigError(config.file, config.field, `credential plugin ${config.command}: ${parsed.problem}${err ? `; stderr: ${err}` : ""}`);
    }
    cached = { token: parsed.token, refreshAt: parsed.expiresAtMs === void 0 ? Infinity : parsed.expiresAtMs - refreshBeforeMs };
    return parsed.token;
  };
  return {
    async token() {
      if (cached !== void 0 && clock.now() < cached.refreshAt)
        return cached.token;
      inFlight ??= run().finally(() => {
        inFlight = void 0;
      });
      return inFlight;
    },
    invalidate() {
      cached = void 0;
    }
  };
}

// ../../../work/wt/footprint/dist/src/kube/token-source.js
import { readFile } from "node:fs/promises";
var tokenFileMaxAgeMs = 6e4;
function staticToken(token) {
  return { token: async () => token, invalidate() {
  } };
}
function fileToken(file, clock = systemClock, maxAgeMs = tokenFileMaxAgeMs) {
  let cached;
  let readAt = -Infinity;
  return {
    async token() {
      if (cached === void 0 || clock.now() - readAt >= maxAgeMs) {
        try {
          cached = (await readFile(file, "utf8")).trim();
          readAt = clock.now();
        } catch (err) {
          if (cached === void 0)
            throw new ConfigError(file, "", `cannot read token: ${errorMessage(err)}`, { cause: err });
        }
      }
      return cached;
    },
    invalidate() {
      readAt = -Infinity;
    }
  };
}

// ../../../work/wt/footprint/dist/src/kube/kubeconfig.js
import { readFile as readFile2 } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
var execApiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];
var isObj2 = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function named(list, name, what, file) {
  const items = Array.isArray(list) ? list : [];
  const found = items.find((i) => isObj2(i) && i["name"] === name);
  if (!isObj2(found) || !isObj2(found[what]))
    throw new ConfigError(file, `${what}s`, `no ${what} named "${name}"`);
  return found[what];
}
function material(o, dataKey, fileKey, base, decode) {
  const data = o[dataKey];
  if (typeof data === "string" && data !== "")
    return { data: decode ? Buffer.from(data, "base64").toString("utf8") : data };
  const file = o[fileKey];
  if (typeof file === "string" && file !== "")
    return { file: isAbsolute(file) ? file : resolve(base, file) };
  return void 0;
}
var isStrings = (v) => Array.isArray(v) && v.every((a) => typeof a === "string");
function parseExecConfig(raw, file, field, dir) {
  const bad = (key, problem) => new ConfigError(file, key === "" ? field : `${field}.${key}`, problem);
  if (!isObj2(raw))
    throw bad("", "must be a mapping");
  const command = raw["command"];
  if (typeof command !== "string" || command.trim() === "")
    throw bad("command", "missing");
  const apiVersion = raw["apiVersion"];
  const version = execApiVersions.find((v) => v === apiVersion);
  if (version === void 0)
    throw bad("apiVersion", `must be ${execApiVersions.join(" or ")}, got ${JSON.stringify(apiVersion ?? null)}`);
  const args = raw["args"] ?? [];
  if (!isStrings(args))
    throw bad("args", "must be a list of strings");
  const envList = raw["env"] ?? [];
  if (!Array.isArray(envList))
    throw bad("env", "must be a list of {name, value}");
  const env = envList.map((e, i) => {
    if (!isObj2(e) || typeof e["name"] !== "string" || e["name"] === "" || typeof e["value"] !== "string") {
      throw bad(`env[${i}]`, "must have a name and a string value");
    }
    return { name: e["name"], value: e["value"] };
  });
  const mode = raw["interactiveMode"];
  if (mode !== void 0 && mode !== "Never" && mode !== "IfAvailable" && mode !== "Always") {
    throw bad("interactiveMode", `must be Never, IfAvailable or Always, got ${JSON.stringify(mode)}`);
  }
  if (mode === "Always")
    throw bad("interactiveMode", "Always needs a terminal and the agent never has one; use Never or IfAvailable");
  const hint = raw["installHint"];
  return {
    // client-go: a relative path with a separator is relative to the kubeconfig; a bare name uses PATH.
    command: command.includes("/") && !isAbsolute(command) ? resolve(dir, command) : command,
    args,
    env,
    apiVersion: version,
    provideClusterInfo: raw["provideClusterInfo"] === true,
    installHint: typeof hint === "string" && hint.trim() !== "" ? hint.trim() : void 0,
    file,
    field
  };
}
function yamlErrorWhere(err) {
  const mark = err?.mark;
  if (typeof mark?.line !== "number" || typeof mark.column !== "number")
    return "";
  return ` at line ${mark.line + 1}, column ${mark.column + 1}`;
}
function yamlErrorReason(err) {
  const reason = err?.reason;
  if (typeof reason !== "string" || reason === "")
    return "syntax error";
  return reason.replace(/"[^"]*"|'[^']*'|!<[^>]*>|!\S*/g, "\u2026");
}
async function parseKubeconfig(text, file, dir = dirname(file)) {
  let doc;
  try {
    const { load } = await import("./js-yaml-TFAGT6YS.js");
    doc = load(text);
  } catch (err) {
    throw new ConfigError(file, "", `not YAML${yamlErrorWhere(err)}: ${yamlErrorReason(err)}`);
  }
  if (!isObj2(doc))
    throw new ConfigError(file, "", "not a kubeconfig (expected a mapping)");
  const ctxName = doc["current-context"];
  if (typeof ctxName !== "string" || ctxName === "")
    throw new ConfigError(file, "current-context", "missing");
  const ctx = named(doc["contexts"], ctxName, "context", file);
  const clusterName = String(ctx["cluster"] ?? "");
  const cluster = named(doc["clusters"], clusterName, "cluster", file);
  const userName = ctx["user"];
  const user = typeof userName === "string" && userName !== "" ? named(doc["users"], userName, "user", file) : {};
  if (user["auth-provider"] !== void 0) {
    throw new ConfigError(file, `users[${String(userName)}].auth-provider`, "auth-provider plugins were removed from Kubernetes in 1.26; use an exec plugin, a token, tokenFile or client certificate");
  }
  const server = cluster["server"];
  if (typeof server !== "string" || server === "")
    throw new ConfigError(file, `clusters[${clusterName}].server`, "missing");
  const token = typeof user["token"] === "string" && user["token"] !== "" ? { data: user["token"] } : material(user, "\0", "tokenFile", dir, false);
  return {
    server: server.replace(/\/+$/, ""),
    ca: material(cluster, "certificate-authority-data", "certificate-authority", dir, true),
    cert: material(user, "client-certificate-data", "client-certificate", dir, true),
    key: material(user, "client-key-data", "client-key", dir, true),
    token,
    exec: user["exec"] === void 0 ? void 0 : parseExecConfig(user["exec"], file, `users[${String(userName)}].exec`, dir),
    insecure: cluster["insecure-skip-tls-verify"] === true
  };
}
async function readKubeconfig(file) {
  let text;
  try {
    text = await readFile2(file, "utf8");
  } catch (err) {
    throw new ConfigError(file, "", `cannot read kubeconfig: ${errorMessage(err)}`, { cause: err });
  }
  return parseKubeconfig(text, file);
}

// ../../../work/wt/footprint/dist/src/kube/connection.js
var serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";
function resolveNodeName(flag, env, hostname) {
  if (flag !== void 0 && flag.trim() !== "")
    return flag.trim();
  if (env !== void 0 && env.trim() !== "")
    return env.trim();
  return hostname.trim().toLowerCase();
}
async function readMaterial(m, what) {
  if (m === void 0)
    return void 0;
  if ("data" in m)
    return m.data;
  try {
    return await readFile3(m.file, "utf8");
  } catch (err) {
    throw new ConfigError(m.file, "", `cannot read ${what}: ${errorMessage(err)}`, { cause: err });
  }
}
async function fromKubeconfig(entry, clock, env) {
  const ca = await readMaterial(entry.ca, "certificate-authority");
  const cert = await readMaterial(entry.cert, "client-certificate");
  let auth;
  if (entry.token !== void 0)
    auth = "data" in entry.token ? staticToken(entry.token.data) : fileToken(entry.token.file, clock);
  else if (entry.exec !== void 0 && cert === void 0)
    auth = execToken(entry.exec, { cluster: { server: entry.server, ca, insecure: entry.insecure }, clock, env });
  else
    auth = staticToken(void 0);
  return {
    server: entry.server,
    ca,
    cert,
    key: await readMaterial(entry.key, "client-key"),
    insecure: entry.insecure,
    auth
  };
}
function bracket(host) {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
async function inCluster(prefix, env, clock) {
  const host = env["KUBERNETES_SERVICE_HOST"];
  const port = env["KUBERNETES_SERVICE_PORT"];
  if (!host || !port) {
    throw new ConfigError("", "KUBERNETES_SERVICE_HOST", "not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset); pass --kubeconfig or --apiserver-override, or --standalone to run without a cluster");
  }
  const dir = join(prefix, serviceAccountDir);
  const tokenFile = join(dir, "token");
  try {
    await stat(tokenFile);
  } catch (err) {
    throw new ConfigError(tokenFile, "", `no service account token: ${errorMessage(err)}`, { cause: err });
  }
  return {
    server: `https://${bracket(host)}:${port}`,
    ca: await readMaterial({ file: join(dir, "ca.crt") }, "service account CA"),
    cert: void 0,
    key: void 0,
    insecure: false,
    auth: fileToken(tokenFile, clock)
  };
}
async function loadConnection(flags, env = process.env, clock = systemClock) {
  const prefix = flags.inClusterPrefix ?? "";
  if (flags.apiserverOverride) {
    let uri;
    try {
      uri = new URL(flags.apiserverOverride);
    } catch (err) {
      throw new ConfigError("command line", "--apiserver-override", "not a URI", { cause: err });
    }
    if (uri.protocol !== "https:" && uri.protocol !== "http:") {
      throw new ConfigError("command line", "--apiserver-override", `scheme must be http or https, got ${uri.protocol}`);
    }
    const q = uri.searchParams;
    const server = `${uri.protocol}//${uri.host}`;
    const insecure = q.get("insecure") === "true";
    let base;
    if (q.get("inClusterConfig") !== "false")
      base = await inCluster(prefix, { ...env, KUBERNETES_SERVICE_HOST: "override", KUBERNETES_SERVICE_PORT: "0" }, clock);
    else if (q.get("auth"))
      base = await fromKubeconfig(await readKubeconfig(q.get("auth")), clock, env);
    else if (q.get("useServiceAccount") === "true")
      base = { ...await inCluster(prefix, { ...env, KUBERNETES_SERVICE_HOST: "override", KUBERNETES_SERVICE_PORT: "0" }, clock), ca: void 0 };
    else
      base = { server, ca: void 0, cert: void 0, key: void 0, insecure, auth: staticToken(void 0) };
    return { ...base, server, insecure: insecure || base.insecure };
  }
  if (flags.kubeconfig)
    return fromKubeconfig(await readKubeconfig(flags.kubeconfig), clock, env);
  if (env["KUBERNETES_SERVICE_HOST"])
    return inCluster(prefix, env, clock);
  const fromEnv = env["KUBECONFIG"]?.split(":").find((f) => f !== "");
  if (fromEnv)
    return fromKubeconfig(await readKubeconfig(fromEnv), clock, env);
  throw new ConfigError("command line", "--kubeconfig", "no apiserver: not in a cluster and neither --kubeconfig, --apiserver-override nor $KUBECONFIG is set; use --standalone to run without a cluster");
}

// ../../../work/wt/footprint/dist/src/exporters/kubernetes/kubernetes-exporter.js
var toWire = (c, now) => ({
  type: c.type,
  status: c.status,
  reason: c.reason,
  message: c.message,
  lastHeartbeatTime: formatTime(now),
  lastTransitionTime: formatTime(c.transition.getTime())
});
var fromWire = (c) => ({
  type: c.type,
  status: c.status,
  transition: new Date(c.lastTransitionTime ?? 0),
  reason: c.reason ?? "",
  message: c.message ?? ""
});
function buildStatusPatch(sync, now, ownKey, overKeys = [], retired = false) {
  return {
    metadata: { annotations: { [ownKey]: recordValue(sync.owned, retired ? "retired" : now), ...Object.fromEntries(overKeys.map((k) => [k, null])) } },
    status: {
      conditions: [...sync.conditions.map((c) => toWire(c, now)), ...sync.remove.map((type) => ({ $patch: "delete", type }))]
    }
  };
}
function createKubernetesExporter(options) {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const telemetry = options.telemetry ?? noopTelemetry;
  const retryMaxMs = options.retryMaxMs ?? 6e4;
  const transport = options.client ? void 0 : options.transport ?? createApiTransport({
    connection: options.connection,
    timeoutMs: options.requestTimeoutMs ?? 1e4,
    writeTimeoutMs: options.writeTimeoutMs ?? 6e4,
    telemetry,
    clock
  });
  const client = options.client ?? createNodeClient({
    transport,
    nodeName: options.nodeName,
    clock,
    random,
    baseDelayMs: Math.min(2e3, retryMaxMs),
    maxDelayMs: retryMaxMs
  });
  const namespace = options.eventNamespace || "default";
  const stopper = new AbortController();
  const heartbeatMs = options.heartbeatMs ?? 3e5;
  const ownKey = recordKey(options.instance ?? ownershipInstance(options.podName, random));
  let node;
  let recorded = false;
  let retiring = false;
  let readAtStart;
  let declared = [];
  let running = false;
  const remember = (n) => {
    node = { uid: n.metadata?.uid, records: parseRecords(n) };
  };
  const answerable = (n) => {
    const records = parseRecords(n);
    const own = records.find((r) => r.key === ownKey)?.types ?? [];
    return [.../* @__PURE__ */ new Set([...own, ...viewOwnership(records, ownKey, clock.now(), heartbeatMs).orphaned])].sort();
  };
  const store = createConditionStore({
    clock,
    random,
    heartbeatMs,
    coalesceMs: options.coalesceMs ?? 15,
    retryMaxMs,
    logger,
    sink: async (sync, signal) => {
      if (node === void 0) {
        remember(await client.getNode(signal));
      }
      const keep = new Set(sync.owned);
      for (let pass = 0; pass < 2; pass++) {
        const view = viewOwnership(node?.records ?? [], ownKey, clock.now(), heartbeatMs);
        const known = declared.length > 0;
        if (pass > 0 && (!known || view.over.length === 0))
          break;
        const remove = known ? [.../* @__PURE__ */ new Set([...sync.remove, ...view.orphaned])].filter((t) => !keep.has(t) && !view.claimed.has(t)) : sync.remove;
        recorded = !retiring;
        remember(await client.patchNodeStatus(buildStatusPatch({ ...sync, remove }, clock.now(), ownKey, known ? view.over : [], retiring), signal));
      }
    }
  });
  const queue = createEventQueue({
    client,
    correlator: createEventCorrelator({ clock }),
    clock,
    random,
    capacity: options.eventQueueCapacity ?? 1e3,
    retryMaxMs,
    telemetry,
    logger
  });
  const toEvent = (source, e) => ({
    // An event about a Pod lives in the Pod's namespace (apiserver validation), so `kubectl describe pod` shows it.
    metadata: { namespace: e.pod?.namespace ?? namespace },
    involvedObject: e.pod ? { kind: "Pod", name: e.pod.name, namespace: e.pod.namespace, uid: e.pod.uid, apiVersion: "v1" } : {
      kind: "Node",
      name: options.nodeName,
      apiVersion: "v1",
      // Before the Node was read, its name stands in for the UID, as NPD did; `kubectl describe
      // node` looks events up by either.
      uid: node?.uid ?? options.nodeName,
      // apiserver validation: a non-default event namespace must match the object's.
      ...namespace !== "default" ? { namespace } : {}
    },
    reason: e.reason,
    message: e.message,
    type: e.severity === "warn" ? "Warning" : "Normal",
    source: { component: source, host: options.nodeName },
    reportingComponent: source,
    reportingInstance: options.nodeName
  });
  const readNodeConditions = async () => {
    let n;
    try {
      n = readAtStart ?? await client.getNode(stopper.signal);
      readAtStart = void 0;
    } catch (err) {
      logger.warn("cannot read the node conditions", { error: errorMessage(err) });
      return void 0;
    }
    remember(n);
    const owned = /* @__PURE__ */ new Set([...answerable(n), ...declared]);
    const mine = (n.status?.conditions ?? []).filter((c) => owned.has(c.type)).map(fromWire);
    store.seed(mine, answerable(n));
    return mine;
  };
  return {
    name: "kubernetes",
    setMonitors(monitors) {
      declared = [...new Set(monitors.flatMap((m) => m.conditions.map((c) => c.type)))];
      store.setOwned(declared);
    },
    export(status) {
      if (options.updateConditions !== false && status.conditions.length > 0)
        store.update(status.conditions);
      if (options.writeEvents !== false)
        for (const e of status.events)
          queue.push(toEvent(status.source, e));
    },
    healthy: () => store.healthy(),
    async start(signal, adopt) {
      const jitter = Math.floor((options.startJitterMs ?? 1e4) * random());
      if (jitter > 0)
        await clock.sleep(jitter, signal).catch(() => void 0);
      if (signal.aborted)
        return;
      const deadline = clock.now() + (options.waitTimeoutMs ?? 3e5);
      for (; ; ) {
        try {
          const n = await client.getNode(signal, true);
          readAtStart = n;
          remember(n);
          store.seed([], answerable(n));
          logger.info("node found", { node: options.nodeName });
          break;
        } catch (err) {
          if (signal.aborted)
            return;
          if (clock.now() >= deadline) {
            logger.warn("node not readable before the wait timeout; continuing", { node: options.nodeName, error: errorMessage(err) });
            break;
          }
          logger.info("waiting for the node", { node: options.nodeName, error: errorMessage(err) });
          await clock.sleep(options.waitIntervalMs ?? 5e3, signal).catch(() => void 0);
          if (signal.aborted)
            return;
        }
      }
      if (adopt && readAtStart) {
        const onNode = await readNodeConditions();
        if (onNode)
          await adopt(onNode);
        if (signal.aborted)
          return;
      }
      const run = AbortSignal.any([signal, stopper.signal]);
      running = true;
      if (options.updateConditions !== false)
        void store.run(run);
      if (options.writeEvents !== false)
        void queue.run(run);
    },
    readNodeConditions,
    currentConditions: () => store.current(),
    async stop() {
      stopper.abort();
      retiring = true;
      if (running && options.updateConditions !== false)
        await store.flush(AbortSignal.timeout(2e3));
      if (recorded) {
        const retire = { metadata: { annotations: { [ownKey]: recordValue([.../* @__PURE__ */ new Set([...declared, ...store.current().map((c) => c.type)])].sort(), "retired") } } };
        await client.patchNodeStatus(retire, AbortSignal.timeout(2e3)).catch((err) => logger.warn("cannot retire the ownership record", { error: errorMessage(err) }));
        recorded = false;
      }
      running = false;
      transport?.close();
    }
  };
}
export {
  buildStatusPatch,
  createKubernetesExporter,
  loadConnection,
  ownedConditionsAnnotation,
  parseRecords,
  recordKey,
  resolveNodeName
};
