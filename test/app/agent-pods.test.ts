/**
 * Pod OOM attribution in the in-process agent (src/app/build-monitor.ts gives it to any monitor with
 * an OOMKilling rule): real OOM reports from test/fixtures/oom through NPD's kernel-monitor.json on a
 * kmsg file, the kubelet's log directories of the fixture. test/integration/pod-oom-events.test.ts
 * does the same with the built CLI and the test apiserver.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Status } from '../../src/core/problem.js';
import type { Exporter } from '../../src/exporters/exporter.js';
import { parseKmsgRecord } from '../../src/sources/kmsg-parser.js';
import { repoRoot } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { fixtureContainersLogDir, fixturePodsLogDir, oomFixture, procFixture } from '../pods/oom-fixtures.js';
import { kmsgRecord, startAgentFixture, type AgentFixture, type MonitorJson } from './agent-fixture.js';

let f: AgentFixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

async function run(monitor: MonitorJson, pods: boolean, reason = 'OOMKilling'): Promise<{ events: Status['events'][number][] }> {
  const events: Status['events'][number][] = [];
  const rec: Exporter = { name: 'recorder', setMonitors: () => {}, export: (s) => void events.push(...s.events), healthy: () => true, stop: async () => {} };
  f = await startAgentFixture({
    monitors: { 'm.json': monitor },
    before: (dir) => writeFile(join(dir, 'kmsg'), ''),
    exporters: [rec],
    procRoot: procFixture('oom-kept-running'),
    ...(pods ? { pods: { podsLogDir: fixturePodsLogDir, containersLogDir: fixtureContainersLogDir } } : {}),
  });
  const fx = f;
  const messages = (await readFile(oomFixture('kmsg-burst-derived.log'), 'utf8')).split('\n').filter((l) => l !== '').map((r) => parseKmsgRecord(r, 0)!.line.message);
  await appendFile(join(fx.dir, 'kmsg'), messages.map((m, i) => kmsgRecord(i + 1, Date.now(), fx.bootMs, m)).join(''));
  await waitFor(() => events.filter((e) => e.reason === reason).length === 4, `four ${reason} events`);
  return { events };
}

const kernelMonitor = async (): Promise<MonitorJson> => ({ ...(JSON.parse(await readFile(join(repoRoot, 'monitors/kernel-monitor.json'), 'utf8')) as MonitorJson), logPath: '$DIR/kmsg', lookback: '5m' });

test('a monitor with an OOMKilling rule names the pod of each kill and reports it on the pod', async () => {
  const { events } = await run(await kernelMonitor(), true);
  expect(events.filter((e) => e.reason === 'PodOOMKilling')).toHaveLength(3);
  expect(events.map((e) => e.message)).toContain('Memory cgroup out of memory: Killed process 966 (manager) total-vm:834776kB, anon-rss:100100kB, file-rss:33900kB, shmem-rss:0kB, UID:0 pgtables:400kB oom_score_adj:999; namespace: kube-system, pod: metrics-server-5f9f776df5-x7k2p, container: metrics-server');
});

test('without the kubelet\'s directories the events are NPD\'s alone', async () => {
  const { events } = await run(await kernelMonitor(), false);
  expect(events.filter((e) => e.reason === 'PodOOMKilling')).toEqual([]);
  expect(events.filter((e) => e.message.includes('namespace:'))).toEqual([]);
});

test('a monitor without an OOMKilling rule is not given the attribution step', async () => {
  const kernel = await kernelMonitor();
  const rules = (kernel['rules'] as { reason: string }[]).map((r) => (r.reason === 'OOMKilling' ? { ...r, reason: 'OutOfMemory' } : r));
  const { events } = await run({ ...kernel, rules }, true, 'OutOfMemory');
  expect(events.filter((e) => e.reason === 'PodOOMKilling' || e.message.includes('namespace:'))).toEqual([]);
});

test('a monitor whose only rule is OOMKilling gets the attribution step too', async () => {
  const kernel = await kernelMonitor();
  const rules = (kernel['rules'] as { reason: string }[]).filter((r) => r.reason === 'OOMKilling');
  const { events } = await run({ ...kernel, rules }, true);
  expect(events.filter((e) => e.reason === 'PodOOMKilling')).toHaveLength(3);
});
