/**
 * One request to the apiserver over one keep-alive connection pool (node:https's Agent). Node's own
 * `http`/`https` modules are used rather than undici: importing undici costs ~29 MiB RSS and
 * @kubernetes/client-node ~85 MiB, node:https ~7 MiB (bench/rss-client.ts); node:http (another
 * ~8 MiB) is loaded only for a plain-http server. Every request has a
 * timeout; a non-2xx answer is an ApiError, anything else a NetworkError. Tokens never reach a message.
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
  /** Per request, from sending to the last byte. @default 10000 */
  readonly timeoutMs?: number;
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

/** Creates a transport for `connection`. */
export function createApiTransport(options: ApiTransportOptions): ApiTransport {
  const { connection } = options;
  const telemetry = options.telemetry ?? noopTelemetry;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clock = options.clock ?? systemClock;
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
      const plain = await import('node:http');
      mod = plain.default;
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
    // One deadline for the whole exchange, not only socket idleness.
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        telemetry.apiRequest(req.verb, req.resource, err instanceof ApiError ? String(err.status) : 'network');
        reject(err);
      };
      const r = m.request(
        { host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || (secure ? 443 : 80), method: req.method, path: basePath + req.path, headers, agent, signal: combined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => fail(new NetworkError(`${what}: response: ${errorMessage(err)}`, { cause: err })));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              if (settled) return;
              let parsed: unknown;
              try {
                parsed = text === '' ? undefined : JSON.parse(text);
              } catch (err) {
                return fail(new NetworkError(`${what}: response is not JSON`, { cause: err }));
              }
              settled = true;
              telemetry.apiRequest(req.verb, req.resource, String(status));
              return resolve(parsed as T);
            }
            if (status === 401) connection.auth.invalidate();
            const d = statusDetails(text);
            const ra = res.headers['retry-after'];
            fail(new ApiError(status, `${what}: ${status}${d.message ? `: ${d.message.slice(0, 300)}` : ''}`, {
              reason: d.reason,
              retryAfterMs: parseRetryAfter(Array.isArray(ra) ? ra[0] : ra, clock.now()),
            }));
          });
        },
      );
      r.on('error', (err) => {
        if (deadline.aborted) fail(new NetworkError(`${what}: timed out after ${timeoutMs} ms`, { cause: err }));
        else fail(new NetworkError(`${what}: ${errorMessage(err)}`, { cause: err }));
      });
      r.end(payload);
    });
  };

  return {
    request: once,
    close: () => agent?.destroy(),
  };
}
