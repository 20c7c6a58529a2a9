/**
 * The node client's shared back-off gate, on a manual clock with a scripted transport: an outage
 * costs one request per back-off step whatever the number of waiting calls, and Retry-After is
 * honoured with jitter (1–2 × the asked wait) for every call of the node.
 */
import { createManualClock } from '../../src/core/clock.js';
import { ApiError, NetworkError } from '../../src/core/errors.js';
import type { ApiRequest, ApiTransport } from '../../src/kube/api-transport.js';
import { createNodeClient } from '../../src/kube/node-client.js';

interface Sent {
  readonly at: number;
  readonly req: ApiRequest;
}

/** A transport whose answers come from `answer` (throw to fail), logging each request. */
function scripted(clock: { now(): number }, answer: (req: ApiRequest, n: number) => unknown): ApiTransport & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async request<T>(req: ApiRequest): Promise<T> {
      sent.push({ at: clock.now(), req });
      return answer(req, sent.length) as T;
    },
    close() {},
  };
}

test('an outage: waiting calls share one probe per back-off step, and all succeed after it', async () => {
  const clock = createManualClock(0);
  let down = true;
  const t = scripted(clock, () => {
    if (down) throw new NetworkError('connect ECONNREFUSED');
    return { metadata: { name: 'node-a' } };
  });
  const client = createNodeClient({ transport: t, nodeName: 'node-a', clock, random: () => 0.5, attempts: 1000, baseDelayMs: 1000, maxDelayMs: 60_000 });
  const calls = [
    client.getNode(),
    client.patchNodeStatus({ status: {} }),
    client.createEvent('default', { metadata: { name: 'e1' }, involvedObject: {} }),
    client.createEvent('default', { metadata: { name: 'e2' }, involvedObject: {} }),
  ];
  await clock.advance(300_000);
  // Four callers, 300 s: the first try of each, then one probe per step (0.75 s, 1.5 s, 3 s … ≤ 60 s).
  const duringOutage = t.sent.length;
  expect(duringOutage).toBeLessThanOrEqual(4 + 11);
  const gaps = t.sent.slice(4).map((s, i) => s.at - (t.sent[i + 3]?.at ?? 0));
  expect(gaps.every((g) => g > 0)).toBe(true); // never two probes at once
  expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
  down = false;
  await clock.advance(60_000);
  await expect(Promise.all(calls)).resolves.toHaveLength(4);
  expect(t.sent.length - duringOutage).toBe(4);
});

test('Retry-After is waited 1–2 times over, by every call of the node', async () => {
  for (const [random, wait] of [[0, 1000], [0.5, 1500], [0.999, 1999]] as const) {
    const clock = createManualClock(0);
    const t = scripted(clock, (_req, n) => {
      if (n === 1) throw new ApiError(429, 'too many', { retryAfterMs: 1000 });
      return {};
    });
    const client = createNodeClient({ transport: t, nodeName: 'node-a', clock, random: () => random, maxDelayMs: 60_000 });
    const first = client.patchNodeStatus({ status: {} });
    await clock.advance(0);
    // A second call while the gate is shut waits too: no request before the wait is over.
    const second = client.createEvent('default', { metadata: { name: 'e' }, involvedObject: {} });
    await clock.advance(wait - 1);
    expect(t.sent).toHaveLength(1);
    await clock.advance(1);
    await Promise.all([first, second]);
    expect(t.sent.map((s) => s.at)).toEqual([0, wait, wait]);
  }
});

test('a conflict is retried soon without shutting the gate for the other calls', async () => {
  const clock = createManualClock(0);
  const t = scripted(clock, (req, n) => {
    if (n === 1) throw new ApiError(409, 'conflict');
    return req.method;
  });
  const client = createNodeClient({ transport: t, nodeName: 'node-a', clock, random: () => 0, baseDelayMs: 200 });
  const patch = client.patchNodeStatus({ status: {} });
  await clock.advance(0);
  await expect(client.getNode()).resolves.toBe('GET');
  await clock.advance(200);
  await expect(patch).resolves.toBe('PATCH');
  expect(t.sent.map((s) => [s.at, s.req.method])).toEqual([[0, 'PATCH'], [0, 'GET'], [100, 'PATCH']]);
});
