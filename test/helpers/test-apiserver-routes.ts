/**
 * Request handling of the test apiserver (see test-apiserver.ts): auth, faults, discovery, Nodes,
 * Events, Pods added by tests, and the validation of the real apiserver that the agent can trip over.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { PatchError } from './test-apiserver-patch.js';
import type { Admission } from './test-apiserver-admission.js';
import { routeRequest } from './test-apiserver-resources.js';
import { HttpError, statusBody } from './test-apiserver-validation.js';

/** A fault to inject. Matching faults are used in order; each applies `times` times (default 1). */
export interface Fault {
  /** Method to match, e.g. `PATCH`; any if unset. */
  readonly method?: string;
  /** Path to match: a RegExp, or a substring; any if unset. */
  readonly path?: RegExp | string;
  /** Answer with this status (409 Conflict, 429 TooManyRequests, 500, 503…). */
  readonly status?: number;
  /** With 429/503: the Retry-After header, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Wait this long before handling (slow apiserver). */
  readonly latencyMs?: number;
  /** Wait until this settles before handling (a slow apiserver on a test's own schedule). */
  readonly hold?: Promise<unknown>;
  /** Reset the connection instead of answering. */
  readonly reset?: boolean;
  times?: number;
}

/** One request as the server saw it. */
export interface LoggedRequest {
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly contentType: string | undefined;
  readonly userAgent: string | undefined;
  status: number;
  readonly body: unknown;
}

/** The server's state. */
export interface ApiState {
  tokens: Set<string>;
  clientCertAuth: boolean;
  nodes: Map<string, Record<string, any>>;
  /** `ns/name` → Pod (added by tests; read only by kubectl). */
  pods: Map<string, Record<string, any>>;
  /** `ns/name` → Event. */
  events: Map<string, Record<string, any>>;
  rv: number;
  faults: Fault[];
  requests: LoggedRequest[];
  uid: number;
  /** Called for every request once its body has been read (benchmarks time arrivals with it). */
  listeners: ((r: LoggedRequest) => void)[];
  /** API Priority and Fairness in small: a cap on mutating requests in flight and a service time. */
  admission?: Admission | undefined;
}

/** Whether a logged request is a LIST or WATCH (a GET of a collection, or `watch=`). */
export function isListOrWatch(r: LoggedRequest): boolean {
  if (r.method !== 'GET') return false;
  if (/(^|&)watch=(true|1)/.test(r.query) || r.path.includes('/watch/')) return true;
  const p = r.path.split('/').filter(Boolean);
  // /api/v1/<res> or /api/v1/namespaces/<ns>/<res>, /apis/<g>/<v>/<res>…
  const core = p[0] === 'api' ? p.slice(2) : p[0] === 'apis' ? p.slice(3) : [];
  if (core.length === 0) return false;
  if (core[0] === 'namespaces') return core.length === 3 || core.length === 1;
  return core.length === 1;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Handles one request: log, auth, faults, then the route. */
export async function handleRequest(state: ApiState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const text = await readBody(req).catch(() => '');
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  const entry: LoggedRequest = {
    time: Date.now(), method: req.method ?? 'GET', path: url.pathname, query: url.searchParams.toString(),
    contentType: req.headers['content-type'], userAgent: req.headers['user-agent'], status: 0, body,
  };
  state.requests.push(entry);
  for (const l of state.listeners) l(entry);
  const send = (code: number, obj: unknown, headers: Record<string, string> = {}): void => {
    entry.status = code;
    const payload = JSON.stringify(obj);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...headers });
    res.end(payload);
  };
  const auth = req.headers['authorization'];
  const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
  const socket = req.socket as TLSSocket;
  const certOk = state.clientCertAuth && socket.authorized === true;
  if (!(bearer !== undefined && state.tokens.has(bearer)) && !certOk) {
    return send(401, statusBody(401, 'Unauthorized', 'Unauthorized'));
  }
  const fault = state.faults.find((f) =>
    (f.method === undefined || f.method === entry.method) &&
    (f.path === undefined || (typeof f.path === 'string' ? entry.path.includes(f.path) : f.path.test(entry.path))));
  if (fault) {
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) state.faults.splice(state.faults.indexOf(fault), 1);
    if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.hold) await fault.hold.catch(() => undefined);
    if (fault.reset) {
      entry.status = -1;
      // Closing the TLS connection mid-request: the client sees a reset / hang-up.
      req.socket.destroy();
      return;
    }
    if (fault.status) {
      const reason = ({ 409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' } as Record<number, string>)[fault.status] ?? 'Unknown';
      return send(fault.status, statusBody(fault.status, reason, `injected ${fault.status}`), fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
    }
  }
  const mutating = entry.method !== 'GET';
  if (state.admission && !state.admission.enter(mutating)) {
    return send(429, statusBody(429, 'TooManyRequests', 'Too many requests, please try again later.'), { 'retry-after': '1' });
  }
  try {
    if (state.admission) await state.admission.serve();
    const [code, out] = answerRequest(state, entry.method, url, req.headers['content-type'] ?? '', body);
    send(code, out);
  } finally {
    state.admission?.leave(mutating);
  }
}

/** The route's answer, with its errors turned into Status answers as kube-apiserver sends them. */
export function answerRequest(state: ApiState, method: string, url: URL, contentType: string, body: unknown): [number, unknown] {
  try {
    return routeRequest(state, method, url, contentType, body);
  } catch (err) {
    if (err instanceof HttpError) return [err.code, statusBody(err.code, err.reason, err.message)];
    if (err instanceof PatchError) return [422, statusBody(422, 'Invalid', err.message)];
    return [500, statusBody(500, 'InternalError', String(err))];
  }
}
