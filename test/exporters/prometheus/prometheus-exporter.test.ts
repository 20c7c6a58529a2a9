import { Registry } from 'prom-client';
import { createPrometheusExporter } from '../../../src/exporters/prometheus/prometheus-exporter.js';
import type { Status } from '../../../src/core/problem.js';
import { parseSamples, series } from './metrics-text.js';
import { allMonitors, changed, condition, fdMonitor, kernelMonitor, quietMonitor, readonlyMonitor, warn } from './scenario.js';

async function samples(registry: Registry): Promise<Map<string, number>> {
  return parseSamples(await registry.metrics());
}

const counter = (reason: string): string => series('problem_counter', { reason });
const gauge = (type: string, reason: string): string => series('problem_gauge', { type, reason });

function exporterWith(...statuses: Status[]) {
  const prom = createPrometheusExporter({ processMetrics: false });
  prom.setMonitors(allMonitors);
  for (const s of statuses) prom.export(s);
  return prom;
}

describe('problem metrics at start', () => {
  test.each([
    ['counter of a temporary rule', counter('OOMKilling')],
    ['counter of a permanent rule', counter('DockerHung')],
    ['gauge of a permanent rule', gauge('KernelDeadlock', 'DockerHung')],
    ['gauge of a second reason of the same type', gauge('KernelDeadlock', 'AUFSUmountHung')],
    ['gauge of another monitor', gauge('ReadonlyFilesystem', 'FilesystemIsReadOnly')],
  ])('%s exists at 0', async (_name, key) => {
    expect((await samples(exporterWith().registry)).get(key)).toBe(0);
  });

  test.each([
    ['counter of a metricsReporting:false monitor', counter('QuietNoise')],
    ['gauge of a metricsReporting:false monitor', gauge('QuietProblem', 'QuietBroken')],
    ['gauge of a temporary rule', gauge('KernelDeadlock', 'OOMKilling')],
    ['gauge of a default (healthy) reason', gauge('KernelDeadlock', 'KernelHasNoDeadlock')],
  ])('%s does not exist', async (_name, key) => {
    expect((await samples(exporterWith().registry)).has(key)).toBe(false);
  });
});

describe('problem_counter', () => {
  test.each<[string, Status[], string, number]>([
    ['+1 per warn event', [{ source: 'kernel-monitor', events: [warn('OOMKilling'), warn('OOMKilling')], conditions: [] }], counter('OOMKilling'), 2],
    ['+1 when a condition turns True', [changed('kernel-monitor', condition('KernelDeadlock', 'True', 'DockerHung'))], counter('DockerHung'), 1],
    [
      'not for the info event of a condition clearing',
      [changed('fd-monitor', condition('FDPressure', 'True', 'NodeHasFDPressure')), changed('fd-monitor', condition('FDPressure', 'False', 'NodeHasNoFDPressure'))],
      counter('NodeHasNoFDPressure'),
      NaN,
    ],
    [
      'not for info events',
      [{ source: 'kernel-monitor', events: [{ severity: 'info', time: new Date(0), reason: 'OOMKilling', message: 'm' }], conditions: [] }],
      counter('OOMKilling'),
      0,
    ],
    ['not for a metricsReporting:false monitor', [{ source: 'quiet-monitor', events: [warn('QuietNoise')], conditions: [] }], counter('QuietNoise'), NaN],
    ['for a source never described (NPD default true)', [{ source: 'stranger', events: [warn('Odd')], conditions: [] }], counter('Odd'), 1],
  ])('%s', async (_name, statuses, key, expected) => {
    const value = (await samples(exporterWith(...statuses).registry)).get(key);
    if (Number.isNaN(expected)) expect(value).toBeUndefined();
    else expect(value).toBe(expected);
  });
});

describe('problem_gauge', () => {
  test('is 1 while the condition is True with that reason', async () => {
    const s = await samples(exporterWith(changed('readonly-monitor', condition('ReadonlyFilesystem', 'True', 'FilesystemIsReadOnly'))).registry);
    expect(s.get(gauge('ReadonlyFilesystem', 'FilesystemIsReadOnly'))).toBe(1);
  });

  test('a new reason zeroes the previous one', async () => {
    const s = await samples(
      exporterWith(changed('kernel-monitor', condition('KernelDeadlock', 'True', 'DockerHung')), changed('kernel-monitor', condition('KernelDeadlock', 'True', 'AUFSUmountHung'))).registry,
    );
    expect(s.get(gauge('KernelDeadlock', 'DockerHung'))).toBe(0);
    expect(s.get(gauge('KernelDeadlock', 'AUFSUmountHung'))).toBe(1);
  });

  test.each(['False', 'Unknown'] as const)('returns to 0 when the condition becomes %s (unlike NPD #474)', async (status) => {
    const s = await samples(
      exporterWith(changed('fd-monitor', condition('FDPressure', 'True', 'NodeHasFDPressure')), changed('fd-monitor', condition('FDPressure', status, 'NodeHasNoFDPressure'))).registry,
    );
    expect(s.get(gauge('FDPressure', 'NodeHasFDPressure'))).toBe(0);
    expect(s.has(gauge('FDPressure', 'NodeHasNoFDPressure'))).toBe(false);
  });

  test('a repeated True report keeps 1', async () => {
    const c = condition('FDPressure', 'True', 'NodeHasFDPressure');
    const s = await samples(exporterWith(changed('fd-monitor', c), { source: 'fd-monitor', events: [], conditions: [c] }).registry);
    expect(s.get(gauge('FDPressure', 'NodeHasFDPressure'))).toBe(1);
  });

  test('a metricsReporting:false monitor sets nothing', async () => {
    const s = await samples(exporterWith({ source: 'quiet-monitor', events: [], conditions: [condition('QuietProblem', 'True', 'QuietBroken')] }).registry);
    expect(s.has(gauge('QuietProblem', 'QuietBroken'))).toBe(false);
  });
});

