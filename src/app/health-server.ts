/**
 * `/healthz` and `/conditions` on `--address:--port` (NPD's 127.0.0.1:20256). Unlike NPD, whose
 * `/healthz` always says ok (#1168), it answers 503 when the agent's health model says so (see
 * health-model.ts: a source failing past the grace period, a monitor stopped on an error, a stuck
 * exporter), so a kubelet liveness probe restarts an agent whose kmsg reader cannot read.
 */
import type { Server } from 'node:http';
import { http } from '../core/node-http.js';
import type { Logger } from '../core/logger.js';
import { httpServerOptions, limitServer, type HttpLimits } from '../core/http-limits.js';
import type { HealthReport } from './health-model.js';

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** @default '127.0.0.1' */
  readonly address?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly health: () => HealthReport;
  /** Current conditions, by monitor source. */
  readonly conditions: () => unknown;
  readonly logger: Logger;
  /** Timeouts and the connection cap. @default defaultHttpLimits */
  readonly limits?: HttpLimits;
}

/** Starts the server; resolves once it listens. */
export async function startHealthServer(options: HealthServerOptions): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server: Server = http.createServer(httpServerOptions(options.limits), (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz') {
      const report = options.health();
      res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(report)}\n`);
    } else if (path === '/conditions') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(options.conditions(), null, 2)}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.address ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  limitServer(server, 'health server', options.logger, options.limits);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : options.port;
  const host = (options.address ?? '127.0.0.1').includes(':') ? `[${options.address}]` : (options.address ?? '127.0.0.1');
  options.logger.info('health server listening', { url: `http://${host}:${port}` });
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
