/**
 * The agent as PID 1, as the image runs it, in a PID namespace of its own (`unshare --pid`): a
 * plugin's orphans are re-parented to PID 1 and killed by the agent's sweep. Under node as PID 1 they
 * stay `<defunct>` (Node waits only for its own children) and pile up against the pod's PID limit;
 * under tini, the image's ENTRYPOINT, none is left.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostProcesses, startAgentInPidNamespace, type NamespacedAgent } from '../helpers/pid-namespace.js';
import { eventually } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-pid1-'));
const plugin = new URL('../fixtures/plugins/orphan-counted.sh', import.meta.url).pathname;

const runsIn = (file: string): number => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

async function agentAsPid1(init: readonly string[], name: string): Promise<{ agent: NamespacedAgent; counter: string }> {
  const counter = join(dir, `${name}.runs`);
  const monitor = join(dir, `${name}.json`);
  writeFileSync(monitor, JSON.stringify({
    plugin: 'custom',
    pluginConfig: { invoke_interval: '1s', timeout: '5s', concurrency: 1 },
    source: `orphans-${name}`,
    conditions: [],
    rules: [{ type: 'temporary', reason: 'Orphans', path: plugin, args: [counter] }],
  }));
  const agent = await startAgentInPidNamespace(init, monitor);
  await eventually(() => (runsIn(counter) >= 4 ? true : undefined), 'four plugin runs', 60_000, 50);
  return { agent, counter };
}

const zombiesOf = (pid: number): number => [...hostProcesses().values()].filter((p) => p.ppid === pid && p.state === 'Z').length;

test('node as PID 1 (the image before tini): the orphans the sweep killed stay <defunct>', async () => {
  const { agent } = await agentAsPid1([], 'node');
  try {
    // Three sweeps have finished by the fourth run; every one left a zombie under PID 1 (node).
    expect(zombiesOf(agent.initPid)).toBeGreaterThanOrEqual(3);
  } finally {
    await agent.stop();
  }
}, 90_000);

test('tini as PID 1 (the image): no zombie is left', async () => {
  const { agent, counter } = await agentAsPid1(['tini', '--'], 'tini');
  try {
    const runs = runsIn(counter);
    await eventually(() => (zombiesOf(agent.initPid) === 0 ? true : undefined), 'no zombies under tini', 20_000, 50);
    expect(runs).toBeGreaterThanOrEqual(4);
  } finally {
    await agent.stop();
  }
}, 90_000);
