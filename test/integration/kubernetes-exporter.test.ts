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
import { perTestWithCerts } from '../helpers/per-test.js';
import { cond, monitor, nodeConditions, nodeName, startFixture } from './kubernetes-fixture.js';

const run = promisify(execFile);

const fixture = perTestWithCerts(startFixture);

const oom = (pid: number): Event => ({ severity: 'warn', time: new Date(), reason: 'OOMKilling', message: `Out of memory: Killed process ${pid} (stress)` });
const kernel = ['KernelDeadlock', 'ReadonlyFilesystem'];

test('conditions and events land; kubelet conditions survive; client-node and kubectl read them back', async () => {
  const e = await fixture.current.exporter();
  e.setMonitors([monitor('kernel-monitor', kernel)]);
  await e.start();
  const conditions = [cond('KernelDeadlock', 'True', 'DockerHung', 'task docker:7 blocked for more than 120 seconds.'), cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly')];
  e.export({ source: 'kernel-monitor', events: [oom(4242)], conditions });
  await waitFor(() => nodeConditions(fixture.current.api, kernel).length === 2 && fixture.current.api.events().length === 1, 'conditions and event');
  expect(nodeConditions(fixture.current.api, kernel)).toEqual(conditions);
  const node = fixture.current.api.node(nodeName);
  expect(node?.['status'].conditions.map((c: { type: string }) => c.type).sort()).toEqual(
    ['DiskPressure', 'KernelDeadlock', 'MemoryPressure', 'PIDPressure', 'ReadonlyFilesystem', 'Ready'],
  );
  expect(node?.['status'].conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
  expect(parseRecords(node as never).map((r) => r.types)).toEqual([['KernelDeadlock', 'ReadonlyFilesystem']]);
  expect(fixture.current.statusPatches()[0]?.contentType).toBe('application/strategic-merge-patch+json');

  // An independent reader: the official client.
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: fixture.current.api.url, caData: Buffer.from(fixture.certs.ca).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'u', token: fixture.current.api.token }],
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
  const out = await run('kubectl', ['--kubeconfig', fixture.current.kubeconfig, 'describe', 'node', nodeName], { env: { ...process.env, HOME: fixture.certs.dir } });
  expect(out.stdout).toMatch(/KernelDeadlock\s+True\s+.*DockerHung\s+task docker:7 blocked/);
  expect(out.stdout).toMatch(/Ready\s+True\s+.*KubeletReady/);
  expect(out.stdout).toMatch(/Warning\s+OOMKilling\s+.*kernel-monitor\s+Out of memory: Killed process 4242 \(stress\)/);
});

