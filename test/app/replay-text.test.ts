import { textReader } from '../../src/app/replay-text.js';
import { parseMonitorConfig } from '../../src/config/load-monitor.js';
import type { LogMonitorConfig } from '../../src/config/monitor-config.js';
import { createLineSplitter } from '../../src/sources/line-splitter.js';
import { corpusOomKill } from '../pods/oom-fixtures.js';

const nowMs = Date.parse('2026-01-02T12:00:00Z');
const oomKilling = { type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ .*' };
const dockerHung = { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' };

/** A kern.log monitor (as test/app/replay.test.ts writes it) with these rules and condition fields. */
function monitor(rules: readonly object[], condition: object = {}): LogMonitorConfig {
  const text = JSON.stringify({
    plugin: 'filelog',
    pluginConfig: { timestamp: '^.{15}', message: 'kernel: \\[\\s*\\d+\\.\\d+\\] (.*)', timestampFormat: 'Jan _2 15:04:05' },
    logPath: '/var/log/kern.log',
    lookback: '5m',
    source: 'kern-monitor',
    conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'ok', ...condition }],
    rules,
  });
  return parseMonitorConfig(text, 'kern-monitor.json') as LogMonitorConfig;
}

const row = (message: string): string => `Jan  2 03:04:05 node-1 kernel: [  1.000000] ${message}`;
const noise = (i: number): string => row(`eth0: link up ${i}`);
const killed = row('Killed process 7 (python) total-vm:1kB, anon-rss:1kB, file-rss:0kB');
const hung = row('task docker:abc blocked for more than 120 seconds.');

/** Reads `rows` (one piece, its first row numbered `first`) and returns the numbers and messages the sink got. */
function read(m: LogMonitorConfig, rows: readonly string[], attributes = false, first = 1): { got: [number, string][]; unparsable: Record<string, number> } {
  const got: [number, string][] = [];
  const unparsable: Record<string, number> = {};
  const reader = textReader(m, (line, n) => got.push([n, line.message]), { nowMs, attributes, unparsable });
  reader(createLineSplitter(1 << 16, () => {}).ranges(`${rows.join('\n')}\n`), first);
  return { got, unparsable };
}

describe('which lines a monitor reads in npd replay', () => {
  const rows = [noise(1), killed, noise(2), hung, noise(3)];

  test('conditions that never expire: only the lines holding a rule\'s literal, numbered by their row', () => {
    const { got } = read(monitor([oomKilling, dockerHung]), rows, false, 10);
    expect(got).toEqual([[11, 'Killed process 7 (python) total-vm:1kB, anon-rss:1kB, file-rss:0kB'], [13, 'task docker:abc blocked for more than 120 seconds.']]);
  });

  test('a temporary rule that counts does not make conditions expire: still only its lines', () => {
    const { got } = read(monitor([{ ...oomKilling, count: 2, window: '10m' }, dockerHung]), rows);
    expect(got.map(([n]) => n)).toEqual([2, 4]);
  });

  test('a condition with expireAfter, or a permanent rule that counts: every line (expiries are checked on each line\'s time)', () => {
    expect(read(monitor([oomKilling, dockerHung], { expireAfter: '10m' }), rows).got.map(([n]) => n)).toEqual([1, 2, 3, 4, 5]);
    expect(read(monitor([oomKilling, { ...dockerHung, count: 2, window: '10m' }]), rows).got.map(([n]) => n)).toEqual([1, 2, 3, 4, 5]);
  });

  test('with the OOM attribution step: the OOM report\'s lines too, not the others', () => {
    const report = [row('manager invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=999'), row(corpusOomKill.cgroupfsBurstable)];
    const all = [noise(1), ...report, noise(2), killed];
    expect(read(monitor([oomKilling]), all, false).got.map(([n]) => n)).toEqual([5]);
    expect(read(monitor([oomKilling]), all, true).got.map(([n]) => n)).toEqual([2, 3, 5]);
  });

  test('rows the parser cannot read are counted as unparsable, an empty message is not', () => {
    const { got, unparsable } = read(monitor([oomKilling]), ['not a kern.log row', row(''), killed, 'neither']);
    expect(got.map(([n]) => n)).toEqual([3]);
    expect(unparsable).toEqual({ 'kern-monitor': 2 });
  });
});
