/**
 * `npd run`: binds `/healthz` and `/metrics` first (a port in use or an address not on this host
 * exits 2 before anything is read or written), then builds the exporters the flags ask for, starts
 * the agent, and shuts everything down when the signal aborts (SIGTERM/SIGINT).
 */
import { systemClock, type Clock } from '../core/clock.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Exporter } from '../exporters/exporter.js';
import type { PrometheusExporter } from '../exporters/prometheus/prometheus-exporter.js';
import { startMetricsServer } from '../exporters/prometheus/metrics-server.js';
import { startHealthServer } from './health-server.js';
import type { HealthReport } from './health-model.js';
import { createLogger, type LogRecord } from '../core/logger.js';
import type { RunSettings } from './settings.js';
import { noopTelemetry, type Telemetry } from '../core/telemetry.js';
import { createPodDirectory } from '../pods/pod-directory.js';
import { enableLinearRegexpEngine } from '../re2/linear-engine.js';
import type { Agent } from './agent.js';

export type { RunSettings } from './settings.js';

/** What `npd run` takes from its process, as parameters so tests run the agent in-process. */
export interface RunEnvironment {
  /** Where log records go. @default JSON lines on stderr, at `--log-level` */
  readonly writeLog?: (record: LogRecord) => void;
  /** Aborts to stop the agent (SIGTERM, SIGINT). */
  readonly signal: AbortSignal;
  /** @default systemClock */
  readonly clock?: Clock;
  /** `$NODE_NAME`, `$KUBECONFIG`, `$KUBERNETES_SERVICE_HOST`… @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default os.hostname() */
  readonly hostname?: string;
  /** Where the console exporter prints (standalone). @default stdout */
  readonly write?: (line: string) => void;
  /** Called once every monitor has started, with the URLs actually listened on. */
  readonly onRunning?: (urls: { readonly health: string | undefined; readonly metrics: string | undefined }) => void;
}

// Before the monitors run, a liveness probe must not kill an agent that is waiting for the apiserver.
const starting: HealthReport = { ok: true, detail: 'starting', monitors: [], exporters: [], eventLoop: { lastSeconds: 0, maxSeconds: 0 } };

