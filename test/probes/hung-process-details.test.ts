/**
 * hung-process beyond the fixture of three: many hung processes, the wait channel's fallbacks, a
 * thread id taken over by another process, the messages of a healthy round, the options' defaults.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { createPodDirectory } from '../../src/pods/pod-directory.js';
import { globMatcher } from '../../src/probes/hung-process.js';
import type { ProbeResult } from '../../src/probes/probe.js';
import { probeRegistry } from '../../src/probes/registry.js';
import { fixtureContainersLogDir, fixturePodsLogDir } from '../pods/oom-fixtures.js';
import { createTestContext, procFixture } from './probe-context.js';

const where = { file: 'm.json', field: 'rules[0].options' };

/** A /proc of its own: `thread(pid, tid, comm, state, wchan?)` writes a thread (the main one when tid = pid). */
function fakeProc() {
  const root = mkdtempSync(join(tmpdir(), 'npd-hung-'));
  const thread = (pid: number, tid: number, comm: string, state: string, wchan?: string): void => {
    const dir = join(root, String(pid), 'task', String(tid));
    mkdirSync(dir, { recursive: true });
    const stat = `${tid} (${comm}) ${state} 1 ${pid} ${pid} 0 -1 4194304 0 0 0 0\n`;
    writeFileSync(join(dir, 'stat'), stat);
    if (tid === pid) writeFileSync(join(root, String(pid), 'stat'), stat);
    if (wchan !== undefined) writeFileSync(join(dir, 'wchan'), wchan);
  };
  return { root, thread, remove: (pid: number) => rmSync(join(root, String(pid)), { recursive: true }) };
}

/** A check of `probe` over `root`; each call runs a round `ms` after the previous one. */
function rounds(probe: 'hung-process' | 'csi-hung-process', root: string, options: Record<string, unknown> = {}, withPods = false) {
  const clock = createManualClock();
  const pods = withPods ? createPodDirectory({ podsLogDir: fixturePodsLogDir, containersLogDir: fixtureContainersLogDir }) : undefined;
  const check = probeRegistry[probe](options, createTestContext({ procRoot: root, clock, pods }), where);
  return async (ms: number): Promise<ProbeResult> => {
    await clock.advance(ms);
    return check(new AbortController().signal);
  };
}

test('more than five hung processes: the five lowest pids, then how many more', async () => {
  const proc = fakeProc();
  for (const pid of [107, 101, 106, 103, 105, 102, 104]) proc.thread(pid, pid, `w${pid}`, 'D', 'io_schedule');
  const round = rounds('hung-process', proc.root, { minDuration: '1m', rounds: 2 });
  await round(0);
  const r = await round(60_000);
  expect(r.message).toBe(`${[101, 102, 103, 104, 105].map((p) => `process w${p} (pid ${p}) in uninterruptible sleep (D) for at least 1m, waiting in io_schedule`).join('; ')}; and 2 more`);
  expect(r.podEvents).toEqual([]); // no cgroup file: in no pod
});

test('the wait channel: the thread\'s, else the process\'s; 0 or empty is unknown', async () => {
  const proc = fakeProc();
  proc.thread(10, 10, 'a', 'D');
  writeFileSync(join(proc.root, '10', 'wchan'), 'process_level_wait\n');
  proc.thread(20, 20, 'b', 'D', '0');
  proc.thread(30, 30, 'c', 'D', '');
  proc.thread(35, 35, 'e', 'D'); // no wchan file at all
  proc.thread(40, 40, 'd', 'S');
  proc.thread(40, 41, 'd', 'D', 'thread_wait');
  const round = rounds('hung-process', proc.root, { minDuration: '1m', rounds: 2 });
  await round(0);
  expect((await round(60_000)).message.split('; ')).toEqual([
    'process a (pid 10) in uninterruptible sleep (D) for at least 1m, waiting in process_level_wait',
    'process b (pid 20) in uninterruptible sleep (D) for at least 1m, wait channel unknown',
    'process c (pid 30) in uninterruptible sleep (D) for at least 1m, wait channel unknown',
    'process e (pid 35) in uninterruptible sleep (D) for at least 1m, wait channel unknown',
    'process d (pid 40, thread 41) in uninterruptible sleep (D) for at least 1m, waiting in thread_wait',
  ]);
});

test('a thread id now in another process starts over; a thread gone is forgotten', async () => {
  const proc = fakeProc();
  proc.thread(50, 50, 'old', 'D', 'x');
  const round = rounds('hung-process', proc.root, { minDuration: '1m', rounds: 2 });
  await round(0);
  proc.remove(50);
  proc.thread(60, 60, 'new', 'S');
  proc.thread(60, 50, 'new', 'D', 'x'); // tid 50 reused by pid 60
  expect((await round(60_000)).status).toBe('ok');
  expect((await round(60_000)).message).toBe('process new (pid 60, thread 50) in uninterruptible sleep (D) for at least 1m, waiting in x');
  proc.remove(60);
  proc.thread(70, 70, 'idle', 'S');
  expect((await round(60_000)).status).toBe('ok');
  proc.thread(70, 50, 'idle', 'D', 'x'); // back in D after a round away: one round only
  expect((await round(60_000)).status).toBe('ok');
});

