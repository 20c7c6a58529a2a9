/**
 * The exporter against a real Prometheus (Debian's /usr/bin/prometheus) on loopback: Prometheus
 * scrapes the metrics server every second; a problem Status is injected; the test queries
 * Prometheus' HTTP API until the value shows up (generous deadline, no fixed sleeps).
 */
import { createMemoryLogger } from '../../src/core/logger.js';
import { createPrometheusExporter, startMetricsServer, type MetricsServer } from '../../src/exporters/prometheus/prometheus-exporter.js';
import { changed, condition, kernelMonitor, readonlyMonitor, warn } from '../exporters/prometheus/scenario.js';
import { scraped, startPrometheus, type PrometheusServer } from '../helpers/prometheus-server.js';

describe('Prometheus scrapes the exporter', () => {
  const prom = createPrometheusExporter();
  let server: MetricsServer;
  let prometheus: PrometheusServer | undefined;
  const valueOf = (q: string): Promise<string | undefined> => prometheus!.valueOf(q);

  beforeAll(async () => {
    prom.setMonitors([kernelMonitor, readonlyMonitor]);
    server = await startMetricsServer({ address: '127.0.0.1', port: 0, registry: prom.registry, logger: createMemoryLogger() });
    prometheus = await startPrometheus(server.url);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
  });

  test('the zero series are scraped before any problem', async () => {
    expect(await scraped('problem_gauge at 0', () => valueOf('problem_gauge{type="KernelDeadlock",reason="DockerHung"}'))).toBe('0');
  });

  test('an injected OOM kill shows up in problem_counter', async () => {
    prom.export({ source: 'kernel-monitor', events: [warn('OOMKilling')], conditions: [] });
    const v = await scraped('problem_counter{reason="OOMKilling"} == 1', async () => {
      const value = await valueOf('problem_counter{reason="OOMKilling"}');
      return value === '1' ? value : undefined;
    });
    expect(v).toBe('1');
  });

  test('a read-only filesystem sets the gauge, and clearing it returns it to 0', async () => {
    prom.export(changed('readonly-monitor', condition('ReadonlyFilesystem', 'True', 'FilesystemIsReadOnly')));
    const q = 'problem_gauge{type="ReadonlyFilesystem",reason="FilesystemIsReadOnly"}';
    await scraped('gauge 1', async () => ((await valueOf(q)) === '1' ? true : undefined));
    prom.export(changed('readonly-monitor', condition('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly')));
    expect(await scraped('gauge 0', async () => ((await valueOf(q)) === '0' ? '0' : undefined))).toBe('0');
  });

  test('the agent health metrics are scraped with the npd_ prefix', async () => {
    prom.telemetry.linesRead('kmsg', 5);
    expect(await scraped('lines read', async () => ((await valueOf('npd_source_lines_read_total{source="kmsg"}')) === '5' ? '5' : undefined))).toBe('5');
    expect(await valueOf('npd_process_resident_memory_bytes')).toBeDefined();
  });
});
