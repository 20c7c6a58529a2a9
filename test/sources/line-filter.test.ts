/** The filter every source puts a line through: unparsable, old and empty lines dropped and counted, the rest read. */
import { createManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { noopTelemetry, type SkipReason } from '../../src/core/telemetry.js';
import { createBatchLineFilter, createLineFilter } from '../../src/sources/line-filter.js';
import type { LogLine, SourceConfig } from '../../src/sources/log-source.js';

const NOW = 1_800_000_000_000;
const config = (lookbackMs: number, delayMs: number): SourceConfig => ({
  plugin: 'filelog', file: 'm.json', source: 'kern-monitor', logPath: '/var/log/kern.log', lookbackMs, delayMs, pluginConfig: {},
});

function deps(bootTimeMs: number) {
  const calls: string[] = [];
  const telemetry = {
    ...noopTelemetry,
    linesRead: (s: string, n = 1) => void calls.push(`${s} read ${n}`),
    linesSkipped: (s: string, reason: SkipReason, n = 1) => void calls.push(`${s} ${reason} ${n}`),
  };
  return { calls, deps: { clock: createManualClock(NOW), logger: silentLogger, telemetry, bootTimeMs } };
}

const line = (timeMs: number, message = 'm'): LogLine => ({ time: new Date(timeMs), message });

test('the start is now − lookback when boot + delay is earlier: a line at it passes, a line 1 ms before is old', () => {
  const { calls, deps: d } = deps(NOW - 3_600_000);
  const filter = createLineFilter(config(60_000, 1000), d);
  const at = line(NOW - 60_000);
  expect(filter(at)).toBe(at);
  expect(filter(line(NOW - 60_001))).toBeUndefined();
  expect(calls).toEqual(['kern-monitor read 1', 'kern-monitor old 1']);
});

test('the start is boot + delay when that is later: lines of the first seconds after boot are old', () => {
  const { calls, deps: d } = deps(NOW - 10_000);
  const filter = createLineFilter(config(60_000, 5000), d);
  expect(filter(line(NOW - 5001))).toBeUndefined();
  expect(filter(line(NOW - 5000))).toBeDefined();
  expect(calls).toEqual(['kern-monitor old 1', 'kern-monitor read 1']);
});

test('unparsable (no line) and empty lines are dropped and counted as such, an old empty line as old', () => {
  const { calls, deps: d } = deps(0);
  const filter = createLineFilter(config(60_000, 0), d);
  expect(filter(undefined)).toBeUndefined();
  expect(filter(line(NOW, ''))).toBeUndefined();
  expect(filter(line(NOW - 120_000, ''))).toBeUndefined();
  expect(filter(line(NOW, ' '))).toBeDefined();
  expect(calls).toEqual(['kern-monitor unparsable 1', 'kern-monitor empty 1', 'kern-monitor old 1', 'kern-monitor read 1']);
});

describe('batch filter', () => {
  test('lines passed are counted as read once per flush, and nothing when none passed', () => {
    const { calls, deps: d } = deps(0);
    const f = createBatchLineFilter(config(60_000, 0), d);
    f.flush();
    expect(f.pass(line(NOW))).toBeDefined();
    expect(f.pass(line(NOW - 120_000))).toBeUndefined();
    expect(f.pass(line(NOW))).toBeDefined();
    f.flush();
    f.flush();
    expect(calls).toEqual(['kern-monitor old 1', 'kern-monitor read 2']);
  });

  test('described lines: skips counted n at a time, read counted only when asked, countRead adds later', () => {
    const { calls, deps: d } = deps(0);
    const f = createBatchLineFilter(config(60_000, 0), d);
    expect(f.passDescribed(undefined, true, 3)).toBe(false);
    expect(f.passDescribed({ timeMs: NOW - 120_000, empty: false }, true, 2)).toBe(false);
    expect(f.passDescribed({ timeMs: NOW, empty: true }, true)).toBe(false);
    expect(f.passDescribed({ timeMs: NOW, empty: false }, true, 4)).toBe(true);
    expect(f.passDescribed({ timeMs: NOW, empty: false }, false, 5)).toBe(true);
    f.countRead(6);
    f.flush();
    expect(calls).toEqual(['kern-monitor unparsable 3', 'kern-monitor old 2', 'kern-monitor empty 1', 'kern-monitor read 10']);
  });

  test('the start time is fixed when the filter is made, not at each line', async () => {
    const { calls, deps: d } = deps(0);
    const f = createBatchLineFilter(config(60_000, 0), d);
    await d.clock.advance(120_000);
    expect(f.passDescribed({ timeMs: NOW - 30_000, empty: false }, true)).toBe(true);
    f.flush();
    expect(calls).toEqual(['kern-monitor read 1']);
  });
});
