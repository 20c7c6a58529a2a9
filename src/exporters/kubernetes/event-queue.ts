/**
 * The bounded queue between monitors and the apiserver for Events. An event is correlated when it
 * is pushed (so spam never takes a slot); queued updates of the same Event object are merged (only
 * the newest count matters); when the queue is full the oldest entry is dropped and counted
 * (telemetry `eventDropped('queue-full')`). One worker sends in order. As client-go's recorder: a
 * PATCH answered 404 becomes a create; an answer with an HTTP status is final (dropped as
 * `rejected`); network failures are retried up to 12 tries with backoff.
 */
import type { Clock } from '../../core/clock.js';
import { ApiError, errorMessage } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { calculateRetryDelay } from '../../core/retry-delay.js';
import { noopTelemetry, type Telemetry } from '../../core/telemetry.js';
import type { EventCorrelator } from './event-correlator.js';
import type { NodeClient } from '../../kube/node-client.js';
import type { WireEvent } from '../../kube/wire-types.js';

/** Options of {@link createEventQueue}. */
export interface EventQueueOptions {
  readonly client: NodeClient;
  readonly correlator: EventCorrelator;
  readonly clock: Clock;
  readonly random: () => number;
  /** Entries held at most (client-go's maxQueuedEvents). @default 1000 */
  readonly capacity?: number;
  /** Longest wait between tries. @default 30000 */
  readonly retryMaxMs?: number;
  /** Tries per event (client-go's maxTriesPerEvent). @default 12 */
  readonly maxTries?: number;
  readonly telemetry?: Telemetry;
  readonly logger?: Logger;
}

/** The queue. */
export interface EventQueue {
  /** Correlates and enqueues; returns at once. */
  push(event: WireEvent): void;
  /** Entries waiting. */
  size(): number;
  /** Sends until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

interface Entry {
  event: WireEvent;
  /** The PATCH of an Event already created; undefined for a create. */
  patch: { count: number; lastTimestamp: string; message: string } | undefined;
  tries: number;
}

/** Creates the event queue. */
export function createEventQueue(options: EventQueueOptions): EventQueue {
  const { client, correlator, clock, random } = options;
  const capacity = options.capacity ?? 1000;
  const maxTries = options.maxTries ?? 12;
  const telemetry = options.telemetry ?? noopTelemetry;
  const logger = options.logger ?? silentLogger;
  const queue: Entry[] = [];
  const byName = new Map<string, Entry>();
  let wake: (() => void) | undefined;

  const keyOf = (e: WireEvent): string => `${e.metadata.namespace ?? ''}/${e.metadata.name ?? ''}`;
  const remove = (entry: Entry): void => {
    if (byName.get(keyOf(entry.event)) === entry) byName.delete(keyOf(entry.event));
  };

  const send = async (entry: Entry, signal: AbortSignal): Promise<WireEvent> => {
    const ns = entry.event.metadata.namespace ?? 'default';
    if (entry.patch) {
      try {
        return await client.patchEvent(ns, entry.event.metadata.name ?? '', entry.patch, signal);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
    }
    const { resourceVersion: _rv, ...metadata } = entry.event.metadata;
    return client.createEvent(ns, { ...entry.event, metadata }, signal);
  };

  return {
    push(input) {
      const c = correlator.correlate(input);
      if (c.action === 'skip') {
        telemetry.eventDropped('spam-filter');
        return;
      }
      // Only a patch can find its object waiting (a create names a new one).
      const queued = byName.get(keyOf(c.event));
      if (queued !== undefined && c.action === 'patch') {
        // The object is already waiting: carry the newer count instead of a second request.
        queued.event = { ...queued.event, count: c.event.count, lastTimestamp: c.event.lastTimestamp, message: c.event.message };
        if (queued.patch) queued.patch = c.patch;
        return;
      }
      if (queue.length >= capacity) {
        const dropped = queue.shift() as Entry;
        remove(dropped);
        telemetry.eventDropped('queue-full');
      }
      const entry: Entry = { event: c.event, patch: c.action === 'patch' ? c.patch : undefined, tries: 0 };
      queue.push(entry);
      byName.set(keyOf(c.event), entry);
      wake?.();
    },
    size: () => queue.length,
    async run(signal) {
      let failures = 0;
      while (!signal.aborted) {
        const entry = queue[0];
        if (entry === undefined) {
          // The listener goes with the wait: one left per idle spell would pile up on the agent's signal.
          let onAbort = (): void => undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            onAbort = resolve;
            signal.addEventListener('abort', onAbort, { once: true });
          });
          signal.removeEventListener('abort', onAbort);
          wake = undefined;
          continue;
        }
        entry.tries++;
        // In flight: later duplicates queue a new PATCH instead of merging into this one.
        remove(entry);
        try {
          const stored = await send(entry, signal);
          correlator.updateState(stored);
          failures = 0;
          if (queue[0] === entry) queue.shift();
        } catch (err) {
          if (signal.aborted) return;
          if (err instanceof ApiError || entry.tries >= maxTries) {
            // client-go: an answer with a status is final; only the network is retried.
            if (queue[0] === entry) queue.shift();
            telemetry.eventDropped('rejected');
            logger.warn('event not recorded', { reason: entry.event.reason, error: errorMessage(err) });
            continue;
          }
          failures++;
          await clock.sleep(calculateRetryDelay({ attempt: failures, baseMs: 1000, maxMs: options.retryMaxMs ?? 30_000, random }), signal).catch(() => undefined);
        }
      }
    },
  };
}
