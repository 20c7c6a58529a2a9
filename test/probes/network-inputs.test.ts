/**
 * The network probes' edges (public-network, ram-role, runtime): what each failure says, what a
 * connection leaves behind, the URLs asked for, and each probe through the registry. Loopback and
 * unix sockets only; fake connect and fetch functions where the network would be needed.
 */
import { getEventListeners, once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTarget, probePublicNetwork, tcpConnect, type ConnectFunction } from '../../src/probes/public-network.js';
import { describeFetchError, parseRoleName, probeRamRole } from '../../src/probes/ram-role.js';
import { probeRegistry } from '../../src/probes/registry.js';
import { pingDocker, probeRuntime } from '../../src/probes/runtime.js';
import { configProblem, createTestContext } from './probe-context.js';

const where = { file: 'm.json', field: 'rules[0].options' };
const live = (): AbortSignal => new AbortController().signal;

function listen<T extends HttpServer | NetServer>(server: T, at: number | string): Promise<T> {
  return new Promise((resolve) => (typeof at === 'string' ? server.listen(at, () => resolve(server)) : server.listen(at, '127.0.0.1', () => resolve(server))));
}
function close(server: HttpServer | NetServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
function portOf(server: NetServer | HttpServer): number {
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

describe('public-network', () => {
  let server: NetServer;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = await listen(createNetServer((s) => void sockets.push(s.on('error', () => {}))), 0);
  });
  afterAll(() => close(server));

  test.each([
    ['foo bar:53', undefined],
    ['127.0.0.1:53x', undefined],
    ['127.0.0.1:1', { host: '127.0.0.1', port: 1 }],
    ['127.0.0.1:65535', { host: '127.0.0.1', port: 65535 }],
  ])('parseTarget(%j)', (t, want) => expect(parseTarget(t)).toEqual(want));
  test('a connection is closed once it is made, and leaves no abort listener behind', async () => {
    const signal = live();
    sockets.length = 0;
    await tcpConnect({ host: '127.0.0.1', port: portOf(server) }, signal);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    while (sockets.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const accepted = sockets[0] as Socket;
    if (!accepted.closed) await once(accepted, 'close'); // the client's destroy ends it; else this never resolves
  });
  test('a refused connection leaves no abort listener behind', async () => {
    const signal = live();
    const port = portOf(await listen(createNetServer(), 0).then(async (s) => (await close(s), s)));
    await expect(tcpConnect({ host: '127.0.0.1', port }, signal)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
  test('an aborted signal stops the connection: at once, or while it is being made', async () => {
    const before = new AbortController();
    before.abort(new Error('stopped before'));
    await expect(tcpConnect({ host: '127.0.0.1', port: portOf(server) }, before.signal)).rejects.toThrow('stopped before');
    const during = new AbortController();
    const run = tcpConnect({ host: '127.0.0.1', port: portOf(server) }, during.signal);
    during.abort(new Error('stopped during'));
    await expect(run).rejects.toThrow('stopped during');
  });
  test('each failure is named with its code, else its message, else its text, in the order they came', async () => {
    const failures: Record<string, unknown> = { a: Object.assign(new Error('x'), { code: 'EHOSTUNREACH' }), b: new Error('no route'), '::1': 'weird', c: undefined };
    const connect: ConnectFunction = async (t) => {
      throw failures[t.host];
    };
    const targets = ['a', 'b', '::1', 'c'].map((host) => ({ host, port: 853 }));
    expect(await probePublicNetwork(targets, connect, live())).toEqual({
      status: 'problem', message: 'node could not connect to public network: a:853 EHOSTUNREACH, b:853 no route, [::1]:853 weird, c:853 undefined',
    });
  });
  test('through the registry: the targets over TCP, and the timeout option by name', async () => {
    expect(configProblem('public-network', { targets: ['127.0.0.1:53'], timeout: 'soon' })).toBe('public-network.timeout must be a duration like "5s", got "soon"');
    const check = probeRegistry['public-network']({ targets: [`127.0.0.1:${portOf(server)}`] }, createTestContext(), where);
    expect(await check(live())).toEqual({ status: 'ok', message: `node can connect to public network (127.0.0.1:${portOf(server)})` });
  });
});

describe('ram-role', () => {
  test.each([
    ['an aborted signal with a message', new Error('x'), { aborted: true, reason: new Error('timed out after 5000ms') }, { cause: 'Timeout', text: 'timed out after 5000ms' }],
    ['an aborted signal without one', new Error('x'), { aborted: true, reason: 'late' }, { cause: 'Timeout', text: 'aborted' }],
    ['an aborted signal without a reason', new Error('x'), { aborted: true, reason: undefined }, { cause: 'Timeout', text: 'aborted' }],
    ['a socket error code', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }), { aborted: false }, { cause: 'NetworkError', text: 'ECONNRESET' }],
    ['an error without a cause', new Error('bad port'), { aborted: false }, { cause: 'NetworkError', text: 'bad port' }],
    ['not an error', undefined, { aborted: false }, { cause: 'NetworkError', text: 'undefined' }],
  ])('describeFetchError: %s', (_name, err, signal, want) => expect(describeFetchError(err, signal as AbortSignal)).toEqual(want));
  test.each([
    ['  RoleA  \n', 'RoleA'],
    ['\n\nRoleB\nRoleC\n', 'RoleB'],
    ['<x>Role', undefined],
    ['Role<x>', undefined],
  ])('parseRoleName(%j)', (t, want) => expect(parseRoleName(t)).toBe(want));

  const fakeMetadata = (answers: (url: string) => Response | Error) => {
    const asked: { url: string; signal: AbortSignal | undefined }[] = [];
    const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
      asked.push({ url: String(url), signal: init?.signal ?? undefined });
      const a = answers(String(url));
      if (a instanceof Error) throw a;
      return a;
    }) as typeof fetch;
    return { asked, fetchFn };
  };
  test('both requests go to the endpoint without its trailing slashes, under the signal', async () => {
    const { asked, fetchFn } = fakeMetadata((url) => new Response(url.endsWith('/') ? 'R' : '{"Code":"Success"}'));
    const signal = live();
    expect(await probeRamRole('http://metadata.test//', fetchFn, signal)).toEqual({ status: 'ok', message: 'node has ram role R' });
    const base = 'http://metadata.test/latest/meta-data/ram/security-credentials/';
    expect(asked).toEqual([{ url: base, signal }, { url: `${base}R`, signal }]);
  });
  test('a metadata error and a failed credentials request are told apart', async () => {
    const failing = fakeMetadata(() => new Response('boom', { status: 503 }));
    expect(await probeRamRole('http://metadata.test', failing.fetchFn, live())).toEqual({
      status: 'unknown', cause: 'HTTP503', message: 'metadata service answered 503 for http://metadata.test/latest/meta-data/ram/security-credentials/',
    });
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const midway = fakeMetadata((url) => (url.endsWith('/') ? new Response('R') : reset));
    expect(await probeRamRole('http://metadata.test', midway.fetchFn, live())).toEqual({
      status: 'unknown', cause: 'NetworkError', message: "couldn't reach metadata service at http://metadata.test for role R: ECONNRESET",
    });
  });
  test('the endpoint must be an origin from its first character', () => {
    expect(configProblem('ram-role', { endpoint: 'see http://h' })).toBe('ram-role.endpoint must be an http(s) origin like "http://host", got "see http://h"');
  });
});

