import { readFileSync } from 'node:fs';
import { createManualClock } from '../../src/core/clock.js';
import type { Event } from '../../src/core/problem.js';
import { createContainerProcesses, cgroupOfProcess } from '../../src/pods/container-processes.js';
import { createOomAnnotator, oomEvents, oomScope } from '../../src/pods/oom-events.js';
import { oomReportLiterals } from '../../src/pods/oom-report.js';
import { createPodDirectory, parseContainerLogName, parsePodDirName } from '../../src/pods/pod-directory.js';
import { parseKmsgRecord } from '../../src/sources/kmsg-parser.js';
import { corpusOomKill, fixtureContainersLogDir, fixturePodsLogDir, oomFixture, oomLines, procFixture } from './oom-fixtures.js';

const directory = createPodDirectory({ podsLogDir: fixturePodsLogDir, containersLogDir: fixtureContainersLogDir });
const processes = createContainerProcesses(procFixture('oom-kept-running'), createManualClock());
const deps = { directory, processes };

/** NPD's OOMKilling event for a Killed process line, as kernel-monitor.json's temporary rule makes it. */
const npdEvent = (message: string): Event => ({ severity: 'warn', time: new Date(0), reason: 'OOMKilling', message });

/** Runs every record of a kmsg file through an annotator, with NPD's event on each Killed line. */
function annotateFile(file: string): Event[] {
  const annotate = createOomAnnotator(deps);
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').flatMap((l) => {
    const message = parseKmsgRecord(l, 0)!.line.message;
    const events = /Killed process \d+ \(.+\) total-vm:\d+kB, anon-rss:\d+kB, file-rss:\d+kB/.test(message) ? [npdEvent(message)] : [];
    return [...annotate(message, events)];
  });
}

