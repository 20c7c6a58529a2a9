/**
 * The whole agent (the built CLI, `npd run`) against the HTTPS test apiserver: a kern.log line
 * becomes a NodeCondition and an Event that `kubectl describe node` shows; a restart does not flip the
 * condition back to False (NPD #304); a monitor removed by a profile edit takes its condition off the
 * Node (NPD #423) while kubelet's conditions stay; and the agent never LISTs or WATCHes.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';
import { kernLogLine } from '../helpers/syslog.js';
import { kubeconfigPath, kubeletNode, startTestApiserver, type TestApiserver } from '../helpers/test-apiserver.js';
import { waitFor } from '../helpers/wait.js';
import { isListOrWatch } from '../helpers/test-apiserver-routes.js';

const run = promisify(execFile);
const nodeName = 'node-e2e';
const dir = mkdtempSync(join(tmpdir(), 'npd-agent-k8s-'));
const kernLog = join(dir, 'kern.log');
const extraLog = join(dir, 'extra.log');
const profile = join(dir, 'profile.json');
const lookbackS = 2;

function logMonitor(source: string, logPath: string, type: string, reason: string, pattern: string): string {
  return JSON.stringify({
    plugin: 'filelog',
    pluginConfig: { timestamp: '^.{15}', message: 'kernel: \\[.*\\] (.*)', timestampFormat: 'Jan _2 15:04:05' },
    logPath,
    // Shorter than the gap before the restart below: the restarted agent cannot re-read the problem
    // line, so only the Node's conditions it reads at start keep KernelDeadlock True (NPD #304).
    lookback: `${lookbackS}s`,
    source,
    conditions: [{ type, reason: `No${reason}`, message: `no ${reason}` }],
    rules: [
      { type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ (.+) total-vm:\\d+kB.*' },
      { type: 'permanent', condition: type, reason, pattern },
    ],
  });
}
function writeProfile(monitors: string[]): void {
  writeFileSync(`${profile}.tmp`, JSON.stringify({ monitors }));
  renameSync(`${profile}.tmp`, profile);
}

let api: TestApiserver;
let kubeconfig: string;
let healthPort: number;

const condition = (type: string): Record<string, string> | undefined =>
  (api.node(nodeName)?.status?.conditions as Record<string, string>[] | undefined)?.find((c) => c.type === type);

function start(): CliProcess {
  return startCli([
    'run',
    `--kubeconfig=${kubeconfig}`,
    `--hostname-override=${nodeName}`,
    `--profile=${profile}`,
    `--monitors-dir=${dir}`,
    `--port=${healthPort}`,
    '--prometheus-port=0',
    '--apiserver-wait-timeout=20s',
  ]);
}

beforeAll(async () => {
  api = await startTestApiserver();
  api.addNode(kubeletNode(nodeName));
  kubeconfig = await api.writeKubeconfig(kubeconfigPath(api, 'agent-kubeconfig'));
  healthPort = await freePort();
  writeFileSync(kernLog, '');
  writeFileSync(extraLog, '');
  writeFileSync(join(dir, 'kernel.json'), logMonitor('kernel-monitor', kernLog, 'KernelDeadlock', 'DockerHung', 'task docker:\\w+ blocked for more than \\w+ seconds\\.'));
  writeFileSync(join(dir, 'extra.json'), logMonitor('extra-monitor', extraLog, 'ExtraProblem', 'ExtraFound', 'extra problem'));
  writeProfile(['kernel.json', 'extra.json']);
}, 60_000);

afterAll(async () => {
  await api?.close();
});

test('conditions and events reach the Node, survive a restart, and leave with their monitor', async () => {
  let npd = start();
  try {
    await waitFor(() => condition('KernelDeadlock')?.status === 'False' && condition('ExtraProblem')?.status === 'False', 'initial conditions');
    expect(condition('Ready')?.status).toBe('True');

    const problemAt = Date.now();
    appendFileSync(kernLog, `${kernLogLine('INFO: task docker:1234 blocked for more than 120 seconds.', new Date(problemAt))}\n`);
    appendFileSync(kernLog, `${kernLogLine('Killed process 4242 (java) total-vm:1000kB, anon-rss:500kB, file-rss:0kB')}\n`);
    await waitFor(() => condition('KernelDeadlock')?.status === 'True', 'KernelDeadlock=True');
    expect(condition('KernelDeadlock')).toMatchObject({ reason: 'DockerHung', message: expect.stringContaining('task docker:1234 blocked') });
    await waitFor(() => api.events().some((e) => e.reason === 'OOMKilling') && api.events().some((e) => e.reason === 'DockerHung'), 'events');
    const oom = api.events().find((e) => e.reason === 'OOMKilling')!;
    expect(oom).toMatchObject({ type: 'Warning', involvedObject: { kind: 'Node', name: nodeName }, source: { component: 'kernel-monitor', host: nodeName } });

    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'describe', 'node', nodeName]);
    expect(stdout).toMatch(/KernelDeadlock\s+True\s.*DockerHung/);
    expect(stdout).toMatch(/ExtraProblem\s+False\s.*NoExtraFound/);
    expect(stdout).toMatch(/Warning\s+OOMKilling\s.*Killed process 4242/);

    // Restart: the agent must keep KernelDeadlock=True, never PATCH it back to False. The problem line
    // is older than the lookback by then (syslog stamps have 1 s resolution: one more second).
    await npd.stop();
    await waitFor(() => Date.now() - problemAt > (lookbackS + 1) * 1000, 'the problem line to leave the lookback');
    const before = api.requests.length;
    npd = start();
    await npd.waitFor((_o, e) => e.includes('npd-ts running'), 30_000, 'restart');
    appendFileSync(extraLog, `${kernLogLine('extra problem')}\n`);
    await waitFor(() => condition('ExtraProblem')?.status === 'True', 'ExtraProblem=True after the restart');
    const patchesAfterRestart = api.requests.slice(before).filter((r) => r.method === 'PATCH' && r.path.endsWith('/status'));
    expect(patchesAfterRestart.length).toBeGreaterThan(0);
    for (const p of patchesAfterRestart) {
      const sent = ((p.body as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []).filter((c) => c.type === 'KernelDeadlock');
      expect(sent.every((c) => c.status === 'True')).toBe(true);
    }
    expect(condition('KernelDeadlock')?.status).toBe('True');

    // Hot reload: the profile drops extra.json, so ExtraProblem leaves the Node; kubelet's stay.
    writeProfile(['kernel.json']);
    await waitFor(() => condition('ExtraProblem') === undefined, 'ExtraProblem removed', 30_000);
    expect(condition('Ready')?.status).toBe('True');
    expect(condition('KernelDeadlock')?.status).toBe('True');

    const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    expect(health.status).toBe(200);
  } finally {
    await npd.stop();
  }
  const agentRequests = api.requests.filter((r) => r.userAgent?.includes('npd-ts'));
  expect(agentRequests.length).toBeGreaterThan(0);
  expect(agentRequests.filter(isListOrWatch)).toEqual([]);
}, 120_000);