describe('reload (setMonitors again)', () => {
  test('keeps a True gauge and the counters of monitors still running', async () => {
    const prom = exporterWith(changed('fd-monitor', condition('FDPressure', 'True', 'NodeHasFDPressure')), { source: 'kernel-monitor', events: [warn('OOMKilling')], conditions: [] });
    prom.setMonitors(allMonitors);
    const s = await samples(prom.registry);
    expect(s.get(gauge('FDPressure', 'NodeHasFDPressure'))).toBe(1);
    expect(s.get(counter('OOMKilling'))).toBe(1);
  });

  test('removes the gauges of a condition type no monitor owns any more, keeps counters', async () => {
    const prom = exporterWith(changed('fd-monitor', condition('FDPressure', 'True', 'NodeHasFDPressure')));
    prom.setMonitors([kernelMonitor, readonlyMonitor]);
    const s = await samples(prom.registry);
    expect(s.has(gauge('FDPressure', 'NodeHasFDPressure'))).toBe(false);
    expect(s.get(counter('NodeHasFDPressure'))).toBe(1);
    expect(s.get(gauge('KernelDeadlock', 'DockerHung'))).toBe(0);
  });

  test('a condition type dropped and brought back starts again at 0, and its next True sets 1', async () => {
    const prom = exporterWith(changed('fd-monitor', condition('FDPressure', 'True', 'NodeHasFDPressure')));
    prom.setMonitors([kernelMonitor]);
    prom.setMonitors(allMonitors);
    expect((await samples(prom.registry)).get(gauge('FDPressure', 'NodeHasFDPressure'))).toBe(0);
    prom.export(changed('fd-monitor', condition('FDPressure', 'True', 'NodeHasFDPressure')));
    expect((await samples(prom.registry)).get(gauge('FDPressure', 'NodeHasFDPressure'))).toBe(1);
  });

  test('a monitor switched to metricsReporting:false stops counting', async () => {
    const prom = exporterWith();
    prom.setMonitors([{ ...kernelMonitor, metricsReporting: false }]);
    prom.export({ source: 'kernel-monitor', events: [warn('OOMKilling')], conditions: [] });
    expect((await samples(prom.registry)).get(counter('OOMKilling'))).toBe(0);
  });

  test('two monitors sharing a source: it counts when either reports', async () => {
    const prom = createPrometheusExporter({ processMetrics: false });
    prom.setMonitors([{ ...quietMonitor, source: 'fd-monitor' }, fdMonitor]);
    prom.export({ source: 'fd-monitor', events: [warn('NodeHasFDPressure')], conditions: [] });
    expect((await samples(prom.registry)).get(counter('NodeHasFDPressure'))).toBe(1);
  });
});

describe('exporter', () => {
  test('uses its own registry, not the global one', async () => {
    const a = exporterWith({ source: 'kernel-monitor', events: [warn('OOMKilling')], conditions: [] });
    const b = exporterWith();
    expect((await samples(a.registry)).get(counter('OOMKilling'))).toBe(1);
    expect((await samples(b.registry)).get(counter('OOMKilling'))).toBe(0);
  });

  test('registers into a given registry', async () => {
    const registry = new Registry();
    const prom = createPrometheusExporter({ registry, processMetrics: false });
    expect(prom.registry).toBe(registry);
    expect(registry.getSingleMetric('problem_counter')).toBeDefined();
  });

  test('process metrics carry the npd_ prefix', async () => {
    const prom = createPrometheusExporter();
    const text = await prom.registry.metrics();
    expect(text).toMatch(/^npd_process_cpu_seconds_total /m);
    expect(text).toMatch(/^npd_nodejs_heap_size_used_bytes /m);
    expect(text).not.toMatch(/^process_/m);
  });

  test('is healthy and stops', async () => {
    const prom = exporterWith();
    expect(prom.name).toBe('prometheus');
    expect(prom.healthy()).toBe(true);
    await expect(prom.stop()).resolves.toBeUndefined();
  });
});

describe('event-loop lag', () => {
  test("one telemetry call per tick feeds both the health gauge (the minute's maximum) and the process metrics (this tick)", async () => {
    const prom = createPrometheusExporter();
    prom.telemetry.eventLoopLag(0.5, 0.003);
    prom.telemetry.eventLoopLag(0.5, 0.001);
    const text = await prom.registry.metrics();
    const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('npd_event_loop_lag_seconds')).toBe(0.5);
    expect(value('npd_nodejs_eventloop_lag_max_seconds')).toBe(0.003);
    expect(value('npd_nodejs_eventloop_lag_min_seconds')).toBe(0.001);
  });
});
