/**
 * The health server in-process on 127.0.0.1: /healthz answers 200 or 503 from the agent's report,
 * /conditions the conditions, anything else 404, a method other than GET/HEAD 405; it names its URL.
 */
import { connect } from 'node:net';
import { startHealthServer, type HealthServerOptions } from '../../src/app/health-server.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { withTakenPort } from '../helpers/net.js';

type Report = ReturnType<HealthServerOptions['health']>;
/** The server reads only `ok` and echoes the rest, whatever the health model puts in it. */
const report = (ok: boolean, detail: string): Report => ({ ok, detail, monitors: [], exporters: [] }) as unknown as Report;

async function serve(health: () => Report, address?: string) {
  const logger = createMemoryLogger();
  const conditions = { 'kernel-monitor': [{ type: 'KernelDeadlock', status: 'False' }] };
  const server = await startHealthServer({ port: 0, health, conditions: () => conditions, logger, ...(address ? { address } : {}) });
  return { server, logger, conditions };
}

test('/healthz: 200 with the report while ok, 503 with it when not; the query string is ignored', async () => {
  let current = report(true, 'ok');
  const { server } = await serve(() => current);
  try {
    const up = await fetch(`${server.url}/healthz`);
    expect(up.status).toBe(200);
    expect(up.headers.get('content-type')).toBe('application/json');
    expect(await up.text()).toBe(`${JSON.stringify(current)}\n`);
    current = report(false, 'kernel-monitor: /dev/kmsg: EACCES');
    const down = await fetch(`${server.url}/healthz?verbose=1`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual(current);
  } finally {
    await server.close();
  }
});

test('/conditions: the current conditions as indented JSON; HEAD answers without a body', async () => {
  const { server, conditions } = await serve(() => report(true, 'ok'));
  try {
    const res = await fetch(`${server.url}/conditions`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(`${JSON.stringify(conditions, null, 2)}\n`);
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  } finally {
    await server.close();
  }
});

test('another path is 404, another method 405', async () => {
  const { server } = await serve(() => report(true, 'ok'));
  try {
    const missing = await fetch(`${server.url}/metrics`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/plain');
    expect(await missing.text()).toBe('not found\n');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(`${server.url}/healthz`, { method });
      expect([method, res.status]).toEqual([method, 405]);
    }
  } finally {
    await server.close();
  }
});

test('listens on 127.0.0.1 by default and logs its URL; close ends kept-alive connections', async () => {
  const { server, logger } = await serve(() => report(true, 'ok'));
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
  expect(logger.records.filter((r) => r.msg === 'health server listening').map((r) => r['url'])).toEqual([server.url]);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200); // the client keeps this connection open
  await server.close();
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
});

test('an IPv6 address is bracketed in the URL', async () => {
  const { server } = await serve(() => report(true, 'ok'), '::1').catch(() => ({ server: undefined }));
  if (!server) return; // no IPv6 loopback here: nothing to bracket
  try {
    expect(server.url).toMatch(/^http:\/\/\[::1\]:[1-9]\d*$/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('a port already taken rejects with the listen error', async () => {
  await withTakenPort(async (port) => {
    await expect(
      startHealthServer({ port, health: () => report(true, 'ok'), conditions: () => ({}), logger: createMemoryLogger() }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

test('the default address is 127.0.0.1 only: another loopback address is refused', async () => {
  const { server } = await serve(() => report(true, 'ok'));
  try {
    await expect(fetch(server.url.replace('127.0.0.1', '127.0.0.2'))).rejects.toThrow();
  } finally {
    await server.close();
  }
});

test('close does not wait for a client that sent half a request', async () => {
  const { server } = await serve(() => report(true, 'ok'));
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  socket.on('error', () => {});
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  await new Promise((r) => setImmediate(r));
  await server.close(); // without closing live connections this waits for the 60 s headers timeout
  await closed;
});
