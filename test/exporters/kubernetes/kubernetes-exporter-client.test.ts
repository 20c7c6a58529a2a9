/**
 * The Kubernetes exporter with its own node client, over the in-process test apiserver (the
 * production client and answer decoding, no sockets) on a manual clock: what lands on the Node, the
 * client's back-off, the transport closed at stop.
 */
import { createManualClock } from '../../../src/core/clock.js';
import { createKubernetesExporter, type KubernetesExporterOptions } from '../../../src/exporters/kubernetes/kubernetes-exporter.js';
import type { ApiTransport } from '../../../src/kube/api-transport.js';
import { createInProcessApiserver, type SeenRequest } from '../../helpers/test-apiserver-inprocess.js';
import { kubeletNode } from '../../helpers/test-apiserver.js';
import { cond, connection, key, monitor } from './exporter-rig.js';

function cluster(overrides: Partial<KubernetesExporterOptions> = {}) {
  const clock = createManualClock(Date.parse('2026-01-01T00:10:00.250Z'));
  const api = createInProcessApiserver({ clock });
  api.addNode(kubeletNode('node-a', new Date(clock.now())));
  const seen: SeenRequest[] = [];
  api.onAnswer((r) => void seen.push(r));
  let closed = 0;
  const inner = api.transport('node-a');
  const transport: ApiTransport = { request: (req, signal) => inner.request(req, signal), close: () => void closed++ };
  const exporter = createKubernetesExporter({ connection, nodeName: 'node-a', clock, random: () => 0, transport, startJitterMs: 0, instance: 'mine0001', ...overrides });
  return { clock, api, seen, exporter, closed: () => closed };
}

test('conditions and events land on the Node through the client; stop retires the record and closes the transport', async () => {
  const c = cluster();
  const ac = new AbortController();
  c.exporter.setMonitors([monitor(['KernelDeadlock'])]);
  await c.clock.advance(0);
  const started = c.exporter.start(ac.signal);
  await c.clock.advance(100);
  await started;
  c.exporter.export({ source: 'kernel-monitor', conditions: [cond('KernelDeadlock')], events: [{ severity: 'warn', time: new Date(0), reason: 'OOMKilling', message: 'Killed' }] });
  await c.clock.advance(100);
  const node = c.api.state.nodes.get('node-a')!;
  expect(node.status.conditions.map((x: { type: string }) => x.type)).toContain('KernelDeadlock');
  expect([...c.api.state.events.values()].map((e: any) => [e.reason, e.involvedObject.uid])).toEqual([['OOMKilling', node.metadata.uid]]);
  const stopping = c.exporter.stop();
  await c.clock.advance(100);
  await stopping;
  expect(c.api.state.nodes.get('node-a')!.metadata.annotations[key('mine0001')]).toBe('KernelDeadlock;retired');
  expect(c.closed()).toBe(1);
  ac.abort();
});

test.each([
  ['2 s by default', {}, 1000],
  ['retryMaxMs when shorter', { retryMaxMs: 1500 }, 750],
])('the client backs off from %s (random 0: half of it)', async (_name, overrides, firstWait) => {
  const c = cluster(overrides);
  c.api.down();
  const ac = new AbortController();
  const started = c.exporter.start(ac.signal);
  await c.clock.advance(0);
  await c.clock.advance(firstWait - 1);
  expect(c.seen).toHaveLength(1);
  await c.clock.advance(1);
  expect(c.seen.map((r) => r.at - c.seen[0]!.at)).toEqual([0, firstWait]);
  ac.abort();
  await c.clock.advance(0);
  await started;
});
