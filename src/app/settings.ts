/**
 * The command line, parsed once into one readonly typed value per command ({@link Invocation}).
 * Every flag is declared here with its parser; a bad value is a ConfigError naming the flag
 * (`command line: --port: must be …`), which the CLI prints on one line and exits 2 for. Nothing
 * here runs anything: `parseCommandLine` is pure, so tests parse in-process.
 */
import { Command, CommanderError, Option } from 'commander';
import { join } from 'node:path';
import { formatDuration } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import { bad, parseAddress, parseBool, parseDurationFlag, parseList, parseLogLevel, parseNumber, parsePort, parseText, positiveDuration } from './flag-values.js';
import type { LogLevel } from '../core/logger.js';

/** Flags every command that reads a profile shares. */
export interface CommonSettings {
  /** A profile name or file; undefined = `default` when no monitor file is named. */
  readonly profile: string | undefined;
  readonly monitorsDir: string;
  readonly configDir: string;
  /** Host procfs root (`/host/proc` in the DaemonSet). */
  readonly procPath: string;
  readonly sysPath: string;
  readonly logLevel: LogLevel;
}

/** The kubelet's log directories, for pod attribution (`npd run`, `npd replay`). */
export interface PodDirs {
  /** `--pods-log-dir`: pod UID → namespace/name. */
  readonly podsLogDir: string;
  /** `--containers-log-dir`: container ID → container name. */
  readonly containersLogDir: string;
}

/** `npd run`. */
export interface RunSettings extends CommonSettings, PodDirs {
  /** `--config.system-log-monitor` (and NPD's deprecated `--system-log-monitors`). */
  readonly systemLogMonitors: readonly string[];
  /** `--config.custom-plugin-monitor` (and `--custom-plugin-monitors`). */
  readonly customPluginMonitors: readonly string[];
  /** NPD flags given that npd-ts does not support: warned about at start. */
  readonly ignoredFlags: readonly string[];
  readonly hostnameOverride: string | undefined;
  /** `--enable-k8s-exporter` and not `--standalone`. */
  readonly enableK8sExporter: boolean;
  /** Print problems on stdout (standalone). */
  readonly console: boolean;
  readonly apiserverOverride: string | undefined;
  readonly kubeconfig: string | undefined;
  readonly apiserverWaitTimeoutMs: number;
  readonly apiserverWaitIntervalMs: number;
  readonly heartbeatMs: number;
  readonly writeEvents: boolean;
  readonly updateNodeConditions: boolean;
  readonly eventNamespace: string | undefined;
  readonly address: string;
  /** 0 = no health server. */
  readonly port: number;
  readonly prometheusAddress: string;
  /** 0 = no metrics server. */
  readonly prometheusPort: number;
  readonly stateDir: string | undefined;
  /** How long a log source may fail before `/healthz` answers 503 (`--source-failure-grace-period`). */
  readonly sourceFailureGraceMs: number;
  readonly reload: boolean;
}

/** `npd check`. */
export interface CheckSettings extends CommonSettings {
  readonly customPluginMonitors: readonly string[];
  readonly json: boolean;
}

/** `npd replay`. */
export interface ReplaySettings extends CommonSettings, PodDirs {
  /** `--monitor` files; undefined = the profile's log monitors. */
  readonly monitors: readonly string[] | undefined;
  readonly logFiles: readonly string[];
}

/** `npd validate`. */
export interface ValidateSettings {
  readonly files: readonly string[];
}

/** What the command line asks for. `info` is `--help`/`--version`: print `output`, exit 0. */
export type Invocation =
  | { readonly command: 'run'; readonly settings: RunSettings }
  | { readonly command: 'check'; readonly settings: CheckSettings }
  | { readonly command: 'replay'; readonly settings: ReplaySettings }
  | { readonly command: 'validate'; readonly settings: ValidateSettings }
  | { readonly command: 'info'; readonly output: string };

/** Where the package's own `monitors/` and `config/` are (the defaults of `--monitors-dir`, `--config-dir`). */
export interface PackagePaths {
  readonly root: string;
  readonly version: string;
}

const commands = ['run', 'check', 'replay', 'validate'] as const;

// ---- reading commander's values back, checked by type (no casts) ----

