/**
 * Validation of NPD's system-log-monitor files (plugins kmsg, filelog, journald) into
 * {@link LogMonitorConfig}. The fields and their checks are the table `logMonitorFormat`
 * (monitor-format.ts); this file adds what a table cannot say: RE2 patterns, unique condition
 * types, declared rule conditions, no `count` on a recovery rule, filelog's `logPath`.
 */
import { ConfigError, Re2Error } from '../core/errors.js';
import type { ConditionConfig, LogMonitorConfig, LogRuleConfig } from './monitor-config.js';
import { fieldError, fieldPath, type FieldReader } from './field-readers.js';
import type { Item, Values } from './field-spec.js';
import { defaultLogPath, logMonitorFormat } from './monitor-format.js';
import { readFields } from './read-fields.js';
import { compileRe2 } from '../re2/re2.js';

type ConditionItem = Item<(typeof logMonitorFormat)['fields']['conditions']['item']>;
type LogRuleItem = Item<(typeof logMonitorFormat)['fields']['rules']['item']>;

/** The conditions of a file (both kinds share the table). Types must be unique. */
export function checkConditions(items: readonly ConditionItem[]): ConditionConfig[] {
  const seen = new Set<string>();
  return items.map(({ at, values: c }) => {
    if (seen.has(c.type)) throw fieldError(at, 'type', `condition ${JSON.stringify(c.type)} is declared twice`);
    seen.add(c.type);
    return { type: c.type, reason: c.reason, message: c.message, expireAfterMs: c.expireAfter };
  });
}

/** A rule's `condition` (when given) must be declared in `conditions`. */
export function checkRuleCondition(rule: FieldReader, type: string, condition: string | undefined, conditions: readonly ConditionConfig[]): string | undefined {
  if (condition === undefined || type === 'temporary') return undefined;
  if (!conditions.some((c) => c.type === condition)) {
    const known = conditions.map((c) => c.type).join(', ') || 'none';
    throw fieldError(rule, 'condition', `${type} rule's condition ${JSON.stringify(condition)} is not declared in conditions (declared: ${known})`);
  }
  return condition;
}

/** A pattern must be RE2 (a rule's, one the matcher can anchor at the end of the window). */
function checkPattern(r: FieldReader, field: string, pattern: string, anchorEnd: boolean): void {
  try {
    compileRe2(pattern, { anchorEnd });
  } catch (err) {
    if (err instanceof Re2Error) throw new ConfigError(r.file, fieldPath(r.path, field), err.problem, { cause: err });
    throw err;
  }
}

function logRule(rule: LogRuleItem, conditions: readonly ConditionConfig[]): LogRuleConfig {
  const { type, reason, pattern, count, window, revertPattern } = rule.values;
  const condition = checkRuleCondition(rule.at, type, rule.values.condition, conditions);
  checkPattern(rule.at, 'pattern', pattern, true);
  if (count !== undefined && type === 'recovery') throw fieldError(rule.at, 'count', 'is not allowed on a recovery rule');
  if (revertPattern !== undefined) checkPattern(rule.at, 'revertPattern', revertPattern, true);
  return {
    type,
    condition,
    reason: reason ?? '',
    pattern,
    patternGeneratedMessageSuffix: rule.values.patternGeneratedMessageSuffix,
    count: count === undefined || window === undefined ? undefined : { threshold: count, windowMs: window, revertPattern },
  };
}

/** Validates a parsed system-log-monitor file. `root.obj.plugin` is already known to be a log plugin. */
export function parseLogMonitor(root: FieldReader): LogMonitorConfig {
  const m: Values<typeof logMonitorFormat> = readFields(root, logMonitorFormat);
  const logPath = m.logPath ?? defaultLogPath[m.plugin];
  if (logPath === undefined || logPath === '') throw fieldError(root, 'logPath', `is required for plugin ${m.plugin}`);
  // filelog's own regexes (NPD: `timestamp`, `message`) must be RE2 too.
  const pluginConfig = { file: root.file, path: 'pluginConfig', obj: m.pluginConfig };
  for (const key of m.plugin === 'filelog' ? ['timestamp', 'message'] : []) {
    const pattern = m.pluginConfig[key];
    if (pattern !== undefined) checkPattern(pluginConfig, key, pattern, false);
  }
  const conditions = checkConditions(m.conditions);
  return {
    kind: 'log',
    file: root.file,
    plugin: m.plugin,
    pluginConfig: m.pluginConfig,
    logPath,
    lookbackMs: m.lookback,
    delayMs: m.delay,
    skipList: m.skipList,
    bufferSize: m.bufferSize,
    source: m.source,
    metricsReporting: m.metricsReporting,
    conditions,
    rules: m.rules.map((r) => logRule(r, conditions)),
  };
}
