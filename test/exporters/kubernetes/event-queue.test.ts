import { createManualClock } from '../../../src/core/clock.js';
import { createEventCorrelator } from '../../../src/exporters/kubernetes/event-correlator.js';
import { createEventQueue } from '../../../src/exporters/kubernetes/event-queue.js';
import type { WireEvent } from '../../../src/kube/wire-types.js';
import { noopTelemetry, type Telemetry } from '../../../src/core/telemetry.js';
import { createMemoryLogger, type Logger } from '../../../src/core/logger.js';
import { getEventListeners } from 'node:events';
import { createFakeNodeClient, networkDown, rejected } from './fake-node-client.js';

const ev = (reason: string, message = 'm'): WireEvent => ({
  metadata: { namespace: 'default' },
  involvedObject: { kind: 'Node', name: 'node-a', uid: 'uid-a', apiVersion: 'v1' },
  reason,
  message,
  type: 'Warning',
  source: { component: 'kernel-monitor', host: 'node-a' },
});

function recordingTelemetry(): Telemetry & { counts: { eventDropped: Record<string, number>; api: string[] } } {
  const counts = { eventDropped: {} as Record<string, number>, api: [] as string[] };
  return {
    ...noopTelemetry,
    counts,
    eventDropped: (reason) => void (counts.eventDropped[reason] = (counts.eventDropped[reason] ?? 0) + 1),
    apiRequest: (verb, resource, result) => void counts.api.push(`${verb} ${resource} ${result}`),
  };
}

function rig(capacity?: number, logger?: Logger, retryMaxMs?: number) {
  const clock = createManualClock();
  const client = createFakeNodeClient('node-a', clock.now);
  const telemetry = recordingTelemetry();
  const queue = createEventQueue({ client, correlator: createEventCorrelator({ clock }), clock, random: () => 0.5, telemetry, ...(capacity ? { capacity } : {}), ...(logger ? { logger } : {}), ...(retryMaxMs ? { retryMaxMs } : {}) });
  const ac = new AbortController();
  return { clock, client, telemetry, queue, start: () => queue.run(ac.signal), stop: () => ac.abort() };
}

test('when full, the oldest events are dropped and counted', async () => {
  const r = rig(3);
  for (let i = 0; i < 5; i++) r.queue.push(ev(`Reason${i}`));
  expect(r.queue.size()).toBe(3);
  const running = r.start();
  await r.clock.advance(0);
  expect(r.client.calls.map((c) => (c.args[1] as WireEvent).reason)).toEqual(['Reason2', 'Reason3', 'Reason4']);
  expect(r.telemetry.counts.eventDropped).toEqual({ 'queue-full': 2 });
  r.stop();
  await running;
});

test('queued duplicates are merged into one request carrying the newest count', async () => {
  const r = rig();
  for (let i = 0; i < 10; i++) r.queue.push(ev('OOMKilling'));
  expect(r.queue.size()).toBe(1);
  const running = r.start();
  await r.clock.advance(0);
  expect(r.client.calls).toHaveLength(1);
  expect(r.client.calls[0]).toMatchObject({ call: 'createEvent', args: ['default', { count: 10 }] });
  r.queue.push(ev('OOMKilling'));
  await r.clock.advance(0);
  expect(r.client.calls[1]).toMatchObject({ call: 'patchEvent', args: ['default', expect.stringMatching(/^node-a\./), { count: 11 }] });
  r.stop();
  await running;
});

test('a PATCH answered 404 becomes a create; a rejected event is dropped; the network is retried', async () => {
  const r = rig();
  const running = r.start();
  r.queue.push(ev('A'));
  await r.clock.advance(0);
  r.client.failures.push(rejected(404));
  r.queue.push(ev('A'));
  await r.clock.advance(0);
  expect(r.client.calls.map((c) => c.call)).toEqual(['createEvent', 'patchEvent', 'createEvent']);
  r.client.failures.push(rejected(422));
  r.queue.push(ev('B'));
  await r.clock.advance(0);
  expect(r.telemetry.counts.eventDropped).toEqual({ rejected: 1 });
  r.client.failures.push(networkDown(), networkDown());
  r.queue.push(ev('C'));
  await r.clock.advance(0);
  expect(r.client.calls.filter((c) => (c.args[1] as WireEvent)?.reason === 'C')).toHaveLength(1);
  await r.clock.advance(60_000);
  expect(r.client.calls.filter((c) => (c.args[1] as WireEvent)?.reason === 'C')).toHaveLength(3);
  expect(r.queue.size()).toBe(0);
  r.stop();
  await running;
});

