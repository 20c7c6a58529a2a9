/** Events about a Pod: sent on the Pod, in its namespace, and bounded per pod by the correlator. */
import { createManualClock } from '../../../src/core/clock.js';
import type { Event } from '../../../src/core/problem.js';
import { createKubernetesExporter } from '../../../src/exporters/kubernetes/kubernetes-exporter.js';
import type { WireEvent } from '../../../src/kube/wire-types.js';
import { createFakeNodeClient } from './fake-node-client.js';
import { connection } from './exporter-rig.js';


async function started(eventNamespace?: string) {
  const clock = createManualClock(Date.parse('2026-01-01T00:10:00.250Z'));
  const client = createFakeNodeClient();
  const exporter = createKubernetesExporter({ connection, nodeName: 'node-a', clock, random: () => 0.5, client, startJitterMs: 0, ...(eventNamespace ? { eventNamespace } : {}) });
  const ac = new AbortController();
  await exporter.start(ac.signal);
  return { clock, client, exporter, ac };
}

const podKill = (pod: string, pid: number): Event => ({
  severity: 'warn', time: new Date(0), reason: 'PodOOMKilling', message: `OOM killer killed process worker (pid ${pid}) in container "app": the container reached its memory limit.`,
  pod: { namespace: 'shop', name: pod, uid: `uid-${pod}` }, oomKill: { container: 'app', scope: 'container' },
});

test('a Pod event goes on the Pod, in its namespace, whatever --event-namespace says', async () => {
  const r = await started('kube-system');
  r.exporter.export({ source: 'kernel-monitor', conditions: [], events: [podKill('web-0', 1)] });
  await r.clock.advance(0);
  const [ns, event] = r.client.calls.filter((c) => c.call === 'createEvent').map((c) => c.args as [string, WireEvent])[0]!;
  expect(ns).toBe('shop');
  expect(event).toMatchObject({ metadata: { namespace: 'shop' }, involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-0', uid: 'uid-web-0', apiVersion: 'v1' }, type: 'Warning', reason: 'PodOOMKilling' });
  r.ac.abort();
});

test('a pod killed 1,000 times in a minute costs a bounded number of requests, and another pod still gets its event', async () => {
  const r = await started();
  for (let i = 0; i < 1000; i++) {
    r.exporter.export({ source: 'kernel-monitor', conditions: [], events: [podKill('web-0', 1000 + i)] });
    if (i % 100 === 99) await r.clock.advance(6_000);
  }
  await r.clock.advance(0);
  const calls = r.client.calls.filter((c) => c.call === 'createEvent' || c.call === 'patchEvent');
  // client-go's spam filter: a burst of 25 per object and reason; similar messages are combined.
  expect(calls.length).toBeLessThanOrEqual(25);
  expect(calls.length).toBeGreaterThan(0);
  r.exporter.export({ source: 'kernel-monitor', conditions: [], events: [podKill('web-1', 7)] });
  await r.clock.advance(0);
  const last = r.client.calls.at(-1)!;
  expect(last.call).toBe('createEvent');
  expect((last.args as [string, WireEvent])[1].involvedObject.name).toBe('web-1');
  r.ac.abort();
});