test('steady state sends only the heartbeat', async () => {
  const hb = 400;
  const e = await fixture.current.exporter({ heartbeatMs: hb });
  e.setMonitors([monitor('kernel-monitor', kernel)]);
  await e.start();
  const state = [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock')];
  e.export({ source: 'kernel-monitor', events: [], conditions: state });
  await waitFor(() => fixture.current.statusPatches().length === 1, 'first patch');
  const from = Date.now();
  // Monitors keep reporting the same state many times: no PATCH comes of it.
  for (let i = 0; i < 200; i++) e.export({ source: 'kernel-monitor', events: [], conditions: state });
  await waitFor(() => fixture.current.statusPatches().length >= 4, 'three heartbeats');
  const elapsed = Date.now() - from;
  const patches = fixture.current.statusPatches().length - 1;
  // Heartbeats come at least a period apart (jitter +0–10 %), never more often.
  expect(patches).toBeLessThanOrEqual(Math.floor(elapsed / hb) + 1);
  expect(fixture.current.agentRequests().filter((r) => r.path.includes('/events'))).toHaveLength(0);
});

test('a storm of 10,000 identical OOM events makes a bounded number of requests and does not silence other reasons', async () => {
  const e = await fixture.current.exporter();
  e.setMonitors([monitor('kernel-monitor', kernel)]);
  await e.start();
  for (let i = 0; i < 10_000; i++) e.export({ source: 'kernel-monitor', events: [oom(1)], conditions: [] });
  e.export({ source: 'kernel-monitor', events: [{ severity: 'warn', time: new Date(), reason: 'TaskHung', message: 'task x blocked' }], conditions: [] });
  await waitFor(() => fixture.current.api.events().some((ev) => ev['reason'] === 'TaskHung') && fixture.current.api.events().find((ev) => ev['reason'] === 'OOMKilling')?.['count'] === 25, 'storm settled');
  const eventRequests = fixture.current.agentRequests().filter((r) => r.path.includes('/events'));
  // 25 tokens: one create and at most 24 patches for OOMKilling, one create for TaskHung.
  expect(eventRequests.length).toBeLessThanOrEqual(26);
  expect(fixture.current.api.events().filter((ev) => ev['reason'] === 'OOMKilling')).toHaveLength(1);
});

test('a restart (new exporter) does not flip conditions to False before monitors report', async () => {
  const first = await fixture.current.exporter();
  first.setMonitors([monitor('kernel-monitor', kernel)]);
  await first.start();
  const problem = cond('KernelDeadlock', 'True', 'DockerHung');
  first.export({ source: 'kernel-monitor', events: [], conditions: [problem] });
  await waitFor(() => nodeConditions(fixture.current.api, kernel).length === 1, 'first exporter landed');
  await first.stop();
  const before = fixture.current.statusPatches().length;

  const second = await fixture.current.exporter();
  second.setMonitors([monitor('kernel-monitor', kernel)]);
  await second.start();
  const seen = await second.readNodeConditions();
  expect(seen).toEqual([problem]);
  // The agent seeds its monitors with this; they report the same state back.
  second.export({ source: 'kernel-monitor', events: [], conditions: seen ?? [] });
  second.export({ source: 'kernel-monitor', events: [], conditions: [cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly')] });
  await waitFor(() => nodeConditions(fixture.current.api, kernel).length === 2, 'second exporter landed');
  const after = fixture.current.statusPatches().slice(before);
  const sentKernelDeadlock = after.flatMap((r) => (r.body as { status: { conditions: { type: string; status: string }[] } }).status.conditions).filter((c) => c.type === 'KernelDeadlock');
  expect(sentKernelDeadlock.every((c) => c.status === 'True')).toBe(true);
  expect(nodeConditions(fixture.current.api, ['KernelDeadlock'])).toEqual([problem]);
});

test('a condition the agent no longer monitors is removed; someone else\'s is kept', async () => {
  const first = await fixture.current.exporter();
  first.setMonitors([monitor('kernel-monitor', kernel), monitor('old-monitor', ['OldProblem'])]);
  await first.start();
  first.export({ source: 'old-monitor', events: [], conditions: [cond('OldProblem', 'True', 'Broken')] });
  first.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock')] });
  await waitFor(() => nodeConditions(fixture.current.api, ['OldProblem', 'KernelDeadlock']).length === 2, 'both landed');
  await first.stop();
  // Another controller's condition (a CNI's), not in the agent's record.
  fixture.current.api.updateNode(nodeName, (n) => n['status'].conditions.push(
    { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'routes created', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
  ));
  const second = await fixture.current.exporter();
  second.setMonitors([monitor('kernel-monitor', kernel)]);
  await second.start();
  await second.readNodeConditions();
  second.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock')] });
  await waitFor(() => nodeConditions(fixture.current.api, ['OldProblem']).length === 0, 'stale condition removed');
  const types = fixture.current.api.node(nodeName)?.['status'].conditions.map((c: { type: string }) => c.type).sort();
  expect(types).toEqual(['DiskPressure', 'KernelDeadlock', 'MemoryPressure', 'NetworkUnavailable', 'PIDPressure', 'Ready']);
  // The first exporter's record (retired at its stop) is gone; the second's is live.
  const records = parseRecords(fixture.current.api.node(nodeName) as never);
  expect(records.map((r) => [r.types, r.at !== undefined])).toEqual([[['KernelDeadlock', 'ReadonlyFilesystem'], true]]);
});

describe('two agents on one node', () => {
  const ntp = ['NTPProblem'];
  test('a second DaemonSet: neither deletes the other\'s conditions, each keeps its own record', async () => {
    const a = await fixture.current.exporter({ instance: 'aaaa0001' });
    const b = await fixture.current.exporter({ instance: 'bbbb0002' });
    a.setMonitors([monitor('kernel-monitor', kernel)]);
    b.setMonitors([monitor('ntp-custom-plugin-monitor', ntp)]);
    await a.start();
    await b.start();
    a.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'True', 'DockerHung'), cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly')] });
    b.export({ source: 'ntp-custom-plugin-monitor', events: [], conditions: [cond('NTPProblem', 'True', 'NTPIsDown')] });
    await waitFor(() => nodeConditions(fixture.current.api, [...kernel, ...ntp]).length === 3, 'both landed');
    // Each writes again (changes and heartbeats): every PATCH carries only its own record.
    for (let round = 1; round <= 3; round++) {
      a.export({ source: 'kernel-monitor', events: [], conditions: [cond('ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly', `round ${round}`)] });
      b.export({ source: 'ntp-custom-plugin-monitor', events: [], conditions: [cond('NTPProblem', 'True', 'NTPIsDown', `round ${round}`)] });
      await waitFor(() => nodeConditions(fixture.current.api, ntp)[0]?.message === `round ${round}` && nodeConditions(fixture.current.api, ['ReadonlyFilesystem'])[0]?.message === `round ${round}`, `round ${round}`);
    }
    expect(nodeConditions(fixture.current.api, [...kernel, ...ntp]).map((c) => c.type)).toEqual(['KernelDeadlock', 'NTPProblem', 'ReadonlyFilesystem']);
    const deletes = fixture.current.statusPatches().flatMap((r) => (r.body as { status: { conditions: { $patch?: string }[] } }).status.conditions.filter((c) => c.$patch === 'delete'));
    expect(deletes).toEqual([]);
    expect(parseRecords(fixture.current.api.node(nodeName) as never).map((r) => [r.key.split('.').pop(), r.types])).toEqual([
      ['aaaa0001', ['KernelDeadlock', 'ReadonlyFilesystem']],
      ['bbbb0002', ['NTPProblem']],
    ]);
  });

  test('a rollout overlap: the new agent leaves the old one\'s type while it runs, and deletes it once the old one retires', async () => {
    const old = await fixture.current.exporter({ instance: '01d00001' });
    old.setMonitors([monitor('kernel-monitor', kernel), monitor('old-monitor', ['OldProblem'])]);
    await old.start();
    old.export({ source: 'old-monitor', events: [], conditions: [cond('OldProblem', 'True', 'Broken')] });
    old.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock')] });
    await waitFor(() => nodeConditions(fixture.current.api, ['OldProblem', 'KernelDeadlock']).length === 2, 'old agent landed');
    const next = await fixture.current.exporter({ instance: '0e400002' });
    next.setMonitors([monitor('kernel-monitor', kernel)]);
    await next.start();
    await next.readNodeConditions();
    next.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock', 'from the new agent')] });
    await waitFor(() => nodeConditions(fixture.current.api, ['KernelDeadlock'])[0]?.message === 'from the new agent', 'new agent landed');
    // Both run: the old agent's OldProblem stays.
    expect(nodeConditions(fixture.current.api, ['OldProblem'])).toHaveLength(1);
    await old.stop();
    // The old agent retired its record; the new one's next sync removes what only the old one owned.
    next.export({ source: 'kernel-monitor', events: [], conditions: [cond('KernelDeadlock', 'False', 'KernelHasNoDeadlock', 'after the rollout')] });
    await waitFor(() => nodeConditions(fixture.current.api, ['OldProblem']).length === 0, 'OldProblem removed after the old agent left');
    expect(parseRecords(fixture.current.api.node(nodeName) as never).map((r) => r.key.split('.').pop())).toEqual(['0e400002']);
  });
});