type Values = Readonly<Record<string, unknown>>;
function text(o: Values, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}
function textOr(o: Values, key: string, fallback: string): string {
  return text(o, key) ?? fallback;
}
function num(o: Values, key: string, fallback: number): number {
  const v = o[key];
  return typeof v === 'number' ? v : fallback;
}
function flag(o: Values, key: string, fallback: boolean): boolean {
  const v = o[key];
  return typeof v === 'boolean' ? v : fallback;
}
function files(o: Values, ...keys: string[]): string[] {
  return keys.flatMap((k) => {
    const v = o[k];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  });
}
function level(o: Values): LogLevel {
  const v = text(o, 'logLevel');
  return v === 'debug' || v === 'warn' || v === 'error' ? v : 'info';
}

// ---- the flags ----

/** Default of each run flag, in ms/ports/text, shown in `--help` as the operator writes them. */
export const runDefaults = {
  address: '127.0.0.1',
  port: 20256,
  prometheusAddress: '127.0.0.1',
  prometheusPort: 20257,
  apiserverWaitTimeoutMs: 300_000,
  apiserverWaitIntervalMs: 5_000,
  heartbeatMs: 300_000,
  sourceFailureGraceMs: 60_000,
  procPath: '/proc',
  sysPath: '/sys',
  podsLogDir: '/var/log/pods',
  containersLogDir: '/var/log/containers',
} as const;

const opt = (flags: string, help: string, parse: (flag: string, value: string) => unknown): Option =>
  new Option(flags, help).argParser((value: string) => parse(flags.split(/[ ,]/)[0] ?? flags, value));
const durationOpt = (flags: string, help: string, ms: number): Option =>
  opt(flags, help, positiveDuration).default(ms, formatDuration(ms));
const boolOpt = (flags: string, help: string): Option => opt(flags, help, parseBool).default(true);
const listOpt = (flags: string, help: string): Option =>
  new Option(flags, help).argParser((value: string, previous: string[] | undefined) => parseList(flags.split(' ')[0] ?? flags, value, previous));

function addCommonPaths(cmd: Command, paths: PackagePaths): Command {
  return cmd
    .addOption(opt('--profile <name|file>', 'profile: which monitors this node runs (default, alibaba-cloud, or a file)', parseText))
    .addOption(opt('--monitors-dir <dir>', 'directory of monitor files named by profiles', parseText).default(join(paths.root, 'monitors'), 'the package\'s monitors/'))
    .addOption(opt('--config-dir <dir>', 'directory of profiles', parseText).default(join(paths.root, 'config'), 'the package\'s config/'))
    .addOption(opt('--proc-path <dir>', 'host procfs root (/host/proc in the DaemonSet)', parseText).default(runDefaults.procPath))
    .addOption(opt('--sys-path <dir>', 'host sysfs root (/host/sys in the DaemonSet)', parseText).default(runDefaults.sysPath))
    .addOption(opt('--log-level <level>', 'log level: debug, info, warn or error', parseLogLevel).default('info'));
}

function common(o: Values): CommonSettings {
  return {
    profile: text(o, 'profile'),
    monitorsDir: textOr(o, 'monitorsDir', ''),
    configDir: textOr(o, 'configDir', ''),
    procPath: textOr(o, 'procPath', runDefaults.procPath),
    sysPath: textOr(o, 'sysPath', runDefaults.sysPath),
    logLevel: level(o),
  };
}

function addPodDirs(cmd: Command): Command {
  return cmd
    .addOption(opt('--pods-log-dir <dir>', "kubelet's pod log directory: pod UID → namespace/name for OOM and hung-task attribution", parseText).default(runDefaults.podsLogDir))
    .addOption(opt('--containers-log-dir <dir>', "kubelet's container log links: container ID → container name", parseText).default(runDefaults.containersLogDir));
}
function podDirs(o: Values): PodDirs {
  return { podsLogDir: textOr(o, 'podsLogDir', runDefaults.podsLogDir), containersLogDir: textOr(o, 'containersLogDir', runDefaults.containersLogDir) };
}

