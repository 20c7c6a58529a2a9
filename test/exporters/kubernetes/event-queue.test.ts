import { createManualClock } from '../../../src/core/clock.js';
import { createEventCorrelator } from '../../../src/exporters/kubernetes/event-correlator.js';
import { createEventQueue } from '../../../src/exporters/kubernetes/event-queue.js';
import type { WireEvent } from '../../../src/kube/wire-types.js';
import { noopTelemetry, type Telemetry } from '../../../src/core/telemetry.js';
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

function rig(capacity = 1000) {
  const clock = createManualClock();
  const client = createFakeNodeClient();
  const telemetry = recordingTelemetry();
  const queue = createEventQueue({ client, correlator: createEventCorrelator({ clock }), clock, random: () => 0.5, capacity, telemetry });
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
