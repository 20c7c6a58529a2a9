/**
 * The Kubernetes exporter against the test apiserver over real HTTPS, read back by independent
 * readers: @kubernetes/client-node and `kubectl describe node`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parseRecords } from '../../src/exporters/kubernetes/kubernetes-exporter.js';
import type { Event } from '../../src/core/problem.js';
import { waitFor } from '../helpers/wait.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';
import { cond, monitor, nodeConditions, nodeName, startFixture, type Fixture } from './kubernetes-fixture.js';

const run = promisify(execFile);
let certs: TestCertificates;
let fx: Fixture;

beforeAll(async () => {
  certs = await createTestCertificates();
});
beforeEach(async () => {
  fx = await startFixture(certs);
});
afterEach(async () => {
  await fx.close();
});

const oom = (pid: number): Event => ({ severity: 'warn', time: new Date(), reason: 'OOMKilling', message: `Out of memory: Killed process ${pid} (stress)` });
const kernel = ['KernelDeadlock', 'ReadonlyFilesystem'];

test('conditions and events land; kubelet conditions survive; client-node and kubectl read them back', async () => {
  const e = await fx.exporter();
  e.setMonitors([monitor('kernel-monitor', kernel)]);
  await e.start();
  const conditions = [cond('KernelDeadlock', 'True', 'DockerHung', 'task docker:7 blocked for more than 120 seconds.'), cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly')];
  e.export({ source: 'kernel-monitor', events: [oom(4242)], conditions });
  await waitFor(() => nodeConditions(fx.api, kernel).length === 2 && fx.api.events().length === 1, 'conditions and event');
  expect(nodeConditions(fx.api, kernel)).toEqual(conditions);
  const node = fx.api.node(nodeName);
  expect(node?.['status'].conditions.map((c: { type: string }) => c.type).sort()).toEqual(
    ['DiskPressure', 'KernelDeadlock', 'MemoryPressure', 'PIDPressure', 'ReadonlyFilesystem', 'Ready'],
  );
  expect(node?.['status'].conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
  expect(parseRecords(node as never).map((r) => r.types)).toEqual([['KernelDeadlock', 'ReadonlyFilesystem']]);
  expect(fx.statusPatches()[0]?.contentType).toBe('application/strategic-merge-patch+json');

  // An independent reader: the official client.
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: fx.api.url, caData: Buffer.from(certs.ca).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'u', token: fx.api.token }],
    contexts: [{ name: 'c', cluster: 'test', user: 'u' }],
    currentContext: 'c',
  });
  const core = kc.makeApiClient(CoreV1Api);
  const read = await core.readNode({ name: nodeName });
  const kd = read.status?.conditions?.find((c) => c.type === 'KernelDeadlock');
  expect(kd).toMatchObject({ status: 'True', reason: 'DockerHung' });
  expect(kd?.lastTransitionTime?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  const events = await core.listNamespacedEvent({ namespace: 'default', fieldSelector: `involvedObject.name=${nodeName},reason=OOMKilling` });
  expect(events.items).toHaveLength(1);
  expect(events.items[0]).toMatchObject({
    type: 'Warning',
    reason: 'OOMKilling',
    message: 'Out of memory: Killed process 4242 (stress)',
    count: 1,
    source: { component: 'kernel-monitor', host: nodeName },
    involvedObject: { kind: 'Node', name: nodeName, apiVersion: 'v1', uid: read.metadata?.uid },
  });

  // What an operator sees.
  const out = await run('kubectl', ['--kubeconfig', fx.kubeconfig, 'describe', 'node', nodeName], { env: { ...process.env, HOME: certs.dir } });
  expect(out.stdout).toMatch(/KernelDeadlock\s+True\s+.*DockerHung\s+task docker:7 blocked/);
  expect(out.stdout).toMatch(/Ready\s+True\s+.*KubeletReady/);
  expect(out.stdout).toMatch(/Warning\s+OOMKilling\s+.*kernel-monitor\s+Out of memory: Killed process 4242 \(stress\)/);
});

test('steady state sends only the heartbeat', async () => {
  const hb = 400;
  const e = await fx.exporter({ heartbeatMs: hb });
  e.setMonitors([monitor('kernel-monitor', kernel)]);
  await e.start();
  const state = [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock')];
  e.export({ source: 'kernel-monitor', events: [], conditions: state });
  await waitFor(() => fx.statusPatches().length === 1, 'first patch');
  const from = Date.now();
  // Monitors keep reporting the same state many times: no PATCH comes of it.
  for (let i = 0; i < 200; i++) e.export({ source: 'kernel-monitor', events: [], conditions: state });
  await waitFor(() => fx.statusPatches().length >= 4, 'three heartbeats');
  const elapsed = Date.now() - from;
  const patches = fx.statusPatches().length - 1;
  // Heartbeats come at least a period apart (jitter +0–10 %), never more often.
  expect(patches).toBeLessThanOrEqual(Math.floor(elapsed / hb) + 1);
  expect(fx.agentRequests().filter((r) => r.path.includes('/events'))).toHaveLength(0);
});

test('a storm of 10,000 identical OOM events makes a bounded number of requests and does not silence other reasons', async () => {
  const e = await fx.exporter();
  e.setMonitors([monitor('kernel-monitor', kernel)]);
  await e.start();
  for (let i = 0; i < 10_000; i++) e.export({ source: 'kernel-monitor', events: [oom(1)], conditions: [] });
  e.export({ source: 'kernel-monitor', events: [{ severity: 'warn', time: new Date(), reason: 'TaskHung', message: 'task x blocked' }], conditions: [] });
  await waitFor(() => fx.api.events().some((ev) => ev['reason'] === 'TaskHung') && fx.api.events().find((ev) => ev['reason'] === 'OOMKilling')?.['count'] === 25, 'storm settled');
  const eventRequests = fx.agentRequests().filter((r) => r.path.includes('/events'));
  // 25 tokens: one create and at most 24 patches for OOMKilling, one create for TaskHung.
  expect(eventRequests.length).toBeLessThanOrEqual(26);
  expect(fx.api.events().filter((ev) => ev['reason'] === 'OOMKilling')).toHaveLength(1);
});

test('a restart (new exporter) does not flip conditions to False before monitors report', async () => {
  const first = await fx.exporter();
  first.setMonitors([monitor('kernel-monitor', kernel)]);
  await first.start();
  const problem = cond('KernelDeadlock', 'True', 'DockerHung');
  first.export({ source: 'kernel-monitor', events: [], conditions: [problem] });
  await waitFor(() => nodeConditions(fx.api, kernel).length === 1, 'first exporter landed');
  await first.stop();
  const before = fx.statusPatches().length;

  const second = await fx.exporter();
  second.setMonitors([monitor('kernel-monitor', kernel)]);
  await second.start();
  const seen = await second.readNodeConditions();
  expect(seen).toEqual([problem]);
  // The agent seeds its monitors with this; they report the same state back.
  second.export({ source: 'kernel-monitor', events: [], conditions: seen ?? [] });
  second.export({ source: 'kernel-monitor', events: [], conditions: [cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly')] });
  await waitFor(() => nodeConditions(fx.api, kernel).length === 2, 'second exporter landed');
  const after = fx.statusPatches().slice(before);
  const sentKernelDeadlock = after.flatMap((r) => (r.body as { status: { conditions: { type: string; status: string }[] } }).status.conditions).filter((c) => c.type === 'KernelDeadlock');
  expect(sentKernelDeadlock.every((c) => c.status === 'True')).toBe(true);
  expect(nodeConditions(fx.api, ['KernelDeadlock'])).toEqual([problem]);
});

test('a condition the agent no longer monitors is removed; someone else\'s is kept', async () => {
  const first = await fx.exporter();
  first.setMonitors([monitor('kernel-monitor', kernel), monitor('old-monitor', ['OldProblem'])]);
  await first.start();
  first.export({ source: 'old-monitor', events: [], conditions: [cond('OldProblem', 'True', 'Broken')] });
  first.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock')] });
  await waitFor(() => nodeConditions(fx.api, ['OldProblem', 'KernelDeadlock']).length === 2, 'both landed');
  await first.stop();
  // Another controller's condition (a CNI's), not in the agent's record.
  fx.api.updateNode(nodeName, (n) => n['status'].conditions.push(
    { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'routes created', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
  ));
  const second = await fx.exporter();
  second.setMonitors([monitor('kernel-monitor', kernel)]);
  await second.start();
  await second.readNodeConditions();
  second.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock')] });
  await waitFor(() => nodeConditions(fx.api, ['OldProblem']).length === 0, 'stale condition removed');
  const types = fx.api.node(nodeName)?.['status'].conditions.map((c: { type: string }) => c.type).sort();
  expect(types).toEqual(['DiskPressure', 'KernelDeadlock', 'MemoryPressure', 'NetworkUnavailable', 'PIDPressure', 'Ready']);
  // The first exporter's record (retired at its stop) is gone; the second's is live.
  const records = parseRecords(fx.api.node(nodeName) as never);
  expect(records.map((r) => [r.types, r.at !== undefined])).toEqual([[['KernelDeadlock', 'ReadonlyFilesystem'], true]]);
});

describe('two agents on one node', () => {
  const ntp = ['NTPProblem'];
  test('a second DaemonSet: neither deletes the other\'s conditions, each keeps its own record', async () => {
    const a = await fx.exporter({ instance: 'aaaa0001' });
    const b = await fx.exporter({ instance: 'bbbb0002' });
    a.setMonitors([monitor('kernel-monitor', kernel)]);
    b.setMonitors([monitor('ntp-custom-plugin-monitor', ntp)]);
    await a.start();
    await b.start();
    a.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'True', 'DockerHung'), cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly')] });
    b.export({ source: 'ntp-custom-plugin-monitor', events: [], conditions: [cond('NTPProblem', 'True', 'NTPIsDown')] });
    await waitFor(() => nodeConditions(fx.api, [...kernel, ...ntp]).length === 3, 'both landed');
    // Each writes again (changes and heartbeats): every PATCH carries only its own record.
    for (let round = 1; round <= 3; round++) {
      a.export({ source: 'kernel-monitor', events: [], conditions: [cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly', `round ${round}`)] });
      b.export({ source: 'ntp-custom-plugin-monitor', events: [], conditions: [cond('NTPProblem', 'True', 'NTPIsDown', `round ${round}`)] });
      await waitFor(() => nodeConditions(fx.api, ntp)[0]?.message === `round ${round}` && nodeConditions(fx.api, ['ReadonlyFilesystem'])[0]?.message === `round ${round}`, `round ${round}`);
    }
    expect(nodeConditions(fx.api, [...kernel, ...ntp]).map((c) => c.type)).toEqual(['KernelDeadlock', 'NTPProblem', 'ReadonlyFilesystem']);
    const deletes = fx.statusPatches().flatMap((r) => (r.body as { status: { conditions: { $patch?: string }[] } }).status.conditions.filter((c) => c.$patch === 'delete'));
    expect(deletes).toEqual([]);
    expect(parseRecords(fx.api.node(nodeName) as never).map((r) => [r.key.split('.').pop(), r.types])).toEqual([
      ['aaaa0001', ['KernelDeadlock', 'ReadonlyFilesystem']],
      ['bbbb0002', ['NTPProblem']],
    ]);
  });

  test('a rollout overlap: the new agent leaves the old one\'s type while it runs, and deletes it once the old one retires', async () => {
    const old = await fx.exporter({ instance: '01d00001' });
    old.setMonitors([monitor('kernel-monitor', kernel), monitor('old-monitor', ['OldProblem'])]);
    await old.start();
    old.export({ source: 'old-monitor', events: [], conditions: [cond('OldProblem', 'True', 'Broken')] });
    old.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock')] });
    await waitFor(() => nodeConditions(fx.api, ['OldProblem', 'KernelDeadlock']).length === 2, 'old agent landed');
    const next = await fx.exporter({ instance: '0e400002' });
    next.setMonitors([monitor('kernel-monitor', kernel)]);
    await next.start();
    await next.readNodeConditions();
    next.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock', 'from the new agent')] });
    await waitFor(() => nodeConditions(fx.api, ['KernelDeadlock'])[0]?.message === 'from the new agent', 'new agent landed');
    // Both run: the old agent's OldProblem stays.
    expect(nodeConditions(fx.api, ['OldProblem'])).toHaveLength(1);
    await old.stop();
    // The old agent retired its record; the new one's next sync removes what only the old one owned.
    next.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock', 'after the rollout')] });
    await waitFor(() => nodeConditions(fx.api, ['OldProblem']).length === 0, 'OldProblem removed after the old agent left');
    expect(parseRecords(fx.api.node(nodeName) as never).map((r) => r.key.split('.').pop())).toEqual(['0e400002']);
  });
});
