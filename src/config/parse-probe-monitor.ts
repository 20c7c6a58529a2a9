/**
 * Validation of NPD's custom-plugin-monitor files (plugin `custom`) into {@link ProbeMonitorConfig},
 * with NPD's pluginConfig defaults and checks, plus our extension: a rule may name a built-in `probe`
 * (with `options`) instead of an executable `path`.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import type { ProbeMonitorConfig, ProbeRuleConfig } from './monitor-config.js';
import { fieldError, objectReader, readBoolean, readDuration, readInteger, readObjectArray, readString, readStringArray } from './field-readers.js';
import type { FieldReader } from './field-readers.js';
import { checkRuleCondition, readConditions } from './parse-log-monitor.js';

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

function readProbeRule(rule: FieldReader, m: { timeoutMs: number; invokeIntervalMs: number; conditions: ProbeMonitorConfig['conditions'] }, options: ProbeMonitorOptions): ProbeRuleConfig {
  const type = readString(rule, 'type', true);
  if (type !== 'temporary' && type !== 'permanent') throw fieldError(rule, 'type', `must be "temporary" or "permanent", got ${JSON.stringify(type)}`);
  const condition = type === 'permanent' ? checkRuleCondition(rule, m.conditions, type) : undefined;
  const reason = readString(rule, 'reason', true);
  const path = readString(rule, 'path');
  const probe = readString(rule, 'probe');
  if (path === undefined && probe === undefined) throw fieldError(rule, 'path', 'a rule needs either "path" (an executable) or "probe" (a built-in probe)');
  if (path !== undefined && probe !== undefined) throw fieldError(rule, 'probe', 'a rule has either "path" or "probe", not both');
  if (probe !== undefined && options.probeNames && !options.probeNames.includes(probe)) {
    throw fieldError(rule, 'probe', `unknown probe ${JSON.stringify(probe)}; known: ${[...options.probeNames].sort().join(', ')}`);
  }
  if (path !== undefined && options.checkPaths) {
    const problem = pluginPathProblem(path);
    if (problem) throw fieldError(rule, 'path', problem);
  }
  const ruleTimeout = readDuration(rule, 'timeout', undefined, { positive: true });
  if (ruleTimeout !== undefined && ruleTimeout > m.timeoutMs) {
    throw fieldError(rule, 'timeout', `${fmtMs(ruleTimeout)} is more than pluginConfig.timeout ${fmtMs(m.timeoutMs)}`);
  }
  const optionsValue = rule.obj.options;
  return {
    type,
    condition,
    reason,
    path,
    args: readStringArray(rule, 'args'),
    probe,
    options: optionsValue === undefined || optionsValue === null ? {} : objectReader(rule.file, `${rule.path}.options`, optionsValue).obj,
    timeoutMs: ruleTimeout ?? m.timeoutMs,
    intervalMs: readDuration(rule, 'invoke_interval', m.invokeIntervalMs, { positive: true }) as number,
  };
}

/** Validates a parsed custom-plugin-monitor file. */
export function parseProbeMonitor(root: FieldReader, options: ProbeMonitorOptions = {}): ProbeMonitorConfig {
  const pc = objectReader(root.file, 'pluginConfig', root.obj.pluginConfig ?? {});
  const invokeIntervalMs = readDuration(pc, 'invoke_interval', 30_000, { positive: true }) as number;
  const timeoutMs = readDuration(pc, 'timeout', 5_000, { positive: true }) as number;
  const conditions = readConditions(root);
  const rules = readObjectArray(root, 'rules').map((r) => readProbeRule(r, { timeoutMs, invokeIntervalMs, conditions }, options));
  return {
    kind: 'probe',
    file: root.file,
    plugin: 'custom',
    source: readString(root, 'source', true),
    metricsReporting: readBoolean(root, 'metricsReporting', true),
    conditions,
    rules,
    invokeIntervalMs,
    timeoutMs,
    maxOutputLength: readInteger(pc, 'max_output_length', 80, 1, 4096),
    concurrency: readInteger(pc, 'concurrency', 3, 1, 1000),
    messageChangeUpdates: readBoolean(pc, 'enable_message_change_based_condition_update', false),
    skipInitialStatus: readBoolean(pc, 'skip_initial_status', false),
  };
}
