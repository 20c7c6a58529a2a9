/**
 * The standard gRPC health check (`grpc.health.v1.Health/Check`) over a unix socket, as containerd
 * serves it on its main socket (its `healthcheck` plugin). A daemon that accepts connections but
 * is wedged does not answer it; a bare connect cannot tell the two apart.
 *
 * The request is one HTTP/2 POST with an empty `HealthCheckRequest` (service "" = the whole
 * server); the answer's message is `HealthCheckResponse{status}`, a single varint field. Both are
 * small enough to frame by hand, so no gRPC or protobuf library is loaded. `node:http2` itself is
 * imported only when a containerd socket is checked.
 */
import type { ClientHttp2Session, IncomingHttpHeaders } from 'node:http2';
import { nodeNet } from '../core/node-builtins.js';

/** `HealthCheckResponse.ServingStatus` names by value. */
const servingStatus = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
/** gRPC status UNIMPLEMENTED: the server speaks gRPC but has no health service registered. */
const UNIMPLEMENTED = '12';
/** Length-prefixed message framing: compressed flag 0, length 0 (an empty message). */
const EMPTY_REQUEST = Buffer.alloc(5);
/** The largest answer read; a health response is 2 bytes plus 5 of framing. */
const MAX_ANSWER = 1024;

/**
 * The serving status in a length-prefixed `HealthCheckResponse`, or undefined when `frame` is not
 * one. Field 1 is omitted on the wire when it is 0 (UNKNOWN), as proto3 does.
 */
export function decodeHealthResponse(frame: Buffer): string | undefined {
  if (frame.length < 5 || frame[0] !== 0) return undefined;
  const length = frame.readUInt32BE(1);
  const message = frame.subarray(5, 5 + length);
  if (message.length !== length) return undefined;
  let status = 0;
  for (let i = 0; i < message.length; ) {
    const tag = message[i++] as number;
    if (tag === 0x08) {
      // Field 1, varint. Status values fit one byte; longer varints are read and capped. A varint
      // cut off by the end of the message makes it no HealthCheckResponse.
      let value = 0;
      let shift = 0;
      let byte: number;
      do {
        if (i >= message.length) return undefined;
        byte = message[i++] as number;
        if (shift < 28) value |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      status = value;
    } else return undefined; // no other field is defined
  }
  return servingStatus[status] ?? `status ${status}`;
}

/**
 * Asks the gRPC server on `socket` for its health; resolves with a failure text, or undefined when
 * it is SERVING (or speaks gRPC without a health service: alive, nothing more to learn).
 */
export async function checkGrpcHealth(socket: string, signal: AbortSignal): Promise<string | undefined> {
  if (signal.aborted) return 'timed out';
  return new Promise((resolve) => {
    let settled = false;
    let session: ClientHttp2Session | undefined;
    // Connected first, so a dead socket reports its own error (ECONNREFUSED, ENOENT), not a
    // cancelled stream.
    const sock = nodeNet().connect({ path: socket });
    const finish = (failure: string | undefined): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      session?.destroy();
      sock.destroy();
      resolve(failure);
    };
    const onAbort = (): void => finish('timed out');
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    // node:http2 (~5 MiB RSS) is loaded only once a runtime socket answers.
    sock.once('connect', () =>
      void import('node:http2').then(({ connect }) => {
        if (settled) return;
        session = connect('http://localhost', { createConnection: () => sock });
        session.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
        askHealth(session, finish);
      }),
    );
  });
}

/** Sends the health request on `session`; calls `finish` once with the outcome. */
function askHealth(session: ClientHttp2Session, finish: (failure: string | undefined) => void): void {
  const req = session.request({
    ':method': 'POST',
    ':path': '/grpc.health.v1.Health/Check',
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  const chunks: Buffer[] = [];
  let size = 0;
  let grpcStatus: string | undefined;
  let grpcMessage = '';
  let httpStatus = 0;
  const readStatus = (headers: IncomingHttpHeaders): void => {
    if (headers['grpc-status'] !== undefined) grpcStatus = String(headers['grpc-status']);
    if (headers['grpc-message'] !== undefined) grpcMessage = String(headers['grpc-message']);
  };
  req.on('response', (headers) => {
    httpStatus = Number(headers[':status']);
    readStatus(headers); // a trailers-only answer (an error) carries grpc-status in the headers
  });
  req.on('trailers', readStatus);
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_ANSWER) return finish(`health answer larger than ${MAX_ANSWER} bytes`);
    chunks.push(chunk);
  });
  req.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
  req.on('end', () => {
    if (httpStatus === 0) return finish('closed without answering the health check');
    if (httpStatus !== 200) return finish(`health check answered HTTP ${httpStatus}`);
    if (grpcStatus === UNIMPLEMENTED) return finish(undefined);
    if (grpcStatus !== '0') return finish(`health check failed: grpc-status ${grpcStatus ?? 'missing'}${grpcMessage ? ` (${safeDecode(grpcMessage)})` : ''}`);
    const status = decodeHealthResponse(Buffer.concat(chunks));
    if (status === undefined) return finish('health check answer is not a HealthCheckResponse');
    finish(status === 'SERVING' ? undefined : `health status ${status}`);
  });
  req.end(EMPTY_REQUEST);
}

/** grpc-message is percent-encoded; a malformed one is shown as sent. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text).slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