const listenProblems: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use',
  EADDRNOTAVAIL: 'the address is not on this host',
  EACCES: 'permission denied',
};
function listenCode(err: unknown): string | undefined {
  // Not `instanceof Error`: an error from another realm (a vm context, as under jest) is one too.
  for (let e: unknown = err; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
/** Listens, or throws a ConfigError naming the flag (exit 2). */
async function listen<T>(flag: string, address: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const code = listenCode(err);
    const why = (code && listenProblems[code]) ?? errorMessage(err);
    throw new ConfigError('command line', flag, `cannot listen on ${address.includes(':') ? `[${address}]` : address}:${port}: ${why}${code ? ` (${code})` : ''}`, { cause: err });
  }
}

/** Runs the agent until `env.signal` aborts. Throws ConfigError for a bad configuration at start. */
export async function runAgent(settings: RunSettings, env: RunEnvironment): Promise<void> {
  const { signal } = env;
  const logger = createLogger({ level: settings.logLevel, ...(env.writeLog ? { write: env.writeLog } : {}) });
  const clock = env.clock ?? systemClock;
  const processEnv = env.env ?? process.env;
  const exporters: Exporter[] = [];
  const closers: (() => Promise<void>)[] = [];
  let telemetry: Telemetry = noopTelemetry;
  let agent: Agent | undefined;
  const startAborted = new AbortController();
  let exporterStarted: Promise<void> | undefined;
  let metricsUrl: string | undefined;
  let healthUrl: string | undefined;
  const pods = createPodDirectory({ podsLogDir: settings.podsLogDir, containersLogDir: settings.containersLogDir });
  try {
    for (const flag of settings.ignoredFlags) logger.warn(`${flag} is not supported and is ignored`);
    // The Prometheus exporter (prom-client) is loaded once both servers listen; a scrape that comes
    // meanwhile waits for its registry.
    let setRegistry: (registry: PromiseLike<PrometheusExporter['registry']>) => void = () => {};
    const registry = new Promise<PrometheusExporter['registry']>((resolve) => (setRegistry = resolve));
    registry.catch(() => {}); // a failed load is thrown below; a scrape meanwhile answers 500
    if (settings.prometheusPort !== 0) {
      const server = await listen('--prometheus-port', settings.prometheusAddress, settings.prometheusPort, () =>
        startMetricsServer({ address: settings.prometheusAddress, port: settings.prometheusPort, registry, logger }),
      );
      closers.push(() => server.close());
      metricsUrl = server.url;
    }
    if (settings.port !== 0) {
      const health = await listen('--port', settings.address, settings.port, () =>
        startHealthServer({
          address: settings.address,
          port: settings.port,
          health: () => agent?.health() ?? starting,
          conditions: () => agent?.conditions() ?? {},
          logger,
        }),
      );
      closers.push(() => health.close());
      healthUrl = health.url;
    }
    // Time and CPU from the process's start (the kubelet's probes can pass from here on); debug: a
    // configuration error found later must stay the one line on stderr. `process.uptime()`, not
    // `performance.now()`: the global `performance` loads perf_hooks.
    const cpu = process.cpuUsage();
    logger.debug('serving', { health: healthUrl, metrics: metricsUrl, sinceStartMs: Math.round(process.uptime() * 1000), cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
    // Everything else is loaded once both servers listen (start-up: README, Performance). First V8's
    // linear-time regexp engine, before any rule is compiled: setting its flags makes Node compile
    // the built-in modules loaded afterwards without their code cache (http and net are loaded).
    enableLinearRegexpEngine();
    if (settings.prometheusPort !== 0) {
      const loaded = import('../exporters/prometheus/prometheus-exporter.js').then(({ createPrometheusExporter }) =>
        // Asked only about pods with OOM-kill series, which exist only when pod attribution is on.
        createPrometheusExporter({ clock, podPresent: (uid) => pods.exists(uid) }),
      );
      setRegistry(loaded.then((p) => p.registry));
      const prom = await loaded;
      telemetry = prom.telemetry;
      exporters.push(prom);
    }
    const [{ createAgent }, { createContainerProcesses }, { readBootTimeMs }, { createProcTableSource }, { resolveMonitorFiles }] = await Promise.all([
      import('./agent.js'),
      import('../pods/container-processes.js'),
      import('../sources/boot-time.js'),
      import('../probes/proc-table.js'),
      import('./monitor-files.js'),
    ]);
    const podAttribution = pods.enabled ? { directory: pods, processes: createContainerProcesses(settings.procPath, clock) } : undefined;
    let k8s: import('../exporters/kubernetes/kubernetes-exporter.js').KubernetesExporter | undefined;
    if (settings.enableK8sExporter) {
      const { createKubernetesExporter, loadConnection, resolveNodeName } = await import('../exporters/kubernetes/kubernetes-exporter.js');
      const { hostname } = await import('node:os');
      const connection = await loadConnection({ apiserverOverride: settings.apiserverOverride, kubeconfig: settings.kubeconfig }, processEnv, clock);
      k8s = createKubernetesExporter({
        connection,
        nodeName: resolveNodeName(settings.hostnameOverride, processEnv['NODE_NAME'], env.hostname ?? hostname()),
        podName: processEnv['POD_NAME'],
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
    }
    if (settings.console) {
      const { createConsoleExporter } = await import('../exporters/console-exporter.js');
      exporters.push(createConsoleExporter(env.write ? { write: env.write } : {}));
    }

    const explicit = [...settings.systemLogMonitors, ...settings.customPluginMonitors];
    const files = () => resolveMonitorFiles(settings, explicit);
    agent = createAgent({
      monitorFiles: async () => (await files()).monitors,
      watchFiles: async () => (await files()).profiles,
      exporters,
      deps: {
        clock,
        logger,
        telemetry,
        procRoot: settings.procPath,
        stateDir: settings.stateDir,
        bootTimeMs: await readBootTimeMs(settings.procPath, clock),
        // Reading globalThis.fetch loads undici (http2, zlib, web streams: ~10 MiB RSS, ~80 ms at
        // start); only the cloud metadata probes fetch, so it is loaded on their first call.
        fetch: (input, init) => globalThis.fetch(input, init),
        random: Math.random,
        podAttribution,
        procTable: createProcTableSource(settings.procPath, clock),
      },
      watch: settings.reload,
      sourceFailureGraceMs: settings.sourceFailureGraceMs,
    });
    // The monitors run while the exporter waits its start jitter (0–10 s) and for the apiserver;
    // once it has read the Node, monitors continue from the Node's conditions (Agent.adopt).
    const running = agent;
    exporterStarted = k8s
      ?.start(AbortSignal.any([signal, startAborted.signal]), (onNode) => running.adopt(onNode))
      .catch((err: unknown) => logger.error('kubernetes exporter failed to start', { error: errorMessage(err) }));
    await agent.start(signal);
    logger.info('npd-ts running', {
      exporters: exporters.map((e) => e.name),
      // Off where neither of the kubelet's log directories exists: the Node events are then NPD's.
      podAttribution: pods.enabled ? 'on' : 'off: neither kubelet log directory exists',
      podsLogDir: settings.podsLogDir,
      containersLogDir: settings.containersLogDir,
    });
    env.onRunning?.({ health: healthUrl, metrics: metricsUrl });
    // A signal aborts once: its listener fires once.
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));
    logger.info('stopping');
    await agent.stopped();
  } finally {
    // A start that failed (a bad monitor file) must not leave the exporter waiting for the apiserver.
    startAborted.abort();
    await exporterStarted;
    await Promise.allSettled(exporters.map((e) => e.stop()));
    await Promise.allSettled(closers.map((c) => c()));
  }
}
