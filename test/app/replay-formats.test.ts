/**
 * `npd replay` in-process: each input format (journal export and JSON, kmsg, text), how problems of
 * several monitors are ordered and numbered, expiries, OOM attribution, and the printed report.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat, formatReplay, runReplay, type ReplayResult } from '../../src/app/replay.js';
import { fixtureContainersLogDir, fixturePodsLogDir, oomFixture } from '../pods/oom-fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const OOM = 'Killed process 7 (x) total-vm:1kB';
const HUNG = 'task docker:abc blocked for more than 120 seconds.';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-replay-formats-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

let n = 0;
async function file(text: string): Promise<string> {
  const f = join(dir, `f${n++}`);
  await writeFile(f, text);
  return f;
}
/** A kmsg monitor: OOMKilling (temporary), DockerHung (permanent, KernelDeadlock), with `extra` fields. */
async function monitor(extra: object = {}): Promise<string> {
  return file(
    JSON.stringify({
      plugin: 'kmsg',
      source: 'k',
      conditions: [{ type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'ok' }],
      rules: [
        { type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ .*' },
        { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' },
      ],
      ...extra,
    }),
  );
}
/** A filelog monitor of kern.log rows (`Jan  2 03:04:05 node-1 kernel: …`), source `t` unless `fields` say. */
async function textMonitor(fields: object): Promise<string> {
  const pluginConfig = { timestamp: '^.{15}', message: 'kernel: (.*)', timestampFormat: 'Jan _2 15:04:05' };
  return file(JSON.stringify({ plugin: 'filelog', pluginConfig, logPath: '/dev/null', source: 't', ...fields }));
}
const summary = (r: ReplayResult): unknown[] => (r.files[0]?.problems ?? []).map((p) => [p.reason, p.lineNumbers, p.time.toISOString(), p.lines]);

test.each([
  ['6,1,1000000,-;hello', 'kmsg'],
  ['30,1234,5000000,-,caller=T12;systemd[1]: started', 'kmsg'],
  ['6,1,1000000;an old kernel: no flags field', 'kmsg'],
  ['\n  \n6,1,1000000,-;after blank rows', 'kmsg'],
  ['Jan  2 03:04:05 host kernel: 6,1,2,-;quoted', 'text'],
  ['6,1;too few fields', 'text'],
  ['{"MESSAGE":"x"}', 'journal-json'],
  ['\n   {"MESSAGE":"x"}', 'journal-json'],
  ['__CURSOR=s=1\nMESSAGE=x', 'journal-export'],
  ['MESSAGE=x\n__CURSOR=s=1', 'text'],
  ['', 'text'],
])('the format of %j is %s', (text, format) => {
  expect(detectFormat(text)).toBe(format);
});

test('journalctl -o export: entries numbered by their first row, µs times, messages trimmed; no time → now', async () => {
  const log = await file(
    [
      '__CURSOR=s=1',
      '__REALTIME_TIMESTAMP=1764633600000000',
      `MESSAGE=${OOM}  `,
      '_PID=1',
      '',
      '__CURSOR=s=2',
      `MESSAGE=${HUNG}`,
      '',
      '__CURSOR=s=3',
      '__REALTIME_TIMESTAMP=1764633660000000',
      'PRIORITY=6',
      '',
      '__CURSOR=s=4',
      '__REALTIME_TIMESTAMP=12abc',
      'MESSAGE=Killed process 8 (y) total-vm:1kB',
      '',
      '__CURSOR=s=5',
      '__REALTIME_TIMESTAMP=x1764633600000000',
      'MESSAGE=Killed process 9 (z) total-vm:1kB',
      '',
    ].join('\n'),
  );
  const r = await runReplay({ monitorFiles: [await monitor()], logFiles: [log], nowMs: NOW });
  expect(r.files[0]?.format).toBe('journal-export');
  expect(r.files[0]?.lines).toBe(4); // the entry without a MESSAGE is no line
  expect(summary(r)).toEqual([
    ['OOMKilling', [1], '2025-12-02T00:00:00.000Z', [OOM]],
    ['DockerHung', [6], '2026-06-01T00:00:00.000Z', [HUNG]],
    ['OOMKilling', [13], '2026-06-01T00:00:00.000Z', ['Killed process 8 (y) total-vm:1kB']],
    ['OOMKilling', [17], '2026-06-01T00:00:00.000Z', ['Killed process 9 (z) total-vm:1kB']],
  ]);
});

test('journalctl -o json: entries with a cursor keep their time; hand-written ones (MESSAGE only) are read at now; other rows skipped', async () => {
  const log = await file(
    [
      '',
      `  {"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1764633600000000","MESSAGE":"${OOM} "}`,
      'not json',
      `{"MESSAGE":"  ${HUNG}  "}`,
      '{"MESSAGE":5}',
      '{"PRIORITY":"6"}',
      '',
    ].join('\n'),
  );
  const r = await runReplay({ monitorFiles: [await monitor()], logFiles: [log], nowMs: NOW });
  expect(r.files[0]?.format).toBe('journal-json');
  expect(r.files[0]?.lines).toBe(2);
  expect(summary(r)).toEqual([
    ['OOMKilling', [2], '2025-12-02T00:00:00.000Z', [OOM]],
    ['DockerHung', [4], '2026-06-01T00:00:00.000Z', [HUNG]],
  ]);
});

test('a blank row and a first entry longer than one 64 KiB decode: the entry still tells the format, and rows keep their numbers', async () => {
  // The matcher reads the tail of an over-long message (src/monitors/rule-matcher.ts): the problem is at its end.
  const long = `${'x'.repeat(100_000)} ${OOM}`;
  const log = await file(`\n{"MESSAGE":"${long}"}\n{"MESSAGE":"${HUNG}"}\n`);
  const r = await runReplay({ monitorFiles: [await monitor()], logFiles: [log], nowMs: NOW });
  expect(r.files[0]?.format).toBe('journal-json');
  expect(r.files[0]?.problems.map((p) => [p.reason, p.lineNumbers])).toEqual([
    ['OOMKilling', [2]],
    ['DockerHung', [3]],
  ]);
});

test('kmsg: a malformed record between good ones is skipped, numbering goes on', async () => {
  const log = await file(['6,1,1000000,-;boot', 'garbage without a head', `6,2,2000000,-;${OOM}`, '', `6,3,3000000,-;${HUNG}`].join('\n'));
  const r = await runReplay({ monitorFiles: [await monitor()], logFiles: [log], nowMs: NOW });
  expect(r.files[0]?.problems.map((p) => [p.reason, p.lineNumbers])).toEqual([
    ['OOMKilling', [3]],
    ['DockerHung', [5]],
  ]);
});

test('a text file whose last row has no newline: the row still counts', async () => {
  const m = await textMonitor({ rules: [{ type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ .*' }] });
  const r = await runReplay({ monitorFiles: [m], logFiles: [await file(`Jan  2 03:04:05 node-1 kernel: noise\nJan  2 03:04:06 node-1 kernel: ${OOM}`)], nowMs: NOW });
  expect(r.files[0]?.lines).toBe(2);
  expect(r.files[0]?.problems.map((p) => p.lineNumbers)).toEqual([[2]]);
});

test('several monitors: their problems in line order; probe monitors are listed as not replayed', async () => {
  const second = await file(JSON.stringify({ plugin: 'kmsg', source: 'second', rules: [{ type: 'temporary', reason: 'Boot', pattern: 'boot' }] }));
  const log = await file(['6,1,1000000,-;nothing', `6,2,2000000,-;${OOM}`, '6,3,3000000,-;boot'].join('\n'));
  const probe = join(root, 'monitors/fd-monitor.json');
  const r = await runReplay({ monitorFiles: [second, probe, await monitor()], logFiles: [log], nowMs: NOW });
  expect(r.skippedMonitors).toEqual([probe]);
  expect(r.files[0]?.problems.map((p) => [p.monitor, p.reason, p.lineNumbers[0]])).toEqual([
    ['k', 'OOMKilling', 2],
    ['second', 'Boot', 3],
  ]);
});

test('several text monitors (each reads a piece of the file in turn): their problems still in line order', async () => {
  const one = (source: string, reason: string, pattern: string): Promise<string> => textMonitor({ source, rules: [{ type: 'temporary', reason, pattern }] });
  const monitors = [await one('late', 'Late', 'late'), await one('early', 'Early', 'early')];
  const log = await file(['Jan  2 03:04:05 node-1 kernel: early', 'Jan  2 03:04:06 node-1 kernel: late', 'Jan  2 03:04:07 node-1 kernel: early'].join('\n'));
  const r = await runReplay({ monitorFiles: monitors, logFiles: [log], nowMs: Date.parse('2026-01-02T12:00:00Z') });
  expect(r.files[0]?.problems.map((p) => [p.monitor, p.lineNumbers[0]])).toEqual([
    ['early', 1],
    ['late', 2],
    ['early', 3],
  ]);
});

test('two rules of one condition matching one line: the change is reported once; a recovery shows its condition’s default reason', async () => {
  const m = await monitor({
    conditions: [
      { type: 'Other', reason: 'NoOther', message: 'ok' },
      { type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'ok' },
    ],
    rules: [
      { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' },
      { type: 'permanent', condition: 'KernelDeadlock', reason: 'TaskBlocked', pattern: 'task \\S+ blocked for more than \\d+ seconds\\.' },
      { type: 'recovery', condition: 'KernelDeadlock', reason: 'DockerBack', pattern: 'dockerd started' },
    ],
  });
  const log = await file([`6,1,1000000,-;${HUNG}`, '6,2,2000000,-;dockerd started'].join('\n'));
  const r = await runReplay({ monitorFiles: [m], logFiles: [log], nowMs: NOW });
  expect(r.files[0]?.problems.map((p) => [p.reason, p.change && `${p.change.from}→${p.change.to}`])).toEqual([
    ['DockerHung', 'False→True'],
    ['TaskBlocked', undefined],
    ['KernelHasNoDeadlock', 'True→False'],
  ]);
});

test('an expiry due exactly at a line’s time comes before that line’s own match, with its condition’s default reason', async () => {
  const m = await monitor({
    conditions: [
      { type: 'Other', reason: 'NoOther', message: 'ok' },
      { type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'ok', expireAfter: '1m' },
    ],
  });
  const log = await file([`6,1,1000000,-;${HUNG}`, `6,2,61000000,-;${HUNG}`].join('\n'));
  const r = await runReplay({ monitorFiles: [m], logFiles: [log], nowMs: NOW });
  expect(r.files[0]?.problems.map((p) => [p.reason, p.rule?.type ?? 'expired', p.change && `${p.change.type} ${p.change.from}→${p.change.to}`])).toEqual([
    ['DockerHung', 'permanent', 'KernelDeadlock False→True'],
    ['KernelHasNoDeadlock', 'expired', 'KernelDeadlock True→False'],
    ['DockerHung', 'permanent', 'KernelDeadlock False→True'],
  ]);
});

test('a text monitor whose condition expires sees the expiry on a line that matches no rule', async () => {
  const m = await textMonitor({
    conditions: [
      { type: 'Other', reason: 'NoOther', message: 'ok' },
      { type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'ok', expireAfter: '1m' },
    ],
    rules: [{ type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked' }],
  });
  const log = await file(['Jan  2 03:04:05 node-1 kernel: task docker:a blocked', 'Jan  2 03:06:00 node-1 kernel: quiet', 'Jan  2 03:09:00 node-1 kernel: quiet again'].join('\n'));
  const r = await runReplay({ monitorFiles: [m], logFiles: [log], nowMs: Date.parse('2026-01-02T12:00:00Z') });
  expect(r.files[0]?.problems.map((p) => [p.reason, p.time.toISOString()])).toEqual([
    ['DockerHung', '2026-01-02T03:04:05.000Z'],
    ['KernelHasNoDeadlock', '2026-01-02T03:06:00.000Z'],
  ]);
});

test('a counting condition clears on a line that matches no rule', async () => {
  const m = await textMonitor({
    conditions: [{ type: 'Flapping', reason: 'NotFlapping', message: 'ok' }],
    rules: [{ type: 'permanent', condition: 'Flapping', reason: 'LinkFlapping', pattern: 'link down', count: 2, window: '1m' }],
  });
  const log = await file(['Jan  2 03:04:05 node-1 kernel: link down', 'Jan  2 03:04:10 node-1 kernel: link down', 'Jan  2 03:09:00 node-1 kernel: quiet'].join('\n'));
  const r = await runReplay({ monitorFiles: [m], logFiles: [log], nowMs: Date.parse('2026-01-02T12:00:00Z') });
  expect(r.files[0]?.problems.map((p) => [p.reason, p.change?.to, p.time.toISOString()])).toEqual([
    ['LinkFlapping', 'True', '2026-01-02T03:04:10.000Z'],
    ['NotFlapping', 'False', '2026-01-02T03:09:00.000Z'],
  ]);
});

test('lines a monitor’s parser cannot read are counted for that monitor', async () => {
  const m = await textMonitor({
    source: 'strict',
    rules: [{ type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ .*' }],
  });
  const log = await file([`Jan  2 03:04:05 node-1 kernel: ${OOM}`, `not a time at all: ${OOM}`, `Jan  2 03:04:06 node-1 kernel: ${OOM}`].join('\n'));
  const r = await runReplay({ monitorFiles: [m], logFiles: [log], nowMs: Date.parse('2026-01-02T12:00:00Z') });
  expect(r.files[0]?.unparsable).toEqual({ strict: 1 });
  expect(r.files[0]?.problems.map((p) => p.lineNumbers[0])).toEqual([1, 3]);
});

test('a match over several rows numbers each of its rows', async () => {
  const m = await file(JSON.stringify({ plugin: 'kmsg', source: 'k', bufferSize: 3, rules: [{ type: 'temporary', reason: 'Pair', pattern: 'start(?s:.*)end' }] }));
  const log = await file(['6,1,1000000,-;start', '6,2,2000000,-;middle', '6,3,3000000,-;end'].join('\n'));
  const r = await runReplay({ monitorFiles: [m], logFiles: [log], nowMs: NOW });
  expect(r.files[0]?.problems.map((p) => [p.lines, p.lineNumbers])).toEqual([[['start', 'middle', 'end'], [1, 2, 3]]]);
});

test('with the kubelet’s log directories, each OOM kill names its pod (in-process)', async () => {
  const r = await runReplay({
    monitorFiles: [join(root, 'monitors/kernel-monitor.json')],
    logFiles: [oomFixture('kmsg-burst-derived.log')],
    pods: { podsLogDir: fixturePodsLogDir, containersLogDir: fixtureContainersLogDir },
  });
  const attributed = (r.files[0]?.problems ?? []).map((p) => [p.reason, p.attribution]);
  expect(attributed).toEqual([
    ['OOMKilling', [
      'OOMKilling on the node: Memory cgroup out of memory: Killed process 461754 (pt_main_thread) total-vm:9805644kB, anon-rss:4194304kB, file-rss:1024kB, shmem-rss:0kB, UID:0 pgtables:8440kB oom_score_adj:999; namespace: ml, pod: trainer-0, container: pytorch',
      'PodOOMKilling on pod ml/trainer-0: OOM killer killed process pt_main_thread (pid 461754) in container "pytorch": the pod reached its memory limit (the sum of its containers\' limits).',
    ]],
    ['OOMKilling', [
      'OOMKilling on the node: Memory cgroup out of memory: Killed process 966 (manager) total-vm:834776kB, anon-rss:100100kB, file-rss:33900kB, shmem-rss:0kB, UID:0 pgtables:400kB oom_score_adj:999; namespace: kube-system, pod: metrics-server-5f9f776df5-x7k2p, container: metrics-server',
      'PodOOMKilling on pod kube-system/metrics-server-5f9f776df5-x7k2p: OOM killer killed process manager (pid 966) in container "metrics-server": the pod reached its memory limit (the sum of its containers\' limits).',
    ]],
    ['OOMKilling', [
      'OOMKilling on the node: Killed process 62769 (cp) total-vm:17528kB, anon-rss:1644kB, file-rss:0kB, shmem-rss:0kB; namespace: kubedirector, pod: spark-controller-0, container: app-init',
      'PodOOMKilling on pod kubedirector/spark-controller-0: OOM killer killed process cp (pid 62769) in container "app-init": the container reached its memory limit.',
    ]],
    // A kill of a process in no pod: the Node's event as it was.
    ['OOMKilling', ['OOMKilling on the node: Killed process 7134 (java) total-vm:20255636kB, anon-rss:466160kB, file-rss:13684kB']],
  ]);
  // Directories that do not exist: no attribution, the problems alone.
  const none = await runReplay({
    monitorFiles: [join(root, 'monitors/kernel-monitor.json')],
    logFiles: [oomFixture('kmsg-burst-derived.log')],
    pods: { podsLogDir: join(dir, 'none'), containersLogDir: join(dir, 'none') },
  });
  expect(none.files[0]?.problems.map((p) => p.reason)).toEqual(r.files[0]?.problems.map((p) => p.reason));
  expect(none.files[0]?.problems.some((p) => p.attribution !== undefined)).toBe(false);
});

test('a log path that is a directory is a configuration error naming it', async () => {
  const sub = join(dir, 'logs');
  await mkdir(sub);
  await expect(runReplay({ monitorFiles: [await monitor()], logFiles: [sub] })).rejects.toThrow(`${sub}: cannot read log file: is a directory, not a log file`);
  await expect(runReplay({ monitorFiles: [await monitor()], logFiles: [join(dir, 'nope')] })).rejects.toThrow(`${join(dir, 'nope')}: cannot read log file: no such file`);
});

test('the printed report', () => {
  const time = new Date('2026-06-01T00:00:00Z');
  const long = 'y'.repeat(301);
  const result: ReplayResult = {
    skippedMonitors: ['/m/fd.json', '/m/pid.json'],
    files: [
      { file: '/l/quiet.log', format: 'text', lines: 1, unparsable: {}, problems: [] },
      {
        file: '/l/kern.log',
        format: 'kmsg',
        lines: 12,
        unparsable: { a: 2, b: 1 },
        problems: [
          { monitor: 'k', rule: { index: 1, type: 'permanent', pattern: 'a"b' }, reason: 'DockerHung', change: { type: 'KernelDeadlock', from: 'False', to: 'True' }, time, lines: ['x'.repeat(300), long], lineNumbers: [3] },
          { monitor: 'k', rule: undefined, reason: 'KernelHasNoDeadlock', change: { type: 'KernelDeadlock', from: 'True', to: 'False' }, time, lines: [], lineNumbers: [] },
          { monitor: 'k', rule: { index: 0, type: 'temporary', pattern: 'oom' }, reason: 'OOMKilling', change: undefined, time, lines: ['oom'], lineNumbers: [9], attribution: ['PodOOMKilling on pod a/b: x', 'OOMKilling on the node: y'] },
        ],
      },
    ],
  };
  expect(formatReplay(result).split('\n')).toEqual([
    '/l/quiet.log (text, 1 line): no problems',
    '/l/kern.log (kmsg, 12 lines, 2 unparsable for a, 1 unparsable for b): 3 problems',
    '  2026-06-01T00:00:00.000Z k: DockerHung — KernelDeadlock False → True',
    '    rule: rules[1] permanent "a\\"b"',
    `    line 3: ${'x'.repeat(300)}`,
    `    line ?: ${'y'.repeat(300)}…`,
    '  2026-06-01T00:00:00.000Z k: KernelHasNoDeadlock — KernelDeadlock True → False',
    '    rule: none: expired (expireAfter, or a count fell below its threshold)',
    '  2026-06-01T00:00:00.000Z k: OOMKilling',
    '    rule: rules[0] temporary "oom"',
    '    line 9: oom',
    '    → PodOOMKilling on pod a/b: x',
    '    → OOMKilling on the node: y',
    'not replayed (probe monitors): /m/fd.json, /m/pid.json',
    '3 problems in 2 files',
    '',
  ]);
});
