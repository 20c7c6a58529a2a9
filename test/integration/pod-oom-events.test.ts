/**
 * Pod OOM attribution end to end: the built CLI (`npd run`) reads a kern.log with real OOM reports
 * through a monitor whose rules are NPD's kernel-monitor.json's, unchanged; the Pod's
 * `PodOOMKilling` Event is read back with `kubectl describe pod` from the HTTPS test apiserver, the
 * Node's `OOMKilling` keeps NPD's message with the pod appended, `npd_pod_oom_kills_total` counts the
 * kill, and the agent never reads a Pod.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, requireBuild, startCli, type CliProcess } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';
import { kernLogLine } from '../helpers/syslog.js';
import { kubeconfigPath, kubeletNode, startTestApiserver, type TestApiserver } from '../helpers/test-apiserver.js';
import { waitFor } from '../helpers/wait.js';
import { parseKmsgRecord } from '../../src/sources/kmsg-parser.js';
import { fixtureContainersLogDir, fixturePodsLogDir, oomFixture, procFixture } from '../pods/oom-fixtures.js';

const run = promisify(execFile);
const nodeName = 'node-oom';
const dir = mkdtempSync(join(tmpdir(), 'npd-pod-oom-'));
const kernLog = join(dir, 'kern.log');

/** NPD's kernel-monitor.json read as a file monitor: its rules unchanged, only the source differs. */
function kernelMonitorOnFile(): string {
  const npd = JSON.parse(readFileSync(join(repoRoot, 'monitors/kernel-monitor.json'), 'utf8')) as Record<string, unknown>;
  const filelog = JSON.parse(readFileSync(join(repoRoot, 'monitors/kernel-monitor-filelog.json'), 'utf8')) as Record<string, unknown>;
  return JSON.stringify({ ...npd, plugin: 'filelog', pluginConfig: filelog['pluginConfig'], logPath: kernLog });
}

const pod = (namespace: string, name: string, uid: string, container: string): object => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { namespace, name, uid },
  spec: { nodeName, containers: [{ name: container, image: 'example' }] },
  status: { phase: 'Running' },
});

let api: TestApiserver;
let kubeconfig: string;
let npd: CliProcess | undefined;
let metricsPort: number;

beforeAll(async () => {
  requireBuild();
  api = await startTestApiserver();
  api.addNode(kubeletNode(nodeName));
  api.addPod(pod('ml', 'trainer-0', 'eded8c65-6e8e-4c6e-a889-3e427565c740', 'pytorch'));
  api.addPod(pod('kube-system', 'metrics-server-5f9f776df5-x7k2p', 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012', 'metrics-server'));
  kubeconfig = await api.writeKubeconfig(kubeconfigPath(api, 'agent-kubeconfig'));
  writeFileSync(kernLog, '');
  writeFileSync(join(dir, 'kernel.json'), kernelMonitorOnFile());
  writeFileSync(join(dir, 'profile.json'), JSON.stringify({ monitors: ['kernel.json'] }));
  metricsPort = await freePort();
}, 60_000);

afterAll(async () => {
  await npd?.stop();
  await api?.close();
});

test('an OOM kill in a pod becomes an Event on the Pod, the Node event names the pod, and no Pod is read', async () => {
  npd = startCli([
    'run', `--kubeconfig=${kubeconfig}`, `--hostname-override=${nodeName}`, `--profile=${join(dir, 'profile.json')}`, `--monitors-dir=${dir}`,
    '--port=0', `--prometheus-port=${metricsPort}`, '--apiserver-wait-timeout=20s',
    `--pods-log-dir=${fixturePodsLogDir}`, `--containers-log-dir=${fixtureContainersLogDir}`, `--proc-path=${procFixture('oom-kept-running')}`,
  ]);
  await waitFor(() => api.requests.some((r) => r.method === 'GET' && r.path === `/api/v1/nodes/${nodeName}`), 'the agent read its node');
  const records = readFileSync(oomFixture('kmsg-burst-derived.log'), 'utf8').split('\n').filter((l) => l !== '');
  appendFileSync(kernLog, records.map((r) => `${kernLogLine(parseKmsgRecord(r, 0)!.line.message)}\n`).join(''));
  const podEvents = (): Record<string, any>[] => api.events().filter((e) => e['reason'] === 'PodOOMKilling');
  await waitFor(() => podEvents().length === 3 && api.events().filter((e) => e['reason'] === 'OOMKilling').length === 4, 'three PodOOMKilling and four OOMKilling events')
    .catch((err: unknown) => {
      throw new Error(`${String(err)}\nevents: ${JSON.stringify(api.events().map((e) => [e['reason'], e['message']]))}\nagent: ${npd?.stderr()}${npd?.stdout()}`);
    });

  const trainer = podEvents().find((e) => e['involvedObject'].name === 'trainer-0')!;
  expect(trainer['metadata'].namespace).toBe('ml');
  expect(trainer['involvedObject']).toMatchObject({ kind: 'Pod', namespace: 'ml', name: 'trainer-0', uid: 'eded8c65-6e8e-4c6e-a889-3e427565c740' });
  expect(trainer['type']).toBe('Warning');

  const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'describe', 'pod', '-n', 'ml', 'trainer-0']);
  expect(stdout).toMatch(/Warning\s+PodOOMKilling\s.*OOM killer killed process pt_main_thread \(pid 461754\) in container "pytorch": the pod reached its memory limit/);
  expect(stdout).toMatch(/The container kept running \(1 other process\)/);

  // The Node's OOMKilling events: NPD's message with namespace, pod and container appended.
  const nodeEvents = api.events().filter((e) => e['reason'] === 'OOMKilling').map((e) => e['message'] as string);
  expect(nodeEvents).toContain('Memory cgroup out of memory: Killed process 966 (manager) total-vm:834776kB, anon-rss:100100kB, file-rss:33900kB, shmem-rss:0kB, UID:0 pgtables:400kB oom_score_adj:999; namespace: kube-system, pod: metrics-server-5f9f776df5-x7k2p, container: metrics-server');
  // The global OOM of an old kernel names no cgroup: NPD's message, unchanged.
  expect(nodeEvents).toContain('Killed process 7134 (java) total-vm:20255636kB, anon-rss:466160kB, file-rss:13684kB');
  // kubedirector's pod has a log directory but no Pod object here: an Event needs none, it is created.
  expect(podEvents().map((e) => `${e['metadata'].namespace}/${e['involvedObject'].name}`).sort()).toEqual(['kube-system/metrics-server-5f9f776df5-x7k2p', 'kubedirector/spark-controller-0', 'ml/trainer-0']);

  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toContain('npd_pod_oom_kills_total{namespace="ml",pod="trainer-0",container="pytorch",scope="pod"} 1');
  expect(metrics).toContain('npd_pod_oom_kills_total{namespace="kube-system",pod="metrics-server-5f9f776df5-x7k2p",container="metrics-server",scope="pod"} 1');

  // No API reads of pods by the agent (kubectl's own requests carry kubectl's user agent).
  const agentPodReads = api.requests.filter((r) => r.path.includes('/pods') && !(r.userAgent ?? '').startsWith('kubectl'));
  expect(agentPodReads).toEqual([]);
}, 90_000);
