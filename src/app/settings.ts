/**
 * The typed settings of each command ({@link Invocation}): one readonly value per command, parsed once
 * from the command line by `parseCommandLine` (command-line.ts) and passed down. The flags themselves
 * are declared in flag-table.ts; settings-read.ts turns their values into these types.
 */
import type { LogLevel } from '../core/logger.js';

/** Flags every command that reads a profile shares. */
export interface CommonSettings {
  /** A profile name or file; undefined = `default` when no monitor file is named. */
  readonly profile: string | undefined;
  readonly monitorsDir: string;
  readonly configDir: string;
  /** Host procfs root (`/host/proc` in the DaemonSet). */
  readonly procPath: string;
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
