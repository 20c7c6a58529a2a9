/**
 * The agent's own process metrics (`npd_process_*`, `npd_nodejs_*`, prom-client's names), read at
 * scrape time. prom-client's `collectDefaultMetrics` is not used: its event-loop monitor samples
 * every 10 ms, which woke the idle agent ~100 times a second (issue 10); here the loop delay is
 * sampled once a second, and nothing else runs between scrapes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from './prom-client.js';

/** Loop-delay sampling period: one timer wake-up a second. */
const LOOP_DELAY_RESOLUTION_MS = 1000;

/** Open fds and the soft limit, from /proc/self (undefined where /proc is not mounted). */
function readFds(): { open: number; max: number } | undefined {
  try {
    const open = readdirSync('/proc/self/fd').length - 1; // the directory's own fd
    const limit = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return { open, max: Number(limit ?? NaN) };
  } catch {
    return undefined;
  }
}

/** Registers the process metrics in `registry` with `prefix`; returns a stop function (ends sampling). */
export function registerProcessMetrics(registry: Registry, prefix: string): () => void {
  const registers = [registry];
  const delay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  delay.enable();
  const cpuCounter = (name: string, help: string, of: (c: NodeJS.CpuUsage) => number): void => {
    let last = 0;
    new Counter({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        const seconds = of(process.cpuUsage()) / 1e6;
        if (seconds > last) this.inc(seconds - last);
        last = seconds;
      },
    });
  };
  cpuCounter('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', (c) => c.user);
  cpuCounter('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', (c) => c.system);
  cpuCounter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', (c) => c.user + c.system);
  const gauge = (name: string, help: string, value: () => number | undefined): void => {
    new Gauge({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        const v = value();
        if (v !== undefined && Number.isFinite(v)) this.set(v);
      },
    });
  };
  const startSeconds = Math.round(performance.timeOrigin / 1000);
  gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', () => startSeconds);
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss());
  gauge('process_open_fds', 'Number of open file descriptors.', () => readFds()?.open);
  gauge('process_max_fds', 'Maximum number of open file descriptors.', () => readFds()?.max);
  gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', () => process.memoryUsage().heapTotal);
  gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', () => process.memoryUsage().heapUsed);
  gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', () => process.memoryUsage().external);
  // Loop delay since the previous scrape, sampled once a second; absent until a sample exists.
  const lag = (suffix: string, help: string, of: () => number): void =>
    gauge(`nodejs_eventloop_lag${suffix}_seconds`, help, () => (delay.count > 0 ? of() / 1e9 : undefined));
  lag('', 'Lag of event loop in seconds (the mean since the last scrape).', () => delay.mean);
  lag('_min', 'The minimum recorded event loop delay.', () => delay.min);
  lag('_max', 'The maximum recorded event loop delay.', () => delay.max);
  lag('_mean', 'The mean of the recorded event loop delays.', () => delay.mean);
  lag('_stddev', 'The standard deviation of the recorded event loop delays.', () => delay.stddev);
  lag('_p50', 'The 50th percentile of the recorded event loop delays.', () => delay.percentile(50));
  lag('_p90', 'The 90th percentile of the recorded event loop delays.', () => delay.percentile(90));
  lag('_p99', 'The 99th percentile of the recorded event loop delays.', () => {
    const p99 = delay.percentile(99);
    delay.reset(); // the last of the family: the next scrape starts a new interval
    return p99;
  });
  new Gauge({
    name: `${prefix}nodejs_version_info`,
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch'],
    registers,
  }).set({ version: process.version, ...Object.fromEntries(['major', 'minor', 'patch'].map((k, i) => [k, process.versions.node.split('.')[i] ?? ''])) }, 1);
  return () => delay.disable();
}
