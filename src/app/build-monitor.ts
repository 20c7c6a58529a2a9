/**
 * Turns a validated monitor file into a running {@link Monitor}: a log monitor over the source its
 * `plugin` names (shared with every monitor on the same input, see source-hub.ts), or a probe
 * monitor over built-in probes and NPD custom plugins. The agent calls this
 * at start and on every reload; `npd check` and tests call it too.
 */
import type { MonitorConfig } from '../config/monitor-config.js';
import { createLogMonitor } from '../monitors/log-monitor.js';
import type { Monitor } from '../monitors/monitor.js';
import { createProbeMonitor } from '../monitors/probe-monitor.js';
import type { Condition } from '../core/problem.js';
import type { ProcTableSource } from '../probes/proc-table.js';
import { createOomAnnotator, oomKillingReason, type OomAttributionDeps } from '../pods/oom-events.js';
import type { ProbeContext } from '../probes/probe.js';
import type { SourceDeps } from '../sources/log-source.js';
import type { SourceHub } from '../sources/source-hub.js';

/**
 * What the agent runs with, one bag flowing down: the probes' context (host roots, clock, logger,
 * telemetry, fetch, the shared /proc pass), what sources need (boot time, state dir, jitter) and
 * pod OOM attribution. The agent builds its {@link SourceHub} from it; probe monitors take it as
 * their ProbeContext.
 */
export type AgentDeps = Omit<ProbeContext, 'procTable' | 'pods'> &
  SourceDeps & {
    readonly random: () => number;
    /** Pod OOM attribution (off when the kubelet's log directories are absent). */
    readonly podAttribution?: OomAttributionDeps | undefined;
    /** The /proc pass shared by every monitor's process probes. @default each probe scans on its own */
    readonly procTable?: ProcTableSource | undefined;
  };

/** What every monitor is built with: the agent's deps and the shared sources. */
export type MonitorDeps = AgentDeps & { readonly sources: SourceHub };

/**
 * Builds the monitor of one file. `initialConditions` are the Node's current conditions this monitor
 * owns (read at startup or kept across a reload), so a restart does not flip them (NPD #304).
 */
export function buildMonitor(config: MonitorConfig, deps: MonitorDeps, initialConditions?: readonly Condition[]): Monitor {
  const logger = deps.logger.child({ monitor: config.source });
  if (config.kind === 'log') {
    // Keyed by the file: a reload's monitor of the same file takes up what its predecessor left.
    const source = deps.sources.source(
      {
        plugin: config.plugin,
        file: config.file,
        source: config.source,
        logPath: config.logPath,
        lookbackMs: config.lookbackMs,
        delayMs: config.delayMs,
        pluginConfig: config.pluginConfig,
      },
      config.file,
    );
    // Any monitor reporting OOMKilling gets the attribution step (when on), NPD's kernel-monitor.json
    // unchanged; the others are spared its per-line parse.
    const attribution = config.rules.some((r) => r.reason === oomKillingReason) ? deps.podAttribution : undefined;
    return createLogMonitor(config, {
      source, clock: deps.clock, logger, telemetry: deps.telemetry, initialConditions,
      ...(attribution ? { annotate: createOomAnnotator(attribution) } : {}),
    });
  }
  return createProbeMonitor(config, {
    // `deps` carries the shared /proc pass (procTable) when the agent has one.
    ctx: { ...deps, logger, pods: deps.podAttribution?.directory },
    initialConditions,
  });
}
