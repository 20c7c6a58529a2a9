/**
 * The transport on the wire, against a scripted plain-HTTP server on 127.0.0.1: the headers and path
 * it sends, how each answer becomes a value or an error, a 401 invalidating the token, telemetry, the
 * size cap's edge, and the read/write deadlines (each timeout's message names the deadline it used).
 * Time is a manual clock; held answers wait until the test has seen the request arrive.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createManualClock } from '../../src/core/clock.js';
import { ApiError, NetworkError } from '../../src/core/errors.js';
import { noopTelemetry } from '../../src/core/telemetry.js';
import { createApiTransport, decodeAnswer, isWrite, parseRetryAfter, type ApiRequest, type ApiTransportOptions } from '../../src/kube/api-transport.js';
import type { Connection } from '../../src/kube/connection.js';

interface Seen {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

let server: http.Server;
let port: number;
let seen: Seen[] = [];
let arrived: () => void = () => undefined;
/** Answers the request just seen; the default: 200 with a small Node. */
let answer: (res: http.ServerResponse, s: Seen) => void;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      answer(res, s);
      arrived();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen = [];
  answer = (res) => res.end('{"kind":"Node"}');
});

const getNode: ApiRequest = { method: 'GET', path: '/api/v1/nodes/a', verb: 'get', resource: 'nodes' };
const patch = (body: unknown, contentType?: string): ApiRequest => ({ method: 'PATCH', path: '/api/v1/nodes/a/status', body, verb: 'patch', resource: 'nodes/status', ...(contentType ? { contentType } : {}) });

/** A connection to the scripted server with a token source that counts `invalidate()` calls. */
const connection = (token: string | undefined, path = ''): Connection & { invalidated: number } => {
  const c = {
    server: `http://127.0.0.1:${port}${path}`, ca: undefined, cert: undefined, key: undefined, insecure: false, invalidated: 0,
    auth: { token: async () => token, invalidate: () => void c.invalidated++ },
  };
  return c;
};

const transport = (options: Partial<ApiTransportOptions> = {}, conn = connection('tok')) => {
  const clock = createManualClock();
  const t = createApiTransport({ connection: conn, clock, ...options });
  return { t, clock, conn };
};

afterEach(() => {
  server.closeAllConnections();
});

test('a GET: the bearer token, JSON accepted, the default user agent, no body headers; the server\'s path prefix kept', async () => {
  const { t } = transport({}, connection('tok', '/prefix//'));
  await expect(t.request(getNode)).resolves.toEqual({ kind: 'Node' });
  const s = seen[0];
  expect(s?.method).toBe('GET');
  expect(s?.url).toBe('/prefix/api/v1/nodes/a');
  expect(s?.headers).toMatchObject({ authorization: 'Bearer tok', accept: 'application/json', 'user-agent': 'npd-ts' });
  expect(s?.headers['content-type']).toBeUndefined();
  expect(s?.body).toBe('');
  t.close();
});

test('a PATCH: the JSON body with its byte length, JSON by default or the given content type; no token, no authorization', async () => {
  const { t } = transport({ userAgent: 'npd-ts/1.2 (node-a)' }, connection(undefined));
  await t.request(patch({ message: 'é' }));
  await t.request(patch({ n: 1 }, 'application/strategic-merge-patch+json'));
  expect(seen.map((s) => [s.method, s.headers['content-type'], s.headers['content-length'], s.body])).toEqual([
    ['PATCH', 'application/json', '16', '{"message":"é"}'],
    ['PATCH', 'application/strategic-merge-patch+json', '7', '{"n":1}'],
  ]);
  expect(seen[0]?.headers.authorization).toBeUndefined();
  expect(seen[0]?.headers['user-agent']).toBe('npd-ts/1.2 (node-a)');
  t.close();
});

