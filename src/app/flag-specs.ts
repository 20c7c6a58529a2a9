/**
 * Every flag of every command as data: its commander flags text (`--port <port>`, `--standalone`,
 * `--enable-k8s-exporter [bool]`, `--no-reload`), its parser (flag-values.ts), its default and its
 * `--help` text. Nothing here loads commander: flag-table.ts turns these into commander options for
 * every command line, and run-command-line.ts reads a plain `npd run` command line with them before
 * the agent listens (start-up: README, Performance).
 */
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

/** One flag. */
export interface FlagSpec {
  /** Commander's flags text: `<value>` required, `[value]` optional, none a switch, `--no-x` negates. */
  readonly flags: string;
  readonly help: string;
  /** Turns the text into the value; `previous` is the value so far (lists append). Absent: the text. */
  readonly parse?: (flag: string, value: string, previous: unknown) => unknown;
  /** The value when the flag is not given, and how `--help` shows it. */
  readonly default?: { readonly value: unknown; readonly text?: string };
  /** Accepted but not listed in `--help`. */
  readonly hidden?: boolean;
}

const spec = (flags: string, help: string, parse?: (flag: string, value: string) => unknown, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  flags,
  help,
  ...(parse ? { parse: (flag: string, value: string) => parse(flag, value) } : {}),
  ...extra,
});
const duration = (flags: string, help: string, ms: number): FlagSpec => spec(flags, help, positiveDuration, { default: { value: ms, text: formatDuration(ms) } });
const bool = (flags: string, help: string): FlagSpec => spec(flags, help, parseBool, { default: { value: true } });
/** A comma-separated list of files; repeated, it appends. */
export const listFlag = (flags: string, help: string, hidden = false): FlagSpec => ({
  flags,
  help,
  parse: (flag, value, previous) => parseList(flag, value, Array.isArray(previous) ? previous.filter((x): x is string => typeof x === 'string') : undefined),
  ...(hidden ? { hidden } : {}),
});
const hidden = { hidden: true } as const;

/** Flags of every command that reads a profile (`run`, `check`, `replay`). */
export function commonPathFlags(paths: PackagePaths): FlagSpec[] {
  return [
    spec('--profile <name|file>', 'profile: which monitors this node runs (default, alibaba-cloud, or a file)', parseText),
    spec('--monitors-dir <dir>', 'directory of monitor files named by profiles', parseText, { default: { value: join(paths.root, 'monitors'), text: "the package's monitors/" } }),
    spec('--config-dir <dir>', 'directory of profiles', parseText, { default: { value: join(paths.root, 'config'), text: "the package's config/" } }),
    spec('--proc-path <dir>', 'host procfs root (/host/proc in the DaemonSet)', parseText, { default: { value: runDefaults.procPath } }),
    // No probe reads sysfs: accepted (hidden) so a DaemonSet that still passes it starts, with a warning from `run`.
    spec('--sys-path <dir>', 'no effect: no probe reads sysfs; accepted and ignored with a warning', parseText, hidden),
    spec('--log-level <level>', 'log level: debug, info, warn or error', parseLogLevel, { default: { value: 'info' } }),
  ];
}

/** The kubelet's log directories (`run`, `replay`). */
export const podDirFlags: readonly FlagSpec[] = [
  spec('--pods-log-dir <dir>', "kubelet's pod log directory: pod UID → namespace/name for OOM and hung-task attribution", parseText, { default: { value: runDefaults.podsLogDir } }),
  spec('--containers-log-dir <dir>', "kubelet's container log links: container ID → container name", parseText, { default: { value: runDefaults.containersLogDir } }),
];

/** `npd run`'s own flags (after the common ones and the pod directories). */
export const runOnlyFlags: readonly FlagSpec[] = [
  listFlag('--config.system-log-monitor <paths>', 'NPD: comma-separated system log monitor files'),
  listFlag('--config.custom-plugin-monitor <paths>', 'NPD: comma-separated custom plugin monitor files'),
  listFlag('--system-log-monitors <paths>', 'NPD (deprecated): same as --config.system-log-monitor', true),
  listFlag('--custom-plugin-monitors <paths>', 'NPD (deprecated): same as --config.custom-plugin-monitor', true),
  spec('--config.system-stats-monitor <paths>', 'NPD: not supported; accepted and ignored with a warning', undefined, hidden),
  spec('--exporter.stackdriver <config>', 'NPD: not supported; accepted and ignored with a warning', undefined, hidden),
  spec('--hostname-override <name>', 'NPD: node name (else $NODE_NAME, else the hostname)', parseText),
  spec('--enable-k8s-exporter [bool]', 'NPD: publish conditions and events to the apiserver', parseBool, { default: { value: true } }),
  spec('--standalone', 'no cluster: print problems on the console (same as --enable-k8s-exporter=false)'),
  spec('--apiserver-override <uri>', 'NPD: apiserver URI, e.g. https://host:6443?inClusterConfig=false&auth=/path/kubeconfig', parseText),
  spec('--kubeconfig <file>', 'kubeconfig to use instead of the in-cluster service account', parseText),
  spec('--apiserver-wait-timeout <duration>', 'NPD: how long to wait for the apiserver at start', parseDurationFlag, {
    default: { value: runDefaults.apiserverWaitTimeoutMs, text: formatDuration(runDefaults.apiserverWaitTimeoutMs) },
  }),
  duration('--apiserver-wait-interval <duration>', 'NPD: retry interval while waiting', runDefaults.apiserverWaitIntervalMs),
  duration('--k8s-exporter-heartbeat-period <duration>', 'NPD: re-send conditions this often', runDefaults.heartbeatMs),
  bool('--k8s-exporter-write-events [bool]', 'NPD: write Events'),
  bool('--k8s-exporter-update-node-conditions [bool]', 'NPD: write NodeConditions'),
  spec('--event-namespace <ns>', 'NPD: namespace of Events (default "default")', parseText),
  spec('--address <ip>', 'NPD: address of /healthz and /conditions', parseAddress, { default: { value: runDefaults.address } }),
  spec('--port <port>', 'NPD: port of /healthz and /conditions (0 disables)', parsePort, { default: { value: runDefaults.port } }),
  spec('--prometheus-address <ip>', 'NPD: address of /metrics', parseAddress, { default: { value: runDefaults.prometheusAddress } }),
  spec('--prometheus-port <port>', 'NPD: port of /metrics (0 disables)', parsePort, { default: { value: runDefaults.prometheusPort } }),
  spec('--state-dir <dir>', 'where sources keep their place across restarts (journald cursors)', parseText),
  duration('--source-failure-grace-period <duration>', 'how long a log source may fail before /healthz answers 503', runDefaults.sourceFailureGraceMs),
  spec('--no-reload', 'do not watch monitor files for changes'),
  spec('--kube-api-qps <n>', 'NPD: accepted for compatibility (requests are event-driven and coalesced)', parseNumber, hidden),
  spec('--kube-api-burst <n>', 'NPD: accepted for compatibility', parseNumber, hidden),
  spec('--v <level>', 'NPD/klog: accepted for compatibility', parseNumber, hidden),
  spec('--logtostderr [bool]', 'NPD/klog: accepted for compatibility', parseBool, hidden),
];

/** Every flag of `npd run`, in `--help` order. */
export const runFlags = (paths: PackagePaths): FlagSpec[] => [...commonPathFlags(paths), ...podDirFlags, ...runOnlyFlags];
