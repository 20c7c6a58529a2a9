/**
 * The probe monitor's health, what it tells a check (the prior state), Pod events, logging of
 * unknown results, and a sink or a rule loop that fails.
 */
import { getEventListeners } from 'node:events';
import { createManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Condition, Status } from '../../src/core/problem.js';
import { createProbeMonitor } from '../../src/monitors/probe-monitor.js';
import type { Check, CheckPrior, ProbeResult } from '../../src/probes/probe.js';
import { createTestContext } from '../probes/probe-context.js';
import { monitorConfig, ok, problem, rule, scriptedCheck, start, t0, unknown } from './probe-monitor-fixture.js';

test('health: not started, running, the last run\'s outcome and duration on the clock, stopped', async () => {
  const clock = createManualClock(t0);
  const ctx = createTestContext({ clock });
  const check: Check = async () => {
    await clock.sleep(1500);
    return ok;
  };
  const monitor = createProbeMonitor(monitorConfig([rule()]), { ctx, checks: [check] });
  expect(monitor.health()).toEqual({ ok: true, detail: 'not started' });
  const ac = new AbortController();
  const done = monitor.run(() => {}, ac.signal);
  expect(monitor.health()).toEqual({ ok: true, detail: 'running' });
  await clock.advance(1500);
  expect(monitor.health()).toEqual({ ok: true, detail: 'running', lastRunOk: true, lastRunSeconds: 1.5 });
  expect(ctx.recorded.runs).toEqual([{ monitor: 'test-monitor', rule: 'fd:NodeHasFDPressure', ok: true, seconds: 1.5 }]);
  ac.abort();
  await done;
  expect(monitor.health()).toEqual({ ok: true, detail: 'stopped' });
});

test('a check is told whether its rule\'s problem is the condition\'s state now', async () => {
  const priors: Record<string, (CheckPrior | undefined)[]> = { A: [], B: [], T: [] };
  const recording = (name: string, results: ProbeResult[]): Check => {
    let i = 0;
    return async (_signal, prior) => {
      priors[name]?.push(prior);
      return results[Math.min(i++, results.length - 1)] as ProbeResult;
    };
  };
  const before: Condition = { type: 'FDPressure', status: 'True', transition: new Date(t0 - 60_000), reason: 'A', message: 'carried over' };
  const m = start(
    monitorConfig([rule({ reason: 'A' }), rule({ reason: 'B' }), rule({ type: 'temporary', condition: undefined, reason: 'T' })], { concurrency: 1 }),
    [recording('A', [ok]), recording('B', [problem('b')]), recording('T', [ok])],
    { initialConditions: [before] },
  );
  await m.clock.advance(0);
  // First runs: the carried True is A's; then A found ok and B a problem, so the condition is B's.
  await m.clock.advance(30_000);
  await m.stop();
  expect(priors).toEqual({ A: [{ problem: true }, { problem: false }], B: [{ problem: false }, { problem: true }], T: [{ problem: false }, { problem: false }] });
});

test('a temporary rule\'s problem concerning pods: one event for the Node and one for each Pod', async () => {
  const pod = { namespace: 'default', name: 'web-1', uid: 'u-1' };
  const result: ProbeResult = { status: 'problem', message: 'processes hung in D state', podEvents: [{ pod, message: 'web-1: process 42 hung' }] };
  const m = start(monitorConfig([rule({ type: 'temporary', condition: undefined, reason: 'HungProcess' })]), [scriptedCheck([result]).check]);
  await m.clock.advance(0);
  await m.stop();
  expect(m.reports.at(-1)?.events).toEqual([
    { severity: 'warn', time: new Date(t0), reason: 'HungProcess', message: 'processes hung in D state' },
    { severity: 'warn', time: new Date(t0), reason: 'HungProcess', message: 'web-1: process 42 hung', pod },
  ]);
});

test('an unknown result is logged: at debug for NoData, as a warning for other causes', async () => {
  const timeout: ProbeResult = { status: 'unknown', cause: 'Timeout', message: 'Timeout when running probe "fd" after 5000ms' };
  const m = start(monitorConfig([rule()]), [scriptedCheck([unknown, timeout]).check]);
  await m.clock.advance(30_000);
  await m.stop();
  const logged = m.ctx.logger.records.filter((r) => r.msg === 'check result unknown').map((r) => [r.level, r.monitor, r.rule, r.cause, r.message]);
  expect(logged).toEqual([
    ['debug', 'test-monitor', 'fd:NodeHasFDPressure', 'NoData', unknown.message],
    ['warn', 'test-monitor', 'fd:NodeHasFDPressure', 'Timeout', timeout.message],
  ]);
});

test('a run ended by the stop is not counted and not reported', async () => {
  const m = start(monitorConfig([rule()]), [(signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(problem())))]);
  await m.clock.advance(0);
  await m.stop();
  expect(m.ctx.recorded.runs).toEqual([]);
  expect(m.reports).toHaveLength(1);
  expect(m.ctx.logger.records).toEqual([]);
});

