/**
 * A real Prometheus (Debian's /usr/bin/prometheus) on loopback scraping one target every second,
 * and promtool's `check metrics`, for tests of what the agent serves on `/metrics`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';
import { eventually } from './wait.js';

const prometheusBin = process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';

/** Prometheus answers queries after a scrape: poll it every 250 ms for up to 90 s. */
export const scraped = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => eventually(probe, what, 90_000, 250);

interface QueryResult {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** A running Prometheus. */
export interface PrometheusServer {
  /** The value of the first series `q` selects, or undefined. */
  valueOf(q: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** Starts Prometheus scraping `metricsUrl` (job `npd-ts`) and waits until it sees the target up. */
export async function startPrometheus(metricsUrl: string): Promise<PrometheusServer> {
  const target = new URL(metricsUrl).host;
  const webPort = await freePort();
  const api = `http://127.0.0.1:${webPort}`;
  const dir = mkdtempSync(join(tmpdir(), 'npd-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: npd-ts', '    static_configs:', `      - targets: ['${target}']`, ''].join('\n'));
  const child = spawn(prometheusBin, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${webPort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = `${stderr}${d.toString()}`.slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const valueOf = async (q: string): Promise<string | undefined> => {
    const body = (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as QueryResult;
    if (body.status !== 'success') throw new Error(`query ${q}: ${JSON.stringify(body)}`);
    return body.data.result[0]?.value[1];
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await scraped('prometheus to see the target up', async () => ((await valueOf('up{job="npd-ts"}')) === '1' ? true : undefined));
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\nprometheus stderr:\n${stderr}`, { cause: err });
  }
  return { valueOf, stop };
}

/**
 * promtool's lint findings we accept, each for a reason: NPD's metric names, kept for drop-in
 * compatibility (dashboards and alerts written for NPD query them).
 */
export const acceptedLint: readonly RegExp[] = [
  /^problem_counter counter metrics should have "_total" suffix$/,
  /^problem_counter metric name should not include type 'counter'$/,
  /^problem_gauge metric name should not include type 'gauge'$/,
];

/** `promtool check metrics` on `text`: its exit status and the findings not in {@link acceptedLint}. */
export function promtoolCheck(text: string): { readonly status: number | null; readonly findings: readonly string[] } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw result.error;
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.trim() !== '');
  return { status: result.status, findings: lines.filter((f) => !acceptedLint.some((re) => re.test(f))) };
}
