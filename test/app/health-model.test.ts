/**
 * The health model (src/app/health-model.ts, README "Health and liveness") as a table: each kind of
 * monitor and source state, the grace period's edge, a crashed monitor, an unhealthy exporter, and
 * the `/healthz` body they give.
 */
import { assessHealth, type HealthInputs } from '../../src/app/health-model.js';
import type { SourceState } from '../../src/core/telemetry.js';

const now = Date.parse('2026-12-02T12:00:00.000Z');
const eventLoop = { lastSeconds: 0.002, maxSeconds: 0.05 };
const source = (state: SourceState, agoMs: number, detail = `kmsg ${state}`) => ({ state, alive: state === 'up', detail, sinceMs: now - agoMs, restarts: 0 });
type Monitor = HealthInputs['monitors'][number];
const logMonitor = (state: SourceState, agoMs: number, ok = true): Monitor => ({ source: 'kmsg', health: { ok, detail: `health ${state}`, source: source(state, agoMs) }, crashed: undefined });
const assess = (monitors: Monitor[], exporters: HealthInputs['exporters'] = []) => assessHealth({ nowMs: now, graceMs: 60_000, monitors, exporters, eventLoop });
const since = (agoMs: number): string => new Date(now - agoMs).toISOString();

test('every monitor fine: ok, the monitors with their source state, exporters and event loop passed on', () => {
  const exporters = [{ name: 'kubernetes', ok: true }];
  expect(assess([logMonitor('up', 5_000), { source: 'fd', health: { ok: true, detail: 'last check ok' }, crashed: undefined }], exporters)).toEqual({
    ok: true,
    detail: 'ok',
    monitors: [
      { source: 'kmsg', ok: true, state: 'up', since: since(5_000), detail: 'health up' },
      // A probe monitor has no source: no state, no since.
      { source: 'fd', ok: true, detail: 'last check ok' },
    ],
    exporters,
    eventLoop,
  });
});

// [monitor, its entry's ok and detail]
test.each<[string, Monitor, boolean, string]>([
  ['a source waiting for an input this node lacks', logMonitor('waiting', 600_000), true, 'health waiting'],
  ['a source failing within the grace period', logMonitor('failing', 30_000), true, 'kmsg failing (failing for 30s, /healthz fails after 1m)'],
  ['a source failing 1 ms short of the grace period', logMonitor('failing', 59_999), true, 'kmsg failing (failing for 1m, /healthz fails after 1m)'],
  ['a source failing for exactly the grace period', logMonitor('failing', 60_000), false, 'kmsg failing (failing for 1m, longer than the 1m grace period)'],
  ['a source failing longer, rounded to the second', logMonitor('failing', 90_400), false, 'kmsg failing (failing for 1m30s, longer than the 1m grace period)'],
  ['a source failing since a moment the clock has not reached', logMonitor('failing', -5_000), true, 'kmsg failing (failing for 0ms, /healthz fails after 1m)'],
  ['a monitor unhealthy by its own account, its source failing only briefly', logMonitor('failing', 1_000, false), false, 'health failing'],
  ['a probe monitor unhealthy', { source: 'kmsg', health: { ok: false, detail: 'plugin missing' }, crashed: undefined }, false, 'plugin missing'],
  ['a monitor that stopped on an error, its source up', { ...logMonitor('up', 1_000), crashed: 'boom' }, false, 'monitor stopped: boom'],
])('%s', (_what, monitor, ok, detail) => {
  const report = assess([monitor]);
  expect(report.monitors).toEqual([expect.objectContaining({ source: 'kmsg', ok, detail })]);
  expect(report.ok).toBe(ok);
  expect(report.detail).toBe(ok ? 'ok' : `kmsg: ${detail}`);
});

test('every problem in the detail, monitors first, then unhealthy exporters', () => {
  const report = assess([logMonitor('failing', 120_000), logMonitor('up', 1_000)], [{ name: 'kubernetes', ok: false }, { name: 'prometheus', ok: true }]);
  expect(report.ok).toBe(false);
  expect(report.detail).toBe('kmsg: kmsg failing (failing for 2m, longer than the 1m grace period); kubernetes exporter unhealthy');
  expect(assess([], [{ name: 'kubernetes', ok: false }])).toMatchObject({ ok: false, detail: 'kubernetes exporter unhealthy' });
});