describe('the pod OOM events of a burst of real reports', () => {
  const events = annotateFile(oomFixture('kmsg-burst-derived.log'));
  const byReason = (reason: string): Event[] => events.filter((e) => e.reason === reason);

  test('each pod kill gives a Node event (NPD message + pod) and a Pod event; the global kill only the Node event', () => {
    expect(byReason('OOMKilling')).toHaveLength(4);
    expect(byReason('PodOOMKilling').map((e) => e.pod)).toEqual([
      { namespace: 'ml', name: 'trainer-0', uid: 'eded8c65-6e8e-4c6e-a889-3e427565c740' },
      { namespace: 'kube-system', name: 'metrics-server-5f9f776df5-x7k2p', uid: 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012' },
      { namespace: 'kubedirector', name: 'spark-controller-0', uid: '951f6bc5-c5a5-11ea-8707-80e455f266a2' },
    ]);
  });

  test('the Node event keeps NPD\'s message and appends namespace, pod and container', () => {
    const node = byReason('OOMKilling');
    expect(node[0]!.message).toBe('Memory cgroup out of memory: Killed process 461754 (pt_main_thread) total-vm:9805644kB, anon-rss:4194304kB, file-rss:1024kB, shmem-rss:0kB, UID:0 pgtables:8440kB oom_score_adj:999; namespace: ml, pod: trainer-0, container: pytorch');
    expect(node[3]!.message).toBe('Killed process 7134 (java) total-vm:20255636kB, anon-rss:466160kB, file-rss:13684kB');
  });

  test('the Pod event says which process, which container, which limit, and whether the container kept running', () => {
    const pod = byReason('PodOOMKilling');
    // trainer-0: limit of the pod cgroup (oom_memcg is the pod slice); another process remains (fixture pid 461760).
    expect(pod[0]!.message).toBe('OOM killer killed process pt_main_thread (pid 461754) in container "pytorch": the pod reached its memory limit (the sum of its containers\' limits). The container kept running (1 other process): the kubelet will not report this kill.');
    // metrics-server: no process of that container in /proc any more.
    expect(pod[1]!.message).toBe('OOM killer killed process manager (pid 966) in container "metrics-server": the pod reached its memory limit (the sum of its containers\' limits). No process is left in the container: the kubelet reports it as OOMKilled when it restarts the container.');
    // kubedirector: the container's own limit (Task in … limit of the container).
    expect(pod[2]!.message).toContain('process cp (pid 62769) in container "app-init": the container reached its memory limit.');
    expect(pod.map((e) => [e.severity, e.oomKill])).toEqual([
      ['warn', { container: 'pytorch', scope: 'pod' }],
      ['warn', { container: 'metrics-server', scope: 'pod' }],
      ['warn', { container: 'app-init', scope: 'container' }],
    ]);
  });

  test('a monitor line that is not an OOMKilling event is left alone', () => {
    const annotate = createOomAnnotator(deps);
    const other: Event = { severity: 'warn', time: new Date(0), reason: 'TaskHung', message: 'x' };
    expect(annotate('Killed process 1 (x) total-vm:1kB, anon-rss:1kB, file-rss:1kB', [other])).toEqual([other]);
  });
});

describe('unknowns are explicit', () => {
  const kill = { pid: 9, comm: 'java', constraint: 'memcg' as const };

  test('a pod UID without a log directory: Node event naming the UID and the container ID', () => {
    const [taskIn] = oomLines('task-in-systemd-docker-istio42734.txt');
    const [, task, limit] = /Task in (\S+) killed as a result of limit of (\S+)/.exec(taskIn!)!;
    const out = oomEvents(npdEvent('Killed process 9 (java)'), { ...kill, taskMemcg: task, oomMemcg: limit }, deps);
    expect(out).toEqual([npdEvent('Killed process 9 (java); pod UID: 0330b2c1-a15b-4cdd-b5e5-72d4a90bee82, container ID: b27201334a41cd0749d053b18378d7ea65617b8e26277197ea25c974da1a5a8a (no log directory: the pod is gone or has no logs)')]);
  });

  test('a process outside kubepods: Node event only, naming the cgroup', () => {
    const out = oomEvents(npdEvent('Out of memory: Killed process 7134 (java)'), { ...kill, constraint: 'none', taskMemcg: '/system.slice/containerd.service', oomMemcg: undefined }, deps);
    expect(out).toEqual([npdEvent('Out of memory: Killed process 7134 (java); cgroup: /system.slice/containerd.service (not a pod)')]);
  });

  test('a known pod whose container ID has no log link: the short ID stands in', () => {
    const out = oomEvents(npdEvent('K'), { ...kill, taskMemcg: `/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012/${'d'.repeat(64)}`, oomMemcg: `/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012/${'d'.repeat(64)}` }, { directory, processes: undefined });
    expect(out[1]!.message).toBe(`OOM killer killed process java (pid 9) in container ${'d'.repeat(12)}: the container reached its memory limit.`);
    expect(out[1]!.oomKill).toEqual({ container: 'd'.repeat(12), scope: 'container' });
  });
});

test('oomScope: container, pod, node (CONSTRAINT_NONE) and the /kubepods allocatable limit', () => {
  const base = { pid: 1, comm: 'x', taskMemcg: '/kubepods/podu' };
  expect(oomScope({ ...base, constraint: 'memcg', oomMemcg: `/kubepods/pod${'e'.repeat(32)}/${'f'.repeat(64)}` })).toBe('container');
  expect(oomScope({ ...base, constraint: 'memcg', oomMemcg: `/kubepods/pod${'e'.repeat(32)}` })).toBe('pod');
  expect(oomScope({ ...base, constraint: 'none', oomMemcg: undefined })).toBe('node');
  expect(oomScope({ ...base, constraint: 'memcg', oomMemcg: '/kubepods' })).toBe('node');
  const out = oomEvents(npdEvent('K'), { pid: 2, comm: 'y', constraint: 'memcg', oomMemcg: '/kubepods.slice', taskMemcg: '/kubepods.slice/kubepods-podfbdfe8e3_1c87_4ff2_907c_b2ec8e25d012.slice' }, { directory, processes: undefined });
  expect(out[1]!.message).toBe('OOM killer killed process y (pid 2) in the pod cgroup: the pods on the node reached their allocatable memory (/kubepods.slice limit).');
});

describe('the kubelet log directories', () => {
  test('names split on _ (DNS names have none)', () => {
    expect(parsePodDirName('kube-system_coredns-7db6d8ff4d-abcde_6f1c2b4a-1111-2222-3333-444455556666')).toEqual({ namespace: 'kube-system', name: 'coredns-7db6d8ff4d-abcde', uid: '6f1c2b4a-1111-2222-3333-444455556666' });
    expect(parsePodDirName('not-a-pod-dir')).toBeUndefined();
    expect(parseContainerLogName(`web-0_shop_istio-proxy-${'a'.repeat(64)}.log`)).toEqual({ container: 'istio-proxy', containerId: 'a'.repeat(64) });
    expect(parseContainerLogName('web-0_shop_app-123.log')).toBeUndefined();
  });

  test('lookups, presence, and off when neither directory exists', () => {
    expect(directory.enabled).toBe(true);
    expect(directory.pod('eded8c65-6e8e-4c6e-a889-3e427565c740')?.name).toBe('trainer-0');
    expect(directory.exists('eded8c65-6e8e-4c6e-a889-3e427565c740')).toBe(true);
    expect(directory.exists('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(directory.container('ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95')).toBe('pytorch');
    expect(createPodDirectory({ podsLogDir: '/nonexistent/pods', containersLogDir: '/nonexistent/containers' }).enabled).toBe(false);
  });
});

test('cgroupOfProcess prefers the v2 line, else the v1 memory line', () => {
  expect(cgroupOfProcess('0::/a\n')).toBe('/a');
  expect(cgroupOfProcess('12:memory:/b\n11:cpu,cpuacct:/c\n')).toBe('/b');
  expect(cgroupOfProcess('12:memory:/b\n0::/\n')).toBe('/b');
  expect(cgroupOfProcess('garbage')).toBeUndefined();
});

describe('the kinds of kill', () => {
  const podUid = 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012';
  const container = 'ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8';
  const twoLeft = { directory, processes: { others: () => 2 } };

  test('a global OOM that kills a pod\'s process: the node ran out of memory, and the container kept running', () => {
    const out = oomEvents(npdEvent('Out of memory: Killed process 966 (manager)'), { pid: 966, comm: 'manager', constraint: 'none', oomMemcg: undefined, taskMemcg: `/kubepods/burstable/pod${podUid}/${container}` }, twoLeft);
    expect(out[1]!.message).toBe('OOM killer killed process manager (pid 966) in container "metrics-server": the node ran out of memory (no pod or container limit was reached). The container kept running (2 other processes): the kubelet will not report this kill.');
    expect(out[1]!.oomKill).toEqual({ container: 'metrics-server', scope: 'node' });
  });

  test('a process of the pod\'s own cgroup: no container named, no sentence on the container', () => {
    const kill = { pid: 5, comm: 'sh', constraint: 'memcg' as const, oomMemcg: `/kubepods/burstable/pod${podUid}`, taskMemcg: `/kubepods/burstable/pod${podUid}` };
    const out = oomEvents(npdEvent('K'), kill, twoLeft);
    expect(out.map((e) => e.message)).toEqual([
      'K; namespace: kube-system, pod: metrics-server-5f9f776df5-x7k2p, container: ',
      'OOM killer killed process sh (pid 5) in the pod cgroup: the pod reached its memory limit (the sum of its containers\' limits).',
    ]);
    expect(out[1]!.oomKill).toEqual({ container: '', scope: 'pod' });
    const gone = '0330b2c1-a15b-4cdd-b5e5-72d4a90bee82';
    expect(oomEvents(npdEvent('K'), { ...kill, taskMemcg: `/kubepods/pod${gone}` }, twoLeft)).toEqual([npdEvent(`K; pod UID: ${gone} (no log directory: the pod is gone or has no logs)`)]);
  });

  test('a memcg verdict without a limit cgroup is the node\'s scope', () => {
    expect(oomScope({ pid: 1, comm: 'x', constraint: 'memcg', oomMemcg: undefined, taskMemcg: undefined })).toBe('node');
  });

  test('on a kill line, only the OOMKilling event is rewritten; an OOMKilling event on a line that completes no kill is left alone', () => {
    const annotate = createOomAnnotator(deps);
    const other: Event = { severity: 'warn', time: new Date(0), reason: 'TaskHung', message: 'x' };
    const line = `Out of memory: Killed process 7 (java) total-vm:1kB, anon-rss:1kB, file-rss:0kB`;
    expect(annotate(line, [other, npdEvent(line)])).toEqual([other, npdEvent(line)]);
    annotate(corpusOomKill.cgroupfsBurstable, []);
    const killLine = 'Memory cgroup out of memory: Killed process 966 (manager) total-vm:1kB, anon-rss:1kB, file-rss:0kB';
    const out = annotate(killLine, [other, npdEvent(killLine)]);
    expect(out.map((e) => e.reason)).toEqual(['TaskHung', 'OOMKilling', 'PodOOMKilling']);
    expect(out[0]).toBe(other);
    expect(annotate('Memory cgroup out of memory: Kill process 1012 (heapster) score 1035 or sacrifice child', [npdEvent('a custom rule')])).toEqual([npdEvent('a custom rule')]);
  });

  test('the annotator asks its source for the OOM report\'s lines', () => {
    expect(createOomAnnotator(deps).literals).toBe(oomReportLiterals);
  });
});

