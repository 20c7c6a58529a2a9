/**
 * Validation of NPD's custom-plugin-monitor files (plugin `custom`) into {@link ProbeMonitorConfig}.
 * The fields, NPD's pluginConfig defaults and their checks are the table `probeMonitorFormat`
 * (monitor-format.ts); this file adds what a table cannot say: declared rule conditions, a rule's
 * timeout at most the monitor's, known probe names and (when asked) executable paths.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import type { ProbeMonitorConfig, ProbeRuleConfig } from './monitor-config.js';
import { fieldError, type FieldReader } from './field-readers.js';
import type { Item } from './field-spec.js';
import { probeMonitorFormat } from './monitor-format.js';
import { checkConditions, checkRuleCondition } from './parse-log-monitor.js';
import { readFields } from './read-fields.js';

/** Options of {@link parseProbeMonitor}. */
export interface ProbeMonitorOptions {
  /** Names of the built-in probes; when given, a rule's `probe` must be one of them. */
  readonly probeNames?: readonly string[];
  /** Check that each rule's `path` is an executable file. @default false */
  readonly checkPaths?: boolean;
}

/** Why `path` cannot be run as a plugin (missing, a directory, not executable), or undefined. */
export function pluginPathProblem(path: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? `no such file: ${path}` : `cannot read ${path}: ${code ?? 'error'}`;
  }
  if (st.isDirectory()) return `is a directory, not an executable: ${path}`;
  if (!st.isFile()) return `is not a regular file: ${path}`;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `is not executable (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}): ${path}`;
  }
  return undefined;
}

const fmtMs = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

type ProbeRuleItem = Item<(typeof probeMonitorFormat)['fields']['rules']['item']>;

function probeRule(rule: ProbeRuleItem, m: { timeoutMs: number; invokeIntervalMs: number; conditions: ProbeMonitorConfig['conditions'] }, options: ProbeMonitorOptions): ProbeRuleConfig {
  const { type, reason, path, probe, timeout } = rule.values;
  const condition = checkRuleCondition(rule.at, type, rule.values.condition, m.conditions);
  if (probe !== undefined && options.probeNames && !options.probeNames.includes(probe)) {
    throw fieldError(rule.at, 'probe', `unknown probe ${JSON.stringify(probe)}; known: ${[...options.probeNames].sort().join(', ')}`);
  }
  if (path !== undefined && options.checkPaths) {
    const problem = pluginPathProblem(path);
    if (problem) throw fieldError(rule.at, 'path', problem);
  }
  if (timeout !== undefined && timeout > m.timeoutMs) {
    throw fieldError(rule.at, 'timeout', `${fmtMs(timeout)} is more than pluginConfig.timeout ${fmtMs(m.timeoutMs)}`);
  }
  return {
    type,
    condition,
    reason,
    path,
    args: rule.values.args,
    probe,
    options: rule.values.options,
    timeoutMs: timeout ?? m.timeoutMs,
    intervalMs: rule.values.invoke_interval ?? m.invokeIntervalMs,
  };
}

/** Validates a parsed custom-plugin-monitor file. */
export function parseProbeMonitor(root: FieldReader, options: ProbeMonitorOptions = {}): ProbeMonitorConfig {
  const m = readFields(root, probeMonitorFormat);
  const pc = m.pluginConfig;
  const conditions = checkConditions(m.conditions);
  const invokeIntervalMs = pc.invoke_interval;
  const timeoutMs = pc.timeout;
  return {
    kind: 'probe',
    file: root.file,
    plugin: 'custom',
    source: m.source,
    metricsReporting: m.metricsReporting,
    conditions,
    rules: m.rules.map((r) => probeRule(r, { timeoutMs, invokeIntervalMs, conditions }, options)),
    invokeIntervalMs,
    timeoutMs,
    maxOutputLength: pc.max_output_length,
    concurrency: pc.concurrency,
    messageChangeUpdates: pc.enable_message_change_based_condition_update,
    skipInitialStatus: pc.skip_initial_status,
  };
}
