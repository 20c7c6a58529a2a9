/**
 * The transport's connection pool against a plain-HTTP server on 127.0.0.1 that counts connections:
 * keep-alive reuse, at most 4 sockets by default, close() hanging up, and a response cut mid-body.
 * Everything waits on events (requests arriving, sockets closing), never on time.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { NetworkError } from '../../src/core/errors.js';
import { noopTelemetry } from '../../src/core/telemetry.js';
import { createApiTransport, type ApiRequest } from '../../src/kube/api-transport.js';
import { staticToken } from '../../src/kube/token-source.js';

const getNode: ApiRequest = { method: 'GET', path: '/api/v1/nodes/a', verb: 'get', resource: 'nodes' };

let server: http.Server;
let sockets: Socket[] = [];
let onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void;

beforeEach(async () => {
  sockets = [];
  server = http.createServer((req, res) => onRequest(req, res));
  server.keepAliveTimeout = 0; // only the client ends a kept-alive connection
  server.on('connection', (s: Socket) => void sockets.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const transport = () => createApiTransport({
  connection: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: undefined, cert: undefined, key: undefined, insecure: false, auth: staticToken(undefined) },
});

test('requests one after another share one kept-alive connection; close() hangs it up', async () => {
  onRequest = (_req, res) => res.end('{}');
  const t = transport();
  for (let i = 0; i < 3; i++) await t.request(getNode);
  expect(sockets).toHaveLength(1);
  const closed = once(sockets[0] as Socket, 'close');
  t.close();
  await closed;
});

test('at most 4 connections by default: a fifth request waits for a free one', async () => {
  const held: http.ServerResponse[] = [];
  let fourArrived!: () => void;
  const four = new Promise<void>((r) => (fourArrived = r));
  onRequest = (_req, res) => {
    held.push(res);
    if (held.length === 4) fourArrived();
    if (held.length > 4) res.end('{}');
  };
  const t = transport();
  const all = Promise.all(Array.from({ length: 5 }, () => t.request(getNode)));
  await four;
  for (const res of held.slice(0, 4)) res.end('{}');
  await all;
  expect(held).toHaveLength(5);
  expect(sockets).toHaveLength(4);
  t.close();
});

test('a response cut off mid-body is a NetworkError naming the request', async () => {
  onRequest = (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"kind":');
    setImmediate(() => res.socket?.destroy());
  };
  const t = transport();
  const err = await t.request(getNode).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NetworkError);
  expect((err as Error).message).toMatch(/^GET \/api\/v1\/nodes\/a: response: /);
  expect((err as Error).cause).toBeDefined();
  t.close();
});

test('a connection reset is a NetworkError with the cause, not a timeout', async () => {
  onRequest = (req) => req.socket.destroy();
  const t = transport();
  const err = await t.request(getNode).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NetworkError);
  // (Jest's sandbox sees Node's own errors as foreign objects, so their name comes along.)
  expect((err as Error).message).toMatch(/^GET \/api\/v1\/nodes\/a: (Error: )?socket hang up$/);
  expect((err as Error).cause).toBeDefined();
  t.close();
});

test('close() before any request does nothing', () => {
  expect(() => transport().close()).not.toThrow();
});

test('a body over the cap is reported once to telemetry, however the connection then ends', async () => {
  const results: string[] = [];
  onRequest = (req, res) => res.end(req.url === '/big' ? `"${'x'.repeat(500)}"` : '{}');
  const t = createApiTransport({
    connection: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: undefined, cert: undefined, key: undefined, insecure: false, auth: staticToken(undefined) },
    maxResponseBytes: 100,
    telemetry: { ...noopTelemetry, apiRequest: (_verb, _resource, result) => void results.push(result) },
  });
  await expect(t.request({ ...getNode, path: '/big' })).rejects.toThrow('response larger than 100 bytes');
  await once(sockets[0] as Socket, 'close');
  await t.request(getNode);
  expect(results).toEqual(['network', '200']);
  t.close();
});
