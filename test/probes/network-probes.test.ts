import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { createDeadline } from '../../src/probes/deadline.js';
import { parseTarget, probePublicNetwork, tcpConnect } from '../../src/probes/public-network.js';
import { parseTerminationTime, probeInstanceExpiry } from '../../src/probes/instance-expiry.js';
import { parseCredentialsOk, parseRoleName, probeRamRole } from '../../src/probes/ram-role.js';
import { checkRuntime, probeRuntime } from '../../src/probes/runtime.js';
import { freePort } from '../helpers/net.js';
import { waitFor } from '../helpers/wait.js';

function listen<T extends HttpServer | NetServer>(server: T, where: number | string): Promise<T> {
  return new Promise((resolve) => {
    if (typeof where === 'string') server.listen(where, () => resolve(server));
    else server.listen(where, '127.0.0.1', () => resolve(server));
  });
}
function close(server: HttpServer | NetServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
function portOf(server: HttpServer | NetServer): number {
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

describe('metadata service (probeRamRole)', () => {
  type Handler = Parameters<typeof createHttpServer>[1];
  let server: HttpServer;
  let handler: Handler;
  let endpoint: string;
  beforeAll(async () => {
    server = await listen(createHttpServer((req, res) => handler?.(req, res)), 0);
    endpoint = `http://127.0.0.1:${portOf(server)}`;
  });
  afterAll(() => close(server));

  const roleServer = (role: string | null, credentials: number | string): Handler => (req, res) => {
    if (req.url === '/latest/meta-data/ram/security-credentials/') {
      if (role === null) return void res.writeHead(404).end('Not Found');
      return void res.end(role);
    }
    if (req.url === `/latest/meta-data/ram/security-credentials/${role}`) {
      if (typeof credentials === 'number') return void res.writeHead(credentials).end('error');
      return void res.end(credentials);
    }
    res.writeHead(404).end();
  };
  const success = JSON.stringify({ AccessKeyId: 'STS.x', AccessKeySecret: 'y', Expiration: '2026-01-01T00:00:00Z', SecurityToken: 'z', LastUpdated: '2026-01-01T00:00:00Z', Code: 'Success' });

  test.each([
    ['role with credentials', 'ok', roleServer('KubernetesWorkerRole', success), 'node has ram role KubernetesWorkerRole'],
    ['no role (404)', 'problem', roleServer(null, success), 'node has no ram role'],
    ['empty role list', 'problem', roleServer('', success), 'node has no ram role'],
    ['credentials 404', 'problem', roleServer('R', 404), 'node has ram role R but its credentials are not available (HTTP 404)'],
    ['credentials not Success', 'problem', roleServer('R', JSON.stringify({ Code: 'Failed' })), 'node has ram role R but its credentials are not available (HTTP 200)'],
  ])('%s → %s', async (_name, status, h, message) => {
    handler = h;
    const r = await probeRamRole(endpoint, fetch, new AbortController().signal);
    expect(r).toMatchObject({ status, message });
  });
  test('server error on the role list → unknown', async () => {
    handler = (_req, res) => void res.writeHead(500).end();
    expect(await probeRamRole(endpoint, fetch, new AbortController().signal)).toMatchObject({ status: 'unknown', cause: 'HTTP500' });
  });
  test.each([['RoleA\n', 'RoleA'], ['', undefined], ['<html>', undefined]])('parseRoleName(%j)', (t, want) => expect(parseRoleName(t)).toBe(want));
  test.each([[success, true], ['{"Code":"Failed"}', false], ['nope', false]])('parseCredentialsOk', (t, want) => expect(parseCredentialsOk(t)).toBe(want));
});

describe.each([
  ['probeRamRole', probeRamRole],
  ['probeInstanceExpiry', probeInstanceExpiry],
] as const)('%s: metadata service unreachable', (_name, probe) => {
  let server: HttpServer;
  let arrived = false;
  beforeAll(async () => {
    server = await listen(createHttpServer(() => void (arrived = true)), 0); // never answers
  });
  afterAll(() => close(server));
  test('a slow metadata service times out on the clock → unknown Timeout', async () => {
    arrived = false;
    const clock = createManualClock();
    const deadline = createDeadline(clock, 5000);
    const run = probe(`http://127.0.0.1:${portOf(server)}`, fetch, deadline.signal);
    await waitFor(() => arrived, 'the request to arrive');
    await clock.advance(5000);
    const r = await run;
    deadline.done();
    expect(r).toMatchObject({ status: 'unknown', cause: 'Timeout' });
    expect(r.message).toContain('timed out after 5000ms');
  });
  test('nothing listening → unknown NetworkError', async () => {
    const port = await freePort();
    const r = await probe(`http://127.0.0.1:${port}`, fetch, new AbortController().signal);
    expect(r).toMatchObject({ status: 'unknown', cause: 'NetworkError' });
    expect(r.message).toContain('ECONNREFUSED');
  });
});

describe('spot termination time (probeInstanceExpiry)', () => {
  type Handler = Parameters<typeof createHttpServer>[1];
  let server: HttpServer;
  let handler: Handler;
  let endpoint: string;
  const paths: string[] = [];
  beforeAll(async () => {
    server = await listen(createHttpServer((req, res) => {
      paths.push(req.url ?? '');
      handler?.(req, res);
    }), 0);
    endpoint = `http://127.0.0.1:${portOf(server)}`;
  });
  afterAll(() => close(server));
  const answer = (status: number, body: string): Handler => (_req, res) => void res.writeHead(status).end(body);

  test.each([
    ['404: not scheduled', answer(404, '<html>Not Found</html>'), { status: 'ok', message: 'instance is not going to be terminated' }],
    ['a time: scheduled', answer(200, '2026-05-01T08:30:00Z'), { status: 'problem', message: 'instance is going to be terminated at 2026-05-01T08:30:00Z' }],
    ['a time with a newline', answer(200, '2026-05-01T08:30:00Z\n'), { status: 'problem', message: 'instance is going to be terminated at 2026-05-01T08:30:00Z' }],
    ['200 with garbage', answer(200, 'Not Found 404'), { status: 'unknown', cause: 'Unparsable' }],
    ['200 empty', answer(200, ''), { status: 'unknown', cause: 'Unparsable' }],
    ['server error', answer(500, 'boom'), { status: 'unknown', cause: 'HTTP500' }],
    ['forbidden', answer(403, 'no'), { status: 'unknown', cause: 'HTTP403' }],
  ])('%s', async (_name, h, want) => {
    handler = h;
    paths.length = 0;
    const r = await probeInstanceExpiry(`${endpoint}/`, fetch, new AbortController().signal);
    expect(r).toEqual(expect.objectContaining(want));
    expect(paths).toEqual(['/latest/meta-data/instance/spot/termination-time']);
  });
  test('the garbage is quoted in the message', async () => {
    handler = answer(200, 'Not Found 404');
    expect((await probeInstanceExpiry(endpoint, fetch, new AbortController().signal)).message).toBe(
      `metadata service answered "Not Found 404" for ${endpoint}/latest/meta-data/instance/spot/termination-time, not a time`,
    );
  });
  test('a fake fetch: the URL asked for, and a rejected fetch is unknown', async () => {
    const asked: string[] = [];
    const fake = (async (url: string | URL | Request) => {
      asked.push(String(url));
      return new Response('2030-01-01T00:00:00Z', { status: 200 });
    }) as typeof fetch;
    expect(await probeInstanceExpiry('http://metadata.test', fake, new AbortController().signal)).toMatchObject({ status: 'problem' });
    expect(asked).toEqual(['http://metadata.test/latest/meta-data/instance/spot/termination-time']);
    const failing = (() => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'EHOSTUNREACH' } }))) as typeof fetch;
    expect(await probeInstanceExpiry('http://metadata.test', failing, new AbortController().signal)).toEqual({
      status: 'unknown', cause: 'NetworkError', message: "couldn't reach metadata service at http://metadata.test: EHOSTUNREACH",
    });
  });
  test('credentials in the endpoint never reach the message (it becomes a Node condition)', async () => {
    const failing = (() => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'EHOSTUNREACH' } }))) as typeof fetch;
    const expiry = await probeInstanceExpiry('http://user:s3cret@metadata.test', failing, new AbortController().signal);
    expect(expiry.message).toBe("couldn't reach metadata service at http://metadata.test: EHOSTUNREACH");
    const role = await probeRamRole('http://user:s3cret@metadata.test', failing, new AbortController().signal);
    expect(role.message).toBe("couldn't reach metadata service at http://metadata.test: EHOSTUNREACH");
    const answering = (async () => new Response('boom', { status: 500 })) as typeof fetch;
    const status = await probeInstanceExpiry('http://user:s3cret@metadata.test', answering, new AbortController().signal);
    expect(status.message).toBe('metadata service answered 500 for http://metadata.test/latest/meta-data/instance/spot/termination-time');
  });
  test.each([
    ['2015-01-05T18:02:00Z', '2015-01-05T18:02:00Z'],
    [' 2015-01-05T18:02:00Z\n', '2015-01-05T18:02:00Z'],
    ['2015-01-05 18:02:00', '2015-01-05 18:02:00'],
    ['2015-01-05', '2015-01-05'],
    ['2015-13-45T00:00:00Z', undefined],
    ['Not Found 404', undefined],
    ['1', undefined],
    ['<html>', undefined],
    ['', undefined],
  ])('parseTerminationTime(%j)', (t, want) => expect(parseTerminationTime(t)).toBe(want));
});

