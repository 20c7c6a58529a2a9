/** A NodeClient that records calls and can fail on demand, for unit tests of the exporter's parts. */
import { ApiError, NetworkError } from '../../../src/core/errors.js';
import type { NodeClient } from '../../../src/kube/node-client.js';
import type { WireEvent, WireNode } from '../../../src/kube/wire-types.js';

export interface RecordedCall {
  readonly call: 'getNode' | 'patchNodeStatus' | 'createEvent' | 'patchEvent';
  readonly args: unknown[];
  /** The time of the call, when the fake was given a clock. */
  readonly at: number | undefined;
}

export interface FakeNodeClient extends NodeClient {
  readonly calls: RecordedCall[];
  node: WireNode;
  /** Errors thrown by the next calls, in order. */
  readonly failures: Error[];
  /** While set, calls wait for this promise (or their signal's abort). */
  gate: Promise<void> | undefined;
}

export const networkDown = (): NetworkError => new NetworkError('connect ECONNREFUSED');
export const rejected = (status: number): ApiError => new ApiError(status, `rejected ${status}`);

export function createFakeNodeClient(nodeName = 'node-a', now?: () => number): FakeNodeClient {
  let seq = 0;
  const fake: FakeNodeClient = {
    nodeName,
    calls: [],
    failures: [],
    gate: undefined,
    node: { metadata: { name: nodeName, uid: 'uid-a', annotations: {} }, status: { conditions: [] } },
    getNode: (signal, cached) => step('getNode', [cached], () => structuredClone(fake.node), signal),
    patchNodeStatus: (patch, signal) => step('patchNodeStatus', [patch], () => structuredClone(fake.node), signal),
    createEvent: (ns, e, signal) =>
      step('createEvent', [ns, e], () => ({ ...e, metadata: { ...e.metadata, resourceVersion: String(++seq) } }), signal),
    patchEvent: (ns, name, patch, signal) =>
      step('patchEvent', [ns, name, patch], () => ({ metadata: { name, namespace: ns, resourceVersion: String(++seq) }, involvedObject: {} }) as WireEvent, signal),
  };
  async function step<T>(call: RecordedCall['call'], args: unknown[], ok: () => T, signal?: AbortSignal): Promise<T> {
    fake.calls.push({ call, args, at: now?.() });
    if (fake.gate) {
      await Promise.race([fake.gate, new Promise<never>((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))]);
    }
    const err = fake.failures.shift();
    if (err) throw err;
    return ok();
  }
  return fake;
}
