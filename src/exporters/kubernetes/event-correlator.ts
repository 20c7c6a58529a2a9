/**
 * client-go's event correlator (tools/record/events_cache.go) with its numbers, on an injected clock:
 * 1. aggregate: 10 events with the same source/object/type/reason but different messages within
 *    10 minutes (sliding) become one `(combined from similar events): …` event;
 * 2. observe: an identical event (same key incl. message) bumps `count` and is sent as a PATCH of
 *    `{count, lastTimestamp, message}` on the event already created;
 * 3. spam filter: a token bucket (burst 25, 1 token per 5 min) per key. Differs from client-go: the
 *    key includes the reason, so a TaskHung storm from kernel-monitor cannot silence its OOMKilling.
 * Every cache is an LRU of 4096 entries, so memory is bounded whatever the input.
 */
import type { Clock } from '../../core/clock.js';
import type { WireEvent } from '../../kube/wire-types.js';

/** client-go's constants. */
export const correlatorDefaults = {
  maxLruCacheEntries: 4096,
  aggregateMaxEvents: 10,
  aggregateIntervalMs: 600_000,
  spamBurst: 25,
  spamRefillMs: 300_000,
} as const;

/** The apiserver's limit on an event message. */
export const maxEventMessageLength = 1024;

/** What to do with one event. */
export type Correlation =
  | { readonly action: 'skip' }
  | { readonly action: 'create'; readonly event: WireEvent }
  | { readonly action: 'patch'; readonly event: WireEvent; readonly patch: { count: number; lastTimestamp: string; message: string } };

/** The correlator. */
export interface EventCorrelator {
  /** Decides how `event` goes to the apiserver (its `name`, `count`, timestamps are filled in). */
  correlate(event: WireEvent): Correlation;
  /** Records what the apiserver stored, so later duplicates patch the right object. */
  updateState(stored: WireEvent): void;
}

/** A least-recently-used map with a fixed capacity. */
export class LruMap<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  /** The most recently used key: touching it again needs no reordering (a storm repeats one key). */
  #newest: K | undefined;
  constructor(max: number) {
    this.#max = max;
  }
  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined && key !== this.#newest) {
      this.#map.delete(key);
      this.#map.set(key, v);
      this.#newest = key;
    }
    return v;
  }
  set(key: K, value: V): void {
    if (key !== this.#newest) this.#map.delete(key);
    this.#map.set(key, value);
    this.#newest = key;
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
  }
  get size(): number {
    return this.#map.size;
  }
}

/** Cuts a message to the apiserver's limit. */
export function cutMessage(message: string): string {
  return message.length <= maxEventMessageLength ? message : `${message.slice(0, maxEventMessageLength - 3)}...`;
}

/** metav1.Time as the apiserver stores it: RFC 3339, whole seconds. */
export function formatTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastFormatted = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastFormatted;
}
// formatTime's memo: a flood formats the same second thousands of times.
let lastSecond = NaN;
let lastFormatted: string;

const objectKey = (e: WireEvent): string[] => {
  const o = e.involvedObject;
  return [e.source?.component ?? '', e.source?.host ?? '', o.kind ?? '', o.namespace ?? '', o.name ?? '', o.uid ?? '', o.apiVersion ?? ''];
};

/** client-go's getEventKey: everything identifying an event, message included. */
export function eventKey(e: WireEvent): string {
  return JSON.stringify([...objectKey(e), e.involvedObject.fieldPath ?? '', e.type ?? '', e.reason ?? '', e.message ?? '']);
}

/** Options of {@link createEventCorrelator}. */
export interface EventCorrelatorOptions {
  readonly clock: Clock;
  /** Overrides client-go's constants (tests). */
  readonly limits?: Partial<Record<keyof typeof correlatorDefaults, number>>;
}

interface Logged {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion: string | undefined;
}