test('a healthy round says what was looked for, with the defaults: 3 rounds over 2 minutes', async () => {
  const proc = fakeProc();
  proc.thread(80, 80, 'csi-node', 'D', 'x');
  const any = rounds('hung-process', proc.root);
  const csi = rounds('csi-hung-process', proc.root);
  expect((await any(0)).message).toBe('no process in uninterruptible sleep (D) for 2m');
  expect((await csi(0)).message).toBe('no process matching *csi*, *diskplugin*, *nasplugin*, *ossplugin* in uninterruptible sleep (D) for 2m');
  await any(60_000);
  expect((await any(59_999)).status).toBe('ok'); // 3 rounds, 1 ms short of 2 minutes
  expect((await any(1)).status).toBe('problem');
  const fresh = rounds('hung-process', proc.root);
  await fresh(0);
  expect((await fresh(120_000)).status).toBe('ok'); // 2 minutes, but 2 rounds of the default 3
  const two = rounds('hung-process', proc.root, { rounds: 2 });
  await two(0);
  expect((await two(120_000)).status).toBe('problem');
});

test('rounds are 2–100', () => {
  const ctx = createTestContext();
  expect(() => probeRegistry['hung-process']({ rounds: 100 }, ctx, where)).not.toThrow();
  expect(() => probeRegistry['hung-process']({ rounds: 101 }, ctx, where)).toThrow('hung-process.rounds must be an integer 2–100, got 101');
  expect(() => probeRegistry['hung-process']({ rounds: 1 }, ctx, where)).toThrow('hung-process.rounds must be an integer 2–100, got 1');
});

test('the pod of a hung process: the pod\'s own cgroup, an unknown container, an unknown pod, no pod directory', async () => {
  const proc = fakeProc();
  const podCgroup = '0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7c5e0f7a_9d2b_4c1e_8f3a_2b6d4e8a1c90.slice';
  const unknownContainer = `${podCgroup}/cri-containerd-${'ab'.repeat(32)}.scope`;
  const unknownPod = '0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod11111111_2222_3333_4444_555555555555.slice';
  for (const [pid, cgroup] of [[91, podCgroup], [92, unknownContainer], [93, unknownPod]] as const) {
    proc.thread(pid, pid, `p${pid}`, 'D', 'x');
    writeFileSync(join(proc.root, String(pid), 'cgroup'), `${cgroup}\n`);
  }
  const round = rounds('hung-process', proc.root, { minDuration: '1m', rounds: 2 }, true);
  await round(0);
  const r = await round(60_000);
  const base = (pid: number): string => `process p${pid} (pid ${pid}) in uninterruptible sleep (D) for at least 1m, waiting in x`;
  expect(r.message.split('; ')).toEqual([
    base(91), 'namespace: kube-system, pod: csi-plugin-8xk2d, container: ',
    base(92), 'namespace: kube-system, pod: csi-plugin-8xk2d, container: abababababab',
    base(93),
  ]);
  expect(r.podEvents?.map((e) => e.message.split(':')[0])).toEqual(['process in the pod', 'process in container "abababababab"']);
  const noPods = rounds('hung-process', procFixture('hung-d-state'));
  await noPods(0);
  await noPods(60_000);
  const plain = await noPods(60_000);
  expect(plain.message).toContain('process dd (pid 5151) in uninterruptible sleep (D) for at least 2m, waiting in blk_mq_get_tag');
  expect(plain.message).not.toContain('namespace');
  expect(plain.podEvents).toEqual([]);
});

test('a proc that cannot be read is unknown; csi-hung-process takes names and names itself in errors', async () => {
  expect((await rounds('hung-process', join(tmpdir(), 'npd-no-such-proc'))(0)).cause).toBe('NoData');
  const proc = fakeProc();
  proc.thread(5, 5, 'dd', 'D', 'x');
  const dd = rounds('csi-hung-process', proc.root, { names: ['d*'], rounds: 2, minDuration: '1m' });
  await dd(0);
  expect((await dd(60_000)).status).toBe('problem');
  expect(() => probeRegistry['csi-hung-process']({ rounds: 1 }, createTestContext(), where)).toThrow('csi-hung-process.rounds must be an integer 2–100, got 1');
  expect(globMatcher(['a.b(c)'])('a.b(c)')).toBe(true); // regex characters of a glob are literal
  expect(globMatcher(['a.b'])('axb')).toBe(false);
});
