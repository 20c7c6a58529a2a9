/** A probe monitor's rule as a check: its label, and the time limit every built-in probe runs under. */
import { getEventListeners } from 'node:events';
import { createManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import type { ProbeMonitorConfig, ProbeRuleConfig } from '../../src/config/monitor-config.js';
import { createRuleCheck, limitCheck, ruleLabel } from '../../src/monitors/rule-check.js';
import type { Check, CheckPrior, ProbeResult } from '../../src/probes/probe.js';
import { createTestContext } from '../probes/probe-context.js';

const rule = (over: Partial<ProbeRuleConfig> = {}): ProbeRuleConfig => ({ type: 'permanent', condition: 'FDPressure', reason: 'NodeHasFDPressure', path: undefined, args: [], probe: 'fd', options: {}, timeoutMs: 5000, intervalMs: 30_000, ...over });

test.each([
  ['fd:NodeHasFDPressure', rule()],
  ['/etc/npd/check_ntp.sh:NTPIsDown', rule({ probe: undefined, path: '/etc/npd/check_ntp.sh', reason: 'NTPIsDown' })],
  ['?:X', rule({ probe: undefined, reason: 'X' })],
])('ruleLabel: %s', (label, r) => {
  expect(ruleLabel(r)).toBe(label);
});

/** A check that never settles, and records the signal and prior it was given. */
function hangingCheck() {
  const seen: { signal?: AbortSignal; prior?: CheckPrior | undefined } = {};
  const check: Check = (signal, prior) => {
    seen.signal = signal;
    seen.prior = prior;
    return new Promise<ProbeResult>(() => {});
  };
  return { check, seen };
}

describe('limitCheck', () => {
  test('a check still running after `ms` on the clock is unknown with cause Timeout, and its signal aborts', async () => {
    const clock = createManualClock();
    const ctx = createTestContext({ clock });
    const { check, seen } = hangingCheck();
    let result: ProbeResult | undefined;
    void limitCheck(check, ctx, 2000, 'fd')(new AbortController().signal, { problem: true }).then((r) => (result = r));
    await clock.advance(1999);
    expect(result).toBeUndefined();
    expect(seen.prior).toEqual({ problem: true });
    expect(seen.signal?.aborted).toBe(false);
    await clock.advance(1);
    expect(result).toEqual({ status: 'unknown', cause: 'Timeout', message: 'Timeout when running probe "fd" after 2000ms' });
    expect(seen.signal?.aborted).toBe(true);
    expect(getEventListeners(seen.signal as AbortSignal, 'abort')).toHaveLength(0);
  });

  test('stopped by its caller first: unknown with cause Aborted', async () => {
    const clock = createManualClock();
    const { check } = hangingCheck();
    const ac = new AbortController();
    const pending = limitCheck(check, createTestContext({ clock }), 2000, 'ntp')(ac.signal);
    ac.abort();
    expect(await pending).toEqual({ status: 'unknown', cause: 'Aborted', message: 'Timeout when running probe "ntp" after 2000ms' });
  });

  test('a check that settles in time gives its result and leaves no timer behind', async () => {
    const clock = createManualClock();
    const ok: ProbeResult = { status: 'ok', message: 'fine' };
    expect(await limitCheck(async () => ok, createTestContext({ clock }), 2000, 'fd')(new AbortController().signal)).toBe(ok);
    expect(clock.pending()).toBe(0);
  });

  test('a check that throws is unknown with cause ProbeError, and logged with the probe name', async () => {
    const ctx = createTestContext();
    const result = await limitCheck(() => Promise.reject(new Error('boom')), ctx, 2000, 'fd')(new AbortController().signal);
    expect(result).toEqual({ status: 'unknown', cause: 'ProbeError', message: 'probe fd failed: boom' });
    expect(ctx.logger.records).toEqual([expect.objectContaining({ level: 'error', msg: 'probe failed', probe: 'fd', error: 'boom' })]);
    expect((ctx.clock as ReturnType<typeof createManualClock>).pending()).toBe(0);
  });
});

describe('createRuleCheck', () => {
  const config = (rules: ProbeRuleConfig[]): ProbeMonitorConfig => ({
    kind: 'probe', file: 'm.json', plugin: 'custom', source: 'm', metricsReporting: true, rules, conditions: [{ type: 'FDPressure', reason: 'NodeHasNoFDPressure', message: 'ok', expireAfterMs: undefined }],
    invokeIntervalMs: 30_000, timeoutMs: 5000, maxOutputLength: 80, concurrency: 1, messageChangeUpdates: false, skipInitialStatus: false,
  });
  test.each([
    ['a rule index past the end', [rule()], 1, 'rules[1]', 'no such rule'],
    ['a rule with neither path nor probe', [rule({ probe: undefined })], 0, 'rules[0]', 'a rule needs "path" (a plugin) or "probe" (a built-in probe)'],
  ])('%s is a ConfigError naming the rule', (_name, rules, index, field, problem) => {
    const make = () => createRuleCheck(config(rules), index, createTestContext());
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(expect.objectContaining({ file: 'm.json', field, problem }));
  });

  test('a probe rule runs under the rule\'s timeout, named by its probe', async () => {
    const clock = createManualClock();
    // ram-role asks the metadata server through ctx.fetch, which here never answers; its own timeout is longer.
    const ctx = createTestContext({ clock, fetch: () => new Promise(() => {}) });
    const check = createRuleCheck(config([rule({ probe: 'ram-role', options: { endpoint: 'http://127.0.0.1:1', timeout: '1m' }, timeoutMs: 3000 })]), 0, ctx);
    let result: ProbeResult | undefined;
    void check(new AbortController().signal).then((r) => (result = r));
    await clock.advance(2999);
    expect(result).toBeUndefined();
    await clock.advance(1);
    expect(result).toEqual({ status: 'unknown', cause: 'Timeout', message: 'Timeout when running probe "ram-role" after 3000ms' });
  });

  test('a plugin rule runs the plugin at its path, and what it logs names the plugin', async () => {
    const ctx = createTestContext();
    const path = '/nonexistent/npd-test/check_ntp.sh';
    const check = createRuleCheck(config([rule({ probe: undefined, path })]), 0, ctx);
    expect(await check(new AbortController().signal)).toEqual({ status: 'unknown', cause: 'ENOENT', message: 'Error in starting plugin. Please check the error log' });
    expect(ctx.logger.records).toEqual([expect.objectContaining({ level: 'error', msg: 'Error in starting plugin', plugin: path, path })]);
  });
});
