/**
 * The containerd check against a real HTTP/2 gRPC server on a unix socket (node:http2), answering
 * as containerd's health service would, or not.
 */
import { createServer as createH2Server, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { createServer as createNetServer, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGrpcHealth, decodeHealthResponse } from '../../src/probes/grpc-health.js';
import { checkRuntime, probeRuntime } from '../../src/probes/runtime.js';

/** A length-prefixed gRPC message. */
const frame = (message: number[]): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), Buffer.from(message)]);

type Answer = (stream: ServerHttp2Stream, body: Buffer, path: string) => void;

/** Answers with `message` and grpc-status 0, as a gRPC server does. */
const ok = (message: number[]): Answer => (stream) => {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(frame(message));
};
/** A trailers-only error answer. */
const error = (code: string, message: string): Answer => (stream) => {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': code, 'grpc-message': encodeURIComponent(message) }, { endStream: true });
};

let dir: string;
let n = 0;
const servers: (Http2Server | Server)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-grpc-'));
});
afterAll(async () => {
  for (const s of servers) s.close();
  await rm(dir, { recursive: true, force: true });
});

/** A fake containerd on a fresh socket; records what it was asked. */
async function containerd(answer: Answer): Promise<{ socket: string; asked: { path: string; body: Buffer; contentType: string }[] }> {
  const socket = join(dir, `containerd-${n++}.sock`);
  const asked: { path: string; body: Buffer; contentType: string }[] = [];
  const server = createH2Server();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = String(headers[':path']);
      asked.push({ path, body, contentType: String(headers['content-type']) });
      answer(stream, body, path);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(socket, r));
  return { socket, asked };
}

const live = (): AbortSignal => new AbortController().signal;

test('SERVING: ok; the request is Health/Check with an empty HealthCheckRequest', async () => {
  const c = await containerd(ok([0x08, 0x01]));
  expect(await checkGrpcHealth(c.socket, live())).toBeUndefined();
  expect(c.asked).toEqual([{ path: '/grpc.health.v1.Health/Check', body: Buffer.alloc(5), contentType: 'application/grpc' }]);
  expect(await probeRuntime([{ runtime: 'containerd', socket: c.socket }], checkRuntime, live())).toEqual({ status: 'ok', message: 'container runtime daemon is ok (containerd)' });
});

test.each([
  ['NOT_SERVING', ok([0x08, 0x02]), 'health status NOT_SERVING'],
  ['UNKNOWN (field omitted, proto3 default)', ok([]), 'health status UNKNOWN'],
  ['an error status', error('14', 'shutting down'), 'health check failed: grpc-status 14 (shutting down)'],
  ['garbage instead of a HealthCheckResponse', ok([0x12, 0x01, 0x41]), 'health check answer is not a HealthCheckResponse'],
  ['HTTP 503', (s: ServerHttp2Stream) => void s.respond({ ':status': 503 }, { endStream: true }), 'health check answered HTTP 503'],
])('%s → offline with the reason', async (_name, answer, failure) => {
  const c = await containerd(answer);
  expect(await checkGrpcHealth(c.socket, live())).toBe(failure);
  const r = await probeRuntime([{ runtime: 'containerd', socket: c.socket }], checkRuntime, live());
  expect(r).toEqual({ status: 'problem', message: `containerd daemon is offline on ${c.socket}: ${failure}` });
});

test('UNIMPLEMENTED (a gRPC server without the health service) counts as answering', async () => {
  const c = await containerd(error('12', 'unknown service grpc.health.v1.Health'));
  expect(await checkGrpcHealth(c.socket, live())).toBeUndefined();
});

test('a daemon that accepts the connection but never answers ends at the deadline', async () => {
  const c = await containerd(() => {});
  const ac = new AbortController();
  const pending = checkGrpcHealth(c.socket, ac.signal);
  await new Promise((r) => setTimeout(r, 50));
  ac.abort();
  expect(await pending).toBe('timed out');
});

test('a socket that accepts but speaks no HTTP/2 (closes at once) is offline', async () => {
  const socket = join(dir, 'closer.sock');
  const server = createNetServer((s) => s.destroy());
  servers.push(server);
  await new Promise<void>((r) => server.listen(socket, r));
  expect(await checkGrpcHealth(socket, live())).toMatch(/^(closed without answering the health check|ECONNRESET|ERR_HTTP2_\w+)$/);
});

test('nobody listening: ECONNREFUSED / ENOENT', async () => {
  expect(await checkGrpcHealth(join(dir, 'missing.sock'), live())).toBe('ENOENT');
});

test.each([
  [[0, 0, 0, 0, 2, 0x08, 0x01], 'SERVING'],
  [[0, 0, 0, 0, 0], 'UNKNOWN'],
  [[0, 0, 0, 0, 2, 0x08, 0x03], 'SERVICE_UNKNOWN'],
  [[0, 0, 0, 0, 3, 0x08, 0x89, 0x01], 'status 137'],
  [[1, 0, 0, 0, 2, 0x08, 0x01], undefined], // compressed: not ours to inflate
  [[0, 0, 0, 0, 9, 0x08], undefined], // cut short
])('decodeHealthResponse(%j) = %s', (bytes, want) => {
  expect(decodeHealthResponse(Buffer.from(bytes))).toBe(want);
});