describe('runtime', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npd-runtime-in-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  /** Runs `use` against a fake docker on a unix socket answering with `handler`. */
  async function withDocker(name: string, handler: Parameters<typeof createHttpServer>[1], use: (socket: string, asked: string[]) => Promise<void>): Promise<void> {
    const socket = join(dir, name);
    const asked: string[] = [];
    const server = await listen(createHttpServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      handler?.(req, res);
    }), socket);
    try {
      await use(socket, asked);
    } finally {
      await close(server);
    }
  }
  test.each([
    ['OK with a newline', 200, ' OK\n', undefined],
    ['200 but not OK', 200, 'not ok', '/_ping answered 200 "not ok"'],
    ['OK but 500', 500, 'OK', '/_ping answered 500 "OK"'],
    ['a long body, quoted to 40 characters', 200, 'y'.repeat(100), `/_ping answered 200 "${'y'.repeat(40)}"`],
  ])('docker answering %s', async (name, status, body, want) => {
    await withDocker(`${status}-${body.length}.sock`, (_req, res) => void res.writeHead(status).end(body), async (socket, asked) => {
      expect(await pingDocker(socket, live())).toBe(want);
      expect(asked).toEqual(['GET /_ping']);
    });
  });
  test('a docker that stops mid-answer, one that never answers, and a stale socket', async () => {
    await withDocker('cut.sock', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('O', () => res.destroy());
    }, async (socket) => {
      expect(await pingDocker(socket, live())).toBe('aborted');
    });
    await withDocker('silent.sock', () => {}, async (socket, asked) => {
      const stop = new AbortController();
      const run = pingDocker(socket, stop.signal);
      while (asked.length === 0) await new Promise((resolve) => setImmediate(resolve));
      stop.abort();
      expect(await run).toBe('timed out');
    });
    const stale = join(dir, 'stale.sock');
    await writeFile(stale, ''); // a socket path nobody listens on
    expect(await pingDocker(stale, live())).toBe('ECONNREFUSED');
  });
  test('messages name every socket and runtime', async () => {
    const endpoints = [{ runtime: 'docker', socket: join(dir, 'd.sock') }, { runtime: 'containerd', socket: join(dir, 'c.sock') }] as const;
    expect(await probeRuntime(endpoints, async () => undefined, live())).toEqual({
      status: 'unknown', cause: 'NoData', message: `no container runtime socket found (${endpoints[0].socket}, ${endpoints[1].socket})`,
    });
    const present = [{ runtime: 'docker', socket: dir }, { runtime: 'containerd', socket: dir }] as const;
    expect(await probeRuntime(present, async () => undefined, live())).toEqual({ status: 'ok', message: 'container runtime daemon is ok (docker, containerd)' });
    expect(await probeRuntime(present, async (e) => `${e.runtime} down`, live())).toEqual({
      status: 'problem', message: `docker daemon is offline on ${dir}: docker down; containerd daemon is offline on ${dir}: containerd down`,
    });
  });
  test('through the registry: both sockets from the options, the timeout option by name', async () => {
    expect(configProblem('runtime', { timeout: 'soon' })).toBe('runtime.timeout must be a duration like "5s", got "soon"');
    const [docker, containerd] = [join(dir, 'opt-d.sock'), join(dir, 'opt-c.sock')];
    const check = probeRegistry.runtime({ dockerSocket: docker, containerdSocket: containerd }, createTestContext(), where);
    expect(await check(live())).toEqual({ status: 'unknown', cause: 'NoData', message: `no container runtime socket found (${docker}, ${containerd})` });
    await withDocker('opt-d.sock', (_req, res) => void res.end('OK'), async () => {
      expect(await check(live())).toEqual({ status: 'ok', message: 'container runtime daemon is ok (docker)' });
    });
  });
});
