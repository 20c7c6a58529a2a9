/**
 * The agent end to end in standalone mode, as the README's quick start runs it: a filelog monitor on
 * a kern.log, problems printed on stdout, /healthz and /conditions served, and hot reload of the
 * monitor file (new rules apply; an invalid file is rejected and the old rules keep working).
 */
import { appendFileSync, mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { eventually } from '../helpers/wait.js';
import { freePort } from '../helpers/net.js';
import { kernLogLine } from '../helpers/syslog.js';
import { kernLogMonitor, type RuleSpec } from '../helpers/monitor-files.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-agent-'));
const logPath = join(dir, 'kern.log');
const monitorPath = join(dir, 'kernel-monitor.json');

const monitor = (rules: readonly RuleSpec[]): string => kernLogMonitor(logPath, { rules });
/** Replaces the file atomically, as a ConfigMap update does. */
function replaceMonitor(text: string): void {
  writeFileSync(`${monitorPath}.tmp`, text);
  renameSync(`${monitorPath}.tmp`, monitorPath);
}

const baseRules = [
  { type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ (.+) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:\\d+kB.*' },
  { type: 'permanent', condition: 'KernelDeadlock', reason: 'DockerHung', pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.' },
  // Backtracks exponentially on a long run of x's without a y, in a backtracking engine.
  { type: 'temporary', reason: 'Catastrophic', pattern: '(x+x+)+y' },
];

let npd: CliProcess;
let healthPort: number;

beforeAll(async () => {
  writeFileSync(logPath, '');
  writeFileSync(monitorPath, monitor(baseRules));
  healthPort = await freePort();
  npd = startCli([
    'run',
    '--standalone',
    `--config.system-log-monitor=${monitorPath}`,
    `--port=${healthPort}`,
    '--prometheus-port=0',
    '--log-level=debug',
  ]);
  await npd.waitFor((_o, e) => e.includes('npd-ts running'), 30_000, 'startup');
});

afterAll(async () => {
  await npd?.stop();
});

test('a problem line in kern.log is printed as an event', async () => {
  appendFileSync(logPath, `${kernLogLine('Killed process 4242 (java) total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB')}\n`);
  await npd.waitFor((o) => /event kernel-monitor .*reason=OOMKilling.*Killed process 4242/.test(o), 20_000, 'the OOMKilling event');
});

test('hostile lines (a catastrophic-regex line, 5 MB of binary, invalid UTF-8) neither stall nor kill the agent', async () => {
  appendFileSync(logPath, `${kernLogLine('x'.repeat(100_000))}\n`);
  const binary = Buffer.alloc(5 * 1024 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256 === 10 ? 0 : (i * 7919) % 256;
  appendFileSync(logPath, Buffer.concat([Buffer.from(kernLogLine('')), binary, Buffer.from([0xc3, 0x28, 0xff, 0x0a])]));
  appendFileSync(logPath, `${kernLogLine('Killed process 5151 (after-hostile) total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB')}\n`);
  await npd.waitFor((o) => /reason=OOMKilling.*Killed process 5151/.test(o), 30_000, 'the event after the hostile lines');
  expect(npd.stdout()).not.toMatch(/reason=Catastrophic/);
  expect(npd.child.exitCode).toBeNull();
});

test('a permanent rule sets the condition, visible on /conditions; /healthz is 200', async () => {
  appendFileSync(logPath, `${kernLogLine('INFO: task docker:1234 blocked for more than 120 seconds.')}\n`);
  await npd.waitFor((o) => /condition kernel-monitor type=KernelDeadlock status=True reason=DockerHung/.test(o), 20_000, 'KernelDeadlock=True');
  const conditions = await eventually(async () => {
    const body = (await (await fetch(`http://127.0.0.1:${healthPort}/conditions`)).json()) as Record<string, { type: string; status: string; reason: string }[]>;
    return body['kernel-monitor']?.find((c) => c.type === 'KernelDeadlock' && c.status === 'True') ? body : undefined;
  });
  expect(conditions['kernel-monitor']?.[0]?.reason).toBe('DockerHung');
  const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
  expect(health.status).toBe(200);
});

test('hot reload: a new rule applies without a restart', async () => {
  replaceMonitor(monitor([...baseRules, { type: 'temporary', reason: 'KernelOops', pattern: 'BUG: kernel NULL pointer dereference, address: .*' }]));
  await npd.waitFor((_o, e) => e.includes('configuration reloaded'), 20_000, 'the reload');
  appendFileSync(logPath, `${kernLogLine('BUG: kernel NULL pointer dereference, address: 0000000000000008')}\n`);
  await npd.waitFor((o) => /reason=KernelOops/.test(o), 20_000, 'the KernelOops event from the new rule');
});

test('hot reload: an invalid file is rejected and the previous rules keep running', async () => {
  replaceMonitor('{"plugin": "filelog", "rules": [');
  await npd.waitFor((_o, e) => e.includes('configuration rejected'), 20_000, 'the rejection');
  expect(npd.stderr()).toMatch(/configuration rejected.*kernel-monitor\.json/);
  appendFileSync(logPath, `${kernLogLine('Killed process 777 (nginx) total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB')}\n`);
  await npd.waitFor((o) => /reason=OOMKilling.*Killed process 777/.test(o), 20_000, 'an event from the old rules');
  expect(npd.child.exitCode).toBeNull();
});
