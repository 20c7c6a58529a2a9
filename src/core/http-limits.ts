/**
 * Limits for the agent's HTTP servers (`/healthz`, `/metrics`): a client on the node's loopback must
 * not hold sockets for ever (slowloris: headers a byte at a time, or nothing at all) nor open so
 * many that the agent runs out of file descriptors for its logs and the apiserver. Node's defaults
 * wait 60 s for headers and 300 s for a request, check only every 30 s, and cap nothing.
 */
import type { Server, ServerOptions } from 'node:http';
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
  /** Open connections at most; one more is closed as soon as it is accepted. @default 64 */
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
 */
export function limitServer(server: Server, name: string, logger: Logger, limits: HttpLimits = {}): void {
  server.maxConnections = limits.maxConnections ?? defaultHttpLimits.maxConnections;
  let full = false;
  server.on('drop', () => {
    // One warning each time the cap is reached, not one per refused connection.
    if (!full) logger.warn(`${name}: connection limit reached, closing new connections`, { maxConnections: server.maxConnections });
    full = true;
  });
  server.on('connection', () => {
    full = false;
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (isFdExhaustion(err)) logger.error(`${name}: out of file descriptors, cannot accept connections`, { code: err.code });
    else logger.error(`${name}: server error`, { code: err.code, error: err.message });
  });
}
