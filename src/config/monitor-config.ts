/**
 * Monitor definitions after validation: NPD's `system-log-monitor` and `custom-plugin-monitor` JSON,
 * with durations in ms and defaults filled in. `load-monitor.ts` produces these from files.
 */
import type { ConditionDefault } from '../core/problem.js';

/** A condition declared by a monitor file, with our extension. */
export interface ConditionConfig extends ConditionDefault {
  /**
   * Extension: a True condition returns to False (default reason) after this long with no rule
   * setting it again. From `"expireAfter": "1h"`. Undefined = never (NPD's behaviour).
   */
  readonly expireAfterMs: number | undefined;
}

/**
 * Extension: a rule that fires only when its pattern matched `threshold` times within `windowMs`
 * (line time), less the matches of `revertPattern` — NPD's `log-counter` plugin as a rule. A
 * permanent counting rule's condition returns to False once the count in the window falls below
 * the threshold. From `"count": 5, "window": "20m", "revertPattern": "…"`.
 */
export interface RuleCount {
  readonly threshold: number;
  readonly windowMs: number;
  readonly revertPattern: string | undefined;
}

/** A rule of a log monitor. `recovery` is our extension: a match sets `condition` back to False. */
export interface LogRuleConfig {
  readonly type: 'temporary' | 'permanent' | 'recovery';
  readonly condition: string | undefined;
  readonly reason: string;
  /** The pattern as written in the file (Go/RE2 syntax). */
  readonly pattern: string;
  readonly patternGeneratedMessageSuffix: string | undefined;
  /** Extension: fire only at a count of matches within a window (see {@link RuleCount}). */
  readonly count?: RuleCount | undefined;
}

/** A validated system-log-monitor file. */
export interface LogMonitorConfig {
  readonly kind: 'log';
  readonly file: string;
  readonly plugin: string;
  readonly pluginConfig: Readonly<Record<string, string>>;
  readonly logPath: string;
  readonly lookbackMs: number;
  readonly delayMs: number;
  readonly skipList: readonly string[];
  /** @default 10 */
  readonly bufferSize: number;
  readonly source: string;
  /** @default true */
  readonly metricsReporting: boolean;
  readonly conditions: readonly ConditionConfig[];
  readonly rules: readonly LogRuleConfig[];
}

/** A rule of a probe monitor: an NPD custom plugin (`path`) or a built-in probe (`probe`, our extension). */
export interface ProbeRuleConfig {
  readonly type: 'temporary' | 'permanent';
  readonly condition: string | undefined;
  readonly reason: string;
  /** Executable of an NPD custom plugin. */
  readonly path: string | undefined;
  readonly args: readonly string[];
  /** Name of a built-in probe (`fd`, `pid`, `inodes` …). */
  readonly probe: string | undefined;
  readonly options: Readonly<Record<string, unknown>>;
  /** min(rule timeout, monitor timeout). */
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

/** A validated custom-plugin-monitor file. */
export interface ProbeMonitorConfig {
  readonly kind: 'probe';
  readonly file: string;
  readonly plugin: 'custom';
  readonly source: string;
  readonly metricsReporting: boolean;
  readonly conditions: readonly ConditionConfig[];
  readonly rules: readonly ProbeRuleConfig[];
  /** @default 30000 */
  readonly invokeIntervalMs: number;
  /** @default 5000 */
  readonly timeoutMs: number;
  /** @default 80 */
  readonly maxOutputLength: number;
  /** @default 3 */
  readonly concurrency: number;
  /** @default false */
  readonly messageChangeUpdates: boolean;
  /** @default false */
  readonly skipInitialStatus: boolean;
}

/** Any validated monitor file. */
export type MonitorConfig = LogMonitorConfig | ProbeMonitorConfig;
