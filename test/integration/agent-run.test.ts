/**
 * `npd run`'s own wiring (src/app/run.ts), in-process from a command line (test/helpers/agent-harness.ts)
 * against the HTTPS test apiserver: what `/healthz` answers before the agent is built, what the log
 * says at start and stop, that a cluster agent prints no console lines, and that stopping closes both
 * servers and retires the Kubernetes exporter's ownership record.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseCommandLine } from '../../src/app/command-line.js';
import { runAgent } from '../../src/app/run.js';
import { createManualClock } from '../../src/core/clock.js';
import { startAgent, type AgentUnderTest } from '../helpers/agent-harness.js';
import { agentCluster } from '../helpers/agent-cluster.js';
import { repoRoot } from '../helpers/cli.js';
import { dockerHungLine, shippedMonitor } from '../helpers/monitor-files.js';
import { freePort } from '../helpers/net.js';
import { kernLogLine } from '../helpers/syslog.js';
import { advanceUntil, eventually, waitFor } from '../helpers/wait.js';

const cluster = agentCluster('run');
const { fresh, condition } = cluster;
const noPods = (): string[] => [`--pods-log-dir=${join(cluster.tmp.dir, 'no-pods')}`, `--containers-log-dir=${join(cluster.tmp.dir, 'no-containers')}`];
const args = (node: string, monitor: string, kubeconfig = cluster.kubeconfig): string[] => [
  `--kubeconfig=${kubeconfig}`, '--no-reload', '--apiserver-wait-timeout=20s', `--hostname-override=${node}`, `--config.system-log-monitor=${monitor}`, ...noPods(),
];
/** Starts a cluster agent on a manual clock and lets the exporter's start jitter pass. */
async function clusterAgent(argv: string[], clock = createManualClock(Date.now()), env: NodeJS.ProcessEnv = {}): Promise<AgentUnderTest> {
  const starting = startAgent(argv, { clock, env });
  await waitFor(() => clock.pending() > 0, 'the start jitter');
  await clock.advance(10_000);
  const agent = await starting;
  // The condition store's first sync runs on the clock too.
  await advanceUntil(clock, () => agent.logs.some((r) => r.msg === 'node found'), 'the Node read');
  return agent;
}
/** What a new TCP connection to the URL's port gets: `connected`, or the error code. */
const connectTo = (url: string): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => resolve('connected')).once('error', (err: NodeJS.ErrnoException) => resolve(String(err.code)));
    socket.once('connect', () => socket.destroy());
  });

test('while the kubeconfig is not readable yet (a slow mount), /healthz answers 200 "starting" and /conditions is empty', async () => {
  const { node, monitor } = fresh();
  const fifo = join(cluster.tmp.dir, `${node}-kubeconfig`);
  execFileSync('mkfifo', [fifo]); // reading it blocks until the test writes the kubeconfig
  const port = await freePort();
  const starting = startAgent([...args(node, monitor, fifo), `--port=${port}`]);
  const health = await eventually(() => fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined), '/healthz listening');
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true, detail: 'starting', monitors: [], exporters: [], eventLoop: { lastSeconds: 0, maxSeconds: 0 } });
  expect(await (await fetch(`http://127.0.0.1:${port}/conditions`)).json()).toEqual({});

  await writeFile(fifo, readFileSync(cluster.kubeconfig));
  const agent = await starting;
  try {
    const running = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { detail: string; monitors: { source: string }[] };
    expect(running.detail).not.toBe('starting');
    expect(running.monitors.map((m) => m.source)).toEqual(['kernel-monitor']);
  } finally {
    await agent.stop();
  }
}, 60_000);

test('the log says what runs at start and that it stops; the Kubernetes exporter\'s records name it; a cluster agent prints no console lines', async () => {
  const { node, kernLog, monitor } = fresh();
  const clock = createManualClock(Date.now());
  const agent = await clusterAgent(args(node, monitor), clock);
  try {
    appendFileSync(kernLog, `${kernLogLine(dockerHungLine)}\n`);
    await advanceUntil(clock, () => condition(node, 'KernelDeadlock')?.status === 'True', 'KernelDeadlock=True on the Node');
    expect(agent.stdout).toEqual([]);
    expect(agent.logs.filter((r) => r.msg === 'npd-ts running')).toEqual([
      expect.objectContaining({
        level: 'info',
        exporters: ['prometheus', 'kubernetes'],
        podAttribution: 'off: neither kubelet log directory exists',
        podsLogDir: join(cluster.tmp.dir, 'no-pods'),
        containersLogDir: join(cluster.tmp.dir, 'no-containers'),
      }),
    ]);
    expect(agent.logs.find((r) => r.msg === 'node found')).toMatchObject({ level: 'info', exporter: 'kubernetes', node });
    expect(agent.logs.filter((r) => r.msg === 'stopping')).toEqual([]);
  } finally {
    await agent.stop();
  }
  expect(agent.logs.filter((r) => r.msg === 'stopping')).toEqual([expect.objectContaining({ level: 'info' })]);
}, 60_000);

