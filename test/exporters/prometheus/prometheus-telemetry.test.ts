import { Registry } from 'prom-client';
import { createPrometheusTelemetry } from '../../../src/exporters/prometheus/prometheus-telemetry.js';
import type { Telemetry } from '../../../src/core/telemetry.js';
import { parseSamples, series } from './metrics-text.js';

async function after(calls: (t: Telemetry) => void): Promise<Map<string, number>> {
  const registry = new Registry();
  const telemetry = createPrometheusTelemetry(registry);
  calls(telemetry);
  return parseSamples(await registry.metrics());
}

describe('Prometheus telemetry', () => {
  test.each<[string, (t: Telemetry) => void, string, number]>([
    ['lines read, default 1', (t) => (t.linesRead('kmsg'), t.linesRead('kmsg', 4)), series('npd_source_lines_read_total', { source: 'kmsg' }), 5],
    ['lines skipped by reason', (t) => t.linesSkipped('kmsg', 'old', 3), series('npd_source_lines_skipped_total', { source: 'kmsg', reason: 'old' }), 3],
    ['source restarts', (t) => (t.sourceRestart('journald'), t.sourceRestart('journald')), series('npd_source_restarts_total', { source: 'journald' }), 2],
    ['file rotations by style', (t) => (t.fileRotation('kernel-monitor', 'truncated'), t.fileRotation('kernel-monitor', 'truncated'), t.fileRotation('kernel-monitor', 'renamed')), series('npd_source_file_rotations_total', { source: 'kernel-monitor', style: 'truncated' }), 2],
    ['file skips by reason', (t) => (t.fileSkip('kernel-monitor', 'truncated'), t.fileSkip('kernel-monitor', 'too-many-files')), series('npd_source_file_skips_total', { source: 'kernel-monitor', reason: 'truncated' }), 1],
    ['kmsg records lost', (t) => t.kmsgRecordsLost('kmsg', 17), series('npd_kmsg_records_lost_total', { source: 'kmsg' }), 17],
    ['rule evaluation count', (t) => (t.ruleEvaluation('kernel-monitor', 2e-6), t.ruleEvaluation('kernel-monitor', 0.2)), series('npd_rule_evaluation_seconds_count', { monitor: 'kernel-monitor' }), 2],
    ['rule evaluation bucket', (t) => (t.ruleEvaluation('kernel-monitor', 2e-6), t.ruleEvaluation('kernel-monitor', 0.2)), series('npd_rule_evaluation_seconds_bucket', { le: '0.00001', monitor: 'kernel-monitor' }), 1],
    ['apiserver requests', (t) => t.apiRequest('PATCH', 'nodes/status', '200'), series('npd_apiserver_requests_total', { verb: 'PATCH', resource: 'nodes/status', result: '200' }), 1],
    ['events dropped', (t) => t.eventDropped('spam-filter'), series('npd_events_dropped_total', { reason: 'spam-filter' }), 1],
    ['probe runs', (t) => (t.probeRun('fd-monitor', 'fd', true, 0.01), t.probeRun('fd-monitor', 'fd', false, 0.02)), series('npd_probe_runs_total', { monitor: 'fd-monitor', rule: 'fd' }), 2],
    ['probe failures', (t) => (t.probeRun('fd-monitor', 'fd', true, 0.01), t.probeRun('fd-monitor', 'fd', false, 0.02)), series('npd_probe_failures_total', { monitor: 'fd-monitor', rule: 'fd' }), 1],
    ['probe failures exist at 0 after a success', (t) => t.probeRun('fd-monitor', 'fd', true, 0.01), series('npd_probe_failures_total', { monitor: 'fd-monitor', rule: 'fd' }), 0],
    ['probe last run failed', (t) => (t.probeRun('fd-monitor', 'fd', true, 0.01), t.probeRun('fd-monitor', 'fd', false, 0.02)), series('npd_probe_last_run_success', { monitor: 'fd-monitor', rule: 'fd' }), 0],
    ['probe last run ok', (t) => (t.probeRun('fd-monitor', 'fd', false, 0.01), t.probeRun('fd-monitor', 'fd', true, 0.02)), series('npd_probe_last_run_success', { monitor: 'fd-monitor', rule: 'fd' }), 1],
    ['probe last run duration', (t) => (t.probeRun('fd-monitor', 'fd', true, 0.01), t.probeRun('fd-monitor', 'fd', true, 0.25)), series('npd_probe_last_run_duration_seconds', { monitor: 'fd-monitor', rule: 'fd' }), 0.25],
    ['probe duration bucket', (t) => (t.probeRun('ntp-monitor', 'ntp', true, 0.2), t.probeRun('ntp-monitor', 'ntp', true, 0.3)), series('npd_probe_duration_seconds_bucket', { le: '0.25', monitor: 'ntp-monitor', rule: 'ntp' }), 1],
    ['probe duration histogram', (t) => t.probeRun('ntp-monitor', 'ntp', true, 0.25), series('npd_probe_duration_seconds_sum', { monitor: 'ntp-monitor', rule: 'ntp' }), 0.25],
    ['watermark', (t) => (t.watermark('fd', 'node', 0.5), t.watermark('fd', 'node', 0.75)), series('npd_host_watermark_ratio', { resource: 'fd', target: 'node' }), 0.75],
    ['config reload success', (t) => t.configReload(true), series('npd_config_reloads_total', { result: 'success' }), 1],
    ['config reload failure starts at 0', (t) => t.configReload(true), series('npd_config_reloads_total', { result: 'failure' }), 0],
    ['last reload successful starts at 1', () => {}, 'npd_config_last_reload_successful', 1],
    ['last reload failed', (t) => (t.configReload(true), t.configReload(false)), 'npd_config_last_reload_successful', 0],
  ])('%s', async (_name, calls, key, expected) => {
    expect((await after(calls)).get(key)).toBe(expected);
  });

  test.each<[string, (t: Telemetry) => void, string, number]>([
    ['negative line count', (t) => t.linesRead('kmsg', -1), series('npd_source_lines_read_total', { source: 'kmsg' }), 0],
    ['NaN skipped lines', (t) => t.linesSkipped('kmsg', 'old', Number.NaN), series('npd_source_lines_skipped_total', { source: 'kmsg', reason: 'old' }), 0],
    ['NaN lost records', (t) => t.kmsgRecordsLost('kmsg', Number.NaN), series('npd_kmsg_records_lost_total', { source: 'kmsg' }), 0],
    ['infinite duration', (t) => t.ruleEvaluation('m', Number.POSITIVE_INFINITY), series('npd_rule_evaluation_seconds_sum', { monitor: 'm' }), 0],
    ['negative probe duration', (t) => t.probeRun('m', 'r', true, -1), series('npd_probe_last_run_duration_seconds', { monitor: 'm', rule: 'r' }), 0],
    ['NaN watermark', (t) => t.watermark('fd', 'node', Number.NaN), series('npd_host_watermark_ratio', { resource: 'fd', target: 'node' }), 0],
    ['negative loop lag', (t) => t.eventLoopLag(-1, 0), 'npd_event_loop_lag_seconds', 0],
    ['infinite loop lag', (t) => t.eventLoopLag(Number.POSITIVE_INFINITY, 0), 'npd_event_loop_lag_seconds', 0],
  ])('never throws, counts a bad number as 0: %s', async (_name, calls, key, expected) => {
    expect((await after(calls)).get(key)).toBe(expected);
  });

  test.each([['up', 1], ['waiting', 0], ['failing', -1]] as const)('npd_source_up of a source %s is %d; a removed source has none', async (state, value) => {
    const s = await after((t) => (t.sourceState('journald', state), t.sourceState('kmsg', state), t.sourceRemoved('kmsg')));
    expect(s.get(series('npd_source_up', { source: 'journald' }))).toBe(value);
    expect(s.has(series('npd_source_up', { source: 'kmsg' }))).toBe(false);
  });

  test('lines and rule evaluations are counted per source and per monitor', async () => {
    const s = await after((t) => (t.linesRead('kmsg', 2), t.linesRead('journald'), t.linesRead('kmsg'), t.ruleEvaluation('a', 1e-6), t.ruleEvaluation('b', 1e-6), t.ruleEvaluation('a', 1e-6)));
    expect([s.get(series('npd_source_lines_read_total', { source: 'kmsg' })), s.get(series('npd_source_lines_read_total', { source: 'journald' }))]).toEqual([3, 1]);
    expect([s.get(series('npd_rule_evaluation_seconds_count', { monitor: 'a' })), s.get(series('npd_rule_evaluation_seconds_count', { monitor: 'b' }))]).toEqual([2, 1]);
  });
});
