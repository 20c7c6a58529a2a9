/**
 * The agent's own process metrics (`npd_process_*`, `npd_nodejs_*`, prom-client's names), read at
 * scrape time. prom-client's `collectDefaultMetrics` is not used: its event-loop monitor samples
 * every 10 ms, which woke the idle agent ~100 times a second (issue 10). The event-loop lag figures
 * are the lateness of the agent's own 1-second tick (app/loop-lag.ts, through the telemetry's
 * `eventLoopLag`) since the previous scrape: no timer of their own, so nothing else runs between
 * scrapes.
 */
import { nodeFs } from '../../core/node-builtins.js';
import { Counter, Gauge, type Registry } from './prom-client.js';

/** Ticks kept between two scrapes at most (an hour of them); older ones are dropped. */
const MAX_TICKS = 3600;

/** The process metrics of a registry. */
export interface ProcessMetrics {
  /** One tick's lateness, in seconds (how late the agent's 1-second timer fired). */
  recordLoopLag(seconds: number): void;
}

/** Lateness samples since the last scrape: min, max, mean, standard deviation, percentiles. */
function createLagSamples(): { add(seconds: number): void; readonly count: number; stat(of: 'min' | 'max' | 'mean' | 'stddev'): number; percentile(p: number): number; reset(): void } {
  let ticks: number[] = [];
  let sorted: number[] | undefined;
  const mean = (): number => ticks.reduce((a, b) => a + b, 0) / ticks.length;
  return {
    add(seconds) {
      ticks.push(seconds);
      if (ticks.length > MAX_TICKS) ticks.shift();
      sorted = undefined;
    },
    get count() {
      return ticks.length;
    },
    stat(of) {
      if (of === 'min') return Math.min(...ticks);
      if (of === 'max') return Math.max(...ticks);
      const m = mean();
      return of === 'mean' ? m : Math.sqrt(ticks.reduce((a, b) => a + (b - m) ** 2, 0) / ticks.length);
    },
    // Nearest rank: the smallest sample with at least p % of the samples at or below it.
    percentile(p) {
      sorted ??= [...ticks].sort((a, b) => a - b);
      return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
    },
    reset() {
      ticks = [];
      sorted = undefined;
    },
  };
}

/** Open fds and the soft limit, from /proc/self (undefined where /proc is not mounted). */
function readFds(): { open: number; max: number } | undefined {
  try {
    const open = nodeFs().readdirSync('/proc/self/fd').length - 1; // the directory's own fd
    const limit = /^Max open files\s+(\d+)/m.exec(nodeFs().readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return { open, max: Number(limit ?? NaN) };
  } catch {
    return undefined;
  }
}

/** Registers the process metrics in `registry` with `prefix`. */
export function registerProcessMetrics(registry: Registry, prefix: string): ProcessMetrics {
  const registers = [registry];
  const ticks = createLagSamples();
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
  // Read at a scrape: the global `performance` loads perf_hooks, which is not needed before the agent listens.
  gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', () => Math.round(performance.timeOrigin / 1000));
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss());
  gauge('process_open_fds', 'Number of open file descriptors.', () => readFds()?.open);
  gauge('process_max_fds', 'Maximum number of open file descriptors.', () => readFds()?.max);
  gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', () => process.memoryUsage().heapTotal);
  gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', () => process.memoryUsage().heapUsed);
  gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', () => process.memoryUsage().external);
  // Tick lateness since the previous scrape; absent until a tick was measured.
  const lag = (suffix: string, help: string, of: () => number): void =>
    gauge(`nodejs_eventloop_lag${suffix}_seconds`, help, () => (ticks.count > 0 ? of() : undefined));
  lag('', 'Lag of event loop in seconds (the mean since the last scrape).', () => ticks.stat('mean'));
  lag('_min', 'The minimum recorded event loop delay.', () => ticks.stat('min'));
  lag('_max', 'The maximum recorded event loop delay.', () => ticks.stat('max'));
  lag('_mean', 'The mean of the recorded event loop delays.', () => ticks.stat('mean'));
  lag('_stddev', 'The standard deviation of the recorded event loop delays.', () => ticks.stat('stddev'));
  lag('_p50', 'The 50th percentile of the recorded event loop delays.', () => ticks.percentile(50));
  lag('_p90', 'The 90th percentile of the recorded event loop delays.', () => ticks.percentile(90));
  lag('_p99', 'The 99th percentile of the recorded event loop delays.', () => {
    const p99 = ticks.percentile(99);
    ticks.reset(); // the last of the family: the next scrape starts a new interval
    return p99;
  });
  new Gauge({
    name: `${prefix}nodejs_version_info`,
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch'],
    registers,
  }).set({ version: process.version, ...Object.fromEntries(['major', 'minor', 'patch'].map((k, i) => [k, process.versions.node.split('.')[i] ?? ''])) }, 1);
  return { recordLoopLag: (seconds) => ticks.add(Math.max(0, seconds)) };
}
