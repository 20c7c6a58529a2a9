import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { createProbeMonitor } from '../../src/monitors/probe-monitor.js';
import type { Condition, Status } from '../../src/core/problem.js';
import { waitFor } from '../helpers/wait.js';
import { createTestContext, pluginFixture, procFixture } from '../probes/probe-context.js';
import { cond, gatedCheck, monitorConfig, ok, problem, rule, scriptedCheck, start, startWithClock, t0, unknown } from './probe-monitor-fixture.js';

describe('scheduling', () => {
  test('every rule runs once at start, then on its own interval', async () => {
    const a = scriptedCheck([ok]);
    const b = scriptedCheck([ok]);
    const m = start(monitorConfig([rule({ intervalMs: 10_000 }), rule({ intervalMs: 30_000 })]), [a.check, b.check]);
    await m.clock.advance(0);
    expect([a.calls.n, b.calls.n]).toEqual([1, 1]);
    await m.clock.advance(29_999);
    expect([a.calls.n, b.calls.n]).toEqual([3, 1]);
    await m.clock.advance(1);
    expect([a.calls.n, b.calls.n]).toEqual([4, 2]);
    await m.stop();
  });
  test('concurrency bounds the runs across rules', async () => {
    const gates: ReturnType<typeof gatedCheck>[] = [];
    const m = startWithClock(monitorConfig([rule(), rule(), rule()], { concurrency: 2 }), (clock) => {
      for (let i = 0; i < 3; i++) gates.push(gatedCheck(clock));
      return gates.map((g) => g.check);
    });
    await m.clock.advance(0);
    expect(gates.map((g) => g.running())).toEqual([1, 1, 0]);
    gates[0]?.finish();
    await m.clock.advance(0);
    expect(gates.map((g) => g.running())).toEqual([0, 1, 1]);
    await m.stop();
  });
  test('a rule never overlaps itself; an overrun gets one catch-up run, then the grid', async () => {
    let gate!: ReturnType<typeof gatedCheck>;
    const m = startWithClock(monitorConfig([rule({ intervalMs: 10_000 })]), (clock) => [(gate = gatedCheck(clock)).check]);
    await m.clock.advance(35_000);
    expect(gate.starts).toEqual([0]);
    gate.finish();
    await m.clock.advance(0);
    expect(gate.starts).toEqual([0, 35_000]);
    gate.finish();
    await m.clock.advance(5_000);
    expect(gate.starts).toEqual([0, 35_000, 40_000]);
    await m.stop();
  });
  test('stopping ends run() and aborts the running check', async () => {
    let seen: AbortSignal | undefined;
    const m = start(monitorConfig([rule()]), [(signal) => new Promise((resolve) => {
      seen = signal;
      signal.addEventListener('abort', () => resolve(unknown));
    })]);
    await m.clock.advance(0);
    await m.stop();
    expect(seen?.aborted).toBe(true);
  });
});

