/**
 * The test apiserver without sockets, for the fleet simulation (bench/fleet.ts): the same resources,
 * patch semantics and validation (answerRequest of test-apiserver-routes.ts) and the same admission
 * model, reached through an {@link ApiTransport} per node instead of HTTPS. What is swapped is only
 * the wire: the request body is serialised and parsed as on the wire, and the answer is decoded by
 * the production transport's own decodeAnswer, so the agent's node client, back-off gate, condition
 * store and event queue see exactly the answers and errors they would over HTTPS. Why: 5,000 TLS
 * connections in one process cost seconds of handshakes and ~100 KiB each, and real sockets cannot
 * be driven by a virtual clock (an hour of fleet time must run in seconds, deterministically).
 */
import type { Clock } from '../../src/core/clock.js';
import { NetworkError } from '../../src/core/errors.js';
import { decodeAnswer, type ApiRequest, type ApiTransport } from '../../src/kube/api-transport.js';
import { createAdmission, type Admission, type AdmissionOptions } from './test-apiserver-admission.js';
import { answerRequest, isListOrWatch, type ApiState } from './test-apiserver-routes.js';
import { statusBody } from './test-apiserver-validation.js';

/** One request as the in-process apiserver saw it (given to listeners). */
export interface SeenRequest {
  readonly at: number;
  readonly node: string;
  readonly req: ApiRequest;
  /** The answer's status, or -1 for a refused connection. */
  readonly status: number;
  /** The answer's body (the stored object after a write). */
  readonly body: unknown;
}

/** An apiserver in this process. */
export interface InProcessApiserver {
  readonly state: ApiState;
  readonly admission: Admission;
  /** A transport for the agent of `node` (the name only labels requests). */
  transport(node: string): ApiTransport;
  /** Adds a Node as the real addNode does. */
  addNode(node: Record<string, any>): void;
  /** Refuses connections until {@link up}. */
  down(): void;
  up(): void;
  /** Calls `fn` after each request is answered. */
  onAnswer(fn: (r: SeenRequest) => void): void;
  /** Requests by `verb resource`, 429s, and LIST/WATCH requests. */
  readonly counts: { byVerb: Map<string, number>; tooMany: number; listWatch: number; refused: number };
}

/** Creates an in-process apiserver on `clock`. */
export function createInProcessApiserver(options: AdmissionOptions): InProcessApiserver {
  const { clock } = options;
  const admission = createAdmission(options);
  const state: ApiState = { tokens: new Set(), clientCertAuth: true, nodes: new Map(), events: new Map(), pods: new Map(), rv: 1, faults: [], requests: [], uid: 0, listeners: [] };
  const listeners: ((r: SeenRequest) => void)[] = [];
  const counts = { byVerb: new Map<string, number>(), tooMany: 0, listWatch: 0, refused: 0 };
  let up = true;

  const serve = async (req: ApiRequest): Promise<[number, unknown, string | undefined]> => {
    const url = new URL(req.path, 'https://127.0.0.1');
    const key = `${req.verb} ${req.resource}`;
    counts.byVerb.set(key, (counts.byVerb.get(key) ?? 0) + 1);
    if (isListOrWatch({ method: req.method, path: url.pathname, query: url.searchParams.toString() } as never)) counts.listWatch++;
    const mutating = req.method !== 'GET';
    if (!admission.enter(mutating)) {
      counts.tooMany++;
      return [429, statusBody(429, 'TooManyRequests', 'Too many requests, please try again later.'), '1'];
    }
    try {
      await admission.serve();
      // As on the wire: the body travels as JSON text.
      const body = req.body === undefined ? undefined : JSON.parse(JSON.stringify(req.body));
      const [status, out] = answerRequest(state, req.method, url, req.contentType ?? 'application/json', body);
      return [status, out, undefined];
    } finally {
      admission.leave(mutating);
    }
  };

  return {
    state,
    admission,
    counts,
    transport(node) {
      return {
        async request<T>(req: ApiRequest): Promise<T> {
          const what = `${req.method} ${req.path}`;
          if (!up) {
            counts.refused++;
            for (const l of listeners) l({ at: clock.now(), node, req, status: -1, body: undefined });
            throw new NetworkError(`${what}: connect ECONNREFUSED 127.0.0.1:6443`);
          }
          const [status, body, retryAfter] = await serve(req);
          for (const l of listeners) l({ at: clock.now(), node, req, status, body });
          const answer = decodeAnswer(what, status, retryAfter, JSON.stringify(body), clock.now());
          if (!answer.ok) throw answer.error;
          return answer.value as T;
        },
        close() {},
      };
    },
    addNode(node) {
      const n = structuredClone(node);
      n['metadata'].uid ??= `00000000-0000-4000-8000-${String(++state.uid).padStart(12, '0')}`;
      n['metadata'].resourceVersion = String(++state.rv);
      state.nodes.set(n['metadata'].name, n);
    },
    down: () => void (up = false),
    up: () => void (up = true),
    onAnswer: (fn) => void listeners.push(fn),
  };
}
