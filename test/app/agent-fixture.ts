/**
 * An in-process agent on real sources (kmsg records in a file, a kern.log, journal files) with the
 * real Prometheus exporter, for the health and reload tests: monitor files are written to a temp
 * directory, the agent reads them like `npd run` does, and metrics are read back from its registry.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, type Agent } from '../../src/app/agent.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import type { Condition } from '../../src/core/problem.js';
import type { Exporter } from '../../src/exporters/exporter.js';
import { noopTelemetry } from '../../src/core/telemetry.js';
import { createPrometheusExporter } from '../../src/exporters/prometheus/prometheus-exporter.js';
import { createContainerProcesses } from '../../src/pods/container-processes.js';
import { createPodDirectory } from '../../src/pods/pod-directory.js';
import { repoRoot } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

/** A monitor file's JSON. */
export type MonitorJson = Record<string, unknown>;

/** An OOM rule and a hung-task rule, as kernel-monitor.json has them. */
export const kernelRules = [
  { type: 'temporary', reason: 'OOMKilling', pattern: 'Out of memory: Kill(ed)? process \\d+ (.+) total-vm.*' },
  { type: 'temporary', reason: 'TaskHung', pattern: 'task [\\S ]+:\\w+ blocked for more than \\w+ seconds\\.' },
];

/** A log monitor file named `source` on `plugin`/`logPath`. */
export function logMonitor(source: string, plugin: string, logPath: string, extra: MonitorJson = {}): MonitorJson {
  return { plugin, logPath, lookback: '5m', bufferSize: 10, source, metricsReporting: true, conditions: [], rules: kernelRules, ...extra };
}

export const oomLine = 'Out of memory: Killed process 4242 (stress) total-vm:1000kB, anon-rss:900kB';
export const hungLine = 'INFO: task kworker:123 blocked for more than 120 seconds.';

/** A kmsg record stamped `atMs` for a boot at `bootMs`. */
export function kmsgRecord(seq: number, atMs: number, bootMs: number, message: string): string {
  return `6,${seq},${Math.round((atMs - bootMs) * 1000)},-;${message}\n`;
}

/** A running agent and what to observe it with. */
export interface AgentFixture {
  readonly dir: string;
  readonly agent: Agent;
  readonly logger: ReturnType<typeof createMemoryLogger>;
  readonly bootMs: number;
  /** The signal the agent was started with. */
  readonly signal: AbortSignal;
  /** Rewrites a monitor file (by name), as a ConfigMap update would. */
  writeMonitor(name: string, json: MonitorJson): Promise<void>;
  /** Takes a monitor file off the list the agent reads (a profile edit); `reload()` then removes it. */
  dropMonitor(name: string): void;
  /** A metric's value (undefined when the series does not exist). */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Options of {@link startAgentFixture}. */
export interface AgentFixtureOptions {
  /** Monitor files by name; `$DIR` in a string value is replaced by the temp directory. */
  readonly monitors: Readonly<Record<string, MonitorJson>>;
  readonly clock?: Clock;
  readonly graceMs?: number;
  /** Runs before the agent starts (to create inputs). */
  readonly before?: (dir: string) => Promise<void>;
  readonly stateDir?: boolean;
  /** Exporters beside the Prometheus one. */
  readonly exporters?: readonly Exporter[];
  /** Watch the files (the agent's default); off unless given. */
  readonly watch?: boolean;
  /** @default /proc */
  readonly procRoot?: string;
  /** Pod OOM attribution over these kubelet log directories (off when absent). */
  readonly pods?: { readonly podsLogDir: string; readonly containersLogDir: string };
  /** The Node's conditions, adopted once started (the Kubernetes exporter's read). */
  readonly initialConditions?: readonly Condition[];
  /** Aborts the agent's signal while it starts, as a SIGTERM during start-up does. */
  readonly abortDuringStart?: boolean;
}

const withDir = (json: MonitorJson, dir: string): MonitorJson => JSON.parse(JSON.stringify(json).replaceAll('$DIR', dir)) as MonitorJson;

/** Starts an agent over the monitor files of `options` in a new temp directory. */
export async function startAgentFixture(options: AgentFixtureOptions): Promise<AgentFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'npd-agent-'));
  const clock = options.clock ?? systemClock;
  const bootMs = clock.now() - 3_600_000;
  let names = Object.keys(options.monitors);
  const writeMonitor = (name: string, json: MonitorJson): Promise<void> => writeFile(join(dir, name), JSON.stringify(withDir(json, dir)));
  for (const name of names) await writeMonitor(name, options.monitors[name] as MonitorJson);
  await options.before?.(dir);
  const prom = createPrometheusExporter({ processMetrics: false });
  const logger = createMemoryLogger();
  const agent = createAgent({
    monitorFiles: async () => names.map((n) => join(dir, n)),
    exporters: [prom, ...(options.exporters ?? [])],
    deps: {
      clock,
      logger,
      telemetry: prom.telemetry,
      procRoot: options.procRoot ?? '/proc',
      bootTimeMs: bootMs,
      fetch: globalThis.fetch,
      random: () => 0.5,
      ...(options.pods ? { podAttribution: { directory: createPodDirectory(options.pods), processes: createContainerProcesses(options.procRoot ?? '/proc', clock) } } : {}),
      ...(options.stateDir ? { stateDir: join(dir, 'state') } : {}),
    },
    ...(options.watch === true ? {} : { watch: options.watch ?? false }),
    ...(options.graceMs === undefined ? {} : { sourceFailureGraceMs: options.graceMs }),
  });
  const ac = new AbortController();
  const started = agent.start(ac.signal);
  if (options.abortDuringStart) ac.abort();
  await started;
  if (options.initialConditions) await agent.adopt(options.initialConditions);
  return {
    dir,
    agent,
    logger,
    bootMs,
    signal: ac.signal,
    writeMonitor,
    dropMonitor: (name) => void (names = names.filter((n) => n !== name)),
    async metric(name, labels = {}) {
      const family = (await prom.registry.getMetricsAsJSON()).find((m) => m.name === name);
      const series = family?.values.find((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val));
      return series?.value;
    },
    async stop() {
      ac.abort();
      await agent.stopped();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An agent over `files` with no exporter and no watch, not started: for tests of `start` itself. */
export function bareAgent(files: readonly string[]): { readonly agent: Agent; readonly logger: ReturnType<typeof createMemoryLogger> } {
  const logger = createMemoryLogger();
  const agent = createAgent({
    monitorFiles: async () => files,
    exporters: [],
    deps: { clock: systemClock, logger, telemetry: noopTelemetry, procRoot: '/proc', bootTimeMs: 0, fetch: globalThis.fetch, random: () => 0.5 },
    watch: false,
  });
  return { agent, logger };
}

/**
 * The fd monitor in an agent, stopped with an error: the clock fails as the monitor starts (a probe
 * monitor reads the time first), then works again. Resolves once the monitor has stopped.
 */
export async function startCrashedFdMonitor(): Promise<AgentFixture> {
  let failing = false;
  const clock: Clock = {
    now: () => {
      if (failing) throw new Error('clock unavailable');
      return Date.now();
    },
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
  };
  const fdMonitor = JSON.parse(await readFile(join(repoRoot, 'monitors/fd-monitor.json'), 'utf8')) as MonitorJson;
  const fx = await startAgentFixture({ monitors: { 'fd.json': fdMonitor }, clock, before: async () => void (failing = true) });
  failing = false;
  await waitFor(() => fx.agent.health().monitors[0]?.ok === false, 'the monitor to stop with its error');
  return fx;
}