test.each<[string, number, Record<string, string>, string, unknown]>([
  ['an empty 200 is undefined', 200, {}, '', undefined],
  ['a 201 with JSON is its value', 201, {}, '{"a":1}', { a: 1 }],
  ['a 2xx that is not JSON', 200, {}, 'ok', new NetworkError('GET /api/v1/nodes/a: response is not JSON')],
  ['a Status with reason and message', 404, {}, '{"kind":"Status","reason":"NotFound","message":"nodes \\"a\\" not found"}',
    new ApiError(404, 'GET /api/v1/nodes/a: 404: nodes "a" not found', { reason: 'NotFound' })],
  ['JSON that is not a Status', 500, {}, '{"kind":"Node","message":"m"}', new ApiError(500, 'GET /api/v1/nodes/a: 500')],
  ['a body that is not JSON', 503, { 'retry-after': '2' }, '<html>', new ApiError(503, 'GET /api/v1/nodes/a: 503', { retryAfterMs: 2000 })],
  ['a 300', 300, {}, '', new ApiError(300, 'GET /api/v1/nodes/a: 300')],
])('%s', async (_name, status, headers, body, want) => {
  answer = (res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const { t } = transport();
  const got = await t.request(getNode).catch((e: unknown) => e);
  if (want instanceof Error) {
    expect(got).toBeInstanceOf(want.constructor);
    expect((got as Error).message).toBe(want.message);
    if (want instanceof ApiError) expect(got).toMatchObject({ status: want.status, reason: want.reason, retryAfterMs: want.retryAfterMs });
    else expect((got as Error).cause).toBeDefined(); // the JSON parser's error
  } else expect(got).toEqual(want);
  t.close();
});

test('decodeAnswer: the status range and a Status message cut at 300 characters', () => {
  expect(decodeAnswer('GET /x', 199, undefined, '{}', 0)).toMatchObject({ ok: false, error: { status: 199 } });
  expect(decodeAnswer('GET /x', 299, undefined, '{}', 0)).toEqual({ ok: true, value: {} });
  const long = decodeAnswer('GET /x', 422, undefined, JSON.stringify({ kind: 'Status', message: 'm'.repeat(400) }), 0);
  expect(long.ok ? '' : long.error.message).toBe(`GET /x: 422: ${'m'.repeat(300)}`);
  expect(decodeAnswer('GET /x', 500, undefined, 'null', 0)).toMatchObject({ ok: false, error: { message: 'GET /x: 500' } });
});

test('parseRetryAfter: blanks, spaces around seconds, a date in the past', () => {
  expect(parseRetryAfter('  ', 0)).toBeUndefined();
  expect(parseRetryAfter(' 7 ', 0)).toBe(7000);
  expect(parseRetryAfter('120', 0)).toBe(120_000);
  // Digits inside other text are no count of seconds (nor dates).
  expect(parseRetryAfter('5s', 0)).toBeUndefined();
  expect(parseRetryAfter('x5', 0)).toBeUndefined();
  expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:00 GMT', Date.parse('2026-01-01T00:01:00Z'))).toBe(0);
  expect(isWrite(getNode)).toBe(false);
  expect(isWrite({ ...getNode, method: 'POST' })).toBe(true);
});

test('a 401 makes the token source read its token again; another status does not', async () => {
  const { t, conn } = transport();
  answer = (res) => {
    res.writeHead(403);
    res.end();
  };
  await expect(t.request(getNode)).rejects.toMatchObject({ status: 403 });
  expect(conn.invalidated).toBe(0);
  answer = (res) => {
    res.writeHead(401);
    res.end();
  };
  await expect(t.request(getNode)).rejects.toMatchObject({ status: 401 });
  expect(conn.invalidated).toBe(1);
  t.close();
});

test('telemetry gets the verb, the resource and the status or "network"', async () => {
  const results: string[] = [];
  const telemetry = { ...noopTelemetry, apiRequest: (verb: string, resource: string, result: string) => void results.push(`${verb} ${resource} ${result}`) };
  const { t } = transport({ telemetry });
  await t.request(getNode);
  answer = (res) => {
    res.writeHead(404);
    res.end();
  };
  await t.request(patch({})).catch(() => undefined);
  answer = (res) => res.destroy();
  await t.request(getNode).catch(() => undefined);
  expect(results).toEqual(['get nodes 200', 'patch nodes/status 404', 'get nodes network']);
  t.close();
});

test('a body of exactly the cap is read; one byte more is not', async () => {
  answer = (res) => res.end(`"${'x'.repeat(98)}"`);
  const { t } = transport({ maxResponseBytes: 100 });
  await expect(t.request(getNode)).resolves.toBe('x'.repeat(98));
  answer = (res) => res.end(`"${'x'.repeat(99)}"`);
  await expect(t.request(getNode)).rejects.toThrow('GET /api/v1/nodes/a: response larger than 100 bytes; not read');
  t.close();
});

test('the default cap is 4 MiB', async () => {
  answer = (res) => res.end(`"${'x'.repeat(4 * 1024 * 1024 - 1)}"`);
  const { t } = transport();
  await expect(t.request(getNode)).rejects.toThrow('response larger than 4194304 bytes');
  t.close();
});

describe('deadlines', () => {
  /** Sends `req`, lets `ms` pass on the clock once the server has it, then answers it; returns the value or error. */
  const held = async (t: ReturnType<typeof transport>, ms: number, req: ApiRequest = getNode, signal?: AbortSignal, during?: () => void): Promise<unknown> => {
    const pending: http.ServerResponse[] = [];
    answer = (res) => void pending.push(res);
    const came = new Promise<void>((r) => (arrived = r));
    const done = t.t.request(req, signal).catch((e: unknown) => e);
    await came;
    during?.();
    await t.clock.advance(ms);
    for (const res of pending) if (!res.destroyed) res.end('{"kind":"Node"}');
    return done;
  };
  const timedOut = (ms: number) => expect.objectContaining({ message: expect.stringMatching(new RegExp(`: timed out after ${ms} ms$`)), cause: expect.anything() });

  test('by default a read waits 10 s and a write 60 s', async () => {
    const t = transport();
    expect(await held(t, 10_000)).toEqual(timedOut(10_000));
    expect(await held(t, 60_000, patch({}))).toEqual(timedOut(60_000));
    t.t.close();
  });

  test('each read timeout doubles the read deadline, up to the write deadline', async () => {
    const t = transport({ timeoutMs: 10_000, writeTimeoutMs: 25_000 });
    expect(await held(t, 30_000)).toEqual(timedOut(10_000));
    expect(await held(t, 30_000)).toEqual(timedOut(20_000));
    expect(await held(t, 30_000)).toEqual(timedOut(25_000));
    t.t.close();
  });

  test('a write that times out leaves the read deadline as it was', async () => {
    const t = transport({ timeoutMs: 10_000, writeTimeoutMs: 20_000 });
    expect(await held(t, 20_000, patch({}))).toEqual(timedOut(20_000));
    expect(await held(t, 10_000)).toEqual(timedOut(10_000));
    t.t.close();
  });

  test('a write deadline shorter than the read deadline is raised to it', async () => {
    const t = transport({ timeoutMs: 10_000, writeTimeoutMs: 5000 });
    expect(await held(t, 5000, patch({}))).toEqual({ kind: 'Node' });
    expect(await held(t, 10_000, patch({}))).toEqual(timedOut(10_000));
    t.t.close();
  });

  test('only a read answered in under half the base deadline brings the base back', async () => {
    const t = transport({ timeoutMs: 10_000 });
    expect(await held(t, 10_000)).toEqual(timedOut(10_000)); // now 20 s
    expect(await held(t, 0, patch({}))).toEqual({ kind: 'Node' }); // a quick write: still 20 s
    expect(await held(t, 5000)).toEqual({ kind: 'Node' }); // not under 5 s: still 20 s
    expect(await held(t, 20_000)).toEqual(timedOut(20_000)); // now 40 s
    expect(await held(t, 4999)).toEqual({ kind: 'Node' }); // quick: 10 s again
    expect(await held(t, 10_000)).toEqual(timedOut(10_000));
    t.t.close();
  });

  test('a request the caller aborts is no timeout: its own message, and the read deadline stays', async () => {
    const t = transport({ timeoutMs: 10_000 });
    const caller = new AbortController();
    const err = await held(t, 0, getNode, caller.signal, () => caller.abort());
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/^GET \/api\/v1\/nodes\/a: /);
    expect((err as Error).message).not.toMatch(/timed out/);
    expect(await held(t, 10_000)).toEqual(timedOut(10_000));
    t.t.close();
  });
});
