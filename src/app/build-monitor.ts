/**
 * Turns a validated monitor file into a running {@link Monitor}: a log monitor over the source its
 * `plugin` names, or a probe monitor over built-in probes and NPD custom plugins. The agent calls this
 * at start and on every reload; `npd check` and tests call it too.
 */
import type { Clock } from '../core/clock.js';
import type { MonitorConfig } from '../config/monitor-config.js';
import type { Logger } from '../core/logger.js';
import { createLogMonitor } from '../monitors/log-monitor.js';
import type { Monitor } from '../monitors/monitor.js';
import { createProbeMonitor } from '../monitors/probe-monitor.js';
import type { Condition } from '../core/problem.js';
import { createSource } from '../sources/registry.js';
import type { ProcTableSource } from '../probes/proc-table.js';
import { createOomAnnotator, oomKillingReason, type OomAttributionDeps } from '../pods/oom-events.js';
import type { Telemetry } from '../core/telemetry.js';

/** What every monitor is built with. */
export interface MonitorDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  /** Host procfs root (`/proc`, or `/host/proc` in the DaemonSet). */
  readonly procRoot: string;
  readonly sysRoot: string;
  /** Where sources keep their place (journald cursors); undefined = nowhere. */
  readonly stateDir: string | undefined;
  /** Boot time, ms since the epoch. */
  readonly bootTimeMs: number;
  readonly fetch: typeof fetch;
  readonly random: () => number;
  /** Pod OOM attribution (off when the kubelet's log directories are absent). */
  readonly podAttribution?: OomAttributionDeps | undefined;
  /** The /proc pass shared by every monitor's process probes. @default each probe scans on its own */
  readonly procTable?: ProcTableSource | undefined;
}

/**
 * Builds the monitor of one file. `initialConditions` are the Node's current conditions this monitor
 * owns (read at startup or kept across a reload), so a restart does not flip them (NPD #304).
 */
export function buildMonitor(config: MonitorConfig, deps: MonitorDeps, initialConditions?: readonly Condition[]): Monitor {
  const logger = deps.logger.child({ monitor: config.source });
  if (config.kind === 'log') {
    const source = createSource(
      {
        plugin: config.plugin,
        file: config.file,
        source: config.source,
        logPath: config.logPath,
        lookbackMs: config.lookbackMs,
        delayMs: config.delayMs,
        pluginConfig: config.pluginConfig,
      },
      { clock: deps.clock, logger, telemetry: deps.telemetry, bootTimeMs: deps.bootTimeMs, random: deps.random, stateDir: deps.stateDir },
    );
    // Any monitor reporting OOMKilling gets the attribution step, NPD's kernel-monitor.json unchanged.
    const attribution = deps.podAttribution !== undefined && config.rules.some((r) => r.reason === oomKillingReason) ? deps.podAttribution : undefined;
    return createLogMonitor(config, {
      source, clock: deps.clock, logger, telemetry: deps.telemetry, initialConditions,
      ...(attribution ? { annotate: createOomAnnotator(attribution) } : {}),
    });
  }
  return createProbeMonitor(config, {
    ctx: {
      procRoot: deps.procRoot, sysRoot: deps.sysRoot, clock: deps.clock, logger, telemetry: deps.telemetry, fetch: deps.fetch,
      ...(deps.procTable ? { procTable: deps.procTable } : {}), pods: deps.podAttribution?.directory,
    },
    initialConditions,
  });
}
