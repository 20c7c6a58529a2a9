/**
 * The agent: loads monitor files, builds monitors over shared sources (one reader per input, kept
 * across reloads: see source-hub.ts), fans their Status out to every exporter, reloads when the
 * files change, and answers for its health (health-model.ts). The only module that wires layers
 * together (docs/architecture.md, "The layers").
 */
import type { MonitorConfig } from '../config/monitor-config.js';
import { readMonitorFile } from '../config/load-monitor.js';
import { checkConditionOwners } from '../config/condition-owners.js';
import { buildMonitor, type AgentDeps, type MonitorDeps } from './build-monitor.js';
import { describeMonitor } from '../monitors/describe-monitor.js';
import { snapshotFiles, watchConfigFiles } from './config-watcher.js';
import { systemClock } from '../core/clock.js';
import { errorMessage, isFdExhaustion } from '../core/errors.js';
import type { Exporter } from '../exporters/exporter.js';
import { assessHealth, type HealthReport } from './health-model.js';
import { watchLoopLag } from './loop-lag.js';
import type { Monitor } from '../monitors/monitor.js';
import type { Condition, Status } from '../core/problem.js';
import { probeRegistry } from '../probes/registry.js';
import { createSourceHub } from '../sources/source-hub.js';

/** Default of `--source-failure-grace-period`. */
export const DEFAULT_SOURCE_FAILURE_GRACE_MS = 60_000;

/** Options of {@link createAgent}. */
export interface AgentOptions {
  /** The monitor files to run; asked again on every reload (a profile edit can change the list). */
  readonly monitorFiles: () => Promise<readonly string[]>;
  /** Other files whose change means "reload" (the profiles that name the monitor files). */
  readonly watchFiles?: () => Promise<readonly string[]>;
  readonly exporters: readonly Exporter[];
  readonly deps: AgentDeps;
  /** How long a source may fail before `/healthz` answers 503. @default 60000 */
  readonly sourceFailureGraceMs?: number;
  /** Watch the files and reload on change. @default true */
  readonly watch?: boolean;
  /** @default 500 */
  readonly reloadDebounceMs?: number;
  /** @default 30000 */
  readonly reloadPollMs?: number;
}

/** A running agent. */
export interface Agent {
  /** Loads and starts every monitor; throws ConfigError when a file is invalid. */
  start(signal: AbortSignal): Promise<void>;
  /**
   * The Node's current conditions owned by this agent, once the Kubernetes exporter has read them
   * (after its start jitter: the monitors run meanwhile). Every monitor owning some of them that has
   * reported no change since it started is restarted from them, so a restart of the agent does not
   * reset them to False (NPD #304); its source hands the successor the input where it stopped.
   */
  adopt(onNode: readonly Condition[]): Promise<void>;
  /** Re-reads the files; on any invalid file keeps the running configuration and returns its error. */
  reload(): Promise<{ readonly ok: boolean; readonly error?: string }>;
  health(): HealthReport;
  /** The latest conditions of every monitor, by source. */
  conditions(): Record<string, readonly Condition[]>;
  /** Resolves when every monitor has stopped after the signal aborted. */
  stopped(): Promise<void>;
}

interface Running {
  readonly key: string;
  readonly config: MonitorConfig;
  readonly monitor: Monitor;
  readonly controller: AbortController;
  readonly done: Promise<void>;
  crashed: string | undefined;
  /** The conditions of its first report (type, status, reason), and whether a later one differed. */
  first: string | undefined;
  changed: boolean;
}

const conditionsKey = (conditions: readonly Condition[]): string => JSON.stringify(conditions.map((c) => [c.type, c.status, c.reason]));

async function loadAll(files: readonly string[]): Promise<MonitorConfig[]> {
  const unique = [...new Set(files)];
  const configs = await Promise.all(unique.map((f) => readMonitorFile(f, { probeNames: Object.keys(probeRegistry), checkPaths: true })));
  checkConditionOwners(configs);
  return configs;
}

