import { buildStatusPatch, ownedConditionsAnnotation } from '../../../src/exporters/kubernetes/kubernetes-exporter.js';
import type { WireEvent } from '../../../src/kube/wire-types.js';
import { networkDown } from './fake-node-client.js';
import { cond, key, monitor, rig, wire } from './exporter-rig.js';

test('start waits for the node at the interval, then gives up without failing', async () => {
  const r = rig();
  for (let i = 0; i < 100; i++) r.client.failures.push(networkDown());
  const started = r.exporter.start(r.ac.signal);
  await r.clock.advance(10_000);
  await started;
  expect(r.client.calls.filter((c) => c.call === 'getNode')).toHaveLength(11);
  r.ac.abort();
});

test('the status patch: owned conditions with whole-second times, deletes, and the ownership record', () => {
  const patch = buildStatusPatch({ conditions: [cond('KernelDeadlock')], remove: ['Old'], owned: ['KernelDeadlock'] }, Date.parse('2026-01-01T00:10:00.250Z'), `${ownedConditionsAnnotation}.a1`, [`${ownedConditionsAnnotation}.b2`]);
  expect(patch).toEqual({
    metadata: { annotations: { [`${ownedConditionsAnnotation}.a1`]: 'KernelDeadlock;2026-01-01T00:10:00Z', [`${ownedConditionsAnnotation}.b2`]: null } },
    status: {
      conditions: [
        { type: 'KernelDeadlock', status: 'True', reason: 'R', message: 'M', lastHeartbeatTime: '2026-01-01T00:10:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
        { $patch: 'delete', type: 'Old' },
      ],
    },
  });
});

test.each([
  ['default namespace', undefined, 'default', undefined],
  ['--event-namespace kube-system (object namespace must match)', 'kube-system', 'kube-system', 'kube-system'],
])('events: %s', async (_name, eventNamespace, ns, objectNamespace) => {
  const r = rig({ eventNamespace });
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', conditions: [], events: [{ severity: 'warn', time: new Date(), reason: 'OOMKilling', message: 'Killed' }, { severity: 'info', time: new Date(), reason: 'Fine', message: 'ok' }] });
  await r.clock.advance(0);
  const created = r.client.calls.filter((c) => c.call === 'createEvent').map((c) => c.args as [string, WireEvent]);
  expect(created.map(([n]) => n)).toEqual([ns, ns]);
  expect(created[0]?.[1]).toMatchObject({
    metadata: { namespace: ns },
    involvedObject: { kind: 'Node', name: 'node-a', uid: 'uid-a', apiVersion: 'v1', ...(objectNamespace ? { namespace: objectNamespace } : {}) },
    type: 'Warning', reason: 'OOMKilling', count: 1,
    source: { component: 'kernel-monitor', host: 'node-a' },
    reportingComponent: 'kernel-monitor', reportingInstance: 'node-a',
  });
  expect(created[1]?.[1].type).toBe('Normal');
  expect('namespace' in (created[0]?.[1].involvedObject ?? {})).toBe(objectNamespace !== undefined);
  r.ac.abort();
});

test('writeEvents=false and updateConditions=false send nothing', async () => {
  const r = rig({ writeEvents: false, updateConditions: false });
  await r.exporter.start(r.ac.signal);
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  r.exporter.export({ source: 'kernel-monitor', conditions: [cond('KernelDeadlock')], events: [{ severity: 'warn', time: new Date(), reason: 'X', message: 'y' }] });
  await r.clock.advance(600_000);
  expect(r.client.calls.map((c) => c.call)).toEqual(['getNode']);
  r.ac.abort();
});

test('readNodeConditions returns only the conditions this agent owns', async () => {
  const r = rig();
  r.client.node = {
    metadata: { name: 'node-a', uid: 'uid-a', annotations: { [ownedConditionsAnnotation]: 'OldProblem' } },
    status: { conditions: [wire('Ready'), wire('KernelDeadlock'), wire('OldProblem'), wire('NetworkUnavailable')] },
  };
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  const got = await r.exporter.readNodeConditions();
  expect(got?.map((c) => c.type)).toEqual(['KernelDeadlock', 'OldProblem']);
  expect(got?.[0]?.transition.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  r.client.failures.push(networkDown(), networkDown(), networkDown(), networkDown());
  expect(await r.exporter.readNodeConditions()).toBeUndefined();
});

test('one PATCH per change with the merged state; nothing before start', async () => {
  const r = rig();
  r.exporter.setMonitors([monitor(['KernelDeadlock', 'ReadonlyFilesystem'])]);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock'), cond('ReadonlyFilesystem', 'False')] });
  await r.clock.advance(1000);
  expect(r.client.calls).toHaveLength(0);
  await r.exporter.start(r.ac.signal);
  await r.clock.advance(100);
  const patches = r.client.calls.filter((c) => c.call === 'patchNodeStatus');
  expect(patches).toHaveLength(1);
  expect(r.exporter.currentConditions().map((c) => c.type)).toEqual(['KernelDeadlock', 'ReadonlyFilesystem']);
  expect(r.exporter.healthy()).toBe(true);
  r.ac.abort();
});

test('stop sends a change still waiting for its coalescing delay', async () => {
  const r = rig({ coalesceMs: 10_000 });
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(10);
  expect(r.client.calls.filter((c) => c.call === 'patchNodeStatus')).toHaveLength(0);
  await r.exporter.stop();
  const patches = r.client.calls.filter((c) => c.call === 'patchNodeStatus').map((c) => c.args[0] as { metadata: { annotations: Record<string, string> } });
  // One PATCH: the change, and the ownership record retired for the next agent on this node.
  expect(patches).toHaveLength(1);
  expect(Object.values(patches[0]?.metadata.annotations ?? {})).toEqual(['KernelDeadlock;retired']);
});

test('stop while a PATCH is in flight sends the change again, with the record retired', async () => {
  const r = rig({ instance: 'cafe0002' });
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  r.client.gate = new Promise<void>(() => undefined); // the apiserver does not answer
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(15);
  const stopping = r.exporter.stop(); // aborts the PATCH in flight
  r.client.gate = undefined;
  await stopping;
  const patches = r.client.calls.filter((c) => c.call === 'patchNodeStatus').map((c) => c.args[0] as { metadata: { annotations: Record<string, string> }; status?: { conditions: { type: string }[] } });
  expect(patches).toHaveLength(2);
  expect(patches[1]?.status?.conditions.map((c) => c.type)).toEqual(['KernelDeadlock']);
  expect(patches[1]?.metadata.annotations[`${ownedConditionsAnnotation}.cafe0002`]).toBe('KernelDeadlock;retired');
});

test('stop with nothing waiting retires the record in a PATCH of its own; a second stop sends nothing', async () => {
  const r = rig({ instance: 'cafe0001' });
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(100);
  await r.exporter.stop();
  await r.exporter.stop();
  const patches = r.client.calls.filter((c) => c.call === 'patchNodeStatus').map((c) => c.args[0] as { metadata: { annotations: Record<string, string> } });
  expect(patches.map((p) => p.metadata.annotations[`${ownedConditionsAnnotation}.cafe0001`])).toEqual(['KernelDeadlock;2026-01-01T00:10:00Z', 'KernelDeadlock;retired']);
});

test('records of other agents: live ones are never deleted from, retired and stale ones are cleaned up', async () => {
  const r = rig({ instance: 'mine0001', heartbeatMs: 60_000 });
  r.client.node = {
    metadata: {
      name: 'node-a', uid: 'uid-a',
      annotations: {
        [key('live0001')]: 'LiveProblem,Shared;2026-01-01T00:09:00Z', // synced a minute ago
        [key('gone0001')]: 'GoneProblem,Shared;retired',
        [key('dead0001')]: 'DeadProblem;2026-01-01T00:00:00Z', // 10 min = not yet dead (15 min floor)
        [key('dead0002')]: 'StaleProblem;2025-12-31T23:50:00Z', // 20 min: dead
        [ownedConditionsAnnotation]: 'LegacyProblem', // an earlier version's single record
      },
    },
    status: { conditions: ['LiveProblem', 'Shared', 'GoneProblem', 'DeadProblem', 'StaleProblem', 'LegacyProblem', 'KernelDeadlock'].map((t) => wire(t)) },
  };
  r.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await r.clock.advance(100);
  const patch = r.client.calls.filter((c) => c.call === 'patchNodeStatus')[0]?.args[0] as { metadata: { annotations: Record<string, string | null> }; status: { conditions: { type: string; $patch?: string }[] } };
  expect(patch.status.conditions.filter((c) => c.$patch === 'delete').map((c) => c.type).sort()).toEqual(['GoneProblem', 'LegacyProblem', 'StaleProblem']);
  expect(patch.metadata.annotations).toEqual({
    [key('mine0001')]: 'KernelDeadlock;2026-01-01T00:10:00Z',
    [key('gone0001')]: null,
    [key('dead0002')]: null,
    [ownedConditionsAnnotation]: null,
  });
  r.ac.abort();
});

test('stop before start sends nothing; the retired record lists every type held, sorted, monitors known or not', async () => {
  const idle = rig();
  idle.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  idle.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock')] });
  await idle.exporter.stop();
  expect(idle.client.calls).toEqual([]);
  const r = rig({ instance: 'cafe0003' });
  await r.exporter.start(r.ac.signal);
  r.exporter.export({ source: 'kernel-monitor', events: [], conditions: [cond('Zeta'), cond('Alpha')] });
  await r.clock.advance(100);
  await r.exporter.stop();
  expect(r.patches().map((p) => p.metadata.annotations[key('cafe0003')])).toEqual(['Alpha,Zeta;2026-01-01T00:10:00Z', 'Alpha,Zeta;retired']);
});
