/**
 * The API calls of the Kubernetes exporter, and nothing else: GET its own Node, PATCH the Node's
 * status (strategic merge), create and patch core/v1 Events. Never LIST or WATCH. Each call is
 * retried a few times on network errors, 5xx, 429 and 409; what still fails is thrown to the caller,
 * which decides (the condition store re-syncs later).
 *
 * One back-off gate is shared by every call of a client (the condition store's and the event
 * queue's): once the apiserver failed (network, 5xx, 429) every call waits until the gate opens —
 * `Retry-After` times 1 to 2 (jittered, so a fleet told "1 s" does not come back in the same
 * millisecond), else an exponential delay with jitter — and then a single call probes while the
 * others wait for its outcome. So an outage costs one request per back-off step per node, however
 * many callers and retries are waiting, and a 429 slows the whole node down, not one call.
 */
import type { Clock } from '../core/clock.js';
import { ApiError, NetworkError } from '../core/errors.js';
import { calculateRetryDelay } from '../core/retry-delay.js';
import type { ApiRequest, ApiTransport } from './api-transport.js';
import type { WireEvent, WireNode } from './wire-types.js';

/** Content type of a strategic merge patch: merges `status.conditions` by `type`. */
export const strategicMergePatch = 'application/strategic-merge-patch+json';

/** The calls the exporter makes. Tests replace it with a recorder. */
export interface NodeClient {
  readonly nodeName: string;
  /**
   * GET /api/v1/nodes/{name}. `cached` adds `resourceVersion=0` (served from the apiserver's watch
   * cache, as NPD's startup wait does); otherwise a quorum read.
   */
  getNode(signal?: AbortSignal, cached?: boolean): Promise<WireNode>;
  /** PATCH /api/v1/nodes/{name}/status with a strategic merge patch; returns the Node. */
  patchNodeStatus(patch: object, signal?: AbortSignal): Promise<WireNode>;
  /** POST /api/v1/namespaces/{ns}/events. */
  createEvent(namespace: string, event: WireEvent, signal?: AbortSignal): Promise<WireEvent>;
  /** PATCH /api/v1/namespaces/{ns}/events/{name} (strategic merge), as client-go's recorder does. */
  patchEvent(namespace: string, name: string, patch: object, signal?: AbortSignal): Promise<WireEvent>;
}

/** Options of {@link createNodeClient}. */
export interface NodeClientOptions {
  readonly transport: ApiTransport;
  readonly nodeName: string;
  readonly clock: Clock;
  /** Returns [0, 1), for jitter. */
  readonly random: () => number;
  /** Tries per call, the first included. @default 4 */
  readonly attempts?: number;
  /** First backoff. @default 200 */
  readonly baseDelayMs?: number;
  /** Longest backoff (and longest Retry-After honoured). @default 10000 */
  readonly maxDelayMs?: number;
}

/** Whether an error says the apiserver is away or overloaded (so every call should back off). */
export function isUnavailable(err: unknown): boolean {
  return err instanceof NetworkError || (err instanceof ApiError && (err.status >= 500 || err.status === 429));
}

/**
 * Whether an error is worth retrying the same call: the network, 5xx, 429, and 409 when
 * `conflicts` (a status patch carries no resourceVersion, so re-applying it is the re-read-and-apply;
 * an Event create answered 409 AlreadyExists is not retried).
 */
export function isRetryable(err: unknown, conflicts = true): boolean {
  if (err instanceof NetworkError) return true;
  if (err instanceof ApiError) return err.status >= 500 || err.status === 429 || (conflicts && err.status === 409);
  return false;
}

/** Creates the client over `transport`. */
export function createNodeClient(options: NodeClientOptions): NodeClient {
  const { transport, clock, random } = options;
  const attempts = options.attempts ?? 4;
  const node = encodeURIComponent(options.nodeName);

  const baseMs = options.baseDelayMs ?? 200;
  const maxMs = options.maxDelayMs ?? 10_000;
  /** The gate: consecutive unavailable answers, when calls may go again, the probe in flight. */
  let failures = 0;
  let openAt = 0;
  let probing: Promise<void> | undefined;

  /** Waits until this call may send; returns a function to call when it is done if it is the probe. */
  const passGate = async (signal: AbortSignal | undefined): Promise<(() => void) | undefined> => {
    for (;;) {
      const wait = openAt - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      else if (failures > 0 && probing !== undefined) await probing;
      else if (failures === 0) return undefined;
      else {
        // Claimed synchronously: callers woken in the same tick find the probe taken.
        let done!: () => void;
        probing = new Promise<void>((resolve) => (done = resolve));
        return () => {
          probing = undefined;
          done();
        };
      }
    }
  };

  const closeGate = (err: unknown): void => {
    failures++;
    const retryAfterMs = err instanceof ApiError ? err.retryAfterMs : undefined;
    // Jitter first, cap after: at the cap every node waits the cap, each at its own phase.
    const delay = retryAfterMs !== undefined
      ? Math.round(retryAfterMs * (1 + random()))
      : calculateRetryDelay({ attempt: failures, baseMs, maxMs: 2 * maxMs, random });
    openAt = Math.max(openAt, clock.now() + Math.min(maxMs, delay));
  };

  const call = async <T>(req: ApiRequest, signal: AbortSignal | undefined, conflicts = false): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const probed = await passGate(signal);
      try {
        const answer = await transport.request<T>(req, signal);
        failures = 0;
        return answer;
      } catch (err) {
        if (signal?.aborted) throw err;
        if (isUnavailable(err)) closeGate(err);
        if (!isRetryable(err, conflicts) || attempt >= attempts) throw err;
        // A conflict: re-apply soon; the gate already holds the unavailable cases.
        if (!isUnavailable(err)) await clock.sleep(calculateRetryDelay({ attempt, baseMs, maxMs, random }), signal);
      } finally {
        probed?.();
      }
    }
  };

  return {
    nodeName: options.nodeName,
    getNode: (signal, cached) =>
      call<WireNode>({ method: 'GET', path: `/api/v1/nodes/${node}${cached ? '?resourceVersion=0' : ''}`, verb: 'get', resource: 'nodes' }, signal),
    patchNodeStatus: (patch, signal) =>
      call<WireNode>(
        { method: 'PATCH', path: `/api/v1/nodes/${node}/status`, body: patch, contentType: strategicMergePatch, verb: 'patch', resource: 'nodes/status' },
        signal,
        true,
      ),
    createEvent: (namespace, event, signal) =>
      call<WireEvent>(
        { method: 'POST', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, body: event, verb: 'create', resource: 'events' },
        signal,
      ),
    patchEvent: (namespace, name, patch, signal) =>
      call<WireEvent>(
        {
          method: 'PATCH',
          path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events/${encodeURIComponent(name)}`,
          body: patch,
          contentType: strategicMergePatch,
          verb: 'patch',
          resource: 'events',
        },
        signal,
      ),
  };
}
