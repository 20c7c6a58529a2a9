/**
 * The agent as PID 1, as the image runs it, in a PID namespace of its own (`unshare --pid`): a
 * plugin's orphans are re-parented to PID 1 and killed by the agent's sweep. Under node as PID 1 they
 * stay `<defunct>` (Node waits only for its own children) and pile up against the pod's PID limit;
 * under tini, the image's ENTRYPOINT, none is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, node, nodeFlags } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';
import { eventually } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-pid1-'));
const plugin = new URL('../fixtures/plugins/orphan-counted.sh', import.meta.url).pathname;

/** `[ppid, state]` of every process on the host, by pid. */
function processes(): Map<number, { ppid: number; state: string }> {
  const out = new Map<number, { ppid: number; state: string }>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(e), { state: f[0]!, ppid: Number(f[1]) });
    } catch {
      // gone
    }
  }
  return out;
}

const runsIn = (file: string): number => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

async function agentAsPid1(init: readonly string[], name: string): Promise<{ unshare: ChildProcess; initPid: number; counter: string }> {
  const counter = join(dir, `${name}.runs`);
  const monitor = join(dir, `${name}.json`);
  writeFileSync(monitor, JSON.stringify({
    plugin: 'custom',
    pluginConfig: { invoke_interval: '1s', timeout: '5s', concurrency: 1 },
    source: `orphans-${name}`,
    conditions: [],
    rules: [{ type: 'temporary', reason: 'Orphans', path: plugin, args: [counter] }],
  }));
  const port = await freePort();
  const unshare = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...init, node, ...nodeFlags, cli, 'run', '--standalone', `--config.custom-plugin-monitor=${monitor}`, `--port=${port}`, '--prometheus-port=0', '--no-reload'], { stdio: 'ignore' });
  // PID 1 of the namespace is unshare's only child.
  const initPid = await eventually(() => [...processes()].find(([, p]) => p.ppid === unshare.pid)?.[0], 'PID 1 of the namespace', 20_000, 50);
  await eventually(() => (runsIn(counter) >= 4 ? true : undefined), 'four plugin runs', 60_000, 50);
  return { unshare, initPid, counter };
}

async function stop(unshare: ChildProcess, initPid: number): Promise<void> {
  const exited = new Promise((r) => unshare.once('close', r));
  process.kill(initPid, 'SIGTERM');
  await exited;
}

const zombiesOf = (pid: number): number => [...processes().values()].filter((p) => p.ppid === pid && p.state === 'Z').length;

test('node as PID 1 (the image before tini): the orphans the sweep killed stay <defunct>', async () => {
  const { unshare, initPid } = await agentAsPid1([], 'node');
  try {
    // Three sweeps have finished by the fourth run; every one left a zombie under PID 1 (node).
    expect(zombiesOf(initPid)).toBeGreaterThanOrEqual(3);
  } finally {
    await stop(unshare, initPid);
  }
}, 90_000);

test('tini as PID 1 (the image): no zombie is left', async () => {
  const { unshare, initPid, counter } = await agentAsPid1(['tini', '--'], 'tini');
  try {
    const runs = runsIn(counter);
    await eventually(() => (zombiesOf(initPid) === 0 ? true : undefined), 'no zombies under tini', 20_000, 50);
    expect(runs).toBeGreaterThanOrEqual(4);
  } finally {
    await stop(unshare, initPid);
  }
}, 90_000);