describe('status', () => {
  test('initial status, then a report per transition only', async () => {
    const s = scriptedCheck([ok, problem(), problem(), ok]);
    const m = start(monitorConfig([rule()]), [s.check]);
    await m.clock.advance(0);
    expect(m.reports).toHaveLength(1);
    expect(m.reports[0]?.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([['FDPressure', 'False', 'NodeHasNoFDPressure'], ['NTPProblem', 'False', 'NTPIsUp']]);
    await m.clock.advance(30_000);
    expect(m.reports).toHaveLength(2);
    expect(cond(m.reports[1] as Status, 'FDPressure')).toMatchObject({ status: 'True', reason: 'NodeHasFDPressure', message: 'current fd is 90 and max is 100, 90% used', transition: new Date(t0 + 30_000) });
    expect(m.reports[1]?.events).toEqual([expect.objectContaining({ severity: 'warn', reason: 'NodeHasFDPressure' })]);
    await m.clock.advance(30_000);
    expect(m.reports).toHaveLength(2);
    await m.clock.advance(30_000);
    expect(m.reports).toHaveLength(3);
    expect(cond(m.reports[2] as Status, 'FDPressure')).toMatchObject({ status: 'False', reason: 'NodeHasNoFDPressure', message: 'node has no fd pressure' });
    expect(m.reports[2]?.events[0]?.severity).toBe('info');
    await m.stop();
  });
  test('unknown: a permanent rule makes the condition Unknown; a temporary rule emits nothing', async () => {
    const m = start(monitorConfig([rule(), rule({ type: 'temporary', condition: undefined, reason: 'ConntrackFull' })]), [scriptedCheck([unknown]).check, scriptedCheck([unknown]).check]);
    await m.clock.advance(0);
    const last = m.reports.at(-1) as Status;
    expect(cond(last, 'FDPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeHasNoFDPressure', message: unknown.message });
    expect(m.reports.flatMap((r) => r.events).map((e) => e.reason)).toEqual(['NodeHasNoFDPressure']);
    await m.stop();
  });
  test('a temporary rule emits a Warning event on every problem run', async () => {
    const m = start(monitorConfig([rule({ type: 'temporary', condition: undefined, reason: 'ConntrackFull' })]), [scriptedCheck([problem('Conntrack table usage over 90%: 95 out of 100')]).check]);
    await m.clock.advance(30_000);
    const events = m.reports.flatMap((r) => r.events);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ severity: 'warn', reason: 'ConntrackFull', message: 'Conntrack table usage over 90%: 95 out of 100' });
    await m.stop();
  });
  test('two permanent rules on one condition do not flip-flop: the worst wins', async () => {
    const a = scriptedCheck([problem('a is bad')]);
    const b = scriptedCheck([ok]);
    const m = start(monitorConfig([rule({ reason: 'A' }), rule({ reason: 'B' })]), [a.check, b.check]);
    await m.clock.advance(5 * 30_000);
    const fd = m.reports.map((r) => cond(r, 'FDPressure')?.status);
    expect(fd).toEqual(['False', 'True']);
    expect(cond(m.reports.at(-1) as Status, 'FDPressure')).toMatchObject({ reason: 'A', message: 'a is bad' });
    expect(b.calls.n).toBe(6);
    await m.stop();
  });
  test('with two problems, the first rule in file order gives the reason', async () => {
    const m = start(monitorConfig([rule({ reason: 'A' }), rule({ reason: 'B' })]), [scriptedCheck([unknown, problem('a')]).check, scriptedCheck([problem('b')]).check]);
    await m.clock.advance(0);
    expect(cond(m.reports.at(-1) as Status, 'FDPressure')?.reason).toBe('B');
    await m.clock.advance(30_000);
    expect(cond(m.reports.at(-1) as Status, 'FDPressure')?.reason).toBe('A');
    await m.stop();
  });
  test('skip_initial_status: no initial report, and only decided conditions are reported', async () => {
    const m = start(monitorConfig([rule()], { skipInitialStatus: true }), [scriptedCheck([ok, problem()]).check]);
    await m.clock.advance(0);
    expect(m.reports).toHaveLength(1);
    expect(m.reports[0]?.conditions.map((c) => c.type)).toEqual(['FDPressure']);
    expect(m.reports[0]?.events).toEqual([]);
    await m.clock.advance(30_000);
    expect(m.reports.map((r) => r.conditions.map((c) => c.status))).toEqual([['False'], ['True']]);
    await m.stop();
  });
  test('initialConditions: a True condition from before the restart is kept until a run clears it', async () => {
    const before: Condition = { type: 'FDPressure', status: 'True', transition: new Date(t0 - 3_600_000), reason: 'NodeHasFDPressure', message: 'old' };
    const m = start(monitorConfig([rule()]), [scriptedCheck([problem('old'), ok]).check], { initialConditions: [before] });
    await m.clock.advance(0);
    expect(m.reports).toHaveLength(1);
    expect(cond(m.reports[0] as Status, 'FDPressure')).toEqual(before);
    expect(cond(m.reports[0] as Status, 'NTPProblem')?.status).toBe('False');
    await m.clock.advance(30_000);
    expect(cond(m.reports.at(-1) as Status, 'FDPressure')?.status).toBe('False');
    await m.stop();
  });
  test.each([
    ['True', 'NodeHasFDPressure', 'True'],
    ['False', 'NodeHasNoFDPressure', 'False'],
  ])('no flip on restart: at 77 %% (inside the hysteresis band) a carried %s condition (%s) stays %s', async (status, reason, expected) => {
    const dir = await mkdtemp(join(tmpdir(), 'npd-restart-'));
    await mkdir(join(dir, 'sys/fs'), { recursive: true });
    await writeFile(join(dir, 'sys/fs/file-nr'), '770\t0\t1000\n');
    const clock = createManualClock(t0);
    const before: Condition = { type: 'FDPressure', status: status as 'True' | 'False', transition: new Date(t0 - 3_600_000), reason, message: 'before the restart' };
    const ctx = createTestContext({ clock, procRoot: dir });
    const monitor = createProbeMonitor(monitorConfig([rule({ options: { thresholdPercent: 80 } })]), { ctx, initialConditions: [before] });
    const reports: Status[] = [];
    const controller = new AbortController();
    const done = monitor.run((s) => reports.push(s), controller.signal);
    // The probe reads a real file: real time passes, the manual clock stays (no timeout fires).
    await waitFor(() => ctx.recorded.runs.length >= 1, 'the first run');
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await done;
    await rm(dir, { recursive: true, force: true });
    expect(ctx.recorded.runs.map((r) => r.ok)).toEqual([true]);
    expect(ctx.recorded.watermarks.map((w) => w.ratio)).toEqual([0.77]);
    expect(reports.map((r) => cond(r, 'FDPressure')?.status)).toEqual(reports.map(() => expected));
    expect(reports.flatMap((r) => r.events)).toEqual([]);
  });
  test.each([
    [false, 2],
    [true, 3],
  ])('message change updates (%s) → %d reports', async (messageChangeUpdates, n) => {
    const m = start(monitorConfig([rule()], { messageChangeUpdates }), [scriptedCheck([problem('81%'), problem('82%')]).check]);
    await m.clock.advance(30_000);
    expect(m.reports).toHaveLength(n);
    await m.stop();
  });
  test('a check that throws is an unknown run, counted in telemetry, and the monitor goes on', async () => {
    let n = 0;
    const m = start(monitorConfig([rule()]), [async () => {
      if (n++ === 0) throw new Error('boom');
      return ok;
    }]);
    await m.clock.advance(30_000);
    expect(m.ctx.recorded.runs.map((r) => [r.monitor, r.rule, r.ok])).toEqual([
      ['test-monitor', 'fd:NodeHasFDPressure', false],
      ['test-monitor', 'fd:NodeHasFDPressure', true],
    ]);
    expect(m.reports.map((r) => cond(r, 'FDPressure')?.status)).toEqual(['False', 'Unknown', 'False']);
    expect(m.monitor.health()).toMatchObject({ ok: true, lastRunOk: true });
    await m.stop();
  });
});

