/**
 * The Kubernetes exporter's start (jitter, waiting for the Node, adopting its conditions) and the
 * ownership records as the apiserver's answers reveal them.
 */
import { createMemoryLogger } from '../../../src/core/logger.js';
import type { Condition } from '../../../src/core/problem.js';
import type { WireEvent } from '../../../src/kube/wire-types.js';
import { networkDown } from './fake-node-client.js';
import { cond, key, monitor, rig, wire } from './exporter-rig.js';

const kernelOom = { source: 'kernel-monitor', conditions: [], events: [{ severity: 'warn' as const, time: new Date(0), reason: 'OOMKilling', message: 'Killed' }] };

test('the first request waits the start jitter and reads the Node from the watch cache; an abort during the jitter sends nothing', async () => {
  const r = rig({ startJitterMs: 4000 }); // random 0.5: 2 s
  const started = r.exporter.start(r.ac.signal);
  await r.clock.advance(1999);
  expect(r.client.calls).toEqual([]);
  await r.clock.advance(1);
  await started;
  expect(r.client.calls.map((c) => [c.call, ...c.args])).toEqual([['getNode', true]]);
  const a = rig({ startJitterMs: 10_000 });
  const aborted = a.exporter.start(a.ac.signal);
  a.ac.abort();
  await aborted;
  a.exporter.export(kernelOom);
  await a.clock.advance(60_000);
  expect(a.client.calls).toEqual([]);
});

test('waiting for the Node is logged each try, then once when found or given up', async () => {
  const logger = createMemoryLogger();
  const r = rig({ logger, waitTimeoutMs: 2000 });
  r.client.failures.push(networkDown());
  const found = r.exporter.start(r.ac.signal);
  await r.clock.advance(1000);
  await found;
  const g = rig({ logger, waitTimeoutMs: 2000 });
  g.client.failures.push(networkDown(), networkDown(), networkDown(), networkDown());
  const given = g.exporter.start(g.ac.signal);
  await g.clock.advance(2000);
  await given;
  expect(logger.records.map((l) => `${l.level} ${l.msg} ${String(l['error'] ?? '')}`)).toEqual([
    'info waiting for the node connect ECONNREFUSED',
    'info node found ',
    'info waiting for the node connect ECONNREFUSED',
    'info waiting for the node connect ECONNREFUSED',
    'warn node not readable before the wait timeout; continuing connect ECONNREFUSED',
  ]);
  expect(logger.records.every((l) => l['node'] === 'node-a')).toBe(true);
});

test('an abort during the GET of the Node ends the start, without a \'waiting\' log', async () => {
  const logger = createMemoryLogger();
  const r = rig({ logger });
  r.client.gate = new Promise<void>(() => undefined);
  const started = r.exporter.start(r.ac.signal);
  await r.clock.advance(0);
  r.ac.abort();
  await started;
  expect(logger.records).toEqual([]);
});

