import { createManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { noopTelemetry } from '../../src/core/telemetry.js';
import type { Telemetry } from '../../src/core/telemetry.js';
import type { Status } from '../../src/core/problem.js';
import type { LogLine, LogSource } from '../../src/sources/log-source.js';
import { createLogMonitor } from '../../src/monitors/log-monitor.js';
import type { LogMonitorConfig } from '../../src/config/monitor-config.js';
import { logMonitorConfig } from './log-monitor-config.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A source that yields queued lines and stays open until aborted, like a real one. */
function queueSource(): LogSource & { add(message: string): void; end(): void } {
  const queue: LogLine[] = [];
  let notify: (() => void) | undefined;
  let ended = false;
  return {
    add(message) {
      queue.push({ time: new Date(T0), message });
      notify?.();
    },
    end() {
      ended = true;
      notify?.();
    },
    async *lines(signal) {
      signal.addEventListener('abort', () => notify?.());
      for (;;) {
        while (queue.length > 0) yield queue.shift() as LogLine;
        if (signal.aborted || ended) return;
        await new Promise<void>((r) => (notify = r));
      }
    },
    health: () => ({ alive: true, detail: 'queue', restarts: 0 }),
  };
}

const config: LogMonitorConfig = logMonitorConfig({
  skipList: [' audit:'],
  source: 'kernel-monitor',
  conditions: [{ type: 'XfsShutdown', reason: 'XfsHasNotShutDown', message: 'XFS has not shutdown', expireAfterMs: 60_000 }],
  rules: [
    { type: 'temporary', condition: undefined, reason: 'TaskHung', pattern: 'task \\S+:\\w+ blocked for more than \\w+ seconds\\.', patternGeneratedMessageSuffix: undefined },
    { type: 'permanent', condition: 'XfsShutdown', reason: 'XfsHasShutdown', pattern: 'XFS .* Shutting down filesystem.?', patternGeneratedMessageSuffix: undefined },
  ],
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}

/** A source that hands over `messages` as one batch (or line by line) and stays open until aborted. */
function fixedSource(messages: readonly string[], mode: 'batches' | 'lines'): LogSource & { calls: string[] } {
  const calls: string[] = [];
  const all = messages.map((message) => ({ time: new Date(T0), message }));
  const idle = (signal: AbortSignal): Promise<void> => new Promise((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r())));
  const source: LogSource & { calls: string[] } = {
    calls,
    async *lines(signal) {
      calls.push('lines');
      yield* all;
      await idle(signal);
    },
    health: () => ({ alive: true, detail: 'fixed', restarts: 0 }),
  };
  if (mode === 'batches') {
    source.batches = async function* (signal) {
      calls.push('batches');
      yield all.slice(0, 2);
      yield all.slice(2);
      await idle(signal);
    };
  }
  return source;
}

describe('createLogMonitor', () => {
  test('initial status, one status per problem line, expiry on the clock, skiplist counted', async () => {
    const clock = createManualClock(T0);
    const source = queueSource();
    const skipped: string[] = [];
    const telemetry: Telemetry = { ...noopTelemetry, linesSkipped: (s, reason) => skipped.push(`${s}:${reason}`) };
    const monitor = createLogMonitor(config, { source, clock, logger: silentLogger, telemetry });
    expect(monitor.description).toMatchObject({ source: 'kernel-monitor', problems: [{ reason: 'TaskHung', condition: undefined }, { reason: 'XfsHasShutdown', condition: 'XfsShutdown' }] });
    const statuses: Status[] = [];
    const ac = new AbortController();
    const done = monitor.run((s) => statuses.push(s), ac.signal);

    await until(() => statuses.length === 1);
    expect(statuses[0]).toMatchObject({ source: 'kernel-monitor', events: [], conditions: [{ type: 'XfsShutdown', status: 'False', reason: 'XfsHasNotShutDown' }] });

    source.add('benign line');
    source.add('type=1400 audit: task x:1 blocked for more than 120 seconds.');
    source.add('INFO: task kworker:12 blocked for more than 120 seconds.');
    await until(() => statuses.length === 2);
    expect(statuses[1]?.events).toEqual([{ severity: 'warn', time: new Date(T0), reason: 'TaskHung', message: 'INFO: task kworker:12 blocked for more than 120 seconds.' }]);
    expect(skipped).toEqual(['kernel-monitor:skiplist']);

    source.add('XFS (sda1): Corruption detected. Shutting down filesystem.');
    await until(() => statuses.length === 3);
    expect(statuses[2]?.conditions[0]).toMatchObject({ status: 'True', reason: 'XfsHasShutdown' });

    await clock.advance(59_000);
    expect(statuses).toHaveLength(3);
    await clock.advance(1_000);
    await until(() => statuses.length === 4);
    expect(statuses[3]?.conditions[0]).toMatchObject({ status: 'False', reason: 'XfsHasNotShutDown' });
    expect(statuses[3]?.events[0]?.message).toMatch(/^Node condition XfsShutdown is now: False/);

    ac.abort();
    await done;
    expect(monitor.health()).toMatchObject({ ok: true, detail: 'stopped' });
    expect(clock.pending()).toBe(0);
  });

  test.each(['options', 'deps'])('initialConditions (in %s): the first report keeps a True condition', async (where) => {
    const clock = createManualClock(T0);
    const source = queueSource();
    const shown = { type: 'XfsShutdown', status: 'True' as const, transition: new Date(T0 - 1000), reason: 'XfsHasShutdown', message: 'XFS (sda1): Shutting down filesystem' };
    const deps = { source, clock, logger: silentLogger, telemetry: noopTelemetry };
    const monitor =
      where === 'options' ? createLogMonitor(config, deps, { initialConditions: [shown] }) : createLogMonitor(config, { ...deps, initialConditions: [shown] });
    const statuses: Status[] = [];
    const ac = new AbortController();
    const done = monitor.run((s) => statuses.push(s), ac.signal);
    await until(() => statuses.length === 1);
    expect(statuses[0]?.conditions).toEqual([shown]);
    ac.abort();
    await done;
  });

  test('a counting rule (no expireAfter) clears on the clock when its count leaves the window', async () => {
    const clock = createManualClock(T0);
    const source = queueSource(); // every line stamped T0
    const counting: LogMonitorConfig = {
      ...config,
      skipList: [],
      conditions: [{ type: 'FrequentKubeletRestart', reason: 'NoFrequentKubeletRestart', message: 'kubelet is functioning properly', expireAfterMs: undefined }],
      rules: [{ type: 'permanent', condition: 'FrequentKubeletRestart', reason: 'FrequentKubeletRestart', pattern: 'Started kubelet\\.service\\.', patternGeneratedMessageSuffix: undefined, count: { threshold: 2, windowMs: 600_000, revertPattern: undefined } }],
    };
    const monitor = createLogMonitor(counting, { source, clock, logger: silentLogger, telemetry: noopTelemetry });
    const statuses: Status[] = [];
    const ac = new AbortController();
    const done = monitor.run((s) => statuses.push(s), ac.signal);
    await until(() => statuses.length === 1);
    source.add('Started kubelet.service.');
    source.add('Started kubelet.service.');
    await until(() => statuses.some((s) => s.conditions[0]?.status === 'True'));
    const set = statuses.length;
    await clock.advance(599_000);
    expect(statuses).toHaveLength(set);
    await clock.advance(1_000);
    await until(() => statuses.length === set + 1);
    expect(statuses[set]?.conditions[0]).toMatchObject({ status: 'False', reason: 'NoFrequentKubeletRestart' });
    ac.abort();
    await done;
    expect(clock.pending()).toBe(0);
  });

  test('a source that ends makes the monitor unhealthy', async () => {
    const source = queueSource();
    const monitor = createLogMonitor({ ...config, conditions: [], rules: [] }, { source, clock: createManualClock(T0), logger: silentLogger, telemetry: noopTelemetry });
    const done = monitor.run(() => {}, new AbortController().signal);
    source.end();
    await done;
    expect(monitor.health().ok).toBe(false);
  });
  test.each(['lines', 'batches'] as const)('a source read by %s: the same statuses and counts, one per problem line', async (mode) => {
    const source = fixedSource(['benign', 'type=1400 audit: x', 'INFO: task a:1 blocked for more than 120 seconds.', 'INFO: task b:2 blocked for more than 120 seconds.', 'XFS (sda1): Shutting down filesystem.', 'benign'], mode);
    const skipped: string[] = [];
    const timed: number[] = [];
    const telemetry: Telemetry = { ...noopTelemetry, linesSkipped: (_s, reason) => skipped.push(reason), ruleEvaluation: (_s, sec) => timed.push(sec) };
    const monitor = createLogMonitor(config, { source, clock: createManualClock(T0), logger: silentLogger, telemetry });
    const statuses: Status[] = [];
    const ac = new AbortController();
    const done = monitor.run((s) => statuses.push(s), ac.signal);
    await until(() => statuses.length === 4);
    ac.abort();
    await done;
    expect(source.calls).toEqual([mode]);
    expect(statuses.map((s) => s.events.map((e) => e.reason))).toEqual([[], ['TaskHung'], ['TaskHung'], ['XfsHasShutdown']]);
    expect(statuses.map((s) => s.conditions[0]?.status)).toEqual(['False', 'False', 'False', 'True']);
    expect(skipped).toEqual(['skiplist']);
    expect(timed).toHaveLength(1);
  });
});
