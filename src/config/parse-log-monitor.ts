/**
 * Validation of NPD's system-log-monitor files (plugins kmsg, filelog, journald) into
 * {@link LogMonitorConfig}, with our extensions: rule type `recovery`, condition `expireAfter`, and
 * counting rules (`count`, `window`, `revertPattern`).
 */
import { ConfigError, Re2Error } from '../core/errors.js';
import type { ConditionConfig, LogMonitorConfig, LogRuleConfig, RuleCount } from './monitor-config.js';
import { fieldError, fieldPath, readBoolean, readDuration, readInteger, readObjectArray, readString, readStringArray, readStringMap } from './field-readers.js';
import type { FieldReader } from './field-readers.js';
import { compileRe2 } from '../re2/re2.js';

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
  checkPattern(rule, 'pattern', pattern);
  const count = readRuleCount(rule, type);
  return { type, condition, reason, pattern, patternGeneratedMessageSuffix: readString(rule, 'patternGeneratedMessageSuffix'), count };
}

/** A rule pattern must be RE2 that the matcher can anchor at the end of the window. */
function checkPattern(rule: FieldReader, key: string, pattern: string): void {
  try {
    compileRe2(pattern, { anchorEnd: true });
  } catch (err) {
    if (err instanceof Re2Error) throw new ConfigError(rule.file, fieldPath(rule.path, key), err.problem, { cause: err });
    throw err;
  }
}

/** The counting extension: `count` with `window`, optionally `revertPattern`; not on recovery rules. */
function readRuleCount(rule: FieldReader, type: LogRuleConfig['type']): RuleCount | undefined {
  if (rule.obj.count === undefined) {
    for (const key of ['window', 'revertPattern']) if (rule.obj[key] !== undefined) throw fieldError(rule, key, 'is only allowed together with "count"');
    return undefined;
  }
  if (type === 'recovery') throw fieldError(rule, 'count', 'is not allowed on a recovery rule');
  const threshold = readInteger(rule, 'count', 1, 1, 10_000);
  const windowMs = readDuration(rule, 'window', undefined, { positive: true });
  if (windowMs === undefined) throw fieldError(rule, 'window', 'is required with "count" (e.g. "20m")');
  const revertPattern = readString(rule, 'revertPattern');
  if (revertPattern !== undefined) checkPattern(rule, 'revertPattern', revertPattern);
  return { threshold, windowMs, revertPattern };
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
