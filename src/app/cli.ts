#!/usr/bin/env -S node --disable-sigusr1 --enable-experimental-regexp-engine-on-excessive-backtracks
/**
 * The command line: `npd run` (the agent; the default command, so NPD's flags work unchanged),
 * `npd check` (probe the node once), `npd replay` (run log files through monitors), `npd validate`.
 * A configuration error prints one line naming the file and field, and exits 2.
 */
import { Command, Option } from 'commander';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration, systemClock } from '../core/clock.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { createLogger, silentLogger, type LogLevel } from '../core/logger.js';
import { enableLinearRegexpEngine } from '../re2/linear-engine.js';

const here = dirname(fileURLToPath(import.meta.url));
// src/app/cli.ts (tests) and dist/src/app/cli.js (installed) sit at different depths below the package root.
const packageRoot = [resolve(here, '../..'), resolve(here, '../../..')].find((d) => existsSync(join(d, 'package.json'))) ?? resolve(here, '../..');
const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

function bool(flag: string) {
  return (value: string): boolean => {
    if (/^(true|1|t|yes)$/i.test(value)) return true;
    if (/^(false|0|f|no)$/i.test(value)) return false;
    throw new ConfigError('command line', flag, `must be true or false, got ${JSON.stringify(value)}`);
  };
}
function duration(flag: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === undefined) throw new ConfigError('command line', flag, `must be a duration like 5m or 30s, got ${JSON.stringify(value)}`);
    return ms;
  };
}
function port(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError('command line', flag, `must be a port 0–65535, got ${JSON.stringify(value)}`);
    return n;
  };
}
const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** Resolves the monitor files of a run: `--config.*` flags as NPD, plus a profile (default `default` when no flag names a file). */
async function monitorFiles(o: Record<string, unknown>): Promise<string[]> {
  return (await resolveFiles(o)).monitors;
}

async function resolveFiles(o: Record<string, unknown>): Promise<{ monitors: string[]; profiles: string[] }> {
  const { readProfile } = await import('../config/load-profile.js');
  const explicit = [
    ...((o['config.systemLogMonitor'] as string[] | undefined) ?? []),
    ...((o['systemLogMonitors'] as string[] | undefined) ?? []),
    ...((o['config.customPluginMonitor'] as string[] | undefined) ?? []),
    ...((o['customPluginMonitors'] as string[] | undefined) ?? []),
  ].map((f) => resolve(f));
  const profileName = (o['profile'] as string | undefined) ?? (explicit.length === 0 ? 'default' : undefined);
  const profile = profileName ? await readProfile(profileName, { configDir: o['configDir'] as string, monitorsDir: o['monitorsDir'] as string }) : undefined;
  return { monitors: [...new Set([...(profile?.monitorFiles ?? []), ...explicit])], profiles: profile?.profileFiles ?? [] };
}

function addCommonPaths(cmd: Command): Command {
  return cmd
    .option('--profile <name|file>', 'profile: which monitors this node runs (default, alibaba-cloud, or a file)')
    .option('--monitors-dir <dir>', 'directory of monitor files named by profiles', join(packageRoot, 'monitors'))
    .option('--config-dir <dir>', 'directory of profiles', join(packageRoot, 'config'))
    .option('--proc-path <dir>', 'host procfs root (/host/proc in the DaemonSet)', '/proc')
    .option('--sys-path <dir>', 'host sysfs root (/host/sys in the DaemonSet)', '/sys')
    .option('--pods-log-dir <dir>', "kubelet's pod log directory: pod UID → namespace/name for OOM and hung-task attribution", '/var/log/pods')
    .option('--containers-log-dir <dir>', "kubelet's container log links: container ID → container name", '/var/log/containers')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'));
}