/** Creates a correlator with client-go's behaviour (see the file comment). */
export function createEventCorrelator(options: EventCorrelatorOptions): EventCorrelator {
  const { clock } = options;
  const lim = { ...correlatorDefaults, ...options.limits };
  const aggregates = new LruMap<string, { messages: Set<string>; last: number }>(lim.maxLruCacheEntries);
  const logged = new LruMap<string, Logged>(lim.maxLruCacheEntries);
  const buckets = new LruMap<string, { tokens: number; at: number }>(lim.maxLruCacheEntries);
  let seq = 0;

  const takeToken = (key: string, now: number): boolean => {
    const b = buckets.get(key) ?? { tokens: lim.spamBurst, at: now };
    b.tokens = Math.min(lim.spamBurst, b.tokens + (now - b.at) / lim.spamRefillMs);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };

  /** The keys of the last event correlated: a storm repeats one event, and building keys is most of the cost. */
  let memo: { parts: (string | undefined)[]; agg: string; event: string; spam: string } | undefined;
  const keysOf = (e: WireEvent): { agg: string; event: string; spam: string } => {
    const object = objectKey(e);
    // As given: an empty field and a missing one only miss the memo (the keys below treat them alike).
    const parts = [...object, e.involvedObject.fieldPath, e.type, e.reason, e.reportingComponent, e.reportingInstance, e.message];
    if (memo !== undefined && memo.parts.every((p, i) => p === parts[i])) return memo;
    memo = {
      parts,
      agg: JSON.stringify([...object, e.type ?? '', e.reason ?? '', e.reportingComponent ?? '', e.reportingInstance ?? '']),
      event: eventKey(e),
      spam: JSON.stringify([...object, e.type ?? '', e.reason ?? '']),
    };
    return memo;
  };

  const name = (objectName: string, now: number): string =>
    `${objectName}.${(BigInt(now) * 1_000_000n + BigInt(seq++ % 1_000_000)).toString(16)}`;

  return {
    correlate(input) {
      const now = clock.now();
      const ts = formatTime(now);
      let message = cutMessage(input.message ?? '');
      let event: WireEvent = { ...input, message };
      const keys = keysOf(event);
      // 1. aggregate similar events (same everything but the message).
      const aggKey = keys.agg;
      let record = aggregates.get(aggKey);
      if (record === undefined || now - record.last > lim.aggregateIntervalMs) record = { messages: new Set(), last: now };
      record.messages.add(message);
      record.last = now;
      aggregates.set(aggKey, record);
      let cacheKey = keys.event;
      if (record.messages.size >= lim.aggregateMaxEvents) {
        const first = record.messages.values().next().value as string;
        record.messages.delete(first);
        const { reportingComponent: _c, reportingInstance: _i, ...rest } = event;
        message = cutMessage(`(combined from similar events): ${message}`);
        event = {
          ...rest,
          metadata: { namespace: event.metadata.namespace },
          count: 1,
          firstTimestamp: ts,
          lastTimestamp: ts,
          message,
        };
        cacheKey = aggKey;
      }
      // 2. observe: duplicates count up on the event already sent.
      const seen = logged.get(cacheKey);
      let result: Correlation;
      if (seen !== undefined) {
        seen.count += 1;
        event = {
          ...event,
          metadata: { ...event.metadata, name: seen.name, ...(seen.resourceVersion ? { resourceVersion: seen.resourceVersion } : {}) },
          count: seen.count,
          firstTimestamp: seen.firstTimestamp,
          lastTimestamp: ts,
        };
        result = { action: 'patch', event, patch: { count: seen.count, lastTimestamp: ts, message } };
      } else {
        event = { ...event, metadata: { ...event.metadata, name: name(event.involvedObject.name ?? '', now) }, count: 1, firstTimestamp: ts, lastTimestamp: ts };
        logged.set(cacheKey, { count: 1, firstTimestamp: ts, name: event.metadata.name as string, resourceVersion: undefined });
        result = { action: 'create', event };
      }
      // 3. spam filter, after the count went up so the next PATCH carries the true total.
      return takeToken(keys.spam, now) ? result : { action: 'skip' };
    },
    updateState(stored) {
      if (!stored.metadata?.name) return;
      logged.set(eventKey(stored), {
        count: stored.count ?? 1,
        firstTimestamp: stored.firstTimestamp ?? '',
        name: stored.metadata.name,
        resourceVersion: stored.metadata.resourceVersion,
      });
    },
  };
}
