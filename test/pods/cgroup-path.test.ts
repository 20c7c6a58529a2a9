import { displayCgroup, parsePodCgroup } from '../../src/pods/cgroup-path.js';
import { corpusOomKill, oomLines } from './oom-fixtures.js';

/** The path after `key=` in an `oom-kill:` line, or the first path of a `Task in` line. */
const field = (line: string, key: string): string => new RegExp(`${key}=([^,]*)`).exec(line)![1]!;
const taskIn = (line: string): [string, string] => {
  const m = /Task in (\S+) killed as a result of limit of (\S+)/.exec(line)!;
  return [m[1]!, m[2]!];
};

describe('parsePodCgroup on real lines, one per layout', () => {
  test('cgroupfs Burstable, cgroup v1 (cadvisor #2417)', () => {
    const line = corpusOomKill.cgroupfsBurstable;
    expect(parsePodCgroup(field(line, 'task_memcg'))).toEqual({
      podUid: 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012', containerId: 'ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8', runtime: undefined, qos: 'burstable',
    });
    expect(parsePodCgroup(field(line, 'oom_memcg'))).toEqual({ podUid: 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012', containerId: undefined, runtime: undefined, qos: 'burstable' });
  });

  test('LXC-nested systemd with cri-containerd, cgroup v2 (gpud #70)', () => {
    const line = corpusOomKill.lxcSystemdContainerd;
    expect(parsePodCgroup(field(line, 'task_memcg'))).toEqual({
      podUid: 'eded8c65-6e8e-4c6e-a889-3e427565c740', containerId: 'ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95', runtime: 'cri-containerd', qos: 'burstable',
    });
    // The author elided part of the LXC name in oom_memcg; the pod is still found.
    expect(parsePodCgroup(field(line, 'oom_memcg'))?.containerId).toBeUndefined();
    expect(parsePodCgroup(field(line, 'oom_memcg'))?.podUid).toBe('eded8c65-6e8e-4c6e-a889-3e427565c740');
  });

  test('cgroupfs Guaranteed (kubedirector #356, Task in form)', () => {
    const [task, limit] = taskIn(oomLines('task-in-cgroupfs-guaranteed-kubedirector356.txt')[0]!);
    expect(parsePodCgroup(task)).toMatchObject({ podUid: '951f6bc5-c5a5-11ea-8707-80e455f266a2', containerId: '024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9', qos: 'guaranteed' });
    expect(parsePodCgroup(limit)?.containerId).toBe('024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9');
  });

  test('systemd with docker scopes, cgroup v1 (istio #42734)', () => {
    const [task] = taskIn(oomLines('task-in-systemd-docker-istio42734.txt')[0]!);
    expect(parsePodCgroup(task)).toEqual({
      podUid: '0330b2c1-a15b-4cdd-b5e5-72d4a90bee82', containerId: 'b27201334a41cd0749d053b18378d7ea65617b8e26277197ea25c974da1a5a8a', runtime: 'docker', qos: 'burstable',
    });
  });

  test('systemd with cri-containerd, cgroup v2, no prefix (efs-csi #1218)', () => {
    const path = /stats for (\S+):/.exec(oomLines('stats-systemd-containerd-v2-efs1218.txt')[0]!)![1]!;
    expect(parsePodCgroup(path)).toMatchObject({ podUid: '06d44939-d15e-491f-84a3-2dbba9fc0440', runtime: 'cri-containerd', containerId: 'f6b09caae6cfa22cd45491888e0e7001c0b690f8b3c9b47e1bc20d69315e722c' });
  });

  test('a system daemon outside kubepods is no pod (install-docker #14)', () => {
    const path = field(oomLines('oom-kill-global-system-slice-install-docker14.txt')[0]!, 'task_memcg');
    expect(path).toBe('/system.slice/docker-00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12.scope');
    expect(parsePodCgroup(path)).toBeUndefined();
  });
});

describe('parsePodCgroup on documented layouts without a real line found (built from the layout)', () => {
  const uid = '0b6e1e9c-2f2b-4b3c-9d7e-1a2b3c4d5e6f';
  const id = 'a'.repeat(64);
  test.each([
    ['CRI-O systemd scope, BestEffort', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid.replaceAll('-', '_')}.slice/crio-${id}.scope`, 'crio', 'besteffort'],
    ['systemd Guaranteed (no QoS slice)', `/kubepods.slice/kubepods-pod${uid.replaceAll('-', '_')}.slice/cri-containerd-${id}.scope`, 'cri-containerd', 'guaranteed'],
    ['CRI-O with cgroupfs', `/kubepods/besteffort/pod${uid}/crio-${id}`, 'crio', 'besteffort'],
    ['docker-in-docker prefix', `/system.slice/docker-${'b'.repeat(64)}.scope/kubepods/burstable/pod${uid}/${id}`, undefined, 'burstable'],
    ['cgroup namespace climb from /proc/<pid>/cgroup (kubepods root hidden above)', `/../../kubepods-burstable-pod${uid.replaceAll('-', '_')}.slice/cri-containerd-${id}.scope`, 'cri-containerd', 'burstable'],
  ])('%s', (_name, path, runtime, qos) => {
    expect(parsePodCgroup(path)).toEqual({ podUid: uid, containerId: id, runtime, qos });
  });

  test('a static pod UID (32 hex, no dashes) and the conmon scope', () => {
    expect(parsePodCgroup(`/kubepods/burstable/pod${'c'.repeat(32)}/${id}`)?.podUid).toBe('c'.repeat(32));
    expect(parsePodCgroup(`/kubepods.slice/kubepods-pod${uid.replaceAll('-', '_')}.slice/crio-conmon-${id}.scope`)).toEqual({ podUid: uid, containerId: undefined, runtime: undefined, qos: 'guaranteed' });
  });

  test('the QoS parents and junk are not pods', () => {
    expect(parsePodCgroup('/kubepods')).toBeUndefined();
    expect(parsePodCgroup('/kubepods.slice/kubepods-burstable.slice')).toBeUndefined();
    expect(parsePodCgroup('/kubepods/burstable/podnot-a-uid/x')).toBeUndefined();
    expect(parsePodCgroup('/user.slice/user-1000.slice/session-2.scope')).toBeUndefined();
    expect(parsePodCgroup('/../../system.slice/containerd.service')).toBeUndefined();
  });

  test('displayCgroup drops a namespace climb only', () => {
    expect(displayCgroup('/../../system.slice/containerd.service')).toBe('/system.slice/containerd.service');
    expect(displayCgroup('/system.slice/containerd.service')).toBe('/system.slice/containerd.service');
    expect(displayCgroup('/..')).toBe('/');
  });
});
