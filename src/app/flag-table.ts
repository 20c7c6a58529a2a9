/**
 * The flag table: every flag of every command, with its parser (flag-values.ts), its default and its
 * `--help` text, declared once on a commander program. The program only collects values; turning
 * them into typed settings is settings-read.ts, and parsing a command line is command-line.ts.
 */
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { formatDuration } from '../core/clock.js';
import { bad, parseAddress, parseBool, parseDurationFlag, parseList, parseLogLevel, parseNumber, parsePort, parseText, positiveDuration } from './flag-values.js';
import type { ConfigError } from '../core/errors.js';
import type { PackagePaths } from './settings.js';

/** The commands, in `--help` order. */
export const commands = ['run', 'check', 'replay', 'validate'] as const;

/** The error of a command word there is not (`npd frobnicate`, `npd help frobnicate`). */
export const noSuchCommand = (word: string): ConfigError => bad(word, `no such command (commands: ${commands.join(', ')}; see npd --help)`);

/** Commander's values of one command's flags, by camel-cased flag name. */
export type Values = Readonly<Record<string, unknown>>;

/** What commander found: the command, its flag values and its positional arguments. */
export interface ParsedCommand {
  readonly command: (typeof commands)[number];
  readonly values: Values;
  /** `replay`'s log files, `validate`'s files; for `run`, words it does not take. */
  readonly args: readonly string[];
}

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
  podsLogDir: '/var/log/pods',
  containersLogDir: '/var/log/containers',
} as const;

/** A flag whose value `parse` checks, naming it (`--port`) in its error. */
function opt(flags: string, help: string | undefined, parse: (flag: string, value: string) => unknown): Option {
  const option = new Option(flags, help);
  return option.argParser((value: string) => parse(`--${option.name()}`, value));
}
/** A flag accepted for compatibility and left out of `--help` (a comment says why). */
const hidden = (flags: string, parse: (flag: string, value: string) => unknown): Option => opt(flags, undefined, parse).hideHelp();
const durationOpt = (flags: string, help: string, ms: number): Option =>
  opt(flags, help, positiveDuration).default(ms, formatDuration(ms));
const boolOpt = (flags: string, help: string): Option => opt(flags, help, parseBool).default(true);
function listOpt(flags: string, help?: string): Option {
  const option = new Option(flags, help);
  return option.argParser((value: string, previous: string[] | undefined) => parseList(`--${option.name()}`, value, previous));
}

function addCommonPaths(cmd: Command, paths: PackagePaths): Command {
  return cmd
    .addOption(opt('--profile <name|file>', 'profile: which monitors this node runs (default, alibaba-cloud, or a file)', parseText))
    .addOption(opt('--monitors-dir <dir>', 'directory of monitor files named by profiles', parseText).default(join(paths.root, 'monitors'), 'the package\'s monitors/'))
    .addOption(opt('--config-dir <dir>', 'directory of profiles', parseText).default(join(paths.root, 'config'), 'the package\'s config/'))
    .addOption(opt('--proc-path <dir>', 'host procfs root (/host/proc in the DaemonSet)', parseText).default(runDefaults.procPath))
    // No probe reads sysfs: accepted (hidden) so a DaemonSet that still passes it starts, with a warning from `run`.
    .addOption(hidden('--sys-path <dir>', parseText))
    .addOption(opt('--log-level <level>', 'log level: debug, info, warn or error', parseLogLevel).default('info'));
}

function addPodDirs(cmd: Command): Command {
  return cmd
    .addOption(opt('--pods-log-dir <dir>', "kubelet's pod log directory: pod UID → namespace/name for OOM and hung-task attribution", parseText).default(runDefaults.podsLogDir))
    .addOption(opt('--containers-log-dir <dir>', "kubelet's container log links: container ID → container name", parseText).default(runDefaults.containersLogDir));
}
/**
 * The program with every flag; `found` receives the values of the command the command line names.
 */
export function buildProgram(paths: PackagePaths, found: (parsed: ParsedCommand) => void): Command {
  const program = new Command('npd').description('Node problem detector for Kubernetes: a drop-in for node-problem-detector').version(paths.version, '--version');

  addPodDirs(addCommonPaths(program.command('run', { isDefault: true }).description('run the agent (the default command)'), paths))
    .addOption(listOpt('--config.system-log-monitor <paths>', 'NPD: comma-separated system log monitor files'))
    .addOption(listOpt('--config.custom-plugin-monitor <paths>', 'NPD: comma-separated custom plugin monitor files'))
    // NPD's deprecated names of the two flags above.
    .addOption(listOpt('--system-log-monitors <paths>').hideHelp())
    .addOption(listOpt('--custom-plugin-monitors <paths>').hideHelp())
    // NPD's, not supported: accepted so NPD's command lines start, and warned about by `run`.
    .addOption(new Option('--config.system-stats-monitor <paths>').hideHelp())
    .addOption(new Option('--exporter.stackdriver <config>').hideHelp())
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
    // NPD's and klog's, accepted and ignored: requests are event-driven and coalesced, logging is ours.
    .addOption(hidden('--kube-api-qps <n>', parseNumber))
    .addOption(hidden('--kube-api-burst <n>', parseNumber))
    .addOption(hidden('--v <level>', parseNumber))
    .addOption(hidden('--logtostderr [bool]', parseBool))
    .allowExcessArguments(true)
    .action((o: Values, cmd: Command) => found({ command: 'run', values: o, args: cmd.args }));

  addCommonPaths(program.command('check').description('probe this node once and print a table; exit 0 all OK, 1 a problem, 2 a usage or configuration error, 3 a check could not run'), paths)
    .addOption(listOpt('--config.custom-plugin-monitor <paths>', 'probe monitor files to run instead of the profile'))
    .addOption(new Option('--json', 'print JSON'))
    .action((o: Values) => found({ command: 'check', values: o, args: [] }));

  addPodDirs(addCommonPaths(program.command('replay').description('run log files through monitors offline and print each problem'), paths))
    .argument('<logfile...>', 'log files: kmsg records, syslog/kern.log, dmesg, journalctl -o json')
    .addOption(listOpt('--monitor <file>', 'monitor file (repeatable; default: the profile\'s log monitors)'))
    .action((logFiles: string[], o: Values) => found({ command: 'replay', values: o, args: logFiles }));

  program
    .command('validate')
    .description('check monitor files and exit 2 naming the file and field of the first problem')
    .argument('<file...>', 'monitor files')
    .action((list: string[]) => found({ command: 'validate', values: {}, args: list }));
  return program;
}

/** The long name of every declared flag, for the README test. */
export function declaredFlags(paths: PackagePaths): string[] {
  const program = buildProgram(paths, () => {});
  return [...new Set(program.commands.flatMap((c) => c.options.map((o) => `--${o.name()}`)))];
}
