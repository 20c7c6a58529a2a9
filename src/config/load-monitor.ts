/**
 * Monitor definition files: NPD's system-log-monitor and custom-plugin-monitor JSON (loaded
 * unchanged) with our extensions. Every problem is a {@link ConfigError} naming the file and the
 * exact field (`rules[3].pattern`), so `npd validate` and the agent report it on one line.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { MonitorConfig } from './monitor-config.js';
import { fieldError, objectReader, readString } from './field-readers.js';
import { monitorPlugins } from './monitor-format.js';
import { parseJson } from './parse-json.js';
import { checkConditionOwners } from './condition-owners.js';
import { parseLogMonitor } from './parse-log-monitor.js';
import { parseProbeMonitor } from './parse-probe-monitor.js';
import type { ProbeMonitorOptions } from './parse-probe-monitor.js';

/** Options of {@link parseMonitorConfig}. */
export type MonitorConfigOptions = ProbeMonitorOptions;


/**
 * Validates the text of a monitor file. Throws {@link ConfigError}.
 * @example parseMonitorConfig(fs.readFileSync(f, 'utf8'), f, { probeNames: ['fd', 'pid'] })
 */
export function parseMonitorConfig(text: string, file: string, options: MonitorConfigOptions = {}): MonitorConfig {
  const root = objectReader(file, '', parseJson(text, file));
  const plugin = readString(root, 'plugin', true);
  if (!monitorPlugins.includes(plugin)) {
    throw fieldError(root, 'plugin', `unknown plugin ${JSON.stringify(plugin)}; known: ${monitorPlugins.join(', ')}`);
  }
  return plugin === 'custom' ? parseProbeMonitor(root, options) : parseLogMonitor(root);
}

/** Reads and validates a monitor file. Throws {@link ConfigError} (also when it cannot be read). */
export async function readMonitorFile(path: string, options: MonitorConfigOptions = {}): Promise<MonitorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, '', `cannot read: ${errorMessage(err)}`, { cause: err });
  }
  return parseMonitorConfig(text, path, options);
}

/**
 * Checks monitor files for `npd validate`: one message per file, `ok` false if any is wrong.
 * Probe names and paths are checked only when `options` asks.
 */
export async function validateFiles(
  files: string[],
  options: MonitorConfigOptions = {},
  /** Further checks of a loaded file (e.g. building its probes, which validates their options); throws ConfigError. */
  inspect?: (m: MonitorConfig) => void,
): Promise<{ ok: boolean; messages: string[] }> {
  const messages: string[] = [];
  const loaded: MonitorConfig[] = [];
  let ok = true;
  for (const file of files) {
    try {
      const m = await readMonitorFile(file, options);
      inspect?.(m);
      loaded.push(m);
      const kind = m.kind === 'log' ? `log monitor (${m.plugin})` : 'probe monitor (custom)';
      messages.push(`${file}: ok: ${kind} ${m.source}, ${m.conditions.length} conditions, ${m.rules.length} rules`);
    } catch (err) {
      ok = false;
      messages.push(err instanceof ConfigError ? err.message : `${file}: ${errorMessage(err)}`);
    }
  }
  try {
    checkConditionOwners(loaded);
  } catch (err) {
    ok = false;
    messages.push(errorMessage(err));
  }
  return { ok, messages };
}
