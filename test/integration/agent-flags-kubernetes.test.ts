/**
 * Each flag that shapes what the agent writes to the apiserver, proven by its effect: the agent runs
 * in-process from a command line (test/helpers/agent-harness.ts) against the HTTPS test apiserver,
 * and the test reads back the Node, the Events and the requests the apiserver received. Every test
 * uses its own Node (`--hostname-override`), so the requests of one never count in another.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { createManualClock } from '../../src/core/clock.js';
import { startAgent, type AgentUnderTest } from '../helpers/agent-harness.js';
import { agentCluster } from '../helpers/agent-cluster.js';
import { dockerHungLine, oomLine, procRoot, shippedMonitor } from '../helpers/monitor-files.js';
import { kernLogLine } from '../helpers/syslog.js';
import type { LoggedRequest } from '../helpers/test-apiserver.js';
import { advanceUntil, waitFor } from '../helpers/wait.js';

const cluster = agentCluster('flags');
const { fresh, condition } = cluster;
const requestsFor = (node: string, r: LoggedRequest): boolean => r.path.includes(`/nodes/${node}`) || JSON.stringify(r.body ?? {}).includes(`"${node}"`);
const statusPatches = (node: string): LoggedRequest[] => cluster.api.requests.filter((r) => r.method === 'PATCH' && r.path === `/api/v1/nodes/${node}/status`);
const eventWrites = (node: string): LoggedRequest[] => cluster.api.requests.filter((r) => r.path.includes('/events') && r.method !== 'GET' && requestsFor(node, r));
const eventsOf = (node: string): Record<string, any>[] => cluster.api.events().filter((e) => e.involvedObject?.name === node);
const log = (file: string, message: string): void => appendFileSync(file, `${kernLogLine(message)}\n`);

async function withAgent(args: string[], body: (agent: AgentUnderTest) => Promise<void>, clock?: ReturnType<typeof createManualClock>): Promise<void> {
  const starting = startAgent([`--kubeconfig=${cluster.kubeconfig}`, '--no-reload', '--apiserver-wait-timeout=20s', ...args], clock ? { clock } : {});
  if (clock) {
    // The exporter waits a random 0–10 s before its first request (spreading a fleet's restarts).
    await waitFor(() => clock.pending() > 0, 'the start jitter');
    await clock.advance(10_000);
  }
  const agent = await starting;
  try {
    await body(agent);
  } finally {
    await agent.stop();
  }
}

test('--proc-path: the probes read that root (file-nr at 95 % gives FDPressure True on the Node)', async () => {
  const fd = shippedMonitor('fd-monitor.json');
  const { node } = fresh();
  await withAgent([`--hostname-override=${node}`, `--config.custom-plugin-monitor=${fd}`, `--proc-path=${procRoot('check-problems', cluster.tmp.dir)}`], async (agent) => {
    await waitFor(() => condition(node, 'FDPressure')?.status === 'True', 'FDPressure=True');
    // The run's telemetry is the Prometheus exporter's: the probe, the watermark and the apiserver calls are on /metrics.
    const metrics = await agent.metrics();
    expect(metrics).toMatch(/^npd_probe_runs_total\{monitor="fd-custom-plugin-monitor",rule="[^"]+"\} [1-9]/m);
    expect(metrics).toMatch(/^npd_host_watermark_ratio\{resource="fd",target="node"\} 0\.95/m);
    expect(metrics).toMatch(/^npd_apiserver_requests_total\{verb="patch",resource="nodes\/status",result="200"\} [1-9]/m);
    expect(metrics).toMatch(/^problem_gauge\{type="FDPressure",reason="NodeHasFDPressure"\} 1$/m);
  });
  expect(condition(node, 'FDPressure')).toMatchObject({ reason: 'NodeHasFDPressure', message: 'current fd is 1000000 and max is 1048576, 95% used' });
  const healthy = fresh().node;
  await withAgent([`--hostname-override=${healthy}`, `--config.custom-plugin-monitor=${fd}`, `--proc-path=${procRoot('check-healthy', cluster.tmp.dir)}`], async () => {
    await waitFor(() => condition(healthy, 'FDPressure') !== undefined, 'FDPressure written');
  });
  expect(condition(healthy, 'FDPressure')).toMatchObject({ status: 'False', reason: 'NodeHasNoFDPressure' });
}, 60_000);

test('--hostname-override names the Node written, over $NODE_NAME and the hostname', async () => {
  const { node, monitor } = fresh();
  const agent = await startAgent([`--kubeconfig=${cluster.kubeconfig}`, '--no-reload', `--hostname-override=${node}`, `--config.system-log-monitor=${monitor}`], {
    env: { NODE_NAME: 'not-this-node' },
    hostname: 'not-this-host',
  });
  try {
    await waitFor(() => condition(node, 'KernelDeadlock')?.status === 'False', 'KernelDeadlock on the overridden Node');
  } finally {
    await agent.stop();
  }
  expect(cluster.api.requests.filter((r) => /not-this-(node|host)/.test(r.path))).toEqual([]);
}, 60_000);

test('$NODE_NAME names the Node when --hostname-override is absent', async () => {
  const { node, monitor } = fresh();
  const agent = await startAgent([`--kubeconfig=${cluster.kubeconfig}`, '--no-reload', `--config.system-log-monitor=${monitor}`], { env: { NODE_NAME: node }, hostname: 'not-this-host' });
  try {
    await waitFor(() => condition(node, 'KernelDeadlock')?.status === 'False', 'KernelDeadlock on $NODE_NAME');
  } finally {
    await agent.stop();
  }
}, 60_000);

test('--apiserver-override with auth= reaches the apiserver without --kubeconfig', async () => {
  const { node, monitor } = fresh();
  const agent = await startAgent(['--no-reload', `--apiserver-override=${cluster.api.url}?inClusterConfig=false&auth=${cluster.kubeconfig}`, `--hostname-override=${node}`, `--config.system-log-monitor=${monitor}`]);
  try {
    await waitFor(() => condition(node, 'KernelDeadlock')?.status === 'False', 'KernelDeadlock through --apiserver-override');
  } finally {
    await agent.stop();
  }
}, 60_000);

test('--event-namespace moves the Events (default "default")', async () => {
  for (const [flag, namespace] of [[[], 'default'], [['--event-namespace=kube-system'], 'kube-system']] as const) {
    const { node, kernLog, monitor } = fresh();
    await withAgent([`--hostname-override=${node}`, `--config.system-log-monitor=${monitor}`, ...flag], async () => {
      log(kernLog, oomLine(4242));
      await waitFor(() => eventsOf(node).some((e) => e.reason === 'OOMKilling'), 'the OOMKilling Event');
    });
    expect(eventsOf(node).map((e) => e.metadata?.namespace)).toEqual([namespace]);
    expect(eventWrites(node).every((r) => r.path.startsWith(`/api/v1/namespaces/${namespace}/events`))).toBe(true);
  }
}, 60_000);

test('--k8s-exporter-write-events=false writes no Event; the conditions still go', async () => {
  const { node, kernLog, monitor } = fresh();
  await withAgent([`--hostname-override=${node}`, `--config.system-log-monitor=${monitor}`, '--k8s-exporter-write-events=false'], async () => {
    log(kernLog, oomLine(1));
    log(kernLog, dockerHungLine);
    await waitFor(() => condition(node, 'KernelDeadlock')?.status === 'True', 'KernelDeadlock=True');
  });
  // Stopping flushes what the exporter holds: an Event it meant to write would have been sent.
  expect(eventWrites(node)).toEqual([]);
  expect(eventsOf(node)).toEqual([]);
}, 60_000);

test('--k8s-exporter-update-node-conditions=false never PATCHes the Node; the Events still go', async () => {
  const { node, kernLog, monitor } = fresh();
  await withAgent([`--hostname-override=${node}`, `--config.system-log-monitor=${monitor}`, '--k8s-exporter-update-node-conditions=false'], async () => {
    log(kernLog, dockerHungLine);
    log(kernLog, oomLine(2));
    await waitFor(() => eventsOf(node).some((e) => e.reason === 'OOMKilling') && eventsOf(node).some((e) => e.reason === 'DockerHung'), 'both Events');
  });
  expect(statusPatches(node)).toEqual([]);
  expect(cluster.api.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith(`/api/v1/nodes/${node}`))).toEqual([]);
  expect(condition(node, 'KernelDeadlock')).toBeUndefined();
}, 60_000);

test('--k8s-exporter-heartbeat-period sets the PATCH cadence without a change (manual clock)', async () => {
  for (const [flag, periodMs] of [['--k8s-exporter-heartbeat-period=1m', 60_000], [undefined, 300_000]] as const) {
    const clock = createManualClock(Date.now());
    const { node, monitor } = fresh();
    await withAgent([`--hostname-override=${node}`, `--config.system-log-monitor=${monitor}`, ...(flag ? [flag] : [])], async () => {
      // The first sync waits for the coalescing delay on the clock, once the exporter has read the
      // Node (the monitors run meanwhile: the agent is running before that).
      await advanceUntil(clock, () => statusPatches(node).length >= 1, 'the first PATCH');
      const base = statusPatches(node).length;
      // Heartbeats come 100–110 % of the period after the last sync.
      // The beat is scheduled from the last sync, which is no earlier than that PATCH's heartbeat time and
      // no later than the clock when the test saw it (the clock stands still while the test waits): so
      // nothing may come before heartbeat time + 95 %, and a beat must come by seen + 110 % (+1 s).
      const lastSync = (): number => Date.parse(String((statusPatches(node).at(-1)?.body as { status: { conditions: { lastHeartbeatTime: string }[] } }).status.conditions[0]?.lastHeartbeatTime));
      for (let beat = 1; beat <= 2; beat++) {
        const last = lastSync();
        const seen = clock.now();
        if (last + periodMs * 0.95 > clock.now()) {
          await clock.advance(last + periodMs * 0.95 - clock.now());
          await new Promise((r) => setTimeout(r, 300));
          expect(statusPatches(node)).toHaveLength(base + beat - 1);
        }
        await clock.advance(Math.max(0, seen + periodMs * 1.1 + 1_000 - clock.now()));
        await waitFor(() => statusPatches(node).length === base + beat, `heartbeat ${beat}`);
      }
      expect(statusPatches(node)).toHaveLength(base + 2);
    }, clock);
  }
}, 90_000);
