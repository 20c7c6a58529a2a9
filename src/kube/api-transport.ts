/**
 * One request to the apiserver over one keep-alive connection pool (node:https's Agent). Node's own
 * `http`/`https` modules are used rather than undici: importing undici costs ~29 MiB RSS and
 * @kubernetes/client-node ~85 MiB, node:https ~7 MiB (bench/rss-client.ts); node:http (another
 * ~8 MiB) is loaded only for a plain-http server. Every request has a deadline on the injected
 * clock: reads start at `timeoutMs` and double after each timeout (up to `writeTimeoutMs`) so a slow
 * but working apiserver is still read; writes get `writeTimeoutMs` (kube-apiserver's own request
 * timeout, after which it answers 504 itself) so a slow PATCH is waited for rather than abandoned and
 * sent again. A body is read up to `maxResponseBytes` and the request fails past that (a Node is
 * kilobytes; a 600 MB answer once crashed the agent with ERR_STRING_TOO_LONG). A non-2xx answer is an
 * ApiError, anything else a NetworkError. Tokens never reach a message.
 */
import type http from 'node:http';
import https from 'node:https';
import { systemClock, type Clock } from '../core/clock.js';
import { ApiError, NetworkError, errorMessage } from '../core/errors.js';
import { noopTelemetry, type Telemetry } from '../core/telemetry.js';
import type { Connection } from './connection.js';

/** A request to send. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** Path and query, e.g. `/api/v1/nodes/n1/status`. */
  readonly path: string;
  readonly body?: unknown;
  /** @default 'application/json' */
  readonly contentType?: string;
  /** For telemetry: `get`, `patch`, `create`. */
  readonly verb: string;
  /** For telemetry: `nodes`, `nodes/status`, `events`. */
  readonly resource: string;
}

/** Sends requests; one pool of connections. */
export interface ApiTransport {
  /** Sends one request (no retry) and returns the decoded JSON body. */
  request<T = unknown>(req: ApiRequest, signal?: AbortSignal): Promise<T>;
  /** Closes idle connections. */
  close(): void;
}

/** Options of {@link createApiTransport}. */
export interface ApiTransportOptions {
  readonly connection: Connection;
  /** Per read (GET), from sending to the last byte; doubles after a timeout. @default 10000 */
  readonly timeoutMs?: number;
  /** Per write (PATCH, POST), and the longest read deadline. @default 60000 */
  readonly writeTimeoutMs?: number;
  /** Largest response body read; a longer one fails the request. @default 4 MiB */
  readonly maxResponseBytes?: number;
  /** Sockets kept per pool. @default 4 */
  readonly maxSockets?: number;
  readonly telemetry?: Telemetry;
  /** For Retry-After dates. @default systemClock */
  readonly clock?: Clock;
  /** @default 'npd-ts' */
  readonly userAgent?: string;
}

/** Parses `Retry-After` (seconds or an HTTP date) into ms; undefined if absent or bad. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function statusDetails(text: string): { reason: string | undefined; message: string | undefined } {
  try {
    const s = JSON.parse(text) as { kind?: string; reason?: string; message?: string };
    if (s && s.kind === 'Status') return { reason: s.reason, message: s.message };
  } catch {
    // not JSON: no details
  }
  return { reason: undefined, message: undefined };
}

/** The default of {@link ApiTransportOptions.maxResponseBytes}. */
export const defaultMaxResponseBytes = 4 * 1024 * 1024;

/**
 * Turns one complete answer into the decoded body, or the error to throw (ApiError for a non-2xx
 * status, NetworkError for a 2xx body that is not JSON). `what` names the request in messages.
 * Shared with in-process transports (bench/fleet-transport.ts) so they answer exactly as this one.
 */
export function decodeAnswer(what: string, status: number, retryAfter: string | undefined, text: string, now: number): { ok: true; value: unknown } | { ok: false; error: Error } {
  if (status >= 200 && status < 300) {
    try {
      return { ok: true, value: text === '' ? undefined : JSON.parse(text) };
    } catch (err) {
      return { ok: false, error: new NetworkError(`${what}: response is not JSON`, { cause: err }) };
    }
  }
  const d = statusDetails(text);
  return {
    ok: false,
    error: new ApiError(status, `${what}: ${status}${d.message ? `: ${d.message.slice(0, 300)}` : ''}`, {
      reason: d.reason,
      retryAfterMs: parseRetryAfter(retryAfter, now),
    }),
  };
}

