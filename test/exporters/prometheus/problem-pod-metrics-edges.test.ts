/**
 * Problem and pod metrics at their edges: a type with several reasons dropped by a reload, the
 * reporting flag of a shared source in either order, a condition that clears and comes back, pod
 * metrics of events that are not pod OOM kills, a pod with several containers.
 */
import { createManualClock } from '../../../src/core/clock.js';
import type { Event } from '../../../src/core/problem.js';
import { createPrometheusExporter } from '../../../src/exporters/prometheus/prometheus-exporter.js';
import { parseSamples, series } from './metrics-text.js';
import { allMonitors, changed, condition, fdMonitor, quietMonitor, readonlyMonitor, warn } from './scenario.js';

const gauge = (type: string, reason: string): string => series('problem_gauge', { type, reason });

test('a reload that drops a type removes the gauges of all its reasons', async () => {
  const prom = createPrometheusExporter({ processMetrics: false });
  prom.setMonitors(allMonitors);
  prom.setMonitors([readonlyMonitor]);
  const s = parseSamples(await prom.registry.metrics());
  expect([s.has(gauge('KernelDeadlock', 'DockerHung')), s.has(gauge('KernelDeadlock', 'AUFSUmountHung'))]).toEqual([false, false]);
});

test('a source shared by a reporting and a quiet monitor counts, whichever comes first', async () => {
  const prom = createPrometheusExporter({ processMetrics: false });
  prom.setMonitors([fdMonitor, { ...quietMonitor, source: 'fd-monitor' }]);
  prom.export({ source: 'fd-monitor', events: [warn('NodeHasFDPressure')], conditions: [] });
  expect(parseSamples(await prom.registry.metrics()).get(series('problem_counter', { reason: 'NodeHasFDPressure' }))).toBe(1);
});

test('a condition True, then False, then True again with the same reason: the gauge is 1', async () => {
  const prom = createPrometheusExporter({ processMetrics: false });
  prom.setMonitors(allMonitors);
  for (const status of ['True', 'False', 'True'] as const) prom.export(changed('fd-monitor', condition('FDPressure', status, status === 'True' ? 'NodeHasFDPressure' : 'NodeHasNoFDPressure')));
  expect(parseSamples(await prom.registry.metrics()).get(gauge('FDPressure', 'NodeHasFDPressure'))).toBe(1);
});

const oomSeries = async (prom: ReturnType<typeof createPrometheusExporter>): Promise<string[]> =>
  (await prom.registry.metrics()).split('\n').filter((l) => l.startsWith('npd_pod_oom_kills_total{'));

test('pod metrics count only events with both a pod and an OOM kill', async () => {
  const prom = createPrometheusExporter({ processMetrics: false });
  const base: Event = { severity: 'warn', time: new Date(0), reason: 'PodOOMKilling', message: 'm' };
  prom.export({ source: 'kernel-monitor', conditions: [], events: [
    { ...base, pod: { namespace: 'ml', name: 'a', uid: 'uid-a' } },
    { ...base, oomKill: { container: 'app', scope: 'node' } },
  ] });
  expect(await oomSeries(prom)).toEqual([]);
});

test('a pod gone for the retention loses the series of every container', async () => {
  const clock = createManualClock();
  let here = true;
  const prom = createPrometheusExporter({ processMetrics: false, clock, podPresent: () => here });
  const kill = (container: string): Event => ({ severity: 'warn', time: new Date(0), reason: 'PodOOMKilling', message: 'm', pod: { namespace: 'ml', name: 'a', uid: 'uid-a' }, oomKill: { container, scope: 'container' } });
  prom.export({ source: 'kernel-monitor', conditions: [], events: [kill('app'), kill('sidecar')] });
  expect(await oomSeries(prom)).toHaveLength(2);
  here = false;
  await oomSeries(prom);
  await clock.advance(300_000);
  expect(await oomSeries(prom)).toEqual([]);
});