test('a sink that throws is logged and the monitor goes on reporting', async () => {
  const clock = createManualClock(t0);
  const ctx = createTestContext({ clock });
  const seen: Status[] = [];
  const monitor = createProbeMonitor(monitorConfig([rule()]), { ctx, checks: [scriptedCheck([problem(), ok]).check] });
  const ac = new AbortController();
  const done = monitor.run((s) => {
    seen.push(s);
    if (seen.length === 1) throw new Error('exporter down');
  }, ac.signal);
  await clock.advance(30_000);
  ac.abort();
  await done;
  expect(seen.map((s) => s.conditions[0]?.status)).toEqual(['False', 'True', 'False']);
  expect(ctx.logger.records.filter((r) => r.level === 'error')).toEqual([expect.objectContaining({ msg: 'status sink failed', monitor: 'test-monitor', error: 'exporter down' })]);
});

test('a rule whose loop throws is logged with its index; the other rules go on', async () => {
  const clock = createManualClock(t0);
  const base = createTestContext({ clock });
  const runs: string[] = [];
  const ctx = {
    ...base,
    telemetry: {
      ...base.telemetry,
      probeRun: (_m: string, r: string) => {
        runs.push(r);
        if (r.startsWith('fd:A')) throw new Error('telemetry broke');
      },
    },
  };
  const monitor = createProbeMonitor(monitorConfig([rule({ reason: 'A' }), rule({ reason: 'B' })]), { ctx, checks: [scriptedCheck([ok]).check, scriptedCheck([ok]).check] });
  const ac = new AbortController();
  const done = monitor.run(() => {}, ac.signal);
  await clock.advance(60_000);
  ac.abort();
  await done;
  expect(runs).toEqual(['fd:A', 'fd:B', 'fd:B', 'fd:B']);
  expect(base.logger.records.filter((r) => r.level === 'error')).toEqual([expect.objectContaining({ msg: 'rule loop stopped', monitor: 'test-monitor', rule: 0, error: 'telemetry broke' })]);
});

test('a permanent rule without a condition is a ConfigError at creation', () => {
  const make = () => createProbeMonitor(monitorConfig([rule({ condition: undefined })]), { ctx: createTestContext() });
  expect(make).toThrow(ConfigError);
  expect(make).toThrow(expect.objectContaining({ field: 'rules[0].condition', problem: 'permanent rule\'s condition undefined is not declared in conditions' }));
});

test('a check that throws: the condition is Unknown with the error, logged with the rule', async () => {
  const m = start(monitorConfig([rule()]), [() => Promise.reject(new Error('boom'))]);
  await m.clock.advance(0);
  await m.stop();
  expect(m.reports.at(-1)?.conditions[0]).toMatchObject({ type: 'FDPressure', status: 'Unknown', reason: 'NodeHasNoFDPressure', message: 'check failed: boom' });
  expect(m.ctx.logger.records.map((r) => [r.level, r.msg, r.rule, r.error ?? r.cause])).toEqual([
    ['error', 'check failed', 'fd:NodeHasFDPressure', 'boom'],
    ['warn', 'check result unknown', 'fd:NodeHasFDPressure', 'CheckError'],
  ]);
});

test('rules on different conditions do not compete: each condition is its own rules\' worst', async () => {
  const ntp = rule({ condition: 'NTPProblem', reason: 'NTPIsDown', probe: 'ntp' });
  const m = start(monitorConfig([rule(), ntp]), [scriptedCheck([problem()]).check, scriptedCheck([ok]).check]);
  await m.clock.advance(0);
  await m.stop();
  expect(m.reports.at(-1)?.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
    ['FDPressure', 'True', 'NodeHasFDPressure'],
    ['NTPProblem', 'False', 'NTPIsUp'],
  ]);
  // Ok results are not logged.
  expect(m.ctx.logger.records).toEqual([]);
});

test('the stop leaves no listener on the signal it was given', async () => {
  const clock = createManualClock(t0);
  const monitor = createProbeMonitor(monitorConfig([rule()]), { ctx: createTestContext({ clock }), checks: [scriptedCheck([ok]).check] });
  const ac = new AbortController();
  const done = monitor.run(() => {}, ac.signal);
  await clock.advance(0);
  ac.abort();
  await done;
  expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
});

test('a check that ignores the signal does not keep run() from returning; its late result is dropped', async () => {
  let finish: (r: ProbeResult) => void = () => {};
  const m = start(monitorConfig([rule()]), [() => new Promise<ProbeResult>((resolve) => (finish = resolve))]);
  await m.clock.advance(0);
  await m.stop();
  finish(problem());
  await m.clock.advance(0);
  expect(m.reports).toHaveLength(1);
  expect(m.ctx.recorded.runs).toEqual([]);
});