describe('real checks', () => {
  test('a registry probe on a fixture tree sets the condition with ACK\'s message', async () => {
    const clock = createManualClock(t0);
    const ctx = createTestContext({ clock, procRoot: procFixture('fd-pressure') });
    const monitor = createProbeMonitor(monitorConfig([rule({ options: { thresholdPercent: 80 } })]), { ctx });
    const reports: Status[] = [];
    const controller = new AbortController();
    const done = monitor.run((s) => reports.push(s), controller.signal);
    await waitFor(() => reports.length === 2, 'two reports');
    expect(cond(reports[1] as Status, 'FDPressure')).toMatchObject({ status: 'True', message: 'current fd is 840512 and max is 1048576, 80% used' });
    expect(ctx.recorded.watermarks).toEqual([{ resource: 'fd', target: 'node', ratio: 840512 / 1048576 }]);
    controller.abort();
    await done;
  });
  test('an NPD plugin rule (path) exiting 1 sets the condition with its output', async () => {
    const clock = createManualClock(t0);
    const ctx = createTestContext({ clock });
    const config = monitorConfig([rule({ condition: 'NTPProblem', reason: 'NTPIsDown', probe: undefined, path: pluginFixture('exit-1.sh') })]);
    const monitor = createProbeMonitor(config, { ctx });
    const reports: Status[] = [];
    const controller = new AbortController();
    const done = monitor.run((s) => reports.push(s), controller.signal);
    await waitFor(() => reports.length === 2, 'two reports');
    expect(cond(reports[1] as Status, 'NTPProblem')).toMatchObject({ status: 'True', reason: 'NTPIsDown', message: 'NTP service is not running' });
    controller.abort();
    await done;
  });
  test.each([
    ['bad option value', rule({ options: { thresholdPercent: 180 } }), 'rules[0].options.thresholdPercent', 'fd.thresholdPercent must be 1–100, got 180'],
    ['unknown option', rule({ options: { threshold: 80 } }), 'rules[0].options.threshold', 'fd.threshold is not an option of probe fd (known: thresholdPercent, clearPercent)'],
    ['unknown probe', rule({ probe: 'nope' }), 'rules[0].probe', 'unknown probe "nope" (known: fd, pid, inodes, ntp, public-network, ram-role, runtime, conntrack, memleak, cgroups, dentry, memfrag, process, hung-process, csi-hung-process, instance-expiry)'],
    ['undeclared condition', rule({ condition: 'Nope' }), 'rules[0].condition', 'permanent rule\'s condition "Nope" is not declared in conditions'],
  ])('%s is a ConfigError at creation', (_n, r, field, problem) => {
    const make = () => createProbeMonitor(monitorConfig([r]), { ctx: createTestContext() });
    expect(make).toThrow(ConfigError);
    try {
      make();
    } catch (err) {
      expect(err).toMatchObject({ file: 'test-monitor.json', field, problem });
    }
  });
});
