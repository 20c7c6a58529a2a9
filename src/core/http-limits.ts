/**
 * Limits for the agent's HTTP servers (`/healthz`, `/metrics`): a client on the node's loopback must
 * not hold sockets for ever (slowloris: headers a byte at a time, or nothing at all) nor open so
 * many that the agent runs out of file descriptors for its logs and the apiserver. Node's defaults
 * wait 60 s for headers and 300 s for a request, check only every 30 s, and cap nothing.
 */
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isFdExhaustion } from './errors.js';
import type { Logger } from './logger.js';

/** Limits of one server. */
export interface HttpLimits {
  /** Time from connection (or the end of the previous request) to the end of a request's headers. @default 5000 */
  readonly headersTimeoutMs?: number;
  /** Time to receive a whole request. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open. @default 5000 */
  readonly keepAliveTimeoutMs?: number;
  /**
   * How often the two timeouts above are checked (their granularity: a slow client is closed 5–10 s
   * after it connected). Node checks on a timer that runs while the server listens, connections or
   * not: each check is a wake-up of the idle agent. @default 5000
   */
  readonly checkIntervalMs?: number;
  /**
   * Open connections at most. One more closes the oldest connection not inside a request (not past
   * its headers, or idle between requests), or itself when there is none. @default 64
   */
  readonly maxConnections?: number;
}

/** The defaults of {@link HttpLimits}. */
export const defaultHttpLimits = {
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5000,
  checkIntervalMs: 5000,
  maxConnections: 64,
} as const satisfies Required<HttpLimits>;

/** The `createServer` options that carry `limits`. */
export function httpServerOptions(limits: HttpLimits = {}): ServerOptions {
  const l = { ...defaultHttpLimits, ...limits };
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: Math.max(l.requestTimeoutMs, l.headersTimeoutMs),
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: l.checkIntervalMs,
  };
}

/**
 * Applies the connection cap to a listening `server` and reports its errors after start as what
 * they are: running out of file descriptors is not a bad configuration.
 *
 * At the cap, a new connection closes the oldest one that is not inside a request (it has not
 * finished its headers, or sits idle between keep-alive requests) instead of being refused: a
 * client holding every slot with slow or idle connections (slowloris) loses its oldest one to each
 * newcomer, so the kubelet's probe, which sends its request at once, is answered. A per-address cap
 * would not tell them apart: under `hostNetwork` the kubelet and any process on the node both come
 * from 127.0.0.1. Only when every connection is inside a request is the new one closed.
 */
export function limitServer(server: Server, name: string, logger: Logger, limits: HttpLimits = {}): void {
  const max = limits.maxConnections ?? defaultHttpLimits.maxConnections;
  /** Open connections not inside a request, the one waiting longest first (a Set keeps insertion order). */
  const waiting = new Set<Socket>();
  let open = 0;
  let full = false;
  server.on('connection', (socket: Socket) => {
    open++;
    socket.once('close', () => {
      open--;
      waiting.delete(socket);
    });
    if (open <= max) {
      full = false;
      waiting.add(socket);
      return;
    }
    const oldest = waiting.values().next().value;
    // One warning each time the cap is reached, not one per closed connection.
    if (!full) logger.warn(`${name}: connection limit reached, closing the oldest idle connection or else the new one`, { maxConnections: max });
    full = true;
    if (oldest === undefined) {
      socket.destroy();
      return;
    }
    waiting.delete(oldest);
    oldest.destroy();
    waiting.add(socket);
  });
  /** Requests of a connection not yet answered (more than one when a client pipelines them). */
  const inside = new WeakMap<Socket, number>();
  // Before the handler, which may answer at once.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    waiting.delete(socket);
    inside.set(socket, (inside.get(socket) ?? 0) + 1);
    res.once('finish', () => {
      const left = (inside.get(socket) ?? 1) - 1;
      inside.set(socket, left);
      // Idle again until its next request: now the newest of the waiting.
      if (left === 0 && !socket.destroyed) waiting.add(socket);
    });
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (isFdExhaustion(err)) logger.error(`${name}: out of file descriptors, cannot accept connections`, { code: err.code });
    else logger.error(`${name}: server error`, { code: err.code, error: err.message });
  });
}
