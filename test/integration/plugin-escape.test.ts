/**
 * A plugin's descendant that clears its environment (no run marker), calls `setsid` (its own session
 * and group) and outlives its parent (re-parented to PID 1, no parent chain) is killed with its run
 * when the agent runs as the image runs it: under tini, PID 1 of the container's PID namespace,
 * whose other children started since the run began are orphans from inside the container. With node
 * itself as PID 1 (no init) the orphans are the agent's own children and that mark is not used: the
 * escapee lives on, as the README says.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild } from '../helpers/cli.js';
import { hostProcesses, startAgentInPidNamespace } from '../helpers/pid-namespace.js';
import { eventually } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-escape-'));
const plugin = new URL('../fixtures/plugins/escape-env-setsid.sh', import.meta.url).pathname;

const linesOf = (file: string): string[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

/** Run numbers of the live escapees named `name-RUN` (argv: sh -c SCRIPT name-RUN …). */
const liveEscapees = (name: string): number[] =>
  [...hostProcesses().values()]
    .filter((p) => p.state !== 'Z' && p.argv[0] === 'sh' && p.argv[3]?.startsWith(`${name}-`))
    .map((p) => Number(p.argv[3]!.slice(name.length + 1)));

async function runUntilFourRuns(init: readonly string[], name: string): Promise<{ stop(): Promise<void>; up: string }> {
  requireBuild();
  const [runs, up, monitor] = [join(dir, `${name}.runs`), join(dir, `${name}.up`), join(dir, `${name}.json`)];
  writeFileSync(monitor, JSON.stringify({
    plugin: 'custom',
    pluginConfig: { invoke_interval: '1s', timeout: '5s', concurrency: 1 },
    source: `escape-${name}`,
    conditions: [],
    rules: [{ type: 'temporary', reason: 'Escape', path: plugin, args: [runs, `npd-escapee-${name}`, up] }],
  }));
  const agent = await startAgentInPidNamespace(init, monitor);
  try {
    await eventually(() => (linesOf(runs).length >= 4 ? true : undefined), 'four plugin runs', 60_000, 50);
  } catch (err) {
    await agent.stop();
    throw err;
  }
  return { stop: () => agent.stop(), up };
}

test('under tini (the image): every escapee is killed with its run', async () => {
  const { stop, up } = await runUntilFourRuns(['tini', '--'], 'tini');
  try {
    expect(linesOf(up).slice(0, 3)).toEqual(['1', '2', '3']); // each escapee of runs 1–3 ran
    await eventually(() => (liveEscapees('npd-escapee-tini').every((n) => n > 3) ? true : undefined), 'the escapees of runs 1–3 killed', 20_000, 50);
  } finally {
    await stop();
  }
}, 90_000);

test('node as PID 1 (no init): the escapees live on (the limit the README names)', async () => {
  const { stop, up } = await runUntilFourRuns([], 'node');
  try {
    expect(linesOf(up).slice(0, 3)).toEqual(['1', '2', '3']);
    expect(liveEscapees('npd-escapee-node').filter((n) => n <= 3).sort()).toEqual([1, 2, 3]);
  } finally {
    await stop();
  }
}, 90_000);