/** Whether a request changes something (and so must not be abandoned early and sent again). */
export const isWrite = (req: ApiRequest): boolean => req.method !== 'GET';

/** Creates a transport for `connection`. */
export function createApiTransport(options: ApiTransportOptions): ApiTransport {
  const { connection } = options;
  const telemetry = options.telemetry ?? noopTelemetry;
  const baseTimeoutMs = options.timeoutMs ?? 10_000;
  const writeTimeoutMs = Math.max(baseTimeoutMs, options.writeTimeoutMs ?? 60_000);
  const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const clock = options.clock ?? systemClock;
  /** The read deadline now: doubled by each read timeout, back to the base after a quick answer. */
  let readTimeoutMs = baseTimeoutMs;
  const base = new URL(connection.server);
  const secure = base.protocol === 'https:';
  let mod: typeof https | typeof http | undefined = secure ? https : undefined;
  let agent: https.Agent | http.Agent | undefined = secure
    ? new https.Agent({
        keepAlive: true,
        maxSockets: options.maxSockets ?? 4,
        ca: connection.ca,
        cert: connection.cert,
        key: connection.key,
        rejectUnauthorized: !connection.insecure,
      })
    : undefined;
  const basePath = base.pathname.replace(/\/+$/, '');

  const once = async <T>(req: ApiRequest, signal: AbortSignal | undefined): Promise<T> => {
    if (mod === undefined) {
      const plain = (await import('../core/node-http.js')).http; // not import('node:http'): see node-http.ts
      mod = plain;
      agent = new plain.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 4 });
    }
    const m = mod;
    const token = await connection.auth.token();
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'npd-ts',
    };
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (payload) {
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const what = `${req.method} ${req.path}`;
    const write = isWrite(req);
    const timeoutMs = write ? writeTimeoutMs : readTimeoutMs;
    const sentAt = clock.now();
    // One deadline for the whole exchange, not only socket idleness, on the injected clock.
    const deadline = new AbortController();
    const timer = new AbortController();
    void clock.sleep(timeoutMs, timer.signal).then(() => deadline.abort(), () => undefined);
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        timer.abort();
        return true;
      };
      const fail = (err: Error): void => {
        if (!settle()) return;
        telemetry.apiRequest(req.verb, req.resource, err instanceof ApiError ? String(err.status) : 'network');
        reject(err);
      };
      const r = m.request(
        { host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || (secure ? 443 : 80), method: req.method, path: basePath + req.path, headers, agent, signal: combined },
        (res) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (c: Buffer) => {
            bytes += c.length;
            if (bytes > maxBytes) {
              // Stop reading at once: the socket is closed, what was read is let go.
              chunks.length = 0;
              res.destroy();
              fail(new NetworkError(`${what}: response larger than ${maxBytes} bytes; not read`));
              return;
            }
            chunks.push(c);
          });
          res.on('error', (err) => fail(new NetworkError(`${what}: response: ${errorMessage(err)}`, { cause: err })));
          res.on('end', () => {
            if (settled) return;
            const status = res.statusCode ?? 0;
            if (status === 401) connection.auth.invalidate();
            const ra = res.headers['retry-after'];
            const answer = decodeAnswer(what, status, Array.isArray(ra) ? ra[0] : ra, Buffer.concat(chunks).toString('utf8'), clock.now());
            if (!answer.ok) return fail(answer.error);
            if (!write && clock.now() - sentAt < baseTimeoutMs / 2) readTimeoutMs = baseTimeoutMs;
            settle();
            telemetry.apiRequest(req.verb, req.resource, String(status));
            resolve(answer.value as T);
          });
        },
      );
      r.on('error', (err) => {
        if (deadline.signal.aborted && !signal?.aborted) {
          if (!write) readTimeoutMs = Math.min(writeTimeoutMs, readTimeoutMs * 2);
          fail(new NetworkError(`${what}: timed out after ${timeoutMs} ms`, { cause: err }));
        } else fail(new NetworkError(`${what}: ${errorMessage(err)}`, { cause: err }));
      });
      r.end(payload);
    });
  };

  return {
    request: once,
    close: () => agent?.destroy(),
  };
}
