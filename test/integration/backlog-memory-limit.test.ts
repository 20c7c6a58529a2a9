/**
 * A backlog read under a real memory limit: the built agent runs in a memory cgroup whose limit is
 * below the size of the kern.log it starts on, so an agent that held the file (or its lines) would
 * be OOM-killed by the kernel, as the kubelet's limit would kill it on a node. The control shows
 * that: a process that reads the file whole is killed under the same limit. The agent must read
 * every line, count every problem on /metrics, and not be killed, with the file's pages dropped
 * from the page cache first, so that the agent's cgroup is charged for each page it reads. The 1 GiB run under the
 * DaemonSet's 160 MiB is bench/backlog-memory-limit.ts (README, Performance).
 *
 * Needs root and a memory cgroup controller (v1 or v2): elsewhere it is skipped, with the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentProcess, sumSamples, type AgentProcess } from '../../bench/helpers/agent-process.js';
import { writeBacklogFile, writeBacklogMonitor } from '../../bench/helpers/footprint-inputs.js';
import { cli, node, repoRoot, requireBuild } from '../helpers/cli.js';
import { createMemoryCgroup, dropPageCache, type MemoryCgroup } from '../helpers/memory-cgroup.js';
import { eventually } from '../helpers/wait.js';

const MiB = 1024 * 1024;
/** The agent's cgroup charge peaked at 48 MiB on a 100 MiB backlog (bench/backlog-memory-limit.ts). */
const limitBytes = 72 * MiB;
const backlogBytes = 96 * MiB;

const agentGroup = createMemoryCgroup('npd-test-backlog', limitBytes);
const controlGroup = createMemoryCgroup('npd-test-control', limitBytes);
const skip = 'skip' in agentGroup ? agentGroup.skip : 'skip' in controlGroup ? controlGroup.skip : undefined;
if (skip !== undefined) console.warn(`backlog-memory-limit: skipped: ${skip}`);
const run = skip === undefined ? test : test.skip;

const dir = mkdtempSync(join(tmpdir(), 'npd-backlog-limit-'));
const logPath = join(dir, 'kern.log');
let backlog: { lines: number; problems: number; bytes: number };

beforeAll(() => {
  if (skip === undefined) backlog = writeBacklogFile(logPath, backlogBytes, Date.now());
});

afterAll(async () => {
  for (const group of [agentGroup, controlGroup]) if (!('skip' in group)) await group.remove();
  rmSync(dir, { recursive: true, force: true });
});

run('the limit is below what holding the backlog needs: a process that reads it whole is OOM-killed', () => {
  const group = controlGroup as MemoryCgroup;
  expect(backlog.bytes).toBeGreaterThan(limitBytes);
  const [cmd, args] = group.command([node, '-e', `require('node:fs').readFileSync(${JSON.stringify(logPath)})`]);
  const held = spawnSync(cmd, args, { stdio: 'ignore', timeout: 120_000 });
  expect(held.signal).toBe('SIGKILL');
  expect(group.oomKills()).toBe(1);
}, 150_000);

run('the agent reads the whole backlog under that limit: every problem counted, no OOM kill', async () => {
  requireBuild();
  const group = agentGroup as MemoryCgroup;
  const source = 'backlog-monitor';
  const monitor = writeBacklogMonitor(dir, logPath, source);
  // Not cached: the agent's cgroup pays for every page of the file it reads, as for old logs on a node.
  dropPageCache(logPath);
  let agent: AgentProcess | undefined;
  try {
    agent = await startAgentProcess(node, cli, ['--standalone', '--no-reload', '--log-level=warn', `--config.system-log-monitor=${monitor}`], {
      cwd: repoRoot,
      launch: (argv) => group.command(argv),
    });
    const a = agent;
    const outcome = await eventually(async (): Promise<{ text: string } | { died: string } | undefined> => {
      try {
        a.assertAlive();
      } catch (err) {
        return { died: (err as Error).message }; // an OOM kill ends the wait at once, with the exit signal
      }
      const t = await a.metrics();
      return sumSamples(t, 'problem_counter') >= backlog.problems ? { text: t } : undefined;
    }, 'every problem of the backlog counted', 240_000, 100);
    expect(outcome).not.toHaveProperty('died');
    expect(group.oomKills()).toBe(0);
    const { text } = outcome as { text: string };
    expect(sumSamples(text, 'problem_counter')).toBe(backlog.problems);
    expect(sumSamples(text, 'npd_source_lines_read_total', [`source="${source}"`])).toBe(backlog.lines);
    a.assertAlive();
  } finally {
    await agent?.stop();
  }
}, 300_000);
