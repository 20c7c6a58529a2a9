/**
 * A log monitor's health (its source's, until the monitor itself ends), what it logs when its source
 * ends or fails, the annotation step, and the timers it keeps: none for conditions that never expire.
 */
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { noopTelemetry } from '../../src/core/telemetry.js';
import type { Event, Status } from '../../src/core/problem.js';
import type { LogLine, LogSource, LineInterest } from '../../src/sources/log-source.js';
import type { SourceHealth } from '../../src/sources/source-state.js';
import { createLogMonitor } from '../../src/monitors/log-monitor.js';
import { logMonitorConfig } from './log-monitor-config.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const health: SourceHealth = { state: 'waiting', alive: false, detail: '/var/log/kern.log: not there yet', sinceMs: T0, restarts: 2 };
const hung = { type: 'temporary' as const, condition: undefined, reason: 'TaskHung', pattern: 'task \\S+ blocked', patternGeneratedMessageSuffix: undefined };
const config = logMonitorConfig({ source: 'kernel-monitor', rules: [hung] });

/** A source that yields `messages`, then ends, throws `fail`, or waits for the abort. */
function scriptedSource(messages: string[], then: 'end' | 'wait' | Error, batches?: { interests: (LineInterest | undefined)[] }): LogSource {
  const lines = messages.map((message): LogLine => ({ time: new Date(T0), message }));
  const rest = async (signal: AbortSignal): Promise<void> => {
    if (then instanceof Error) throw then;
    if (then === 'wait') await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r())));
  };
  const source: LogSource = {
    async *lines(signal) {
      yield* lines;
      await rest(signal);
    },
    health: () => health,
  };
  if (batches) {
    source.batches = async function* (signal, interest) {
      batches.interests.push(interest);
      yield lines;
      await rest(signal);
    };
  }
  return source;
}

const run = async (source: LogSource, deps: Partial<Parameters<typeof createLogMonitor>[1]> = {}, c = config) => {
  const logger = createMemoryLogger();
  const clock = createManualClock(T0);
  const monitor = createLogMonitor(c, { source, clock, logger, telemetry: noopTelemetry, ...deps });
  const statuses: Status[] = [];
  const ac = new AbortController();
  const done = monitor.run((s) => statuses.push(s), ac.signal);
  return { monitor, logger, clock, statuses, done, stop: async () => (ac.abort(), await done) };
};

test('before its first line, a monitor\'s health is its source\'s: waiting is still healthy', () => {
  const monitor = createLogMonitor(config, { source: scriptedSource([], 'wait'), clock: createManualClock(T0), logger: createMemoryLogger(), telemetry: noopTelemetry });
  expect(monitor.health()).toEqual({ ok: true, detail: health.detail, source: health });
});

test('after a timed line, health carries how long the rules took', async () => {
  const m = await run(scriptedSource(['task a blocked'], 'wait'));
  await m.clock.advance(0);
  const h = m.monitor.health();
  expect(h).toMatchObject({ ok: true, detail: health.detail, source: health, lastRunOk: true });
  expect(h.lastRunSeconds).toBeGreaterThanOrEqual(0);
  await m.stop();
  expect(m.monitor.health()).toEqual({ ok: true, detail: 'stopped', source: health });
  // A source that ends because of the stop is no failure: nothing logged.
  expect(m.logger.records).toEqual([]);
});

test('a source that ends: unhealthy, with the source\'s detail, and a warning', async () => {
  const m = await run(scriptedSource(['task a blocked'], 'end'));
  await m.done;
  expect(m.monitor.health()).toEqual({ ok: false, detail: `log source ended: ${health.detail}`, source: health });
  expect(m.logger.records).toEqual([expect.objectContaining({ level: 'warn', msg: 'log source ended', monitor: 'kernel-monitor' })]);
  expect(m.statuses.map((s) => s.events.map((e) => e.reason))).toEqual([[], ['TaskHung']]);
});

test('a source that throws: unhealthy, with the error, logged as an error', async () => {
  const m = await run(scriptedSource([], new Error('EIO: i/o error')));
  await m.done;
  expect(m.monitor.health()).toEqual({ ok: false, detail: 'log source failed: EIO: i/o error', source: health });
  expect(m.logger.records).toEqual([expect.objectContaining({ level: 'error', msg: 'log source failed', monitor: 'kernel-monitor', error: 'EIO: i/o error' })]);
});

test('an error after the stop is the stop: healthy, nothing logged', async () => {
  const ac = new AbortController();
  const source: LogSource = {
    async *lines(signal) {
      await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
      throw new Error('closed');
    },
    health: () => health,
  };
  const logger = createMemoryLogger();
  const monitor = createLogMonitor(config, { source, clock: createManualClock(T0), logger, telemetry: noopTelemetry });
  const done = monitor.run(() => {}, ac.signal);
  ac.abort();
  await done;
  expect(monitor.health()).toEqual({ ok: true, detail: 'stopped', source: health });
  expect(logger.records).toEqual([]);
});

