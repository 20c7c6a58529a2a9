import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { createPodDirectory } from '../../src/pods/pod-directory.js';
import { globMatcher } from '../../src/probes/hung-process.js';
import type { Check, ProbeResult, ProcTable, ProcTableSource } from '../../src/probes/probe.js';
import { createProcTableSource, parseStat } from '../../src/probes/proc-table.js';
import { probeRegistry } from '../../src/probes/registry.js';
import { fixtureContainersLogDir, fixturePodsLogDir } from '../pods/oom-fixtures.js';
import { createTestContext, procFixture } from './probe-context.js';

const where = { file: 'm.json', field: 'rules[0].options' };
const pods = createPodDirectory({ podsLogDir: fixturePodsLogDir, containersLogDir: fixtureContainersLogDir });

/** A check over a /proc tree, and a function that runs one round `ms` after the previous one. */
function rounds(probe: 'hung-process' | 'csi-hung-process', proc: string, options: Record<string, unknown> = {}) {
  const clock = createManualClock();
  const ctx = createTestContext({ procRoot: proc, clock, pods });
  const check: Check = probeRegistry[probe](options, ctx, where);
  return async (advanceMs: number): Promise<ProbeResult> => {
    await clock.advance(advanceMs);
    return check(new AbortController().signal);
  };
}

describe('PSProcessIsHung: threads in D over several rounds spanning the minimum time', () => {
  test('three rounds over 2 minutes: the hung processes with pid, thread, wait channel, pod and container', async () => {
    const round = rounds('hung-process', procFixture('hung-d-state'));
    expect((await round(0)).status).toBe('ok');
    expect((await round(60_000)).status).toBe('ok'); // 2 rounds, 1 minute
    const r = await round(60_000);
    expect(r.status).toBe('problem');
    expect(r.message).toBe([
      'process kworker/u8:2 (pid 777) in uninterruptible sleep (D) for at least 2m, wait channel unknown',
      'process plugin.csi.alib (pid 4242, thread 4250) in uninterruptible sleep (D) for at least 2m, waiting in nfs_wait_bit_killable; namespace: kube-system, pod: csi-plugin-8xk2d, container: csi-plugin',
      // Seen through a cgroup namespace (`/../../kubepods-…`): still attributed.
      'process dd (pid 5151) in uninterruptible sleep (D) for at least 2m, waiting in blk_mq_get_tag; namespace: ml, pod: trainer-0, container: pytorch',
    ].join('; '));
    expect(r.podEvents).toEqual([
      { pod: { namespace: 'kube-system', name: 'csi-plugin-8xk2d', uid: '7c5e0f7a-9d2b-4c1e-8f3a-2b6d4e8a1c90' }, message: 'process in container "csi-plugin": plugin.csi.alib (pid 4242, thread 4250) in uninterruptible sleep (D) for at least 2m, waiting in nfs_wait_bit_killable. It cannot be killed until the kernel call returns (often storage: a disk, NFS or CSI volume).' },
      { pod: { namespace: 'ml', name: 'trainer-0', uid: 'eded8c65-6e8e-4c6e-a889-3e427565c740' }, message: 'process in container "pytorch": dd (pid 5151) in uninterruptible sleep (D) for at least 2m, waiting in blk_mq_get_tag. It cannot be killed until the kernel call returns (often storage: a disk, NFS or CSI volume).' },
    ]);
    // Still hung next round: the same message, so the event correlator counts it instead of a new Event.
    expect((await round(30_000)).message).toBe(r.message);
  });

  test('enough rounds but not enough time, or enough time but too few rounds, is not hung', async () => {
    const quick = rounds('hung-process', procFixture('hung-d-state'));
    for (let i = 0; i < 5; i++) expect((await quick(10_000)).status).toBe('ok');
    const slow = rounds('hung-process', procFixture('hung-d-state'), { rounds: 3 });
    await slow(0);
    expect((await slow(600_000)).status).toBe('ok'); // 10 minutes, but only 2 rounds
  });

  test('a thread that leaves D starts over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npd-hung-'));
    cpSync(procFixture('hung-d-state'), dir, { recursive: true });
    const round = rounds('hung-process', dir, { minDuration: '1m', rounds: 2 });
    await round(0);
    writeFileSync(join(dir, '5151/stat'), '5151 (dd) S 5100 5151 5100 0 -1 4194304 0 0 0 0\n');
    writeFileSync(join(dir, '5151/task/5151/stat'), '5151 (dd) S 5100 5151 5100 0 -1 4194304 0 0 0 0\n');
    expect((await round(60_000)).message).not.toContain('pid 5151');
    writeFileSync(join(dir, '5151/stat'), '5151 (dd) D 5100 5151 5100 0 -1 4194304 0 0 0 0\n');
    writeFileSync(join(dir, '5151/task/5151/stat'), '5151 (dd) D 5100 5151 5100 0 -1 4194304 0 0 0 0\n');
    expect((await round(60_000)).message).not.toContain('pid 5151'); // back in D: one round only
    expect((await round(60_000)).message).toContain('pid 5151');
  });
});

