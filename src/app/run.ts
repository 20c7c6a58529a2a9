/**
 * `npd run`: builds the exporters the flags ask for, starts the agent, serves `/healthz` and
 * `/metrics`, and shuts everything down on SIGTERM/SIGINT.
 */
import { hostname } from 'node:os';
import { createAgent } from './agent.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createConsoleExporter } from '../exporters/console-exporter.js';
import type { Exporter } from '../exporters/exporter.js';
import { createKubernetesExporter, loadConnection, resolveNodeName } from '../exporters/kubernetes/kubernetes-exporter.js';
import { createPrometheusExporter, startMetricsServer } from '../exporters/prometheus/prometheus-exporter.js';
import { startHealthServer } from './health-server.js';
import type { Logger } from '../core/logger.js';
import { readBootTimeMs } from '../sources/boot-time.js';
import { noopTelemetry, type Telemetry } from '../core/telemetry.js';
import { createContainerProcesses } from '../pods/container-processes.js';
import { createPodDirectory } from '../pods/pod-directory.js';
import { createProcTableSource } from '../probes/proc-table.js';

/** Settings of `npd run`, after flag parsing. */
export interface RunSettings {
  readonly monitorFiles: () => Promise<readonly string[]>;
  /** Profile files to watch besides the monitor files. */
  readonly watchFiles?: () => Promise<readonly string[]>;
  readonly hostnameOverride: string | undefined;
  readonly enableK8sExporter: boolean;
  readonly apiserverOverride: string | undefined;
  readonly kubeconfig: string | undefined;
  readonly apiserverWaitTimeoutMs: number;
  readonly apiserverWaitIntervalMs: number;
  readonly heartbeatMs: number;
  readonly writeEvents: boolean;
  readonly updateNodeConditions: boolean;
  readonly eventNamespace: string | undefined;
  readonly address: string;
  readonly port: number;
  readonly prometheusAddress: string;
  readonly prometheusPort: number;
  readonly procRoot: string;
  readonly sysRoot: string;
  /** The kubelet's log directories, for pod attribution (off when neither exists). */
  readonly podsLogDir: string;
  readonly containersLogDir: string;
  readonly stateDir: string | undefined;
  /** Print problems on stdout (standalone mode, or alongside the other exporters). */
  readonly console: boolean;
  readonly reload: boolean;
}

/** Runs the agent until `signal` aborts. Throws ConfigError for a bad configuration at start. */
export async function runAgent(settings: RunSettings, logger: Logger, signal: AbortSignal, clock: Clock = systemClock): Promise<void> {
  const exporters: Exporter[] = [];
  const closers: (() => Promise<void>)[] = [];
  let telemetry: Telemetry = noopTelemetry;
  const pods = createPodDirectory({ podsLogDir: settings.podsLogDir, containersLogDir: settings.containersLogDir });
  const podAttribution = pods.enabled ? { directory: pods, processes: createContainerProcesses(settings.procRoot, clock) } : undefined;
  try {
    if (settings.prometheusPort !== 0) {
      const prom = createPrometheusExporter({ clock, ...(pods.enabled ? { podPresent: (uid: string) => pods.exists(uid) } : {}) });
      telemetry = prom.telemetry;
      exporters.push(prom);
      const server = await startMetricsServer({ address: settings.prometheusAddress, port: settings.prometheusPort, registry: prom.registry, logger });
      closers.push(() => server.close());
    }
    let k8s: ReturnType<typeof createKubernetesExporter> | undefined;
    if (settings.enableK8sExporter) {
      const connection = await loadConnection({ apiserverOverride: settings.apiserverOverride, kubeconfig: settings.kubeconfig });
      k8s = createKubernetesExporter({
        connection,
        nodeName: resolveNodeName(settings.hostnameOverride, process.env['NODE_NAME'], hostname()),
        eventNamespace: settings.eventNamespace,
        heartbeatMs: settings.heartbeatMs,
        writeEvents: settings.writeEvents,
        updateConditions: settings.updateNodeConditions,
        waitTimeoutMs: settings.apiserverWaitTimeoutMs,
        waitIntervalMs: settings.apiserverWaitIntervalMs,
        clock,
        random: Math.random,
        logger: logger.child({ exporter: 'kubernetes' }),
        telemetry,
      });
      exporters.push(k8s);
      await k8s.start(signal);
    }
    if (settings.console) exporters.push(createConsoleExporter());

    const agent = createAgent({
      monitorFiles: settings.monitorFiles,
      watchFiles: settings.watchFiles,
      exporters,
      deps: {
        clock,
        logger,
        telemetry,
        procRoot: settings.procRoot,
        sysRoot: settings.sysRoot,
        stateDir: settings.stateDir,
        bootTimeMs: await readBootTimeMs(settings.procRoot),
        // Reading globalThis.fetch loads undici (http2, zlib, web streams: ~10 MiB RSS, ~80 ms at
        // start); only the cloud metadata probes fetch, so it is loaded on their first call.
        fetch: (input, init) => globalThis.fetch(input, init),
        random: Math.random,
        podAttribution,
        procTable: createProcTableSource(settings.procRoot, clock),
      },
      initialConditions: k8s ? () => k8s.readNodeConditions() : undefined,
      watch: settings.reload,
    });
    await agent.start(signal);
    if (settings.port !== 0) {
      const health = await startHealthServer({
        address: settings.address,
        port: settings.port,
        health: () => agent.health(),
        conditions: () => agent.conditions(),
        logger,
      });
      closers.push(() => health.close());
    }
    logger.info('npd-ts running', {
      exporters: exporters.map((e) => e.name),
      // Off where neither of the kubelet's log directories exists: the Node events are then NPD's.
      podAttribution: pods.enabled ? 'on' : 'off: neither kubelet log directory exists',
      podsLogDir: settings.podsLogDir,
      containersLogDir: settings.containersLogDir,
    });
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    logger.info('stopping');
    await agent.stopped();
  } finally {
    await Promise.allSettled(exporters.map((e) => e.stop()));
    await Promise.allSettled(closers.map((c) => c()));
  }
}
