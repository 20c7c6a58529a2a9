/**
 * The containerd health check's edges against a real HTTP/2 server on a unix socket: an answer
 * too large, a status only in the trailers or missing, grpc-message decoding, a deadline already
 * passed, and the decoder's bounds.
 */
import { createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGrpcHealth, decodeHealthResponse } from '../../src/probes/grpc-health.js';

let dir: string;
let n = 0;
const servers: Http2Server[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-grpc-'));
});
afterAll(async () => {
  for (const s of servers) s.close();
  await rm(dir, { recursive: true, force: true });
});

/** A server on a fresh socket answering each request with `answer`; counts the requests. */
async function server(answer: (stream: ServerHttp2Stream) => void): Promise<{ socket: string; requests: () => number }> {
  const socket = join(dir, `s-${n++}.sock`);
  let requests = 0;
  const s = createServer();
  s.on('stream', (stream) => {
    requests++;
    stream.on('data', () => {});
    stream.on('end', () => answer(stream));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(socket, r));
  return { socket, requests: () => requests };
}
const live = (): AbortSignal => new AbortController().signal;
const grpc = { ':status': 200, 'content-type': 'application/grpc' };

test('a deadline already passed: timed out, nothing sent', async () => {
  const s = await server((stream) => stream.respond(grpc, { endStream: true }));
  expect(await checkGrpcHealth(s.socket, AbortSignal.abort())).toBe('timed out');
  expect(s.requests()).toBe(0);
});

test('an answer over 1024 bytes is refused', async () => {
  const s = await server((stream) => {
    stream.respond(grpc);
    stream.end(Buffer.alloc(1025));
  });
  expect(await checkGrpcHealth(s.socket, live())).toBe('health answer larger than 1024 bytes');
});

test('an answer of exactly 1024 bytes is read (and is no HealthCheckResponse)', async () => {
  const body = Buffer.alloc(1024);
  body.writeUInt32BE(1019, 1);
  const s = await server((stream) => {
    stream.respond(grpc, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(body);
  });
  expect(await checkGrpcHealth(s.socket, live())).toBe('health check answer is not a HealthCheckResponse');
});

test('an error status in the trailers, after the headers', async () => {
  const s = await server((stream) => {
    stream.respond(grpc, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '5', 'grpc-message': 'not%20found' }));
    stream.end();
  });
  expect(await checkGrpcHealth(s.socket, live())).toBe('health check failed: grpc-status 5 (not found)');
});

test('no grpc-status at all', async () => {
  const s = await server((stream) => {
    stream.respond(grpc);
    stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01]));
  });
  expect(await checkGrpcHealth(s.socket, live())).toBe('health check failed: grpc-status missing');
});

test.each([
  ['malformed percent-encoding is shown as sent', '100%', '100%'],
  ['a long message is cut at 200 characters', 'x'.repeat(300), 'x'.repeat(200)],
  ['a long malformed one too', `%${'y'.repeat(300)}`, `%${'y'.repeat(199)}`],
])('grpc-message: %s', async (_name, sent, shown) => {
  const s = await server((stream) => stream.respond({ ...grpc, 'grpc-status': '13', 'grpc-message': sent }, { endStream: true }));
  expect(await checkGrpcHealth(s.socket, live())).toBe(`health check failed: grpc-status 13 (${shown})`);
});

test.each([
  [[0, 0, 0, 0], undefined], // shorter than the 5-byte prefix
  [[0, 0, 0, 0, 6, 0x08, 0xff, 0xff, 0xff, 0xff, 0x0f], 'status 268435455'], // a long varint, capped at 28 bits
  [[0, 0, 0, 0, 4, 0x08, 0x01, 0x08, 0x02], 'NOT_SERVING'], // repeated: the last wins, as in protobuf
  [[0, 0, 0, 0, 2, 0x08, 0x81], undefined], // a varint cut by the end of the message (was read as SERVING)
  [[0, 0, 0, 0, 1, 0x08, 0x01], undefined], // the field cut off by the length (was read as UNKNOWN)
])('decodeHealthResponse(%j) = %s', (bytes, want) => {
  expect(decodeHealthResponse(Buffer.from(bytes))).toBe(want);
});