describe('CSIProcessIsHung: only CSI drivers', () => {
  test('default names pick the CSI plugin, not dd or the kworker', async () => {
    const round = rounds('csi-hung-process', procFixture('hung-d-state'));
    await round(0);
    await round(60_000);
    const r = await round(60_000);
    expect(r.status).toBe('problem');
    expect(r.message).toMatch(/^process plugin\.csi\.alib \(pid 4242, thread 4250\).*container: csi-plugin$/);
    expect(r.podEvents?.map((e) => e.pod.name)).toEqual(['csi-plugin-8xk2d']);
  });

  test('names are globs on comm, case-insensitive; bad options name the field', () => {
    const csi = globMatcher(['*csi*', 'diskplugin']);
    expect(['plugin.csi.alib', 'ebs-CSI-node', 'diskplugin'].map(csi)).toEqual([true, true, true]);
    expect(['dd', 'diskplugin2', 'kworker/u8:2'].map(csi)).toEqual([false, false, false]);
    expect(() => probeRegistry['csi-hung-process']({ rounds: 1 }, createTestContext(), where)).toThrow(/rounds/);
    expect(() => probeRegistry['hung-process']({ names: ['x'] }, createTestContext(), where)).toThrow(/names/);
  });
});

describe('the shared /proc pass', () => {
  test('stat parsing keeps comm with spaces and parentheses', () => {
    expect(parseStat('12 (a (b) c) D 1 2')).toEqual({ comm: 'a (b) c', state: 'D' });
    expect(parseStat('garbage')).toBeUndefined();
  });

  test('one table per round: the process, ntp and hung probes of a round share one pass', async () => {
    const clock = createManualClock();
    let passes = 0;
    const inner = createProcTableSource(procFixture('hung-d-state'), clock, 5000);
    // Counts distinct tables handed out (the same object within reuseMs means no new pass).
    const seen = new Set<ProcTable>();
    const counting: ProcTableSource = {
      async table() {
        const t = await inner.table();
        if (!seen.has(t)) (seen.add(t), passes++);
        return t;
      },
    };
    const ctx = createTestContext({ procRoot: procFixture('hung-d-state'), clock, procTable: counting });
    const checks = [probeRegistry.process({ names: ['systemd'] }, ctx, where), probeRegistry.ntp({}, ctx, where), probeRegistry['hung-process']({}, ctx, where)];
    const results = await Promise.all(checks.map((c) => c(new AbortController().signal)));
    expect(results.map((r) => r.status)).toEqual(['ok', 'problem', 'ok']);
    expect(results[0]!.message).toBe('systemd is running (pid 1)');
    expect(passes).toBe(1);
    await clock.advance(30_000);
    await Promise.all(checks.map((c) => c(new AbortController().signal)));
    expect(passes).toBe(2);
  });
});
