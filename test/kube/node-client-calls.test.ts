/**
 * The node client's four calls as requests (method, path, body, content type, telemetry names), which
 * errors are retried and how often, and the gate's back-off steps — on a manual clock with a scripted
 * transport.
 */
import { createManualClock } from '../../src/core/clock.js';
import { ApiError, ConfigError, NetworkError } from '../../src/core/errors.js';
import type { ApiRequest, ApiTransport } from '../../src/kube/api-transport.js';
import { createNodeClient, isRetryable, isUnavailable, strategicMergePatch, type NodeClientOptions } from '../../src/kube/node-client.js';

interface Sent {
  readonly at: number;
  readonly req: ApiRequest;
  readonly signal: AbortSignal | undefined;
}

/** A transport whose answers come from `answer` (throw to fail), logging each request. */
function scripted(clock: { now(): number }, answer: (req: ApiRequest, n: number) => unknown): ApiTransport & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async request<T>(req: ApiRequest, signal?: AbortSignal): Promise<T> {
      sent.push({ at: clock.now(), req, signal });
      return answer(req, sent.length) as T;
    },
    close() {},
  };
}

const clientWith = (answer: (req: ApiRequest, n: number) => unknown, options: Partial<NodeClientOptions> = {}) => {
  const clock = createManualClock(0);
  const transport = scripted(clock, answer);
  const client = createNodeClient({ transport, nodeName: 'node/a b', clock, random: () => 0.5, ...options });
  return { clock, transport, client };
};

test('each call is the request the apiserver expects, the node and namespace names escaped', async () => {
  const { transport, client } = clientWith((req) => ({ echo: req.method }));
  const signal = new AbortController().signal;
  expect(client.nodeName).toBe('node/a b');
  await expect(client.getNode(signal)).resolves.toEqual({ echo: 'GET' });
  await client.getNode(undefined, true);
  await client.patchNodeStatus({ status: { conditions: [] } });
  await client.createEvent('kube system', { metadata: { name: 'e' }, involvedObject: {} });
  await client.patchEvent('kube system', 'e/1', { count: 2 });
  expect(transport.sent.map((s) => s.req)).toEqual([
    { method: 'GET', path: '/api/v1/nodes/node%2Fa%20b', verb: 'get', resource: 'nodes' },
    { method: 'GET', path: '/api/v1/nodes/node%2Fa%20b?resourceVersion=0', verb: 'get', resource: 'nodes' },
    { method: 'PATCH', path: '/api/v1/nodes/node%2Fa%20b/status', body: { status: { conditions: [] } }, contentType: strategicMergePatch, verb: 'patch', resource: 'nodes/status' },
    { method: 'POST', path: '/api/v1/namespaces/kube%20system/events', body: { metadata: { name: 'e' }, involvedObject: {} }, verb: 'create', resource: 'events' },
    { method: 'PATCH', path: '/api/v1/namespaces/kube%20system/events/e%2F1', body: { count: 2 }, contentType: strategicMergePatch, verb: 'patch', resource: 'events' },
  ]);
  expect(strategicMergePatch).toBe('application/strategic-merge-patch+json');
  expect(transport.sent[0]?.signal).toBe(signal);
});

test.each([
  ['a network error', new NetworkError('reset'), true, true, true],
  ['500', new ApiError(500, 'x'), true, true, true],
  ['503', new ApiError(503, 'x'), true, true, true],
  ['429', new ApiError(429, 'x'), true, true, true],
  ['499', new ApiError(499, 'x'), false, false, false],
  ['409', new ApiError(409, 'x'), false, true, false],
  ['404', new ApiError(404, 'x'), false, false, false],
  ['another error', new ConfigError('f', '', 'x'), false, false, false],
])('%s: whether the apiserver is away, whether a status patch and an Event create retry it', (_name, err, unavailable, patch, create) => {
  expect(isUnavailable(err)).toBe(unavailable);
  expect(isRetryable(err)).toBe(patch);
  expect(isRetryable(err, true)).toBe(patch);
  expect(isRetryable(err, false)).toBe(create);
});

test('a call is tried 4 times by default, then the last error is thrown', async () => {
  const { clock, transport, client } = clientWith((_req, n) => {
    throw new ApiError(500, `fail ${n}`);
  });
  const done = client.getNode().catch((e: unknown) => e);
  await clock.advance(60_000);
  expect(await done).toMatchObject({ status: 500, message: 'fail 4' });
  expect(transport.sent).toHaveLength(4);
});