function buildProgram(signal: AbortSignal): Command {
  const program = new Command('npd')
    .description('Node problem detector for Kubernetes: a drop-in for node-problem-detector')
    .version(version, '--version')
    .showHelpAfterError();

  const run = addCommonPaths(program.command('run', { isDefault: true }).description('run the agent (the default command)'))
    .option('--config.system-log-monitor <paths>', 'NPD: comma-separated system log monitor files', list)
    .option('--config.custom-plugin-monitor <paths>', 'NPD: comma-separated custom plugin monitor files', list)
    .addOption(new Option('--system-log-monitors <paths>', 'NPD (deprecated): same as --config.system-log-monitor').argParser(list).hideHelp())
    .addOption(new Option('--custom-plugin-monitors <paths>', 'NPD (deprecated): same as --config.custom-plugin-monitor').argParser(list).hideHelp())
    .addOption(new Option('--config.system-stats-monitor <paths>', 'NPD: not supported; accepted and ignored with a warning').hideHelp())
    .option('--hostname-override <name>', 'NPD: node name (else $NODE_NAME, else the hostname)')
    .option('--enable-k8s-exporter [bool]', 'NPD: publish conditions and events to the apiserver', bool('--enable-k8s-exporter'), true)
    .option('--standalone', 'no cluster: print problems on the console (same as --enable-k8s-exporter=false)')
    .option('--apiserver-override <uri>', 'NPD: apiserver URI, e.g. https://host:6443?inClusterConfig=false&auth=/path/kubeconfig')
    .option('--kubeconfig <file>', 'kubeconfig to use instead of the in-cluster service account')
    .option('--apiserver-wait-timeout <duration>', 'NPD: how long to wait for the apiserver at start', duration('--apiserver-wait-timeout'), 300_000)
    .option('--apiserver-wait-interval <duration>', 'NPD: retry interval while waiting', duration('--apiserver-wait-interval'), 5_000)
    .option('--k8s-exporter-heartbeat-period <duration>', 'NPD: re-send conditions this often', duration('--k8s-exporter-heartbeat-period'), 300_000)
    .option('--k8s-exporter-write-events [bool]', 'NPD: write Events', bool('--k8s-exporter-write-events'), true)
    .option('--k8s-exporter-update-node-conditions [bool]', 'NPD: write NodeConditions', bool('--k8s-exporter-update-node-conditions'), true)
    .option('--event-namespace <ns>', 'NPD: namespace of Events (default "default")')
    .option('--address <ip>', 'NPD: address of /healthz and /conditions', '127.0.0.1')
    .option('--port <port>', 'NPD: port of /healthz and /conditions (0 disables)', port('--port'), 20256)
    .option('--prometheus-address <ip>', 'NPD: address of /metrics', '127.0.0.1')
    .option('--prometheus-port <port>', 'NPD: port of /metrics (0 disables)', port('--prometheus-port'), 20257)
    .option('--state-dir <dir>', 'where sources keep their place across restarts (journald cursors)')
    .option('--source-failure-grace-period <duration>', 'how long a log source may fail before /healthz answers 503', duration('--source-failure-grace-period'), 60_000)
    .option('--no-reload', 'do not watch monitor files for changes')
    .addOption(new Option('--kube-api-qps <n>', 'NPD: accepted for compatibility (requests are event-driven and coalesced)').hideHelp())
    .addOption(new Option('--kube-api-burst <n>', 'NPD: accepted for compatibility').hideHelp())
    .addOption(new Option('--v <level>', 'NPD/klog: accepted for compatibility').hideHelp())
    .addOption(new Option('--logtostderr [bool]', 'NPD/klog: accepted for compatibility').hideHelp())
    .action(async (o: Record<string, unknown>) => {
      const logger = createLogger({ level: o['logLevel'] as LogLevel });
      if (o['config.systemStatsMonitor']) logger.warn('--config.system-stats-monitor is not supported and is ignored');
      const standalone = Boolean(o['standalone']) || o['enableK8sExporter'] === false;
      const { runAgent } = await import('./run.js');
      await runAgent(
        {
          monitorFiles: () => monitorFiles(o),
          watchFiles: async () => (await resolveFiles(o)).profiles,
          hostnameOverride: o['hostnameOverride'] as string | undefined,
          enableK8sExporter: !standalone,
          apiserverOverride: o['apiserverOverride'] as string | undefined,
          kubeconfig: o['kubeconfig'] as string | undefined,
          apiserverWaitTimeoutMs: o['apiserverWaitTimeout'] as number,
          apiserverWaitIntervalMs: o['apiserverWaitInterval'] as number,
          heartbeatMs: o['k8sExporterHeartbeatPeriod'] as number,
          writeEvents: o['k8sExporterWriteEvents'] as boolean,
          updateNodeConditions: o['k8sExporterUpdateNodeConditions'] as boolean,
          eventNamespace: o['eventNamespace'] as string | undefined,
          address: o['address'] as string,
          port: o['port'] as number,
          prometheusAddress: o['prometheusAddress'] as string,
          prometheusPort: o['prometheusPort'] as number,
          procRoot: o['procPath'] as string,
          sysRoot: o['sysPath'] as string,
          podsLogDir: o['podsLogDir'] as string,
          containersLogDir: o['containersLogDir'] as string,
          stateDir: o['stateDir'] as string | undefined,
          sourceFailureGraceMs: o['sourceFailureGracePeriod'] as number,
          console: standalone,
          reload: o['reload'] !== false,
        },
        logger,
        signal,
      );
    });
  void run;

  addCommonPaths(program.command('check').description('probe this node once and print a table; exit 1 when a problem is found'))
    .option('--config.custom-plugin-monitor <paths>', 'probe monitor files to run instead of the profile', list)
    .option('--json', 'print JSON')
    .action(async (o: Record<string, unknown>) => {
      const { runCheck } = await import('./check.js');
      const logger = createLogger({ level: o['logLevel'] as LogLevel });
      const { noopTelemetry } = await import('../core/telemetry.js');
      const files = await monitorFiles(o);
      const result = await runCheck({
        monitorFiles: files,
        ctx: { procRoot: o['procPath'] as string, sysRoot: o['sysPath'] as string, clock: systemClock, logger, telemetry: noopTelemetry, fetch: globalThis.fetch },
        json: Boolean(o['json']),
      });
      process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
      process.exitCode = result.exitCode;
    });

  addCommonPaths(program.command('replay').description('run log files through monitors offline and print each problem'))
    .argument('<logfile...>', 'log files: kmsg records, syslog/kern.log, dmesg, journalctl -o json')
    .option('--monitor <file>', 'monitor file (repeatable; default: the profile\'s log monitors)', list)
    .action(async (logFiles: string[], o: Record<string, unknown>) => {
      const { runReplay, formatReplay } = await import('./replay.js');
      let monitors = (o['monitor'] as string[] | undefined)?.map((f) => resolve(f));
      if (!monitors) {
        const { readMonitorFile } = await import('../config/load-monitor.js');
        const all = await monitorFiles(o);
        const configs = await Promise.all(all.map((f) => readMonitorFile(f)));
        monitors = configs.filter((c) => c.kind === 'log').map((c) => c.file);
      }
      const result = await runReplay({
        monitorFiles: monitors,
        logFiles: logFiles.map((f) => (isAbsolute(f) ? f : resolve(f))),
        pods: { podsLogDir: o['podsLogDir'] as string, containersLogDir: o['containersLogDir'] as string },
      });
      process.stdout.write(formatReplay(result));
    });

  program
    .command('validate')
    .description('check monitor files and exit 2 naming the file and field of the first problem')
    .argument('<file...>', 'monitor files')
    .action(async (files: string[]) => {
      const { validateFiles } = await import('../config/load-monitor.js');
      const { createRuleCheck } = await import('../monitors/rule-check.js');
      const { probeRegistry } = await import('../probes/registry.js');
      const { noopTelemetry } = await import('../core/telemetry.js');
      // Building a probe's check validates its options (nothing runs): bad ones fail here, not at start.
      const ctx = { procRoot: '/proc', sysRoot: '/sys', clock: systemClock, logger: silentLogger, telemetry: noopTelemetry, fetch: globalThis.fetch };
      // The same checks as the agent at start: a plugin path must be an executable file.
      const result = await validateFiles(files, { probeNames: Object.keys(probeRegistry), checkPaths: true }, (m) => {
        if (m.kind === 'probe') m.rules.forEach((_, i) => createRuleCheck(m, i, ctx));
      });
      for (const m of result.messages) (result.ok ? process.stdout : process.stderr).write(`${m}\n`);
      if (!result.ok) process.exitCode = 2;
    });
  return program;
}

/** Entry point. */
export async function main(argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  const stop = (sig: NodeJS.Signals): void => controller.abort(new Error(sig));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await buildProgram(controller.signal).parseAsync([...argv]);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`npd: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`npd: ${errorMessage(err)}\n`);
    process.exitCode = 1;
  } finally {
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', stop);
  }
}

/**
 * SIGUSR1 would open the Node inspector on 127.0.0.1:9229: under hostNetwork that is the node's
 * loopback, and the agent runs as root. Every launch passes `--disable-sigusr1` (Node then ignores
 * the signal and this listener never runs); for a launch that forgot the flag, the listener keeps
 * the inspector closed (Node starts none while a SIGUSR1 listener exists) and says so.
 */
export function ignoreInspectorSignal(): void {
  process.on('SIGUSR1', () => createLogger().warn('SIGUSR1 ignored: the inspector is disabled in the agent'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  ignoreInspectorSignal();
  // Rule patterns are checked against, and fall back to, V8's linear-time engine.
  enableLinearRegexpEngine();
  await main(process.argv);
}
