/**
 * Both HTTP servers (/healthz and /metrics) against hostile clients on raw sockets: headers dribbled
 * a byte at a time (slowloris) or never sent are cut off, connections beyond the cap are closed at
 * once, the server answers again when they are gone, and running out of file descriptors is logged
 * as that. Small limits keep the test short; it waits for the server's action, never asserts a time.
 */
import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { startHealthServer } from '../../src/app/health-server.js';
import { httpServerOptions, limitServer, type HttpLimits } from '../../src/core/http-limits.js';
import { createLogger, type LogRecord } from '../../src/core/logger.js';
import { startMetricsServer } from '../../src/exporters/prometheus/metrics-server.js';
import { eventually } from '../helpers/wait.js';

const limits: HttpLimits = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, checkIntervalMs: 50, maxConnections: 4 };

interface Target { readonly port: number; readonly path: string; readonly logs: LogRecord[]; close(): Promise<void> }

async function health(): Promise<Target> {
  const logs: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', write: (r) => logs.push(r) });
  const s = await startHealthServer({ port: 0, health: () => ({ ok: true, detail: 'ok', monitors: [], exporters: [], eventLoop: { lastSeconds: 0, maxSeconds: 0 } }), conditions: () => ({}), logger, limits });
  return { port: Number(new URL(s.url).port), path: '/healthz', logs, close: () => s.close() };
}
async function metrics(): Promise<Target> {
  const logs: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', write: (r) => logs.push(r) });
  const s = await startMetricsServer({ address: '127.0.0.1', port: 0, registry: new Registry(), logger, limits });
  return { port: Number(new URL(s.url).port), path: '/metrics', logs, close: () => s.close() };
}

/** A raw client socket that records what it got and when it was closed. */
function open(port: number): Promise<{ socket: Socket; data: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => {}); // ECONNRESET when the server drops it
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.once('connect', () => resolve({ socket, data: () => data, closed }));
    socket.once('error', reject);
  });
}

const get = async (t: Target): Promise<number> => (await fetch(`http://127.0.0.1:${t.port}${t.path}`, { headers: { connection: 'close' } })).status;

describe.each([
  ['health server', health],
  ['metrics server', metrics],
])('%s', (_name, start) => {
  let t: Target;
  beforeEach(async () => {
    t = await start();
  });
  afterEach(() => t.close());

  test('slowloris: headers dribbled a line at a time are cut off with 408', async () => {
    const c = await open(t.port);
    c.socket.write(`GET ${t.path} HTTP/1.1\r\nHost: x\r\n`);
    const drip = setInterval(() => c.socket.writable && c.socket.write('X-Slow: 1\r\n'), 20);
    try {
      await c.closed;
    } finally {
      clearInterval(drip);
    }
    expect(c.data()).toMatch(/^HTTP\/1\.1 408 /);
    expect(await get(t)).toBe(200);
  }, 20_000);

  test('a connection that never sends a byte is closed', async () => {
    const c = await open(t.port);
    await c.closed;
    expect(c.data()).not.toMatch(/200 OK/);
  }, 20_000);

  test('beyond the connection cap a connection is closed at once, and the server answers once the holders are gone', async () => {
    const holders = await Promise.all(Array.from({ length: 4 }, () => open(t.port)));
    for (const h of holders) h.socket.write(`GET ${t.path} HTTP/1.1\r\nHost: x\r\n`); // never finished
    // The fifth is accepted and closed by the server while the four are still open.
    const extra = await eventually(async () => {
      const c = await open(t.port);
      const what = await Promise.race([c.closed.then(() => 'closed' as const), new Promise<'open'>((r) => setTimeout(() => r('open'), 100))]);
      if (what === 'closed') return c;
      c.socket.destroy();
      return undefined;
    }, 'a refused connection', 15_000);
    expect(extra.data()).toBe('');
    expect(t.logs.some((r) => r.level === 'warn' && /connection limit reached/.test(r.msg))).toBe(true);
    await Promise.all(holders.map((h) => h.closed));
    expect(await get(t)).toBe(200);
  }, 30_000);
});

test('running out of file descriptors is logged as that, not as a configuration problem', () => {
  const logs: LogRecord[] = [];
  const server = createServer(httpServerOptions(), () => {});
  limitServer(server, 'health server', createLogger({ write: (r) => logs.push(r) }));
  server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
  server.emit('error', Object.assign(new Error('boom'), { code: 'EPROTO' }));
  expect(logs.map((r) => [r.level, r.msg, r['code']])).toEqual([
    ['error', 'health server: out of file descriptors, cannot accept connections', 'EMFILE'],
    ['error', 'health server: server error', 'EPROTO'],
  ]);
  expect(server.maxConnections).toBe(64);
});

test('defaults: headers within 5 s, a request within 10 s, idle keep-alive 5 s, checked every 5 s', () => {
  expect(httpServerOptions()).toEqual({ headersTimeout: 5000, requestTimeout: 10_000, keepAliveTimeout: 5000, connectionsCheckingInterval: 5000 });
});
