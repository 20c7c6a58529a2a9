/** A source's health: state, since when, restarts, and what it logs and reports on each move. */
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import { noopTelemetry, type SourceState } from '../../src/core/telemetry.js';
import { createSourceState } from '../../src/sources/source-state.js';

function setup() {
  const clock = createManualClock(1_000_000);
  const logger = createMemoryLogger();
  const states: [string, SourceState][] = [];
  let restarts = 0;
  const telemetry = { ...noopTelemetry, sourceState: (s: string, st: SourceState) => void states.push([s, st]), sourceRestart: () => void restarts++ };
  const tracker = createSourceState('kmsg-monitor', '/dev/kmsg', { clock, logger, telemetry });
  const logs = () => logger.records.map((r) => [r.level, r.msg, r['detail'], r['source'], r['input']]);
  return { clock, tracker, states, restarts: () => restarts, logs };
}

test('a new source is waiting, starting its input, not alive, reported as waiting', () => {
  const { tracker, states } = setup();
  expect(tracker.health()).toEqual({ state: 'waiting', alive: false, detail: 'starting /dev/kmsg', sinceMs: 1_000_000, restarts: 0 });
  expect(states).toEqual([['kmsg-monitor', 'waiting']]);
});

test('up: alive, since the move, logged at info once; the same state again only updates the detail', async () => {
  const { clock, tracker, states, logs } = setup();
  await clock.advance(500);
  tracker.up('reading /dev/kmsg');
  expect(tracker.health()).toEqual({ state: 'up', alive: true, detail: 'reading /dev/kmsg', sinceMs: 1_000_500, restarts: 0 });
  await clock.advance(500);
  tracker.up('reading /dev/kmsg again');
  expect(tracker.health()).toEqual({ state: 'up', alive: true, detail: 'reading /dev/kmsg again', sinceMs: 1_000_500, restarts: 0 });
  expect(states).toEqual([['kmsg-monitor', 'waiting'], ['kmsg-monitor', 'up']]);
  expect(logs()).toEqual([
    ['info', 'source up', 'reading /dev/kmsg', 'kmsg-monitor', '/dev/kmsg'],
    ['debug', 'source retrying', 'reading /dev/kmsg again', 'kmsg-monitor', '/dev/kmsg'],
  ]);
});

test('the first report after "starting" is logged though it is waiting too, and keeps nothing of the start but the state', async () => {
  const { clock, tracker, states, logs } = setup();
  await clock.advance(200);
  tracker.waiting('/dev/kmsg: ENOENT');
  expect(tracker.health()).toEqual({ state: 'waiting', alive: false, detail: '/dev/kmsg: ENOENT', sinceMs: 1_000_200, restarts: 0 });
  tracker.waiting('/dev/kmsg: ENOENT (2)');
  expect(tracker.health().sinceMs).toBe(1_000_200);
  expect(states).toEqual([['kmsg-monitor', 'waiting'], ['kmsg-monitor', 'waiting']]);
  expect(logs()).toEqual([
    ['info', 'source waiting: its input does not exist on this node', '/dev/kmsg: ENOENT', 'kmsg-monitor', '/dev/kmsg'],
    ['debug', 'source retrying', '/dev/kmsg: ENOENT (2)', 'kmsg-monitor', '/dev/kmsg'],
  ]);
});

test('failing counts a restart unless told not to, warns once per move, and keeps its since time while it retries', async () => {
  const { clock, tracker, states, restarts, logs } = setup();
  tracker.up('reading');
  await clock.advance(100);
  tracker.failing('EIO; reopening in 800ms');
  await clock.advance(100);
  tracker.failing('EIO; reopening in 1600ms');
  tracker.failing('EIO, not a restart', false);
  expect(tracker.health()).toEqual({ state: 'failing', alive: false, detail: 'EIO, not a restart', sinceMs: 1_000_100, restarts: 2 });
  expect(restarts()).toBe(2);
  expect(states.map(([, s]) => s)).toEqual(['waiting', 'up', 'failing']);
  expect(logs().map(([level, msg]) => [level, msg])).toEqual([
    ['info', 'source up'], ['warn', 'source failing'], ['debug', 'source retrying'], ['debug', 'source retrying'],
  ]);
  expect(logs()[1]).toEqual(['warn', 'source failing', 'EIO; reopening in 800ms', 'kmsg-monitor', '/dev/kmsg']);
  tracker.up('reading again');
  expect(tracker.health()).toMatchObject({ state: 'up', alive: true, restarts: 2, sinceMs: 1_000_200 });
});
