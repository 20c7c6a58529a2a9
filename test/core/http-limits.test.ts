/**
 * Both HTTP servers (/healthz and /metrics) against hostile clients on raw sockets: headers dribbled
 * a byte at a time (slowloris) or never sent are cut off; with every slot held by one client, a new
 * client is still answered (the oldest connection not inside a request makes way for it); and
 * running out of file descriptors is logged as that. Small limits keep the test short; it waits for the server's action, never asserts a time.
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

async function health(l: HttpLimits = limits): Promise<Target> {
  const logs: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', write: (r) => logs.push(r) });
  const s = await startHealthServer({ port: 0, health: () => ({ ok: true, detail: 'ok', monitors: [], exporters: [], eventLoop: { lastSeconds: 0, maxSeconds: 0 } }), conditions: () => ({}), logger, limits: l });
  return { port: Number(new URL(s.url).port), path: '/healthz', logs, close: () => s.close() };
}
async function metrics(l: HttpLimits = limits): Promise<Target> {
  const logs: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', write: (r) => logs.push(r) });
  const s = await startMetricsServer({ address: '127.0.0.1', port: 0, registry: new Registry(), logger, limits: l });
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

/** One request on a new connection of its own (fetch would reuse a pooled one); resolves with the status. */
async function ask(t: Target): Promise<number> {
  const c = await open(t.port);
  c.socket.write(`GET ${t.path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  await c.closed;
  return Number(/^HTTP\/1\.1 (\d+) /.exec(c.data())?.[1]);
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
});

/**
 * Slowloris from one client with long timeouts (nothing is cut off by a timer during the test): every
 * slot held by connections that never finish their headers, or by idle keep-alive ones.
 */
describe.each([
  ['health server', health],
  ['metrics server', metrics],
])('%s with every slot held by one client', (_server, start) => {
  const slow: HttpLimits = { headersTimeoutMs: 600_000, requestTimeoutMs: 600_000, keepAliveTimeoutMs: 600_000, checkIntervalMs: 60_000, maxConnections: 8 };
  let t: Target;
  beforeEach(async () => {
    t = await start(slow);
  });
  afterEach(() => t.close());
  /** Eight connections, opened one after another so the server accepts them in this order. */
  const holdAll = async (): Promise<Awaited<ReturnType<typeof open>>[]> => {
    const holders = [];
    for (let i = 0; i < 8; i++) holders.push(await open(t.port));
    return holders;
  };

  test.each([
    ['connections that never finish their headers', (c: Socket) => c.write('GET / HTTP/1.1\r\nHost: x\r\n')],
    ['connections that sent nothing', () => {}],
  ])('a new client is answered 200, every time: %s', async (_name, hold) => {
    const holders = await holdAll();
    for (const h of holders) hold(h.socket);
    for (let i = 0; i < 3; i++) {
      expect(await ask(t)).toBe(200);
      await holders[i]!.closed; // the oldest holder made way
      const refill = await open(t.port); // the client takes the free slot again
      hold(refill.socket);
      holders.push(refill);
    }
    expect(t.logs.some((r) => r.level === 'warn' && /connection limit reached/.test(r.msg))).toBe(true);
    for (const h of holders) h.socket.destroy();
  }, 30_000);

  test('idle keep-alive connections are evicted too, the least recently used first', async () => {
    const holders = await holdAll();
    const request = `GET ${t.path} HTTP/1.1\r\nHost: x\r\n\r\n`;
    for (const h of holders) h.socket.write(request); // answered, then idle
    await eventually(() => (holders.every((h) => h.data().includes(' 200 ')) ? true : undefined), 'eight answers');
    holders[0]!.socket.write(request); // holder 0 is now the most recently used
    await eventually(() => (holders[0]!.data().split(' 200 ').length === 3 ? true : undefined), 'a second answer');
    expect(await ask(t)).toBe(200);
    await holders[1]!.closed;
    expect(holders[0]!.socket.destroyed).toBe(false);
    for (const h of holders) h.socket.destroy();
  }, 30_000);
});

test('when every connection is inside a request, the new one is closed instead', async () => {
  const logs: LogRecord[] = [];
  let requests = 0;
  const server = createServer(httpServerOptions({ headersTimeoutMs: 600_000, requestTimeoutMs: 600_000 }), () => void requests++); // never answers
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  limitServer(server, 'test server', createLogger({ write: (r) => logs.push(r) }), { maxConnections: 2 });
  const port = (server.address() as { port: number }).port;
  try {
    const inside = await Promise.all([open(port), open(port)]);
    for (const c of inside) c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => (requests === 2 ? true : undefined), 'both requests received');
    const extra = await open(port);
    await extra.closed;
    expect(extra.data()).toBe('');
    expect(inside.every((c) => !c.socket.destroyed)).toBe(true);
    expect(logs.some((r) => r.level === 'warn' && /connection limit reached/.test(r.msg))).toBe(true);
    for (const c of inside) c.socket.destroy();
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}, 30_000);

test('a connection with a pipelined request still unanswered is not taken for idle when the one before it is answered', async () => {
  let requests = 0;
  const server = createServer(httpServerOptions({ headersTimeoutMs: 600_000, requestTimeoutMs: 600_000 }), (req, res) => {
    requests++;
    if (req.url === '/now') res.end('ok'); // '/hold' is never answered
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  limitServer(server, 'test server', createLogger({ write: () => {} }), { maxConnections: 2 });
  const port = (server.address() as { port: number }).port;
  try {
    const pipelined = await open(port);
    pipelined.socket.write('GET /now HTTP/1.1\r\nHost: x\r\n\r\nGET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => (requests === 2 && pipelined.data().includes(' 200 ') ? true : undefined), 'both requests received, the first answered');
    const idle = await open(port);
    const newcomer = await open(port);
    await idle.closed; // the idle one made way, not the one inside a request
    expect(pipelined.socket.destroyed).toBe(false);
    for (const c of [pipelined, newcomer]) c.socket.destroy();
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}, 30_000);

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
});

test('defaults: headers within 5 s, a request within 10 s, idle keep-alive 5 s, checked every 5 s', () => {
  expect(httpServerOptions()).toEqual({ headersTimeout: 5000, requestTimeout: 10_000, keepAliveTimeout: 5000, connectionsCheckingInterval: 5000 });
});

test('limits as given; a request is never given less time than its headers', () => {
  expect(httpServerOptions({ headersTimeoutMs: 8000, requestTimeoutMs: 3000, keepAliveTimeoutMs: 1000, checkIntervalMs: 2000 })).toEqual({
    headersTimeout: 8000,
    requestTimeout: 8000,
    keepAliveTimeout: 1000,
    connectionsCheckingInterval: 2000,
  });
  expect(httpServerOptions({ requestTimeoutMs: 20_000 }).requestTimeout).toBe(20_000);
});