test('an event is given up after 12 network failures', async () => {
  const r = rig();
  const running = r.start();
  for (let i = 0; i < 12; i++) r.client.failures.push(networkDown());
  r.queue.push(ev('D'));
  await r.clock.advance(30 * 60_000);
  expect(r.client.calls).toHaveLength(12);
  expect(r.telemetry.counts.eventDropped).toEqual({ rejected: 1 });
  r.stop();
  await running;
});

const never = (): Promise<void> => new Promise<void>(() => undefined);
/** Holds the client's calls until the returned function is called. */
const gate = (r: ReturnType<typeof rig>): (() => void) => {
  let open = (): void => undefined;
  r.client.gate = new Promise<void>((resolve) => (open = resolve));
  return () => {
    r.client.gate = undefined;
    open();
  };
};
const reasons = (r: ReturnType<typeof rig>): string[] => r.client.calls.map((c) => `${c.call} ${(c.args[1] as WireEvent).reason ?? (c.args[2] as { count: number }).count}`);

test('duplicates of an event in flight queue one PATCH carrying the newest count', async () => {
  const r = rig();
  const running = r.start();
  const open = gate(r);
  r.queue.push(ev('A'));
  await r.clock.advance(0);
  r.queue.push(ev('A'));
  r.queue.push(ev('A'));
  expect(r.queue.size()).toBe(2); // the create in flight and one PATCH
  open();
  await r.clock.advance(0);
  expect(reasons(r)).toEqual(['createEvent A', 'patchEvent 3']);
  r.stop();
  await running;
});

test('the default capacity is 1000 events; spam is dropped and counted before it takes a slot', () => {
  const r = rig();
  for (let i = 0; i < 1001; i++) r.queue.push(ev(`Reason${i}`));
  expect(r.queue.size()).toBe(1000);
  expect(r.telemetry.counts.eventDropped).toEqual({ 'queue-full': 1 });
  const s = rig();
  for (let i = 0; i < 30; i++) s.queue.push(ev('OOMKilling', `Killed process ${i % 5}`));
  expect(s.telemetry.counts.eventDropped).toEqual({ 'spam-filter': 5 });
});

test('a PATCH answered 404 is created without its resourceVersion; one answered 500 is dropped', async () => {
  const r = rig();
  const running = r.start();
  r.queue.push(ev('A'));
  await r.clock.advance(0);
  r.client.failures.push(rejected(404));
  r.queue.push(ev('A'));
  await r.clock.advance(0);
  const recreated = r.client.calls[2]?.args[1] as WireEvent;
  expect(recreated.metadata).toEqual({ namespace: 'default', name: (r.client.calls[0]?.args[1] as WireEvent).metadata.name });
  expect(recreated.count).toBe(2);
  r.client.failures.push(rejected(500));
  r.queue.push(ev('A'));
  await r.clock.advance(0);
  expect(r.client.calls.map((c) => c.call)).toEqual(['createEvent', 'patchEvent', 'createEvent', 'patchEvent']);
  expect(r.telemetry.counts.eventDropped).toEqual({ rejected: 1 });
  r.stop();
  await running;
});

test('network retries back off from 1 s to 30 s (equal jitter), and start over after a success', async () => {
  const r = rig();
  const running = r.start();
  for (let i = 0; i < 8; i++) r.client.failures.push(networkDown());
  r.queue.push(ev('A'));
  await r.clock.advance(120_000);
  r.client.failures.push(networkDown());
  r.queue.push(ev('B'));
  await r.clock.advance(1000);
  const at = r.client.calls.map((c) => c.at ?? NaN);
  // random 0.5: 3/4 of 1, 2, 4, 8, 16, 30, 30, 30 s; after the success, 3/4 of 1 s again.
  expect(at.slice(1).map((x, i) => x - (at[i] ?? 0))).toEqual([750, 1500, 3000, 6000, 12_000, 22_500, 22_500, 22_500, 120_000 - 90_750, 750]);
  r.stop();
  await running;
});

