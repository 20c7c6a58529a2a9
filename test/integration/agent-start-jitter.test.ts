/**
 * The Kubernetes exporter's start jitter (a random 0–10 s before its first request, so a fleet's
 * restarts spread out) does not hold the monitors back: they run at once, and once the exporter has
 * read the Node they continue from the Node's conditions (NPD #304). In-process agent from a command
 * line (test/helpers/agent-harness.ts) on a manual clock, against the HTTPS test apiserver.
 */
import { appendFileSync } from 'node:fs';
import { createManualClock } from '../../src/core/clock.js';
import { startAgent, seriesValue } from '../helpers/agent-harness.js';
import { agentCluster } from '../helpers/agent-cluster.js';
import { dockerHungLine } from '../helpers/monitor-files.js';
import { kernLogLine } from '../helpers/syslog.js';
import type { LoggedRequest } from '../helpers/test-apiserver.js';
import { advanceUntil, waitFor } from '../helpers/wait.js';

const cluster = agentCluster('jitter');
const { fresh, condition } = cluster;
const requestsFor = (node: string): LoggedRequest[] => cluster.api.requests.filter((r) => r.path.includes(`/nodes/${node}`));
const sentStatuses = (node: string, type: string): string[] =>
  requestsFor(node)
    .filter((r) => r.method === 'PATCH')
    .flatMap((r) => ((r.body as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []))
    .filter((c) => c.type === type)
    .map((c) => c.status);
const deadlockGauge = async (agent: { metrics(): Promise<string> }): Promise<number | undefined> =>
  seriesValue(await agent.metrics(), 'problem_gauge{type="KernelDeadlock",reason="DockerHung"}');
const args = (node: string, monitor: string): string[] => [`--kubeconfig=${cluster.kubeconfig}`, '--no-reload', '--apiserver-wait-timeout=20s', `--hostname-override=${node}`, `--config.system-log-monitor=${monitor}`];

test('the monitors run while the exporter is still in its start jitter; the Node is written after it', async () => {
  const clock = createManualClock(Date.now());
  const { node, kernLog, monitor } = fresh();
  // Resolves once every monitor has started: with the clock standing still, inside the jitter.
  const agent = await startAgent(args(node, monitor), { clock });
  try {
    appendFileSync(kernLog, `${kernLogLine(dockerHungLine)}\n`);
    await waitFor(async () => (await deadlockGauge(agent)) === 1, 'KernelDeadlock=True on /metrics');
    expect(clock.pending()).toBeGreaterThan(0); // the jitter is still being waited…
    expect(requestsFor(node)).toEqual([]); // …and nothing has gone to the apiserver
    await clock.advance(10_000);
    await advanceUntil(clock, () => condition(node, 'KernelDeadlock')?.status === 'True', 'KernelDeadlock=True on the Node');
  } finally {
    await agent.stop();
  }
}, 60_000);

test('a restarted agent continues from the Node\'s conditions: none flips to False while it waited the jitter (NPD #304)', async () => {
  const { node, kernLog, monitor } = fresh();
  const first = createManualClock(Date.now());
  const one = await startAgent(args(node, monitor), { clock: first });
  try {
    await first.advance(10_000);
    appendFileSync(kernLog, `${kernLogLine(dockerHungLine)}\n`);
    await waitFor(async () => (await deadlockGauge(one)) === 1, 'the first agent saw the problem');
    await advanceUntil(first, () => condition(node, 'KernelDeadlock')?.status === 'True', 'KernelDeadlock=True on the Node');
  } finally {
    await one.stop();
  }
  const before = sentStatuses(node, 'KernelDeadlock').length;
  // An hour later: the DockerHung line is older than the second agent's lookback, so only the
  // Node can tell it that KernelDeadlock is True.
  const second = createManualClock(Date.now() + 3_600_000);
  const two = await startAgent(args(node, monitor), { clock: second });
  try {
    // Started from defaults while the exporter waits: the monitor reports False so far.
    await waitFor(async () => (await deadlockGauge(two)) === undefined || (await deadlockGauge(two)) === 0, 'the monitor started');
    await second.advance(10_000);
    // Once the Node is read, the monitor continues from its True condition.
    await waitFor(async () => (await deadlockGauge(two)) === 1, 'KernelDeadlock=True adopted from the Node');
    // A heartbeat: the next PATCH carries the adopted condition.
    await advanceUntil(second, () => sentStatuses(node, 'KernelDeadlock').length > before, 'a PATCH of the second agent', 10_000);
  } finally {
    await two.stop();
  }
  expect(sentStatuses(node, 'KernelDeadlock').slice(before).every((s) => s === 'True')).toBe(true);
  expect(condition(node, 'KernelDeadlock')?.status).toBe('True');
}, 60_000);