function runSettings(o: Values): RunSettings {
  const standalone = flag(o, 'standalone', false) || !flag(o, 'enableK8sExporter', true);
  return {
    ...common(o),
    ...podDirs(o),
    systemLogMonitors: files(o, 'config.systemLogMonitor', 'systemLogMonitors'),
    customPluginMonitors: files(o, 'config.customPluginMonitor', 'customPluginMonitors'),
    ignoredFlags: ['config.systemStatsMonitor', 'exporter.stackdriver'].filter((k) => o[k] !== undefined).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
    hostnameOverride: text(o, 'hostnameOverride'),
    enableK8sExporter: !standalone,
    console: standalone,
    apiserverOverride: text(o, 'apiserverOverride'),
    kubeconfig: text(o, 'kubeconfig'),
    apiserverWaitTimeoutMs: num(o, 'apiserverWaitTimeout', runDefaults.apiserverWaitTimeoutMs),
    apiserverWaitIntervalMs: num(o, 'apiserverWaitInterval', runDefaults.apiserverWaitIntervalMs),
    heartbeatMs: num(o, 'k8sExporterHeartbeatPeriod', runDefaults.heartbeatMs),
    writeEvents: flag(o, 'k8sExporterWriteEvents', true),
    updateNodeConditions: flag(o, 'k8sExporterUpdateNodeConditions', true),
    eventNamespace: text(o, 'eventNamespace'),
    address: textOr(o, 'address', runDefaults.address),
    port: num(o, 'port', runDefaults.port),
    prometheusAddress: textOr(o, 'prometheusAddress', runDefaults.prometheusAddress),
    prometheusPort: num(o, 'prometheusPort', runDefaults.prometheusPort),
    stateDir: text(o, 'stateDir'),
    sourceFailureGraceMs: num(o, 'sourceFailureGracePeriod', runDefaults.sourceFailureGraceMs),
    reload: flag(o, 'reload', true),
  };
}

function buildProgram(paths: PackagePaths, found: (inv: Invocation) => void): Command {
  const program = new Command('npd').description('Node problem detector for Kubernetes: a drop-in for node-problem-detector').version(paths.version, '--version');

  addPodDirs(addCommonPaths(program.command('run', { isDefault: true }).description('run the agent (the default command)'), paths))
    .addOption(listOpt('--config.system-log-monitor <paths>', 'NPD: comma-separated system log monitor files'))
    .addOption(listOpt('--config.custom-plugin-monitor <paths>', 'NPD: comma-separated custom plugin monitor files'))
    .addOption(listOpt('--system-log-monitors <paths>', 'NPD (deprecated): same as --config.system-log-monitor').hideHelp())
    .addOption(listOpt('--custom-plugin-monitors <paths>', 'NPD (deprecated): same as --config.custom-plugin-monitor').hideHelp())
    .addOption(new Option('--config.system-stats-monitor <paths>', 'NPD: not supported; accepted and ignored with a warning').hideHelp())
    .addOption(new Option('--exporter.stackdriver <config>', 'NPD: not supported; accepted and ignored with a warning').hideHelp())
    .addOption(opt('--hostname-override <name>', 'NPD: node name (else $NODE_NAME, else the hostname)', parseText))
    .addOption(opt('--enable-k8s-exporter [bool]', 'NPD: publish conditions and events to the apiserver', parseBool).default(true))
    .addOption(new Option('--standalone', 'no cluster: print problems on the console (same as --enable-k8s-exporter=false)'))
    .addOption(opt('--apiserver-override <uri>', 'NPD: apiserver URI, e.g. https://host:6443?inClusterConfig=false&auth=/path/kubeconfig', parseText))
    .addOption(opt('--kubeconfig <file>', 'kubeconfig to use instead of the in-cluster service account', parseText))
    .addOption(opt('--apiserver-wait-timeout <duration>', 'NPD: how long to wait for the apiserver at start', parseDurationFlag).default(runDefaults.apiserverWaitTimeoutMs, formatDuration(runDefaults.apiserverWaitTimeoutMs)))
    .addOption(durationOpt('--apiserver-wait-interval <duration>', 'NPD: retry interval while waiting', runDefaults.apiserverWaitIntervalMs))
    .addOption(durationOpt('--k8s-exporter-heartbeat-period <duration>', 'NPD: re-send conditions this often', runDefaults.heartbeatMs))
    .addOption(boolOpt('--k8s-exporter-write-events [bool]', 'NPD: write Events'))
    .addOption(boolOpt('--k8s-exporter-update-node-conditions [bool]', 'NPD: write NodeConditions'))
    .addOption(opt('--event-namespace <ns>', 'NPD: namespace of Events (default "default")', parseText))
    .addOption(opt('--address <ip>', 'NPD: address of /healthz and /conditions', parseAddress).default(runDefaults.address))
    .addOption(opt('--port <port>', 'NPD: port of /healthz and /conditions (0 disables)', parsePort).default(runDefaults.port))
    .addOption(opt('--prometheus-address <ip>', 'NPD: address of /metrics', parseAddress).default(runDefaults.prometheusAddress))
    .addOption(opt('--prometheus-port <port>', 'NPD: port of /metrics (0 disables)', parsePort).default(runDefaults.prometheusPort))
    .addOption(opt('--state-dir <dir>', 'where sources keep their place across restarts (journald cursors)', parseText))
    .addOption(durationOpt('--source-failure-grace-period <duration>', 'how long a log source may fail before /healthz answers 503', runDefaults.sourceFailureGraceMs))
    .addOption(new Option('--no-reload', 'do not watch monitor files for changes'))
    .addOption(opt('--kube-api-qps <n>', 'NPD: accepted for compatibility (requests are event-driven and coalesced)', parseNumber).hideHelp())
    .addOption(opt('--kube-api-burst <n>', 'NPD: accepted for compatibility', parseNumber).hideHelp())
    .addOption(opt('--v <level>', 'NPD/klog: accepted for compatibility', parseNumber).hideHelp())
    .addOption(opt('--logtostderr [bool]', 'NPD/klog: accepted for compatibility', parseBool).hideHelp())
    .allowExcessArguments(true)
    .action((o: Values, cmd: Command) => {
      // `npd frobnicate` reaches the default command with a word it does not take.
      const extra = cmd.args[0];
      if (extra !== undefined) throw bad(extra, `no such command (commands: ${commands.join(', ')}; see npd --help)`);
      found({ command: 'run', settings: runSettings(o) });
    });

  addCommonPaths(program.command('check').description('probe this node once and print a table; exit 0 all OK, 1 a problem, 2 a usage or configuration error, 3 a check could not run'), paths)
    .addOption(listOpt('--config.custom-plugin-monitor <paths>', 'probe monitor files to run instead of the profile'))
    .addOption(new Option('--json', 'print JSON'))
    .action((o: Values) => found({ command: 'check', settings: { ...common(o), customPluginMonitors: files(o, 'config.customPluginMonitor'), json: flag(o, 'json', false) } }));

  addPodDirs(addCommonPaths(program.command('replay').description('run log files through monitors offline and print each problem'), paths))
    .argument('<logfile...>', 'log files: kmsg records, syslog/kern.log, dmesg, journalctl -o json')
    .addOption(listOpt('--monitor <file>', 'monitor file (repeatable; default: the profile\'s log monitors)'))
    .action((logFiles: string[], o: Values) => {
      const monitors = files(o, 'monitor');
      found({ command: 'replay', settings: { ...common(o), ...podDirs(o), monitors: monitors.length > 0 ? monitors : undefined, logFiles } });
    });

  program
    .command('validate')
    .description('check monitor files and exit 2 naming the file and field of the first problem')
    .argument('<file...>', 'monitor files')
    .action((list: string[]) => found({ command: 'validate', settings: { files: list } }));
  return program;
}

