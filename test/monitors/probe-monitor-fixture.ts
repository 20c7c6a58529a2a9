/** Probe monitor configs, scripted checks and a started monitor on a manual clock, for the probe monitor's tests. */
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import type { ProbeMonitorConfig, ProbeRuleConfig } from '../../src/config/monitor-config.js';
import { createProbeMonitor } from '../../src/monitors/probe-monitor.js';
import type { Check, ProbeResult } from '../../src/probes/probe.js';
import type { Condition, Status } from '../../src/core/problem.js';
import { createTestContext } from '../probes/probe-context.js';

export const t0 = 1_767_225_600_000;

export function rule(over: Partial<ProbeRuleConfig> = {}): ProbeRuleConfig {
  return { type: 'permanent', condition: 'FDPressure', reason: 'NodeHasFDPressure', path: undefined, args: [], probe: 'fd', options: {}, timeoutMs: 5000, intervalMs: 30_000, ...over };
}

export function monitorConfig(rules: ProbeRuleConfig[], over: Partial<ProbeMonitorConfig> = {}): ProbeMonitorConfig {
  return {
    kind: 'probe',
    file: 'test-monitor.json',
    plugin: 'custom',
    source: 'test-monitor',
    metricsReporting: true,
    conditions: [
      { type: 'FDPressure', reason: 'NodeHasNoFDPressure', message: 'node has no fd pressure', expireAfterMs: undefined },
      { type: 'NTPProblem', reason: 'NTPIsUp', message: 'ntp service is up', expireAfterMs: undefined },
    ],
    rules,
    invokeIntervalMs: 30_000,
    timeoutMs: 5000,
    maxOutputLength: 80,
    concurrency: 3,
    messageChangeUpdates: false,
    skipInitialStatus: false,
    ...over,
  };
}

/** A check whose runs the test finishes by hand; records when each run started. */
export function gatedCheck(clock: ManualClock) {
  const starts: number[] = [];
  const pending: ((r: ProbeResult) => void)[] = [];
  const check: Check = () =>
    new Promise<ProbeResult>((resolve) => {
      starts.push(clock.now() - t0);
      pending.push(resolve);
    });
  return { check, starts, finish: (r: ProbeResult = { status: 'ok', message: 'fine' }) => pending.shift()?.(r), running: () => pending.length };
}

/** A check returning `results` in turn (the last one repeats). */
export function scriptedCheck(results: ProbeResult[]) {
  let i = 0;
  const calls = { n: 0 };
  const check: Check = async () => {
    calls.n++;
    return results[Math.min(i++, results.length - 1)] as ProbeResult;
  };
  return { check, calls };
}

export const ok: ProbeResult = { status: 'ok', message: 'current fd is 1 and max is 100, 1% used' };
export const problem = (message = 'current fd is 90 and max is 100, 90% used'): ProbeResult => ({ status: 'problem', message });
export const unknown: ProbeResult = { status: 'unknown', cause: 'NoData', message: "couldn't read /proc/sys/fs/file-nr: ENOENT" };

export function start(config: ProbeMonitorConfig, checks: Check[], extra: { initialConditions?: Condition[] } = {}) {
  const clock = createManualClock(t0);
  const ctx = createTestContext({ clock });
  const monitor = createProbeMonitor(config, { ctx, checks, ...extra });
  const reports: Status[] = [];
  const controller = new AbortController();
  const done = monitor.run((s) => reports.push(s), controller.signal);
  const stop = async (): Promise<void> => {
    controller.abort();
    await done;
  };
  return { clock, ctx, monitor, reports, stop };
}

export function startWithClock(config: ProbeMonitorConfig, make: (clock: ManualClock) => Check[]) {
  const clock = createManualClock(t0);
  const checks = make(clock);
  const ctx = createTestContext({ clock });
  const monitor = createProbeMonitor(config, { ctx, checks });
  const reports: Status[] = [];
  const controller = new AbortController();
  const done = monitor.run((s) => reports.push(s), controller.signal);
  return { clock, reports, stop: async () => (controller.abort(), await done) };
}

export const cond = (s: Status, type: string) => s.conditions.find((c) => c.type === type);
