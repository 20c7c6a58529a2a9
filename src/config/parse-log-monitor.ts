/**
 * Validation of NPD's system-log-monitor files (plugins kmsg, filelog, journald) into
 * {@link LogMonitorConfig}, with our extensions: rule type `recovery` and condition `expireAfter`.
 */
import { ConfigError } from '../errors.js';
import type { ConditionConfig, LogMonitorConfig, LogRuleConfig } from './monitor-config.js';
import { fieldError, fieldPath, readBoolean, readDuration, readInteger, readObjectArray, readString, readStringArray, readStringMap } from './json-fields.js';
import type { FieldReader } from './json-fields.js';
import { compileRe2, Re2Error } from './re2.js';

/** Where each log plugin reads when `logPath` is not given. */
const defaultLogPath: Readonly<Record<string, string | undefined>> = { kmsg: '/dev/kmsg', journald: '/var/log/journal', filelog: undefined };

/** Reads `conditions[]` (shared with probe monitors). Types must be unique. */
export function readConditions(root: FieldReader): ConditionConfig[] {
  const seen = new Set<string>();
  return readObjectArray(root, 'conditions').map((c) => {
    const type = readString(c, 'type', true);
    if (seen.has(type)) throw fieldError(c, 'type', `condition ${JSON.stringify(type)} is declared twice`);
    seen.add(type);
    return {
      type,
      reason: readString(c, 'reason', true),
      message: readString(c, 'message') ?? '',
      expireAfterMs: readDuration(c, 'expireAfter', undefined, { positive: true }),
    };
  });
}

/** Checks that a rule's `condition` is declared in `conditions`. */
export function checkRuleCondition(rule: FieldReader, conditions: readonly ConditionConfig[], type: string): string {
  const condition = readString(rule, 'condition', true);
  if (!conditions.some((c) => c.type === condition)) {
    const known = conditions.map((c) => c.type).join(', ') || 'none';
    throw fieldError(rule, 'condition', `${type} rule's condition ${JSON.stringify(condition)} is not declared in conditions (declared: ${known})`);
  }
  return condition;
}

function readLogRule(rule: FieldReader, conditions: readonly ConditionConfig[]): LogRuleConfig {
  const type = readString(rule, 'type', true);
  if (type !== 'temporary' && type !== 'permanent' && type !== 'recovery') {
    throw fieldError(rule, 'type', `must be "temporary", "permanent" or "recovery", got ${JSON.stringify(type)}`);
  }
  const condition = type === 'temporary' ? undefined : checkRuleCondition(rule, conditions, type);
  const reason = type === 'recovery' ? (readString(rule, 'reason') ?? '') : readString(rule, 'reason', true);
  const pattern = readString(rule, 'pattern', true);
  try {
    compileRe2(pattern, { anchorEnd: true });
  } catch (err) {
    if (err instanceof Re2Error) throw new ConfigError(rule.file, fieldPath(rule.path, 'pattern'), err.problem, { cause: err });
    throw err;
  }
  return { type, condition, reason, pattern, patternGeneratedMessageSuffix: readString(rule, 'patternGeneratedMessageSuffix') };
}

/** Validates a parsed system-log-monitor file. `root.obj.plugin` is already known to be a log plugin. */
export function parseLogMonitor(root: FieldReader, plugin: string): LogMonitorConfig {
  const pluginConfig = readStringMap(root, 'pluginConfig');
  const logPath = readString(root, 'logPath') ?? defaultLogPath[plugin];
  if (logPath === undefined || logPath === '') throw fieldError(root, 'logPath', `is required for plugin ${plugin}`);
  // filelog's own regexes (NPD: `timestamp`, `message`) must be RE2 too.
  for (const key of plugin === 'filelog' ? ['timestamp', 'message'] : []) {
    const pattern = pluginConfig[key];
    if (pattern === undefined) continue;
    try {
      compileRe2(pattern);
    } catch (err) {
      if (err instanceof Re2Error) throw new ConfigError(root.file, `pluginConfig.${key}`, err.problem, { cause: err });
      throw err;
    }
  }
  const conditions = readConditions(root);
  const rules = readObjectArray(root, 'rules').map((r) => readLogRule(r, conditions));
  return {
    kind: 'log',
    file: root.file,
    plugin,
    pluginConfig,
    logPath,
    lookbackMs: readDuration(root, 'lookback', 0) as number,
    delayMs: readDuration(root, 'delay', 0) as number,
    skipList: readStringArray(root, 'skipList'),
    bufferSize: readInteger(root, 'bufferSize', 10, 1, 1000),
    source: readString(root, 'source', true),
    metricsReporting: readBoolean(root, 'metricsReporting', true),
    conditions,
    rules,
  };
}
