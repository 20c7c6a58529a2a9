/**
 * The HTTP server of `/metrics` (NPD's `--prometheus-address:--prometheus-port`, default
 * 127.0.0.1:20257), in the Prometheus text format 0.0.4. Anything else is 404; only GET and HEAD.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { http } from '../../core/node-http.js';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../../core/logger.js';
import { httpServerOptions, limitServer, type HttpLimits } from '../../core/http-limits.js';
import { errorMessage } from '../../core/errors.js';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** Address to listen on (`--prometheus-address`). */
  readonly address: string;
  /**
   * Port to listen on (`--prometheus-port`). 0 picks a free port (for tests): the CLI, not this
   * function, treats NPD's `--prometheus-port=0` as "disabled" and does not call it.
   */
  readonly port: number;
  /**
   * The registry, or a promise of it: `npd run` listens before it loads prom-client, and a scrape
   * that comes meanwhile waits for the registry (start-up: README, Performance).
   */
  readonly registry: Registry | PromiseLike<Registry>;
  readonly logger: Logger;
  /** Timeouts and the connection cap. @default defaultHttpLimits, with 65 s keep-alive */
  readonly limits?: HttpLimits;
}

/** A running metrics server. */
export interface MetricsServer {
  /** The `/metrics` URL actually listened on (with the real port when `port` was 0). */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

function hostForUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * Starts serving `/metrics`. Rejects when the address cannot be bound (port in use, bad address):
 * a startup failure the CLI reports.
 */
export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { logger } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: try /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    try {
      const registry = await options.registry;
      const body = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      logger.error('collecting metrics failed', { error: errorMessage(err) });
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('collecting metrics failed\n');
    }
  };
  // Prometheus keeps its connection between scrapes (every 15–60 s): idle keep-alive 65 s. A client
  // that stalls or dribbles its headers is cut off by the header and request timeouts.
  const limits: HttpLimits = { keepAliveTimeoutMs: 65_000, ...options.limits };
  const server = http.createServer(httpServerOptions(limits), (req, res) => void handle(req, res));

  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`cannot serve metrics on ${hostForUrl(options.address)}:${options.port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(options.port, options.address, () => {
      server.off('error', onError);
      limitServer(server, 'metrics server', logger, limits);
      const { port } = server.address() as AddressInfo;
      const url = `http://${hostForUrl(options.address)}:${port}/metrics`;
      logger.info('serving metrics', { url });
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