/** Turns commander's own errors (unknown flag, missing value) into one-line ConfigErrors. */
function usageError(err: CommanderError): ConfigError {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  const name = quoted.split(/[ ,=]/)[0] ?? quoted;
  switch (err.code) {
    case 'commander.unknownOption':
      return bad(name, 'unknown flag (see npd --help)');
    case 'commander.unknownCommand':
      return bad(name, `no such command (commands: ${commands.join(', ')})`);
    case 'commander.optionMissingArgument':
      return bad(name, 'needs a value');
    case 'commander.missingArgument':
      return bad(`<${name}>`, 'missing (see npd --help)');
    default:
      return bad('', err.message.replace(/^error: /, ''));
  }
}

/**
 * Parses `argv` (without node and the script: `['run', '--port=0']`). Throws ConfigError naming the
 * flag for any bad value, unknown flag or command.
 * @example parseCommandLine(['check', '--json'], paths) // { command: 'check', settings: { json: true, … } }
 */
export function parseCommandLine(argv: readonly string[], paths: PackagePaths): Invocation {
  let result: Invocation | undefined;
  let output = '';
  const program = buildProgram(paths, (inv) => (result = inv));
  const quiet = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ writeOut: (s) => void (output += s), writeErr: () => {} });
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return { command: 'info', output };
    throw usageError(err);
  }
  if (!result) return { command: 'info', output };
  return result;
}

/** The help text of the flag table, for the README test and `npd --help`. */
export function declaredFlags(paths: PackagePaths): string[] {
  const program = buildProgram(paths, () => {});
  return [...new Set(program.commands.flatMap((c) => c.options.map((o) => o.long ?? '')).filter(Boolean))];
}