/** Creates the agent. */
export function createAgent(options: AgentOptions): Agent {
  const { exporters } = options;
  const sources = createSourceHub(options.deps);
  const deps: MonitorDeps = { ...options.deps, sources };
  const log = deps.logger;
  const graceMs = options.sourceFailureGraceMs ?? DEFAULT_SOURCE_FAILURE_GRACE_MS;
  let lag: ReturnType<typeof watchLoopLag> | undefined;
  const running = new Map<string, Running>();
  const latest = new Map<string, readonly Condition[]>();
  let parent: AbortSignal | undefined;
  let watcher: Promise<void> = Promise.resolve();
  let reloading: Promise<{ ok: boolean; error?: string }> | undefined;
  let started: Promise<void> | undefined;

  const sink = (status: Status): void => {
    latest.set(status.source, status.conditions);
    for (const e of exporters) {
      try {
        e.export(status);
      } catch (err) {
        log.error('exporter failed', { exporter: e.name, error: errorMessage(err) });
      }
    }
  };

  const launch = (config: MonitorConfig, initial: readonly Condition[] | undefined): Running => {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(parent?.reason);
    // Stopped while starting (SIGTERM during start-up): an aborted signal fires no more events.
    if (parent?.aborted) onAbort();
    else parent?.addEventListener('abort', onAbort, { once: true });
    const owned = new Set(config.conditions.map((c) => c.type));
    // None of them (an empty list) starts from the defaults, as no list does.
    const monitor = buildMonitor(config, deps, initial?.filter((c) => owned.has(c.type)));
    const entry: Running = {
      key: JSON.stringify(config),
      config,
      monitor,
      controller,
      crashed: undefined,
      done: Promise.resolve(),
      first: undefined,
      changed: false,
    };
    const report = (status: Status): void => {
      // Every report carries all of the monitor's conditions (none: never adopted, see adopt()).
      if (!entry.changed) {
        const key = conditionsKey(status.conditions);
        if (entry.first === undefined) entry.first = key;
        else entry.changed = key !== entry.first;
      }
      sink(status);
    };
    (entry as { done: Promise<void> }).done = monitor
      .run(report, controller.signal)
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        entry.crashed = errorMessage(err);
        log.error('monitor stopped with an error', { monitor: config.source, file: config.file, error: entry.crashed });
      })
      .finally(() => parent?.removeEventListener('abort', onAbort));
    log.info('monitor started', { monitor: config.source, file: config.file, kind: config.kind });
    return entry;
  };

  const apply = async (configs: readonly MonitorConfig[], initial: readonly Condition[] | undefined): Promise<void> => {
    const wanted = new Map(configs.map((c) => [c.file, c]));
    // Sources hand out nothing while monitors are swapped: a changed monitor's successor takes up
    // its input where it stopped, and readers no monitor reads any more stop afterwards.
    const release = sources.hold();
    try {
      for (const [file, r] of running) {
        const next = wanted.get(file);
        if (next && JSON.stringify(next) === r.key && !r.crashed) continue;
        r.controller.abort();
        await r.done;
        running.delete(file);
        if (!next) {
          latest.delete(r.config.source);
          deps.telemetry.sourceRemoved(r.config.source);
          log.info('monitor removed', { monitor: r.config.source, file });
        }
      }
      for (const config of configs) {
        if (running.has(config.file)) continue;
        // Across a reload a changed monitor continues from its own last conditions.
        const carried = latest.get(config.source) ?? initial;
        running.set(config.file, launch(config, carried));
      }
    } finally {
      release();
    }
    await sources.sweep();
    const descriptions = [...running.values()].map((r) => describeMonitor(r.config));
    for (const e of exporters) e.setMonitors(descriptions);
  };

  const reload = async (): Promise<{ ok: boolean; error?: string }> => {
    try {
      const configs = await loadAll(await options.monitorFiles());
      await apply(configs, undefined);
      deps.telemetry.configReload(true);
      log.info('configuration reloaded', { monitors: configs.length });
      return { ok: true };
    } catch (err) {
      deps.telemetry.configReload(false);
      // Out of file descriptors is the process's state, not a fault of the files.
      if (isFdExhaustion(err)) log.error('configuration not reloaded: out of file descriptors; the previous configuration keeps running', { error: errorMessage(err) });
      else log.error('configuration rejected; the previous configuration keeps running', { error: errorMessage(err) });
      return { ok: false, error: errorMessage(err) };
    }
  };

  const start = async (signal: AbortSignal): Promise<void> => {
    parent = signal;
    const watching = options.watch ?? true;
    const watchList = async (): Promise<readonly string[]> => [...(await options.monitorFiles()), ...((await options.watchFiles?.()) ?? [])];
    let watched: readonly string[] = watching ? await watchList() : [];
    // Read before loading: an edit made while the files load is a change the watcher then sees.
    const baseline = watching ? await snapshotFiles(watched) : undefined;
    const files = await options.monitorFiles();
    const configs = await loadAll(files);
    const sources = new Map<string, string>();
    for (const c of configs) {
      const other = sources.get(c.source);
      if (other && other !== c.file) log.warn('two monitor files share a source name', { source: c.source, files: [other, c.file] });
      sources.set(c.source, c.file);
    }
    await apply(configs, undefined);
    // Started once the configuration loaded: a start that throws leaves no timer running.
    // On real time: lag is a real-time figure, and a tick on an injected manual clock would move
    // it in 1 s steps under every test that advances it.
    lag = watchLoopLag({ clock: systemClock, telemetry: deps.telemetry, logger: log }, signal);
    if (watching) {
      watcher = watchConfigFiles({
        files: () => watched,
        baseline,
        onChange: async () => {
          reloading = reload();
          await reloading;
          watched = await watchList().catch(() => watched);
        },
        clock: deps.clock,
        logger: log,
        signal,
        debounceMs: options.reloadDebounceMs,
        pollMs: options.reloadPollMs,
      }).catch((err: unknown) => log.error('config watcher failed', { error: errorMessage(err) }));
    }
  };

  return {
    start(signal) {
      started = start(signal);
      return started;
    },
    async adopt(onNode) {
      // Not started, or the start failed: nothing runs.
      await started?.catch(() => undefined);
      await reloading;
      const release = sources.hold();
      try {
        for (const [file, r] of running) {
          const owned = new Set(r.config.conditions.map((c) => c.type));
          if (r.changed || r.crashed || !onNode.some((c) => owned.has(c.type))) continue;
          r.controller.abort();
          await r.done;
          // Stopped (before or while this monitor stopped): nothing starts again.
          if (parent?.aborted) break;
          running.set(file, launch(r.config, onNode));
        }
      } finally {
        release();
      }
    },
    reload,
    health() {
      return assessHealth({
        nowMs: deps.clock.now(),
        graceMs,
        monitors: [...running.values()].map((r) => ({ source: r.config.source, health: r.monitor.health(), crashed: r.crashed })),
        exporters: exporters.map((e) => ({ name: e.name, ok: e.healthy() })),
        eventLoop: lag?.report() ?? { lastSeconds: 0, maxSeconds: 0 },
      });
    },
    conditions: () => Object.fromEntries(latest),
    async stopped() {
      await watcher;
      await reloading;
      await Promise.all([...running.values()].map((r) => r.done));
      await sources.close();
      await lag?.done;
    },
  };
}
