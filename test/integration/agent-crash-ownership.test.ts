/**
 * A crash, then a restart with a monitor dropped: the built agent names its ownership record after
 * its pod (`$POD_NAME`, as manifests/daemonset.yaml sets it), so the container restarted in the same
 * pod takes its record back and deletes the dropped condition type at once. An agent of another pod
 * (a new pod after a rollout, or no POD_NAME: a random name) must leave it: the crashed record looks
 * live for 15 minutes, and a live record's types are never deleted.
 */
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecords } from '../../src/exporters/kubernetes/kubernetes-exporter.js';
import { startCli } from '../helpers/cli.js';
import { kubeconfigPath, kubeletNode, startTestApiserver, type TestApiserver } from '../helpers/test-apiserver.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-crash-owner-'));
const profile = join(dir, 'profile.json');
let api: TestApiserver;
let kubeconfig: string;

function logMonitor(source: string, type: string): string {
  const logPath = join(dir, `${source}.log`);
  writeFileSync(logPath, '');
  return JSON.stringify({
    plugin: 'filelog',
    pluginConfig: { timestamp: '^.{15}', message: 'kernel: \\[.*\\] (.*)', timestampFormat: 'Jan _2 15:04:05' },
    logPath,
    source,
    conditions: [{ type, reason: `No${type}`, message: `no ${type}` }],
    rules: [{ type: 'permanent', condition: type, reason: `${type}Found`, pattern: 'never matches this' }],
  });
}
function writeProfile(monitors: string[]): void {
  writeFileSync(`${profile}.tmp`, JSON.stringify({ monitors }));
  renameSync(`${profile}.tmp`, profile);
}

beforeAll(async () => {
  api = await startTestApiserver();
  kubeconfig = await api.writeKubeconfig(kubeconfigPath(api, 'crash-kubeconfig'));
  writeFileSync(join(dir, 'kernel.json'), logMonitor('kernel-monitor', 'KernelDeadlock'));
  writeFileSync(join(dir, 'extra.json'), logMonitor('extra-monitor', 'ExtraProblem'));
}, 60_000);

afterAll(async () => {
  await api?.close();
});

const types = (node: string): string[] => ((api.node(node)?.status?.conditions ?? []) as { type: string }[]).map((c) => c.type);
const start = (node: string, podName: string | undefined) =>
  startCli(['run', `--kubeconfig=${kubeconfig}`, `--hostname-override=${node}`, `--profile=${profile}`, `--monitors-dir=${dir}`, '--port=0', '--prometheus-port=0', '--no-reload', '--apiserver-wait-timeout=20s'], {
    env: { POD_NAME: podName ?? '' },
  });

/** Runs an agent of pod `first` with both monitors, kills it (SIGKILL: no retirement), and starts an agent of pod `second` with only the kernel monitor. */
async function crashThenRestart(node: string, first: string, second: string | undefined): Promise<() => Promise<unknown>> {
  api.addNode(kubeletNode(node));
  writeProfile(['kernel.json', 'extra.json']);
  const crashed = start(node, first);
  await waitFor(() => types(node).includes('KernelDeadlock') && types(node).includes('ExtraProblem'), 'both conditions on the Node');
  crashed.child.kill('SIGKILL');
  await crashed.stop();
  writeProfile(['kernel.json']);
  const patches = api.requests.length;
  const restarted = start(node, second);
  // The restarted agent's first status PATCH with a condition: its monitors are known by then, so
  // that PATCH deletes every type it may delete.
  const sentKernel = (body: unknown): boolean => ((body as { status?: { conditions?: { type: string }[] } }).status?.conditions ?? []).some((c) => c.type === 'KernelDeadlock');
  await waitFor(() => api.requests.slice(patches).some((r) => r.method === 'PATCH' && r.path === `/api/v1/nodes/${node}/status` && r.status === 200 && sentKernel(r.body)), 'the restarted agent\'s first PATCH', 30_000);
  return () => restarted.stop();
}

test('the same pod after a crash: the dropped type is deleted at once', async () => {
  const stop = await crashThenRestart('node-same-pod', 'npd-ts-a1b2c', 'npd-ts-a1b2c');
  try {
    await waitFor(() => !types('node-same-pod').includes('ExtraProblem'), 'ExtraProblem deleted', 30_000);
    expect(types('node-same-pod')).toContain('KernelDeadlock');
    expect(parseRecords(api.node('node-same-pod') as never).map((r) => [r.key.split('.').pop(), r.types])).toEqual([['npd-ts-a1b2c', ['KernelDeadlock']]]);
  } finally {
    await stop();
  }
}, 90_000);

test.each([
  ['another pod', 'npd-ts-z9y8x'],
  ['no POD_NAME (a random name per process)', undefined],
])('%s after a crash: the crashed record looks live, its type stays', async (_name, second) => {
  const node = `node-${second ?? 'random'}`;
  const stop = await crashThenRestart(node, 'npd-ts-a1b2c', second);
  try {
    expect(types(node)).toEqual(expect.arrayContaining(['KernelDeadlock', 'ExtraProblem']));
    expect(parseRecords(api.node(node) as never).find((r) => r.key.endsWith('.npd-ts-a1b2c'))?.types).toEqual(['ExtraProblem', 'KernelDeadlock']);
  } finally {
    await stop();
  }
}, 90_000);