test('the annotation step rewrites a line\'s events, and its literals join what the source is asked for', async () => {
  const seen: string[] = [];
  const annotate = Object.assign(
    (message: string, events: readonly Event[]): readonly Event[] => {
      seen.push(message);
      return events.map((e) => ({ ...e, message: `${e.message} [annotated]` }));
    },
    { literals: ['Memory cgroup out of memory'] },
  );
  const interests: (LineInterest | undefined)[] = [];
  const m = await run(scriptedSource(['benign', 'task a blocked'], 'wait', { interests }), { annotate });
  await m.clock.advance(0);
  await m.stop();
  expect(seen).toEqual(['benign', 'task a blocked']);
  expect(m.statuses.map((s) => s.events.map((e) => e.message))).toEqual([[], ['task a blocked [annotated]']]);
  expect(interests.map((i) => i?.literals)).toEqual([['blocked', 'Memory cgroup out of memory']]);
});

test('a monitor whose conditions never expire keeps no timer; one with expireAfter sleeps until its expiry', async () => {
  // A condition without expireAfter, a permanent rule without a count, a temporary rule with one: nothing returns to False on its own.
  const lasting = logMonitorConfig({
    conditions: [{ type: 'TaskHung', reason: 'NoTaskHung', message: 'ok', expireAfterMs: undefined }],
    rules: [{ ...hung, condition: 'TaskHung', type: 'permanent' }, { ...hung, count: { threshold: 2, windowMs: 60_000, revertPattern: undefined } }],
  });
  const m = await run(scriptedSource(['task a blocked'], 'wait'), {}, lasting);
  await m.clock.advance(0);
  expect(m.clock.pending()).toBe(0);
  await m.stop();
  const none = await run(scriptedSource(['task a blocked'], 'wait'));
  await none.clock.advance(0);
  expect(none.clock.pending()).toBe(0);
  await none.stop();
  const xfs = logMonitorConfig({
    conditions: [{ type: 'XfsShutdown', reason: 'XfsHasNotShutDown', message: 'ok', expireAfterMs: 60_000 }],
    rules: [{ type: 'permanent', condition: 'XfsShutdown', reason: 'XfsHasShutdown', pattern: 'XFS .* Shutting down filesystem', patternGeneratedMessageSuffix: undefined }],
  });
  const e = await run(scriptedSource([], 'wait'), {}, xfs);
  await e.clock.advance(0);
  expect(e.clock.pending()).toBe(1);
  await e.stop();
  expect(e.clock.pending()).toBe(0);
});

test('a permanent counting rule among others needs the timer (its count falls below the threshold as time passes)', async () => {
  const counting = logMonitorConfig({
    conditions: [{ type: 'TaskHung', reason: 'NoTaskHung', message: 'ok', expireAfterMs: undefined }],
    rules: [hung, { ...hung, condition: 'TaskHung', type: 'permanent', reason: 'TasksHung', count: { threshold: 1, windowMs: 60_000, revertPattern: undefined } }],
  });
  const m = await run(scriptedSource(['task a blocked'], 'wait'), {}, counting);
  await m.clock.advance(0);
  expect(m.statuses.at(-1)?.conditions.map((c) => c.status)).toEqual(['True']);
  await m.clock.advance(60_000);
  expect(m.statuses.at(-1)?.conditions.map((c) => c.status)).toEqual(['False']);
  await m.stop();
});

test('a source that ends stops the expiry timer too, so the run returns', async () => {
  const expiring = logMonitorConfig({ conditions: [{ type: 'TaskHung', reason: 'NoTaskHung', message: 'ok', expireAfterMs: 60_000 }], rules: [{ ...hung, condition: 'TaskHung', type: 'permanent' }] });
  const m = await run(scriptedSource(['task a blocked'], 'end'), {}, expiring);
  await m.done;
  expect(m.clock.pending()).toBe(0);
  expect(m.monitor.health()).toMatchObject({ ok: false, detail: `log source ended: ${health.detail}` });
});

test('without an annotation step a batch source is asked for the rules\' literals alone', async () => {
  const interests: (LineInterest | undefined)[] = [];
  const m = await run(scriptedSource(['task a blocked'], 'wait', { interests }));
  await m.clock.advance(0);
  await m.stop();
  expect(interests.map((i) => i?.literals)).toEqual([['blocked']]);
  expect(m.statuses.map((s) => s.events.map((e) => e.reason))).toEqual([[], ['TaskHung']]);
});
