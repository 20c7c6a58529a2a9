/** A validated log monitor config for tests: a kmsg monitor with NPD's defaults, fields overridden as given. */
import type { LogMonitorConfig } from '../../src/config/monitor-config.js';

/** `kmsg` on /dev/kmsg, no lookback or delay, bufferSize 10, metrics on, no conditions or rules unless given. */
export function logMonitorConfig(fields: Partial<LogMonitorConfig> = {}): LogMonitorConfig {
  return {
    kind: 'log',
    file: 'test.json',
    plugin: 'kmsg',
    pluginConfig: {},
    logPath: '/dev/kmsg',
    lookbackMs: 0,
    delayMs: 0,
    skipList: [],
    bufferSize: 10,
    source: 'test-monitor',
    metricsReporting: true,
    conditions: [],
    rules: [],
    ...fields,
  };
}