describe('probePublicNetwork', () => {
  let open: NetServer;
  beforeAll(async () => {
    open = await listen(createNetServer((s) => s.destroy()), 0);
  });
  afterAll(() => close(open));
  test('one reachable target is enough', async () => {
    const closed = await freePort();
    const r = await probePublicNetwork([{ host: '127.0.0.1', port: closed }, { host: '127.0.0.1', port: portOf(open) }], tcpConnect, new AbortController().signal);
    expect(r).toEqual({ status: 'ok', message: `node can connect to public network (127.0.0.1:${portOf(open)})` });
  });
  test('all targets failing is a problem naming each failure', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const r = await probePublicNetwork([{ host: '127.0.0.1', port: a }, { host: '127.0.0.1', port: b }], tcpConnect, new AbortController().signal);
    expect(r.status).toBe('problem');
    expect(r.message).toMatch(/^node could not connect to public network: /);
    expect(r.message).toContain(`127.0.0.1:${a} ECONNREFUSED`);
    expect(r.message).toContain(`127.0.0.1:${b} ECONNREFUSED`);
  });
  test('a connect that never answers ends at the deadline', async () => {
    const clock = createManualClock();
    const deadline = createDeadline(clock, 5000);
    const hang = (_t: unknown, signal: AbortSignal) => new Promise<void>((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const run = probePublicNetwork([{ host: '127.0.0.1', port: 9 }], hang, deadline.signal);
    await clock.advance(5000);
    expect(await run).toMatchObject({ status: 'problem', message: 'node could not connect to public network: 127.0.0.1:9 timed out after 5000ms' });
  });
  test.each([
    ['127.0.0.1:53', { host: '127.0.0.1', port: 53 }],
    ['[::1]:853', { host: '::1', port: 853 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
    ['127.0.0.1', undefined],
    ['127.0.0.1:0', undefined],
    ['127.0.0.1:70000', undefined],
  ])('parseTarget(%j)', (t, want) => expect(parseTarget(t)).toEqual(want));
});

describe('probeRuntime', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npd-runtime-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('docker answering /_ping OK on its socket', async () => {
    const socket = join(dir, 'docker.sock');
    const server = await listen(createHttpServer((req, res) => void res.end(req.url === '/_ping' ? 'OK' : 'no')), socket);
    try {
      const r = await probeRuntime([{ runtime: 'docker', socket }, { runtime: 'containerd', socket: join(dir, 'none.sock') }], checkRuntime, new AbortController().signal);
      expect(r).toEqual({ status: 'ok', message: 'container runtime daemon is ok (docker)' });
    } finally {
      await close(server);
    }
  });
  test('docker answering 500 is offline', async () => {
    const socket = join(dir, 'docker-bad.sock');
    const server = await listen(createHttpServer((_req, res) => void res.writeHead(500).end('boom')), socket);
    try {
      const r = await probeRuntime([{ runtime: 'docker', socket }], checkRuntime, new AbortController().signal);
      expect(r).toEqual({ status: 'problem', message: `docker daemon is offline on ${socket}: /_ping answered 500 "boom"` });
    } finally {
      await close(server);
    }
  });
  test('a socket path nobody listens on is offline', async () => {
    const socket = join(dir, 'stale.sock');
    await writeFile(socket, '');
    const r = await probeRuntime([{ runtime: 'containerd', socket }], checkRuntime, new AbortController().signal);
    expect(r.status).toBe('problem');
    expect(r.message).toBe(`containerd daemon is offline on ${socket}: ECONNREFUSED`);
  });
  test('no socket at all → unknown NoData', async () => {
    const r = await probeRuntime([{ runtime: 'docker', socket: join(dir, 'missing.sock') }], checkRuntime, new AbortController().signal);
    expect(r).toMatchObject({ status: 'unknown', cause: 'NoData' });
  });
});
