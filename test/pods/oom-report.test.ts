import { readFileSync } from 'node:fs';
import { parseKmsgRecord } from '../../src/sources/kmsg-parser.js';
import { createOomReportTracker, maxPending, oomReportLiterals, type OomKill } from '../../src/pods/oom-report.js';
import { corpusOomKill, oomFixture, oomLines } from './oom-fixtures.js';

const kills = (messages: readonly string[]): OomKill[] => {
  const t = createOomReportTracker();
  return messages.flatMap((m) => t.push(m) ?? []);
};

const kmsgMessages = (file: string): string[] =>
  readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => parseKmsgRecord(l, 0)!.line.message);

describe('joining the records of OOM reports', () => {
  test('a burst of reports: each kill gets its own report, whatever the order of the kill lines', () => {
    const got = kills(kmsgMessages(oomFixture('kmsg-burst-derived.log')));
    expect(got).toEqual([
      {
        pid: 461754, comm: 'pt_main_thread', constraint: 'memcg',
        taskMemcg: '/lxc.payload.ny2g2r5hh3-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice/cri-containerd-ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95.scope',
        oomMemcg: '/lxc.payload....-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice',
      },
      {
        pid: 966, comm: 'manager', constraint: 'memcg',
        taskMemcg: '/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012/ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8',
        oomMemcg: '/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012',
      },
      {
        // Old kernel: the child 62769 of the chosen 62685 is killed; the Task in line has no pid.
        pid: 62769, comm: 'cp', constraint: 'memcg',
        taskMemcg: '/kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9',
        oomMemcg: '/kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9',
      },
      // A global OOM of an old kernel names no cgroup and must not inherit the previous report's.
      { pid: 7134, comm: 'java', constraint: 'none', taskMemcg: undefined, oomMemcg: undefined },
    ]);
  });

  test('CONSTRAINT_NONE with global_oom (install-docker #14): node scope, no limit cgroup', () => {
    const [line] = oomLines('oom-kill-global-system-slice-install-docker14.txt');
    const got = kills([line!, 'Out of memory: Killed process 7134 (java) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1kB oom_score_adj:0']);
    expect(got).toEqual([{ pid: 7134, comm: 'java', constraint: 'none', oomMemcg: undefined, taskMemcg: '/system.slice/docker-00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12.scope' }]);
  });

  test('real old-kernel kill lines with no cgroup line: memcg verdict, comm with brackets (k8s #56891, cri-o #1975)', () => {
    expect(kills(oomLines('kill-sacrifice-child-k8s56891.txt'))).toEqual([{ pid: 28438, comm: 'java', constraint: 'memcg', taskMemcg: undefined, oomMemcg: undefined }]);
    expect(kills(oomLines('kill-runc-init-crio1975.txt'))).toEqual([{ pid: 387951, comm: 'runc:[2:INIT]', constraint: 'memcg', taskMemcg: undefined, oomMemcg: undefined }]);
  });

  test('a kill line without any report is unknown; the oom-kill line of another pid is not used', () => {
    expect(kills([corpusOomKill.cgroupfsBurstable, 'Killed process 1 (init) total-vm:1kB, anon-rss:1kB, file-rss:1kB'])).toEqual([
      { pid: 1, comm: 'init', constraint: 'unknown', taskMemcg: undefined, oomMemcg: undefined },
    ]);
  });

  test('a Task in line is forgotten when the next report begins', () => {
    const [taskIn] = oomLines('task-in-systemd-docker-istio42734.txt');
    const got = kills([taskIn!, 'sh invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0', 'Killed process 77 (sh) total-vm:1kB, anon-rss:1kB, file-rss:1kB']);
    expect(got[0]?.taskMemcg).toBeUndefined();
  });

  test('reports that never get a kill line are bounded', () => {
    const t = createOomReportTracker();
    const line = (pid: number): string => corpusOomKill.cgroupfsBurstable.replace('pid=966', `pid=${pid}`);
    for (let pid = 1; pid <= maxPending + 10; pid++) t.push(line(pid));
    // The oldest were dropped; the newest still join.
    expect(t.push('Killed process 1 (manager) total-vm:1kB, anon-rss:1kB, file-rss:1kB')?.taskMemcg).toBeUndefined();
    expect(t.push(`Killed process ${maxPending + 10} (manager) total-vm:1kB, anon-rss:1kB, file-rss:1kB`)?.taskMemcg).toContain('podfbdfe8e3');
  });

  test('ordinary kernel lines pass through without a kill', () => {
    expect(kills(['IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready', 'oom_reaper: reaped process 387951 (runc:[2:INIT]), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB', ''])).toEqual([]);
  });

  test('the other constraints, and one this tracker does not know', () => {
    const line = (constraint: string, pid: number): string => corpusOomKill.cgroupfsBurstable.replace('CONSTRAINT_MEMCG', constraint).replace('pid=966', `pid=${pid}`);
    const got = kills([line('CONSTRAINT_CPUSET', 1), line('CONSTRAINT_MEMORY_POLICY', 2), line('CONSTRAINT_NEW', 3), ...[1, 2, 3].map((p) => `Killed process ${p} (manager) total-vm:1kB`)]);
    expect(got.map((k) => [k.pid, k.constraint])).toEqual([[1, 'cpuset'], [2, 'memory-policy'], [3, 'unknown']]);
  });

  test('lines cut short (a dmesg copy wrapped at 80 columns): the pid at the end still joins; a cut oom-kill line is no report', () => {
    const cutAtPid = corpusOomKill.cgroupfsBurstable.replace(/,uid=\d+$/, '');
    expect(kills([cutAtPid, 'Killed process 966 (manager)'])).toEqual([
      { pid: 966, comm: 'manager', constraint: 'memcg', oomMemcg: '/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012', taskMemcg: expect.stringContaining('/ef807430') },
    ]);
    const cutBeforeTask = corpusOomKill.cgroupfsBurstable.slice(0, 80);
    const cutBeforeConstraint = 'oom-kill:constrai';
    expect(kills([cutBeforeTask, cutBeforeConstraint, 'Killed process 966 (manager) total-vm:1kB'])).toEqual([
      { pid: 966, comm: 'manager', constraint: 'unknown', taskMemcg: undefined, oomMemcg: undefined },
    ]);
  });

  test('the RHEL 6 kill line (pid, UID, then the comm)', () => {
    const rhel6 = 'Killed process 11726, UID 498, (mysqld) total-vm:1474924kB, anon-rss:763564kB, file-rss:148kB';
    expect(kills(['Out of memory: Kill process 11726 (mysqld) score 912 or sacrifice child', rhel6])).toEqual([
      { pid: 11726, comm: 'mysqld', constraint: 'none', taskMemcg: undefined, oomMemcg: undefined },
    ]);
  });

  test('a line that mentions "Out of memory" without a verdict leaves the verdict alone', () => {
    const [verdict, killed] = oomLines('kill-sacrifice-child-k8s56891.txt');
    expect(kills([verdict!, 'Out of memory and no killable processes...', killed!])[0]?.constraint).toBe('memcg');
  });

  test('a report is used by one kill: a later kill of the same pid (reused) has none', () => {
    const got = kills([corpusOomKill.cgroupfsBurstable, 'Killed process 966 (manager) total-vm:1kB', 'Out of memory: Killed process 966 (manager) total-vm:1kB']);
    expect(got.map((k) => [k.constraint, k.taskMemcg === undefined])).toEqual([['memcg', false], ['none', true]]);
  });

  test('exactly maxPending waiting reports all join; a pid reported again counts as the newest', () => {
    const line = (pid: number): string => corpusOomKill.cgroupfsBurstable.replace('pid=966', `pid=${pid}`);
    const full = createOomReportTracker();
    for (let pid = 1; pid <= maxPending; pid++) full.push(line(pid));
    expect(full.push('Killed process 1 (manager)')?.taskMemcg).toBeDefined();

    const again = createOomReportTracker();
    for (let pid = 1; pid <= maxPending; pid++) again.push(line(pid));
    again.push(line(1));
    again.push(line(maxPending + 1)); // drops the oldest: pid 2, not pid 1
    expect(again.push('Killed process 1 (manager)')?.taskMemcg).toBeDefined();
    expect(again.push('Killed process 2 (manager)')?.taskMemcg).toBeUndefined();
  });

  test('a source may leave out the lines without a literal: the same kills, and the ordinary lines left out', () => {
    const ordinary = [
      'Memory cgroup stats for /kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012:',
      '[    966]     0   966   208694    25000   1000000        0           999 manager',
      'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready',
    ];
    const report = kmsgMessages(oomFixture('kmsg-burst-derived.log'));
    const all = report.flatMap((m) => [m, ...ordinary]);
    const kept = all.filter((m) => oomReportLiterals.some((l) => m.includes(l)));
    expect(kept).toEqual(report);
    expect(kills(kept)).toEqual(kills(all));
    expect(kills(kept)).toHaveLength(4);
  });
});

