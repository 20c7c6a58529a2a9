/**
 * What exporters need to know about a monitor file before the monitor reports: one function for
 * both kinds (log and probe monitors), used by the monitors themselves and by the agent.
 */
import type { MonitorConfig } from '../config/monitor-config.js';
import type { MonitorDescription, ProblemDescription } from '../core/problem.js';

/**
 * The {@link MonitorDescription} of a validated monitor file: its conditions, and each problem it
 * can report once (two rules with the same reason and condition are one problem; recovery rules
 * report none).
 */
export function describeMonitor(config: MonitorConfig): MonitorDescription {
  const problems: ProblemDescription[] = [];
  for (const r of config.rules) {
    if (r.type === 'recovery') continue;
    const condition = r.type === 'permanent' ? r.condition : undefined;
    if (!problems.some((p) => p.reason === r.reason && p.condition === condition)) problems.push({ reason: r.reason, condition });
  }
  return {
    source: config.source,
    file: config.file,
    conditions: config.conditions.map(({ type, reason, message }) => ({ type, reason, message })),
    problems,
    metricsReporting: config.metricsReporting,
  };
}