test('the back-off doubles from 200 ms with jitter, capped at 10 s by default, and resets after a success', async () => {
  let up = false;
  const { clock, transport, client } = clientWith(() => {
    if (!up) throw new NetworkError('refused');
    return {};
  }, { attempts: 9 });
  const done = client.getNode();
  await clock.advance(100_000);
  // random 0.5: 3/4 of 200·2^(n-1) ms, the last steps at the 10 s cap.
  const gaps = transport.sent.slice(1).map((s, i) => s.at - (transport.sent[i]?.at ?? 0));
  expect(gaps).toEqual([150, 300, 600, 1200, 2400, 4800, 9600, 10_000]);
  await expect(done).rejects.toBeInstanceOf(NetworkError);
  up = true;
  const after = client.getNode();
  await clock.advance(10_000);
  await after;
  up = false;
  const next = client.getNode().catch(() => undefined);
  await clock.advance(0);
  const at = transport.sent.length;
  await clock.advance(149);
  expect(transport.sent).toHaveLength(at);
  await clock.advance(1);
  expect(transport.sent).toHaveLength(at + 1);
  await clock.advance(100_000);
  await next;
});

test('a Retry-After longer than the cap is waited only up to maxDelayMs', async () => {
  const { clock, transport, client } = clientWith((_req, n) => {
    if (n === 1) throw new ApiError(503, 'busy', { retryAfterMs: 120_000 });
    return {};
  }, { maxDelayMs: 5000 });
  const done = client.patchNodeStatus({});
  await clock.advance(4999);
  expect(transport.sent).toHaveLength(1);
  await clock.advance(1);
  await done;
  expect(transport.sent.map((s) => s.at)).toEqual([0, 5000]);
});

test('a shorter back-off never shortens a longer one already set', async () => {
  const { clock, transport, client } = clientWith((_req, n) => {
    if (n === 1) throw new ApiError(429, 'slow down', { retryAfterMs: 4000 });
    if (n === 2) throw new ApiError(503, 'busy', { retryAfterMs: 0 });
    return {};
  }, { random: () => 0 });
  const both = Promise.all([client.patchNodeStatus({}), client.getNode()]);
  await clock.advance(3999);
  expect(transport.sent.map((s) => s.at)).toEqual([0, 0]);
  await clock.advance(1);
  await both;
  expect(transport.sent.map((s) => s.at)).toEqual([0, 0, 4000, 4000]);
});

test.each([
  ['404', new ApiError(404, 'not found')],
  ['a 409 on an Event create', new ApiError(409, 'exists')],
])('%s is thrown at once, never retried', async (_name, err) => {
  const { transport, client } = clientWith(() => {
    throw err;
  });
  await expect(client.createEvent('default', { metadata: { name: 'e' }, involvedObject: {} })).rejects.toBe(err);
  expect(transport.sent).toHaveLength(1);
});

test('a 409 on a status patch is re-applied, on an Event patch it is not', async () => {
  const { clock, transport, client } = clientWith((_req, n) => {
    if (n <= 2) throw new ApiError(409, 'conflict');
    return {};
  });
  const status = client.patchNodeStatus({});
  await clock.advance(10_000);
  await status;
  expect(transport.sent).toHaveLength(3);
  const ev = clientWith(() => {
    throw new ApiError(409, 'conflict');
  });
  await expect(ev.client.patchEvent('default', 'e', {})).rejects.toMatchObject({ status: 409 });
  expect(ev.transport.sent).toHaveLength(1);
});

test('an aborted call is not retried', async () => {
  const controller = new AbortController();
  const { transport, client } = clientWith(() => {
    controller.abort();
    throw new NetworkError('aborted');
  });
  await expect(client.getNode(controller.signal)).rejects.toBeInstanceOf(NetworkError);
  expect(transport.sent).toHaveLength(1);
});

test('while the probe is in flight the other calls wait for it, then all go', async () => {
  let release!: () => void;
  const { clock, transport, client } = clientWith((_req, n) => {
    if (n === 1) throw new NetworkError('refused');
    if (n === 2) return new Promise((r) => (release = () => r({ probe: true })));
    return {};
  });
  const first = client.getNode();
  await clock.advance(0);
  const others = [client.getNode(), client.patchNodeStatus({})];
  await clock.advance(150);
  expect(transport.sent.map((s) => s.at)).toEqual([0, 150]);
  release();
  await expect(Promise.all([first, ...others])).resolves.toEqual([{ probe: true }, {}, {}]);
  expect(transport.sent.map((s) => s.at)).toEqual([0, 150, 150, 150]);
});

test('a Retry-After of 0 is retried at once: no back-off of its own on top', async () => {
  const { clock, transport, client } = clientWith((_req, n) => {
    if (n === 1) throw new ApiError(503, 'busy', { retryAfterMs: 0 });
    return {};
  }, { random: () => 0 });
  const done = client.getNode();
  await clock.advance(0);
  await done;
  expect(transport.sent.map((s) => s.at)).toEqual([0, 0]);
});
