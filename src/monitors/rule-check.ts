/**
 * Turning one rule of a probe monitor into a {@link Check}: an NPD custom plugin for `path` rules,
 * a built-in probe from the registry for `probe` rules. Both end under the rule's timeout
 * (`min(rule timeout, monitor timeout)`, computed by the loader) on the context's clock.
 */
import type { ProbeMonitorConfig, ProbeRuleConfig } from '../config/monitor-config.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { createDeadline } from '../probes/deadline.js';
import { runPlugin } from '../probes/exec.js';
import type { Check, ProbeContext, ProbeResult } from '../probes/probe.js';
import { probeFactory } from '../probes/registry.js';

/** A short name for a rule in logs and metrics: the probe name or the plugin path, and the reason. */
export function ruleLabel(rule: ProbeRuleConfig): string {
  return `${rule.probe ?? rule.path ?? '?'}:${rule.reason}`;
}

/** Runs `check` until it settles or `ms` pass on the clock, whichever is first; never rejects. */
export function limitCheck(check: Check, ctx: ProbeContext, ms: number, name: string): Check {
  return async (signal, prior) => {
    const deadline = createDeadline(ctx.clock, ms, signal);
    const timedOut = new Promise<ProbeResult>((resolve) => {
      deadline.signal.addEventListener(
        'abort',
        () => resolve({ status: 'unknown', cause: signal.aborted ? 'Aborted' : 'Timeout', message: `Timeout when running probe ${JSON.stringify(name)} after ${ms}ms` }),
        { once: true },
      );
    });
    try {
      return await Promise.race([check(deadline.signal, prior), timedOut]);
    } catch (err) {
      ctx.logger.error('probe failed', { probe: name, error: errorMessage(err) });
      return { status: 'unknown', cause: 'ProbeError', message: `probe ${name} failed: ${errorMessage(err)}` };
    } finally {
      deadline.done();
    }
  };
}

/**
 * Builds the check of `config.rules[index]`; throws ConfigError for an unknown probe or bad options.
 */
export function createRuleCheck(config: ProbeMonitorConfig, index: number, ctx: ProbeContext): Check {
  const rule = config.rules[index];
  const field = `rules[${index}]`;
  if (!rule) throw new ConfigError(config.file, field, 'no such rule');
  if (rule.probe !== undefined) {
    const factory = probeFactory(rule.probe, { file: config.file, field: `${field}.probe` });
    const check = factory(rule.options, ctx, { file: config.file, field: `${field}.options` });
    return limitCheck(check, ctx, rule.timeoutMs, rule.probe);
  }
  if (rule.path !== undefined) {
    const path = rule.path;
    const logger = ctx.logger.child({ plugin: path });
    return (signal) =>
      runPlugin(path, rule.args, { timeoutMs: rule.timeoutMs, maxOutputLength: config.maxOutputLength, clock: ctx.clock, signal, logger });
  }
  throw new ConfigError(config.file, field, 'a rule needs "path" (a plugin) or "probe" (a built-in probe)');
}