test.each([
  ['sent', undefined],
  ['rejected', rejected(422)],
])('an event dropped for room while in flight (then %s) does not take the next one with it', async (_name, failure) => {
  const r = rig(2);
  const running = r.start();
  const open = gate(r);
  if (failure) r.client.failures.push(failure);
  r.queue.push(ev('A'));
  await r.clock.advance(0);
  r.queue.push(ev('B'));
  r.queue.push(ev('C')); // full: A, in flight, is dropped from the queue
  open();
  await r.clock.advance(0);
  expect(reasons(r)).toEqual(['createEvent A', 'createEvent B', 'createEvent C']);
  r.stop();
  await running;
});

test('an abort while sending ends the run without dropping the event; a rejected event is logged with its reason', async () => {
  const logger = createMemoryLogger();
  const r = rig(undefined, logger);
  const running = r.start();
  r.client.gate = never();
  r.queue.push(ev('A'));
  await r.clock.advance(0);
  r.stop();
  await running;
  expect(r.telemetry.counts.eventDropped).toEqual({});
  expect(r.queue.size()).toBe(1);
  const s = rig(undefined, logger);
  const again = s.start();
  s.client.failures.push(rejected(422));
  s.queue.push(ev('B'));
  await s.clock.advance(0);
  expect(logger.records.map((l) => [l.level, l.msg, l['reason'], l['error']])).toEqual([['warn', 'event not recorded', 'B', 'rejected 422']]);
  s.stop();
  await again;
});

test('a duplicate merges into its own queued event, not another one', async () => {
  const r = rig();
  r.queue.push(ev('A'));
  r.queue.push(ev('B'));
  r.queue.push(ev('A'));
  const running = r.start();
  await r.clock.advance(0);
  expect(r.client.calls.map((c) => `${(c.args[1] as WireEvent).reason} ${(c.args[1] as WireEvent).count}`)).toEqual(['A 2', 'B 1']);
  r.stop();
  await running;
});

test('a duplicate of an event dropped for room is queued anew, not merged into the dropped one', async () => {
  const r = rig(2);
  r.queue.push(ev('A'));
  r.queue.push(ev('B'));
  r.queue.push(ev('C')); // A dropped
  r.queue.push(ev('A')); // B dropped
  const running = r.start();
  await r.clock.advance(0);
  expect(reasons(r)).toEqual(['createEvent C', 'patchEvent 2']);
  r.stop();
  await running;
});

test('retryMaxMs caps the back-off', async () => {
  const r = rig(undefined, undefined, 2000);
  const running = r.start();
  for (let i = 0; i < 3; i++) r.client.failures.push(networkDown());
  r.queue.push(ev('A'));
  await r.clock.advance(60_000);
  const at = r.client.calls.map((c) => c.at ?? NaN);
  expect(at.slice(1).map((x, i) => x - (at[i] ?? 0))).toEqual([750, 1500, 1500]);
  r.stop();
  await running;
});

test('idle spells leave no abort listener behind on the run\'s signal', async () => {
  const clock = createManualClock();
  const queue = createEventQueue({ client: createFakeNodeClient(), correlator: createEventCorrelator({ clock }), clock, random: () => 0.5 });
  const ac = new AbortController();
  const running = queue.run(ac.signal);
  for (let i = 0; i < 30; i++) {
    queue.push(ev(`Reason${i}`));
    await clock.advance(0);
  }
  expect(getEventListeners(ac.signal, 'abort').length).toBeLessThanOrEqual(1);
  ac.abort();
  await running;
});

test('dropping an event in flight keeps its queued PATCH findable: later duplicates still merge into it', async () => {
  const r = rig(3);
  const running = r.start();
  const open = gate(r);
  r.queue.push(ev('A'));
  await r.clock.advance(0); // A in flight
  r.queue.push(ev('A')); // its PATCH, queued
  r.queue.push(ev('B'));
  r.queue.push(ev('C')); // full: A, in flight, is dropped
  r.queue.push(ev('A')); // merges into the queued PATCH
  expect(r.queue.size()).toBe(3);
  open();
  await r.clock.advance(0);
  expect(reasons(r)).toEqual(['createEvent A', 'patchEvent 3', 'createEvent B', 'createEvent C']);
  r.stop();
  await running;
});
