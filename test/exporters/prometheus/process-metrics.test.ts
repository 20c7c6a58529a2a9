import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { Registry } from '../../../src/exporters/prometheus/prom-client.js';
import { registerProcessMetrics } from '../../../src/exporters/prometheus/process-metrics.js';

/** The value of an unlabelled sample in Prometheus text, or undefined. */
const valueOf = (text: string, name: string): number | undefined => {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};

describe('process metrics', () => {
  test('report this process: CPU, memory, fds, heap, start time, version', async () => {
    const registry = new Registry();
    registerProcessMetrics(registry, 'npd_');
    const text = await registry.metrics();
    const cpu = process.cpuUsage();
    const total = valueOf(text, 'npd_process_cpu_seconds_total') as number;
    const user = valueOf(text, 'npd_process_cpu_user_seconds_total') as number;
    const system = valueOf(text, 'npd_process_cpu_system_seconds_total') as number;
    expect(user).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(user);
    expect(total).toBeLessThanOrEqual((cpu.user + cpu.system) / 1e6);
    expect(Math.abs(total - user - system)).toBeLessThan(0.05);
    const rss = valueOf(text, 'npd_process_resident_memory_bytes') as number;
    expect(rss / process.memoryUsage.rss()).toBeGreaterThan(0.8);
    expect(rss / process.memoryUsage.rss()).toBeLessThan(1.2);
    const fds = readdirSync('/proc/self/fd').length - 1;
    expect(Math.abs((valueOf(text, 'npd_process_open_fds') as number) - fds)).toBeLessThanOrEqual(1);
    expect(valueOf(text, 'npd_process_max_fds')).toBeGreaterThan(fds);
    expect(valueOf(text, 'npd_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(valueOf(text, 'npd_nodejs_external_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(text, 'npd_nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(valueOf(text, 'npd_nodejs_heap_size_used_bytes') as number);
    const start = valueOf(text, 'npd_process_start_time_seconds') as number;
    expect(Math.abs(start - (performance.timeOrigin / 1000))).toBeLessThan(1);
    expect(text).toContain(`npd_nodejs_version_info{version="${process.version}",major="${process.versions.node.split('.')[0]}"`);
  });

  test('CPU counters only grow, by the CPU time spent between scrapes', async () => {
    const registry = new Registry();
    registerProcessMetrics(registry, 'npd_');
    const before = process.cpuUsage();
    const first = valueOf(await registry.metrics(), 'npd_process_cpu_seconds_total') as number;
    const cpu0 = process.cpuUsage();
    while (process.cpuUsage(cpu0).user < 30_000); // spend 30 ms of CPU (however long that takes here)
    const second = valueOf(await registry.metrics(), 'npd_process_cpu_seconds_total') as number;
    const spent = process.cpuUsage(before);
    expect(second - first).toBeGreaterThanOrEqual(0.03);
    expect(second - first).toBeLessThanOrEqual((spent.user + spent.system) / 1e6);
  });

  test('event-loop lag is 0 until a tick was measured', async () => {
    const registry = new Registry();
    registerProcessMetrics(registry, 'npd_');
    const text = await registry.metrics();
    for (const s of ['', '_min', '_max', '_p99']) expect(valueOf(text, `npd_nodejs_eventloop_lag${s}_seconds`)).toBe(0);
    expect(text).toContain('# TYPE npd_nodejs_eventloop_lag_p99_seconds gauge');
  });

  test('event-loop lag: the lateness of the ticks since the last scrape, then a new interval', async () => {
    const registry = new Registry();
    const metrics = registerProcessMetrics(registry, 'npd_');
    for (const s of [0.004, 0.002, 0.01, -0.001]) metrics.recordLoopLag(s); // a clock step back counts as on time
    const text = await registry.metrics();
    expect(valueOf(text, 'npd_nodejs_eventloop_lag_min_seconds')).toBe(0);
    expect(valueOf(text, 'npd_nodejs_eventloop_lag_max_seconds')).toBe(0.01);
    expect(valueOf(text, 'npd_nodejs_eventloop_lag_mean_seconds')).toBeCloseTo(0.004, 9);
    expect(valueOf(text, 'npd_nodejs_eventloop_lag_seconds')).toBeCloseTo(0.004, 9);
    expect(valueOf(text, 'npd_nodejs_eventloop_lag_stddev_seconds')).toBeCloseTo(Math.sqrt((0 + 4 + 36 + 16) / 4) / 1000, 9);
    expect(valueOf(text, 'npd_nodejs_eventloop_lag_p50_seconds')).toBe(0.002);
    expect(valueOf(text, 'npd_nodejs_eventloop_lag_p90_seconds')).toBe(0.01);
    expect(valueOf(text, 'npd_nodejs_eventloop_lag_p99_seconds')).toBe(0.01);
    metrics.recordLoopLag(0.003);
    const next = await registry.metrics();
    for (const s of ['_min', '_max', '_p50', '_p99']) expect(valueOf(next, `npd_nodejs_eventloop_lag${s}_seconds`)).toBe(0.003);
  });
});

/** prom-client's own default metrics (the agent does not load them: prom-client.ts), as the reference. */
async function promClientDefaults(): Promise<string> {
  const promClient = createRequire(import.meta.url)('prom-client') as typeof PromClient;
  const registry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: registry, prefix: 'npd_' });
  return registry.metrics();
}

test('names, HELP and TYPE as prom-client\'s default metrics; the lag gauge says it is the mean since the last scrape', async () => {
  const registry = new Registry();
  registerProcessMetrics(registry, 'npd_').recordLoopLag(0.001);
  const ours = (await registry.metrics()).split('\n').filter((l) => l.startsWith('# '));
  const reference = new Set((await promClientDefaults()).split('\n'));
  const lagHelp = '# HELP npd_nodejs_eventloop_lag_seconds Lag of event loop in seconds (the mean since the last scrape).';
  expect(ours.filter((l) => !reference.has(l))).toEqual([lagHelp]);
  expect(ours).toHaveLength(2 * 19);
});

test('the version labels and the fd limit are prom-client\'s', async () => {
  const registry = new Registry();
  registerProcessMetrics(registry, 'npd_');
  const text = await registry.metrics();
  const reference = await promClientDefaults();
  const version = (t: string): string | undefined => t.split('\n').find((l) => l.startsWith('npd_nodejs_version_info{'));
  expect(version(text)).toBe(version(reference));
  expect(valueOf(text, 'npd_process_max_fds')).toBe(valueOf(reference, 'npd_process_max_fds'));
});

test('an hour of ticks is kept between scrapes: the oldest beyond that is dropped', async () => {
  const registry = new Registry();
  const metrics = registerProcessMetrics(registry, 'npd_');
  metrics.recordLoopLag(10);
  for (let i = 1; i < 3600; i++) metrics.recordLoopLag(0.001);
  expect(valueOf(await registry.metrics(), 'npd_nodejs_eventloop_lag_max_seconds')).toBe(10);
  metrics.recordLoopLag(10);
  for (let i = 1; i <= 3600; i++) metrics.recordLoopLag(0.001);
  expect(valueOf(await registry.metrics(), 'npd_nodejs_eventloop_lag_max_seconds')).toBe(0.001);
});

test('percentiles are nearest-rank over the sorted ticks, whatever order they came in', async () => {
  const registry = new Registry();
  const metrics = registerProcessMetrics(registry, 'npd_');
  for (const s of [0.009, 0.001, 0.007, 0.003, 0.005, 0.01, 0.002, 0.008, 0.004, 0.006]) metrics.recordLoopLag(s);
  const text = await registry.metrics();
  expect(['_p50', '_p90', '_p99'].map((p) => valueOf(text, `npd_nodejs_eventloop_lag${p}_seconds`))).toEqual([0.005, 0.009, 0.01]);
});
