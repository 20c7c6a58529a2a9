/**
 * Decides what the Node's conditions should be and when to send them (NPD's condition manager,
 * without its 1 s poll): the newest condition per type, what differs from what the apiserver last
 * accepted, and a wake-up only when there is something to do — a change (after a short coalescing
 * delay), a retry after a failure (backoff with jitter), or the heartbeat. Sending is a function
 * passed in, so the store is tested with a manual clock and a recorder. Memory is bounded by the
 * number of condition types; nothing is ever dropped: after an outage the next sync carries the
 * current state.
 */
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Condition } from '../../core/problem.js';
import { calculateRetryDelay } from '../../core/retry-delay.js';

/** One sync: what to write on the Node. */
export interface ConditionSync {
  /** Every condition this agent currently holds (its owned ones), newest per type. */
  readonly conditions: readonly Condition[];
  /** Types this agent set earlier and no longer owns: delete them from the Node (NPD #423). */
  readonly remove: readonly string[];
  /** Types this agent owns now, to record on the Node. */
  readonly owned: readonly string[];
}

/** Writes one sync to the apiserver; throws when it did not land. */
export type ConditionSink = (sync: ConditionSync, signal: AbortSignal) => Promise<void>;

/** Options of {@link createConditionStore}. */
export interface ConditionStoreOptions {
  readonly clock: Clock;
  /** Returns [0, 1), for jitter. */
  readonly random: () => number;
  readonly sink: ConditionSink;
  /**
   * Forced re-send of the current state (NPD's --k8s-exporter-heartbeat-period), jittered to 100–110 %
   * of the period: never more often than the period (NPD syncs when the period has passed), spread
   * across a fleet. @default 300000
   */
  readonly heartbeatMs?: number;
  /** Wait after a change so a burst of updates becomes one PATCH. @default 15 */
  readonly coalesceMs?: number;
  /** First retry delay after a failed sync. @default 1000 */
  readonly retryBaseMs?: number;
  /** Longest retry delay. @default 30000 */
  readonly retryMaxMs?: number;
  readonly logger?: Logger;
}

/** The condition store. */
export interface ConditionStore {
  /** A monitor's current conditions; the newest per type wins. */
  update(conditions: readonly Condition[]): void;
  /** The condition types the running monitors own; types dropped from here are removed from the Node. */
  setOwned(types: readonly string[]): void;
  /**
   * What the Node already has: its conditions of types this agent owns and the owned-types record.
   * They count as sent, so nothing is re-sent (no flip to defaults, NPD #304) until a monitor reports.
   */
  seed(onNode: readonly Condition[], ownedOnNode: readonly string[]): void;
  /** The conditions held now, sorted by type (for `/conditions`). */
  current(): Condition[];
  /**
   * At shutdown, after the run was aborted: waits for the sync it was sending, then sends once now if
   * anything is unsent (an aborted sync counts as unsent); errors are logged, not thrown.
   */
  flush(signal: AbortSignal): Promise<void>;
  /** Runs syncs until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** False while syncs have failed for longer than twice the heartbeat. */
  healthy(): boolean;
}

const same = (a: Condition, b: Condition | undefined): boolean =>
  b !== undefined && a.status === b.status && a.reason === b.reason &&
  a.message === b.message && a.transition.getTime() === b.transition.getTime();

/**
 * By type, in UTF-16 code-unit order: the same on every node. `localeCompare` would load ICU's
 * collator, 2.8 MiB of RSS in the agent for sorting a few ASCII names (README, Performance).
 * Types are unique (map keys), so two are never equal.
 */
const byType = (a: Condition, b: Condition): number => (a.type < b.type ? -1 : 1);

