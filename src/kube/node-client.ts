/**
 * The API calls of the Kubernetes exporter, and nothing else: GET its own Node, PATCH the Node's
 * status (strategic merge), create and patch core/v1 Events. Never LIST or WATCH. Each call is
 * retried a few times with backoff and jitter on network errors, 5xx, 429 (Retry-After wins) and
 * 409; what still fails is thrown to the caller, which decides (the condition store re-syncs later).
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

  const call = async <T>(req: ApiRequest, signal: AbortSignal | undefined, conflicts = false): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await transport.request<T>(req, signal);
      } catch (err) {
        if (!isRetryable(err, conflicts) || attempt >= attempts || signal?.aborted) throw err;
        const delay = calculateRetryDelay({
          attempt,
          baseMs: options.baseDelayMs ?? 200,
          maxMs: options.maxDelayMs ?? 10_000,
          retryAfterMs: err instanceof ApiError ? err.retryAfterMs : undefined,
          random,
        });
        await clock.sleep(delay, signal);
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
