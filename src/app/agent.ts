/**
 * The agent: loads monitor files, builds monitors, fans their Status out to every exporter, and
 * reloads when the files change. The only module that wires layers together (docs/architecture.md,
 * "The layers").
 */
import type { MonitorConfig } from '../config/monitor-config.js';
import { readMonitorFile } from '../config/load-monitor.js';
import { checkConditionOwners } from '../config/condition-owners.js';
import { buildMonitor, type MonitorDeps } from './build-monitor.js';
import { describeMonitor } from '../monitors/describe-monitor.js';
import { snapshotFiles, watchConfigFiles } from './config-watcher.js';
import { errorMessage, isFdExhaustion } from '../core/errors.js';
import type { Exporter } from '../exporters/exporter.js';
import type { HealthReport } from './health-server.js';
import type { Monitor } from '../monitors/monitor.js';
import type { Condition, Status } from '../core/problem.js';
import { probeRegistry } from '../probes/registry.js';

/** Options of {@link createAgent}. */
export interface AgentOptions {
  /** The monitor files to run; asked again on every reload (a profile edit can change the list). */
  readonly monitorFiles: () => Promise<readonly string[]>;
  /** Other files whose change means "reload" (the profiles that name the monitor files). */
  readonly watchFiles?: () => Promise<readonly string[]>;
  readonly exporters: readonly Exporter[];
  readonly deps: MonitorDeps;
  /**
   * The Node's current conditions owned by this agent (from the Kubernetes exporter), read once at
   * start so monitors continue from them instead of resetting to False (NPD #304).
   */
  readonly initialConditions?: () => Promise<readonly Condition[] | undefined>;
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
}

async function loadAll(files: readonly string[]): Promise<MonitorConfig[]> {
  const unique = [...new Set(files)];
  const configs = await Promise.all(unique.map((f) => readMonitorFile(f, { probeNames: Object.keys(probeRegistry), checkPaths: true })));
  checkConditionOwners(configs);
  return configs;
}

/** Creates the agent. */
export function createAgent(options: AgentOptions): Agent {
  const { deps, exporters } = options;
  const log = deps.logger;
  const running = new Map<string, Running>();
  const latest = new Map<string, readonly Condition[]>();
  let parent: AbortSignal | undefined;
  let watcher: Promise<void> = Promise.resolve();
  let reloading: Promise<{ ok: boolean; error?: string }> | undefined;

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
    parent?.addEventListener('abort', onAbort, { once: true });
    const owned = new Set(config.conditions.map((c) => c.type));
    const mine = initial?.filter((c) => owned.has(c.type));
    const monitor = buildMonitor(config, deps, mine && mine.length > 0 ? mine : undefined);
    const entry: Running = {
      key: JSON.stringify(config),
      config,
      monitor,
      controller,
      crashed: undefined,
      done: Promise.resolve(),
    };
    (entry as { done: Promise<void> }).done = monitor
      .run(sink, controller.signal)
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
    for (const [file, r] of running) {
      const next = wanted.get(file);
      if (next && JSON.stringify(next) === r.key && !r.crashed) continue;
      r.controller.abort(new Error('reload'));
      await r.done;
      running.delete(file);
      if (!next) {
        latest.delete(r.config.source);
        log.info('monitor removed', { monitor: r.config.source, file });
      }
    }
    for (const config of configs) {
      if (running.has(config.file)) continue;
      // Across a reload a changed monitor continues from its own last conditions.
      const carried = latest.get(config.source) ?? initial;
      running.set(config.file, launch(config, carried));
    }
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

  return {
    async start(signal) {
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
      const initial = options.initialConditions ? await options.initialConditions() : undefined;
      await apply(configs, initial);
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
    },
    reload,
    health() {
      const monitors = [...running.values()].map((r) => {
        const h = r.monitor.health();
        return { source: r.config.source, ok: h.ok && !r.crashed, detail: r.crashed ?? h.detail };
      });
      const exps = exporters.map((e) => ({ name: e.name, ok: e.healthy() }));
      return { ok: monitors.every((m) => m.ok) && exps.every((e) => e.ok), monitors, exporters: exps };
    },
    conditions: () => Object.fromEntries(latest),
    async stopped() {
      await watcher;
      await reloading;
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