/** Creates a condition store. */
export function createConditionStore(options: ConditionStoreOptions): ConditionStore {
  const { clock, random, sink } = options;
  const logger = options.logger ?? silentLogger;
  const heartbeatMs = options.heartbeatMs ?? 300_000;
  const coalesceMs = options.coalesceMs ?? 15;
  const state = new Map<string, Condition>();
  /** What the apiserver last accepted (or what the Node had at seed). */
  const acked = new Map<string, Condition>();
  let declared: Set<string> | undefined;
  let ownedOnNode = new Set<string>();
  let dirtySince: number | undefined;
  let failures = 0;
  let failingSince: number | undefined;
  let retryAt = 0;
  let heartbeatAt = Infinity;
  let wake: (() => void) | undefined;
  /** The sync the run loop is sending: a flush at shutdown waits for it before deciding. */
  let sending: Promise<void> | undefined;

  const owned = (monitors: ReadonlySet<string>): Set<string> => new Set([...monitors, ...state.keys()]);
  const stale = (): string[] => {
    if (declared === undefined) return []; // never remove before the monitors are known
    const keep = owned(declared);
    return [...new Set([...ownedOnNode, ...acked.keys()])].filter((t) => !keep.has(t)).sort();
  };
  // With nothing stale, the owned-types record is a subset of what is owned: a new type makes it smaller.
  const isDirty = (): boolean =>
    [...state].some(([t, c]) => !same(c, acked.get(t))) || stale().length > 0 || (declared !== undefined && owned(declared).size !== ownedOnNode.size);
  const markDirty = (): void => {
    if (dirtySince === undefined && isDirty()) dirtySince = clock.now();
    wake?.();
  };
  const nextHeartbeat = (now: number): number => now + Math.round(heartbeatMs * (1 + 0.1 * random()));

  const dueAt = (): number => {
    if (failures > 0) return retryAt;
    if (dirtySince !== undefined) return dirtySince + coalesceMs;
    return state.size > 0 ? heartbeatAt : Infinity;
  };

  const syncOnce = async (signal: AbortSignal): Promise<void> => {
    const sync: ConditionSync = {
      conditions: [...state.values()].sort(byType),
      remove: stale(),
      owned: [...(declared === undefined ? owned(ownedOnNode) : owned(declared))].sort(),
    };
    dirtySince = undefined;
    try {
      await sink(sync, signal);
    } catch (err) {
      // Not landed: still to send (a PATCH aborted at shutdown is sent again by the flush).
      dirtySince ??= clock.now();
      if (signal.aborted) return;
      failures++;
      failingSince ??= clock.now();
      retryAt = clock.now() + calculateRetryDelay({ attempt: failures, baseMs: options.retryBaseMs ?? 1000, maxMs: options.retryMaxMs ?? 30_000, random });
      logger.warn('node condition sync failed; will retry', { error: errorMessage(err), failures });
      return;
    }
    if (failures > 0) logger.info('node condition sync recovered', { failures });
    failures = 0;
    failingSince = undefined;
    for (const c of sync.conditions) acked.set(c.type, c);
    for (const t of sync.remove) acked.delete(t);
    ownedOnNode = new Set(sync.owned);
    heartbeatAt = nextHeartbeat(clock.now());
    // Updates that arrived while the request was in flight make it dirty again.
    if (isDirty()) dirtySince = clock.now();
  };

  return {
    update(conditions) {
      for (const c of conditions) state.set(c.type, c);
      markDirty();
    },
    setOwned(types) {
      declared = new Set(types);
      for (const t of [...state.keys()]) if (!declared.has(t)) state.delete(t);
      markDirty();
    },
    seed(onNode, ownedRecord) {
      for (const c of onNode) acked.set(c.type, c);
      ownedOnNode = new Set(ownedRecord);
      heartbeatAt = nextHeartbeat(clock.now());
      dirtySince = undefined;
      markDirty();
    },
    current: () => [...state.values()].sort(byType),
    async flush(signal) {
      await sending;
      if (dirtySince !== undefined) await syncOnce(signal);
    },
    async run(signal) {
      while (!signal.aborted) {
        const wait = dueAt() - clock.now();
        if (wait <= 0) {
          sending = syncOnce(signal);
          await sending;
          sending = undefined;
          continue;
        }
        const stop = new AbortController();
        const woken = new Promise<void>((resolve) => (wake = resolve));
        const onAbort = (): void => stop.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        const timers: Promise<unknown>[] = [woken];
        if (Number.isFinite(wait)) timers.push(clock.sleep(wait, stop.signal).catch(() => undefined));
        else timers.push(new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true })));
        await Promise.race(timers);
        wake = undefined;
        stop.abort();
        signal.removeEventListener('abort', onAbort);
      }
    },
    healthy: () => failingSince === undefined || clock.now() - failingSince < 2 * heartbeatMs,
  };
}
