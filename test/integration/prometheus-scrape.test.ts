/**
 * The exporter against a real Prometheus (Debian's /usr/bin/prometheus) on loopback: Prometheus
 * scrapes the metrics server every second; a problem Status is injected; the test queries
 * Prometheus' HTTP API until the value shows up (generous deadline, no fixed sleeps).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../../src/core/logger.js';
import { createPrometheusExporter, startMetricsServer, type MetricsServer } from '../../src/exporters/prometheus/prometheus-exporter.js';
import { changed, condition, kernelMonitor, readonlyMonitor, warn } from '../exporters/prometheus/scenario.js';
import { freePort } from '../helpers/net.js';
import { eventually } from '../helpers/wait.js';

const prometheusBin = process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';

/** Prometheus answers queries after a scrape: poll it every 250 ms for up to 90 s. */
const scraped = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => eventually(probe, what, 90_000, 250);

interface QueryResult {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe('Prometheus scrapes the exporter', () => {
  const prom = createPrometheusExporter();
  let server: MetricsServer;
  let prometheus: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stderr = '';
  let dir = '';
  let api = '';

  const query = async (q: string): Promise<QueryResult['data']['result']> => {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as QueryResult;
    if (body.status !== 'success') throw new Error(`query ${q}: ${JSON.stringify(body)}`);
    return body.data.result;
  };
  const valueOf = async (q: string): Promise<string | undefined> => (await query(q))[0]?.value[1];

  beforeAll(async () => {
    prom.setMonitors([kernelMonitor, readonlyMonitor]);
    server = await startMetricsServer({ address: '127.0.0.1', port: 0, registry: prom.registry, logger: createMemoryLogger() });
    const target = new URL(server.url).host;
    const webPort = await freePort();
    api = `http://127.0.0.1:${webPort}`;
    dir = mkdtempSync(join(tmpdir(), 'npd-prometheus-'));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: npd-ts', '    static_configs:', `      - targets: ['${target}']`, ''].join('\n'),
    );
    prometheus = spawn(prometheusBin, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${webPort}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    prometheus.stderr?.on('data', (d: Buffer) => (stderr = `${stderr}${d.toString()}`.slice(-4000)));
    const child = prometheus;
    exited = new Promise((r) => child.once('exit', () => r()));
    await scraped('prometheus to see the target up', async () => ((await valueOf('up{job="npd-ts"}')) === '1' ? true : undefined)).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\nprometheus stderr:\n${stderr}`, { cause: err });
    });
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      prometheus.kill('SIGTERM');
      const killer = setTimeout(() => prometheus?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
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