test('an abort while waiting for the Node ends the start: nothing is sent afterwards', async () => {
  const r = rig();
  r.client.failures.push(networkDown());
  const started = r.exporter.start(r.ac.signal);
  await r.clock.advance(0);
  r.ac.abort();
  await started;
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  r.exporter.export({ ...kernelOom, conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(600_000);
  expect(r.client.calls.map((c) => c.call)).toEqual(['getNode']);
});

test('a Node not read at start: events name it by its name, and the first sync reads it before writing', async () => {
  const r = rig({ waitTimeoutMs: 0, instance: 'mine0001' });
  r.client.failures.push(networkDown());
  r.client.node = { metadata: { name: 'node-a', uid: 'uid-a', annotations: { [key('gone0001')]: 'GoneProblem;retired' } }, status: { conditions: [wire('GoneProblem')] } };
  await r.exporter.start(r.ac.signal);
  r.exporter.export(kernelOom);
  await r.clock.advance(0);
  const event = r.client.calls.find((c) => c.call === 'createEvent')?.args[1] as WireEvent;
  expect(event.involvedObject.uid).toBe('node-a');
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(100);
  expect(r.client.calls.map((c) => c.call).slice(0, 4)).toEqual(['getNode', 'createEvent', 'getNode', 'patchNodeStatus']);
  expect(r.patches()[0]?.status?.conditions.filter((c) => c.$patch === 'delete').map((c) => c.type)).toEqual(['GoneProblem']);
  r.ac.abort();
});

test('adopt gets the Node\'s conditions this agent answers for, from the one GET of the start', async () => {
  const r = rig({ instance: 'mine0001' });
  r.client.node = {
    metadata: {
      name: 'node-a', uid: 'uid-a',
      annotations: { [key('live0001')]: 'Live;2026-01-01T00:09:00Z', [key('mine0001')]: 'Kept;2026-01-01T00:09:00Z', [key('gone0001')]: 'Gone;retired' },
    },
    status: { conditions: [{ type: 'Kept', status: 'True' }, wire('Gone'), wire('Live'), wire('KernelDeadlock'), wire('Ready')] },
  };
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  const adopted: Condition[][] = [];
  await r.exporter.start(r.ac.signal, async (onNode) => void adopted.push([...onNode]));
  expect(adopted.map((list) => list.map((c) => c.type))).toEqual([['Kept', 'Gone', 'KernelDeadlock']]);
  // A condition written without reason, message or transition time reads as empty and the epoch.
  expect(adopted[0]?.[0]).toEqual({ type: 'Kept', status: 'True', reason: '', message: '', transition: new Date(0) });
  expect(r.client.calls.map((c) => c.call)).toEqual(['getNode']);
  expect((await r.exporter.readNodeConditions())?.length).toBe(3);
  expect(r.client.calls.map((c) => c.call)).toEqual(['getNode', 'getNode']);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False')] });
  await r.clock.advance(100);
  expect(r.patches().length).toBeGreaterThan(0); // after adopt, syncs run
  r.ac.abort();
});

test('an abort during adopt starts no sync', async () => {
  const r = rig();
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal, async () => r.ac.abort());
  r.exporter.export({ ...kernelOom, conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(600_000);
  await r.exporter.stop();
  expect(r.client.calls.map((c) => c.call)).toEqual(['getNode']);
});

test('a record that the PATCH answer shows newly retired is cleaned up at once in a second PATCH', async () => {
  const r = rig({ instance: 'mine0001' });
  r.client.node = {
    metadata: { name: 'node-a', uid: 'uid-a', annotations: { [key('live0001')]: 'Shared;2026-01-01T00:09:00Z' } },
    status: { conditions: [wire('Shared')] },
  };
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  // The other agent retires meanwhile: the answer to our PATCH shows it.
  r.client.node = { ...r.client.node, metadata: { name: 'node-a', uid: 'uid-a', annotations: { [key('live0001')]: 'Shared;retired' } } };
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(100);
  const [first, second, ...rest] = r.patches();
  expect(rest).toEqual([]);
  expect(first?.status?.conditions.map((c) => c.$patch ?? c.type)).toEqual(['KernelDeadlock']);
  expect(Object.keys(first?.metadata.annotations ?? {})).toEqual([key('mine0001')]);
  expect(second?.status?.conditions.map((c) => `${c.$patch ?? 'set'} ${c.type}`)).toEqual(['set KernelDeadlock', 'delete Shared']);
  expect(second?.metadata.annotations).toEqual({ [key('mine0001')]: 'KernelDeadlock;2026-01-01T00:10:00Z', [key('live0001')]: null });
  r.ac.abort();
});

test('before the monitors are known, nothing is deleted: an orphaned type is taken into this agent\'s record', async () => {
  const r = rig({ instance: 'mine0001' });
  r.client.node = { metadata: { name: 'node-a', uid: 'uid-a', annotations: { [key('gone0001')]: 'GoneProblem;retired' } }, status: { conditions: [wire('GoneProblem')] } };
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(100);
  expect(r.patches()).toEqual([{
    metadata: { annotations: { [key('mine0001')]: 'GoneProblem,KernelDeadlock;2026-01-01T00:10:00Z' } },
    status: { conditions: [expect.objectContaining({ type: 'KernelDeadlock' })] },
  }]);
  r.ac.abort();
});