test('stopping closes /healthz and /metrics and retires the ownership record, named by $POD_NAME, on the Node (the next agent takes over at once)', async () => {
  const { node, monitor } = fresh();
  const clock = createManualClock(Date.now());
  const agent = await clusterAgent(args(node, monitor), clock, { POD_NAME: 'npd-ts-x1' });
  const annotations = (): Record<string, string> => (cluster.api.node(node)?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
  const records = (): string[] => Object.values(annotations());
  try {
    await advanceUntil(clock, () => condition(node, 'KernelDeadlock') !== undefined, 'KernelDeadlock written');
    expect(Object.keys(annotations()).filter((k) => k.endsWith('.npd-ts-x1'))).toHaveLength(1);
    expect(records().filter((r) => r.startsWith('KernelDeadlock;'))).toHaveLength(1);
    expect(records().filter((r) => r.endsWith(';retired'))).toEqual([]);
    expect(await connectTo(agent.healthUrl as string)).toBe('connected');
    expect(await connectTo(agent.metricsUrl as string)).toBe('connected');
  } finally {
    await agent.stop();
  }
  expect(records().filter((r) => r.startsWith('KernelDeadlock;'))).toEqual(['KernelDeadlock;retired']);
  expect(await connectTo(agent.healthUrl as string)).toBe('ECONNREFUSED');
  expect(await connectTo(agent.metricsUrl as string)).toBe('ECONNREFUSED');
}, 60_000);

test('at --log-level=debug the agent logs where it serves, with the time and CPU start-up took until then', async () => {
  const { monitor } = fresh();
  const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
  // The record's time is `process.uptime()` (the global `performance` would load perf_hooks before listening).
  const sinceStart = (): number => process.uptime() * 1000;
  const [t0, cpu0] = [sinceStart(), cpuMs(process.cpuUsage())];
  const agent = await startAgent(['--standalone', '--no-reload', '--log-level=debug', `--config.system-log-monitor=${monitor}`]);
  const [t1, cpu1] = [sinceStart(), cpuMs(process.cpuUsage())];
  await agent.stop();
  const serving = agent.logs.filter((r) => r.msg === 'serving');
  expect(serving).toEqual([expect.objectContaining({ level: 'debug', health: agent.healthUrl, metrics: agent.metricsUrl })]);
  const record = serving[0] as unknown as { sinceStartMs: number; cpuMs: number };
  // Both count from the process's start: between what this process showed before and after.
  expect(record.sinceStartMs).toBeGreaterThanOrEqual(Math.floor(t0));
  expect(record.sinceStartMs).toBeLessThanOrEqual(Math.ceil(t1));
  expect(record.cpuMs).toBeGreaterThanOrEqual(Math.floor(cpu0));
  expect(record.cpuMs).toBeLessThanOrEqual(Math.ceil(cpu1));
}, 60_000);

test('a bad monitor file in a cluster: the error, at once, though the exporter was still in its start jitter; nothing reached the apiserver', async () => {
  const { node } = fresh();
  const clock = createManualClock(Date.now()); // never advanced: the jitter would never end by itself
  const missing = join(cluster.tmp.dir, 'no-such-monitor.json');
  await expect(startAgent(args(node, missing), { clock })).rejects.toThrow(/no-such-monitor\.json/);
  expect(cluster.api.requests.filter((r) => r.path.includes(`/nodes/${node}`))).toEqual([]);
}, 60_000);

test('a SIGTERM that arrives just as the agent finishes starting still stops it', async () => {
  const { monitor } = fresh();
  const invocation = parseCommandLine(['run', '--standalone', '--no-reload', '--port=0', '--prometheus-port=0', `--config.system-log-monitor=${monitor}`], { root: repoRoot, version: '0.0.0-test' });
  if (invocation.command !== 'run') throw new Error('not a run command line');
  const controller = new AbortController();
  const logs: string[] = [];
  // Resolves only if the agent stops: a signal that aborted before it waited would be missed.
  await runAgent(invocation.settings, { signal: controller.signal, env: {}, writeLog: (r) => void logs.push(r.msg), write: () => {}, onRunning: () => controller.abort() });
  expect(logs.filter((m) => m === 'npd-ts running' || m === 'stopping')).toEqual(['npd-ts running', 'stopping']);
}, 60_000);

test('the cloud metadata probes ask the endpoint their monitor file names (a spot instance to be released → InstanceExpired True)', async () => {
  const paths: string[] = [];
  const metadata = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.end('2026-12-02T16:00:00Z');
  });
  await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
  try {
    const shipped = JSON.parse(readFileSync(shippedMonitor('instance-expiry-monitor.json'), 'utf8')) as { rules: { options: { endpoint: string } }[] };
    for (const r of shipped.rules) r.options.endpoint = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    const file = cluster.tmp.write('instance-expiry.json', JSON.stringify(shipped));
    const agent = await startAgent(['--standalone', '--no-reload', `--config.custom-plugin-monitor=${file}`]);
    try {
      const expired = async (): Promise<Record<string, string> | undefined> =>
        ((await (await fetch(`${agent.healthUrl}/conditions`)).json()) as Record<string, Record<string, string>[]>)['instance_termination_custom_checker']?.find((c) => c['type'] === 'InstanceExpired');
      await waitFor(async () => (await expired())?.['status'] === 'True', 'InstanceExpired True');
      expect(await expired()).toMatchObject({ reason: 'InstanceToBeTerminated', message: 'instance is going to be terminated at 2026-12-02T16:00:00Z' });
      expect(paths).toContain('/latest/meta-data/instance/spot/termination-time');
    } finally {
      await agent.stop();
    }
  } finally {
    metadata.close();
  }
}, 60_000);
