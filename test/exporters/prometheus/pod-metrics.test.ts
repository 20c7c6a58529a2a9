import { createManualClock } from '../../../src/core/clock.js';
import type { Event, Status } from '../../../src/core/problem.js';
import { createPrometheusExporter } from '../../../src/exporters/prometheus/prometheus-exporter.js';

const kill = (namespace: string, name: string, uid: string, container: string, scope: 'container' | 'pod' | 'node'): Event => ({
  severity: 'warn', time: new Date(0), reason: 'PodOOMKilling', message: 'm', pod: { namespace, name, uid }, oomKill: { container, scope },
});
const status = (...events: Event[]): Status => ({ source: 'kernel-monitor', events, conditions: [] });
const series = async (prom: ReturnType<typeof createPrometheusExporter>): Promise<string[]> =>
  (await prom.registry.metrics()).split('\n').filter((l) => l.startsWith('npd_pod_oom_kills_total{'));

test('npd_pod_oom_kills_total counts per pod, container and scope; a pod gone for the retention (here 1 minute) loses its series', async () => {
  const clock = createManualClock();
  const present = new Set(['uid-a', 'uid-b']);
  const prom = createPrometheusExporter({ processMetrics: false, clock, podPresent: (uid) => present.has(uid), podRetentionMs: 60_000 });
  prom.export(status(kill('ml', 'a', 'uid-a', 'app', 'container'), kill('ml', 'a', 'uid-a', 'app', 'container'), kill('web', 'b', 'uid-b', 'nginx', 'node')));
  expect(await series(prom)).toEqual([
    'npd_pod_oom_kills_total{namespace="ml",pod="a",container="app",scope="container"} 2',
    'npd_pod_oom_kills_total{namespace="web",pod="b",container="nginx",scope="node"} 1',
  ]);
  present.delete('uid-a');
  expect(await series(prom)).toHaveLength(2); // gone since now: kept for the retention
  await clock.advance(59_000);
  expect(await series(prom)).toHaveLength(2);
  await clock.advance(1_000); // the retention asked for, not the default 5 minutes
  expect(await series(prom)).toEqual(['npd_pod_oom_kills_total{namespace="web",pod="b",container="nginx",scope="node"} 1']);
});

test('a pod that comes back within the retention keeps its series; events without a pod are not counted', async () => {
  const clock = createManualClock();
  let here = false;
  const prom = createPrometheusExporter({ processMetrics: false, clock, podPresent: () => here });
  prom.export(status(kill('ml', 'a', 'uid-a', 'app', 'pod'), { severity: 'warn', time: new Date(0), reason: 'OOMKilling', message: 'node' }));
  expect(await series(prom)).toHaveLength(1);
  await clock.advance(200_000);
  here = true;
  expect(await series(prom)).toHaveLength(1); // seen again: the gone-since time resets
  here = false;
  await clock.advance(200_000);
  expect(await series(prom)).toHaveLength(1);
  await clock.advance(300_000);
  expect(await series(prom)).toEqual([]);
});
