/**
 * The Kubernetes exporter's options taking effect, reading the Node's conditions, and which types
 * a PATCH may delete when records of other agents name them.
 */
import { createMemoryLogger } from '../../../src/core/logger.js';
import { noopTelemetry, type Telemetry } from '../../../src/core/telemetry.js';
import type { Status } from '../../../src/core/problem.js';
import { networkDown } from './fake-node-client.js';
import { cond, key, monitor, rig, wire } from './exporter-rig.js';

const oom = (message = 'Killed'): Status => ({ source: 'kernel-monitor', conditions: [], events: [{ severity: 'warn', time: new Date(0), reason: 'OOMKilling', message }] });
const deleted = (p: { status?: { conditions: { type: string; $patch?: string }[] } } | undefined): string[] =>
  (p?.status?.conditions ?? []).filter((c) => c.$patch === 'delete').map((c) => c.type);

test('the telemetry given counts dropped events; with writeEvents=false nothing is queued to drop', async () => {
  for (const writeEvents of [true, false]) {
    const dropped: string[] = [];
    const telemetry: Telemetry = { ...noopTelemetry, eventDropped: (reason) => void dropped.push(reason) };
    const r = rig({ telemetry, writeEvents });
    await r.exporter.start(r.ac.signal);
    for (let i = 0; i < 30; i++) r.exporter.export(oom());
    expect(dropped).toEqual(writeEvents ? Array(5).fill('spam-filter') : []);
    r.ac.abort();
  }
});

test('coalesceMs delays the first PATCH of a change', async () => {
  const r = rig({ coalesceMs: 1000 });
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(999);
  expect(r.patches()).toHaveLength(0);
  await r.clock.advance(1);
  expect(r.patches()).toHaveLength(1);
  r.ac.abort();
});

test('eventQueueCapacity bounds the events held before the apiserver answers', async () => {
  const r = rig({ eventQueueCapacity: 2 });
  for (const reason of ['A', 'B', 'C']) r.exporter.export({ ...oom(), events: [{ severity: 'warn', time: new Date(0), reason, message: 'm' }] });
  await r.exporter.start(r.ac.signal);
  await r.clock.advance(0);
  expect(r.client.calls.filter((c) => c.call === 'createEvent').map((c) => (c.args[1] as { reason: string }).reason)).toEqual(['B', 'C']);
  r.ac.abort();
});

test('updateConditions=false holds no conditions and writes none, not even at stop', async () => {
  const r = rig({ updateConditions: false });
  expect(r.exporter.name).toBe('kubernetes');
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  expect(r.exporter.currentConditions()).toEqual([]);
  await r.exporter.stop();
  expect(r.patches()).toEqual([]);
});

test('readNodeConditions: a failure is logged; a success seeds the store and spares the sync its GET', async () => {
  const logger = createMemoryLogger();
  const r = rig({ logger, waitTimeoutMs: 0, instance: 'mine0001' });
  r.client.node = { metadata: { name: 'node-a', uid: 'uid-a', annotations: { [key('mine0001')]: 'KernelDeadlock;2026-01-01T00:09:00Z' } }, status: { conditions: [wire('KernelDeadlock')] } };
  r.client.failures.push(networkDown(), networkDown());
  await r.exporter.start(r.ac.signal); // gives up at once: the Node is not read
  expect(await r.exporter.readNodeConditions()).toBeUndefined();
  expect(logger.records.filter((l) => l.level === 'warn' && l.msg === 'cannot read the node conditions').map((l) => l['error'])).toEqual(['connect ECONNREFUSED']);
  const onNode = await r.exporter.readNodeConditions();
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: onNode ?? [] }); // the monitor continues from the Node
  await r.clock.advance(100);
  expect(r.client.calls.map((c) => c.call)).toEqual(['getNode', 'getNode', 'getNode']); // nothing new to write
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False')] });
  await r.clock.advance(100);
  expect(r.client.calls.map((c) => c.call)).toEqual(['getNode', 'getNode', 'getNode', 'patchNodeStatus']);
  r.ac.abort();
});

test('a rollout: the retired record of the previous pod names the types this one owns, which are not deleted', async () => {
  const r = rig({ instance: 'new00001' });
  r.client.node = { metadata: { name: 'node-a', uid: 'uid-a', annotations: { [key('old00001')]: 'KernelDeadlock,Dropped;retired' } }, status: { conditions: [wire('KernelDeadlock'), wire('Dropped')] } };
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False')] });
  await r.clock.advance(100);
  expect(deleted(r.patches()[0])).toEqual(['Dropped']);
  r.ac.abort();
});

test('a type this agent drops stays when a live agent claims it', async () => {
  const r = rig({ instance: 'mine0001' });
  r.client.node = {
    metadata: { name: 'node-a', uid: 'uid-a', annotations: { [key('mine0001')]: 'Shared,Mine;2026-01-01T00:09:00Z', [key('live0001')]: 'Shared;2026-01-01T00:09:00Z' } },
    status: { conditions: [wire('Shared'), wire('Mine')] },
  };
  await r.exporter.start(r.ac.signal);
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(100);
  expect(deleted(r.patches()[0])).toEqual(['Mine']);
  r.ac.abort();
});

test('a retire PATCH that fails is logged, and stop still ends', async () => {
  const logger = createMemoryLogger();
  const r = rig({ logger });
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(100);
  r.client.failures.push(networkDown());
  await r.exporter.stop();
  expect(logger.records.filter((l) => l.level === 'warn').map((l) => [l.msg, l['error']])).toEqual([['cannot retire the ownership record', 'connect ECONNREFUSED']]);
});
