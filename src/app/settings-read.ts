/**
 * Reads the flags' values (flag-specs.ts) back into the typed settings of each command
 * (settings.ts), checked by type without casts; a value commander did not set takes its default.
 */
import { noSuchCommand, runDefaults, type ParsedCommand, type Values } from './flag-specs.js';
import type { LogLevel } from '../core/logger.js';
import type { CommonSettings, Invocation, PodDirs, RunSettings } from './settings.js';

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
    return Array.isArray(v) ? v.map(String) : [];
  });
}
function level(o: Values): LogLevel {
  const v = text(o, 'logLevel');
  return v === 'debug' || v === 'warn' || v === 'error' ? v : 'info';
}

function common(o: Values): CommonSettings {
  return {
    profile: text(o, 'profile'),
    monitorsDir: textOr(o, 'monitorsDir', ''),
    configDir: textOr(o, 'configDir', ''),
    procPath: textOr(o, 'procPath', runDefaults.procPath),
    logLevel: level(o),
  };
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
    ignoredFlags: ['config.systemStatsMonitor', 'exporter.stackdriver', 'sysPath'].filter((k) => o[k] !== undefined).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
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

/** The typed settings of the command commander found. */
export function readSettings(parsed: ParsedCommand): Invocation {
  const o = parsed.values;
  switch (parsed.command) {
    case 'run': {
      // `npd frobnicate` reaches the default command with a word it does not take.
      const extra = parsed.args[0];
      if (extra !== undefined) throw noSuchCommand(extra);
      return { command: 'run', settings: runSettings(o) };
    }
    case 'check':
      return { command: 'check', settings: { ...common(o), customPluginMonitors: files(o, 'config.customPluginMonitor'), json: flag(o, 'json', false) } };
    case 'replay': {
      const monitors = files(o, 'monitor');
      return { command: 'replay', settings: { ...common(o), ...podDirs(o), monitors: monitors.length > 0 ? monitors : undefined, logFiles: [...parsed.args] } };
    }
    case 'validate':
      return { command: 'validate', settings: { files: [...parsed.args] } };
  }
}
